"""Opening workbooks safely: file checks, bomb checks, then a fast reader (python-calamine).

Everything that makes a file unusable raises `UnusableInput` with a one-line Chinese
message naming the file; the CLI turns it into exit code 2.
"""
from __future__ import annotations

import csv
import errno
import io
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from shopbook.core.errors import UnusableInput
from shopbook.reading.scan import MAX_AREA, check_sheets, formula_errors, scanned

MAX_UNCOMPRESSED = 2 * 1024**3  # total declared size of a workbook's parts
MAX_RATIO = 200  # a part expanding more than this (and past 50 MB) is a zip bomb
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


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
    source: Path | None = None  # the .xlsx/.xlsm it was read from (for its formulas' check)


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
    """Refuse zip and XML bombs, and sheets too large for the readers, before any reader opens
    the file. A file already checked (same size and time) is not scanned again."""
    try:
        if scanned(path):
            return
    except OSError:
        pass
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
            check_sheets(path, zf)
    except zipfile.BadZipFile:
        raise UnusableInput(f"{path}: 文件已损坏或不是 Excel 工作簿(无法解压)。请重新保存为 .xlsx 再试。") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise UnusableInput(f"{path}: 文件已损坏,无法解压({_short(exc)})。请在 Excel 中另存为 .xlsx 再试。") from None


def path_problem(path: Path, exc: OSError) -> str:
    """An OSError about a file or folder as one Chinese line naming the path."""
    return f"{path}: {os_reason(exc)}。"


def os_reason(exc: OSError) -> str:
    """Why an OSError happened, in Chinese (no path)."""
    reasons = {errno.ENOENT: "不存在,请检查路径", errno.EACCES: "没有读写权限", errno.EPERM: "没有读写权限",
               errno.ELOOP: "是一个指向自身的符号链接(循环)", errno.ENOTDIR: "路径中有一部分是文件而不是文件夹",
               errno.EISDIR: "是一个文件夹,不是文件", errno.ENOSPC: "所在的磁盘已满", errno.EROFS: "所在的磁盘是只读的",
               errno.ENAMETOOLONG: "路径太长", errno.EDQUOT: "超出了磁盘配额", errno.EIO: "读写出错(磁盘或网络故障)",
               errno.EEXIST: "已经存在,但不是文件夹", errno.EBUSY: "正被其他程序占用", errno.ETXTBSY: "正被其他程序占用"}
    code = errno.errorcode.get(exc.errno, exc.errno) if exc.errno is not None else type(exc).__name__
    return reasons.get(exc.errno, f"无法访问(系统错误 {code})")


def regular_file(path: Path) -> int:
    """The size of `path`, after making sure it is a regular file that can be read: a folder, a
    pipe (FIFO), a device, a symlink loop or a file without read permission is UnusableInput —
    reading a pipe would wait forever."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UnusableInput(f"{path}: 文件不存在。请检查路径。") from None
    except OSError as exc:
        raise UnusableInput(path_problem(path, exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise UnusableInput(f"{path}: 这是一个文件夹,不是工作簿。")
    if not stat.S_ISREG(info.st_mode):
        raise UnusableInput(f"{path}: 不是普通文件(是管道、设备或套接字),无法作为工作簿读取。")
    if not os.access(path, os.R_OK):
        raise UnusableInput(f"{path}: 没有读取这个文件的权限。请检查文件权限后再试。")
    return info.st_size


def _sniff(path: Path) -> str:
    size = regular_file(path)
    if size == 0:
        raise UnusableInput(f"{path}: 文件是空的(0 字节)。")
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
            blob = head + fh.read(min(size, 4 * 1024**2)) if head == _OLE_MAGIC else b""
    except OSError as exc:
        raise UnusableInput(path_problem(path, exc)) from None
    if head == _OLE_MAGIC:
        if _ENCRYPTED_MARK in blob:
            raise UnusableInput(f"{path}: 工作簿有密码保护。请在 Excel 中取消密码(文件 > 信息 > 保护工作簿)后再试。")
        return "xls"
    if head.startswith(b"PK"):
        return "xlsx"
    if path.suffix.lower() in (".csv", ".txt"):
        return "csv"
    raise UnusableInput(f"{path}: 不是 Excel 工作簿(.xlsx/.xlsm/.xls)或 csv 文件。")


def decode_csv(raw: bytes, path: Path) -> str:
    """csv bytes -> text: UTF-8 (with or without BOM), else GB18030 (covers GBK). NUL bytes are
    no text: a broken export, or a UTF-16 file (Excel's 「Unicode 文本」)."""
    if b"\x00" in raw:
        raise UnusableInput(f"{path}: csv 中含有空字符(NUL),文件可能已损坏,或不是 UTF-8/GBK 文本(如 UTF-16)。"
                            "请用 Excel 打开后另存为 .xlsx 或「CSV UTF-8」再试。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnusableInput(f"{path}: csv 编码无法识别(支持 UTF-8 与 GBK/GB18030)。")


def check_csv_area(path: Path, rows: int, width: int) -> None:
    """A csv is read as a full grid too: a line of a million commas would make it rows × 1,000,000."""
    if rows * width > MAX_AREA:
        raise UnusableInput(f"{path}: csv 有 {rows:,} 行、最宽的一行有 {width:,} 列,读取需要的内存太多,已拒绝打开。"
                            "请检查是否有一行含有大量逗号。")


def read_bytes(path: Path) -> bytes:
    """The whole file (a csv), an OSError turned into UnusableInput naming it."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnusableInput(path_problem(path, exc)) from None


def _csv_rows(text: str, path: Path) -> list[list[str]]:
    """The records by the csv module: slower, but it parses what pandas cannot and knows where a
    field is too long."""
    reader = csv.reader(io.StringIO(text))
    try:
        return list(reader)
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise UnusableInput(f"{path}: csv 第 {reader.line_num} 行有一格超过 {csv.field_size_limit():,} 个字符"
                                "(Excel 一格最多 32,767 个字符),文件可能已损坏。") from None
        raise UnusableInput(f"{path}: csv 第 {reader.line_num} 行无法解析({_short(exc)})。"
                            "请用 Excel 打开后另存为 .xlsx 再试。") from None


def csv_frame(text: str, path: Path) -> pd.DataFrame:
    """A csv's records as a frame of text cells (None for empty), columns = 0-based position.
    pandas' C parser (a 200,000-line platform export reads in about a second); the csv module
    where it cannot parse the file or a line is long enough to hold an over-long field."""
    lines = text.splitlines()
    width = max((line.count(",") for line in lines), default=0) + 1
    check_csv_area(path, len(lines), width)
    longest = max((len(line) for line in lines), default=0)
    del lines
    if longest <= csv.field_size_limit():
        try:
            frame = pd.read_csv(io.StringIO(text), header=None, names=range(width), dtype=object,
                                keep_default_na=False, na_values=[], skip_blank_lines=False, engine="c")
            filled = frame.notna() & (frame != "")
            used = filled.any(axis=0)
            last = used[used].index.max() if used.any() else -1
            return frame.iloc[:, :last + 1].where(filled.iloc[:, :last + 1], None)
        except (pd.errors.ParserError, ValueError):
            pass
    rows = _csv_rows(text, path)
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    return frame.where(frame != "", None)


def _csv_reader(path: Path):
    frame = csv_frame(decode_csv(read_bytes(path), path), path)

    def read(name: str) -> Sheet:
        return Sheet(name, frame)
    return read


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
        return Sheet(name, frame, first_row=1, merged=merged, source=path if is_package else None)
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


def as_workbook(given):
    """A book already open as it is (a Workbook, or one that reads its sheets its own way, such as
    the month's text-read workbooks), else the path opened by open_workbook."""
    return given if hasattr(given, "sheet_names") else open_workbook(given)
