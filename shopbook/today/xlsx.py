"""Write the 今日待办 workbook (XlsxWriter, streamed, atomic): the sheets of today.lists, each list
print-ready (A4 landscape, title and header repeated on every page, frozen header, text 订单号),
every row linked to its source cell in the register or ledger it came from."""
from __future__ import annotations

import functools
import math
import os
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from shopbook.writing.listing import Listing
from shopbook.writing.pages import print_a4
from shopbook.writing.safe import atomic_path

HEADER_FILL = "#D9E1F2"
LATE_FILL = "#FFC7CE"
MAX_LINKS = 65_000  # Excel keeps at most 65,530 links a sheet; past that the cell reference is plain text
_WIDE = re.compile(r"[^\x00-\u2e7f]")


@functools.lru_cache(maxsize=64)
def _where(path: Path, output: Path) -> str:
    """The workbook at `path` as seen from the output's folder: relative when the two share a drive
    (so the folder can be moved as a whole), else absolute."""
    try:
        return os.path.relpath(Path(path).resolve(), Path(output).resolve().parent)
    except ValueError:  # another drive (Windows)
        return str(Path(path).resolve())


def link_target(path: Path, sheet: str, cell: str, output: Path) -> str:
    """An xlsxwriter URL to a cell of another workbook."""
    return f"external:{_where(Path(path), Path(output))}#'{sheet}'!{cell}"


class _Formats:
    def __init__(self, wb):
        middle = {"valign": "vcenter"}
        self.title = wb.add_format({"bold": True, "font_size": 14, **middle})
        self.info = wb.add_format({"text_wrap": True, "valign": "top"})
        self.head = wb.add_format({"border": 1, "bold": True, "bg_color": HEADER_FILL, "align": "center",
                                   "text_wrap": True, **middle})
        self.text = wb.add_format(middle)
        self.id = wb.add_format({"num_format": "@", **middle})
        self.int = wb.add_format(middle)
        self.wrap = wb.add_format({"text_wrap": True, **middle})
        self.day = wb.add_format({"num_format": "yyyy-mm-dd", "align": "left", **middle})
        self.time = wb.add_format({"num_format": "yyyy-mm-dd hh:mm", "align": "left", **middle})
        self.late = wb.add_format({"bold": True, "font_color": "#9C0006", "bg_color": LATE_FILL, **middle})
        self.link = wb.add_format({"font_color": "#0563C1", "underline": 1, **middle})
        self.check = wb.add_format({"align": "center", **middle})


def _lines(text, width: float) -> int:
    """How many lines a wrapped cell needs: readers rarely fit rows to wrapped text themselves.
    A CJK character is drawn about 2.1 character widths wide (等线 11 pt), the rest one."""
    if not isinstance(text, str) or not text:
        return 1
    wide = len(_WIDE.findall(text))
    size = len(text) - wide + 2.1 * wide
    return max(1, math.ceil(size / max(width - 1, 1)))


def _heights(frame: pd.DataFrame, cols) -> list[int]:
    """Lines each row needs for its wrapped cells (as _lines, column-wise)."""
    lines = pd.Series(1, index=frame.index, dtype="int64")
    for col in cols:
        if col.kind != "wrap" or col.key not in frame:
            continue
        text = frame[col.key].astype("string")
        size = (text.str.len() + 1.1 * text.str.count(_WIDE.pattern)).fillna(0)
        lines = np.maximum(lines, np.ceil(size / max(col.width - 1, 1)).astype("int64"))
    return lines.tolist()


def write_today(path: Path, sheets: list[Listing], sources: dict, page_header: str) -> Path:
    """Write the sheets to `path` atomically. `sources` maps a sheet kind name (评价, 订单…) and a
    sheet name to the (file, sheet) it was read from, for the links."""
    import xlsxwriter

    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
        wb.set_properties({"title": "今日待办", "author": "shopbook"})
        f = _Formats(wb)
        for sheet in sheets:
            _write_sheet(wb, f, sheet, sources, path, page_header)
        wb.close()
        _forward_slashes(tmp)
    return path


_EXTERNAL = re.compile(rb'Target="([^"]*)" TargetMode="External"')


def _forward_slashes(path: Path) -> None:
    """XlsxWriter writes relative links to other workbooks with Windows separators (..\\客服.xlsx),
    which LibreOffice and Excel for Mac do not follow; every reader follows ../客服.xlsx."""
    with zipfile.ZipFile(path) as zin:
        parts = [(item, zin.read(item.filename)) for item in zin.infolist()]
    if not any(i.filename.endswith(".rels") and b"\\" in d for i, d in parts):
        return
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item, data in parts:
            if item.filename.endswith(".rels"):
                data = _EXTERNAL.sub(lambda m: b'Target="' + m.group(1).replace(b"\\", b"/") + b'" TargetMode="External"',
                                     data)
            zout.writestr(item, data)


def _write_sheet(wb, f: _Formats, sheet: Listing, sources: dict, output: Path, page_header: str) -> None:
    ws = wb.add_worksheet(sheet.name)
    cols = sheet.columns
    for i, col in enumerate(cols):
        ws.set_column(i, i, col.width, f.check if col.kind == "check" else None)  # a tick typed there is centred
    top = 2 if sheet.printable else 0
    print_a4(ws, landscape=sheet.printable, margins=(0.4, 0.7), repeat=(0, top),
             header=f"&L{sheet.name.replace('&', '&&')}&R{page_header}")
    if sheet.printable:
        ws.set_row(0, 24)
        ws.merge_range(0, 0, 0, len(cols) - 1, sheet.title, f.title)
        ws.set_row(1, 15 * _lines(sheet.info, sum(c.width for c in cols)))
        ws.merge_range(1, 0, 1, len(cols) - 1, sheet.info, f.info)
    ws.set_row(top, 20)
    for i, col in enumerate(cols):
        ws.write_string(top, i, col.header, f.head)
    ws.freeze_panes(top + 1, 0)
    frame = sheet.frame.reset_index(drop=True)
    if frame.empty:
        if sheet.printable:
            ws.write_string(top + 1, 0, "(无)")
        return
    values = {c.key: _values(frame[c.key]) if c.key in frame else [None] * len(frame) for c in cols}
    targets = frame["_target"].tolist() if "_target" in frame else [None] * len(frame)
    timed = frame["_time"].tolist() if "_time" in frame else [False] * len(frame)
    late = [s == "逾期" for s in frame["状态"]] if "状态" in frame else [False] * len(frame)
    heights = _heights(frame, cols)
    links = 0
    for r in range(len(frame)):
        row = top + 1 + r
        if heights[r] > 1:
            ws.set_row(row, 15 * heights[r])
        for i, col in enumerate(cols):
            v = values[col.key][r]
            if v is None or col.kind == "check":
                continue
            elif col.kind == "link":
                if sheet.internal_links:
                    url = f"internal:'{targets[r]}'!A1" if targets[r] else None
                else:
                    url = _url(targets[r], sources, output) if links < MAX_LINKS else None
                if url:
                    links += 1
                    ws.write_url(row, i, url, f.link, str(v))
                else:
                    ws.write_string(row, i, str(v), f.text)
            elif col.kind == "due":
                ws.write_datetime(row, i, v, f.time if timed[r] else f.day)
            elif col.kind == "int":
                ws.write_number(row, i, v, f.int)
            elif col.kind == "id":
                ws.write_string(row, i, str(v), f.id)
            elif col.key == "状态" and late[r]:
                ws.write_string(row, i, str(v), f.late)
            else:
                ws.write_string(row, i, str(v), f.wrap if col.kind == "wrap" else f.text)
    if not sheet.printable:
        ws.autofilter(0, 0, len(frame), len(cols) - 1)


def _url(target, sources: dict, output: Path) -> str | None:
    """The link of a row: target = (sheet kind or None, sheet, cell)."""
    if not target:
        return None
    kind, sheet, cell = target
    found = sources.get(kind) or sources.get(sheet)
    if not found:
        return None
    path, name = found
    return link_target(path, name, cell, output)


def _values(s: pd.Series) -> list:
    """Python values, None for blanks (datetimes as datetime, numbers as int/float)."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return [None if pd.isna(v) else v.to_pydatetime() for v in s]
    out = []
    for v in s.astype(object):
        if v is None or (not isinstance(v, (str, tuple)) and pd.isna(v)):
            out.append(None)
        elif isinstance(v, np.generic):
            out.append(v.item())
        elif isinstance(v, pd.Timestamp):
            out.append(v.to_pydatetime())
        elif isinstance(v, float) and v.is_integer():
            out.append(int(v))
        else:
            out.append(v)
    return out


