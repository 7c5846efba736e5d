"""The minimum-wage check (《最低工资规定》; the city's standard in 城市标准): this month's pay for
normal work — 应发 without a merged 年终奖, less the employee's own 社保 and 公积金 where the city
excludes them — below the city's monthly minimum is a warning. For part of a month (实出勤 below
应出勤) the minimum is taken pro rata. No city set: no check."""
from __future__ import annotations

from shopbook.payroll.sheets import MERGED
from shopbook.payroll.slip import Context, Slip, _money, _who, cell_finding
from shopbook.payroll.tax import ZERO, fen
from shopbook.rules.cities import standard_for
from shopbook.rules.pay import _num


def minimum_wage(slip: Slip, ctx: Context) -> None:
    standard = standard_for(ctx.scheme.cities, ctx.scheme.city, ctx.month)
    if standard is None:
        return
    wage = slip.gross - (slip.annual_bonus if slip.annual_bonus_method == MERGED else ZERO)
    compared = "应发"
    if standard.minimum_net_of_contributions:
        wage -= slip.social_insurance + slip.housing_fund
        compared = "应发减个人社保公积金后"
    minimum, how = standard.minimum_wage, ""
    if slip.expected_days and slip.actual_days is not None and slip.actual_days < slip.expected_days:
        minimum = fen(standard.minimum_wage * slip.actual_days / slip.expected_days)
        how = (f"({_num(standard.minimum_wage)} × 实出勤 {_num(slip.actual_days)} ÷ 应出勤 "
               f"{_num(slip.expected_days)} 天)")
    if wage < minimum:
        ctx.add(cell_finding(ctx.tables.employees, slip.row, "工号", "minimum-wage-below", compared=compared,
                             wage=_money(wage), city=standard.city, minimum=_money(minimum), how=how,
                             **_who(slip)), slip)
