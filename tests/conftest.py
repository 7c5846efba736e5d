"""Small inline workbooks for the tests: write rows with openpyxl, read them back as a user's file."""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import openpyxl
import pytest

AS_OF = dt.datetime(2026, 10, 10, 18, 0)


def write_book(path: Path, sheets: dict[str, list[list]], text_columns: dict[str, list[int]] | None = None) -> Path:
    """Write {sheet name: rows} to an .xlsx; rows are lists of cell values (None = blank)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def book(tmp_path):
    counter = {"n": 0}

    def make(sheets: dict[str, list[list]], name: str | None = None) -> Path:
        counter["n"] += 1
        return write_book(tmp_path / (name or f"book{counter['n']}.xlsx"), sheets)
    return make


@pytest.fixture
def validate_rows(book):
    """Validate a workbook given as {sheet: rows}; return findings as (sheet, cell, code) tuples."""
    from shopbook.reading.files import open_workbook
    from shopbook.rules import DEFAULT_RULES
    from shopbook.validate import validate

    def run(sheets, as_of=AS_OF, rules=DEFAULT_RULES):
        path = book(sheets)
        result = validate(open_workbook(path), rules, as_of)
        return result
    return run


def codes(result, code=None):
    f = result.findings
    rows = list(zip(f["sheet"], f["cell"], f["code"]))
    return [r for r in rows if code is None or r[2] == code]


def golden_json(path: Path, got):
    """The golden file's content; written from `got` first when it is missing or when
    SHOPBOOK_UPDATE_GOLDEN is set (then read the file's diff before committing it)."""
    if os.environ.get("SHOPBOOK_UPDATE_GOLDEN") or not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))
