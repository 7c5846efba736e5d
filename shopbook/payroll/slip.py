"""One person's pay (Slip), what every step sees (Context), and the cell helpers the steps share."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from shopbook.core import findings as fnd
from shopbook.core.codes import CODES
from shopbook.payroll.sheets import PERFORMANCE, PayrollTables
from shopbook.payroll.tax import ZERO
from shopbook.core.money import fen_to_decimal
from shopbook.reading.tables import Table
from shopbook.reading.cells import is_blank
from shopbook.rules.pay import PayScheme, _num


# --- formatting for explanations ------------------------------------------------------------
def _money(d: Decimal) -> str:
    return f"{d:.2f}"


def _pct(rate: Decimal) -> str:
    return f"{_num(rate * 100)}%"


def mask(text: str | None, keep: int = 4) -> str:
    """Every character but the last `keep` replaced by * (工资条: 身份证号, 账号)."""
    if not text:
        return ""
    return "*" * max(len(text) - keep, 0) + text[-keep:]


# --- one person's pay -----------------------------------------------------------------------
@dataclass
class Slip:
    """One employee's pay for the month, step by step (Decimal yuan)."""

    id: str
    name: str
    position: str
    row: int  # the 员工 row
    id_card: str | None = None
    account: str | None = None
    account_name: str | None = None
    bank: str | None = None
    account_usable: bool = False
    base: Decimal = ZERO
    expected_days: Decimal | None = None
    actual_days: Decimal | None = None
    absence_deduction: Decimal = ZERO
    piece_pay: Decimal = ZERO
    bonus: Decimal = ZERO
    reward: Decimal = ZERO
    penalty: Decimal = ZERO
    gross: Decimal = ZERO
    pension: Decimal = ZERO
    medical: Decimal = ZERO
    unemployment: Decimal = ZERO
    social_insurance: Decimal = ZERO
    housing_fund: Decimal = ZERO
    special_deduction: Decimal = ZERO
    iit: Decimal = ZERO
    annual_bonus: Decimal = ZERO
    annual_bonus_method: str = ""
    annual_bonus_tax: Decimal = ZERO
    bonus_taxes: tuple | None = None  # this month's 个税 + 年终奖个税 (单独计税 or None when not open, 并入工资)
    taxable_ytd: Decimal = ZERO  # 累计应纳税所得额 after this month (for comparing the bonus methods)
    withheld_before: Decimal = ZERO  # 累计已预扣税额 carried in
    net: Decimal = ZERO
    ytd_next: dict = field(default_factory=dict)
    duty_next: dict | None = None
    notes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    setup: set = field(default_factory=set)  # positions in `notes` of notes about missing setup or data

    @property
    def explanation(self) -> str:
        """Every note, for finance (工资表, JSON)."""
        return ";".join(self.notes)

    @property
    def payslip_explanation(self) -> str:
        """What the employee reads on the 工资条: how each amount was worked out, without the notes
        about the shop's own setup or missing data (奖金比例未设定 …), which are findings for the 问题
        sheet, not news for the employee."""
        return ";".join(n for i, n in enumerate(self.notes) if i not in self.setup)

    def setup_note(self, text: str) -> None:
        """A note about missing setup or data: on the 工资表, never on the 工资条."""
        self.setup.add(len(self.notes))
        self.notes.append(text)

    @property
    def error_titles(self) -> str:
        """The person's error findings by their Chinese titles (工资表 问题 column)."""
        return code_titles(self.errors)

    @property
    def deductions(self) -> Decimal:
        return self.social_insurance + self.housing_fund + self.iit




@dataclass
class Context:
    """What every step sees: the month, the scheme, the sheets, shop-wide figures, and the
    findings so far."""

    month: dt.date
    scheme: PayScheme
    tables: PayrollTables
    merge_bonus: bool = False
    attendance: dict = field(default_factory=dict)  # 工号 -> Excel row
    performance: dict = field(default_factory=dict)
    tax_rows: dict = field(default_factory=dict)
    tax_applies: bool = False
    ledger_rows: dict = field(default_factory=dict)
    ledger_applies: bool = False
    incidents: int | None = None
    bad_reviews: int | None = None
    shop_turnover: Decimal | None = None
    findings: list = field(default_factory=list)
    counted: dict = field(default_factory=dict)  # (工号, 绩效 column) -> (count, source)
    tagged: dict = field(default_factory=dict)  # 工号 -> error codes with no row to point at
    said: set = field(default_factory=set)  # shop-wide findings already made

    def add(self, frame: pd.DataFrame, slip: Slip | None = None) -> None:
        if frame is None or not len(frame):
            return
        self.findings.append(frame)
        if slip is not None:
            for code, severity in zip(frame["code"], frame["severity"]):
                if severity == "error" and code not in slip.errors:
                    slip.errors.append(code)

    def once(self, key: str) -> bool:
        """True the first time `key` is seen: for shop-wide findings made from a person's step."""
        if key in self.said:
            return False
        self.said.add(key)
        return True


def _value(table: Table | None, row: int | None, column: str):
    """A parsed cell, None when blank, absent or unparsable."""
    if table is None or row is None or column not in table.data:
        return None
    v = table.data.at[row, column]
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and v != v:
        return None
    return v


def _money_at(table, row, column) -> Decimal | None:
    v = _value(table, row, column)
    return None if v is None else fen_to_decimal(v)


def _count_at(table, row, column) -> int | None:
    v = _value(table, row, column)
    return None if v is None else int(v)


def _raw(table: Table, row: int, column: str):
    if column in table.raw and row in table.raw.index:
        v = table.raw.at[row, column]
        return None if is_blank(v) else v
    return None


def cell_finding(table: Table, row: int, column: str, code: str, value=..., **fields) -> pd.DataFrame:
    """A finding at one cell (value defaults to the cell as read)."""
    if value is ...:
        value = _raw(table, row, column)
    return fnd.at_rows(table.sheet, [row], table.headers.get(column, column), table.letters.get(column),
                       code, [value], **fields)


def _who(slip: Slip) -> dict:
    return {"name": slip.name, "id": slip.id, "position": slip.position}


def _missing(ctx: Context, slip: Slip, table: Table | None, row: int | None, column: str, code: str) -> pd.DataFrame:
    """A finding for a value the person's pay needs: at its cell, or naming the person when
    the 绩效 row or column is absent."""
    if table is not None and row is not None and column in table.letters:
        return cell_finding(table, row, column, code, **_who(slip))
    sheet = table.sheet if table is not None else PERFORMANCE.name
    return fnd.sheet_level(sheet, code, column=column, value=slip.id, **_who(slip))


def code_titles(codes) -> str:
    """Finding codes as their Chinese titles, 、-separated (工号重复、没有考勤)."""
    return "、".join(CODES[c].title if c in CODES else c for c in codes)
