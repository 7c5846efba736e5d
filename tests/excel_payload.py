"""xlwings remote Books built from real .xlsx/.xlsm files, the way Excel's client sends them.

`xw.Book(json=payload)` runs the real xlwings API on Linux: reads come from the payload,
writes become the list of actions Excel would apply (`book.json()["actions"]`).

The remote engine belongs to xlwings PRO, which needs a licence key. xlwings PRO is
dual-licensed; its PolyForm Noncommercial licence covers this open-source project's test
suite, so the tests use the free "noncommercial" key (see docs/excel.md, "Licence"). It
is set here, for the tests only, and only when no key is set already; the product's
code path (RunPython buttons and UDFs in Excel) uses only the BSD-licensed part.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import openpyxl  # noqa: E402
import xlwings as xw  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

if "remote" not in [engine.name for engine in xw.engines]:
    # xlwings was imported (by another test module) before the key was set: it registers
    # its licensed engines at import time, so register the remote one now
    from xlwings.main import Engine  # noqa: E402
    from xlwings.pro import _xlremote  # noqa: E402

    xw.engines.add(Engine(impl=_xlremote.engine))


def _as_sent(value):
    """A cell value as the Office.js client sends it: '' for blank, dates as ISO text with
    'Z', every number a double (Excel stores no integers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat() + ".000Z"
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day).isoformat() + ".000Z"
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    if isinstance(value, (int, float)):
        return float(value)
    return str(value)


def sheet_payload(ws) -> dict:
    rows = [[_as_sent(v) for v in row]
            for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column, values_only=True)]
    notes = [{"address": f"{get_column_letter(c.column)}{c.row}"}
             for row in ws.iter_rows() for c in row if c.comment is not None]
    return {"name": ws.title, "visibility": "Visible", "values": rows or [[]], "pictures": [],
            "shapes": [], "charts": [], "tables": [], "notes": notes, "notes_supported": True,
            "pivot_tables": [], "show_gridlines": True, "print_area": None}


def payload_from_file(path: Path) -> dict:
    """The JSON an Excel client would send for this workbook (cached formula results)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": Path(path).name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [sheet_payload(ws) for ws in wb.worksheets],
    }


def remote_book(path: Path) -> xw.Book:
    return xw.Book(json=payload_from_file(path))


class Replay:
    """What the returned actions would do to the workbook, replayed on a model of it.

    Actions name sheets by position at the moment they run (sheets get added and deleted
    on the way), so they are replayed in order: per sheet name, `values`, `fills`, `notes`
    (cell -> text, None once deleted) and `formats` by A1 address, plus `added`/`deleted`
    sheet names and the final sheet order in `sheets`.
    """

    def __init__(self, book, sheets_before: list[str]):
        self.sheets = list(sheets_before)
        self.values: dict[str, dict[str, object]] = {}
        self.fills: dict[str, dict[str, str | None]] = {}
        self.notes: dict[str, dict[str, str | None]] = {}
        self.formats: dict[str, dict[str, str]] = {}
        self.added: list[str] = []
        self.deleted: list[str] = []
        self.alerts: list[str] = []
        for action in book.json()["actions"]:
            self._apply(action)

    def _cells(self, a):
        for r in range(a["row_count"]):
            for c in range(a["column_count"]):
                yield r, c, f"{get_column_letter(a['start_column'] + c + 1)}{a['start_row'] + r + 1}"

    def _apply(self, a):
        func = a["func"]
        if func == "addSheet":
            index, name = a["args"]
            self.sheets.insert(index, name)
            self.added.append(name)
            return
        if func == "alert":
            self.alerts.append(a["args"][0])
            return
        sheet = self.sheets[a["sheet_position"]] if a["sheet_position"] is not None else None
        if func == "sheetDelete":
            self.sheets.remove(sheet)
            self.deleted.append(sheet)
            for store in (self.values, self.fills, self.notes, self.formats):
                store.pop(sheet, None)
        elif func == "setValues":
            for r, c, address in self._cells(a):
                self.values.setdefault(sheet, {})[address] = a["values"][r][c]
        elif func == "setRangeColor":
            for _, _, address in self._cells(a):
                self.fills.setdefault(sheet, {})[address] = a["args"][0]
        elif func == "setRangeColors":
            for r, c, address in self._cells(a):
                colour = a["args"][0][r][c]
                if colour != "keep":
                    self.fills.setdefault(sheet, {})[address] = colour
        elif func == "addNote":
            self.notes.setdefault(sheet, {})[a["args"][0].replace("$", "")] = a["args"][1]
        elif func == "deleteNote":
            self.notes.setdefault(sheet, {})[a["args"][0].replace("$", "")] = None
        elif func == "setNumberFormat":
            for _, _, address in self._cells(a):
                self.formats.setdefault(sheet, {})[address] = a["args"][0]

    def rows(self, sheet: str) -> list[list]:
        """The values written to a sheet as rows from A1 ('' where nothing was written)."""
        cells = self.values.get(sheet, {})
        if not cells:
            return []
        from openpyxl.utils.cell import coordinate_from_string, column_index_from_string
        coords = [coordinate_from_string(a) for a in cells]
        height = max(r for _, r in coords)
        width = max(column_index_from_string(c) for c, _ in coords)
        grid = [[""] * width for _ in range(height)]
        for (col, row), value in zip(coords, cells.values()):
            grid[row - 1][column_index_from_string(col) - 1] = value
        return grid


def run_button(button, path: Path, **kwargs):
    """Run a button function on a remote book of `path`; returns (message, Replay, book)."""
    book = remote_book(path)
    before = [s.name for s in book.sheets]
    message = button(book, **kwargs)
    return message, Replay(book, before), book
