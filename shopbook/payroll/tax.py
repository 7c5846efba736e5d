"""Individual income tax (个人所得税) tables as data, and the two calculations payroll needs.

- Wages: cumulative withholding (累计预扣法) by the annual table (综合所得年度税率表).
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
