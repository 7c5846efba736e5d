"""Data rows for big generated sheets, built column-wise as sheet XML and spliced into a workbook
XlsxWriter has laid out (header, formats, print setup): per-cell calls into a writer cost about
ten times more at hundreds of thousands of rows (docs/performance.md).

A column is a `Cells`: its values (positional), how they are written (text, number, date,
link — a HYPERLINK formula with its text cached, so a sheet may hold any number of them, beyond
Excel's 65,530 hyperlinks) and its style (an XlsxWriter format index, one for every row or one
per row). shopbook.picking.run streams its lists the same way.
"""
from __future__ import annotations

import queue
import re
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from shopbook.core.findings import column_letter

TEXT, NUMBER, DATE, LINK = "text", "number", "date", "link"
ROWS_PER_CHUNK = 20_000
_EPOCH = pd.Timestamp("1899-12-30")
_NOT_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
_ESCAPE = r"[&<>\"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"


@dataclass
class Cells:
    values: pd.Series  # positional (0..n-1); NA = blank cell
    kind: str = TEXT
    style: int | pd.Series = 0  # format index, for all rows or per row
    targets: pd.Series | None = None  # LINK: where each cell points ("file.xlsx#'发货'!A5")


def _escape(text: pd.Series) -> pd.Series:
    if not re.search(_ESCAPE, "\n".join(text.tolist())):  # one scan of the column (newlines need no escape)
        return text
    return (text.str.replace(_NOT_XML, "", regex=True).str.replace("&", "&amp;", regex=False)
            .str.replace("<", "&lt;", regex=False).str.replace(">", "&gt;", regex=False)
            .str.replace('"', "&quot;", regex=False))


def _column_xml(cells: Cells, numbers: pd.Series, col: str) -> pd.Series:
    """One column's <c> elements, '' for blanks."""
    v = cells.values.reset_index(drop=True).set_axis(numbers.index)
    out = pd.Series("", index=numbers.index, dtype=object)
    present = v.notna()
    if not present.any():
        return out
    style = cells.style if isinstance(cells.style, pd.Series) else pd.Series(cells.style, index=numbers.index)
    style = style.reset_index(drop=True).set_axis(numbers.index).astype(int).astype(str)
    v, n, s = v[present], numbers[present], style[present]
    head = '<c r="' + col + n + '" s="' + s + '"'
    if cells.kind == NUMBER:
        x = pd.to_numeric(v).astype("float64")
        whole = x == np.floor(x)
        shown = x.astype(str).where(~whole, x.where(whole, 0).astype("int64").astype(str))
        out[v.index] = head + "><v>" + shown + "</v></c>"
    elif cells.kind == DATE:
        serial = (pd.to_datetime(v) - _EPOCH) / pd.Timedelta(days=1)
        out[v.index] = head + "><v>" + serial.map(lambda f: f"{f:.10g}") + "</v></c>"
    elif cells.kind == LINK:
        targets = cells.targets.reset_index(drop=True).set_axis(numbers.index)[present]
        linked = targets.notna()
        text = v.astype(str)
        t = targets[linked].astype(str)
        formula = ('HYPERLINK("' + t.str.replace('"', '""', regex=False) + '","'
                   + text[linked].str.replace('"', '""', regex=False) + '")')
        out[t.index] = head[linked] + ' t="str"><f>' + _escape(formula) + "</f><v>" + _escape(text[linked]) + "</v></c>"
        plain = ~linked
        if plain.any():  # no target: the text alone
            out[v.index[plain]] = (head[plain] + ' t="inlineStr"><is><t xml:space="preserve">'
                                   + _escape(text[plain]) + "</t></is></c>")
    else:
        out[v.index] = head + ' t="inlineStr"><is><t xml:space="preserve">' + _escape(v.astype(str)) + "</t></is></c>"
    return out


def rows_xml(columns: list[Cells], first_row: int, heights: pd.Series | None = None):
    """The <row> elements (1-based Excel rows from `first_row`), chunk by chunk."""
    n = len(columns[0].values) if columns else 0
    for start in range(0, n, ROWS_PER_CHUNK):
        stop = min(start + ROWS_PER_CHUNK, n)
        numbers = pd.Series(np.arange(first_row + start, first_row + stop)).astype(str)
        opening = '<row r="' + numbers + '"'
        if heights is not None:
            h = heights.iloc[start:stop].reset_index(drop=True)
            opening = opening + pd.Series(np.where(h.notna(), ' ht="' + h.astype(str) + '" customHeight="1"', ""))
        opening = opening + ">"
        part = [Cells(c.values.iloc[start:stop], c.kind,
                      c.style.iloc[start:stop] if isinstance(c.style, pd.Series) else c.style,
                      c.targets.iloc[start:stop] if c.targets is not None else None) for c in columns]
        cells = [_column_xml(c, numbers, column_letter(i)) for i, c in enumerate(part)]
        yield "".join(opening.str.cat(cells + [pd.Series("</row>", index=numbers.index)]).tolist())


def splice(path: Path, parts: dict[str, tuple[list[Cells], int, pd.Series | None]]) -> None:
    """Put the rows into the sheets XlsxWriter wrote ({'xl/worksheets/sheetN.xml': (columns, first
    Excel row, row heights)}), after the rows already there, streaming."""
    splice_xml(path, {part: (f"{column_letter(len(columns) - 1)}{first_row + len(columns[0].values) - 1}",
                             len(columns[0].values) * len(columns), rows_xml(columns, first_row, heights))
                      for part, (columns, first_row, heights) in parts.items()})


def splice_xml(path: Path, parts: dict) -> None:
    """Stream row XML into sheets XlsxWriter wrote: {sheet part: (last cell, cell count, chunks)} —
    the chunks (str) go before </sheetData>, after the rows already there, and the dimension
    becomes A1:last cell. Every job that streams big lists writes through here."""
    if not parts:
        return
    spliced = path.with_name(path.name + ".rows")
    # compression level 1: about three times faster than the default, the file a little larger
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(spliced, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename not in parts:
                zout.writestr(item, data)
                continue
            last, cells, chunks = parts[item.filename]
            if b"</sheetData>" not in data:  # a sheet with no cell of its own
                data = data.replace(b"<sheetData/>", b"<sheetData></sheetData>", 1)
            head, tail = data.split(b"</sheetData>", 1)
            head = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>'.encode(), head, count=1)
            target = zipfile.ZipInfo(item.filename, date_time=item.date_time)
            target.compress_type = zipfile.ZIP_DEFLATED
            target._compresslevel = 1
            # zip64 only when the part may pass 2 GB (some readers dislike it on ordinary files)
            with zout.open(target, "w", force_zip64=cells > 10_000_000) as out:
                out.write(head)
                _write_behind(out, (chunk.encode("utf-8") for chunk in chunks))
                out.write(b"</sheetData>" + tail)
    spliced.replace(path)


def _write_behind(out, chunks) -> None:
    """Write the chunks to `out` while the next ones are made: deflating (zlib, outside Python's
    lock) runs in a second thread beside the row XML (Python); the same bytes, in order. An error
    on either side stops both and is raised here."""
    pending: queue.Queue = queue.Queue(maxsize=4)
    failed: list = []

    def deflate() -> None:
        while (chunk := pending.get()) is not None:
            if not failed:
                try:
                    out.write(chunk)
                except BaseException as exc:  # (the disk full: raised in the caller's thread)
                    failed.append(exc)
    writer = threading.Thread(target=deflate, name="shopbook-deflate", daemon=True)
    writer.start()
    try:
        for chunk in chunks:
            if failed:
                break
            pending.put(chunk)
    finally:
        pending.put(None)
        writer.join()
    if failed:
        raise failed[0]
