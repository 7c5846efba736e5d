"""奖罚登记 — the month's rewards and penalties, one row each (seed 001 客服每月奖罚评分表, seed 002
考勤扣分), and 仓库事故, the incident record a 仓库事故 penalty rests on.

A row is 奖 or 罚, with its 金额 (yuan) and 分值 (points of the monthly score sheet), why (事由),
who approved it (批准人) and what it concerns (关联订单/评价: an order number or a review). A
penalty whose 事由 names a 仓库事故 must have its incident on the 仓库事故 sheet: the same 订单号 as
its 关联订单/评价, or — when it names none — an incident on the same day.
The penalty range (每笔罚款下限/上限) is the payroll parameters' (shopbook.rules.pay).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from shopbook.reading.schema import CHOICE, DATE, ID, MONEY, NUMBER, TEXT, Column, SheetKind
from shopbook.reading.tables import Table
from shopbook.rules import Rules

REWARD, PENALTY = "奖", "罚"
WORDS = {REWARD: "奖励", PENALTY: "罚款"}
INCIDENT_WORD = "仓库事故"  # a 事由 naming it needs its row on the 仓库事故 sheet
# the template's suggested 事由 (other words are allowed)
REASONS = ("好评改善", "无差评", "客户表扬", "超额完成", "差评", "投诉", "发错货", "漏发", INCIDENT_WORD, "违反制度")

# the person a staff sheet's row is about: 工号 (the key) and the 姓名 shown beside it; every staff
# sheet (奖罚登记, 仓库事故, payroll's 考勤/绩效/个税累计 …) reads them the same way
STAFF_ID = Column("工号", ("员工编号", "员工号", "编号"), ID, required=True)
STAFF_NAME = Column("姓名", ("员工姓名",), TEXT)

REWARDS = SheetKind(
    name="奖罚登记",
    sheet_aliases=("奖罚", "奖惩登记", "奖惩", "奖罚记录", "奖惩记录", "rewards"),
    columns=(
        Column("日期", ("登记日期", "发生日期"), DATE, required=True),
        STAFF_ID,
        STAFF_NAME,
        Column("事由", ("原因", "奖罚事由", "奖惩事由"), TEXT),
        Column("奖/罚", ("奖罚", "奖惩", "奖或罚", "奖/惩"), CHOICE, required=True, choices=(REWARD, PENALTY),
               synonyms={"奖励": REWARD, "奖惩:奖": REWARD, "罚款": PENALTY, "处罚": PENALTY, "扣": PENALTY}),
        Column("金额", ("奖罚金额", "奖惩金额"), MONEY, minimum=0),
        Column("分值", ("分数", "评分", "加减分"), NUMBER),
        Column("批准人", ("审批人", "批准", "审批"), TEXT),
        Column("关联订单/评价", ("关联订单", "关联评价", "订单号", "关联"), TEXT),
    ),
)

INCIDENTS = SheetKind(
    name="仓库事故",
    sheet_aliases=("事故", "事故登记", "仓库事故登记", "事故记录"),
    columns=(
        Column("日期", ("事故日期", "发生日期"), DATE, required=True),
        Column("订单号", ("关联订单", "订单编号"), ID),
        Column("责任人", ("责任工号",), TEXT),
        Column("经过", ("事故经过", "内容", "说明"), TEXT),
        Column("损失金额", ("损失",), MONEY, minimum=0),
    ),
)


def _text(d: pd.DataFrame, column: str) -> pd.Series:
    if column not in d:
        return pd.Series(None, index=d.index, dtype=object)
    s = d[column].astype("string").str.strip()
    return s.where(s != "")


def penalties(d: pd.DataFrame) -> pd.Series:
    return (d["奖/罚"] == PENALTY).fillna(False).astype(bool) if "奖/罚" in d else pd.Series(False, index=d.index)


def incident_rows(d: pd.DataFrame) -> pd.Series:
    """The penalties for a 仓库事故 (named in 事由)."""
    named = _text(d, "事由").str.contains(INCIDENT_WORD, regex=False).fillna(False).astype(bool)
    return penalties(d) & named


def in_month(d: pd.DataFrame, month: dt.date) -> pd.Series:
    start = pd.Timestamp(month)
    day = d["日期"] if "日期" in d else pd.Series(pd.NaT, index=d.index)
    return ((day >= start) & (day < start + pd.offsets.MonthBegin(1))).fillna(False).astype(bool)


# --- checks -----------------------------------------------------------------------------------
def check_penalty_range(t: Table, low: int, high: int):
    """A penalty whose 金额 (fen) is outside low–high (each in fen)."""
    d = t.data
    if "金额" not in d:
        return None
    amount = d["金额"]
    outside = penalties(d) & amount.notna() & ((amount < low) | (amount > high))
    return t.at(outside, "金额", "reward-penalty-out-of-range", low=f"{low / 100:g}", high=f"{high / 100:g}")


def check_parts(t: Table):
    """Every row says why (事由) and who approved it (批准人)."""
    d = t.data
    out = []
    for column, code in (("事由", "reward-reason-missing"), ("批准人", "reward-approver-missing")):
        missing = d.index.to_series().notna() & _text(d, column).isna()
        if "奖/罚" in d:
            missing &= d["奖/罚"].notna()
        out.append(t.at(missing, column if column in d else "奖/罚", code,
                        kind=d["奖/罚"].map(WORDS) if "奖/罚" in d else "奖罚"))
    return out


def check_incidents(t: Table, incidents: Table | None):
    """A 仓库事故 penalty without its incident on the 仓库事故 sheet (same 订单号, or the same day
    when it names no order)."""
    d = t.data
    wanted = incident_rows(d)
    if not wanted.any():
        return None
    orders: set = set()
    days: set = set()
    if incidents is not None:
        i = incidents.data
        orders = set(_text(i, "订单号").dropna())
        days = set(i["日期"].dropna().dt.normalize()) if "日期" in i else set()
    linked = _text(d, "关联订单/评价")
    day = d["日期"].dt.normalize() if "日期" in d else pd.Series(pd.NaT, index=d.index)
    found = linked.isin(orders).fillna(False).astype(bool) | (linked.isna() & day.isin(days))
    where = "没有「仓库事故」表" if incidents is None else "「仓库事故」表中没有对应的记录(同一订单号,或未写订单时同一天)"
    return t.at(wanted & ~found, "事由", "reward-incident-missing", where=where)


def _range_check(t: Table, rules: Rules, as_of: dt.datetime):
    from shopbook.rules.pay import load_pay_scheme
    scheme, _ = load_pay_scheme(rules)
    return check_penalty_range(t, int(scheme.penalty_min * 100), int(scheme.penalty_max * 100))


CHECKS = [_range_check, lambda t, rules, as_of: check_parts(t)]
