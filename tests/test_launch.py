"""The one-click launcher (issue 20 item 4): `shopbook open` picks the job by what a workbook
holds and writes the result beside it; `shopbook install-shortcuts` writes the launcher files.
Linux end to end (the .desktop Exec line on a demo workbook, LibreOffice opens the result);
the Windows .bat and the PowerShell that makes the .lnk by their text."""
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import needs_tools
from shopbook.cli import main
from shopbook.launch import shortcuts
from shopbook.launch.place import PAYROLL, RECONCILE, TODAY, VALIDATE, place
from shopbook.launch.run import open_file
from shopbook.core.errors import UnusableInput

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "workbooks"
DEMO = ROOT / "shopbook" / "data" / "demo"
AS_OF = "2026-10-31 18:00"


@pytest.mark.parametrize("template, job", [("订单", VALIDATE), ("发货", VALIDATE), ("退换货", VALIDATE),
                                           ("库存", VALIDATE), ("快递对账", RECONCILE), ("工资", PAYROLL),
                                           ("客服", TODAY)])
def test_each_workbook_is_placed_by_what_it_holds(template, job):
    assert place(TEMPLATES / f"{template}.xlsx").job == job


def test_a_courier_csv_bill_and_the_ledger(tmp_path):
    assert place(DEMO / "快递账单-中通.csv").job == RECONCILE
    assert place(DEMO / "台账.xlsx").job == VALIDATE


def test_a_workbook_it_cannot_place_is_one_line(tmp_path):
    with pytest.raises(UnusableInput, match="认不出这是哪种工作簿"):
        place(TEMPLATES / "规则.xlsx")


@pytest.fixture
def folder(tmp_path):
    for name in ("台账.xlsx", "快递账单.xlsx", "交接.xlsx", "客服.xlsx", "规则.xlsx"):
        shutil.copy(DEMO / name, tmp_path / name)
    return tmp_path


def test_results_go_beside_and_inputs_stay(folder):
    import datetime as dt
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    as_of = dt.datetime(2026, 10, 31, 18)
    assert open_file(folder / "台账.xlsx", as_of).output == folder / "台账-校验结果.xlsx"
    bill = open_file(folder / "快递账单.xlsx", as_of)
    assert bill.output == folder / "快递账单-对账结果.xlsx" and bill.placement.job == RECONCILE
    today = open_file(folder / "客服.xlsx", as_of)
    assert today.output == folder / "客服-今日待办.xlsx" and today.run.inputs.sources["订单"][0].name == "台账.xlsx"
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name in before} == before
    assert all(p.exists() for p in (bill.output, today.output))


def test_a_bill_without_a_register_beside_it(tmp_path):
    shutil.copy(DEMO / "快递账单.xlsx", tmp_path / "快递账单.xlsx")
    with pytest.raises(UnusableInput, match="没有发货登记"):
        open_file(tmp_path / "快递账单.xlsx")


def recorder(tmp_path: Path, name: str) -> tuple[str, Path]:
    """A command that appends its last argument to a file (stands in for xdg-open / a message box)."""
    log = tmp_path / f"{name}.log"
    script = tmp_path / f"{name}.py"
    script.write_text(f"import sys\nopen({str(log)!r}, 'a', encoding='utf-8').write(sys.argv[-1] + '\\n')\n")
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}", log


def test_open_opens_the_result_and_says_why_it_cannot(folder, monkeypatch):
    opener, opened = recorder(folder, "opened")
    message, said = recorder(folder, "said")
    monkeypatch.setenv("SHOPBOOK_OPEN_WITH", opener)
    monkeypatch.setenv("SHOPBOOK_MESSAGE_WITH", message)
    result = CliRunner().invoke(main, ["open", str(folder / "台账.xlsx"), "--as-of", AS_OF, "--gui"])
    assert result.exit_code == 1 and result.output.startswith("校验(台账.xlsx 中有「订单」):")
    assert opened.read_text(encoding="utf-8").split() == [str(folder / "台账-校验结果.xlsx")]
    result = CliRunner().invoke(main, ["open", str(folder / "规则.xlsx"), "--gui"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "认不出这是哪种工作簿" in said.read_text(encoding="utf-8") and "规则.xlsx" in result.stderr
    assert CliRunner().invoke(main, ["open", str(folder / "没有.xlsx")]).exit_code == 2
    assert CliRunner().invoke(main, ["open"]).exit_code == 2
    assert CliRunner().invoke(main, ["open", "--gui"]).exit_code == 0 and "拖到" in said.read_text(encoding="utf-8")


# --- the launcher files -------------------------------------------------------------------------
def exec_args(entry: str, files: list[str]) -> list[str]:
    """The Exec line of a .desktop file as the desktop runs it (Desktop Entry spec: string
    escapes, then quoting; %F = the files)."""
    line = re.search(r"^Exec=(.*)$", entry, re.M)[1]
    line = line.replace("\\\\", "\\")
    args = []
    for arg in shlex.split(line):
        if arg == "%F":
            args += files
        else:
            args.append(arg.replace("%%", "%"))
    return args


def test_the_desktop_entry_quotes_its_command(tmp_path):
    entry = shortcuts.desktop_entry(["/opt/my python/bin/python3", "-m", "shopbook", "open", "--gui"],
                                    Path("/srv/店铺 工具"))
    assert "Terminal=false" in entry and "MimeType=application/vnd.openxmlformats" in entry
    assert exec_args(entry, ["/a/订单.xlsx", "/b c/账单.xlsx"]) == [
        "env", "PYTHONPATH=/srv/店铺 工具", "/opt/my python/bin/python3", "-m", "shopbook", "open", "--gui",
        "/a/订单.xlsx", "/b c/账单.xlsx"]


def test_the_windows_bat_and_its_shortcuts():
    bat = shortcuts.windows_bat([r"C:\Program Files\Python312\python.exe", "-m", "shopbook", "open", "--gui"],
                                Path(r"D:\shopbook"))
    lines = bat.split("\r\n")
    assert "\n" not in bat.replace("\r\n", "")  # CRLF throughout
    assert lines[0] == "@echo off" and "chcp 65001 >nul" in lines
    assert 'set "PYTHONPATH=D:\\shopbook"' in lines
    assert r'"C:\Program Files\Python312\python.exe" -m shopbook open --gui %*' in lines
    assert bat.isascii()  # our own text; only a path may not be (read as UTF-8 once chcp 65001 ran)
    shortcut = next(line for line in lines if line.startswith("powershell "))
    assert "CreateShortcut" in shortcut and "GetFolderPath('SendTo')" in shortcut
    assert "GetFolderPath('Desktop')" in shortcut and "$l.TargetPath='%~f0'" in shortcut and "shopbook.lnk" in shortcut
    script = shortcuts.shortcut_script(r"C:\Users\O'Brien\AppData\Roaming\shopbook\shopbook.bat")
    assert r"$l.TargetPath='C:\Users\O''Brien\AppData\Roaming\shopbook\shopbook.bat'" in script


def test_macos_is_out_of_scope():
    with pytest.raises(UnusableInput, match="macOS 暂不支持"):
        shortcuts.install(platform="darwin")


@needs_tools("soffice")
def test_linux_end_to_end(tmp_path):
    """Install into a fresh HOME, run the desktop file's Exec line on a demo workbook as the desktop
    would (no terminal), and open the result with LibreOffice."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(home), PYTHONPATH="")
    done = subprocess.run([sys.executable, "-m", "shopbook", "install-shortcuts"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    menu = home / ".local" / "share" / "applications" / "shopbook.desktop"
    desktop = home / "Desktop" / "shopbook.desktop"
    assert menu.exists() and desktop.exists() and os.access(desktop, os.X_OK)
    assert menu.read_text(encoding="utf-8") == desktop.read_text(encoding="utf-8")

    work = tmp_path / "店铺 10月"
    work.mkdir()
    shutil.copy(DEMO / "台账.xlsx", work / "台账.xlsx")
    shutil.copy(TEMPLATES / "规则.xlsx", work / "规则.xlsx")
    opener, opened = recorder(tmp_path, "opened")
    message, said = recorder(tmp_path, "said")
    env.update(SHOPBOOK_OPEN_WITH=opener, SHOPBOOK_MESSAGE_WITH=message)
    entry = menu.read_text(encoding="utf-8")
    run = subprocess.run(exec_args(entry, [str(work / "台账.xlsx")]), cwd=home, env=env, capture_output=True, text=True)
    assert run.returncode == 1, run.stderr  # validated: the demo ledger has planted errors
    result = work / "台账-校验结果.xlsx"
    assert opened.read_text(encoding="utf-8").split("\n")[0] == str(result)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(result)], check=True, capture_output=True, timeout=300)
    assert (tmp_path / "台账-校验结果.pdf").stat().st_size > 1000

    run = subprocess.run(exec_args(entry, [str(work / "规则.xlsx")]), cwd=home, env=env, capture_output=True, text=True)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "shopbook 无法处理 规则.xlsx" in said.read_text(encoding="utf-8")


def test_without_a_dialog_program_the_message_opens_as_a_text_file(tmp_path, monkeypatch):
    from shopbook.launch import system
    opener, opened = recorder(tmp_path, "opened")
    monkeypatch.setenv("SHOPBOOK_OPEN_WITH", opener)
    monkeypatch.delenv("SHOPBOOK_MESSAGE_WITH", raising=False)
    monkeypatch.setattr(system.sys, "platform", "linux")
    monkeypatch.setattr(system.shutil, "which", lambda name: None)
    assert system.show_message("认不出这是哪种工作簿")
    note = Path(opened.read_text(encoding="utf-8").strip())
    assert note.name == "shopbook-消息.txt" and note.read_text(encoding="utf-8") == "认不出这是哪种工作簿\n"


def test_windows_install_without_powershell_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("APPDATA", str(tmp_path))
    monkeypatch.setattr(shortcuts.subprocess, "run", lambda *a, **k: (_ for _ in ()).throw(FileNotFoundError("powershell")))
    with pytest.raises(UnusableInput, match="无法建立快捷方式"):
        shortcuts.install(platform="win32")
    assert (tmp_path / "shopbook" / "shopbook.bat").read_bytes().startswith(b"@echo off\r\n")
