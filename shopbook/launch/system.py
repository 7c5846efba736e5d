"""The desktop's side of the launcher: open a result with the program the system opens
workbooks with, and show the clerk a message box (a launcher has no terminal to read).

Two environment variables replace the system's programs (the tests use them; a shop may too):
SHOPBOOK_OPEN_WITH (a command: the file is added as its last argument) and
SHOPBOOK_MESSAGE_WITH (a command: the message is added as its last argument).
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

TITLE = "shopbook"


def _command(variable: str) -> list[str] | None:
    value = os.environ.get(variable, "").strip()
    return shlex.split(value) if value else None


def open_with_desktop(path: Path) -> bool:
    """Open `path` as a double click would (os.startfile / xdg-open / open); False when there is
    no such program here (the caller says where the file is)."""
    override = _command("SHOPBOOK_OPEN_WITH")
    if override:
        return subprocess.run([*override, str(path)], check=False).returncode == 0
    if sys.platform == "win32":
        os.startfile(str(path))  # noqa: S606 - the clerk's own result file
        return True
    opener = "open" if sys.platform == "darwin" else shutil.which("xdg-open")
    if not opener:
        return False
    subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)
    return True


def show_message(text: str, error: bool = True) -> bool:
    """A message box with `text` (Windows MessageBoxW; Linux zenity, kdialog or notify-send, else
    the text in a file opened with the desktop's program; macOS osascript); False when nothing
    could show it (the text is on stderr anyway)."""
    override = _command("SHOPBOOK_MESSAGE_WITH")
    if override:
        return subprocess.run([*override, text], check=False).returncode == 0
    if sys.platform == "win32":
        import ctypes
        ctypes.windll.user32.MessageBoxW(None, text, TITLE, 0x10 if error else 0x40)  # MB_ICONERROR / INFORMATION
        return True
    if sys.platform == "darwin":
        script = f'display dialog {_applescript(text)} with title "{TITLE}" buttons {{"好"}}'
        return subprocess.run(["osascript", "-e", script], check=False).returncode == 0
    for program, args in (("zenity", ["--error" if error else "--info", f"--title={TITLE}", "--no-markup",
                                      f"--text={text}"]),
                          ("kdialog", ["--title", TITLE, "--error" if error else "--msgbox", text]),
                          ("notify-send", ["-u", "critical" if error else "normal", TITLE, text])):
        if shutil.which(program):
            return subprocess.run([program, *args], check=False).returncode in (0, 1)
    # no dialog program: the message as a text file, opened as the result would be
    import tempfile
    note = Path(tempfile.mkdtemp(prefix="shopbook-")) / "shopbook-消息.txt"
    note.write_text(text + "\n", encoding="utf-8")
    return open_with_desktop(note)


def _applescript(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
