"""Writing a job's results back into the open workbook through xlwings (SPEC §Excel).

- bad cells get a fill (errors red, warnings yellow) and a note with the message;
- a 问题 sheet lists every finding with a link to its cell (replaced on every run);
- generated sheets (拣货单, 缺货, 对账汇总, 工资表…) are replaced, never appended twice
  (deleted and added again at the end of the book);
- ID columns are formatted as text ("@") before their values are written;
- the clerk's own values are never changed, nor a note the clerk wrote: where the engine
  can read a note's text (Excel on Windows/macOS), ours is added below a marker line
  (shopbook.writing.notes) and taken off again by the next run; where it cannot (the
  remote engine), the clerk's note is left as it is and the finding is in the 问题 sheet;
- text from the user's data that Excel would take for a formula (= + - @) is written with
  a leading apostrophe in columns not formatted as text (shopbook.writing.cells).

What a run marked is recorded in the 问题 sheet's 标注 column, so the next run removes
exactly its own marks (a note or fill it did not add is left alone). Colours, the sheet
name, headers and note text are shared with the file writer (shopbook.writing.annotate).
"""
from __future__ import annotations

from decimal import Decimal

import pandas as pd

from shopbook.excel import engine
from shopbook.core.findings import FIELDS, column_letter
from shopbook.writing import notes
from shopbook.writing.annotate import (FILLS, HEADER_FILL, ISSUES_COLUMNS, ISSUES_HEADERS, ISSUES_SHEET, RANK,
                                       issue_row, note_text)
from shopbook.writing.cells import typed_text

# Each fill and note is one call into Excel; past this many cells a run would take
# minutes, so the rest are listed in the 问题 sheet only (errors are marked first).
MARK_LIMIT = 2000
MARK_HEADER = "标注"
FILLED, NOTED, APPENDED = "底色", "批注", "附注"  # APPENDED: ours added below the clerk's own note
LINK = "#0563C1"


def hex_colour(argb: str) -> str:
    """openpyxl's ARGB 'FFFFC7CE' -> '#FFC7CE' as xlwings takes it."""
    return "#" + argb[-6:]


FILL_COLOURS = {severity: hex_colour(argb) for severity, argb in FILLS.items()}


def _sheet_or_none(book, name: str):
    for sheet in book.sheets:
        if sheet.name == name:
            return sheet
    return None


def _fill_is_ours(cell) -> bool:
    """True when the cell still has one of our fills (or the engine cannot tell)."""
    readable, colour = engine.fill_of(cell)
    if not readable:  # the remote engine cannot read fills; trust the record
        return True
    if colour is None:
        return False
    if isinstance(colour, str):
        colour = colour.upper()
    else:
        colour = "#{:02X}{:02X}{:02X}".format(*colour)
    return colour in FILL_COLOURS.values()


def clear_previous_marks(book) -> None:
    """Remove the fills and notes a previous run recorded in its 问题 sheet."""
    issues = _sheet_or_none(book, ISSUES_SHEET)
    if issues is None:
        return
    rows = issues.used_range.options(ndim=2).value
    if not rows or MARK_HEADER not in rows[0]:
        return
    header = rows[0]
    at_sheet, at_cell, at_mark = (header.index(h) for h in ("工作表", "单元格", MARK_HEADER))
    done = set()
    for row in rows[1:]:
        sheet_name, address, marked = row[at_sheet], row[at_cell], row[at_mark]
        if not (sheet_name and address and marked) or (sheet_name, address) in done:
            continue
        done.add((sheet_name, address))
        sheet = _sheet_or_none(book, sheet_name)
        if sheet is None:
            continue
        cell = sheet[address]
        _, note = engine.note_of(cell)
        if APPENDED in marked and note is not None:
            text = _note_text(cell)
            if notes.has_our_part(text):
                engine.set_note_text(cell, notes.user_part(text))
        elif NOTED in marked and note is not None:
            engine.delete_note(cell)
        if FILLED in marked and _fill_is_ours(cell):
            engine.set_fill(cell, None)


def mark_cells(book, findings: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Fill and note each finding's cell (worst severity decides the fill), errors first,
    at most MARK_LIMIT cells. Returns what was done per (sheet, cell)."""
    cells = findings[findings["cell"].notna()]
    if cells.empty:
        return {}
    cells = cells.assign(_rank=cells["severity"].map(RANK))
    sheets = {s.name: s for s in book.sheets}
    groups = sorted(cells.groupby(["sheet", "cell"], sort=False),
                    key=lambda item: item[1]["_rank"].min())
    marked: dict[tuple[str, str], str] = {}
    for (sheet_name, address), group in groups[:MARK_LIMIT]:
        sheet = sheets.get(sheet_name)
        if sheet is None:
            continue
        cell = sheet[address]
        done = []
        worst = group.sort_values("_rank", kind="stable").iloc[0]["severity"]
        if worst in FILL_COLOURS and engine.set_fill(cell, FILL_COLOURS[worst]):
            done.append(FILLED)
        readable, note = engine.note_of(cell)
        if not readable:
            pass  # the engine has no notes: the finding is in the 问题 sheet only
        elif note is None:
            if engine.add_note(cell, note_text(group)):
                done.append(NOTED)
        else:  # the clerk's note stays; ours goes below it where the engine can read it
            text = _note_text(cell)
            if text is not None and engine.set_note_text(cell, notes.with_our_note(text, note_text(group))):
                done.append(APPENDED)
        marked[(sheet_name, address)] = "+".join(done)
    return marked


def _note_text(cell) -> str | None:
    """A note's text, or None where the engine cannot read it (the remote engine)."""
    return engine.note_text(cell)


def cell_link(sheet: str, address: str) -> str:
    """A HYPERLINK formula that jumps to the cell (works the same on every engine)."""
    target = "#'{}'!{}".format(sheet.replace("'", "''"), address).replace('"', '""')
    return f'=HYPERLINK("{target}","{address}")'


def write_issues(book, findings: pd.DataFrame, marked: dict[tuple[str, str], str]) -> None:
    """(Re)create the 问题 sheet as the first sheet: every finding with a link to its cell."""
    old = _sheet_or_none(book, ISSUES_SHEET)
    if old is not None:
        old.delete()
    sheet = book.sheets.add(ISSUES_SHEET, before=book.sheets[0])
    headers = ISSUES_HEADERS + [MARK_HEADER]
    names = {s.name for s in book.sheets}
    rows = []
    for i, f in enumerate(findings[FIELDS].itertuples(index=False), start=1):
        row = issue_row(i, f)
        if f.cell and f.sheet in names:
            row[headers.index("单元格")] = cell_link(f.sheet, f.cell)
        row.append(marked.get((f.sheet, f.cell), "") if f.cell else "")
        rows.append(row)
    if not rows:
        rows.append([None] * headers.index("说明") + ["没有发现问题。", None, None])
    last = column_letter(len(headers) - 1)
    count = len(rows) + 1
    # text columns as text before the values go in: a message or a value that starts
    # with '=' stays text, and IDs in 原值 keep every digit
    for name in headers:
        if name not in ("序号", "行", "单元格"):
            letter = column_letter(headers.index(name))
            if not engine.set_number_format(sheet.range(f"{letter}1:{letter}{count}"), "@"):
                rows = [[_as_text(v) if i == headers.index(name) else v for i, v in enumerate(row)]
                        for row in rows]
    sheet["A1"].value = [headers] + rows
    top = sheet.range(f"A1:{last}1")
    engine.set_fill(top, hex_colour(HEADER_FILL.fgColor.rgb))
    engine.set_font(top, bold=True, color="#FFFFFF")
    if len(findings):
        link = column_letter(headers.index("单元格"))
        engine.set_font(sheet.range(f"{link}2:{link}{count}"), color=LINK)
        if len(findings) <= MARK_LIMIT:
            severity = [[FILL_COLOURS.get(s, ...)] for s in findings["severity"]]
            engine.set_fills(sheet.range(f"B2:B{count}"), severity)
    for name, width in [*ISSUES_COLUMNS, (MARK_HEADER, 10)]:
        letter = column_letter(headers.index(name))
        engine.set_column_width(sheet.range(f"{letter}1"), width)
    engine.freeze_at(sheet, "A2")


def show_findings(book, findings: pd.DataFrame) -> int:
    """Clear the last run's marks, mark the cells, rewrite the 问题 sheet.
    Returns how many cells with findings were left unmarked (over MARK_LIMIT)."""
    clear_previous_marks(book)
    marked = mark_cells(book, findings)
    write_issues(book, findings, marked)
    cells = findings.loc[findings["cell"].notna(), ["sheet", "cell"]].drop_duplicates()
    return max(len(cells) - MARK_LIMIT, 0)


def excel_value(value):
    """A value as Excel takes it through xlwings: money (Decimal) as a number, pandas/numpy
    scalars as plain Python, every kind of blank as None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        return excel_value(value.item())
    return value


class Formula(str):
    """A formula of ours (a HYPERLINK to a source cell): written as a formula, never as text."""


def _typed(value, text_column: bool):
    """A value for a cell: in a text-formatted column as it is (Excel keeps it as text), in
    any other column text Excel would take for a formula gets its leading apostrophe (but our
    own `Formula`s)."""
    if isinstance(value, Formula):
        return str(value)
    value = excel_value(value)
    return value if text_column else typed_text(value)


def _as_text(value):
    """Text for a column meant to be text-formatted where the engine could not set the
    format: a leading apostrophe keeps it text (digits, leading zeros, a leading '=')."""
    if isinstance(value, Formula):
        return str(value)
    return "'" + value if isinstance(value, str) and not value.startswith("=HYPERLINK(") else value


def fresh_sheet(book, name: str):
    """A new empty sheet `name` at the end of the book, replacing any sheet of that name."""
    delete_sheet(book, name)
    return book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])


def delete_sheet(book, name: str) -> None:
    old = _sheet_or_none(book, name)
    if old is not None:
        old.delete()


def replace_sheet(book, name: str, frame: pd.DataFrame, text_columns=(), number_formats: dict | None = None,
                  title: tuple[str, ...] = (), widths: dict | None = None):
    """Write `frame` (header + rows) to a fresh sheet `name`, replacing any sheet of that name.

    `title` lines go above the header. Columns in `text_columns` are formatted as text before
    the values are written, so IDs keep their digits and leading zeros; `number_formats` maps
    other columns to formats (money "#,##0.00", dates…); `widths` column widths.
    """
    sheet = fresh_sheet(book, name)
    top = len(title) + 1  # the header row
    last = top + len(frame)
    columns = list(frame.columns)
    formats = {**(number_formats or {}), **{c: "@" for c in text_columns}}
    unformatted = set()  # text columns whose "@" the engine could not set
    for column, fmt in formats.items():
        if column in columns:
            letter = column_letter(columns.index(column))
            if not engine.set_number_format(sheet.range(f"{letter}{top}:{letter}{last}"), fmt) and fmt == "@":
                unformatted.add(column)
    for i, line in enumerate(title, start=1):
        sheet[f"A{i}"].value = typed_text(line)
    if title:
        engine.set_font(sheet["A1"], bold=True)
    as_text = [formats.get(c) == "@" for c in columns]
    lost = [c in unformatted for c in columns]
    values = [[_as_text(excel_value(v)) if gone else _typed(v, text) for v, text, gone in zip(row, as_text, lost)]
              for row in frame.itertuples(index=False)]
    sheet[f"A{top}"].value = [columns] + values
    header = sheet.range((top, 1), (top, max(len(columns), 1)))
    engine.set_fill(header, hex_colour(HEADER_FILL.fgColor.rgb))
    engine.set_font(header, bold=True, color="#FFFFFF")
    for column, width in (widths or {}).items():
        if column in columns:
            engine.set_column_width(sheet[f"{column_letter(columns.index(column))}1"], width)
    engine.freeze_at(sheet, f"A{top + 1}")
    return sheet


def replace_sheet_rows(book, name: str, rows: list[list], text_letters: str = "",
                       number_formats: dict[str, str] | None = None, bold_rows=(), widths: dict | None = None):
    """Write a block of rows (already laid out, e.g. 工资条) to a fresh sheet `name`.
    Columns in `text_letters` ("ABE") are text; `number_formats` maps letters to formats."""
    sheet = fresh_sheet(book, name)
    width = max((len(r) for r in rows), default=1)
    count = max(len(rows), 1)
    formats = {**(number_formats or {}), **{letter: "@" for letter in text_letters}}
    unformatted = set()
    for letter, fmt in formats.items():
        if not engine.set_number_format(sheet.range(f"{letter}1:{letter}{count}"), fmt) and fmt == "@":
            unformatted.add(letter)
    if rows:
        as_text = [formats.get(column_letter(c)) == "@" for c in range(width)]
        lost = [column_letter(c) in unformatted for c in range(width)]
        sheet["A1"].value = [[_as_text(excel_value(v)) if gone else _typed(v, text)
                              for v, text, gone in zip(r, as_text, lost)] + [None] * (width - len(r))
                             for r in rows]
    for r in bold_rows:
        engine.set_font(sheet.range((r, 1), (r, width)), bold=True)
    for letter, w in (widths or {}).items():
        engine.set_column_width(sheet[f"{letter}1"], w)
    return sheet
