"""专项附加扣除 by category: the 员工 sheet's 子女教育, 婴幼儿照护, 赡养老人, 住房贷款利息, 住房租金,
继续教育 (per month, as the 个税 app reports them) checked against the 2023 standards
(shopbook.payroll.tax); 大病医疗 waits for the annual settlement. A typed amount above its standard
is a finding and only the standard is deducted; 住房租金 and 住房贷款利息 together are an error and
neither is deducted. Without category columns the 专项附加扣除 total is used as typed."""
from __future__ import annotations

from decimal import Decimal

from shopbook.payroll import tax
from shopbook.payroll.slip import Context, Slip, _money, _money_at, _value, _who, cell_finding
from shopbook.payroll.tax import ZERO
from shopbook.rules.cities import standard_for
from shopbook.rules.pay import _num

ITEMS = (*tax.MONTHLY_ITEMS, tax.SERIOUS_ILLNESS)


def special_deduction(slip: Slip, ctx: Context) -> Decimal:
    """This month's 专项附加扣除 of one person (Decimal yuan), with its note and findings."""
    emp = ctx.tables.employees
    total = _money_at(emp, slip.row, "专项附加扣除")
    typed = {item: amount for item in ITEMS if (amount := _money_at(emp, slip.row, item))}
    if not typed:
        return total or ZERO
    only = _value(emp, slip.row, "独生子女")
    only_child = True if only == "是" else False if only == "否" else None
    standard = standard_for(ctx.scheme.cities, ctx.scheme.city, ctx.month)
    rent_standard = standard.rent_deduction if standard is not None else tax.RENT_STANDARDS[0]
    used = {}
    for item, amount in typed.items():
        part, why = tax.special_item_cap(item, amount, only_child=only_child, rent_standard=rent_standard)
        if why:
            code = "serious-illness-at-settlement" if item == tax.SERIOUS_ILLNESS else "special-deduction-capped"
            ctx.add(cell_finding(emp, slip.row, item, code, typed=_num(amount), used=_num(part), reason=why,
                                 **_who(slip)), slip)
        used[item] = part
    if used.get(tax.RENT) and used.get(tax.LOAN_INTEREST):
        ctx.add(cell_finding(emp, slip.row, tax.RENT, "rent-and-loan-both", **_who(slip)), slip)
        used[tax.RENT] = used[tax.LOAN_INTEREST] = ZERO
    amount = sum(used.values(), ZERO)
    parts = [f"{item} {_num(v)}" for item, v in used.items() if v]
    if total and total != amount:  # a 0 left in the old total column is no claim
        ctx.add(cell_finding(emp, slip.row, "专项附加扣除", "special-deduction-total-differs",
                             items=" + ".join(parts) or "无", amount=_money(amount), **_who(slip)), slip)
    if parts:
        slip.notes.append(f"专项附加扣除 = {' + '.join(parts)} = {_money(amount)}" if len(parts) > 1
                          else f"专项附加扣除 {parts[0]}")
    return amount
