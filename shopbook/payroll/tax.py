"""Individual income tax (个人所得税) tables and standards as data, and the calculations payroll needs.

- Wages: cumulative withholding (累计预扣法) by the annual table (综合所得年度税率表), with the
  累计减除费用 of 2018年第61号, 2020年第13号 and 2020年第19号 and the 专项附加扣除 standards.
- The annual one-off bonus (全年一次性奖金) taxed on its own by the monthly table
  (按月换算后的综合所得税率表), a regime valid through 2027-12-31 (财政部 税务总局公告
  2023 年第 30 号), once per person per year.

The figures are law, not shop rules, so they live here rather than in the rules workbook.
Amounts are Decimal yuan; results are rounded half-up to the fen.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")

# 减除费用: 5000 yuan per month employed in the year (累计减除费用 = 5000 × months)
MONTHLY_ALLOWANCE = Decimal(5000)
ANNUAL_BONUS_SEPARATE_UNTIL = dt.date(2027, 12, 31)


@dataclass(frozen=True)
class Bracket:
    upto: Decimal | None  # upper bound, inclusive; None = no bound
    rate: Decimal
    quick: Decimal  # 速算扣除数

    @property
    def percent(self) -> str:
        return f"{self.rate * 100:.0f}%"


def _table(rows) -> tuple[Bracket, ...]:
    return tuple(Bracket(None if upto is None else Decimal(upto), Decimal(pct) / 100, Decimal(quick))
                 for upto, pct, quick in rows)


# 综合所得年度税率表 (cumulative taxable income since January)
ANNUAL_BRACKETS = _table((
    (36000, 3, 0), (144000, 10, 2520), (300000, 20, 16920), (420000, 25, 31920),
    (660000, 30, 52920), (960000, 35, 85920), (None, 45, 181920)))

# 按月换算后的综合所得税率表 (the annual bonus ÷ 12 picks the row)
MONTHLY_BRACKETS = _table((
    (3000, 3, 0), (12000, 10, 210), (25000, 20, 1410), (35000, 25, 2660),
    (55000, 30, 4410), (80000, 35, 7160), (None, 45, 15160)))


def fen(amount: Decimal) -> Decimal:
    """Half-up to the fen (0.01)."""
    return Decimal(amount).quantize(FEN, rounding=ROUND_HALF_UP)


def bracket(amount: Decimal, table: tuple[Bracket, ...]) -> Bracket:
    """The row of `table` whose range holds `amount` (bounds inclusive)."""
    for row in table:
        if row.upto is None or amount <= row.upto:
            return row
    return table[-1]


def cumulative_tax(taxable_ytd: Decimal) -> tuple[Decimal, Bracket | None]:
    """Tax due on the year's cumulative taxable income: taxable × rate − quick deduction,
    rounded once; 0 (and no bracket) when taxable ≤ 0."""
    if taxable_ytd <= 0:
        return ZERO, None
    row = bracket(taxable_ytd, ANNUAL_BRACKETS)
    return fen(taxable_ytd * row.rate - row.quick), row


def annual_bonus_tax(bonus: Decimal) -> tuple[Decimal, Bracket]:
    """Tax on a separately taxed annual bonus: the rate comes from bonus ÷ 12 in the monthly
    table; tax = bonus × rate − that row's quick deduction (once, not × 12)."""
    row = bracket(Decimal(bonus) / 12, MONTHLY_BRACKETS)
    return max(ZERO, fen(Decimal(bonus) * row.rate - row.quick)), row


def annual_bonus_allowed(month: dt.date) -> bool:
    """Separate taxation of the annual bonus is available in this month."""
    return month <= ANNUAL_BONUS_SEPARATE_UNTIL


# --- 减除费用 special cases ------------------------------------------------------------------
# 国家税务总局公告2020年第19号: whose wages at this employer were withheld every month of last year
# and came to no more than 60,000 get the whole year's 60,000 from January
LOW_INCOME_ALLOWANCE = Decimal(60000)


def allowance(month: int, months_employed: int, *, first_wage_of_year: bool = False,
              low_income: bool = False) -> Decimal:
    """累计减除费用 for calendar month `month` (1–12) of someone employed here `months_employed`
    months this year including this one: 5000 × months employed (2018年第61号); 5000 × `month`
    for the year's first wage income (2020年第13号); 60,000 from January under 2020年第19号."""
    if low_income:
        return LOW_INCOME_ALLOWANCE
    if first_wage_of_year:
        return MONTHLY_ALLOWANCE * max(month, months_employed)
    return MONTHLY_ALLOWANCE * months_employed


# --- 专项附加扣除: the 2023 standards (国发〔2023〕13号; 国发〔2018〕41号; 国发〔2022〕8号) ----------
CHILD_EDUCATION, INFANT_CARE, ELDERLY, LOAN_INTEREST, RENT, CONTINUING_EDUCATION, SERIOUS_ILLNESS = (
    "子女教育", "婴幼儿照护", "赡养老人", "住房贷款利息", "住房租金", "继续教育", "大病医疗")
MONTHLY_ITEMS = (CHILD_EDUCATION, INFANT_CARE, ELDERLY, LOAN_INTEREST, RENT, CONTINUING_EDUCATION)
PER_CHILD = Decimal(2000)  # a month per child; one parent 100 % or each 50 %
ELDERLY_FULL = Decimal(3000)  # an only child
ELDERLY_SHARE_CAP = Decimal(1500)  # each sibling at most
LOAN_INTEREST_CAP = Decimal(1000)
DEGREE_MONTHLY = Decimal(400)  # 学历(学位)继续教育
CERTIFICATE_ONCE = Decimal(3600)  # 职业资格继续教育, in the year the certificate is obtained
RENT_STANDARDS = (Decimal(1500), Decimal(1100), Decimal(800))


def special_item_cap(item: str, typed: Decimal, *, only_child: bool | None = None,
                     rent_standard: Decimal = RENT_STANDARDS[0]) -> tuple[Decimal, str | None]:
    """The part of a typed monthly 专项附加扣除 item that may be deducted, and why it is less than
    typed (None when all of it counts). 大病医疗 is deducted only at the annual settlement."""
    if typed <= 0:
        return ZERO, None
    if item in (CHILD_EDUCATION, INFANT_CARE):
        used = (typed // (PER_CHILD / 2)) * (PER_CHILD / 2)
        why = f"应为每个子女每月 {PER_CHILD:.0f} 元(父母各扣一半时 {PER_CHILD / 2:.0f} 元)的整数倍"
        return (typed, None) if used == typed else (used, why)
    if item == ELDERLY:
        if only_child is False:
            cap, why = ELDERLY_SHARE_CAP, f"非独生子女每人每月最多 {ELDERLY_SHARE_CAP:.0f} 元"
        else:
            cap, why = ELDERLY_FULL, f"每月最多 {ELDERLY_FULL:.0f} 元"
        return (typed, None) if typed <= cap else (cap, why)
    if item == LOAN_INTEREST:
        return (typed, None) if typed <= LOAN_INTEREST_CAP else (LOAN_INTEREST_CAP, f"每月最多 {LOAN_INTEREST_CAP:.0f} 元")
    if item == RENT:
        return (typed, None) if typed <= rent_standard else (rent_standard, f"本市标准每月 {rent_standard:.0f} 元")
    if item == CONTINUING_EDUCATION:
        why = (f"学历继续教育每月 {DEGREE_MONTHLY:.0f} 元,职业资格证书取得当年一次 {CERTIFICATE_ONCE:.0f} 元")
        if typed <= DEGREE_MONTHLY or CERTIFICATE_ONCE <= typed <= CERTIFICATE_ONCE + DEGREE_MONTHLY:
            return typed, None
        return (DEGREE_MONTHLY if typed < CERTIFICATE_ONCE else CERTIFICATE_ONCE + DEGREE_MONTHLY), why
    if item == SERIOUS_ILLNESS:
        return ZERO, "只在次年汇算清缴时扣除(超过 15000 元的部分,最多 80000 元),每月预扣时不扣"
    return typed, None
