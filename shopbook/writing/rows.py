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
import pyarrow as pa
import pyarrow.compute as pc

from shopbook.core.findings import column_letter

TEXT, NUMBER, DATE, LINK = "text", "number", "date", "link"
ROWS_PER_CHUNK = 20_000
_EPOCH = pd.Timestamp("1899-12-30")
# the characters XML cannot hold, and those it must write as entities (RE2, for pyarrow)
_NOT_XML_RE2 = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]"
_ESCAPE_TEXT_RE2 = r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]"
_ESCAPE_ATTRIBUTE_RE2 = r'[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]'


@dataclass
class Cells:
    values: pd.Series  # positional (0..n-1); NA = blank cell
    kind: str = TEXT
    style: int | pd.Series = 0  # format index, for all rows or per row
    targets: pd.Series | None = None  # LINK: where each cell points ("file.xlsx#'发货'!A5")


def _column_xml(cells: Cells, numbers: pa.Array, col: str) -> pa.Array:
    """One column's <c> elements, '' for blanks."""
    v = cells.values.reset_index(drop=True)
    present = v.notna().to_numpy()
    if not present.any():
        return pa.array(np.full(len(v), "", dtype=object), type=pa.string())
    if isinstance(cells.style, pd.Series):
        style = pc.cast(pa.array(cells.style.reset_index(drop=True).astype(int).to_numpy()[present]), pa.string())
    else:
        style = str(int(cells.style))
    v = v[present]
    head = joined(f'<c r="{col}', numbers.filter(pa.array(present)), '" s="', style, '"')
    if cells.kind == NUMBER:
        xml = joined(head, "><v>", number_text(v), "</v></c>")
    elif cells.kind == DATE:
        xml = joined(head, "><v>", serial_text(v, lambda day: f"{day:.10g}"), "</v></c>")
    elif cells.kind == LINK:
        targets = arrow_text(cells.targets.reset_index(drop=True)[present])
        text = arrow_text(v)
        linked = pc.is_valid(targets)
        formula = joined('HYPERLINK("', pc.replace_substring(targets.fill_null(""), '"', '""'), '","',
                         pc.replace_substring(text, '"', '""'), '")')
        xml = pc.if_else(linked, joined(head, ' t="str"><f>', xml_escaped(formula, quotes=True), "</f><v>",
                                        xml_escaped(text, quotes=True), "</v></c>"),
                         joined(head, ' t="inlineStr"><is><t xml:space="preserve">', xml_escaped(text, quotes=True),
                                "</t></is></c>"))  # no target: the text alone
    else:
        xml = joined(head, ' t="inlineStr"><is><t xml:space="preserve">', xml_escaped(arrow_text(v), quotes=True),
                     "</t></is></c>")
    return spread(present, xml)


def rows_xml(columns: list[Cells], first_row: int, heights: pd.Series | None = None):
    """The <row> elements (1-based Excel rows from `first_row`) as UTF-8, chunk by chunk."""
    n = len(columns[0].values) if columns else 0
    for start in range(0, n, ROWS_PER_CHUNK):
        stop = min(start + ROWS_PER_CHUNK, n)
        numbers = pc.cast(pa.array(np.arange(first_row + start, first_row + stop)), pa.string())
        sized = ""
        if heights is not None:
            h = heights.iloc[start:stop].reset_index(drop=True)
            sized = pa.array(np.where(h.notna(), ' ht="' + h.astype(str) + '" customHeight="1"', ""), type=pa.string())
        part = [Cells(c.values.iloc[start:stop], c.kind,
                      c.style.iloc[start:stop] if isinstance(c.style, pd.Series) else c.style,
                      c.targets.iloc[start:stop] if c.targets is not None else None) for c in columns]
        cells = [_column_xml(c, numbers, column_letter(i)) for i, c in enumerate(part)]
        yield chunk_bytes(joined('<row r="', numbers, '"', sized, ">", *cells, "</row>"))


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
                _write_behind(out, (chunk.encode("utf-8") if isinstance(chunk, str) else chunk for chunk in chunks))
                out.write(b"</sheetData>" + tail)
    spliced.replace(path)


# --- Arrow: the cells' XML built in C++ (pyarrow.compute), about ten times faster than Python's
# string operations per cell; the bytes are the same (tests/test_writing.py)
def arrow_text(values: pd.Series) -> pa.Array:
    """Text cells as an Arrow string array (NA: null). A character UTF-8 cannot hold (a lone
    surrogate from a damaged file) becomes "?" instead of stopping the write."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        text = pa.array(values.array)
        text = text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text
        return text.cast(pa.string()) if text.type != pa.string() else text
    try:  # str objects: read in C
        return pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):
        pass
    try:  # numbers, dates … as Python writes them (str)
        return pa.array(values.astype(object).map(lambda v: v if v is None or v is pd.NA else str(v)).to_numpy(),
                        type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):
        return pa.array([None if v is None or v is pd.NA else str(v).encode("utf-8", "replace").decode("utf-8")
                         for v in values], type=pa.string())


def xml_escaped(text: pa.Array, quotes: bool = False) -> pa.Array:
    """Text as XML character data (and attribute values, with `quotes`): &, <, > (and ") as
    entities, the characters XML cannot hold left out."""
    if not pc.any(pc.match_substring_regex(text, _ESCAPE_ATTRIBUTE_RE2 if quotes else _ESCAPE_TEXT_RE2)).as_py():
        return text
    text = pc.replace_substring_regex(text, _NOT_XML_RE2, "")
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")) + ((('"', "&quot;"),) if quotes else ()):
        text = pc.replace_substring(text, char, entity)
    return text


def number_text(values: pd.Series) -> pa.Array:
    """Numbers as a cell's <v>: whole ones as integers, others as Python writes a float (shortest
    round trip; Arrow's own rendering differs, e.g. 0.00001), once per distinct value."""
    x = pd.to_numeric(values).astype("float64")
    whole = (x == np.floor(x)).to_numpy()
    out = pc.cast(pa.array(x.where(whole, 0).astype("int64").to_numpy()), pa.string())
    if not whole.all():
        codes, uniques = pd.factorize(x[~whole])
        shown = pa.array(pd.Series(uniques).astype(str).to_numpy(dtype=object), type=pa.string()).take(pa.array(codes))
        out = pc.replace_with_mask(out, pa.array(~whole), shown)
    return out


def serial_text(values: pd.Series, shown=str) -> pa.Array:
    """Dates as Excel serial days (as `shown` writes the float), once per distinct date."""
    codes, uniques = pd.factorize(pd.to_datetime(values))
    serial = (pd.Series(uniques) - _EPOCH) / pd.Timedelta(days=1)
    return pa.array([shown(day) for day in serial], type=pa.string()).take(pa.array(codes))


def joined(*parts) -> pa.Array:
    """Element-wise concatenation (strings broadcast): one C++ pass."""
    return pc.binary_join_element_wise(*parts, "")


def spread(present: np.ndarray, cells: pa.Array) -> pa.Array:
    """The cells of the present rows back to every row, '' for the blank ones."""
    if present.all():
        return cells
    where = np.cumsum(present) - 1
    return cells.take(pa.array(where, mask=~present)).fill_null("")


def chunk_bytes(rows: pa.Array):
    """The rows' UTF-8 bytes one after the other, without a copy (the Arrow array's own buffer)."""
    rows = rows.combine_chunks() if isinstance(rows, pa.ChunkedArray) else rows
    if rows.null_count:
        rows = rows.fill_null("")
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int32)[rows.offset:rows.offset + len(rows) + 1]
    return memoryview(rows.buffers()[2])[int(offsets[0]):int(offsets[-1])] if len(rows) else b""


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
