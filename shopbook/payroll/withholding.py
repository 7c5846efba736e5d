"""The withholding steps: 年终奖 method, 社保, 公积金, 个税 (累计预扣法) and the 年终奖's own tax, with
both ways of taxing the 年终奖 side by side."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from shopbook.core import findings as fnd
from shopbook.payroll import tax
from shopbook.payroll.carried import _tax_carried
from shopbook.payroll.deductions import special_deduction
from shopbook.core.months import month_label, months_employed_before
from shopbook.payroll.sheets import MERGED, SEPARATE
from shopbook.payroll.slip import Context, Slip, _money, _money_at, _pct, _value, _who, cell_finding
from shopbook.payroll.tax import ZERO, fen
from shopbook.rules.cities import YUAN, standard_for
from shopbook.rules.pay import _num, to_rate


def annual_bonus_method(slip: Slip, ctx: Context) -> None:
    """全年一次性奖金: taxed on its own once a year while the regime lasts; else merged into this
    month's wages. The person's 年终奖计税方式 (绩效) decides; blank takes the run's default
    (--merge-bonus: merged for everyone)."""
    amount = _money_at(ctx.tables.performance, ctx.performance.get(slip.id), "年终奖")
    if not amount:
        return
    slip.annual_bonus = amount
    used = _tax_carried(ctx, slip.id).get("bonus_used")
    chosen = _value(ctx.tables.performance, ctx.performance.get(slip.id), "年终奖计税方式")
    if chosen == MERGED:
        slip.annual_bonus_method = MERGED
        slip.notes.append(f"年终奖 {_money(amount)} 并入本月工资计税(本人选择并入工资)")
    elif ctx.merge_bonus and chosen != SEPARATE:
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


SCHEMES = (("pension", "养老", "养老基数"), ("medical", "医疗", "医疗基数"), ("unemployment", "失业", "失业基数"))


def social_insurance(slip: Slip, ctx: Context) -> None:
    """养老 8%, 医疗 2%, 失业 0.5% of 社保基数 (clamped only when the scheme gives bounds),
    each rounded once. A scheme's own base (养老基数 …) or bounds, where given, replace 社保基数's."""
    s = ctx.scheme
    emp = ctx.tables.employees
    given = _money_at(emp, slip.row, "社保基数")
    own = {key: _money_at(emp, slip.row, column) for key, _, column in SCHEMES}
    if any(v is not None for v in own.values()) or any(s.bounds(key) != (s.social_floor, s.social_ceiling)
                                                       for key, _, _ in SCHEMES):
        _social_insurance_per_scheme(slip, ctx, given, own)
        return
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


def _social_insurance_per_scheme(slip: Slip, ctx: Context, given: Decimal | None, own: dict) -> None:
    """社保 when the schemes' bases or bounds differ: each scheme on its own base, each rounded once."""
    s = ctx.scheme
    parts = []
    for key, label, _ in SCHEMES:
        written = own[key] if own[key] is not None else given
        if written is None:
            continue
        base = _clamp(written, *s.bounds(key))
        rate = getattr(s, f"{key}_rate")
        amount = fen(base * rate)
        setattr(slip, key, amount)
        clamp = f"(基数 {_num(written)} 按{'下限' if base > written else '上限'})" if base != written else ""
        parts.append(f"{label} {_num(base)} × {_pct(rate)} = {_money(amount)}{clamp}")
    slip.social_insurance = slip.pension + slip.medical + slip.unemployment
    if slip.social_insurance:
        slip.notes.append(f"社保 = {';'.join(parts)};合计 {_money(slip.social_insurance)}")


def housing_fund(slip: Slip, ctx: Context) -> None:
    """公积金 = 公积金基数, else 社保基数 (clamped only when the scheme gives bounds) × the person's
    公积金比例; rounded to the fen, or to the yuan where the city's rule says so (城市标准)."""
    emp, s = ctx.tables.employees, ctx.scheme
    given = _money_at(emp, slip.row, "公积金基数")
    if given is None:
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
    standard = standard_for(s.cities, s.city, ctx.month)
    rounded = ""
    if standard is not None and standard.fund_rounding == YUAN:
        exact = slip.housing_fund
        slip.housing_fund = fen((base * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if exact != slip.housing_fund:
            rounded = f" → {_money(slip.housing_fund)}({standard.city}公积金四舍五入到元)"
    if slip.housing_fund:
        shown = _money(slip.housing_fund) if not rounded else _money(fen(base * rate)) + rounded
        slip.notes.append(f"公积金 = {_num(base)} × {_pct(rate)} = {shown}")


def income_tax(slip: Slip, ctx: Context) -> None:
    """累计预扣法: taxable YTD = (累计收入 + 应发) − 5000 × (累计月数 + 1) − (累计专项扣除 +
    社保 + 公积金) − (累计专项附加扣除 + 专项附加扣除); tax YTD by the annual table; this
    month = tax YTD − 累计已预扣税额, never below 0."""
    emp = ctx.tables.employees
    slip.special_deduction = special_deduction(slip, ctx)
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
    first_wage = _value(emp, slip.row, "本年首次取得工资") == "是"
    low_income = _low_income(slip, ctx, joined)
    allowance = tax.allowance(ctx.month.month, months + 1, first_wage_of_year=first_wage, low_income=low_income)
    special = carried["special"] + slip.social_insurance + slip.housing_fund
    additional = carried["additional"] + slip.special_deduction
    taxable = income - allowance - special - additional
    tax_ytd, row = tax.cumulative_tax(taxable)
    slip.iit = max(ZERO, tax_ytd - carried["withheld"])
    slip.taxable_ytd, slip.withheld_before = taxable, carried["withheld"]
    if low_income:
        deducted = f"{_num(allowance)}(上年工资不超过 6 万元,自 1 月起按全年扣除,2020年第19号公告)"
    elif allowance != tax.MONTHLY_ALLOWANCE * (months + 1):
        deducted = (f"{_num(tax.MONTHLY_ALLOWANCE)} × {ctx.month.month}(本年首次取得工资,自 1 月起算,"
                    f"2020年第13号公告)")
    else:
        deducted = f"{_num(tax.MONTHLY_ALLOWANCE)} × {months + 1}"
    head = (f"个税(累计预扣):应纳税所得 = 累计收入 {_money(income)} − 减除费用 {deducted}"
            f" − 专项扣除 {_money(special)} − 专项附加扣除 {_money(additional)} = {_money(taxable)}")
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


def _low_income(slip: Slip, ctx: Context, joined) -> bool:
    """2020年第19号 applies: 上年工资不超过6万 is 是 and the person was here all of last year (joined
    by last January); a 是 for someone who joined later is a warning and not applied."""
    if _value(ctx.tables.employees, slip.row, "上年工资不超过6万") != "是":
        return False
    if joined is not None and joined.date() > dt.date(ctx.month.year - 1, 1, 31):
        ctx.add(cell_finding(ctx.tables.employees, slip.row, "上年工资不超过6万", "low-income-allowance-ineligible",
                             joined=joined.date().isoformat(), **_who(slip)), slip)
        return False
    return True


def annual_bonus_tax(slip: Slip, ctx: Context) -> None:
    """年终奖 taxed on its own: rate from 年终奖 ÷ 12 (monthly table), tax = 年终奖 × rate −
    that row's quick deduction."""
    if slip.annual_bonus_method == SEPARATE:
        slip.annual_bonus_tax, row = tax.annual_bonus_tax(slip.annual_bonus)
        slip.notes.append(f"年终奖 {_money(slip.annual_bonus)} 单独计税:÷ 12 = {_money(fen(slip.annual_bonus / 12))} → "
                          f"{row.percent},税 = {_num(slip.annual_bonus)} × {row.percent} − {_num(row.quick)}"
                          f" = {_money(slip.annual_bonus_tax)}")
    compare_bonus_methods(slip, ctx)


def compare_bonus_methods(slip: Slip, ctx: Context) -> None:
    """Both ways of taxing this month's 年终奖, for finance to choose: slip.bonus_taxes = (this
    month's 个税 + 年终奖个税 when taxed on its own, or None when that is not open to the person;
    the same when merged into this month's wages)."""
    bonus = slip.annual_bonus
    if not bonus:
        return
    if slip.annual_bonus_method == SEPARATE:
        merged_ytd, _ = tax.cumulative_tax(slip.taxable_ytd + bonus)
        slip.bonus_taxes = (slip.iit + slip.annual_bonus_tax, max(ZERO, merged_ytd - slip.withheld_before))
        return
    used = _tax_carried(ctx, slip.id).get("bonus_used")
    if used or not tax.annual_bonus_allowed(ctx.month):
        slip.bonus_taxes = (None, slip.iit)
        return
    wages_ytd, _ = tax.cumulative_tax(slip.taxable_ytd - bonus)
    slip.bonus_taxes = (max(ZERO, wages_ytd - slip.withheld_before) + tax.annual_bonus_tax(bonus)[0], slip.iit)
