"""Small inline workbooks for the tests: write rows with openpyxl, read them back as a user's file."""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
from pathlib import Path

import shutil

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
    from shopbook.sheets.run import validate_books as validate

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
    """The golden file's content. A missing golden file fails the test; with
    SHOPBOOK_UPDATE_GOLDEN=1 it is written from `got` (then read its diff before committing)."""
    if not os.environ.get("SHOPBOOK_UPDATE_GOLDEN") and not path.exists():
        pytest.fail(f"golden file {path.name} is missing: run with SHOPBOOK_UPDATE_GOLDEN=1 to write it")
    if os.environ.get("SHOPBOOK_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))


def needs_tools(*tools: str):
    """Skip a test whose outside programs (soffice, pdftotext …) are missing, naming exactly
    which; in CI (CI=true) a missing program fails the test instead, as .ci/run installs them."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    reason = f"not installed: {', '.join(missing)} (Debian packages libreoffice-calc-nogui, poppler-utils)"

    def decorate(test):
        if not missing:
            return test
        if os.environ.get("CI"):
            @functools.wraps(test)
            def fail(*args, **kwargs):
                pytest.fail(reason)
            return fail
        return pytest.mark.skip(reason=reason)(test)
    return decorate
