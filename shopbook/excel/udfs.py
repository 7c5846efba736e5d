"""Worksheet functions a clerk can type (xlwings UDFs, Excel on Windows):

    =SB_PHONE(E2)              手机 check: the finding's message, or "" when it is fine
    =SB_IDCARD(D2)             身份证号 check (GB 11643)
    =SB_WAYBILL(C2, D2)        快递单号 check against the courier's pattern (快递公司, 快递单号)

Each returns exactly the message the validation would give for that cell, from the same
functions (shopbook.orders.valid_phone, shopbook.payroll.id_card_problem, the courier
patterns of shopbook.rules) and the same message table (shopbook.codes). A number typed
where an ID belongs is checked as its digits, and one that has already lost digits
(16+ digits, Excel keeps 15) says so. The rules workbook 规则.xlsx next to the workbook
is used when there is one (courier patterns), else the built-in defaults.

The hidden `caller` argument is the calling cell (xlwings passes it); it tells which
workbook, and so which rules, the formula belongs to.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import xlwings as xw

from shopbook import findings as fnd
from shopbook.reading.cells import parse_id
from shopbook.rules import DEFAULT_RULES, Rules, load_rules

RULES_WORKBOOK = "规则.xlsx"
_rules_cache: dict[Path, tuple[float, Rules]] = {}


def rules_for(caller) -> Rules:
    """The rules of the calling workbook's folder (cached until 规则.xlsx changes)."""
    try:
        folder = Path(caller.sheet.book.fullname).parent
    except Exception:  # no caller (called from Python) or an unsaved/remote workbook
        return DEFAULT_RULES
    path = folder / RULES_WORKBOOK
    if folder == Path(".") or not path.exists():
        return DEFAULT_RULES
    mtime = path.stat().st_mtime
    cached = _rules_cache.get(path)
    if cached is None or cached[0] != mtime:
        try:
            rules, _ = load_rules(path)
        except Exception:  # an unusable rules workbook: the defaults, as the jobs do
            rules = DEFAULT_RULES
        _rules_cache[path] = (mtime, rules)
    return _rules_cache[path][1]


def message(code: str, column: str, value, **fields) -> str:
    """The Chinese message of one finding, rendered as the validation renders it."""
    return fnd.at_rows("", [1], column, None, code, [value], **fields)["message"].iloc[0]


def as_id(value, column: str) -> tuple[str | None, str]:
    """(the ID's text or None, a message when its digits were already lost) — read as the
    validation reads an ID cell."""
    raw = pd.Series([value], dtype=object)
    text, problems = parse_id(raw)
    lost, fields = problems.get("id-digits-lost", (pd.Series([False]), {}))
    if lost.iloc[0]:
        shown = fields["value"].iloc[0]  # as Excel shows it: 1.23457E+17
        return None, message("id-digits-lost", column, shown)
    return text.iloc[0], ""


@xw.func
def SB_PHONE(phone, caller=None):
    """手机检查:有问题时返回说明,没问题返回空白。"""
    from shopbook.orders import valid_phone

    text, lost = as_id(phone, "手机")
    if lost or text is None:
        return lost
    if valid_phone(pd.Series([text])).iloc[0]:
        return ""
    return message("phone-invalid", "手机", text)


@xw.func
def SB_IDCARD(number, caller=None):
    """身份证号检查(GB 11643):有问题时返回说明,没问题返回空白。"""
    from shopbook.payroll import id_card_problem

    text, lost = as_id(number, "身份证号")
    if lost or text is None:
        return lost
    reason = id_card_problem(text)
    return message("id-card-invalid", "身份证号", text, reason=reason) if reason else ""


@xw.func
def SB_WAYBILL(courier, waybill, caller=None):
    """快递单号检查:单号不符合该快递公司的格式时返回说明,否则返回空白。"""
    text, lost = as_id(waybill, "快递单号")
    if lost or text is None:
        return lost
    found = rules_for(caller).courier(str(courier).strip() if courier else None)
    if found is None or pd.Series([text.upper()]).str.match(found.pattern).iloc[0]:
        return ""
    return message("waybill-pattern", "快递单号", text, courier=found.name, pattern=found.pattern)


# the worksheet functions, in the order the workbooks declare them (scripts/make_xlsm.py
# writes their VBA wrappers into the .xlsm, so they work without "Import Functions")
UDFS = (SB_PHONE, SB_IDCARD, SB_WAYBILL)
