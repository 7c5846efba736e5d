"""`shopbook validate` end to end: exit codes, JSON, marked copies, bad inputs."""
import datetime as dt
import json
import time
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from shopbook.cli import main

H = ["订单号", "收件人", "手机", "省", "详细地址", "商品编码", "数量", "单价", "实付金额"]
GOOD = ["T1", "张三", "13812345678", "广东", "深圳市南山区科技园路1号", "S1", 1, 50, 50]
BAD = ["T2", "李四", "1381234567", "广东", "深圳市南山区科技园路2号", "S1", 1, 50, 50]


def invoke(*args):
    return CliRunner().invoke(main, [*args, "--as-of", "2026-10-10 12:00"], catch_exceptions=False)


def test_exit_codes_and_json(book):
    clean = book({"订单": [H, GOOD]})
    assert invoke("validate", str(clean)).exit_code == 0
    bad = book({"订单": [H, GOOD, BAD]})
    result = invoke("validate", str(bad), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["findings"] == [{"sheet": "订单", "row": 3, "column": "手机", "cell": "C3", "code": "phone-invalid",
                                 "severity": "error", "message": data["findings"][0]["message"], "value": "1381234567"}]
    assert data["summary"]["errors"] == 1 and data["summary"]["rows_checked"] == {"订单": 2}


def test_report_grouped_by_sheet(book):
    result = invoke("validate", str(book({"订单": [H, GOOD, BAD]})))
    assert "[订单] 错误 1" in result.stdout and "C3" in result.stdout


def test_output_copy_is_marked_and_input_untouched(book, tmp_path):
    src = book({"订单": [H, GOOD, BAD]})
    before = src.read_bytes()
    out = tmp_path / "marked.xlsx"
    assert invoke("validate", str(src), "-o", str(out)).exit_code == 1
    assert src.read_bytes() == before
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "问题"
    cell = wb["订单"]["C3"]
    assert cell.fill.fgColor.rgb == "FFFFC7CE" and "手机号" in cell.comment.text
    issues = wb["问题"]
    assert issues["F2"].value == "C3" and issues["F2"].hyperlink.location == "'订单'!C3" or \
        issues["F2"].hyperlink.target == "#'订单'!C3"
    assert wb["订单"]["C2"].comment is None


def test_in_place_backs_up_and_rerun_clears_old_marks(book, tmp_path):
    src = book({"订单": [H, GOOD, BAD]}, name="orders.xlsx")
    assert invoke("validate", str(src), "--in-place").exit_code == 1
    backups = list(tmp_path.glob("orders.备份-*.xlsx"))
    assert len(backups) == 1
    wb = openpyxl.load_workbook(src)
    ws = wb["订单"]
    ws["C3"] = "13912345678"  # the clerk fixes the phone
    wb.save(src)
    time.sleep(1.1)
    assert invoke("validate", str(src), "--in-place").exit_code == 0
    wb = openpyxl.load_workbook(src)
    assert wb["订单"]["C3"].comment is None and wb["订单"]["C3"].fill.fgColor.rgb != "FFFFC7CE"
    assert wb.sheetnames.count("问题") == 1


def test_in_place_refused_while_open_in_excel(book, tmp_path):
    src = book({"订单": [H, GOOD]}, name="open.xlsx")
    (tmp_path / "~$open.xlsx").write_bytes(b"lock")
    result = invoke("validate", str(src), "--in-place")
    assert result.exit_code == 2 and "Excel" in result.stderr


def _bomb_xml(path):
    src = path.with_name("ok.xlsx")
    openpyxl.Workbook().save(src)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = data.split(b"?>", 1)[-1]
                data = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
                        + body)
            zout.writestr(item, data)


def _zip_bomb(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            chunk = b"0" * (1024 * 1024)
            for _ in range(2100):
                f.write(chunk)


@pytest.mark.parametrize("make, expect", [
    (lambda p: None, "不存在"),
    (lambda p: p.write_bytes(b""), "空的"),
    (lambda p: p.write_text("hello, I am not a workbook"), "不是 Excel"),
    (lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 100), "损坏"),
    (_bomb_xml, "XML"),
    (_zip_bomb, "炸弹"),
])
def test_unusable_input_exit_2_one_line(tmp_path, make, expect):
    path = tmp_path / "in.xlsx"
    make(path)
    start = time.time()
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert expect in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1
    assert time.time() - start < 20


def test_truncated_workbook(book, tmp_path):
    src = book({"订单": [H, GOOD] * 50})
    data = src.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    result = invoke("validate", str(cut))
    assert result.exit_code == 2 and "cut.xlsx" in result.stderr


def test_no_recognisable_headers(book):
    path = book({"Sheet1": [["a", "b"], [1, 2]]})
    result = invoke("validate", str(path))
    assert result.exit_code == 2 and "没有找到" in result.stderr


def test_password_protected(tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le"))
    result = invoke("validate", str(path))
    assert result.exit_code == 2 and "密码" in result.stderr


def test_bad_as_of_is_usage_error(book):
    result = CliRunner().invoke(main, ["validate", str(book({"订单": [H, GOOD]})), "--as-of", "soon"])
    assert result.exit_code == 2


def test_in_place_with_a_chart_writes_a_separate_workbook(tmp_path):
    from openpyxl.chart import BarChart, Reference
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订单"
    for row in ([*H], GOOD, BAD):
        ws.append(row)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=7, min_row=1, max_row=3), titles_from_data=True)
    ws.add_chart(chart, "K2")
    src = tmp_path / "with-chart.xlsx"
    wb.save(src)
    before = src.read_bytes()
    result = invoke("validate", str(src), "--in-place")
    assert result.exit_code == 1
    assert src.read_bytes() == before  # the chart's workbook is not rewritten
    separate = tmp_path / "with-chart.校验结果.xlsx"
    assert separate.exists() and "图表" in result.stdout
    assert openpyxl.load_workbook(separate)["订单"]["C3"].comment is not None


def test_xls_and_csv_inputs_get_an_xlsx_copy(tmp_path):
    src = tmp_path / "orders.csv"
    src.write_text("\n".join(",".join(str(v) for v in r) for r in (H, GOOD, BAD)), encoding="gbk")
    out = tmp_path / "marked.xlsx"
    result = invoke("validate", str(src), "-o", str(out))
    assert result.exit_code == 1
    ws = openpyxl.load_workbook(out)["orders"]
    assert ws["C3"].comment is not None and ws["B2"].value == "张三" and ws["D4"].value is None


def test_outputs_get_the_permissions_of_a_normal_save(book, tmp_path):
    import os
    import stat
    path = book({"订单": [["订单号", "收件人", "手机", "详细地址", "商品编码", "数量"],
                          ["T1", "张三", "13812345678", "广东省深圳市南山区科技园路1号", "S1", 1]]})
    out = tmp_path / "out.xlsx"
    CliRunner().invoke(main, ["validate", str(path), "-o", str(out)])
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask
