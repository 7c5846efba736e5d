"""The stock ledger's workbook: every Listing of lists.py laid out by XlsxWriter (title, header,
formats, frozen header, A4 print setup with the header rows repeated) and its data rows streamed
in by shopbook.writing.rows (a year of movements is half a million rows). Links to the source
cells of the input workbooks are HYPERLINK formulas (no limit on their number); written
atomically."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from shopbook.writing.listing import Listing
from shopbook.writing.pages import print_a4
from shopbook.writing.rows import DATE, LINK, NUMBER, TEXT, Cells, splice
from shopbook.writing.safe import atomic_path

HEADER_FILL = "#D9E1F2"
LINE_HEIGHT = 15.0
_WIDE = r"[^\x00-\u2e7f]"
FORMATS = {"text": {}, "id": {"num_format": "@"}, "int": {"num_format": "0"}, "seq": {"num_format": "0", "align": "center"}, "date": {"num_format": "yyyy-mm-dd"},
           "money": {"num_format": "#,##0.00"}, "wrap": {"text_wrap": True}, "link": {"font_color": "#0563C1",
                                                                                        "underline": 1},
           "blank": {}}
WRITE_KIND = {"text": TEXT, "id": TEXT, "wrap": TEXT, "blank": TEXT, "int": NUMBER, "seq": NUMBER, "money": NUMBER, "date": DATE,
              "link": LINK}


def link_target(sheet, row, letter, sources: dict[str, Path], here: Path) -> str | None:
    """file#'sheet'!A5 for a source cell, the file relative to the output's folder."""
    if sheet is None or pd.isna(sheet) or row is None or pd.isna(row) or int(row) < 1 or not letter or pd.isna(letter):
        return None
    path = sources.get(sheet)
    if path is None:
        return None
    try:
        rel = os.path.relpath(Path(path).resolve(), here.resolve().parent).replace(os.sep, "/")
    except ValueError:  # another drive (Windows)
        rel = str(Path(path).resolve())
    return f"{rel}#'{sheet}'!{letter}{int(row)}"


def _links(listing: Listing, sources: dict[str, Path], here: Path) -> tuple[pd.Series, pd.Series]:
    """(text, target) of each row's link cell."""
    links = listing.links
    keys = pd.DataFrame({"sheet": links["sheet"].astype(object), "row": links["row"], "letter": links["letter"]})
    distinct = keys.drop_duplicates("sheet")
    files = {s: sources.get(s) for s in distinct["sheet"] if s is not None and not pd.isna(s)}
    row = pd.to_numeric(keys["row"], errors="coerce")
    ok = keys["sheet"].notna() & row.notna() & (row >= 1) & keys["letter"].notna() & keys["sheet"].isin(
        [s for s, p in files.items() if p is not None])
    text = pd.Series(None, index=keys.index, dtype=object)
    target = pd.Series(None, index=keys.index, dtype=object)
    if ok.any():
        cell = keys.loc[ok, "letter"].astype(str) + row[ok].astype("int64").astype(str)
        text[ok] = keys.loc[ok, "sheet"].astype(str) + "!" + cell
        base = {s: link_target(s, 1, "A", sources, here).rsplit("#", 1)[0] for s in files if files[s] is not None}
        target[ok] = keys.loc[ok, "sheet"].map(base) + "#'" + keys.loc[ok, "sheet"].astype(str) + "'!" + cell
    return text, target


def _heights(listing: Listing) -> pd.Series | None:
    """Row heights: the listing's own, or more where a wrapped cell needs more than one line (CJK
    characters count two)."""
    lines = pd.Series(1, index=range(len(listing.frame)), dtype="int64")
    base = listing.row_height or LINE_HEIGHT
    wrapped = listing.row_height is not None
    for col in listing.columns:
        if col.kind != "wrap":
            continue
        wrapped = True
        text = listing.frame[col.header].reset_index(drop=True).astype("string")
        parts = text.fillna("").str.split("\n")
        width = max(int(col.width) - 1, 1)
        need = parts.map(lambda ps: sum(max(1, -(-(len(p) + sum(1 for ch in p if ord(ch) > 0x2E7F)) // width))
                                        for p in ps))
        lines = np.maximum(lines, need.astype("int64"))
    if not wrapped:
        return None
    lines = pd.Series(lines)
    height = np.maximum(lines * LINE_HEIGHT, base)
    return pd.Series(height).where((lines > 1) | (listing.row_height is not None))


def write_workbook(target: Path, listings: list[Listing], sources: dict[str, Path]) -> Path:
    """Write the listings into a fresh workbook at `target` (atomically)."""
    import xlsxwriter

    target = Path(target)
    with atomic_path(target) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False,
                                            "strings_to_urls": False})
        middle = {"valign": "vcenter"}
        title = wb.add_format({"bold": True, "font_size": 14, **middle})
        info = wb.add_format({**middle, "text_wrap": True})
        head = wb.add_format({"border": 1, "bold": True, "bg_color": HEADER_FILL, "align": "center", "text_wrap": True,
                              **middle})
        styles = {}
        for kind, spec in FORMATS.items():
            for bold in (False, True):
                f = wb.add_format({**middle, **spec, **({"bold": True, "top": 1} if bold else {})})
                styles[kind, bold] = f._get_xf_index()
        parts = {}
        for number, listing in enumerate(listings, start=1):
            ws = wb.add_worksheet(listing.name)
            cols = listing.columns
            top = listing.header_row
            for i, col in enumerate(cols):
                ws.set_column(i, i, col.width)
            ws.freeze_panes(top + 1, 0)
            if listing.title:
                ws.set_row(0, 24)
                ws.merge_range(0, 0, 0, len(cols) - 1, listing.title, title)
                ws.set_row(1, 30)
                ws.merge_range(1, 0, 1, len(cols) - 1, listing.info, info)
            if listing.printable:
                print_a4(ws, landscape=listing.landscape, repeat=(0, top) if listing.title else (top, top),
                         header=f"&L{listing.title or listing.name}"
                                + (f"&R{listing.page_header}" if listing.page_header else ""),
                         footer="".join(f"{code}{text}" for code, text in zip(("&L", "&C", "&R"), listing.footer)
                                        if text))
            ws.set_row(top, 20)
            for i, col in enumerate(cols):
                ws.write_string(top, i, col.header, head)
            frame = listing.frame.reset_index(drop=True)
            if frame.empty:
                ws.write_string(top + 1, 0, "(无)")
                continue
            if listing.autofilter:
                ws.autofilter(top, 0, top + len(frame), len(cols) - 1)
            bold = listing.bold if listing.bold is not None else np.zeros(len(frame), dtype=bool)
            columns = []
            link_text = link_target_series = None
            for col in cols:
                values = frame[col.header] if col.header in frame else pd.Series(None, index=frame.index, dtype=object)
                kind = WRITE_KIND[col.kind]
                style = pd.Series(np.where(bold, styles[col.kind, True], styles[col.kind, False]))
                if col.kind == "money":
                    values = pd.to_numeric(values, errors="coerce") / 100
                if col.kind == "link" and listing.links is not None:
                    if link_text is None:
                        link_text, link_target_series = _links(listing, sources, target)
                    values = link_text.where(link_text.notna(), values.astype(object))
                    columns.append(Cells(values, LINK, style, link_target_series))
                    continue
                if kind == LINK:
                    kind = TEXT
                if kind == DATE:
                    values = pd.to_datetime(values, errors="coerce")
                elif kind == NUMBER:
                    values = pd.to_numeric(values, errors="coerce")
                columns.append(Cells(values, kind, style))
            parts[f"xl/worksheets/sheet{number}.xml"] = (columns, top + 2, _heights(listing))
        wb.close()
        splice(tmp, parts)
    return target
