"""The launcher files `shopbook install-shortcuts` writes, so a clerk drops (or sends) a workbook
onto shopbook instead of typing a command:

- Linux: shopbook.desktop in ~/.local/share/applications (the 打开方式 menu; MimeType lists the
  workbook types) and on the desktop (drop files on it); Exec runs `shopbook open --gui %F`.
- Windows: %APPDATA%\\shopbook\\shopbook.bat runs `shopbook open --gui` on the files it is given;
  the shortcuts (SendTo\\shopbook.lnk for 发送到, Desktop\\shopbook.lnk to drop files on) are made
  by a PowerShell one-liner through WScript.Shell's CreateShortcut — the documented way to write a
  .lnk without a binary writer. The installer runs it; the .bat runs it again when double-clicked
  with no file (a desktop that lost its shortcut gets it back).
- macOS: not supported (an Automator/Shortcuts app would be needed); use `shopbook open` there.

The command in both is this very Python with `-m shopbook`; when shopbook runs from a source
folder rather than an installed package, that folder is put on PYTHONPATH in the launcher.
"""
from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
from pathlib import Path

from shopbook.core.errors import UnusableInput

NAME = "shopbook"
DESKTOP_FILE = "shopbook.desktop"
BAT_FILE = "shopbook.bat"
LNK_FILE = "shopbook.lnk"
COMMENT = "把工作簿拖到这里:按内容校验、对账、算工资或列出今日待办,结果写在旁边并打开"
MIME_TYPES = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "application/vnd.ms-excel.sheet.macroEnabled.12", "application/vnd.ms-excel", "text/csv")


def source_root() -> Path | None:
    """The folder holding the shopbook package when it is not an installed one (else None)."""
    root = Path(__file__).resolve().parent.parent.parent
    installed = [Path(p).resolve() for p in [*site.getsitepackages(), site.getusersitepackages()]]
    return None if root in installed else root


def launcher_command(python: str | None = None) -> list[str]:
    """The command a launcher runs, without the files: python -m shopbook open --gui."""
    return [python or sys.executable, "-m", "shopbook", "open", "--gui"]


# --- Linux ------------------------------------------------------------------------------------
def _exec_quote(arg: str) -> str:
    """An Exec argument as the Desktop Entry spec quotes it (and `%` doubled)."""
    arg = arg.replace("%", "%%")
    if not re.search(r'[\s"\'\\><~|&;$*?#()`]', arg):
        return arg
    return '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'


def desktop_entry(command: list[str], root: Path | None = None) -> str:
    """The .desktop file: dropping or opening workbooks runs `command` on them (%F)."""
    prefix = ["env", f"PYTHONPATH={root}"] if root else []
    exec_line = " ".join(_exec_quote(a) for a in [*prefix, *command]) + " %F"
    # a backslash in a string value is an escape in .desktop files: the Exec line is escaped once more
    exec_line = exec_line.replace("\\", "\\\\")
    return "\n".join([
        "[Desktop Entry]", "Type=Application", "Version=1.0", f"Name={NAME}", f"Name[zh_CN]={NAME} 处理表格",
        f"Comment={COMMENT}", f"Exec={exec_line}", "Icon=x-office-spreadsheet", "Terminal=false",
        "MimeType=" + ";".join(MIME_TYPES) + ";", "Categories=Office;Spreadsheet;", "",
    ])


def _user_dir(home: Path, key: str, default: str) -> Path:
    """An XDG user folder (DESKTOP → ~/桌面 on a Chinese desktop) from user-dirs.dirs."""
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "user-dirs.dirs"
    if config.exists():
        m = re.search(rf'^XDG_{key}_DIR="([^"]*)"', config.read_text(encoding="utf-8", errors="replace"), re.M)
        if m:
            return Path(m[1].replace("$HOME", str(home)))
    return home / default


def install_linux(home: Path, command: list[str], root: Path | None) -> list[Path]:
    text = desktop_entry(command, root)
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    menu = data / "applications" / DESKTOP_FILE
    desktop = _user_dir(home, "DESKTOP", "Desktop") / DESKTOP_FILE
    written = []
    for path, mode in ((menu, 0o644), (desktop, 0o755)):  # a desktop launcher must be executable
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        path.chmod(mode)
        written.append(path)
    if shutil.which("gio"):  # GNOME runs a desktop launcher only once it is marked trusted
        subprocess.run(["gio", "set", str(desktop), "metadata::trusted", "true"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if shutil.which("update-desktop-database"):
        subprocess.run(["update-desktop-database", str(menu.parent)], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return written


# --- Windows ----------------------------------------------------------------------------------
def shortcut_script(target: str) -> str:
    """PowerShell: SendTo\\shopbook.lnk and Desktop\\shopbook.lnk pointing at `target` (the .bat)."""
    target = target.replace("'", "''")
    return ("$s=New-Object -ComObject WScript.Shell;"
            "foreach($d in @([Environment]::GetFolderPath('SendTo'),[Environment]::GetFolderPath('Desktop'))){"
            f"$l=$s.CreateShortcut((Join-Path $d '{LNK_FILE}'));$l.TargetPath='{target}';"
            "$l.WorkingDirectory=[Environment]::GetFolderPath('UserProfile');"
            "$l.IconLocation='%SystemRoot%\\System32\\imageres.dll,2';$l.Save()}")


def windows_bat(command: list[str], root: Path | None = None) -> str:
    """The .bat (CRLF, UTF-8 read under code page 65001): files given → the command on them;
    none (double-clicked) → the shortcuts made again."""
    quoted = " ".join([f'"{command[0]}"', *command[1:]])
    lines = [
        "@echo off",
        "rem shopbook launcher, written by \"shopbook install-shortcuts\" (see docs/excel.md).",
        "rem Files dropped on it or sent to it (SendTo) are opened with \"shopbook open\".",
        "chcp 65001 >nul",
        *([f'set "PYTHONPATH={root}"'] if root else []),
        'if "%~1"=="" goto shortcuts',
        f"{quoted} %*",
        "exit /b %errorlevel%",
        ":shortcuts",
        f'powershell -NoProfile -ExecutionPolicy Bypass -Command "{shortcut_script("%~f0")}"',
        quoted,  # no file: a message box on how to use the shortcuts
        "",
    ]
    return "\r\n".join(lines)


def install_windows(command: list[str], root: Path | None) -> list[Path]:
    appdata = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    bat = appdata / NAME / BAT_FILE
    bat.parent.mkdir(parents=True, exist_ok=True)
    bat.write_bytes(windows_bat(command, root).encode("utf-8"))
    try:
        done = subprocess.run(["powershell", "-NoProfile", "-ExecutionPolicy", "Bypass", "-Command",
                               shortcut_script(str(bat))], capture_output=True, text=True)
        reason = None if done.returncode == 0 else ((done.stderr or done.stdout).strip().splitlines() or ["?"])[-1]
    except OSError as exc:
        reason = str(exc)
    if reason is not None:
        raise UnusableInput(f"{bat}: 已写出启动文件,但无法建立快捷方式(PowerShell: {reason})。"
                            f"可以双击 {bat.name} 再试,或直接把工作簿拖到 {bat.name} 上。")
    return [bat, appdata / "Microsoft" / "Windows" / "SendTo" / LNK_FILE]


def install(home: Path | None = None, platform: str = sys.platform) -> list[Path]:
    """Write the launcher files of this system; returns them."""
    command, root = launcher_command(), source_root()
    if platform == "win32":
        return install_windows(command, root)
    if platform == "darwin":
        raise UnusableInput("macOS 暂不支持桌面快捷方式:请在终端用 shopbook open 工作簿(结果同样写在旁边并打开)。")
    return install_linux(home or Path.home(), command, root)
