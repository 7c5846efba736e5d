"""投诉 — the complaint register: each complaint, who handles it and when it was closed (seed 002
第 24–25 条; 售后客服 are paid 2 元 per complaint handled, seed 004)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from shopbook.reading.schema import DATE, ID, TEXT, Column, SheetKind
from shopbook.reading.tables import Table
from shopbook.rules import Rules

# suggested 投诉类型 (the template's drop-down; other words are allowed)
TYPES = ("质量", "少发", "发错", "快递", "服务", "维权", "其他")
PLATFORM_DISPUTE = "维权"  # a complaint the buyer raised with the platform (淘宝维权)

COMPLAINTS = SheetKind(
    name="投诉",
    sheet_aliases=("投诉登记", "投诉记录", "客户投诉", "投诉处理", "complaints"),
    columns=(
        # 投诉日期/投诉类型 rather than 日期/类型: those bare headers belong to 发货 and 退换货 too,
        # and a complaint sheet must not be read as one of them (both are accepted here)
        Column("投诉日期", ("日期", "投诉时间", "登记日期"), DATE, required=True),
        Column("订单号", ("订单编号", "订单号码", "order_id", "平台订单号"), ID),
        Column("买家", ("买家昵称", "买家旺旺", "会员名"), TEXT),
        Column("投诉类型", ("类型", "投诉分类", "问题类型"), TEXT),
        Column("内容", ("投诉内容", "问题描述", "描述"), TEXT),
        Column("责任人", ("责任方", "责任客服"), TEXT),
        Column("处理人", ("处理客服", "经办人", "跟进人"), TEXT),
        Column("处理结果", ("结果", "处理方案", "处理情况"), TEXT),
        Column("结案日期", ("结案时间", "完结日期", "完成日期"), DATE),
    ),
)


def closed(d: pd.DataFrame) -> pd.Series:
    return d["结案日期"].notna() if "结案日期" in d else pd.Series(False, index=d.index)


def of_type(d: pd.DataFrame, words) -> pd.Series:
    """Complaints whose 投诉类型 names one of these words (少发, 维权 …)."""
    if "投诉类型" not in d:
        return pd.Series(False, index=d.index)
    return d["投诉类型"].astype("string").str.contains("|".join(words), regex=True).fillna(False).astype(bool)


def age_days(d: pd.DataFrame, as_of: dt.datetime) -> pd.Series:
    return (pd.Timestamp(as_of).normalize() - d["投诉日期"].dt.normalize()).dt.days


# --- checks -----------------------------------------------------------------------------------
def check_overdue(t: Table, rules: Rules, as_of: dt.datetime):
    """A complaint still open past the rules' days."""
    d = t.data
    if "投诉日期" not in d:
        return None
    days = age_days(d, as_of)
    late = (~closed(d) & (days > rules.complaint_days)).fillna(False).astype(bool)
    return t.at(late, "结案日期" if "结案日期" in d else "投诉日期", "complaint-overdue", order=d.get("订单号"),
                day=d["投诉日期"].dt.strftime("%Y-%m-%d"), days=days, limit=rules.complaint_days)


def check_closed(t: Table, rules: Rules, as_of: dt.datetime):
    """A closed complaint says who handled it (the pay count) and how."""
    d = t.data
    done = closed(d)
    out = []
    for column, effect in (("处理人", "这条投诉不计入任何人的投诉处理数"), ("处理结果", "以后查不到是怎么处理的")):
        missing = done & (d[column].isna() if column in d else True)
        out.append(t.at(missing, column if column in d else "结案日期", "complaint-part-missing",
                        part=column, effect=effect))
    return out


CHECKS = [check_overdue, check_closed]
