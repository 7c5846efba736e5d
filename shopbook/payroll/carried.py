"""Figures carried over from earlier months: 个税累计 and 责任金台账 — which month they are stamped
with, whether they carry into this month, and next month's rows."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from shopbook.reading.cells import DATE_MAX, DATE_MIN
from shopbook.core import findings as fnd
from shopbook.core.months import month_label, month_title, previous_month, quarter_label
from shopbook.payroll.sheets import PayrollTables
from shopbook.payroll.slip import Context, Slip, _count_at, _money_at, _value
from shopbook.payroll.tax import ZERO
from shopbook.core.errors import UnusableInput
from shopbook.reading.tables import Table


def _tax_carried(ctx: Context, person: str) -> dict:
    """The person's 个税累计 figures carried into this month (zeros when none apply)."""
    table, row = ctx.tables.tax_ytd, ctx.tax_rows.get(person)
    if not ctx.tax_applies or row is None:
        return {"months": 0, "income": ZERO, "special": ZERO, "additional": ZERO, "withheld": ZERO,
                "bonus_used": None, "found": False}
    return {
        "months": _count_at(table, row, "累计月数"),
        "income": _money_at(table, row, "累计收入") or ZERO,
        "special": _money_at(table, row, "累计专项扣除") or ZERO,
        "additional": _money_at(table, row, "累计专项附加扣除") or ZERO,
        "withheld": _money_at(table, row, "累计已预扣税额") or ZERO,
        "bonus_used": _value(table, row, "年终奖单独计税"),
        "found": True,
    }


# --- carried sheets (个税累计, 责任金台账) ----------------------------------------------------
def _stamps(table: Table) -> list[tuple[int, int]]:
    if "年份" not in table.data or "截至月份" not in table.data:
        return []
    both = table.data[["年份", "截至月份"]].dropna()
    # a year outside the range every date column accepts is no stamp (the sheet counts as unstamped)
    return sorted({(int(y), int(m)) for y, m in both.itertuples(index=False)
                   if 1 <= int(m) <= 12 and DATE_MIN.year <= int(y) <= DATE_MAX.year})


def workbook_month(tables: PayrollTables) -> dt.date | None:
    """The month a payroll workbook is for: the one after the latest 年份/截至月份 stamp of its
    个税累计/责任金台账 (they hold the months already paid); None when neither is stamped."""
    stamps = [stamp for table in (tables.tax_ytd, tables.duty_ledger) if table is not None
              for stamp in _stamps(table)]
    if not stamps:
        return None
    year, month = max(stamps)
    return dt.date(year + month // 12, month % 12 + 1, 1)


def _stamp_label(stamp: tuple[int, int]) -> str:
    return month_title(dt.date(stamp[0], stamp[1], 1))


def carried_applies(table: Table | None, month: dt.date, resets_in_january: bool, ctx: Context,
                    gap_code: str) -> bool:
    """Whether a carried sheet's figures carry into `month`; refuses (UnusableInput) when the
    sheet already holds this month or a later one."""
    if table is None or not len(table.data):
        return False
    stamps = _stamps(table)
    prev = previous_month(month)
    if not stamps:
        if resets_in_january and month.month == 1:
            ctx.add(fnd.sheet_level(table.sheet, "tax-ytd-new-year", column="年份", stamp="未标注年月的数据",
                                    year=month.year))
            return False
        ctx.add(fnd.sheet_level(table.sheet, "carried-unstamped", column="年份", sheet_name=table.sheet,
                                previous=month_label(prev)))
        return True
    latest = stamps[-1]
    if latest >= (month.year, month.month):
        raise UnusableInput(
            f"「{table.sheet}」已经是 {_stamp_label(latest)} 的结果,不能再计算 {month_label(month)} 的工资"
            f"(同一个月不能应用两次)。要重算本月,请使用计算本月之前的工作簿(其中的{table.sheet}截至 "
            f"{prev.year} 年 {prev.month} 月)。")
    if resets_in_january and latest[0] < month.year:
        if month.month > 1:
            ctx.add(fnd.sheet_level(table.sheet, gap_code, column="截至月份", sheet_name=table.sheet,
                                    stamp=_stamp_label(latest), missing=f"{month.year} 年 1–{month.month - 1} 月"))
        else:
            ctx.add(fnd.sheet_level(table.sheet, "tax-ytd-new-year", column="年份", stamp=_stamp_label(latest),
                                    year=month.year))
        return False
    if latest < (prev.year, prev.month):
        nxt = dt.date(latest[0] + latest[1] // 12, latest[1] % 12 + 1, 1)
        span = month_label(nxt) if nxt == prev else f"{month_label(nxt)} 至 {month_label(prev)}"
        ctx.add(fnd.sheet_level(table.sheet, gap_code, column="截至月份", sheet_name=table.sheet,
                                stamp=_stamp_label(latest), missing=span))
    return True


TAX_YTD_COLUMNS = ["工号", "姓名", "身份证号", "累计月数", "累计收入", "累计专项扣除", "累计专项附加扣除",
                   "累计已预扣税额", "年终奖单独计税", "年份", "截至月份"]
LEDGER_COLUMNS = ["工号", "姓名", "季度", "本季已记月数", "无事故月数", "累计责任金", "年份", "截至月份", "说明"]


def _next_tax_ytd(slips: list[Slip], ctx: Context) -> pd.DataFrame:
    """Next month's 个税累计: this month's people plus carried rows of people not paid now
    (unchanged), every row stamped with this year and month."""
    stamp = [ctx.month.year, ctx.month.month]
    rows = []
    for s in slips:
        y = s.ytd_next
        rows.append([s.id, s.name, s.id_card, y["months"], y["income"], y["special"], y["additional"],
                     y["withheld"], y["bonus_used"], *stamp])
    table = ctx.tables.tax_ytd
    if table is not None and ctx.tax_applies:
        paid = {s.id for s in slips}
        for person, row in ctx.tax_rows.items():
            if person in paid:
                continue
            rows.append([person, _value(table, row, "姓名"), _value(table, row, "身份证号"),
                         _count_at(table, row, "累计月数"),
                         *[_money_at(table, row, c) or ZERO for c in ("累计收入", "累计专项扣除", "累计专项附加扣除",
                                                                      "累计已预扣税额")],
                         _value(table, row, "年终奖单独计税"), *stamp])
    return pd.DataFrame(rows, columns=TAX_YTD_COLUMNS, dtype=object)


def _next_ledger(slips: list[Slip], ctx: Context) -> pd.DataFrame:
    stamp = [ctx.month.year, ctx.month.month]
    rows = []
    for s in slips:
        d = s.duty_next
        if d is not None:
            rows.append([s.id, s.name, quarter_label(ctx.month), d["months"], d["free"], d["balance"], *stamp, d["note"]])
    table = ctx.tables.duty_ledger
    if table is not None and ctx.ledger_applies:
        paid = {s.id for s in slips}
        for person, row in ctx.ledger_rows.items():
            balance = _money_at(table, row, "累计责任金") or ZERO
            if person in paid or not balance:
                continue
            rows.append([person, _value(table, row, "姓名"), _value(table, row, "季度"),
                         _count_at(table, row, "本季已记月数"), _count_at(table, row, "无事故月数"), balance, *stamp,
                         "本月未发工资,余额保留"])
    return pd.DataFrame(rows, columns=LEDGER_COLUMNS, dtype=object)
