"""The withholding steps: 年终奖 method, 社保, 公积金, 个税 (累计预扣法) and the 年终奖's own tax."""
from __future__ import annotations

from decimal import Decimal

from shopbook.core import findings as fnd
from shopbook.payroll import tax
from shopbook.payroll.carried import _tax_carried
from shopbook.payroll.months import month_label, months_employed_before
from shopbook.payroll.slip import (MERGED, SEPARATE, Context, Slip, _money, _money_at, _pct, _value, _who,
                                   cell_finding)
from shopbook.payroll.tax import ZERO, fen
from shopbook.rules.pay import _num, to_rate


def annual_bonus_method(slip: Slip, ctx: Context) -> None:
    """全年一次性奖金: taxed on its own once a year while the regime lasts; else (or with
    --merge-bonus) merged into this month's wages."""
    amount = _money_at(ctx.tables.performance, ctx.performance.get(slip.id), "年终奖")
    if not amount:
        return
    slip.annual_bonus = amount
    used = _tax_carried(ctx, slip.id).get("bonus_used")
    if ctx.merge_bonus:
        slip.annual_bonus_method = MERGED
        slip.notes.append(f"年终奖 {_money(amount)} 并入本月工资计税(本次选择合并计税)")
    elif not tax.annual_bonus_allowed(ctx.month):
        slip.annual_bonus_method = MERGED
        if ctx.once("annual-bonus-expired"):
            ctx.add(fnd.sheet_level(ctx.tables.performance.sheet, "annual-bonus-expired", column="年终奖",
                                    until=tax.ANNUAL_BONUS_SEPARATE_UNTIL.isoformat(), month=month_label(ctx.month)))
        slip.notes.append(f"年终奖 {_money(amount)} 并入本月工资计税(单独计税政策已到期)")
    elif used:
        slip.annual_bonus_method = MERGED
        ctx.add(cell_finding(ctx.tables.performance, ctx.performance[slip.id], "年终奖", "annual-bonus-already-used",
                             used=used, **_who(slip)), slip)
        slip.notes.append(f"年终奖 {_money(amount)} 并入本月工资计税(本年已在 {used} 单独计税过)")
    else:
        slip.annual_bonus_method = SEPARATE


def _clamp(value: Decimal, floor: Decimal | None, ceiling: Decimal | None) -> Decimal:
    if floor is not None and value < floor:
        return floor
    if ceiling is not None and value > ceiling:
        return ceiling
    return value


def social_insurance(slip: Slip, ctx: Context) -> None:
    """养老 8%, 医疗 2%, 失业 0.5% of 社保基数 (clamped only when the scheme gives bounds),
    each rounded once."""
    s = ctx.scheme
    given = _money_at(ctx.tables.employees, slip.row, "社保基数")
    if given is None:
        return
    base = _clamp(given, s.social_floor, s.social_ceiling)
    clamp_note = f"(社保基数 {_num(given)} 按{'下限' if base > given else '上限'} {_num(base)})" if base != given else ""
    slip.pension, slip.medical, slip.unemployment = (fen(base * s.pension_rate), fen(base * s.medical_rate),
                                                      fen(base * s.unemployment_rate))
    slip.social_insurance = slip.pension + slip.medical + slip.unemployment
    if slip.social_insurance:
        slip.notes.append(
            f"社保 = {_num(base)} × ({_pct(s.pension_rate)} + {_pct(s.medical_rate)} + {_pct(s.unemployment_rate)})"
            f" = {_money(slip.pension)} + {_money(slip.medical)} + {_money(slip.unemployment)}"
            f" = {_money(slip.social_insurance)}{clamp_note}")


def housing_fund(slip: Slip, ctx: Context) -> None:
    """公积金 = 社保基数 (clamped only when the scheme gives bounds) × the person's 公积金比例."""
    emp, s = ctx.tables.employees, ctx.scheme
    given = _money_at(emp, slip.row, "社保基数")
    written = _value(emp, slip.row, "公积金比例")
    if given is None or written is None:
        return
    try:
        rate = to_rate(written)
        if rate > Decimal("0.12"):
            raise ValueError("超过 12%")
    except ValueError as exc:
        ctx.add(cell_finding(emp, slip.row, "公积金比例", "housing-fund-rate-invalid", reason=str(exc)), slip)
        return
    base = _clamp(given, s.fund_floor, s.fund_ceiling)
    slip.housing_fund = fen(base * rate)
    if slip.housing_fund:
        slip.notes.append(f"公积金 = {_num(base)} × {_pct(rate)} = {_money(slip.housing_fund)}")


def income_tax(slip: Slip, ctx: Context) -> None:
    """累计预扣法: taxable YTD = (累计收入 + 应发) − 5000 × (累计月数 + 1) − (累计专项扣除 +
    社保 + 公积金) − (累计专项附加扣除 + 专项附加扣除); tax YTD by the annual table; this
    month = tax YTD − 累计已预扣税额, never below 0."""
    emp = ctx.tables.employees
    slip.special_deduction = _money_at(emp, slip.row, "专项附加扣除") or ZERO
    carried = _tax_carried(ctx, slip.id)
    joined = _value(emp, slip.row, "入职日期")
    expected = months_employed_before(joined.date() if joined is not None else None, ctx.month)
    if ctx.month.month > 1 and ctx.tax_applies and not carried["found"] and expected != 0:
        ctx.add(cell_finding(emp, slip.row, "工号", "tax-ytd-missing",
                             joined=joined.date().isoformat() if joined is not None else "(未填入职日期)",
                             **_who(slip)), slip)
    months = carried["months"]
    if months is None:  # a carried row without 累计月数: counted from joining
        months = expected or 0
    elif expected is not None and months != expected and carried["found"]:
        ctx.add(cell_finding(ctx.tables.tax_ytd, ctx.tax_rows[slip.id], "累计月数", "tax-months-mismatch",
                             joined=joined.date().isoformat(), expected=expected), slip)
    income = carried["income"] + slip.gross
    allowance = tax.MONTHLY_ALLOWANCE * (months + 1)
    special = carried["special"] + slip.social_insurance + slip.housing_fund
    additional = carried["additional"] + slip.special_deduction
    taxable = income - allowance - special - additional
    tax_ytd, row = tax.cumulative_tax(taxable)
    slip.iit = max(ZERO, tax_ytd - carried["withheld"])
    head = (f"个税(累计预扣):应纳税所得 = 累计收入 {_money(income)} − 减除费用 {_num(tax.MONTHLY_ALLOWANCE)} × "
            f"{months + 1} − 专项扣除 {_money(special)} − 专项附加扣除 {_money(additional)} = {_money(taxable)}")
    if row is None:
        slip.notes.append(f"{head} ≤ 0,个税 0")
    else:
        clamp = "(已预扣更多,不退税,按 0)" if tax_ytd < carried["withheld"] else ""
        slip.notes.append(f"{head};累计税额 = {_money(taxable)} × {row.percent} − {_num(row.quick)} = {_money(tax_ytd)};"
                          f"本月 = {_money(tax_ytd)} − 已预扣 {_money(carried['withheld'])} = {_money(slip.iit)}{clamp}")
    bonus_used = carried["bonus_used"]
    if slip.annual_bonus_method == SEPARATE:
        bonus_used = month_label(ctx.month)
    slip.ytd_next = {"months": months + 1, "income": income, "special": special, "additional": additional,
                     "withheld": carried["withheld"] + slip.iit, "bonus_used": bonus_used}


def annual_bonus_tax(slip: Slip, ctx: Context) -> None:
    """年终奖 taxed on its own: rate from 年终奖 ÷ 12 (monthly table), tax = 年终奖 × rate −
    that row's quick deduction."""
    if slip.annual_bonus_method != SEPARATE:
        return
    slip.annual_bonus_tax, row = tax.annual_bonus_tax(slip.annual_bonus)
    slip.notes.append(f"年终奖 {_money(slip.annual_bonus)} 单独计税:÷ 12 = {_money(fen(slip.annual_bonus / 12))} → "
                      f"{row.percent},税 = {_num(slip.annual_bonus)} × {row.percent} − {_num(row.quick)}"
                      f" = {_money(slip.annual_bonus_tax)}")
