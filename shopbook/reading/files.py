"""Opening workbooks safely: file checks, bomb checks, then a fast reader (python-calamine).

Everything that makes a file unusable raises `UnusableInput` with a one-line Chinese
message naming the file; the CLI turns it into exit code 2.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from xml.etree.ElementTree import ParseError as ElementTreeError
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

MAX_UNCOMPRESSED = 2 * 1024**3  # total declared size of a workbook's parts
MAX_RATIO = 200  # a part expanding more than this (and past 50 MB) is a zip bomb
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


class UnusableInput(Exception):
    """Input the job cannot use at all: reported in one line, exit code 2."""


@dataclass
class Sheet:
    """A sheet's cells as read: an object DataFrame with positional columns.

    `first_row` is the Excel row number of the frame's first row (0-based index 0).
    Cell values are native (str, float, int, bool, datetime, date, time) or None.
    """

    name: str
    cells: pd.DataFrame
    first_row: int = 1
    merged: list = field(default_factory=list)


@dataclass
class Workbook:
    path: Path
    sheet_names: list[str]
    _reader: object = None
    _cache: dict = field(default_factory=dict)

    def sheet(self, name: str) -> Sheet:
        if name not in self._cache:
            self._cache[name] = self._reader(name)
        return self._cache[name]

    def head(self, name: str, rows: int = 30) -> pd.DataFrame:
        """The first rows of a sheet (for finding the header row)."""
        return self.sheet(name).cells.head(rows)


def check_zip(path: Path) -> None:
    """Refuse zip and XML bombs before any reader opens the file."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_UNCOMPRESSED:
                raise UnusableInput(f"{path}: 文件解压后超过 {MAX_UNCOMPRESSED // 1024**3} GB,疑似压缩炸弹,已拒绝打开。")
            for info in infos:
                if info.file_size > 50 * 1024**2 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise UnusableInput(f"{path}: 文件中的 {info.filename} 压缩比异常({info.file_size} 字节),疑似压缩炸弹,已拒绝打开。")
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with zf.open(info) as part:
                        head = part.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise UnusableInput(f"{path}: 文件中的 {info.filename} 含有 DTD/实体声明(XML 炸弹的特征),已拒绝打开。")
    except zipfile.BadZipFile:
        raise UnusableInput(f"{path}: 文件已损坏或不是 Excel 工作簿(无法解压)。请重新保存为 .xlsx 再试。") from None


def _sniff(path: Path) -> str:
    if not path.exists():
        raise UnusableInput(f"{path}: 文件不存在。请检查路径。")
    if path.is_dir():
        raise UnusableInput(f"{path}: 这是一个文件夹,不是工作簿。")
    size = path.stat().st_size
    if size == 0:
        raise UnusableInput(f"{path}: 文件是空的(0 字节)。")
    with open(path, "rb") as fh:
        head = fh.read(8)
        if head == _OLE_MAGIC:
            blob = head + fh.read(min(size, 4 * 1024**2))
            if _ENCRYPTED_MARK in blob:
                raise UnusableInput(f"{path}: 工作簿有密码保护。请在 Excel 中取消密码(文件 > 信息 > 保护工作簿)后再试。")
            return "xls"
    if head.startswith(b"PK"):
        return "xlsx"
    if path.suffix.lower() in (".csv", ".txt"):
        return "csv"
    raise UnusableInput(f"{path}: 不是 Excel 工作簿(.xlsx/.xlsm/.xls)或 csv 文件。")


def decode_csv(raw: bytes, path: Path) -> str:
    """csv bytes -> text: UTF-8 (with or without BOM), else GB18030 (covers GBK)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnusableInput(f"{path}: csv 编码无法识别(支持 UTF-8 与 GBK/GB18030)。")


def csv_frame(text: str) -> pd.DataFrame:
    """A csv's records as a frame of text cells (None for empty), columns = 0-based position.
    pandas' C parser (a 200,000-line platform export reads in about a second); the csv module
    where it cannot parse the file."""
    width = max((line.count(",") for line in text.splitlines()), default=0) + 1
    try:
        frame = pd.read_csv(io.StringIO(text), header=None, names=range(width), dtype=object, keep_default_na=False,
                            na_values=[], skip_blank_lines=False, engine="c")
        filled = frame.notna() & (frame != "")
        used = filled.any(axis=0)
        last = used[used].index.max() if used.any() else -1
        return frame.iloc[:, :last + 1].where(filled.iloc[:, :last + 1], None)
    except (pd.errors.ParserError, ValueError):
        rows = list(csv.reader(io.StringIO(text)))
        width = max((len(r) for r in rows), default=0)
        frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
        return frame.where(frame != "", None)


def _csv_reader(path: Path):
    frame = csv_frame(decode_csv(path.read_bytes(), path))

    def read(name: str) -> Sheet:
        return Sheet(name, frame)
    return read


_ERROR_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})(\d+)"[^>]*>')
_ERROR_VALUE = re.compile(rb"<v>([^<]*)</v>")


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
    付款时间 would read as "unpaid"). They are rare, so the sheet XML is streamed and only the
    cells marked t="e" are looked at (about 0.5 s for 200,000 rows)."""
    try:
        with zipfile.ZipFile(path) as zf:
            part = _sheet_parts(zf).get(sheet)
            if part not in zf.namelist():
                return []
            found, tail = [], b""
            with zf.open(part) as stream:
                while chunk := stream.read(1 << 22):
                    buffer = tail + chunk
                    cut = buffer.rfind(b"</c>") + 4  # whole cells only; the rest waits for the next chunk
                    if cut < 4:
                        tail = buffer
                        continue
                    found += _error_cells(buffer[:cut])
                    tail = buffer[cut:]
            return found + _error_cells(tail)
    except (KeyError, zipfile.BadZipFile, ValueError, ElementTreeError):
        return []


def _error_cells(data: bytes) -> list[tuple[int, int, str]]:
    found = []
    for hit in re.finditer(rb't="e"', data):
        start = data.rfind(b"<c", 0, hit.start())
        cell = _ERROR_CELL.match(data, start)
        value = _ERROR_VALUE.search(data, hit.end(), data.find(b"</c>", hit.end()) + 4)
        if cell and value:
            col = 0
            for ch in cell.group(1).decode():
                col = col * 26 + ord(ch) - 64
            found.append((int(cell.group(2)), col - 1, value.group(1).decode("utf-8", "replace")))
    return found


def _calamine_reader(path: Path):
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # the Rust reader's errors are not typed
        raise UnusableInput(f"{path}: 无法读取工作簿({_short(exc)})。文件可能已损坏,请在 Excel 中另存为 .xlsx 再试。") from None
    is_package = zipfile.is_zipfile(path)

    def read(name: str) -> Sheet:
        try:
            sh = book.get_sheet_by_name(name)
            rows = sh.to_python(skip_empty_area=False)
        except Exception as exc:
            raise UnusableInput(f"{path}: 工作表「{name}」无法读取({_short(exc)})。") from None
        # empty cells come back as ''; tables.parse_table turns them into None per column
        frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
        if is_package:
            for row, col, error in formula_errors(path, name):
                if row - 1 < frame.shape[0] and col < frame.shape[1]:
                    frame.iat[row - 1, col] = error  # as Excel shows it; tables reports it
        merged = list(getattr(sh, "merged_cell_ranges", None) or [])
        return Sheet(name, frame, first_row=1, merged=merged)
    return book.sheet_names, read


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__


def open_workbook(path: str | Path) -> Workbook:
    """Open .xlsx/.xlsm/.xls/.csv after the safety checks."""
    path = Path(path)
    kind = _sniff(path)
    if kind == "csv":
        return Workbook(path, [path.stem], _csv_reader(path))
    if kind == "xlsx":
        check_zip(path)
    names, read = _calamine_reader(path)
    if not names:
        raise UnusableInput(f"{path}: 工作簿里没有工作表。")
    return Workbook(path, list(names), read)
