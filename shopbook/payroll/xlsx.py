"""Writing the payroll result: the result workbook (工资表, 工资条, 银行代发, 个税累计, 责任金台账,
问题) and the bank csv. Every write is atomic (temp file + rename) and refuses a workbook open
in Excel."""
from __future__ import annotations

import csv
import io
from copy import copy
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.pagebreak import Break, RowBreak

from shopbook.core.months import month_title
from shopbook.core.report import error_count
from shopbook.payroll.job import PayrollResult
from shopbook.payroll.lists import MONEY_COLUMNS, PAY_SHEET_COLUMNS, TEXT_COLUMNS, WIDTHS, strip_headers, strip_values
from shopbook.writing import cells, marks
from shopbook.writing.annotate import HEADER_FILL, issues_sheet
from shopbook.writing.cells import FORMULA_START
from shopbook.writing.safe import atomic_path

MONEY_FORMAT = "#,##0.00"
TEXT_FORMAT = "@"
THIN = Side(style="thin", color="FF999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FONT = Font(bold=True, color="FFFFFFFF")
STRIP_FILL = PatternFill("solid", fgColor="FFDDEBF7")


# --- writing ----------------------------------------------------------------------------------
def _put(ws, row: int, column: int, value, number_format: str | None = None):
    """Write one cell; text is always text (a name starting with = never becomes a formula)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        value = None
    cell = cells.put(ws.cell(row=row, column=column), value)
    if number_format:
        cell.number_format = number_format
    return cell


def _header(ws, row: int, headers: list[str]) -> None:
    for i, text in enumerate(headers, start=1):
        cell = _put(ws, row, i, text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX


def _frame_sheet(ws, frame: pd.DataFrame, *, first_row: int = 1, total_row: bool = False) -> None:
    """A plain table: header, typed cells (money 2 decimals, IDs as text), frozen header."""
    headers = list(frame.columns)
    _header(ws, first_row, headers)
    for r, values in enumerate(frame.itertuples(index=False), start=first_row + 1):
        for c, (name, value) in enumerate(zip(headers, values), start=1):
            fmt = MONEY_FORMAT if name in MONEY_COLUMNS else TEXT_FORMAT if name in TEXT_COLUMNS else None
            cell = _put(ws, r, c, value, fmt)
            if name in ("说明", "问题"):  # one line per person on screen; the 工资条 prints them wrapped
                cell.alignment = Alignment(wrap_text=False, vertical="top")
    if total_row and len(frame):
        r = first_row + len(frame) + 1
        _put(ws, r, 1, "合计").font = Font(bold=True)
        for c, name in enumerate(headers, start=1):
            if name in MONEY_COLUMNS:
                total = sum((v for v in frame[name] if isinstance(v, Decimal)), Decimal("0.00"))
                _put(ws, r, c, total, MONEY_FORMAT).font = Font(bold=True)
    for c, name in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(c)].width = WIDTHS.get(name, 11)
    ws.freeze_panes = ws.cell(row=first_row + 1, column=1)


def _lines(text: str | None, width: float) -> int:
    """How many lines `text` takes in a wrapped column `width` characters wide (CJK count 2)."""
    units = sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text or "")
    return max(1, -(-units // int(width)))


def _title(ws, text: str, width: int) -> None:
    _put(ws, 1, 1, text).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 24


def payslip_sheet(ws, result: PayrollResult) -> None:
    """工资条: per person a copy of the header, their row, their explanation, a blank row;
    A4 landscape, fit to width, page breaks only between strips."""
    with_bonus = any(s.annual_bonus for s in result.slips)
    headers = strip_headers(with_bonus)
    width = len(headers)
    _title(ws, f"{result.month.year} 年 {result.month.month} 月 工资条", width)
    widths = [{"身份证号": 20, "银行账号": 22, "岗位": 11}.get(name, 9.5) for name in headers]
    strip_width = sum(widths) * 0.95  # the explanation spans the strip
    row = 3
    breaks = []
    for n, s in enumerate(result.slips, start=1):
        values = strip_values(s, with_bonus)
        note_text = f"说明({result.month.year} 年 {result.month.month} 月):" + s.payslip_explanation
        if n == 1:  # the first strip is styled cell by cell; later strips copy its styles (fast)
            _header(ws, row, headers)
            for c, (name, value) in enumerate(zip(headers, values), start=1):
                fmt = MONEY_FORMAT if name in MONEY_COLUMNS else TEXT_FORMAT if name in TEXT_COLUMNS else None
                cell = _put(ws, row + 1, c, value, fmt)
                cell.border = BOX
                cell.alignment = Alignment(horizontal="center" if fmt != MONEY_FORMAT else "right", vertical="center")
            note = _put(ws, row + 2, 1, note_text)
            note.alignment = Alignment(wrap_text=True, vertical="top")
            note.fill = STRIP_FILL
            styles = [[copy(ws.cell(row=row + k, column=c)._style) for c in range(1, width + 1)] for k in range(3)]
        else:
            for k, line in enumerate((headers, values, [note_text])):
                for c, value in enumerate(line, start=1):
                    _put(ws, row + k, c, value)._style = copy(styles[k][c - 1])
        # the explanation spans the strip's width (added directly: merge_cells would also
        # create a placeholder cell for every covered cell, which is slow for hundreds of strips)
        ws.merged_cells.add(CellRange(min_row=row + 2, min_col=1, max_row=row + 2, max_col=width))
        ws.row_dimensions[row + 2].height = 15 * _lines(note_text, strip_width) + 3
        row += 4  # header, values, explanation, blank row between strips
        if n % 6 == 0 and n < len(result.slips):
            breaks.append(row - 1)
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.page_setup.orientation = "landscape"
    _a4_one_page_wide(ws)
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if breaks:
        ws.row_breaks = RowBreak(brk=[Break(id=r) for r in breaks])
    _page_header(ws, f"{result.month.year} 年 {result.month.month} 月 工资条")


def _a4_one_page_wide(ws) -> None:
    """A4, one page wide and as many pages down as needed, centred, narrow side margins."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4


def _print_table(ws, title: str, header_row: int = 1) -> None:
    """A plain table sheet made printable: A4, one page wide (as many pages down as needed), the
    header row on every page, landscape when its columns are wider than a portrait page. A 说明
    column (100 wide for one line per person on screen) is narrowed to its longest text, at most
    60, and wraps beyond that."""
    used = ws.max_column
    for c in range(1, used + 1):
        if ws.cell(row=header_row, column=c).value not in ("说明", "问题"):
            continue
        cells = [ws.cell(row=r, column=c) for r in range(header_row + 1, ws.max_row + 1)]
        longest = max((_lines(str(x.value), 1) for x in cells if x.value), default=0)
        width = min(max(longest + 2, 12), 60)
        ws.column_dimensions[get_column_letter(c)].width = width
        for x in cells:
            if x.value and _lines(str(x.value), width) > 1:
                x.alignment = Alignment(wrap_text=True, vertical="top")
                ws.row_dimensions[x.row].height = 15 * _lines(str(x.value), width) + 3
    widths = [ws.column_dimensions[get_column_letter(c)].width or 11 for c in range(1, used + 1)]
    width = sum(widths)
    headers = [str(ws.cell(row=header_row, column=c).value or "") for c in range(1, used + 1)]
    if any(_lines(h, w) > 1 for h, w in zip(headers, widths)):  # a wrapped header needs its second line
        ws.row_dimensions[header_row].height = 30
    ws.page_setup.orientation = "landscape" if width > PORTRAIT_WIDTH else "portrait"
    _a4_one_page_wide(ws)
    ws.print_title_rows = f"{header_row}:{header_row}"
    _page_header(ws, title)


PORTRAIT_WIDTH = 95  # column-width units that fit across a portrait A4 page at 100 %


def _page_header(ws, title: str) -> None:
    """Printed pages carry the title and 第 n 页 / 共 N 页."""
    ws.oddHeader.center.text = title
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"


def write_payroll_workbook(result: PayrollResult, findings: pd.DataFrame, target: Path) -> Path:
    """Write the result workbook atomically; the bank total is checked first."""
    result.check_bank_total()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "工资表"
    sheet = result.sheet()
    _title(ws, f"{result.month.year} 年 {result.month.month} 月 工资表", len(sheet.columns))
    _frame_sheet(ws, sheet, first_row=2, total_row=True)
    for r in range(3, len(sheet) + 3):
        if ws.cell(row=r, column=len(sheet.columns)).value:
            ws.cell(row=r, column=len(sheet.columns)).fill = PatternFill("solid", fgColor="FFFFC7CE")
    ws.auto_filter.ref = f"A2:{get_column_letter(len(sheet.columns))}{len(sheet) + 2}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.row_dimensions[2].height = 30
    # printed: the amounts up to 实发工资 (the explanations print on the 工资条), with the
    # header row and who the row is about on every page
    ws.print_area = f"A1:{get_column_letter(PAY_SHEET_COLUMNS.index('实发工资') + 1)}{len(sheet) + 3}"
    ws.print_title_rows = "2:2"
    ws.print_title_cols = "A:D"
    ws.page_setup.pageOrder = "overThenDown"
    _page_header(ws, f"{result.month.year} 年 {result.month.month} 月 工资表")

    payslip_sheet(wb.create_sheet("工资条"), result)
    month = month_title(result.month)
    tables = [("银行代发", result.bank, f"{month} 银行代发")]
    if len(result.left_out):
        tables.append(("未代发名单", result.left_out, f"{month} 未列入银行代发的人员"))
    tables += [("个税累计", result.tax_ytd, f"个税累计(截至 {month})"),
               ("责任金台账", result.duty_ledger, f"司库责任金台账(截至 {month})")]
    errors = error_count(findings)
    for name, frame, title in tables:
        ws = wb.create_sheet(name)
        first_row = 1
        if name == "银行代发" and errors:  # the sheet stays for checking, but cannot be uploaded as it is
            banner = _put(ws, 1, 1, f"{UNCHECKED_BANNER}(错误 {errors} 个,见「问题」表;改正后重新计算)")
            banner.font = Font(bold=True, color="FFFFFFFF")
            banner.fill = PatternFill("solid", fgColor="FFC00000")
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(frame.columns), 1))
            ws.row_dimensions[1].height = 22
            first_row = 2
        _frame_sheet(ws, frame, first_row=first_row)
        _print_table(ws, title, header_row=first_row)
    if result.scores is not None:
        score_sheet(wb.create_sheet(SCORE_SHEET), result)
    issues_sheet(wb, findings)
    wb.move_sheet("问题", offset=len(wb.sheetnames) - 1)
    wb.active = 0
    marks.mark_openpyxl(wb, "payroll")
    target = Path(target)
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target


SCORE_SHEET = "奖罚评分表"


def score_sheet(ws, result: PayrollResult) -> None:
    """奖罚评分表: title with the month and 制表日期, one row per person (points, amounts, the
    entries in 说明), the signature lines; A4 one page wide, header repeated."""
    frame = result.scores
    title = f"{result.month.year} 年 {result.month.month} 月 奖罚评分表"
    _title(ws, f"{title}    制表日期 {result.scored_on:%Y-%m-%d}", len(frame.columns))
    _frame_sheet(ws, frame, first_row=2)
    for c, name in enumerate(frame.columns, start=1):
        fmt = {"奖励金额": MONEY_FORMAT, "罚款金额": MONEY_FORMAT, "工号": TEXT_FORMAT}.get(name, "0.##;-0.##;0")
        if name not in ("序号", "姓名", "岗位", "说明"):
            for r in range(3, len(frame) + 3):
                ws.cell(row=r, column=c).number_format = fmt
        ws.column_dimensions[get_column_letter(c)].width = {"序号": 5, "工号": 8, "姓名": 9, "岗位": 10}.get(name, 9)
    _print_table(ws, f"{title} · 制表日期 {result.scored_on:%Y-%m-%d}", header_row=2)
    for row in ws.iter_rows(min_row=3, max_row=len(frame) + 2):  # a row made taller by its 说明 reads top-down
        for cell in row:
            cell.alignment = Alignment(wrap_text=cell.alignment.wrap_text, vertical="top")
    last = len(frame) + 4
    _put(ws, last, 1, "制表人:______________")
    _put(ws, last, 5, "批准人:______________")
    _put(ws, last, 9, "日期:______________")


UNCHECKED_BANNER = "有错误未核对,不可直接上传银行"
UNCHECKED_SUFFIX = "-未核对"


def unchecked_name(path: Path) -> Path:
    """代发.csv -> 代发-未核对.csv: a bank file written despite errors says so in its name."""
    path = Path(path)
    return path.with_name(f"{path.stem}{UNCHECKED_SUFFIX}{path.suffix}")


def csv_safe(value) -> str:
    """A csv field: text starting with = + - @ (or tab/CR) gets a leading ' so a spreadsheet
    never runs it as a formula; amounts are written as plain numbers."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def bank_csv_text(result: PayrollResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.bank.columns)
    for row in result.bank.itertuples(index=False):
        writer.writerow([csv_safe(v) for v in row])
    return out.getvalue()


def write_bank_csv(result: PayrollResult, target: Path) -> Path:
    """The bank payroll file as csv (UTF-8 with BOM, so Excel shows the Chinese headers)."""
    result.check_bank_total()
    target = Path(target)
    with atomic_path(target) as tmp:
        tmp.write_text(bank_csv_text(result), encoding="utf-8-sig", newline="")
    return target
