"""Event times that must come in order — 下单 ≤ 付款 ≤ 发货 ≤ 签收 ≤ 退货收货 — and none after the
as-of time. The checks themselves live in the sheet modules (orders, shipping, returns); these are
the comparisons they share.

A value without a time of day (a date, or exactly midnight) is compared by its day only: a parcel
registered on 10-09 may well have left after a payment at 10-09 09:30.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd


def has_time(times: pd.Series) -> pd.Series:
    """True where the value carries a time of day (not a bare date)."""
    return (times.notna() & (times != times.dt.normalize())).fillna(False).astype(bool)


def after_as_of(times: pd.Series, as_of: dt.datetime) -> tuple[pd.Series, pd.Series]:
    """Values after the as-of time, as two masks: on a later day (it has not happened: an error),
    and later on the as-of day itself (a sheet exported after the as-of time, or a clock ahead:
    a warning). A bare date is compared by its day only."""
    moment = pd.Timestamp(as_of)
    day = times.dt.normalize()
    later_day = day > moment.normalize()
    same_day = (day == moment.normalize()) & has_time(times) & (times > moment)
    return later_day.fillna(False).astype(bool), same_day.fillna(False).astype(bool)


def out_of_order(earlier: pd.Series, later: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Where `later` comes before `earlier`, as two masks: on an earlier day (impossible: an error),
    and on the same day by minutes when both carry a time (a clock or typing slip: a warning)."""
    both = earlier.notna() & later.notna()
    day_later, day_earlier = later.dt.normalize(), earlier.dt.normalize()
    day_before = both & (day_later < day_earlier)
    slip = both & (day_later == day_earlier) & has_time(earlier) & has_time(later) & (later < earlier)
    return day_before.fillna(False).astype(bool), slip.fillna(False).astype(bool)


def gap_text(earlier: pd.Series, later: pd.Series) -> pd.Series:
    """How much `later` comes before `earlier`, in words (3 分钟, 40 秒, 2 小时 5 分钟)."""
    def words(seconds):
        if pd.isna(seconds):
            return ""
        seconds = int(seconds)
        hours, rest = divmod(seconds, 3600)
        minutes, secs = divmod(rest, 60)
        if hours:
            return f"{hours} 小时 {minutes} 分钟" if minutes else f"{hours} 小时"
        return f"{minutes} 分钟" if minutes else f"{secs} 秒"
    return (earlier - later).dt.total_seconds().map(words)


def order_findings(table, earlier: str, later: str, code: str, field: str, here=None, **fields) -> list:
    """`later` before `earlier` in the same row, as findings on the `later` cell: `code` on an
    earlier day (naming the `earlier` time as {field}, with `fields`), time-order-slip by minutes
    on the same day. `here`: only these rows. The message fields are made for the flagged rows
    only (formatting every row's times cost a second at 200,000 rows)."""
    first, then = table.data[earlier], table.data[later]
    wrong_day, slip = out_of_order(first, then)
    if here is not None:
        wrong_day, slip = wrong_day & here, slip & here
    return [table.at(wrong_day, later, code, **{field: shown(first[wrong_day])}, **fields),
            table.at(slip, later, "time-order-slip", other_column=f"「{table.headers[earlier]}」",
                     other=shown(first[slip]), gap=gap_text(first[slip], then[slip]))]


def shown(times: pd.Series) -> pd.Series:
    """Times as a message shows them: 2026-10-09 14:30, or 2026-10-09 for a bare date."""
    timed = has_time(times)
    text = times.dt.strftime("%Y-%m-%d %H:%M").where(timed, times.dt.strftime("%Y-%m-%d"))
    return text.astype(object).where(times.notna(), None)


def typed(table, column: str) -> pd.Series:
    """Rows whose own cell in `column` is filled (not a blank line that took its order's value):
    a finding on the cell needs a cell to point at."""
    return table.raw[column].notna() if column in table.raw else pd.Series(False, index=table.data.index)


def future_findings(table, columns, as_of: dt.datetime) -> list:
    """For every filled cell of `columns` (those the sheet has) after the as-of time:
    date-in-future on a later day, time-after-as-of later on the as-of day."""
    out = []
    asof = as_of.strftime("%Y-%m-%d %H:%M")
    for column in columns:
        if column in table.data:
            times = table.data[column]
            later_day, same_day = after_as_of(times, as_of)
            here = typed(table, column)
            same_day &= here
            moment = pd.Series(pd.Timestamp(as_of), index=times.index[same_day])
            out.append(table.at(here & later_day, column, "date-in-future", asof=asof))
            out.append(table.at(same_day, column, "time-after-as-of", asof=asof,
                                gap=gap_text(times[same_day], moment)))
    return out
