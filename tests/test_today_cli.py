"""`shopbook today` end to end: exit codes, the JSON shape, the 今日待办 workbook (sheets, links to the
source cells, print setup), no output over an input, the LibreOffice rendering, the demo step."""
import json
import subprocess

import openpyxl
from click.testing import CliRunner

from conftest import needs_tools
from shopbook.cli import main
from shopbook.today import job
from today_helpers import D, books, complaint, handover, order, parcel, review

ITEM_KEYS = {"order", "who", "due", "reason", "sheet", "row"}


def invoke(*args, as_of="2026-10-31 18:00"):
    return CliRunner().invoke(main, ["today", *args, "--as-of", as_of], catch_exceptions=False)


def busy(tmp_path):
    return books(tmp_path, ledger={"订单": [order("1001", placed=D(2026, 10, 31, 9), paid=None, status="待付款")],
                                   "发货": [parcel("1002", signed=D(2026, 10, 22))]},
                 service={"评价": [review("1003", D(2026, 10, 31, 9))],
                          "交接班": [handover(D(2026, 10, 31), "早班", no="1003")],
                          "投诉": [complaint(D(2026, 10, 31), no="1002", kind="少发")]})


def test_exit_codes(tmp_path):
    clean = books(tmp_path, service={"评价": [review("1001", D(2026, 10, 3), state="已改好", turned=D(2026, 10, 4))]})
    result = invoke(*map(str, clean), "-o", str(tmp_path / "a.xlsx"))
    assert result.exit_code == 0, result.output
    assert invoke(*map(str, busy(tmp_path)), "-o", str(tmp_path / "b.xlsx")).exit_code == 1
    missing = invoke(str(tmp_path / "nope.xlsx"))
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    from conftest import write_book
    other = write_book(tmp_path / "other.xlsx", {"Sheet1": [["名字", "年龄"], ["a", 1]]})
    result = invoke(str(other))
    assert result.exit_code == 2 and "没有找到" in result.stderr
    assert invoke().exit_code == 2  # no workbook


def test_json_shape(tmp_path):
    result = invoke(*map(str, busy(tmp_path)), "-o", str(tmp_path / "out.xlsx"), "--json")
    data = json.loads(result.stdout)
    assert set(data) == {"as_of", "lists", "findings", "counts"}
    assert data["as_of"] == "2026-10-31 18:00"
    assert list(data["lists"]) == list(job.LISTS) == list(data["counts"])
    items = [i for v in data["lists"].values() for i in v]
    assert items and all(set(i) == ITEM_KEYS for i in items)
    assert {n: len(v) for n, v in data["lists"].items()} == data["counts"]
    assert data["lists"]["待联系评价"] == [{"order": "1003", "who": "吴思琪", "due": "2026-11-03",
                                        "reason": "差评还没有电话联系:11-03 生效前打电话问明原因",
                                        "sheet": "评价", "row": 2}]
    assert data["lists"]["交接"][0]["due"] == "2026-10-31 17:30"
    assert all(isinstance(i["row"], int) for i in items)
    assert {f["code"] for f in data["findings"]} == {"today-list-skipped"}  # 截单: no 拣货批次


def test_report_prints_the_counts_per_list(tmp_path):
    result = invoke(*map(str, busy(tmp_path)), "-o", str(tmp_path / "out.xlsx"))
    for name in job.LISTS:
        assert name in result.output
    assert "截单" in result.output and "未生成" in result.output
    assert "待联系评价" in result.output and "今日待办.xlsx" not in result.output and "out.xlsx" in result.output


def test_the_workbook(tmp_path):
    out = tmp_path / "今日待办.xlsx"
    assert invoke(*map(str, busy(tmp_path)), "-o", str(out)).exit_code == 1
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["今日概览", *job.LISTS, "客服绩效", "问题"]
    ws = wb["待联系评价"]
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$1:$3" and ws.page_setup.orientation == "landscape"
    header = [c.value for c in ws[3]]
    assert header == ["序号", "期限", "状态", "订单号", "买家", "负责人", "事项", "详情", "来源", "已办"]
    row = [c.value for c in ws[4]]
    assert row[3] == "1003" and ws.cell(4, 4).number_format == "@"
    link = ws.cell(4, 9)
    assert link.value == "评价!C2" and (link.hyperlink.target, link.hyperlink.location) == ("客服.xlsx", "'评价'!C2")
    overview = wb["今日概览"]
    assert overview.cell(4, 1).value == "待联系评价" and overview.cell(4, 1).hyperlink.location == "'待联系评价'!A1"
    pay = wb["客服绩效"]
    assert [c.value for c in pay[1]] == ["月份", "客服", "差评数", "差评改好数", "催评数", "投诉处理数"]
    assert [c.value for c in pay[2]] == ["2026-10", "吴思琪", 1, 0, 0, 0]


def test_links_are_relative_to_the_output_folder(tmp_path):
    paths = busy(tmp_path)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "今日待办.xlsx"
    invoke(*map(str, paths), "-o", str(out))
    ws = openpyxl.load_workbook(out)["待联系评价"]
    assert ws.cell(4, 9).hyperlink.target == "../客服.xlsx"  # forward slashes: every reader follows them


def test_no_output_over_an_input(tmp_path):
    paths = busy(tmp_path)
    before = paths[1].read_bytes()
    result = invoke(*map(str, paths), "-o", str(paths[1]))
    assert result.exit_code == 2 and "输出文件与输入相同" in result.stderr
    assert paths[1].read_bytes() == before


def test_default_output_beside_the_first_workbook(tmp_path):
    paths = busy(tmp_path)
    invoke(*map(str, paths))
    assert (tmp_path / "今日待办.xlsx").exists()


@needs_tools("soffice", "pdftotext")
def test_renders_in_libreoffice(tmp_path):
    out = tmp_path / "今日待办.xlsx"
    invoke(*map(str, busy(tmp_path)), "-o", str(out))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "今日待办.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    for words in ("今日待办", "待联系评价(1 项)", "1003", "生效前打电话问明原因", "交接(1 项,逾期 1 项)",
                  "少发:10-31 登记,还没有补发", "第 1 页", "客服绩效"[:2]):
        assert words in text, words


def test_demo_step(tmp_path):
    from shopbook.demo import today_step as demo_step
    from shopbook.demo import DEMO_AS_OF, demo_dir
    lines = []
    demo_step(demo_dir(), tmp_path, demo_dir() / "规则.xlsx", DEMO_AS_OF, lines.append)
    assert (tmp_path / "今日待办.xlsx").exists()
    assert lines[0].startswith("今日待办 2026-10-31 18:00: ") and "待联系评价" in lines[0]


def test_month_of_the_pay_counts(tmp_path):
    paths = books(tmp_path, service={"评价": [review("1001", D(2026, 9, 20), state="已改好", turned=D(2026, 9, 22))]})
    out = tmp_path / "o.xlsx"
    invoke(*map(str, paths), "-o", str(out), "--month", "2026-09")
    pay = openpyxl.load_workbook(out)["客服绩效"]
    assert [c.value for c in pay[2]] == ["2026-09", "吴思琪", 1, 1, 0, 0]
    invoke(*map(str, paths), "-o", str(out))  # the month of --as-of
    assert openpyxl.load_workbook(out)["客服绩效"].max_row == 1
    bad = invoke(*map(str, paths), "-o", str(out), "--month", "2026-13")
    assert bad.exit_code == 2 and "Traceback" not in bad.output
