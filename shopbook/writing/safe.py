"""Saving without losing anything: atomic writes, backups, Excel lock files."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from shopbook.reading.files import UnusableInput, os_reason


def lock_files(path: Path) -> tuple[Path, Path]:
    """Owner files Office leaves beside an open file: ~$name (Excel), ~$me for long names (Word)."""
    return path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:])


def refuse_if_open(path: Path) -> None:
    for lock in lock_files(path):
        if lock.exists():
            raise UnusableInput(f"{path}: 工作簿正在 Excel 中打开(发现锁文件 {lock.name})。请先关闭后再试。")


@contextmanager
def atomic_path(target: Path):
    """Yield a temporary path beside `target`; on success it replaces `target` in one step.
    An output that cannot be written (a read-only or full disk, a file where a folder should be,
    no permission) is UnusableInput naming the path; the target is left as it was."""
    target = Path(target)
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
    """Copy `path` to name.备份-YYYYmmdd-HHMMSS.ext before it is written in place."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.备份-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.备份-{stamp}-{n}{path.suffix}")
        n += 1
    shutil.copy2(path, target)
    return target
