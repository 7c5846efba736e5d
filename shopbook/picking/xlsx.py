"""The pick-list workbook: the generated sheets (shopbook.picking.lists) written print-ready."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl.utils import get_column_letter

from shopbook.picking.result import PickResult
from shopbook.picking.lists import GENERATED, Listing
from shopbook.picking.lists import listings as generated_sheets
from shopbook.core.errors import UnusableInput
from shopbook.reading.files import open_workbook
from shopbook.writing import cells, marks
from shopbook.writing.preserve import load_for_rewrite, refuse_if_sheets_lost, unsupported_parts
from shopbook.writing.safe import atomic_path
from shopbook.writing.rows import arrow_text, chunk_bytes, joined, number_text, serial_text, splice_xml, spread, \
    xml_escaped

# --- writing ----------------------------------------------------------------------------
# A fresh output (the usual case: 拣货单.xlsx holds only the generated sheets) is laid out by
# xlsxwriter, its data rows built column-wise as XML and streamed in (_rows_xml, _splice_rows);
# when the target keeps other sheets (the user's own, or an input workbook written in place)
# openpyxl rewrites it cell by cell. Both render the same Listing, so the two look alike.

A4 = 9
TIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FILL = "#D9E1F2"

def write_picklist(target: Path, result: PickResult, records: pd.DataFrame | None, states: pd.DataFrame | None,
                   only: tuple[str, ...] = GENERATED) -> None:
    """Write the generated sheets `only` into `target` (atomically); its other sheets are kept.
    A workbook of only generated sheets is marked as the pick list's (shopbook.writing.marks);
    one that keeps other sheets of the user's keeps whatever mark it had."""
    listings = generated_sheets(result, records, states, only)
    names = open_workbook(target).sheet_names if target.exists() else []
    keep = [n for n in names if n not in only]
    with atomic_path(target) as tmp:
        if keep:
            _refuse_if_lossy(target)
            _write_openpyxl(target, tmp, listings, names)
        else:  # nothing to keep: stream a fresh workbook (fast and lean on big batches)
            _write_xlsxwriter(tmp, listings)


def _refuse_if_lossy(path: Path) -> None:
    lost = unsupported_parts(path)
    if lost:
        raise UnusableInput(f"{path}: 工作簿含有{'、'.join(lost)},写入拣货单会丢失它们。"
                            f"请用 -o 指定一个单独的拣货单工作簿。")


def _write_xlsxwriter(path: Path, listings: dict[str, Listing]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    marks.mark_xlsxwriter(wb, "picklist")
    # data cells carry no borders: the printed grid draws them (a bordered blank cell costs as much as a value)
    middle = {"valign": "vcenter"}
    formats = {
        "title": wb.add_format({"bold": True, "font_size": 14, **middle}),
        "info": wb.add_format(middle),
        "head": wb.add_format({"border": 1, "bold": True, "bg_color": HEADER_FILL, "align": "center",
                               "text_wrap": True, **middle}),
        "text": wb.add_format(middle), "int": wb.add_format(middle), "check": wb.add_format(middle),
        "id": wb.add_format({"num_format": "@", **middle}),
        "time": wb.add_format({"num_format": TIME_FORMAT, "align": "left", **middle}),
        "wrap": wb.add_format({"text_wrap": True, **middle}),
    }
    rows = {}  # sheet part -> (listing, first data row, style per column): spliced in after closing
    for number, (name, listing) in enumerate(listings.items(), start=1):
        ws = wb.add_worksheet(name)
        cols = listing.columns
        for i, col in enumerate(cols):
            ws.set_column(i, i, col.width)
        top = listing.header_row
        ws.freeze_panes(top + 1, 0)
        # every sheet prints (the batch record too): A4, one page wide, header rows repeated
        ws.set_paper(A4)
        if listing.landscape:
            ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        ws.hide_gridlines(0)  # printed grid
        ws.set_margins(left=0.5, right=0.5, top=0.8, bottom=0.8)
        ws.repeat_rows(0, top)
        ws.set_header(_header_footer([_escape(t) for t in listing.page_header]))
        ws.set_footer(_header_footer(listing.footer()))
        if listing.printable:
            ws.set_row(0, 24)
            ws.merge_range(0, 0, 0, len(cols) - 1, listing.title, formats["title"])
            ws.merge_range(1, 0, 1, len(cols) - 1, listing.info, formats["info"])
        ws.set_row(top, 20)
        for i, col in enumerate(cols):
            ws.write_string(top, i, col.header, formats["head"])
        if listing.frame.empty and listing.printable:
            ws.write_string(top + 1, 0, "(无)")
        elif len(listing.frame):
            styles = [formats[c.kind]._get_xf_index() for c in cols]  # registers the format, as write_* does
            rows[f"xl/worksheets/sheet{number}.xml"] = (listing, top + 2, styles)
    wb.close()
    _splice_rows(path, rows)


ROWS_PER_CHUNK = 20_000



def _rows_xml(listing: Listing, first_row: int, styles: list[int]):
    """The sheet's data rows as <row> XML (UTF-8), chunk by chunk, built column-wise in Arrow
    (shopbook.writing.rows: per-cell calls into a writer cost ~10 times more on big batches)."""
    heights = listing.heights()
    columns = [listing.column(c) for c in listing.columns]
    for start in range(0, len(listing.frame), ROWS_PER_CHUNK):
        part = slice(start, start + ROWS_PER_CHUNK)
        height = heights[part]
        numbers = pc.cast(pa.array(np.arange(first_row + start, first_row + start + len(height))), pa.string())
        tall = height.notna().to_numpy()
        sized = np.full(len(height), "", dtype=object)
        if tall.any():
            sized[tall] = ' ht="' + height[tall].astype(str).to_numpy(dtype=object) + '" customHeight="1"'
        cells = [_cells_xml(values[part], numbers, get_column_letter(i), style, col.kind)
                 for i, (col, values, style) in enumerate(zip(listing.columns, columns, styles), start=1)]
        yield chunk_bytes(joined('<row r="', numbers, '"', pa.array(sized, type=pa.string()), ">", *cells, "</row>"))


def _cells_xml(values: pd.Series, numbers: pa.Array, letter: str, style: int, kind: str) -> pa.Array:
    """One column's <c> elements ('' for blanks): text inline, numbers and date serials as values."""
    present = values.notna().to_numpy()
    if not present.any():
        return pa.array(np.full(len(values), "", dtype=object), type=pa.string())
    v = values[present]
    if pd.api.types.is_datetime64_any_dtype(v):
        kinds = np.full(len(v), "time", dtype=object)
    elif pd.api.types.is_numeric_dtype(v) and not pd.api.types.is_bool_dtype(v):
        kinds = np.full(len(v), "number", dtype=object)
    elif kind == "id" or pd.api.types.infer_dtype(v, skipna=True) in ("string", "empty"):
        kinds = np.full(len(v), "text", dtype=object)
    else:  # mixed: 付款时间 with 货到付款, 行 with blanks
        codes, types = pd.factorize(v.map(type))
        kinds = np.array(["time" if issubclass(t, dt.datetime) else
                          "number" if issubclass(t, (int, float, np.number)) and t is not bool else "text"
                          for t in types], dtype=object)[codes]
    if kind == "id":
        kinds[:] = "text"
    parts, order = [], []
    for name, tail in (("text", lambda x: joined(' t="inlineStr"><is><t xml:space="preserve">',
                                                  xml_escaped(arrow_text(x)), "</t></is></c>")),
                       ("number", lambda x: joined("><v>", number_text(x), "</v></c>")),
                       ("time", lambda x: joined("><v>", serial_text(x), "</v></c>"))):
        mask = kinds == name
        if mask.any():
            parts.append(tail(v[mask]))
            order.append(np.flatnonzero(mask))
    tails = parts[0] if len(parts) == 1 else pa.concat_arrays(parts).take(pa.array(np.argsort(np.concatenate(order))))
    rows = numbers.filter(pa.array(present)) if not present.all() else numbers
    return spread(present, joined(f'<c r="{letter}', rows, f'" s="{style}"', tails))


def _splice_rows(path: Path, rows: dict) -> None:
    """Put the data rows into the sheets xlsxwriter wrote (after their header rows), streaming."""
    splice_xml(path, {part: (f"{get_column_letter(len(listing.columns))}{first_row + len(listing.frame) - 1}",
                             len(listing.frame) * len(listing.columns), _rows_xml(listing, first_row, styles))
                      for part, (listing, first_row, styles) in rows.items()})


def _escape(text: str) -> str:
    return text.replace("&", "&&")


def _header_footer(parts) -> str:
    """Left, centre, right texts as an Excel header/footer string (empty parts left out)."""
    return "".join(f"{code}{text}" for code, text in zip(("&L", "&C", "&R"), parts) if text)


def _write_openpyxl(source: Path, path: Path, listings: dict[str, Listing], names: list[str]) -> None:
    """Replace the listed sheets of `source` (same place in the sheet order), keep the others
    (`names`: every sheet the fast reader found; refused when openpyxl cannot read them all)."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.properties import PageSetupProperties

    wb = load_for_rewrite(source, keep_vba=source.suffix.lower() == ".xlsm")
    refuse_if_sheets_lost(source, names, wb)
    side = Side(style="thin")
    middle = Alignment(vertical="center")
    styles = {
        "title": dict(font=Font(bold=True, size=14), alignment=middle),
        "info": dict(alignment=middle),
        "head": dict(font=Font(bold=True), fill=PatternFill("solid", fgColor="FF" + HEADER_FILL[1:]),
                     border=Border(left=side, right=side, top=side, bottom=side),
                     alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
        "text": dict(alignment=middle), "int": dict(alignment=middle), "check": dict(alignment=middle),
        "id": dict(alignment=middle, number_format="@"),
        "time": dict(alignment=Alignment(horizontal="left", vertical="center"), number_format=TIME_FORMAT),
        "wrap": dict(alignment=Alignment(vertical="center", wrap_text=True)),
    }

    def put(ws, row, column, value, style):
        cell = cells.put(ws.cell(row=row, column=column), value)  # text that starts with '=' stays text
        for attribute, v in styles[style].items():
            setattr(cell, attribute, v)

    for name in GENERATED:
        if name not in listings:
            continue
        listing = listings[name]
        position = None
        if name in wb.sheetnames:
            position = wb.sheetnames.index(name)
            del wb[name]
        ws = wb.create_sheet(name, position)
        cols = listing.columns
        for i, col in enumerate(cols, start=1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        top = listing.header_row + 1  # 1-based
        ws.freeze_panes = f"A{top + 1}"
        ws.print_title_rows = f"1:{top}"
        ws.page_setup.paperSize = A4
        ws.page_setup.orientation = "landscape" if listing.landscape else "portrait"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.8
        ws.print_options.horizontalCentered = True
        ws.print_options.gridLines = True  # printed grid
        for part, text in zip((ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right), listing.page_header):
            part.text = _escape(text) or None
        for part, text in zip((ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right), listing.footer()):
            part.text = text or None
        if listing.printable:
            ws.row_dimensions[1].height = 24
            put(ws, 1, 1, listing.title, "title")
            put(ws, 2, 1, listing.info, "info")
            last = get_column_letter(len(cols))
            ws.merge_cells(f"A1:{last}1")
            ws.merge_cells(f"A2:{last}2")
        ws.row_dimensions[top].height = 20
        for i, col in enumerate(cols, start=1):
            put(ws, top, i, col.header, "head")
        heights = listing.heights().tolist()
        for r, (values, height) in enumerate(zip(listing.rows(), heights), start=top + 1):
            if height == height:  # not NaN
                ws.row_dimensions[r].height = height
            for i, (col, v) in enumerate(zip(cols, values), start=1):
                if v is not None:
                    put(ws, r, i, str(v) if col.kind == "id" else v, col.kind)
        if listing.frame.empty and listing.printable:
            ws.cell(row=top + 1, column=1, value="(无)")
    wb.save(path)
