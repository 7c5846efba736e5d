"""The 员工 sheet's checks: 身份证号 (GB 11643), bank accounts, and matching every sheet's rows to
people by 工号 (duplicates, unknown 工号, names that differ)."""
from __future__ import annotations

import re

import pandas as pd
from stdnum import luhn
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from shopbook.core import findings as fnd
from shopbook.payroll.sheets import EMPLOYEES
from shopbook.payroll.slip import Context
from shopbook.reading.tables import Table


# --- roster checks ----------------------------------------------------------------------------
ACCOUNT = re.compile(r"^\d{10,30}$")
_ACCOUNT_SEPARATORS = re.compile(r"[\s-]")
_RIC_REASONS = {InvalidLength: "应为 18 位", InvalidFormat: "前 17 位应为数字", InvalidChecksum: "最后一位校验码不对",
                InvalidComponent: "出生日期或地区码不存在"}


def id_card_problem(number: str) -> str | None:
    """Why a 身份证号 fails GB 11643 (length, digits, check digit, birth date, region), or None."""
    try:
        ric.validate(number)
    except ValidationError as exc:
        return _RIC_REASONS.get(type(exc), "格式不对")
    return None


def account_digits(text: str | None) -> str | None:
    """A bank account without spaces/hyphens, when it is 10–30 digits; else None."""
    if not text:
        return None
    digits = _ACCOUNT_SEPARATORS.sub("", text)
    return digits if ACCOUNT.match(digits) else None


def roster_checks(ctx: Context, rows: list[int]) -> None:
    """身份证号 (GB 11643), bank account (digits; Luhn as a warning)."""
    emp = ctx.tables.employees
    data = emp.data.loc[rows]
    if "身份证号" in data:
        cards = data["身份证号"].dropna()
        reasons = cards.map(id_card_problem)
        bad = reasons.notna()
        ctx.add(emp.at(bad, "身份证号", "id-card-invalid", reason=reasons[bad]))
    if "银行账号" in data:
        accounts = data["银行账号"].dropna()
        digits = accounts.map(account_digits)
        invalid = digits.isna()
        ctx.add(emp.at(invalid, "银行账号", "bank-account-invalid"))
        luhn_bad = digits.notna() & ~digits.map(lambda d: bool(d) and luhn.is_valid(d))
        ctx.add(emp.at(luhn_bad, "银行账号", "bank-account-luhn"))


def _first_rows(table: Table, ctx: Context, known: set[str] | None, names: dict[str, str] | None) -> dict[str, int]:
    """工号 -> first Excel row of a sheet; duplicates, unknown 工号 and name mismatches are findings.
    A sheet without 工号 matches nobody (its missing-column finding says why)."""
    if "工号" not in table.data:
        return {}
    ids = table.data["工号"]
    ids = ids.dropna()
    first: dict[str, int] = {}
    dup_rows, dup_other = [], []
    for row, person in ids.items():
        if person in first:
            dup_rows.append(row)
            dup_other.append(first[person])
        else:
            first[person] = row
    if dup_rows:
        code = "employee-id-duplicate" if table.kind is EMPLOYEES else "duplicate-row-for-employee"
        ctx.add(fnd.at_rows(table.sheet, dup_rows, table.headers["工号"], table.letters["工号"], code,
                            [ids[r] for r in dup_rows], other=dup_other, sheet_name=table.sheet))
    if known is not None:
        unknown = table.data["工号"].notna() & ~table.data["工号"].isin(known)
        ctx.add(table.at(unknown, "工号", "unknown-employee-id", sheet_name=table.sheet))
    if names is not None and "姓名" in table.data:
        written = table.data.loc[list(first.values()), "姓名"]
        expected = pd.Series([names.get(table.data.at[r, "工号"]) for r in written.index], index=written.index)
        mismatch = written.notna() & expected.notna() & (written != expected)
        ctx.add(table.at(mismatch, "姓名", "name-mismatch", id=table.data.loc[written.index, "工号"],
                         expected=expected))
    return first
