"""Files and paths that once hung a command or ended it with a traceback: each is now exit 2
with one line naming the path (or, for a workbook that is fine, a normal run)."""
from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.styles import PatternFill

from conftest import write_book
from shopbook.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "shopbook" / "data" / "demo"
H = ["订单号", "收件人", "手机", "详细地址", "商品编码", "数量", "实付金额"]
GOOD = ["T1", "张三", "13812345678", "广东省深圳市南山区科技园路1号", "S1", 1, 59.9]
BAD_PHONE = ["T2", "李四", "1381234567", "广东省深圳市南山区科技园路2号", "S1", 1, 59.9]


def invoke(*args):
    return CliRunner().invoke(main, [*map(str, args)])


def one_line_exit_2(result, *names):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1, result.stderr
    for name in names:
        assert str(name) in result.stderr, result.stderr


# --- reading ----------------------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "账单.xlsx"
    os.mkfifo(fifo)
    start = time.time()
    for command in (["reconcile", fifo, DEMO / "台账.xlsx"], ["reconcile", DEMO / "快递账单.xlsx", fifo],
                    ["validate", fifo], ["payroll", fifo, "--month", "2026-10"]):
        # in a child process with a timeout: a regression would block forever on open()
        run = subprocess.run([sys.executable, "-m", "shopbook", *map(str, command)], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 2 and "不是普通文件" in run.stderr and str(fifo) in run.stderr, run.stderr
    assert time.time() - start < 60


def test_a_symlink_loop_is_refused(tmp_path):
    loop = tmp_path / "loop.xlsx"
    loop.symlink_to(loop)
    one_line_exit_2(invoke("validate", loop), loop)
    one_line_exit_2(invoke("validate", DEMO / "台账.xlsx", "-o", loop), loop)


def test_an_unreadable_file_is_refused(tmp_path, monkeypatch):
    # (click's own check of the argument comes first on the command line; the readers are reached
    # by the month folder, the Excel buttons and bill folders without it)
    from shopbook.reading import fast
    from shopbook.core.errors import UnusableInput
    from shopbook.reading.files import open_workbook
    path = write_book(tmp_path / "台账.xlsx", {"订单": [H, GOOD]})
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == path else real(p, mode, **kw))
    for read in (open_workbook, fast.Book):
        with pytest.raises(UnusableInput, match="没有读取这个文件的权限"):
            read(path)


def test_an_unreadable_file_inside_the_month_folder_is_a_finding(tmp_path, monkeypatch):
    folder = tmp_path / "10月"
    folder.mkdir()
    write_book(folder / "台账.xlsx", {"订单": [H + ["付款时间"], GOOD + ["2026-10-05 10:00"]]})  # of the month
    locked = write_book(folder / "工资.xlsx", {"员工": [["工号", "姓名"]]})
    real_open = open

    def guarded(file, *args, **kwargs):
        if Path(str(file)) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)
    monkeypatch.setattr("builtins.open", guarded)
    result = invoke("month", "--month", "2026-10", "--in", folder, "-o", tmp_path / "月报.xlsx", "--json",
                    "--as-of", "2026-10-31")
    assert result.exit_code in (0, 1), result.output
    assert "工资.xlsx" in result.stdout and "权限" in result.stdout


def test_a_csv_field_of_10_mb_is_refused(tmp_path):
    path = tmp_path / "订单.csv"
    path.write_text(",".join(H) + "\nT1,张三,13812345678," + "x" * 10_000_000 + ",S1,1,5\n", encoding="utf-8")
    result = invoke("validate", path)
    one_line_exit_2(result, path)
    assert "第 2 行" in result.stderr


def test_a_csv_line_of_millions_of_commas_is_refused_by_both_readers(tmp_path, monkeypatch):
    # read as a grid: rows × the widest line's columns
    from shopbook.reading import files
    monkeypatch.setattr(files, "MAX_AREA", 10_000)
    path = tmp_path / "账单.csv"
    path.write_text("快递单号,计费重量,运费\n" + "," * 5_000 + "\n" + "ZT1,1,4\n" * 3, encoding="utf-8")
    for command in (["validate", path], ["reconcile", path, DEMO / "台账.xlsx"]):
        result = invoke(*command)
        one_line_exit_2(result, path)
        assert "5,001 列" in result.stderr


def test_nul_bytes_in_a_csv_are_refused_by_both_readers(tmp_path):
    orders = tmp_path / "订单.csv"
    orders.write_bytes((",".join(H) + "\nT1,张\x00三,13812345678,广东省深圳市南山区1号,S1,1,5\n").encode())
    one_line_exit_2(invoke("validate", orders, "-o", tmp_path / "out.xlsx"), orders)
    bill = tmp_path / "账单.csv"
    bill.write_bytes("快递单号,寄件日期,目的省份,计费重量,运费\nZT1,2026-10-05,广\x00东,1,4\n".encode())
    one_line_exit_2(invoke("reconcile", bill, DEMO / "台账.xlsx"), bill)


def test_control_characters_of_a_csv_do_not_break_the_marked_copy(tmp_path):
    path = tmp_path / "订单.csv"
    path.write_text(",".join(H) + "\nT1,张\x07三,1381234567,广东省深圳市南山区1号,S1,1,5\n", encoding="utf-8")
    result = invoke("validate", path, "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 1 and (tmp_path / "out.xlsx").exists()


# --- writing ----------------------------------------------------------------------------------
def test_an_output_under_a_file_is_refused(tmp_path):
    source = write_book(tmp_path / "台账.xlsx", {"订单": [H, GOOD]})
    target = source / "结果.xlsx"
    result = invoke("validate", source, "-o", target)
    one_line_exit_2(result, target)
    assert "不是文件夹" in result.stderr


def test_a_read_only_output_folder_is_refused(tmp_path, monkeypatch):
    # (as root a chmod would not stop the write: the refusal of the system is simulated)
    import tempfile
    source = write_book(tmp_path / "台账.xlsx", {"订单": [H, GOOD]})
    folder = tmp_path / "只读"
    folder.mkdir()

    def refuse(*args, dir=None, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", os.path.join(str(dir), ".~shopbook-x.xlsx"))
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = invoke("validate", source, "-o", folder / "结果.xlsx")
    one_line_exit_2(result, folder / "结果.xlsx")
    assert "权限" in result.stderr and ".~shopbook" not in result.stderr


@pytest.mark.parametrize("command", ["validate", "reconcile", "month"])
def test_a_full_disk_is_refused_and_leaves_the_old_output(tmp_path, monkeypatch, command):
    import openpyxl.workbook.workbook
    import xlsxwriter.workbook

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(openpyxl.workbook.workbook.Workbook, "save", full)
    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", full)
    target = tmp_path / "结果.xlsx"
    target.write_bytes(b"old")
    args = {"validate": ["validate", DEMO / "台账.xlsx"],
            "reconcile": ["reconcile", DEMO / "快递账单.xlsx", DEMO / "台账.xlsx"],
            "month": ["month", "--month", "2026-10", "--in", DEMO]}[command]
    result = invoke(*args, "-o", target, "--as-of", "2026-10-31 18:00")
    one_line_exit_2(result, target)
    assert "磁盘已满" in result.stderr
    assert target.read_bytes() == b"old" and not list(tmp_path.glob(".~shopbook-*"))


def test_a_stray_os_error_is_one_line_exit_2(tmp_path, monkeypatch):
    # the CLI's last line of defence
    import shopbook.sheets.run
    def broken(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error", str(tmp_path / "某文件.xlsx"))
    monkeypatch.setattr(shopbook.sheets.run, "run_validate", broken)
    result = invoke("validate", tmp_path / "x.xlsx")
    one_line_exit_2(result, tmp_path / "某文件.xlsx")
    assert "读写出错" in result.stderr


# --- marking the user's workbook ----------------------------------------------------------
def test_validate_o_over_merged_cells_marks_the_top_left_cell(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订单"
    for row in (H, BAD_PHONE, ["T3", "王五", None, "广东省深圳市南山区科技园路3号", "S1", 1, 59.9]):
        ws.append(row)
    ws.merge_cells("C2:C3")  # C3 (required-missing) is a merged cell: no fill, no note of its own
    source, target = tmp_path / "merged.xlsx", tmp_path / "out.xlsx"
    wb.save(source)
    result = invoke("validate", source, "-o", target)
    assert result.exit_code == 1, result.output
    note = openpyxl.load_workbook(target)["订单"]["C2"].comment.text
    assert "phone-invalid" in note and "required-missing" in note


def test_validate_o_with_a_styled_cell_in_the_last_row_does_not_walk_every_cell(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订单"
    ws.append(H)
    ws.append(BAD_PHONE)
    ws["X1048576"].fill = PatternFill("solid", fgColor="FFFFFF00")  # 25 million cells up to it
    source = tmp_path / "styled.xlsx"
    wb.save(source)
    start = time.time()
    for target in (tmp_path / "out.xlsx", tmp_path / "out2.xlsx"):  # the second run clears old marks
        run = subprocess.run([sys.executable, "-m", "shopbook", "validate", str(source), "-o", str(target)],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert run.returncode == 1, run.stderr
        source = target
    assert time.time() - start < 30


# --- found by the fuzzer (tests/test_fuzz.py) ------------------------------------------------
def _ledger_without(sheet: str, column: str) -> dict:
    import test_fuzz as fz
    sheets = {"订单": [fz.OH, *fz.ORDERS], "发货": [fz.SH, *fz.SHIPPED], "退换货": [fz.RH, *fz.RETURNED],
              "库存": [fz.KH, *fz.STOCKED]}
    sheets = {name: [list(r) for r in rows] for name, rows in sheets.items()}
    sheets[sheet][0][sheets[sheet][0].index(column)] = "别的列"
    return sheets


@pytest.mark.parametrize("sheet, column", [("订单", "订单号"), ("退换货", "订单号"), ("退换货", "类型"),
                                           ("库存", "商品编码")])
def test_a_sheet_without_a_required_column_is_a_finding_in_every_command(tmp_path, sheet, column):
    # once KeyError in the checks that use the column
    folder = tmp_path / "10月"
    folder.mkdir()
    ledger = write_book(folder / "台账.xlsx", _ledger_without(sheet, column))
    result = invoke("validate", ledger, "--json", "--as-of", "2026-10-31 18:00")
    assert result.exit_code == 1, result.output
    assert '"missing-column"' in result.stdout
    result = invoke("month", "--month", "2026-10", "--in", folder, "-o", tmp_path / "月报.xlsx", "--as-of",
                    "2026-10-31 18:00")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


@pytest.mark.parametrize("sheet", ["考勤", "绩效"])
def test_payroll_sheet_without_employee_ids_is_a_finding(tmp_path, sheet):
    import test_fuzz as fz
    sheets = {"员工": [fz.EH, *fz.EMPLOYEES], "考勤": [fz.AH, *fz.ATTENDED], "绩效": [fz.PH, *fz.PERFORMED]}
    sheets = {name: [list(r) for r in rows] for name, rows in sheets.items()}
    sheets[sheet][0][0] = "编号?"
    book = write_book(tmp_path / "工资.xlsx", sheets)
    result = invoke("payroll", book, "--month", "2026-10", "--json")
    assert result.exit_code == 1, result.output
    assert '"missing-column"' in result.stdout


def test_month_with_a_register_whose_order_numbers_are_all_blank(tmp_path):
    # once TypeError: pandas maps through an empty datetime Series by casting it to float
    import test_fuzz as fz
    folder = tmp_path / "10月"
    folder.mkdir()
    shipped = [[fz.T(2026, 10, 10), None, "中通", "ZT1234567890123", 0.5]]
    write_book(folder / "台账.xlsx", {"订单": [fz.OH, *fz.ORDERS], "发货": [fz.SH[:5], *shipped]})
    result = invoke("month", "--month", "2026-10", "--in", folder, "-o", tmp_path / "月报.xlsx", "--json",
                    "--as-of", "2026-10-31 18:00")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
