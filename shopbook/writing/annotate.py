"""Marking findings on the user's workbook: fills and notes on bad cells, a 问题 sheet.

Works on a copy (or in place after a backup); the user's values are never changed. Marks
from an earlier run (notes by "shopbook", our fills) are cleared first, so a re-run does
not leave stale highlights.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from shopbook.findings import FIELDS
from shopbook.writing.safe import atomic_path

AUTHOR = "shopbook"
ISSUES_SHEET = "问题"
FILLS = {"error": "FFFFC7CE", "warning": "FFFFEB9C"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
RANK = {"error": 0, "warning": 1, "info": 2}
HEADER_FILL = PatternFill("solid", fgColor="FF305496")
ISSUES_HEADERS = ["序号", "严重程度", "工作表", "行", "列", "单元格", "代码", "说明", "原值"]


def note_text(group: pd.DataFrame) -> str:
    """The note on one cell: each of its findings on a line."""
    return "\n".join(f"【{SEVERITY_ZH[s]}】{m}({c})" for s, m, c in
                     zip(group["severity"], group["message"], group["code"]))


def issue_row(number: int, f) -> list:
    """One finding (a row tuple of FIELDS) as a row of the 问题 sheet, under ISSUES_HEADERS."""
    return [number, SEVERITY_ZH.get(f.severity, f.severity), f.sheet,
            None if pd.isna(f.row) else int(f.row), f.column, f.cell, f.code, f.message,
            None if f.value is None or pd.isna(f.value) else str(f.value)]


def load_for_edit(source: Path, book_cells=None, keep_vba: bool = False) -> openpyxl.Workbook:
    """openpyxl workbook of the source; .xls/.csv become a fresh workbook of their values."""
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        return openpyxl.load_workbook(source, keep_vba=keep_vba, rich_text=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in book_cells.sheet_names:
        ws = wb.create_sheet(name[:31])
        for row in book_cells.sheet(name).cells.itertuples(index=False):
            ws.append([None if v is None or v == "" or (isinstance(v, float) and v != v)
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
            if cell.comment.author == AUTHOR:
                cell.comment = None
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
        note = Comment(note_text(group), AUTHOR)
        note.width, note.height = 320, min(60 + 60 * len(group), 400)
        cell.comment = note


def issues_sheet(wb: openpyxl.Workbook, findings: pd.DataFrame) -> None:
    """(Re)create the 问题 sheet: every finding, each with a link to its cell."""
    if ISSUES_SHEET in wb.sheetnames:
        del wb[ISSUES_SHEET]
    ws = wb.create_sheet(ISSUES_SHEET, 0)
    ws.append(ISSUES_HEADERS)
    for i, f in enumerate(findings[FIELDS].itertuples(index=False), start=1):
        ws.append(issue_row(i, f))
        if f.cell and f.sheet in wb.sheetnames:
            link = ws.cell(row=i + 1, column=6)
            link.hyperlink = f"#'{f.sheet}'!{f.cell}"
            link.font = Font(color="FF0563C1", underline="single")
        sev = ws.cell(row=i + 1, column=2)
        if f.severity in FILLS:
            sev.fill = PatternFill("solid", fgColor=FILLS[f.severity])
        ws.cell(row=i + 1, column=9).number_format = "@"
    for col, width in zip(range(1, 10), (6, 9, 10, 7, 14, 9, 24, 80, 24)):
        ws.column_dimensions[get_column_letter(col)].width = width
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    ws.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    if len(findings) <= 20000:  # per-cell styles cost time; a huge list stays unwrapped
        for (cell,) in ws.iter_rows(min_row=2, min_col=8, max_col=8):
            cell.alignment = wrap
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    if len(findings):
        ws.auto_filter.ref = f"A1:I{len(findings) + 1}"
    if not len(findings):
        ws.append([None, None, None, None, None, None, None, "没有发现问题。"])


def write_marked(source: Path, findings: pd.DataFrame, target: Path, book=None, keep_vba: bool | None = None) -> Path:
    """Save a marked copy of `source` at `target` (atomically). Macros are kept when both are .xlsm."""
    if target.suffix.lower() not in (".xlsx", ".xlsm"):
        target = target.with_suffix(".xlsx")
    if keep_vba is None:
        keep_vba = source.suffix.lower() == ".xlsm" and target.suffix.lower() == ".xlsm"
    wb = load_for_edit(source, book, keep_vba=keep_vba)
    clear_previous_marks(wb)
    mark(wb, findings)
    issues_sheet(wb, findings)
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target
