"""The month's 绩效 figures counted from the shop's own records, for payroll (pure: tables in, a
long table out): 拣货单数 from the 拣货批次 record (by 拣货人), 发货单数 from the shipping register
(by 包装人), 个人销售额 from the orders as the monthly report attributes them (by 客服), and the 客服
counts (差评数, 差评改好数, 催评数, 投诉处理数) of shopbook.today's 客服绩效.

`derived_counts(tables, rules, month, where)` → 姓名, 项目 (a 绩效 column), 数量 (int; 个人销售额 a
Decimal in yuan), 来源 (the file, sheet and — for picks — the batches, for the 说明). A record
without a name counts as (未填): the totals stay whole and payroll says what it could not place.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from shopbook.today.day import TodayTables

COLUMNS = ["姓名", "项目", "数量", "来源"]
NO_NAME = "(未填)"
PICKS, PACKS, SALES = "拣货单数", "发货单数", "个人销售额"
PACK_COLUMNS = ("发货日期", "快递单号", "包装人")  # the 发货 columns pack_counts reads
SERVICE_SOURCES = {"差评数": "reviews", "差评改好数": "reviews", "催评数": "contacts", "投诉处理数": "complaints"}


def col(d: pd.DataFrame, name: str) -> pd.Series:
    return d[name] if name in d else pd.Series(None, index=d.index, dtype=object)


def _in_month(values: pd.Series, month: dt.date) -> pd.Series:
    start = pd.Timestamp(month)
    end = start + pd.offsets.MonthBegin(1)
    values = pd.to_datetime(values, errors="coerce")
    return ((values >= start) & (values < end)).fillna(False).astype(bool)


def _name(values: pd.Series) -> pd.Series:
    text = values.astype(object).where(values.notna(), None).map(lambda v: str(v).strip() if v is not None else "")
    return text.where(text != "", NO_NAME)


def batch_span(batches: list[str]) -> str:
    """The batch numbers for the 说明: all of up to three, else the first … the last and how many."""
    batches = sorted(dict.fromkeys(batches))
    if len(batches) <= 3:
        return "、".join(batches)
    return f"{batches[0]}…{batches[-1]} 共 {len(batches)} 批"


def pick_counts(records: pd.DataFrame, month: dt.date, where: str = "拣货批次") -> pd.DataFrame:
    """拣货单数 per 拣货人: the orders of the batches picked in the month, each (batch, order) once.
    A line without 拣货人 takes its batch's name when the batch has exactly one; else (未填)."""
    if records is None or not len(records) or "拣货时间" not in records:
        return pd.DataFrame(columns=COLUMNS)
    d = records[_in_month(records["拣货时间"], month)]
    d = d.assign(_who=_name(col(d, "拣货人")))
    named = d[d["_who"] != NO_NAME]
    single = named.groupby("批次号")["_who"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else None).dropna()
    blank = d["_who"] == NO_NAME
    d.loc[blank, "_who"] = [single.get(b, NO_NAME) for b in d.loc[blank, "批次号"]]
    d = d.drop_duplicates(["批次号", "订单号"])
    rows = [(who, PICKS, int(len(g)), f"{where} {batch_span(list(g['批次号']))}")
            for who, g in d.groupby("_who", sort=True)]
    return pd.DataFrame(rows, columns=COLUMNS)


def pack_counts(shipping, month: dt.date, where: str = "发货表") -> pd.DataFrame:
    """发货单数 per 包装人: the parcels of the shipping register sent (发货日期) in the month, a
    waybill on several rows once (a row without a 快递单号 is a parcel of its own)."""
    if shipping is None or "包装人" not in shipping.data or "发货日期" not in shipping.data:
        return pd.DataFrame(columns=COLUMNS)
    d = shipping.data[_in_month(shipping.data["发货日期"], month)]
    waybill = col(d, "快递单号")
    d = d[~(waybill.notna() & waybill.duplicated())]
    counts = _name(d["包装人"]).value_counts().sort_index()
    return pd.DataFrame([(who, PACKS, int(n), f"{where} 包装人") for who, n in counts.items()], columns=COLUMNS)


def sales_figures(orders, rules, month: dt.date, where: str = "订单表") -> pd.DataFrame:
    """个人销售额 per 客服 (yuan), the month's orders attributed as the monthly report's 客服业绩
    (shopbook.monthly.job.agent_sales); 公共订单 is nobody's."""
    from shopbook.monthly.job import agent_sales

    if orders is None:
        return pd.DataFrame(columns=COLUMNS)
    sales = agent_sales(orders, rules, month)
    return pd.DataFrame([(str(who), SALES, Decimal(int(fen)) / 100, f"{where},按月报的客服归属")
                         for who, fen in sales.sort_index().items()], columns=COLUMNS)


def service_counts(tables: "TodayTables", rules, month: dt.date, where: dict) -> pd.DataFrame:
    """差评数, 差评改好数, 催评数, 投诉处理数 per person (shopbook.today's 客服绩效)."""
    from shopbook.today.job import pay_counts

    wide = pay_counts(tables, rules, month)
    long = wide.melt(id_vars=["月份", "客服"], var_name="项目", value_name="数量")
    long["来源"] = long["项目"].map(lambda item: where.get(SERVICE_SOURCES.get(item), ""))
    long["数量"] = long["数量"].astype(int)
    return long.rename(columns={"客服": "姓名"})[COLUMNS]


def derived_counts(tables: "TodayTables", rules, month: dt.date, where: dict | None = None) -> pd.DataFrame:
    """Every figure the records give for the month, long form (COLUMNS). `where` names each
    table's source for the 说明 (TodayTables attribute -> e.g. "台账.xlsx 发货表")."""
    where = where or {}
    frames = [service_counts(tables, rules, month, where),
              pick_counts(tables.batches, month, where.get("batches", "拣货批次")),
              pack_counts(tables.shipping, month, where.get("shipping", "发货表")),
              sales_figures(tables.orders, rules, month, where.get("orders", "订单表"))]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
