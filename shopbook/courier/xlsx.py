"""The result workbook of 快递对账, written with xlsxwriter (constant memory): 对账汇总, 争议明细,
未计费, 对账明细 (--full) and 问题. The rows come from shopbook.courier.lists.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from shopbook.courier.job import CATEGORIES, CATEGORY_ZH, FIGURES, NOT_BILLED, Reconciliation, kg_text
from shopbook.courier import lists
from shopbook.courier.lists import PAYABLE_NOTE
from shopbook.core.money import fen_text
from shopbook.writing import marks
from shopbook.writing.annotate import issues_sheet_xlsxwriter
from shopbook.writing.pages import header_date
from shopbook.writing.rows import DATE, NUMBER, TEXT, Cells, splice
from shopbook.writing.safe import atomic_path

class _Formats:
    def __init__(self, wb):
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.header = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#305496", "border": 1,
                                     "text_wrap": True, "valign": "vcenter", "align": "center"})
        self.text = wb.add_format({"num_format": "@"})
        self.date = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.money = wb.add_format({"num_format": "#,##0.00"})
        self.money_bold = wb.add_format({"num_format": "#,##0.00", "bold": True, "top": 1})
        self.bold = wb.add_format({"bold": True, "top": 1})
        self.kg = wb.add_format({"num_format": "0.0##"})
        self.int = wb.add_format({"num_format": "0"})
        self.wrap = wb.add_format({"text_wrap": False})
        self.label = wb.add_format({"bold": True})
        self.note = wb.add_format({"font_color": "#595959"})


def _print_setup(ws, title: str, printed: str, header_rows: int = 0) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    if header_rows:
        ws.repeat_rows(0, header_rows - 1)
    ws.set_header(f"&L&\"-,Bold\"{title}&R{printed}")
    ws.set_footer("&C第 &P 页,共 &N 页")


def _column_format(f: _Formats, kind: str):
    return {"waybill": f.text, "text": f.text, "date": f.date, "money": f.money, "kg": f.kg, "int": f.int}.get(kind)


def _sheet_head(wb, f: _Formats, name: str, columns):
    """A list sheet's header row: frozen, text-formatted ID columns, widths."""
    ws = wb.add_worksheet(name)
    ws.freeze_panes(1, 0)
    for c, (header, width, kind) in enumerate(columns):
        ws.set_column(c, c, width, _column_format(f, kind))
        ws.write_string(0, c, header, f.header)
    ws.set_row(0, 30)
    return ws


_SCALE = {"money": 100, "kg": 1000}


def _listing_sheet(wb, f: _Formats, listing: lists.Listing, parts: dict) -> None:
    """A list sheet whose rows are streamed as sheet XML after the workbook is closed
    (shopbook.writing.rows: a tenth of XlsxWriter's per-cell cost); the same cells as _table_sheet."""
    ws = _sheet_head(wb, f, listing.name, listing.columns)
    frame = listing.frame.reset_index(drop=True)
    ws.autofilter(0, 0, max(len(frame), 1), len(listing.columns) - 1)
    _print_setup(ws, listing.title, f.printed, 1)
    if frame.empty:
        return
    columns = []
    for header, _, kind in listing.columns:
        values = frame[header]
        fmt = _column_format(f, kind)
        style = fmt._get_xf_index() if fmt is not None else 0  # registers the format, as write_* does
        if kind in _SCALE:
            columns.append(Cells(pd.to_numeric(values, errors="coerce") / _SCALE[kind], NUMBER, style))
        elif kind == "int":
            columns.append(Cells(pd.to_numeric(values, errors="coerce"), NUMBER, style))
        elif kind == "date":
            columns.append(Cells(pd.to_datetime(values, errors="coerce"), DATE, style))
        else:
            columns.append(Cells(values, TEXT, style))  # (the streamer writes str(value), blanks left out)
    parts[f"xl/worksheets/sheet{len(wb.worksheets())}.xml"] = (columns, 2, None)


def _table_sheet(wb, f: _Formats, name: str, columns, rows, title: str) -> None:
    """A list sheet: header row frozen, autofilter, text-formatted ID columns, print setup.
    `rows` yields tuples in column order (None = blank)."""
    ws = _sheet_head(wb, f, name, columns)
    kinds = [kind for _, _, kind in columns]
    write = {
        "waybill": lambda r, c, v: ws.write_string(r, c, str(v), f.text),
        "text": lambda r, c, v: ws.write_string(r, c, str(v), f.text),
        "wrap": lambda r, c, v: ws.write_string(r, c, str(v)),
        "date": lambda r, c, v: ws.write_datetime(r, c, v.to_pydatetime() if hasattr(v, "to_pydatetime") else v, f.date),
        "money": lambda r, c, v: ws.write_number(r, c, int(v) / 100, f.money),
        "kg": lambda r, c, v: ws.write_number(r, c, int(v) / 1000, f.kg),
        "int": lambda r, c, v: ws.write_number(r, c, int(v), f.int),
    }
    writers = [write[k] for k in kinds]
    r = 0
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values):
            if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
                continue
            writers[c](r, c, v)
    ws.autofilter(0, 0, max(r, 1), len(columns) - 1)
    _print_setup(ws, title, f.printed, 1)




def write_result(result: Reconciliation, path: Path, *, full: bool = False, findings: pd.DataFrame | None = None,
                 meta: list[tuple[str, str]] | None = None, as_of: dt.datetime | None = None, proof=None) -> Path:
    """The result workbook: 对账汇总 (figures per courier and per category, a chart), 争议明细
    (lines to send the courier: phones masked, no addresses), 未计费, 问题 (when there are
    findings) and, with full=True, 对账明细 (every line). Written atomically."""
    import xlsxwriter

    findings = result.findings if findings is None else findings
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
        marks.mark_xlsxwriter(wb, "reconcile")
        f = _Formats(wb)
        f.printed = header_date(as_of)  # the date in every page header
        _summary_sheet(wb, f, result, meta or [], findings)
        streamed = {}
        for listing in (lists.disputes(result, proof), lists.not_billed(result)):
            _listing_sheet(wb, f, listing, streamed)
        if full:  # a million lines: streamed, never held as a frame
            _table_sheet(wb, f, lists.FULL_SHEET, lists.DETAIL_COLUMNS, lists.detail_rows(result, result.lines),
                         "快递对账 全部明细")
        if len(findings):
            _findings_sheet(wb, f, findings)
        wb.close()
        splice(tmp, streamed)
    return path


def _findings_sheet(wb, f: _Formats, findings: pd.DataFrame) -> None:
    """The 问题 sheet every job writes (shopbook.writing.annotate), with this workbook's print setup."""
    _print_setup(issues_sheet_xlsxwriter(wb, findings), "对账问题", 1)


def _summary_sheet(wb, f: _Formats, result: Reconciliation, meta: list[tuple[str, str]], findings) -> None:
    ws = wb.add_worksheet(lists.SUMMARY_SHEET)
    s = result.summary
    couriers = list(s["by_courier"])
    ws.set_column(0, 0, 20)
    ws.set_column(1, 7, 13)
    ws.write_string(0, 0, "快递对账汇总", f.title)
    r = 1
    for label, value in meta:
        ws.write_string(r, 0, label, f.label)
        ws.write_string(r, 1, value)
        r += 1
    tol = result.tolerances
    ws.write_string(r, 0, "容差", f.label)
    ws.write_string(r, 1, f"重量 {kg_text(tol['weight_g'])} kg;金额 {fen_text(tol['fee_fen'])} 元;"
                          f"丢件赔付 {tol['claim_multiple']:g} 倍运费(有保价按保价)")
    r += 2

    # per courier
    heads = ["快递公司", "账单行数", "账单金额", "多收(争议)", "索赔", "抵扣(无法送达)", "应付金额", "已发未计费"]
    for c, h in enumerate(heads):
        ws.write_string(r, c, h, f.header)
    ws.set_row(r, 30)
    r += 1
    first_data = r
    for name in couriers:
        fig = s["by_courier"][name]
        n_lines = sum(v for k, v in fig["counts"].items() if k != NOT_BILLED)
        ws.write_string(r, 0, name)
        ws.write_number(r, 1, n_lines)
        for c, key in enumerate(FIGURES, start=2):
            ws.write_number(r, c, fig[key] / 100, f.money)
        ws.write_number(r, 7, fig["counts"][NOT_BILLED])
        r += 1
    ws.write_string(r, 0, "合计", f.bold)
    ws.write_number(r, 1, sum(v for k, v in s["counts"].items() if k != NOT_BILLED), f.bold)
    for c, key in enumerate(FIGURES, start=2):
        ws.write_number(r, c, s[key] / 100, f.money_bold)
    ws.write_number(r, 7, s["counts"][NOT_BILLED], f.bold)
    last_data = r - 1
    r += 1
    ws.write_string(r, 0, PAYABLE_NOTE, f.note)
    r += 2

    # per category
    heads = ["类别", "代码", "行数", "金额"] + [f"{c} 行数" for c in couriers]
    for c, h in enumerate(heads):
        ws.write_string(r, c, h, f.header)
    ws.set_row(r, 30)
    r += 1
    amounts = result.lines.groupby("category", observed=False)["amount"].sum()
    for cat in CATEGORIES + (NOT_BILLED,):
        ws.write_string(r, 0, CATEGORY_ZH[cat])
        ws.write_string(r, 1, cat)
        ws.write_number(r, 2, s["counts"][cat])
        if cat != NOT_BILLED:
            ws.write_number(r, 3, int(amounts.get(cat, 0) or 0) / 100, f.money)
        for c, name in enumerate(couriers, start=4):
            ws.write_number(r, c, s["by_courier"][name]["counts"][cat])
        r += 1
    r += 1
    if len(findings):
        sev = findings["severity"].value_counts()
        ws.write_string(r, 0, f"问题: 错误 {sev.get('error', 0)},警告 {sev.get('warning', 0)},提示 {sev.get('info', 0)}"
                              "(见「问题」表)", f.note)
    if couriers:
        chart = wb.add_chart({"type": "column"})
        for c, label in ((3, "多收(争议)"), (4, "索赔"), (5, "抵扣")):
            chart.add_series({"name": label, "categories": [lists.SUMMARY_SHEET, first_data, 0, last_data, 0],
                              "values": [lists.SUMMARY_SHEET, first_data, c, last_data, c]})
        chart.set_title({"name": "各快递公司 争议、索赔与抵扣(元)"})
        chart.set_y_axis({"num_format": "#,##0"})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 560, "height": 300})
        ws.insert_chart(1, 9, chart)
    _print_setup(ws, "快递对账汇总", f.printed)
