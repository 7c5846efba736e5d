"""One streamed pass over each sheet's XML before any reader opens an .xlsx: the extent of its filled
cells (refused when the readers could not hold it), its Excel error values (#N/A, which the fast
readers give as blanks) and its formulas that were never calculated. check_zip runs it; the readers
ask `formula_errors` and `refuse_uncalculated` afterwards."""
from __future__ import annotations

import os
import re
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError as ElementTreeError

import numpy as np

from shopbook.core.errors import UnusableInput

# One sheet's XML (or the shared strings) past 1 GiB is refused: Excel's 1,048,576 rows × a bill's
# 7–20 columns stay well below it, and the readers need several times the XML's size in memory.
MAX_PART = 1024**3
# The readers hold a sheet as a full grid from A1 to its last filled cell: one value at XFD1048576
# would be 17 billion cells (512 GiB). 2^25 cells = 1,048,576 rows × 32 columns.
MAX_AREA = 2**25
_ERROR_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})(\d+)"[^>]*>')
_ERROR_VALUE = re.compile(rb"<v>([^<]*)</v>")
_DIMENSION = re.compile(rb'<dimension\s+ref="(?:[A-Z]{1,3}\d+:)?([A-Z]{1,3})(\d+)"')
# a formula with no cached value: <f>…</f> (or <f …/>) followed by no <v>, <v/> or <v></v>
_NO_VALUE = re.compile(rb"f>\s*(?:</c>|<v\s*/>|<v>\s*</v>)")
_NO_VALUE_SHARED = re.compile(rb"<f\s[^>]*/>\s*(?:</c>|<v\s*/>|<v>\s*</v>)")
_CELL_OR_ROW = re.compile(rb"<(c|row)\b([^>]*?)(/?)>|</row>")
_REF = re.compile(rb'\br="([A-Z]{0,3})(\d+)"')
_CHUNK = 1 << 22


@dataclass
class SheetScan:
    """What one streamed pass over a sheet's XML found: the extent of its filled cells (1-based,
    an upper bound), its Excel error cells (row, 0-based column, text) and its formulas that were
    never calculated (row, 0-based column)."""

    rows: int = 0
    cols: int = 0
    errors: list = field(default_factory=list)
    uncalculated: list = field(default_factory=list)


_SCANS: dict = {}  # (path, size, mtime) -> {sheet part: SheetScan}, for the last few files
_SCANS_LOCK = threading.Lock()


def _letters_to_col(letters: bytes) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ch - 64
    return col


def _col_to_letters(col: int) -> str:
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _outside(data: bytes, rows: int, cols: int) -> bool:
    """Whether `data` (whole cells) holds a cell the declared dimension A1:<cols><rows> does not
    cover, or a cell whose position is not its first attribute (r="…"), which this test cannot
    see: either sends the scan to the exact count. Vectorised over the cells' bytes (a regex tried
    at every cell cost as much as reading the sheet): every `<c` must be `<c r="`, then 1-3
    letters, digits and a quote, within the dimension."""
    a = np.frombuffer(data + b"\0" * 32, dtype=np.uint8)
    n = len(data) // 2 * 2
    pair = ord("<") | ord("c") << 8  # "<c" (cells, and <col>, <cfRule> …) read as little-endian 2-byte words
    even = np.flatnonzero(a[:n].view("<u2") == pair) * 2
    odd = np.flatnonzero(a[1:n + 1].view("<u2") == pair) * 2 + 1
    at = np.sort(np.concatenate([even, odd]))
    after = a[at + 2]
    if ((after == 62) | (after == 9) | (after == 10) | (after == 13)).any():  # <c> or <c + line break
        return True
    at = at[after == 32]
    if not len(at):
        return False
    width = len(str(rows))
    cell = np.lib.stride_tricks.sliding_window_view(a, 3 + 3 + 3 + width + 2)[at]  # '<c r="AB123"'
    if not ((cell[:, 3] == 114) & (cell[:, 4] == 61) & (cell[:, 5] == 34)).all():  # r="
        return True
    upper = [(cell[:, 6 + k] >= 65) & (cell[:, 6 + k] <= 90) for k in range(4)]
    count = upper[0].astype(np.int8) + (upper[0] & upper[1]) + (upper[0] & upper[1] & upper[2])
    if not upper[0].all() or (upper[0] & upper[1] & upper[2] & upper[3]).any():
        return True
    if cols <= 26:
        if upper[1].any() or (cell[:, 6] > 64 + cols).any():
            return True
        number = cell[:, 7:]
    else:
        col = np.zeros(len(at), dtype=np.int64)
        for k in range(3):
            col = np.where(count > k, col * 26 + cell[:, 6 + k].astype(np.int64) - 64, col)
        if (col > cols).any():
            return True
        number = cell[np.arange(len(at))[:, None], (6 + count)[:, None] + np.arange(width + 2)]
    digit = (number >= 48) & (number <= 57)
    digits = digit.argmin(axis=1)  # the first byte that is no digit
    if (digits == 0).any() or (digits > width).any():
        return True
    if not (number[np.arange(len(at)), digits] == 34).all():
        return True
    full = digits == width  # shorter numbers are below 10^(width-1) <= rows
    value = (number[full, :width].astype(np.int64) - 48) @ (10 ** np.arange(width - 1, -1, -1, dtype=np.int64))
    return bool((value > rows).any())


def _scan_stream(stream) -> SheetScan:
    """One pass over a worksheet part, chunk by chunk (whole cells per chunk). The extent comes
    from the declared <dimension> when it is small enough and no filled cell lies outside it,
    else from every cell's position as calamine computes it (a cell's r="…", or its row and the
    cells before it)."""
    scan = SheetScan()
    head = stream.read(_CHUNK)
    declared = _DIMENSION.search(head)
    if declared:
        declared = (int(declared.group(2)), _letters_to_col(declared.group(1)))
    exact = declared is None or declared[0] * declared[1] > MAX_AREA
    state = [0, 0]  # the row and column calamine would give a cell without r="…" (0-based)
    tail, chunk = b"", head
    while True:
        buffer = tail + chunk
        if chunk:
            cut = max(buffer.rfind(b"<c "), buffer.rfind(b"<row"))
            cut = max(cut, buffer.rfind(b"<c>", max(cut, 0)))  # (<c> is rare: not searched for in all)
            if cut <= 0:
                tail, chunk = buffer, stream.read(_CHUNK)
                continue
            data, tail = buffer[:cut], buffer[cut:]
        else:
            data, tail = buffer, b""
        if not exact and _outside(data, *declared):
            exact = True  # the chunks before were inside the dimension: it bounds them
            scan.rows, scan.cols = declared
        if exact:
            _extent(data, scan, state)
        else:
            last = data.rfind(b'<row r="')
            if last >= 0:
                found = re.match(rb'<row r="(\d+)"', data[last:last + 24])
                state[:] = [int(found.group(1)) - 1, 0] if found else state
        scan.errors += _error_cells(data)  # (a regex finds nothing faster than `in` looks)
        scan.uncalculated += _uncalculated(data)
        if not chunk:
            break
        chunk = stream.read(_CHUNK)
    if not exact:
        scan.rows, scan.cols = declared
    return scan


def _extent(data: bytes, scan: SheetScan, state: list) -> None:
    """The last row and column of the filled cells in `data`, as calamine places them."""
    row, col = state
    for m in _CELL_OR_ROW.finditer(data):
        kind, attrs, empty = m.group(1), m.group(2), m.group(3)
        if kind is None:  # </row>
            row, col = row + 1, 0
            continue
        if empty:  # <row …/> and <c …/> carry nothing
            continue
        ref = _REF.search(attrs)
        if kind == b"row":
            if ref:
                row = int(ref.group(2)) - 1
            continue
        if ref and ref.group(1):
            row_at, col = int(ref.group(2)) - 1, _letters_to_col(ref.group(1)) - 1
        else:
            row_at = row
        scan.rows, scan.cols = max(scan.rows, row_at + 1), max(scan.cols, col + 1)
        col += 1
    state[:] = [row, col]


def _has_pair(data: bytes, pair: bytes) -> bool:
    """Whether two bytes occur together in `data`, as 2-byte words (4x faster than `in` when the
    first byte, "<", is everywhere)."""
    a = np.frombuffer(data, dtype=np.uint8)
    even, odd = len(a) // 2 * 2, (len(a) - 1) // 2 * 2
    word = pair[0] | pair[1] << 8
    return bool((a[:even].view("<u2") == word).any() or (a[1:odd + 1].view("<u2") == word).any())


def _uncalculated(data: bytes) -> list[tuple[int, int]]:
    found = []
    if not _has_pair(data, b"<f"):  # no formula in these cells: no regex pass
        return found
    for pattern in (_NO_VALUE, _NO_VALUE_SHARED):
        for hit in pattern.finditer(data):
            start = data.rfind(b"<c", 0, hit.start())
            cell = _ERROR_CELL.match(data, start)
            if not cell:
                continue
            if b't="str"' in cell.group(0) and b"</c>" not in hit.group(0):
                continue  # a formula whose result is the empty text: calculated
            found.append((int(cell.group(2)), _letters_to_col(cell.group(1)) - 1))
    return found


def check_sheets(path: Path, zf: zipfile.ZipFile) -> None:
    """Refuse sheets the readers cannot hold (the XML's size, the grid up to the last filled cell,
    the memory that needs); remember what the scan found for formula_errors/uncalculated_formulas."""
    try:
        parts = _sheet_parts(zf)
    except (KeyError, ValueError, ElementTreeError):
        parts = {}  # the reader will say what is wrong with the workbook
    names = {part: name for name, part in parts.items()}
    sizes = {i.filename: i.file_size for i in zf.infolist()}
    for part in set(names) | {n for n in sizes if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)}:
        if part not in sizes:
            continue
        label = f"工作表「{names[part]}」" if part in names else part
        if sizes[part] > MAX_PART:
            raise UnusableInput(f"{path}: {label}解压后有 {sizes[part] / 1024**3:.1f} GB,超过可读取的上限 "
                                f"{MAX_PART // 1024**3} GB。请删除多余的行、列或格式后另存再试。")
    for name in ("xl/sharedStrings.xml",):
        if sizes.get(name, 0) > MAX_PART:
            raise UnusableInput(f"{path}: 工作簿的文字表(sharedStrings)解压后超过 {MAX_PART // 1024**3} GB,无法读取。")
    key = _scan_key(path)
    scans = {}
    for part in sorted(set(names) | {n for n in sizes if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)}):
        if part not in sizes:
            continue
        with zf.open(part) as stream:
            stream._expected_crc = None  # no CRC over the whole XML: the reader checks it again
            scan = _scan_stream(stream)
        scans[part] = scan
        area = scan.rows * scan.cols
        label = f"工作表「{names[part]}」" if part in names else part
        last = f"{_col_to_letters(scan.cols)}{scan.rows}"
        if area > MAX_AREA:
            raise UnusableInput(f"{path}: {label}的内容一直延伸到 {last}({scan.rows:,} 行 × {scan.cols:,} 列),"
                                f"读取需要的内存太多,已拒绝打开。请删除远处多余的单元格(选中多余的行列后删除)再保存。")
        needed = area * 48 + sizes[part] * 4
        limit = _memory_limit()
        if limit and needed > limit:
            raise UnusableInput(f"{path}: {label}({scan.rows:,} 行 × {scan.cols:,} 列)读取约需 "
                                f"{needed / 1024**3:.1f} GB 内存,本机只有 {limit / 1024**3:.1f} GB,已拒绝打开。请拆分后再试。")
    with _SCANS_LOCK:  # two inputs may be checked side by side (reading/together.py)
        _SCANS[key] = {names.get(part, part): scan for part, scan in scans.items()}
        while len(_SCANS) > 8:
            del _SCANS[next(iter(_SCANS))]


def _memory_limit() -> int | None:
    """The memory this process may use: the smaller of the machine's RAM and an address-space limit."""
    limits = []
    try:
        limits.append(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        pass
    try:
        import resource
        for which in (resource.RLIMIT_AS, getattr(resource, "RLIMIT_DATA", resource.RLIMIT_AS)):
            soft = resource.getrlimit(which)[0]
            if soft != resource.RLIM_INFINITY and soft > 0:
                limits.append(soft)
    except (ImportError, ValueError, OSError):
        pass
    return min(limits) if limits else None


def _scan_key(path: Path) -> tuple:
    st = Path(path).stat()
    return str(Path(path).resolve()), st.st_size, st.st_mtime_ns


def scanned(path: Path) -> bool:
    """Whether this file (same size and time) was scanned already."""
    return _scan_key(path) in _SCANS


def sheet_scan(path: Path, sheet: str) -> SheetScan:
    """The scan of one sheet of an .xlsx package (made by check_zip; redone if the file changed)."""
    try:
        key = _scan_key(path)
    except OSError:
        return SheetScan()
    if key not in _SCANS:
        from shopbook.reading.files import check_zip  # which scans the sheets as it checks the package
        try:
            check_zip(Path(path))
        except UnusableInput:
            return SheetScan()
    return _SCANS.get(key, {}).get(sheet, SheetScan())


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part in an .xlsx package (from workbook.xml and its rels)."""
    from defusedxml import ElementTree

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    parts = {}
    for sheet in ElementTree.fromstring(zf.read("xl/workbook.xml")).iterfind("m:sheets/m:sheet", ns):
        target = targets.get(sheet.get(f"{{{ns['r']}}}id"), "")
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def formula_errors(path: Path, sheet: str) -> list[tuple[int, int, str]]:
    """(Excel row, 0-based column, #N/A …) of every cell holding an Excel error value.
    The fast reader gives those cells as blank, which would hide a broken VLOOKUP (a #N/A
    付款时间 would read as "unpaid"). They come from the one streamed pass over the sheet XML
    that check_zip makes (only the cells marked t="e" are looked at)."""
    return sheet_scan(path, sheet).errors


def uncalculated_formulas(path: Path, sheet: str) -> list[tuple[int, int]]:
    """(Excel row, 0-based column) of every formula cell with no saved result: a workbook written
    by a script and never opened in Excel. The readers would see those cells as blank."""
    return sheet_scan(path, sheet).uncalculated


def refuse_uncalculated(path: Path, sheet: str, header_row: int, columns) -> None:
    """UnusableInput when a data cell the job reads (below the header row, in one of `columns`,
    0-based) is a formula that was never calculated: read as blank, it would give a wrong answer
    ("0 行", "没有新的可拣订单") instead of an error."""
    if Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
        return
    wanted = set(columns)
    hits = [(r, c) for r, c in uncalculated_formulas(path, sheet) if r > header_row and c in wanted]
    if hits:
        row, col = min(hits)
        raise UnusableInput(f"{path}: 工作表「{sheet}」的 {_col_to_letters(col + 1)}{row} 等 {len(hits)} 个单元格是公式,"
                            "但没有保存计算结果(这个工作簿是由程序生成的,从未在 Excel 中计算过),读出来会是空白。"
                            "请先用 Excel(或 WPS、LibreOffice)打开这个工作簿并保存,再运行。")


def _error_cells(data: bytes) -> list[tuple[int, int, str]]:
    found = []
    if not _has_pair(data, b'"e'):  # no t="e" in these cells: no search (quotes are everywhere in XML)
        return found
    for hit in re.finditer(rb't="e"', data):
        start = data.rfind(b"<c", 0, hit.start())
        cell = _ERROR_CELL.match(data, start)
        value = _ERROR_VALUE.search(data, hit.end(), data.find(b"</c>", hit.end()) + 4)
        if cell and value:
            found.append((int(cell.group(2)), _letters_to_col(cell.group(1)) - 1,
                          value.group(1).decode("utf-8", "replace")))
    return found
