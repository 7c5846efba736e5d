"""Cells shopbook writes from the user's data: text always stays text, never a live formula.

A buyer's remark, a name or a cell value that starts with = (or + - @, tab, CR) must not
run as a formula in anything we write. Each writing engine has its own way of saying
"this is text":
- openpyxl: a str starting with '=' becomes a formula unless its data type is set back to
  's' (`put`, `append_row`);
- XlsxWriter: `write_string` (and workbooks opened with strings_to_formulas=False);
- xlwings (a value typed into Excel) and csv: a leading apostrophe (`typed_text`), which
  Excel keeps as the cell's prefix character, not as part of the value.
Numbers stay numbers (a negative amount is a number, not text starting with '-').
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# characters an .xlsx cannot hold (openpyxl refuses them): dropped from text read from csv/.xls
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FLOAT_TEXT = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")


def text_value(value):
    """`value` ready for an openpyxl cell: text without the control characters an .xlsx
    cannot hold; anything else unchanged."""
    if isinstance(value, str) and _NOT_IN_XLSX.search(value):
        return _NOT_IN_XLSX.sub("", value)
    return value


def put(cell, value):
    """Set an openpyxl cell to `value`; a str is stored as text whatever it starts with."""
    cell.value = text_value(value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def append_row(ws, values) -> None:
    """ws.append(values) with every str stored as text (openpyxl would make '=…' a formula)."""
    values = [text_value(v) for v in values]
    ws.append(values)
    row = ws.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str) and value.startswith("="):
            ws.cell(row=row, column=column).data_type = "s"


def typed_text(value):
    """A value as typed into Excel (xlwings) or a csv field: text that Excel would read as a
    formula gets a leading apostrophe; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def shown_number_text(text):
    """A value's text as Excel shows the number: a whole number that Python printed with an
    exponent or a trailing .0 ('3.706264606417998e+18', '12.0') without them
    ('3706264606417998000', '12'); anything else unchanged."""
    if not isinstance(text, str) or not _FLOAT_TEXT.match(text) or not ("e" in text.lower() or text.endswith(".0")):
        return text
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if not number.is_finite() or abs(number) >= Decimal("1e30") or number != number.to_integral_value():
        return text
    return format(number.to_integral_value(), "f") if number else "0"
