"""Writing a job's results back into the open workbook through xlwings (SPEC §Excel).

- bad cells get a fill (errors red, warnings yellow) and a note with the message;
- a 问题 sheet lists every finding with a link to its cell (replaced on every run);
- generated sheets (拣货单, 缺货, 对账结果, 工资表…) are replaced, never appended twice;
- ID columns are formatted as text ("@") before their values are written;
- the clerk's own values are never changed, nor a note the clerk wrote.

What a run marked is recorded in the 问题 sheet's 标注 column, so the next run removes
exactly its own marks (a note or fill it did not add is left alone). Colours, the sheet
name, headers and note text are shared with the file writer (shopbook.writing.annotate).
"""
from __future__ import annotations

import pandas as pd

from shopbook.findings import FIELDS, column_letter
from shopbook.writing.annotate import (FILLS, HEADER_FILL, ISSUES_HEADERS, ISSUES_SHEET, RANK,
                                       issue_row, note_text)

# Each fill and note is one call into Excel; past this many cells a run would take
# minutes, so the rest are listed in the 问题 sheet only (errors are marked first).
MARK_LIMIT = 2000
MARK_HEADER = "标注"
FILLED, NOTED = "底色", "批注"
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
    try:
        colour = cell.color
    except NotImplementedError:  # the remote engine cannot read fills; trust the record
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
        if NOTED in marked and cell.note is not None:
            cell.note.delete()
        if FILLED in marked and _fill_is_ours(cell):
            cell.color = None


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
        if worst in FILL_COLOURS:
            cell.color = FILL_COLOURS[worst]
            done.append(FILLED)
        if cell.note is None:  # a note the clerk wrote stays; the 问题 sheet has ours
            cell.add_note(note_text(group))
            done.append(NOTED)
        marked[(sheet_name, address)] = "+".join(done)
    return marked


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
            sheet.range(f"{letter}1:{letter}{count}").number_format = "@"
    sheet["A1"].value = [headers] + rows
    top = sheet.range(f"A1:{last}1")
    top.color = hex_colour(HEADER_FILL.fgColor.rgb)
    top.font.bold = True
    top.font.color = "#FFFFFF"
    if len(findings):
        link = column_letter(headers.index("单元格"))
        sheet.range(f"{link}2:{link}{count}").font.color = LINK
        if len(findings) <= MARK_LIMIT:
            severity = [[FILL_COLOURS.get(s, ...)] for s in findings["severity"]]
            sheet.range(f"B2:B{count}").set_colors(severity)
    for name, width in zip(headers, (6, 9, 10, 7, 14, 9, 24, 80, 24, 10)):
        letter = column_letter(headers.index(name))
        sheet.range(f"{letter}1").column_width = width
    sheet.freeze_panes.freeze_at("A2")


def show_findings(book, findings: pd.DataFrame) -> int:
    """Clear the last run's marks, mark the cells, rewrite the 问题 sheet.
    Returns how many cells with findings were left unmarked (over MARK_LIMIT)."""
    clear_previous_marks(book)
    marked = mark_cells(book, findings)
    write_issues(book, findings, marked)
    cells = findings.loc[findings["cell"].notna(), ["sheet", "cell"]].drop_duplicates()
    return max(len(cells) - MARK_LIMIT, 0)


def replace_sheet(book, name: str, frame: pd.DataFrame, text_columns=(), after: str | None = None,
                  number_formats: dict[str, str] | None = None) -> None:
    """Write `frame` (header + rows) to a fresh sheet `name`, replacing any sheet of that name.

    Columns in `text_columns` are formatted as text before the values are written, so IDs
    keep their digits and leading zeros; `number_formats` maps other columns to formats.
    """
    old = _sheet_or_none(book, name)
    if old is not None:
        old.delete()
    anchor = _sheet_or_none(book, after) if after else None
    sheet = book.sheets.add(name, after=anchor or book.sheets[len(book.sheets) - 1])
    count = len(frame) + 1
    formats = {**(number_formats or {}), **{c: "@" for c in text_columns}}
    for column, fmt in formats.items():
        if column in frame.columns:
            letter = column_letter(list(frame.columns).index(column))
            sheet.range(f"{letter}1:{letter}{count}").number_format = fmt
    values = frame.astype(object).where(frame.notna(), None).values.tolist()
    sheet["A1"].value = [list(frame.columns)] + values
    header = sheet.range((1, 1), (1, max(len(frame.columns), 1)))
    header.font.bold = True
    sheet.freeze_panes.freeze_at("A2")
    return sheet
