"""Writing the 交接单 workbook (XlsxWriter, streamed, atomic): 交接单 — one A4 page per courier and
day (a long day continues on further pages, each with its own title and header; the count, totals
and signature lines close the last page) — then 交接核对, 今日发货清单, 底单归档 and 问题, each
A4 with its header repeated, ID columns as text, the 问题 cells linked to the source workbooks."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd

from shopbook.handover import lists
from shopbook.handover.lists import Listing, Slip
from shopbook.writing.safe import atomic_path

A4 = 9
PAGE_LINES = 35  # waybill rows per printed page: with the title, header, totals and signatures, one A4 page
MAX_BREAKS = 1000  # Excel keeps at most 1,026 manual page breaks a sheet: more pages go to a further sheet
MAX_LINKS = 65_000  # XlsxWriter/Excel limit of hyperlinks a sheet
HEIGHTS = {"title": 28, "info": 18, "head": 20, "line": 16, "total": 18, "gap": 10, "sign": 28, "count": 24,
           "note": 18}
KG, MONEY, DATE = "0.00#", "#,##0.00", "yyyy-mm-dd"


def write_handover(path: Path, run) -> Path:
    """The workbook of a HandoverRun at `path` (replaced atomically); returns the path."""
    import xlsxwriter

    r = run.result
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
        f = _formats(wb)
        _slip_sheets(wb, f, lists.slips(r), r)
        for listing in (lists.check_listing(r), lists.shipped_listing(r), lists.archive_listing(r, run.sources),
                        lists.issues_listing(run.findings, run.sources)):
            _list_sheet(wb, f, listing, path)
        wb.close()
    return path


def _formats(wb) -> dict:
    base = {"font_name": "等线", "valign": "vcenter", "font_size": 10.5}
    cell = {**base, "border": 1}
    return {
        "title": wb.add_format({**base, "bold": True, "font_size": 15}),
        "info": wb.add_format(base),
        "head": wb.add_format({**cell, "bold": True, "bg_color": "#D9E1F2", "align": "center", "text_wrap": True}),
        "text": wb.add_format(cell), "check": wb.add_format(cell), "link": wb.add_format(cell),
        "id": wb.add_format({**cell, "num_format": "@"}),
        "int": wb.add_format({**cell, "num_format": "0"}),
        "kg": wb.add_format({**cell, "num_format": KG}),
        "money": wb.add_format({**cell, "num_format": MONEY}),
        "date": wb.add_format({**cell, "num_format": DATE, "align": "left"}),
        "wrap": wb.add_format({**cell, "text_wrap": True}),
        "url": wb.add_format({**cell, "font_color": "#0563C1", "underline": 1}),
        "total": wb.add_format({**cell, "bold": True}),
        "total_int": wb.add_format({**cell, "bold": True, "num_format": "0"}),
        "total_kg": wb.add_format({**cell, "bold": True, "num_format": KG}),
        "total_money": wb.add_format({**cell, "bold": True, "num_format": MONEY}),
        "sign": wb.add_format({**base, "font_size": 12, "valign": "bottom"}),
        "note": wb.add_format({**base, "font_color": "#595959"}),
    }


def _print_setup(ws, landscape: bool) -> None:
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.center_horizontally()
    ws.set_footer("&C第 &P 页 / 共 &N 页")


# --- 交接单 ------------------------------------------------------------------------------------
def _pages(slip: Slip) -> list[tuple[int, int]]:
    """(start, stop) positions of the slip's lines on each of its pages (at least one page)."""
    n = len(slip.frame)
    return [(s, min(s + PAGE_LINES, n)) for s in range(0, max(n, 1), PAGE_LINES)]


def _slip_sheets(wb, f: dict, slips: list[Slip], r) -> None:
    """交接单 (and 交接单(2)… past the page-break limit): each slip on its own pages."""
    cols = lists.SLIP_COLUMNS
    sheets, pages_here, current = [], 0, []
    for slip in slips:
        n = len(_pages(slip))
        if current and pages_here + n > MAX_BREAKS:
            sheets.append(current)
            current, pages_here = [], 0
        current.append(slip)
        pages_here += n
    sheets.append(current)
    for number, group in enumerate(sheets, start=1):
        name = lists.SLIP_SHEET if number == 1 else f"{lists.SLIP_SHEET}({number})"
        ws = wb.add_worksheet(name)
        _print_setup(ws, landscape=False)
        ws.set_header(f"&L快递交接单&R打印时间 {r.as_of:%Y-%m-%d %H:%M}")
        ws.hide_gridlines(2)
        for i, col in enumerate(cols):
            ws.set_column(i, i, col.width)
        row, breaks = 0, []
        if not group:
            ws.write_string(0, 0, f"快递交接单  {lists._span(r)}", f["title"])
            ws.write_string(1, 0, "这段时间的发货记录中没有包裹,没有交接单。", f["info"])
        for slip in group:
            pages = _pages(slip)
            for page, (start, stop) in enumerate(pages, start=1):
                if row:
                    breaks.append(row)
                row = _slip_page(ws, f, slip, start, stop, page, len(pages), row, r.has_handover)
        if breaks:
            ws.set_h_pagebreaks(breaks)


def _slip_page(ws, f: dict, slip: Slip, start: int, stop: int, page: int, pages: int, row: int,
               has_handover: bool) -> int:
    """One printed page of a slip from `row`; returns the next free row."""
    cols = lists.SLIP_COLUMNS
    more = f"  (第 {page}/{pages} 页)" if pages > 1 else ""
    ws.set_row(row, HEIGHTS["title"])
    ws.write_string(row, 0, slip.title + more, f["title"])
    row += 1
    ws.set_row(row, HEIGHTS["info"])
    ws.write_string(row, 0, f"快递员 {slip.couriers or '__________'}    发货员 {slip.senders or '__________'}    "
                            f"共 {slip.parcels} 件({len(slip.frame)} 个单号)", f["info"])
    row += 1
    ws.set_row(row, HEIGHTS["head"])
    for i, col in enumerate(cols):
        ws.write_string(row, i, col.header, f["head"])
    row += 1
    frame = slip.frame.iloc[start:stop]
    for values in zip(*[_values(frame, c) for c in cols]):
        ws.set_row(row, HEIGHTS["line"])
        for i, (col, v) in enumerate(zip(cols, values)):
            _write(ws, f, row, i, v, col.kind)
        row += 1
    if page < pages:
        return row
    ws.set_row(row, HEIGHTS["total"])
    ws.write_string(row, 0, "合计", f["total"])
    ws.write_string(row, 1, f"{len(slip.frame)} 个单号", f["total"])
    ws.write_blank(row, 2, None, f["total"])
    ws.write_blank(row, 3, None, f["total"])
    ws.write_number(row, 4, slip.parcels, f["total_int"])
    _total(ws, f, row, 5, slip.grams, 1000, "total_kg")
    _total(ws, f, row, 6, slip.fee, 100, "total_money")
    ws.write_blank(row, 7, None, f["total"])
    row += 1
    missing = [w for w, ok in ((("重量"), slip.grams is not None), ("运费", slip.fee is not None)) if not ok]
    ws.set_row(row, HEIGHTS["gap"] if not missing else HEIGHTS["note"])
    if missing:
        ws.write_string(row, 0, f"有包裹缺少{'、'.join(missing)}(或价格表中没有价格),合计未计入,请补上后重新打印。",
                        f["note"])
    row += 1
    ws.set_row(row, HEIGHTS["sign"])
    ws.write_string(row, 0, "发货员签字:________________            快递员签字:________________", f["sign"])
    row += 1
    ws.set_row(row, HEIGHTS["count"])
    ws.write_string(row, 0, "快递员清点实收 ________ 件      底单已留存 □      交接时间 ____月____日 ____:____", f["sign"])
    row += 1
    if has_handover:
        ws.set_row(row, HEIGHTS["note"])
        recorded = ("交接记录: 尚未登记" if slip.handed is None else
                    f"交接记录: 交接 {slip.handed} 件,{slip.result}")
        ws.write_string(row, 0, recorded, f["note"])
        row += 1
    return row


def _total(ws, f, row, col, value, scale, style) -> None:
    if value is None:
        ws.write_blank(row, col, None, f["total"])
    else:
        ws.write_number(row, col, value / scale, f[style])


# --- list sheets -------------------------------------------------------------------------------
def _list_sheet(wb, f: dict, listing: Listing, output: Path) -> None:
    ws = wb.add_worksheet(listing.name)
    _print_setup(ws, listing.landscape)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, 2)
    ws.set_header(f"&L{listing.title}")
    cols = listing.columns
    for i, col in enumerate(cols):
        ws.set_column(i, i, col.width)
    ws.freeze_panes(3, 0)
    ws.set_row(0, HEIGHTS["title"])
    ws.write_string(0, 0, listing.title, f["title"])
    ws.set_row(1, HEIGHTS["info"])
    ws.write_string(1, 0, listing.info, f["info"])
    ws.set_row(2, HEIGHTS["head"])
    for i, col in enumerate(cols):
        ws.write_string(2, i, col.header, f["head"])
    row = 3
    links = listing.links or []
    for n, values in enumerate(zip(*[_values(listing.frame, c) for c in cols])):
        for i, (col, v) in enumerate(zip(cols, values)):
            if col.kind == "link" and n < len(links) and links[n] is not None and n < MAX_LINKS and v is not None:
                ws.write_url(row, i, _url(links[n], output), f["url"], string=str(v))
            else:
                _write(ws, f, row, i, v, col.kind)
        row += 1
    if row == 3:
        ws.write_string(3, 0, "(无)", f["info"])
    else:
        ws.autofilter(2, 0, row - 1, len(cols) - 1)


def _url(link: tuple, output: Path) -> str:
    """An external link to a cell of a source workbook, relative to the output when possible."""
    path, sheet, cell = link
    try:
        target = os.path.relpath(Path(path).resolve(), Path(output).resolve().parent)
    except ValueError:  # another drive
        target = str(Path(path).resolve())
    return f"external:{target}#'{sheet}'!{cell}"


def _values(frame: pd.DataFrame, col) -> list:
    if col.source not in frame:
        return [None] * len(frame)
    out = []
    for v in frame[col.source].astype(object).tolist():
        if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
            out.append(None)
        else:
            out.append(v)
    return out


def _write(ws, f: dict, row: int, col: int, v, kind: str) -> None:
    if v is None:
        ws.write_blank(row, col, None, f["check" if kind == "check" else "text"])
    elif kind == "kg":
        ws.write_number(row, col, int(v) / 1000, f["kg"])
    elif kind == "money":
        ws.write_number(row, col, int(v) / 100, f["money"])
    elif kind == "int":
        ws.write_number(row, col, int(v), f["int"])
    elif kind == "date":
        ws.write_datetime(row, col, v.to_pydatetime() if hasattr(v, "to_pydatetime") else
                          dt.datetime.combine(v, dt.time()) if not isinstance(v, dt.datetime) else v, f["date"])
    elif kind == "id":
        ws.write_string(row, col, str(v), f["id"])
    elif kind == "wrap":
        ws.write_string(row, col, str(v), f["wrap"])
    else:
        ws.write_string(row, col, str(v), f["text"])
