"""Opening workbooks safely: file checks, bomb checks, then a fast reader (python-calamine).

Everything that makes a file unusable raises `UnusableInput` with a one-line Chinese
message naming the file; the CLI turns it into exit code 2.
"""
from __future__ import annotations

import csv
import io
import zipfile
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


def _csv_reader(path: Path):
    text = decode_csv(path.read_bytes(), path)
    rows = list(csv.reader(io.StringIO(text)))
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    frame = frame.where(frame != "", None)

    def read(name: str) -> Sheet:
        return Sheet(name, frame)
    return read


def _calamine_reader(path: Path):
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # the Rust reader's errors are not typed
        raise UnusableInput(f"{path}: 无法读取工作簿({_short(exc)})。文件可能已损坏,请在 Excel 中另存为 .xlsx 再试。") from None

    def read(name: str) -> Sheet:
        try:
            sh = book.get_sheet_by_name(name)
            rows = sh.to_python(skip_empty_area=False)
        except Exception as exc:
            raise UnusableInput(f"{path}: 工作表「{name}」无法读取({_short(exc)})。") from None
        # empty cells come back as ''; tables.parse_table turns them into None per column
        frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
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
