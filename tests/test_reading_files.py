"""shopbook.reading.files: what makes a file unusable before any reader holds it in memory —
sheets too large for the readers, formulas never calculated, files that are no regular files."""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill

from conftest import write_book
from shopbook.sheets.orders import ORDERS
from shopbook.reading import fast, files, scan as sheet_xml
from shopbook.core.errors import UnusableInput
from shopbook.reading.files import check_zip, open_workbook
from shopbook.reading.scan import sheet_scan
from shopbook.reading.tables import read_table

ROOT = Path(__file__).resolve().parent.parent
H = ["订单号", "收件人", "手机", "详细地址", "商品编码", "数量", "实付金额"]
GOOD = ["T1", "张三", "13812345678", "广东省深圳市南山区科技园路1号", "S1", 1, 59.9]


def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    """The CLI in a child process: a reader that aborts (exit 134) cannot take pytest down with it."""
    return subprocess.run([sys.executable, "-m", "shopbook", *map(str, args)], cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=120)


def orders_book(path: Path, extra=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订单"
    ws.append(H)
    ws.append(GOOD)
    if extra:
        extra(ws)
    wb.save(path)
    return path


def rewrite_sheet(src: Path, dst: Path, change) -> Path:
    """A copy of the workbook with its first sheet's XML changed by change(bytes) -> bytes."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, change(data) if info.filename == "xl/worksheets/sheet1.xml" else data)
    return dst


# --- sheets too large for the readers (issue 12, item 11) ----------------------------------
def test_one_value_at_xfd1048576_is_refused_in_one_line(tmp_path):
    # the Rust readers would try to hold 1,048,576 × 16,384 cells (512 GiB) and abort
    path = orders_book(tmp_path / "far.xlsx", lambda ws: ws.__setitem__("XFD1048576", 1))
    for command in (["validate", path], ["picklist", path], ["reconcile", path, path]):
        run = cli(*command)
        assert run.returncode == 2, run.stderr
        assert "XFD1048576" in run.stderr and str(path) in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    with pytest.raises(UnusableInput, match="XFD1048576"):
        fast.Book(path)


@pytest.mark.parametrize("change", [
    lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:G2"', xml),  # a wrong dimension
    lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", xml),  # none at all
    lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:G2"', xml)
    .replace(b'<c r="XFD1048576"', b'<c t="n" r="XFD1048576"'),  # position not the first attribute
    lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:G2"', xml)
    .replace(b'<c r="XFD1048576"', b'<c r="XFC1048576"></c><c'),  # no position: the cell after XFC
], ids=["wrong-dimension", "no-dimension", "r-not-first", "no-r"])
def test_the_declared_dimension_is_not_trusted(tmp_path, change):
    src = orders_book(tmp_path / "far.xlsx", lambda ws: ws.__setitem__("XFD1048576", 1))
    path = rewrite_sheet(src, tmp_path / "odd.xlsx", change)
    with pytest.raises(UnusableInput, match="1,048,576 行"):
        check_zip(path)


def test_a_styled_empty_cell_far_away_does_not_refuse_the_workbook(tmp_path):
    # Excel's dimension then reaches XFD1048576, but the readers skip cells without a value
    path = orders_book(tmp_path / "styled.xlsx",
                       lambda ws: setattr(ws["XFD1048576"], "fill", PatternFill("solid", fgColor="FFFFFF00")))
    check_zip(path)
    assert (sheet_scan(path, "订单").rows, sheet_scan(path, "订单").cols) == (2, 7)
    assert read_table(open_workbook(path), ORDERS).data.index.tolist() == [2]


def test_a_full_height_sheet_with_a_few_columns_still_reads(tmp_path):
    path = orders_book(tmp_path / "tall.xlsx", lambda ws: ws.__setitem__("G1048576", 5))
    check_zip(path)
    scan = sheet_scan(path, "订单")
    assert (scan.rows, scan.cols) == (1_048_576, 7) and scan.rows * scan.cols <= files.MAX_AREA


def test_a_sheet_xml_too_large_is_refused(tmp_path, monkeypatch):
    path = orders_book(tmp_path / "big.xlsx")
    monkeypatch.setattr("shopbook.reading.scan.MAX_PART", 200)
    with pytest.raises(UnusableInput, match="工作表「订单」解压后"):
        open_workbook(path)


def test_a_sheet_needing_more_memory_than_the_machine_has_is_refused(tmp_path, monkeypatch):
    path = orders_book(tmp_path / "tall.xlsx", lambda ws: ws.__setitem__("G1048576", 5))
    monkeypatch.setattr("shopbook.reading.scan._memory_limit", lambda: 100 * 1024**2)
    with pytest.raises(UnusableInput, match="内存"):
        fast.Book(path)


def test_scan_finds_excel_error_cells_as_before(tmp_path):
    path = write_book(tmp_path / "e.xlsx", {"订单": [H, ["T1", "#N/A", None, None, "#REF!", 1, 2]]})
    assert files.formula_errors(path, "订单") == [(2, 1, "#N/A"), (2, 4, "#REF!")]


# --- formulas never calculated (issue 12, item 14) ------------------------------------------
def uncalculated_book(tmp_path, name="calc.xlsx"):
    # as scripts write them: openpyxl saves the formula and no result
    return write_book(tmp_path / name, {"订单": [H, ["T1", "张三", "13812345678", "广东省深圳市南山区科技园路1号",
                                                   "S1", "=1+1", "=2*29.95"]]})


def test_uncalculated_formulas_in_data_columns_are_unusable_input(tmp_path):
    path = uncalculated_book(tmp_path)
    with pytest.raises(UnusableInput, match=r"「订单」的 F2 等 2 个单元格是公式.*Excel"):
        read_table(open_workbook(path), ORDERS)
    with pytest.raises(UnusableInput, match="F2"):
        fast.read_sheets(path, ORDERS)


@pytest.mark.parametrize("command", [["validate"], ["picklist"]])
def test_every_command_says_the_workbook_was_never_calculated(tmp_path, command):
    from click.testing import CliRunner
    from shopbook.cli import main
    path = uncalculated_book(tmp_path)
    result = CliRunner().invoke(main, [*command, str(path)])
    assert result.exit_code == 2
    assert "从未在 Excel 中计算过" in result.stderr and str(path) in result.stderr


def test_uncalculated_bill_is_unusable_input(tmp_path):
    from click.testing import CliRunner
    from shopbook.cli import main
    bill = write_book(tmp_path / "bill.xlsx", {"账单": [["快递单号", "寄件日期", "目的省份", "计费重量", "运费"],
                                                        ["ZT1", "2026-10-05", "广东", 1, "=4*1"]]})
    reg = write_book(tmp_path / "reg.xlsx", {"发货": [["发货日期", "订单号", "快递公司", "快递单号", "重量"],
                                                      ["2026-10-05", "O1", "中通", "ZT1", 1]]})
    result = CliRunner().invoke(main, ["reconcile", str(bill), str(reg)])
    assert result.exit_code == 2 and "E2" in result.stderr and "计算" in result.stderr


def test_formulas_that_do_not_matter_are_left_alone(tmp_path):
    # a formula outside the columns read, on another sheet, or with a saved result
    path = write_book(tmp_path / "ok.xlsx", {"订单": [H + ["我的备注"], GOOD + ["=1+1"]], "说明": [["=2+2"]]})
    assert read_table(open_workbook(path), ORDERS).data.index.tolist() == [2]
    calculated = rewrite_sheet(uncalculated_book(tmp_path, "c.xlsx"), tmp_path / "saved.xlsx",
                               lambda xml: xml.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")
                               .replace(b"<f>2*29.95</f><v />", b'<f>""</f><v></v>').replace(b'<c r="G2">', b'<c r="G2" t="str">'))
    table = read_table(open_workbook(calculated), ORDERS)
    assert table.data.loc[2, "数量"] == 2  # the saved result; G2 is an empty text result


@pytest.mark.parametrize("cells, outside", [
    (b'<c r="A1" t="s"><v>0</v></c><c r="G9"><v>1</v></c>', False),
    (b'<cols><col min="1" max="7"/></cols><row r="9"><c r="C9"><v>1</v></c></row>', False),
    (b'<c r="A10"><v>1</v></c>', True),  # a row beyond the dimension
    (b'<c r="H1"><v>1</v></c>', True),  # a column beyond
    (b'<c r="AA1"><v>1</v></c>', True),
    (b'<c r="XFD1048576"><v>1</v></c>', True),
    (b'<c t="n" r="A1"><v>1</v></c>', True),  # position not first: the exact count decides
    (b'<c><v>1</v></c>', True),
    (b'<c\nr="A1"><v>1</v></c>', True),
])
def test_the_dimension_check_finds_every_cell_outside(cells, outside):
    # vectorised over the bytes (a regex at every cell cost as much as reading the sheet)
    assert sheet_xml._outside(cells, 9, 7) is outside


def test_the_dimension_check_reads_columns_of_several_letters():
    assert sheet_xml._outside(b'<c r="ZX9"><v>1</v></c><c r="B2"/>', 9, 700) is False  # ZX = 700
    assert sheet_xml._outside(b'<c r="ZY9"><v>1</v></c>', 9, 700) is True
    assert sheet_xml._outside(b'<c r="AAA1"><v>1</v></c>', 9, 700) is True


def test_the_two_byte_look_finds_a_pair_at_any_offset():
    # _has_pair decides whether a chunk of sheet XML is searched for formulas never calculated
    for data in (b"", b"<", b"<f", b"x<f", b"xx<f", b"<c r=\"A1\"><v>1</v></c>", b"<c><f>A1</f></c>", b"ab<fy"):
        assert sheet_xml._has_pair(data, b"<f") == (b"<f" in data), data
