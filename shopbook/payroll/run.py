"""Payroll file adapters: read the payroll workbook, run shopbook.payroll.job, write the result
workbook (工资表, 工资条, 银行代发, 个税累计, 责任金台账, 问题) and the bank csv.

Every write is atomic (temp file + rename) and refuses a workbook open in Excel.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.pagebreak import Break, RowBreak

from shopbook.core import findings as fnd
from shopbook.payroll.job import (ATTENDANCE, DUTY_LEDGER, EMPLOYEES, KINDS, PAY_SHEET_COLUMNS, PERFORMANCE, SEPARATE,
                              TAX_YTD, PayrollResult, PayrollTables, code_titles, compute_payroll, load_pay_scheme, mask,
                              month_end, month_label)
from shopbook.reading.files import Sheet, UnusableInput, Workbook, open_workbook
from shopbook.reading.tables import assign_sheets, parse_table, require
from shopbook.rules import load_rules
from shopbook.writing import cells, marks
from shopbook.writing.annotate import HEADER_FILL, SEVERITY_ZH, issues_sheet
from shopbook.writing.cells import FORMULA_START
from shopbook.writing.safe import atomic_path, check_outputs

MONEY_FORMAT = "#,##0.00"
TEXT_FORMAT = "@"
THIN = Side(style="thin", color="FF999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FONT = Font(bold=True, color="FFFFFFFF")
STRIP_FILL = PatternFill("solid", fgColor="FFDDEBF7")


# --- reading ----------------------------------------------------------------------------------
def read_payroll_book(book: Workbook) -> PayrollTables:
    """The payroll sheets of a workbook (by name/alias, else by header row); 员工 is required."""
    found = assign_sheets(book, list(KINDS))
    tables = {}
    for kind in KINDS:
        if kind.name in found:
            name, header_pos = found[kind.name]
            tables[kind.name] = parse_table(book.sheet(name), kind, header_pos)
    employees = require(tables.get(EMPLOYEES.name), book, EMPLOYEES)
    return PayrollTables(employees, tables.get(ATTENDANCE.name), tables.get(PERFORMANCE.name),
                         tables.get(TAX_YTD.name), tables.get(DUTY_LEDGER.name))


def month_to_pay(tables: PayrollTables, as_of: dt.datetime) -> dt.date:
    """The month a workbook without --month pays (the 计算工资 button): the one after the latest
    年份/截至月份 stamp of 个税累计/责任金台账 (they hold the months already paid), else the month
    before `as_of` (pay is worked out after the month ends)."""
    from shopbook.payroll.job import workbook_month

    stamped = workbook_month(tables)
    if stamped is not None:
        return stamped
    first = as_of.date().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


# the sheets the payroll writes into its workbook (the 计算工资 button; 未代发名单 only when someone is left out)
RESULT_SHEETS = ("工资表", "工资条", "银行代发", "未代发名单", "下月个税累计", "下月责任金台账")


def _cell_value(v):
    """Decimal/date values as a reader would see them in a real workbook."""
    if isinstance(v, Decimal):
        return f"{v:.2f}"
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return None
    return v


def memory_book(sheets: dict, name: str = "内存工作簿.xlsx") -> Workbook:
    """A Workbook held in memory: {sheet: DataFrame (headers as columns) or rows (first = header)}.
    Lets tests and chained months run the job without files."""
    frames = {}
    for sheet, content in sheets.items():
        if isinstance(content, pd.DataFrame):
            rows = [list(content.columns)] + [[_cell_value(v) for v in r] for r in content.itertuples(index=False)]
        else:
            rows = [[_cell_value(v) for v in r] for r in content]
        width = max((len(r) for r in rows), default=0)
        frames[sheet] = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)
    return Workbook(Path(name), list(frames), lambda s: Sheet(s, frames[s]))


def read_payroll(path: Path) -> PayrollTables:
    return read_payroll_book(open_workbook(path))


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


MONEY_COLUMNS = {"底薪", "缺勤扣款", "计件工资", "奖金", "奖励", "罚款", "应发工资", "养老保险", "医疗保险", "失业保险",
                 "社保合计", "社保", "公积金", "专项附加扣除", "个人所得税", "个税", "年终奖", "年终奖个税", "实发工资",
                 "累计收入", "累计专项扣除", "累计专项附加扣除", "累计已预扣税额", "累计责任金", "金额"}
TEXT_COLUMNS = {"工号", "身份证号", "银行账号", "账号"}
WIDTHS = {"序号": 5, "工号": 9, "姓名": 8, "岗位": 11, "身份证号": 20, "银行账号": 22, "账号": 24, "户名": 10,
          "开户行": 16, "说明": 100, "问题": 24, "年终奖计税方式": 9, "年终奖单独计税": 10, "季度": 9, "原因": 16}


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


STRIP_COLUMNS = ["工号", "姓名", "岗位", "身份证号", "银行账号", "应出勤", "实出勤", "底薪", "缺勤扣款", "计件工资",
                 "奖金", "奖励", "罚款", "应发工资", "社保", "公积金", "个税", "实发工资"]
BONUS_STRIP_COLUMNS = ["年终奖", "年终奖个税"]


def strip_values(s, with_bonus: bool) -> list:
    values = [s.id, s.name, s.position, mask(s.id_card), mask(s.account), s.expected_days, s.actual_days, s.base,
              s.absence_deduction, s.piece_pay, s.bonus, s.reward, s.penalty, s.gross, s.social_insurance,
              s.housing_fund, s.iit, s.net]
    if with_bonus:
        values[-1:-1] = [s.annual_bonus, s.annual_bonus_tax]
    return [float(v) if isinstance(v, Decimal) and k in ("应出勤", "实出勤") else v
            for k, v in zip(strip_headers(with_bonus), values)]


def strip_headers(with_bonus: bool) -> list[str]:
    headers = list(STRIP_COLUMNS)
    if with_bonus:
        headers[-1:-1] = BONUS_STRIP_COLUMNS
    return headers


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
    month = f"{result.month.year} 年 {result.month.month} 月"
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
    issues_sheet(wb, findings)
    wb.move_sheet("问题", offset=len(wb.sheetnames) - 1)
    wb.active = 0
    marks.mark_openpyxl(wb, "payroll")
    target = Path(target)
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target


UNCHECKED_BANNER = "有错误未核对,不可直接上传银行"
UNCHECKED_SUFFIX = "-未核对"


def error_count(findings: pd.DataFrame) -> int:
    return int((findings["severity"] == "error").sum()) if len(findings) else 0


def unchecked_name(path: Path) -> Path:
    """代发.csv -> 代发-未核对.csv: a bank file written despite errors says so in its name."""
    path = Path(path)
    return path.with_name(f"{path.stem}{UNCHECKED_SUFFIX}{path.suffix}")


def errors_text(findings: pd.DataFrame) -> str:
    """The error findings by kind: 'base-missing 缺少底薪 1 处、…'."""
    from shopbook.core.codes import CODES

    errors = findings[findings["severity"] == "error"]
    counts = errors["code"].value_counts(sort=False)
    return "、".join(f"{code} {CODES[code].title} {n} 处" for code, n in counts.items())


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


# --- the job end to end ------------------------------------------------------------------------
@dataclass
class PayrollRun:
    path: Path
    result: PayrollResult
    findings: pd.DataFrame
    written: Path | None = None
    bank_csv: Path | None = None
    bank_withheld: Path | None = None  # asked for but not written: there are errors
    bank_unchecked: bool = False  # written despite errors (--force-bank), as …-未核对.csv

    @property
    def exit_code(self) -> int:
        return 1 if (self.findings["severity"] == "error").any() else 0

    def bank_note(self) -> str | None:
        """Why the bank file was not written, or was written as unchecked."""
        errors = error_count(self.findings)
        if self.bank_withheld:
            return (f"未写出银行代发文件 {self.bank_withheld}:有 {errors} 个错误未改正({errors_text(self.findings)}),"
                    f"代发金额可能不准。请改正后重新计算;确需先导出核对,加 --force-bank"
                    f"(文件名将带「{UNCHECKED_SUFFIX}」)。")
        if self.bank_unchecked:
            return (f"银行代发文件写成了 {self.bank_csv}(--force-bank):有 {errors} 个错误未改正"
                    f"({errors_text(self.findings)}),这份文件仅供核对,不可直接上传银行。")
        return None

    def as_json(self) -> dict:
        data = self.result.as_json(self.findings)
        data["summary"] = fnd.summary(self.findings)
        data["outputs"] = {"workbook": str(self.written) if self.written else None,
                           "bank_csv": str(self.bank_csv) if self.bank_csv else None,
                           "bank_csv_withheld": str(self.bank_withheld) if self.bank_withheld else None,
                           "bank_csv_unchecked": self.bank_unchecked, "bank_note": self.bank_note()}
        return data

    def report(self, limit: int = 200) -> str:
        r, t = self.result, self.result.totals
        lines = [f"工资 {month_label(r.month)}({self.path.name}):{len(r.slips)} 人,应发合计 {t['gross']:.2f},"
                 f"社保 {t['social_insurance']:.2f},公积金 {t['housing_fund']:.2f},个税 {t['iit']:.2f}"
                 + (f",年终奖个税 {t['annual_bonus_tax']:.2f}" if t["annual_bonus_tax"] else "")
                 + f",实发合计 {t['net']:.2f}。",
                 f"银行代发 {len(r.bank)} 人,合计 {r.bank_total:.2f}。"]
        for row in r.left_out.itertuples(index=False):
            lines.append(f"  未列入银行代发: {row.姓名}({row.工号})实发 {row.实发工资:.2f},{row.原因}")
        separate = [s for s in r.slips if s.annual_bonus_method == SEPARATE]
        if separate:
            lines.append(f"年终奖单独计税 {len(separate)} 人。")
        for sheet, group in self.findings.groupby("sheet", sort=False):
            counts = group["severity"].value_counts()
            lines.append(f"\n[{sheet}] 错误 {counts.get('error', 0)},警告 {counts.get('warning', 0)},提示 {counts.get('info', 0)}")
            for f in group.head(limit).itertuples(index=False):
                lines.append(f"  {f.cell or '(整表)':<8} {SEVERITY_ZH[f.severity]} {f.code}: {f.message}")
        if r.affected:
            lines.append("\n有错误、工资可能不准的人员(改正后请重算):")
            for a in r.affected:
                lines.append(f"  {a['name']}({a['id'] or '无工号'}): {code_titles(a['codes'])}")
        s = fnd.summary(self.findings)
        lines.append(f"\n合计: 错误 {s['errors']},警告 {s['warnings']},提示 {s['info']}。")
        if self.written:
            lines.append(f"已写出: {self.written}")
        if self.bank_csv:
            lines.append(f"已写出银行代发文件: {self.bank_csv}")
        if self.bank_note():
            lines.append(self.bank_note())
        if s["errors"]:
            lines.append(f"注意: 有错误未改正,结果工作簿的「银行代发」表首行已标明「{UNCHECKED_BANNER}」,"
                         "仅供核对,请勿直接提交银行。")
        return "\n".join(lines)


def default_output(path: Path, month: dt.date) -> Path:
    return path.with_name(f"{path.stem}-{month_label(month)}-工资结果.xlsx")


def register_counts(paths: list[Path], rules, month: dt.date) -> pd.DataFrame:
    """The month's 绩效 counts from the 客服 registers (评价, 投诉, 联系记录: shopbook.today's
    客服绩效), long form for PayrollTables.counted: 姓名, 项目, 数量, 来源."""
    from shopbook.today.job import pay_counts
    from shopbook.today.run import read_inputs

    end = dt.datetime.combine(month_end(month), dt.time(23, 59, 59))
    inputs = read_inputs(list(paths), rules, end)
    wide = pay_counts(inputs.tables, rules, month)
    files = "、".join(Path(p).name for p in paths)
    sources = {"差评数": "评价表", "差评改好数": "评价表", "催评数": "联系记录", "投诉处理数": "投诉表"}
    long = wide.melt(id_vars=["月份", "客服"], var_name="项目", value_name="数量")
    long["来源"] = long["项目"].map(lambda item: f"{files} {sources.get(item, '')}".rstrip())
    return long.rename(columns={"客服": "姓名"})[["姓名", "项目", "数量", "来源"]]


def run_payroll(path: Path, month: dt.date, rules_path: Path | None = None, *, output: Path | None = None,
                bank_csv: Path | None = None, merge_bonus: bool = False, force_bank: bool = False,
                registers: list[Path] | None = None) -> PayrollRun:
    """Read, compute, write. UnusableInput (exit 2) for files the job cannot use. With error
    findings the bank csv is not written (bank_withheld), unless force_bank: then it is written
    as …-未核对.csv; the 银行代发 sheet of the workbook gets a red banner row instead."""
    path = Path(path)
    output = Path(output) if output else default_output(path, month)
    # no output replaces an input or the other output, whichever name the bank csv gets
    check_outputs([path, rules_path, *(registers or [])], [output, bank_csv, bank_csv and unchecked_name(bank_csv)])
    rules, rule_findings = load_rules(rules_path)
    scheme, scheme_findings = load_pay_scheme(rules)
    tables = read_payroll(path)
    if registers:  # counts the 绩效 sheet leaves blank come from the registers
        tables.counted = register_counts(registers, rules, month)
    result, found = compute_payroll(tables, scheme, month, merge_bonus=merge_bonus)
    findings = fnd.combine([rule_findings, scheme_findings, found])
    run = PayrollRun(path, result, findings)
    run.written = write_payroll_workbook(result, findings, output)
    if bank_csv:
        errors = error_count(findings)
        if errors and not force_bank:
            run.bank_withheld = Path(bank_csv)
        else:
            run.bank_csv = write_bank_csv(result, unchecked_name(bank_csv) if errors else Path(bank_csv))
            run.bank_unchecked = bool(errors)
    return run
