"""Saving without losing anything: atomic writes, backups, Excel lock files."""
from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from shopbook.core.errors import UnusableInput
from shopbook.reading.files import os_reason


def lock_files(path: Path) -> list[tuple[Path, str]]:
    """The lock files an office program leaves beside a workbook it has open, each with the
    program's name: ~$name (Excel, and WPS on Windows), .~lock.name# (LibreOffice), .~name
    (WPS for Linux) and, for long names, Word's owner file whose first characters are
    dropped (~$cument.xlsx for document.xlsx; stems of 7 characters drop one)."""
    name = path.name
    found = [(path.with_name("~$" + name), "Excel/WPS"), (path.with_name(f".~lock.{name}#"), "LibreOffice"),
             (path.with_name(".~" + name), "WPS")]
    stem = len(path.stem)
    if stem >= 7:
        found.append((path.with_name("~$" + name[2 if stem >= 8 else 1:]), "Excel/WPS"))
    return found


def refuse_if_open(path: Path) -> None:
    for lock, program in lock_files(path):
        if lock.exists():
            raise UnusableInput(f"{path}: 工作簿正在 {program} 中打开(发现锁文件 {lock.name})。请先关闭后再试;"
                                f"若已关闭,删除这个锁文件即可。")


@contextmanager
def atomic_path(target: Path):
    """Yield a temporary path beside `target`; on success it replaces `target` in one step.
    An output that cannot be written (a read-only or full disk, a file where a folder should be,
    no permission) is UnusableInput naming the path; the target is left as it was."""
    target = _followed(Path(target))
    tmp = None
    try:
        if target.is_dir():
            raise UnusableInput(f"{target}: 这是一个文件夹,不能作为输出文件。请给出文件名,如 结果.xlsx。")
        target.parent.mkdir(parents=True, exist_ok=True)
        refuse_if_open(target)
        fd, tmp = tempfile.mkstemp(prefix=".~shopbook-", suffix=target.suffix, dir=target.parent)
        os.close(fd)
        yield Path(tmp)
        # mkstemp makes the file private (0600): give it the rights a normal save would —
        # the replaced file's, or the user's defaults
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        os.replace(tmp, target)
    except Exception as error:
        # XlsxWriter wraps the OSError of its final write in FileCreateError
        exc = error if isinstance(error, OSError) else next((a for a in error.args if isinstance(a, OSError)), None)
        if exc is None:
            raise
        where = Path(exc.filename) if exc.filename else target
        if where in target.parents:  # the folder it goes in
            raise UnusableInput(f"{target}: 无法写出,{where} {os_reason(exc)}。") from None
        if exc.filename and where != target and not where.name.startswith(".~shopbook-"):
            raise  # about another file (an input read while writing): the last line of defence names it
        raise UnusableInput(f"{target}: 无法写出,{os_reason(exc)}。") from None
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def backup(path: Path, now: dt.datetime | None = None) -> Path:
    """Copy `path` to name.备份-YYYYmmdd-HHMMSS.ext before it is written in place.

    The copy goes to a temporary file first, is flushed to disk and compared with the
    original (size and SHA-256) before it gets its name: a full disk or a failed write
    leaves no backup that looks valid, and the in-place write does not go ahead
    (UnusableInput)."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.备份-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.备份-{stamp}-{n}{path.suffix}")
        n += 1
    fd, tmp = tempfile.mkstemp(prefix=".~shopbook-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        try:
            expected = _copy(path, Path(tmp))
            shutil.copystat(path, tmp)
            if _digest(Path(tmp)) != expected:
                raise UnusableInput(f"{target}: 备份写出后与原文件不一致(磁盘可能已满或出错),"
                                    f"原工作簿未改动。请检查磁盘空间后再试。")
            os.replace(tmp, target)
            _sync_folder(target.parent)
        except OSError as exc:
            raise UnusableInput(f"{target}: 无法写出备份({exc.strerror or exc}),原工作簿未改动。"
                                f"请检查磁盘空间和文件夹权限后再试。") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _copy(source: Path, target: Path) -> tuple[int, str]:
    """Copy the bytes of `source` to `target` and force them to disk; returns the size and
    SHA-256 of what was read from `source`."""
    digest, size = hashlib.sha256(), 0
    with open(source, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    return size, digest.hexdigest()


def _digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file as read back from disk."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check_outputs(inputs, outputs, ignore=None) -> None:
    """Refuse a run whose output would replace one of its inputs or another of its outputs
    (`--rules 规则.xlsx -o 规则.xlsx`, `-o` onto `--bank-csv`): UnusableInput naming both.

    `inputs` and `outputs` are paths (None entries are skipped); an input folder (`month
    --in`, a folder of bills) stands for every file directly in it, except the ones its scan
    leaves out (our own marked results, backups, lock files, and files `ignore(path)` is
    true for). Paths are compared as the files they name (symlinks, `..`, hard links, case
    on case-insensitive disks)."""
    from shopbook.writing.marks import not_an_input

    files: list[Path] = []
    for item in inputs:
        if item is None:
            continue
        item = Path(item)
        if item.is_dir():
            try:
                files += [f for f in item.iterdir() if f.is_file() and not not_an_input(f)
                          and not (ignore and ignore(f))]
            except OSError:  # an unreadable folder: its reader reports it
                continue
        else:
            files.append(item)
    written: list[Path] = []
    for out in outputs:
        if out is None:
            continue
        out = Path(out)
        for source in files:
            if same_file(out, source):
                shown = "" if out == source else f" {source}"
                raise UnusableInput(f"{out}: 这是本次的输入文件{shown},输出会覆盖它。请为输出另选文件名。")
        for other in written:
            if same_file(out, other):
                raise UnusableInput(f"{out}: 本次有两个输出都写到这个文件,后写的会覆盖先写的。请为它们分别指定文件名。")
        written.append(out)


def _followed(target: Path) -> Path:
    """The file a symlinked output names (so the link stays a link); a link that loops is refused."""
    if not target.is_symlink():
        return target
    try:
        os.stat(target)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnusableInput(f"{target}: 这是一个指向自身的链接(循环链接),无法写出。") from None
        return target  # a dangling link: the output takes its place
    return target.resolve()


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name the same file (existing or not)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return _normal(a) == _normal(b)


def _normal(path: Path) -> str:
    try:
        resolved = Path(path).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        resolved = Path(os.path.abspath(path))
    return os.path.normcase(str(resolved))
