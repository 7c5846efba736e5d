"""Reading a workbook through xlwings into the reading layer's `Workbook`/`Sheet` objects.

xlwings hands back numbers as floats, dates as datetime and blanks as None (like
python-calamine), so `read_table`, `assign_sheets` and every check run on the result
unchanged. Sheets are read lazily, each in one call, from A1 to the last used cell.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from shopbook.reading.files import Sheet, Workbook


def sheet_cells(sheet) -> pd.DataFrame:
    """A sheet's values from A1 to its last used cell, as an object frame (blanks None)."""
    last = sheet.used_range.last_cell
    values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2, empty=None).value
    frame = pd.DataFrame(values, dtype=object)
    if len(frame.columns):
        frame = frame.where(frame.notna() & (frame != ""), None)
    return frame


def read_workbook(book, skip: tuple[str, ...] = ()) -> Workbook:
    """The xlwings book as a `Workbook`; sheets named in `skip` (our own outputs) are left out."""
    names = [s.name for s in book.sheets if s.name not in skip]

    def read(name: str) -> Sheet:
        return Sheet(name, sheet_cells(book.sheets[name]))
    return Workbook(book_path(book), names, read)


def book_path(book) -> Path:
    """Where the workbook lives (just its name for a book that was never saved or a remote one)."""
    return Path(book.fullname)


def save_sheets(book, names: list[str], target: Path) -> Path:
    """Write these sheets' values (as xlwings reads them) to a plain .xlsx at `target`, for a
    library reader that takes a file (the fast bill reader, the 拣货批次 reader). Text stays
    text (a value starting with '=' is not turned into a formula); formats are not kept."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    wb = openpyxl.Workbook(write_only=True)
    for name in names:
        ws = wb.create_sheet(name)
        for row in sheet_cells(book.sheets[name]).itertuples(index=False):
            cells = []
            for value in row:
                if isinstance(value, str) and value.startswith("="):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.data_type = "s"
                    value = cell
                cells.append(value)
            ws.append(cells)
    wb.save(target)
    return target
