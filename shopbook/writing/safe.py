"""Saving without losing anything: atomic writes, backups, Excel lock files."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from shopbook.reading.files import UnusableInput


def lock_files(path: Path) -> tuple[Path, Path]:
    """Owner files Office leaves beside an open file: ~$name (Excel), ~$me for long names (Word)."""
    return path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:])


def refuse_if_open(path: Path) -> None:
    for lock in lock_files(path):
        if lock.exists():
            raise UnusableInput(f"{path}: 工作簿正在 Excel 中打开(发现锁文件 {lock.name})。请先关闭后再试。")


@contextmanager
def atomic_path(target: Path):
    """Yield a temporary path beside `target`; on success it replaces `target` in one step."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    refuse_if_open(target)
    fd, tmp = tempfile.mkstemp(prefix=".~shopbook-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        # mkstemp makes the file private (0600): give it the rights a normal save would —
        # the replaced file's, or the user's defaults
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
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
