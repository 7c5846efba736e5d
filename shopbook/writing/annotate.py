"""Marking findings on the user's workbook: fills and notes on bad cells, a 问题 sheet.

Works on a copy (or in place after a backup); the user's values are never changed. Marks
from an earlier run (notes by "shopbook", our fills) are cleared first, so a re-run does
not leave stale highlights. A note the user wrote on a flagged cell is kept: ours goes
below a marker line (shopbook.writing.notes) and clearing gives the user's text back.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from shopbook.core.codes import CODES
from shopbook.core.findings import FIELDS
from shopbook.core.report import SEVERITY_ZH  # noqa: F401 (the writers name severities the same way)
from shopbook.writing import marks, notes
from shopbook.writing.cells import append_row, put, shown_number_text
from shopbook.writing.preserve import load_for_rewrite, refuse_if_sheets_lost
from shopbook.writing.safe import atomic_path

AUTHOR = "shopbook"
ISSUES_SHEET = "问题"
FILLS = {"error": "FFFFC7CE", "warning": "FFFFEB9C"}
RANK = {"error": 0, "warning": 1, "info": 2}
HEADER_FILL = PatternFill("solid", fgColor="FF305496")
# the 问题 sheet of every job (openpyxl here, XlsxWriter in issues_sheet_xlsxwriter, xlwings in
# shopbook.excel.results): header and column width
ISSUES_COLUMNS = (("序号", 6), ("严重程度", 9), ("工作表", 10), ("行", 7), ("列", 14), ("单元格", 9),
                  ("代码", 24), ("问题", 18), ("说明", 80), ("原值", 24))
ISSUES_HEADERS = [name for name, _ in ISSUES_COLUMNS]
WRAP_LIMIT = 20000  # per-cell styles cost openpyxl time; a longer list stays unwrapped


def note_text(group: pd.DataFrame) -> str:
    """The note on one cell: each of its findings on a line."""
    return "\n".join(f"【{SEVERITY_ZH[s]}】{m}({c})" for s, m, c in
                     zip(group["severity"], group["message"], group["code"]))


def issue_row(number: int, f) -> list:
    """One finding (a row tuple of FIELDS) as a row of the 问题 sheet, under ISSUES_HEADERS:
    the code's Chinese title beside the code, 原值 as Excel shows the number (no exponent)."""
    spec = CODES.get(f.code)
    return [number, SEVERITY_ZH.get(f.severity, f.severity), f.sheet,
            None if pd.isna(f.row) else int(f.row), f.column, f.cell, f.code, spec.title if spec else None,
            f.message, None if f.value is None or pd.isna(f.value) else shown_number_text(str(f.value))]


def load_for_edit(source: Path, book_cells=None, keep_vba: bool = False) -> openpyxl.Workbook:
    """openpyxl workbook of the source; .xls/.csv become a fresh workbook of their values."""
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        return load_for_rewrite(source, keep_vba=keep_vba)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in book_cells.sheet_names:
        ws = wb.create_sheet(name[:31])
        for row in book_cells.sheet(name).cells.itertuples(index=False):
            append_row(ws, [None if v is None or v == "" or (isinstance(v, float) and v != v)
                            else ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    return wb


def clear_previous_marks(wb: openpyxl.Workbook) -> None:
    ours = {v for v in FILLS.values()}
    for ws in wb.worksheets:
        if ws.title == ISSUES_SHEET:
            continue
        # only the cells the file holds (iter_rows would create every cell up to a styled one
        # at XFD1048576: 17 billion), and of those only the ones with a note
        for cell in [c for c in ws._cells.values() if c.comment is not None]:
            if remove_our_note(cell):
                if cell.fill is not None and cell.fill.fgColor is not None and cell.fill.fgColor.rgb in ours:
                    cell.fill = PatternFill()


def merge_origin(ws, address: str) -> str:
    """`address`, or the top-left cell of the merged range that covers it: the other cells of a
    merge hold nothing and take no fill or note, so their findings are marked there."""
    if isinstance(ws[address], MergedCell):
        for merged in ws.merged_cells.ranges:
            if address in merged:
                return f"{get_column_letter(merged.min_col)}{merged.min_row}"
    return address


def mark(wb: openpyxl.Workbook, findings: pd.DataFrame) -> None:
    """Fill each finding's cell (errors red, warnings yellow) and give it a note."""
    cells = findings[findings["cell"].notna()]
    if cells.empty:
        return
    merges = {ws.title: ws for ws in wb.worksheets if ws.merged_cells.ranges}
    cells = cells.assign(rank=cells["severity"].map(RANK),
                         target=[merge_origin(merges[s], a) if s in merges else a
                                 for s, a in zip(cells["sheet"], cells["cell"])])
    for (sheet, address), group in cells.groupby(["sheet", "target"], sort=False):
        if sheet not in wb.sheetnames:
            continue
        ws = wb[sheet]
        worst = group.sort_values("rank").iloc[0]["severity"]
        cell = ws[address]
        if worst in FILLS:
            cell.fill = PatternFill("solid", fgColor=FILLS[worst])
        add_our_note(cell, note_text(group), len(group))


def add_our_note(cell, text: str, lines: int) -> None:
    """Our note on a cell; a note the user wrote there is kept, ours goes below the marker."""
    user = cell.comment
    if user is None or user.author == AUTHOR:
        note = Comment(text, AUTHOR)
        note.width, note.height = 320, min(60 + 60 * lines, 400)
    else:
        note = Comment(notes.with_our_note(user.text, text), user.author)
        note.width, note.height = max(user.width or 0, 320), min(80 + 60 * lines + 15 * user.text.count("\n"), 600)
    cell.comment = note


def remove_our_note(cell) -> bool:
    """Take our note off a cell: delete a note of ours, give a user's note back its own text.
    Returns whether the cell had a note of ours (so its fill is ours too)."""
    note = cell.comment
    if note.author == AUTHOR and not notes.has_our_part(note.text):
        cell.comment = None
        return True
    if notes.has_our_part(note.text):
        cell.comment = Comment(notes.user_part(note.text), note.author)
        return True
    return False


def _link_target(sheet: str, cell: str) -> str:
    return "'{}'!{}".format(sheet.replace("'", "''"), cell)


def issues_sheet(wb: openpyxl.Workbook, findings: pd.DataFrame) -> None:
    """(Re)create the 问题 sheet: every finding, each with a link to its cell."""
    if ISSUES_SHEET in wb.sheetnames:
        del wb[ISSUES_SHEET]
    ws = wb.create_sheet(ISSUES_SHEET, 0)
    ws.append(ISSUES_HEADERS)
    at = {name: i for i, name in enumerate(ISSUES_HEADERS, start=1)}
    for i, f in enumerate(findings[FIELDS].itertuples(index=False), start=1):
        append_row(ws, issue_row(i, f))
        if f.cell and f.sheet in wb.sheetnames:
            link = ws.cell(row=i + 1, column=at["单元格"])
            link.hyperlink = "#" + _link_target(f.sheet, f.cell)
            link.font = Font(color="FF0563C1", underline="single")
        sev = ws.cell(row=i + 1, column=at["严重程度"])
        if f.severity in FILLS:
            sev.fill = PatternFill("solid", fgColor=FILLS[f.severity])
        ws.cell(row=i + 1, column=at["原值"]).number_format = "@"
    for col, (_, width) in enumerate(ISSUES_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    ws.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    if len(findings) <= WRAP_LIMIT:
        for (cell,) in ws.iter_rows(min_row=2, min_col=at["说明"], max_col=at["说明"]):
            cell.alignment = wrap
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    if len(findings):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(ISSUES_HEADERS))}{len(findings) + 1}"
    if not len(findings):
        put(ws.cell(row=2, column=at["说明"]), "没有发现问题。")


def issues_sheet_xlsxwriter(wb, findings: pd.DataFrame):
    """The same 问题 sheet in a workbook XlsxWriter is writing (rows in order, so it works in
    constant_memory mode); links to cells of sheets of this workbook. Returns the worksheet."""
    ws = wb.add_worksheet(ISSUES_SHEET)
    header = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#" + HEADER_FILL.fgColor.rgb[2:],
                            "align": "center", "valign": "vcenter"})
    plain = wb.add_format({"valign": "top"})
    text = wb.add_format({"valign": "top", "num_format": "@"})
    wrap = wb.add_format({"valign": "top", "text_wrap": True})
    link = wb.add_format({"valign": "top", "font_color": "#0563C1", "underline": 1})
    fills = {s: wb.add_format({"valign": "top", "bg_color": "#" + argb[2:]}) for s, argb in FILLS.items()}
    at = {name: i for i, name in enumerate(ISSUES_HEADERS)}
    for c, (name, width) in enumerate(ISSUES_COLUMNS):
        ws.set_column(c, c, width)
        ws.write_string(0, c, name, header)
    ws.freeze_panes(1, 0)
    sheets = {sheet.get_name() for sheet in wb.worksheets()}
    for r, f in enumerate(findings[FIELDS].itertuples(index=False), start=1):
        for c, value in enumerate(issue_row(r, f)):
            if value is None or value == "":
                continue
            if c == at["单元格"] and f.sheet in sheets:
                ws.write_url(r, c, "internal:" + _link_target(f.sheet, f.cell), link, string=value)
            elif isinstance(value, str):
                style = (wrap if c == at["说明"] else fills.get(f.severity, plain) if c == at["严重程度"]
                         else text if c == at["原值"] else plain)
                ws.write_string(r, c, value, style)
            else:
                ws.write_number(r, c, value, plain)
    if len(findings):
        ws.autofilter(0, 0, len(findings), len(ISSUES_HEADERS) - 1)
    else:
        ws.write_string(1, at["说明"], "没有发现问题。")
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    return ws


def marked_target(target: Path) -> Path:
    """Where write_marked writes: the target, as .xlsx unless it is .xlsx/.xlsm."""
    target = Path(target)
    return target if target.suffix.lower() in (".xlsx", ".xlsm") else target.with_suffix(".xlsx")


def write_marked(source: Path, findings: pd.DataFrame, target: Path, book=None, keep_vba: bool | None = None,
                 job: str | None = "validate", before_save=None) -> Path:
    """Save a marked copy of `source` at `target` (atomically). Macros are kept when both are .xlsm.

    A copy is marked as the result of `job` (shopbook.writing.marks); `job=None` is the
    user's own workbook marked in place, which carries no such mark. Refuses (UnusableInput)
    when openpyxl cannot read every sheet the fast reader found in `book`, before anything
    is written; `before_save()` (the backup of an in-place write) runs after that check."""
    target = marked_target(target)
    if keep_vba is None:
        keep_vba = source.suffix.lower() == ".xlsm" and target.suffix.lower() == ".xlsm"
    wb = load_for_edit(source, book, keep_vba=keep_vba)
    if book is not None:
        refuse_if_sheets_lost(source, [name[:31] for name in book.sheet_names], wb)
    clear_previous_marks(wb)
    mark(wb, findings)
    issues_sheet(wb, findings)
    if job:
        marks.mark_openpyxl(wb, job)
    else:
        marks.unmark_openpyxl(wb)
    if before_save is not None:
        before_save()
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target
