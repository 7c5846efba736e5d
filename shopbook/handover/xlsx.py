"""Writing the 交接单 workbook (XlsxWriter, streamed, atomic): 交接单 — one A4 page per courier and
day (a long day continues on further pages, each with its own title and header; the count, totals
and signature lines close the last page) — then 交接核对, 今日发货清单, 底单归档 and 问题, each
A4 with its header repeated, ID columns as text, the 问题 cells linked to the source workbooks.

XlsxWriter lays out the sheets (columns, formats, print setup, the rows above the data); the
data rows of 交接单 and of the long lists are built column-wise as XML and streamed in, as the
pick list does (shopbook.picking.xlsx): a month of a busy shop is a million cells."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from shopbook.picking import lists as picking_lists
from shopbook.picking import xlsx as picking_io
from shopbook.handover import lists
from shopbook.handover.lists import Slip
from shopbook.writing.listing import Listing
from shopbook.writing.pages import print_a4
from shopbook.writing.rows import arrow_text, joined, splice_xml
from shopbook.writing.safe import atomic_path


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
        parts: dict = {}
        _slip_sheets(wb, f, lists.slips(r), r, parts)
        for listing in (lists.check_listing(r), lists.shipped_listing(r), lists.archive_listing(r, run.sources),
                        lists.issues_listing(run.findings, run.sources)):
            _list_sheet(wb, f, listing, path, parts)
        wb.close()
        splice_xml(tmp, parts)
    return path


def _part(wb) -> str:
    """The zip part of the worksheet added last."""
    return f"xl/worksheets/sheet{len(wb.worksheets())}.xml"


def _xf(f: dict) -> dict:
    """Each format's style index (registering it, as a write call does)."""
    return {name: fmt._get_xf_index() for name, fmt in f.items()}


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
    print_a4(ws, landscape=landscape, margins=(0.4, 0.6), fit_width=False, grid=False)


# --- 交接单 ------------------------------------------------------------------------------------
def _pages(slip: Slip) -> list[tuple[int, int]]:
    """(start, stop) positions of the slip's lines on each of its pages (at least one page)."""
    n = len(slip.frame)
    return [(s, min(s + PAGE_LINES, n)) for s in range(0, max(n, 1), PAGE_LINES)]


def _slip_sheets(wb, f: dict, slips: list[Slip], r, parts: dict) -> None:
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
    styles = _xf(f)
    for number, group in enumerate(sheets, start=1):
        name = lists.SLIP_SHEET if number == 1 else f"{lists.SLIP_SHEET}({number})"
        ws = wb.add_worksheet(name)
        _print_setup(ws, landscape=False)
        ws.set_header(f"&L快递交接单&R打印时间 {r.as_of:%Y-%m-%d %H:%M}")
        ws.hide_gridlines(2)
        for i, col in enumerate(cols):
            ws.set_column(i, i, col.width)
        if not group:
            ws.write_string(0, 0, f"快递交接单  {lists._span(r)}", f["title"])
            ws.write_string(1, 0, "这段时间的发货记录中没有包裹,没有交接单。", f["info"])
            continue
        decor, data, breaks, last = _slip_layout(group, styles, r.has_handover)
        if breaks:
            ws.set_h_pagebreaks(breaks)
        parts[_part(wb)] = (f"H{last}", len(data) * len(cols), _slip_chunks(decor, data, styles, last))


def _text_cell(ref: str, style: int, text: str) -> str:
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _row(r: int, height: float, cells: str) -> str:
    return f'<row r="{r}" ht="{height}" customHeight="1">{cells}</row>'


def _slip_layout(slips: list[Slip], s: dict, has_handover: bool):
    """Row by row, the printed pages of the slips: (decor rows {row: xml}, the waybill lines with
    their Excel row numbers, page breaks (0-based rows), last row)."""
    cols = lists.SLIP_COLUMNS
    decor: dict[int, str] = {}
    frames, breaks = [], []
    row = 1  # 1-based Excel rows
    for slip in slips:
        pages = _pages(slip)
        at = np.zeros(len(slip.frame), dtype=np.int64)  # the Excel row of each waybill line
        for page, (start, stop) in enumerate(pages, start=1):
            if row > 1:
                breaks.append(row - 1)
            more = f"  (第 {page}/{len(pages)} 页)" if len(pages) > 1 else ""
            decor[row] = _row(row, HEIGHTS["title"], _text_cell(f"A{row}", s["title"], slip.title + more))
            info = (f"快递员 {slip.couriers or '__________'}    发货员 {slip.senders or '__________'}    "
                    f"共 {slip.parcels} 件({len(slip.frame)} 个单号)")
            decor[row + 1] = _row(row + 1, HEIGHTS["info"], _text_cell(f"A{row + 1}", s["info"], info))
            decor[row + 2] = _row(row + 2, HEIGHTS["head"], "".join(
                _text_cell(f"{chr(65 + i)}{row + 2}", s["head"], c.header) for i, c in enumerate(cols)))
            row += 3
            at[start:stop] = np.arange(row, row + stop - start)
            row += stop - start
            if page < len(pages):
                continue
            total = [_text_cell(f"A{row}", s["total"], "合计"), _text_cell(f"B{row}", s["total"], f"{len(slip.frame)} 个单号"),
                     f'<c r="C{row}" s="{s["total"]}"/>', f'<c r="D{row}" s="{s["total"]}"/>',
                     f'<c r="E{row}" s="{s["total_int"]}"><v>{slip.parcels}</v></c>',
                     _number(f"F{row}", s, slip.grams, 1000, "total_kg"), _number(f"G{row}", s, slip.fee, 100, "total_money"),
                     f'<c r="H{row}" s="{s["total"]}"/>']
            decor[row] = _row(row, HEIGHTS["total"], "".join(total))
            row += 1
            missing = [w for w, ok in (("重量", slip.grams is not None), ("运费", slip.fee is not None)) if not ok]
            note = (_text_cell(f"A{row}", s["note"], f"有包裹缺少{'、'.join(missing)}(或价格表中没有价格),"
                                                       "合计未计入,请补上后重新打印。") if missing else "")
            decor[row] = _row(row, HEIGHTS["note"] if missing else HEIGHTS["gap"], note)
            row += 1
            decor[row] = _row(row, HEIGHTS["sign"], _text_cell(
                f"A{row}", s["sign"], "发货员签字:________________            快递员签字:________________"))
            row += 1
            decor[row] = _row(row, HEIGHTS["count"], _text_cell(
                f"A{row}", s["sign"], "快递员清点实收 ________ 件      底单已留存 □      交接时间 ____月____日 ____:____"))
            row += 1
            if has_handover:
                recorded = ("交接记录: 尚未登记" if slip.handed is None else
                            f"交接记录: 交接 {slip.handed} 件,{slip.result}")
                decor[row] = _row(row, HEIGHTS["note"], _text_cell(f"A{row}", s["note"], recorded))
                row += 1
        frames.append(slip.frame.assign(_r=at))
    data = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"_r": []})
    return decor, data, breaks, row - 1


def _number(ref: str, s: dict, value, scale: int, style: str) -> str:
    if value is None:
        return f'<c r="{ref}" s="{s["total"]}"/>'
    return f'<c r="{ref}" s="{s[style]}"><v>{value / scale!r}</v></c>'


def _slip_chunks(decor: dict, data: pd.DataFrame, s: dict, last: int):
    """The sheet's rows as XML in order: the decor rows and the waybill lines (built column-wise)."""
    numbers = data["_r"].astype("int64").astype(str)
    cells = [_column_xml(_typed(data, c), numbers, chr(65 + i), s[c.kind if c.kind in s else "text"], c.kind)
             for i, c in enumerate(lists.SLIP_COLUMNS)]
    line_xml = ('<row r="' + numbers + f'" ht="{HEIGHTS["line"]}" customHeight="1">').str.cat(cells) + "</row>"
    by_row = dict(zip(data["_r"].astype("int64").tolist(), line_xml.tolist()))
    chunk = []
    for r in range(1, last + 1):
        chunk.append(decor.get(r) or by_row.get(r) or "")
        if len(chunk) >= picking_io.ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def _typed(frame: pd.DataFrame, col) -> pd.Series:
    """A column as the values a cell holds: kg and 元 as numbers, dates as datetimes, IDs as text."""
    if col.key not in frame:
        return pd.Series(None, index=frame.index, dtype=object)
    v = frame[col.key]
    if col.kind == "kg":
        return pd.to_numeric(v, errors="coerce").astype("float64") / 1000
    if col.kind == "money":
        return pd.to_numeric(v, errors="coerce").astype("float64") / 100
    if col.kind == "int":
        return pd.to_numeric(v, errors="coerce").astype("float64")
    if col.kind == "date":
        return pd.to_datetime(v, errors="coerce")
    out = v.astype(object)
    out = out.where(out.notna(), None)
    return out.map(lambda x: x if x is None else str(x)) if col.kind == "id" else out


def _column_xml(values: pd.Series, numbers: pd.Series, letter: str, style: int, kind: str) -> pd.Series:
    """The pick list's column writer, with blank cells kept (so their borders print)."""
    values = values.reset_index(drop=True)
    numbers = arrow_text(numbers.reset_index(drop=True))
    out = picking_io._cells_xml(values, numbers, letter, style, "id" if kind == "id" else "text")
    out = pc.if_else(pc.equal(out, ""), joined(f'<c r="{letter}', numbers, f'" s="{style}"/>'), out)
    return pd.Series(out.to_numpy(zero_copy_only=False), dtype=object)


# --- list sheets -------------------------------------------------------------------------------
def _list_sheet(wb, f: dict, listing: Listing, output: Path, parts: dict) -> None:
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
    if listing.links is None and len(listing.frame):  # a plain list: its rows streamed in
        styles = _xf(f)
        numbers = pd.Series(np.arange(4, 4 + len(listing.frame))).astype(str)

        def chunks():
            for start in range(0, len(listing.frame), picking_io.ROWS_PER_CHUNK):
                part = listing.frame.iloc[start:start + picking_io.ROWS_PER_CHUNK]
                nums = numbers.iloc[start:start + len(part)].reset_index(drop=True)
                cells = [_column_xml(_typed(part, c), nums, _letter(i), styles[c.kind if c.kind in styles else "text"],
                                     c.kind) for i, c in enumerate(cols)]
                yield "".join(_row_openings(part, cols, nums).str.cat(cells).add("</row>").tolist())

        ws.autofilter(2, 0, 2 + len(listing.frame), len(cols) - 1)
        parts[_part(wb)] = (f"{_letter(len(cols) - 1)}{3 + len(listing.frame)}", len(listing.frame) * len(cols),
                            chunks())
        return
    row = 3
    links = listing.links or []
    heights = (_lines(listing.frame, cols) * picking_lists.LINE_HEIGHT).tolist()
    for n, values in enumerate(zip(*[_values(listing.frame, c) for c in cols])):
        if heights[n] > picking_lists.LINE_HEIGHT:
            ws.set_row(row, heights[n])
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


def _lines(frame: pd.DataFrame, cols) -> pd.Series:
    """Text lines each row needs (positional index): wrapped text over its column width, CJK
    characters counting two widths. Readers rarely fit rows to wrapped text themselves."""
    lines = pd.Series(1, index=range(len(frame)), dtype="int64")
    for col in cols:
        if col.kind == "wrap" and col.key in frame:
            text = frame[col.key].reset_index(drop=True).astype("string")
            width = (text.str.len() + text.str.count(picking_lists._WIDE)).fillna(0).astype("int64")
            lines = np.maximum(lines, -(-width // max(int(col.width) - 2, 1)))
    return lines


def _row_openings(frame: pd.DataFrame, cols, numbers: pd.Series) -> pd.Series:
    """<row> openings, with a height where wrapped text needs more than one line."""
    lines = _lines(frame, cols)
    lines.index = numbers.index
    height = pd.Series(np.where(lines > 1, ' ht="' + (lines * picking_lists.LINE_HEIGHT).astype(str) + '" customHeight="1"',
                                ""), index=numbers.index)
    return '<row r="' + numbers + '"' + height + ">"


def _letter(i: int) -> str:
    from shopbook.core.findings import column_letter
    return column_letter(i)


def _url(link: tuple, output: Path) -> str:
    """An external link to a cell of a source workbook, relative to the output when possible."""
    path, sheet, cell = link
    try:
        target = os.path.relpath(Path(path).resolve(), Path(output).resolve().parent)
    except ValueError:  # another drive
        target = str(Path(path).resolve())
    return f"external:{target}#'{sheet}'!{cell}"


def _values(frame: pd.DataFrame, col) -> list:
    if col.key not in frame:
        return [None] * len(frame)
    out = []
    for v in frame[col.key].astype(object).tolist():
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
