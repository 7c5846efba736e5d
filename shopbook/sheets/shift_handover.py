"""交接班 — the shift handover register: what one shift hands to the next (seed 002 第 9 条:
中差评 not finished on a shift are handed over; the warehouse writes its 交接本 too).

Its sheet may be called 交接, like the courier handover sheet (快递交接): which one a sheet is
comes from its headers — this one has 班次/交出人/接手人/事项 (SheetKind.signature).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from shopbook.reading.schema import DATE, DATETIME, ID, TEXT, Column, SheetKind
from shopbook.reading.tables import Table
from shopbook.rules import Rules

DONE = ("已处理", "已完成", "完成", "已解决", "已办")

HANDOVER = SheetKind(
    name="交接班",
    sheet_aliases=("交接", "交接记录", "交接班记录", "交班记录", "交接本", "handover"),
    signature=("班次", "交出人", "接手人", "事项"),
    columns=(
        # 交接日期/关联订单 rather than 日期/订单号: with a 状态 column those would make the sheet
        # look like 退换货 (both spellings are accepted here)
        Column("交接日期", ("日期", "交班日期"), DATE, required=True),
        Column("班次", ("交班班次",), TEXT),
        Column("交出人", ("交班人", "交出"), TEXT, required=True),
        Column("接手人", ("接班人", "接收人", "接手"), TEXT),
        Column("事项", ("交接事项", "事由", "待办事项", "未完成事项", "内容"), TEXT, required=True),
        Column("关联订单", ("关联订单/评价", "关联订单号", "订单号", "订单编号"), ID),
        Column("状态", ("处理状态", "进度"), TEXT),
        Column("接手时间", ("接班时间",), DATETIME),
    ),
)


def done(d: pd.DataFrame) -> pd.Series:
    if "状态" not in d:
        return pd.Series(False, index=d.index)
    return d["状态"].astype("string").str.contains("|".join(DONE), regex=True).fillna(False).astype(bool)


def untaken(d: pd.DataFrame) -> pd.Series:
    """Items nobody has taken over yet (no 接手人) that are not marked done."""
    taker = d["接手人"] if "接手人" in d else pd.Series(None, index=d.index, dtype=object)
    return taker.isna() & ~done(d)


def shift_index(d: pd.DataFrame, rules: Rules) -> pd.Series:
    """The row's shift as an index into rules.shifts; a blank or unknown 班次 counts as the day's
    last shift (its items are due at the next morning's shift)."""
    names = {s.name: i for i, s in enumerate(rules.shifts)}
    last = len(rules.shifts) - 1
    if "班次" not in d:
        return pd.Series(last, index=d.index)
    return d["班次"].map(lambda v: names.get(v, last)).astype(int)


def shift_start(days: pd.Series, index: pd.Series, rules: Rules, later: int = 0) -> pd.Series:
    """The start of the shift `later` shifts after (day, shift index): 0 = that shift itself,
    1 = the shift that takes over from it, 2 = the one after."""
    n = len(rules.shifts)
    position = (index + later).to_numpy()
    seconds = np.array([s.start.hour * 3600 + s.start.minute * 60 for s in rules.shifts])[position % n]
    offset = pd.to_timedelta(position // n * 86400 + seconds, unit="s")
    return days.dt.normalize() + pd.Series(offset, index=days.index)


def current_shift(as_of: dt.datetime, rules: Rules) -> tuple[dt.date, str]:
    """The shift on duty at as_of: (its day, its name); before the first shift of a day, the
    previous day's last shift."""
    day = as_of.date()
    on = [s for s in rules.shifts if s.start <= as_of.time()]
    if on:
        return day, on[-1].name
    return day - dt.timedelta(days=1), rules.shifts[-1].name


# --- checks -----------------------------------------------------------------------------------
def check_not_taken(t: Table, rules: Rules, as_of: dt.datetime):
    """An item nobody took over though the shift it was handed to is over."""
    d = t.data
    if "交接日期" not in d:
        return None
    over = shift_start(d["交接日期"], shift_index(d, rules), rules, later=2) <= pd.Timestamp(as_of)
    late = (untaken(d) & over.fillna(False)).astype(bool)
    return t.at(late, "接手人" if "接手人" in d else "事项", "handover-not-taken",
                day=d["交接日期"].dt.strftime("%Y-%m-%d"), shift=d.get("班次"), giver=d.get("交出人"),
                item=d.get("事项"))


def check_shift(t: Table, rules: Rules, as_of: dt.datetime):
    """A 班次 that is not one of the rules' shifts."""
    d = t.data
    if "班次" not in d:
        return None
    names = [s.name for s in rules.shifts]
    unknown = d["班次"].notna() & ~d["班次"].isin(names)
    return t.at(unknown, "班次", "handover-shift-unknown", shifts="、".join(names))


CHECKS = [check_not_taken, check_shift]
