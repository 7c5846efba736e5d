"""`shopbook handover` end to end: exit codes, JSON, the workbook and its print setup, inputs never
overwritten, the demo step, the printed 交接单 (LibreOffice), and the evidence reconcile takes from it."""
import datetime as dt
import json
import re
import subprocess

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import needs_tools, write_book
from shopbook.cli import main
from test_handover import D1, D2, HAND, REG, TWO, parcel, pickup

SHEETS = ["交接单", "交接核对", "今日发货清单", "底单归档", "问题"]


def invoke(*args, as_of="2026-10-10 18:00"):
    return CliRunner().invoke(main, ["handover", *map(str, args), "--as-of", as_of], catch_exceptions=False)


@pytest.fixture
def books(tmp_path):
    register = write_book(tmp_path / "发货.xlsx", {"发货": [REG, *TWO, parcel("YT1", courier="圆通", day=D2)]})
    handover = write_book(tmp_path / "交接.xlsx", {"快递交接": [HAND, pickup(count=2), pickup(day=D2, courier="圆通", count=1)]})
    short = write_book(tmp_path / "少一件.xlsx", {"快递交接": [HAND, pickup(count=1), pickup(day=D2, courier="圆通", count=1)]})
    return register, handover, short


def test_exit_codes(books, tmp_path):
    register, handover, short = books
    assert invoke(register, handover).exit_code == 0
    result = invoke(register, short, "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 1 and "件数不符 1 次" in result.output
    assert invoke(tmp_path / "没有.xlsx").exit_code == 2
    no_register = write_book(tmp_path / "x.xlsx", {"Sheet1": [["甲", "乙"], [1, 2]]})
    result = invoke(no_register)
    assert result.exit_code == 2 and "发货" in result.stderr and "Traceback" not in result.output
    result = invoke(register, handover, "--date", "2026-10-09", "--from", "2026-10-01")
    assert result.exit_code == 2 and "只能选一种" in result.output
    assert invoke(register, "--date", "10月32日").exit_code == 2


def test_an_input_is_never_the_output(books):
    register, handover, _ = books
    before = register.read_bytes()
    for target in (register, handover):
        result = invoke(register, handover, "-o", target)
        assert result.exit_code == 2 and "不能与输入文件相同" in result.stderr
    assert register.read_bytes() == before


def test_json(books, tmp_path):
    register, _, short = books
    result = invoke(register, short, "--json", "-o", tmp_path / "交接单.xlsx")
    data = json.loads(result.stdout, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))
    assert result.exit_code == 1
    s = data["summary"]
    assert (s["from"], s["to"], s["parcels"], s["handover_lists"]) == ("2026-10-09", "2026-10-10", 3, 2)
    assert s["checks"]["handover-count-mismatch"] == 1 and s["handover_record"] is True
    assert data["pickups"][0] == {"date": "2026-10-09", "courier": "中通", "couriers": "陈师傅", "registered": 2,
                                  "handed": 1, "shop_weight": 2.0, "courier_weight": None, "table_fee": "8.00",
                                  "courier_fee": None, "signed": True, "slips_received": True, "archived": None,
                                  "result": "件数不符(交接 1,发货 2)"}
    first = data["lists"][0]
    assert (first["courier"], first["parcels"], first["weight"], first["fee"]) == ("中通", 2, 2.0, "8.00")
    assert first["waybills"][0] == {"waybill": "7801", "province": "广东", "parcels": 1, "weight": 1.0, "fee": "4.00"}
    assert data["findings"][0]["code"] == "handover-count-mismatch"
    assert data["output"] == str(tmp_path / "交接单.xlsx")


def test_workbook_sheets_print_setup_and_links(books, tmp_path):
    register, _, short = books
    out = tmp_path / "交接单.xlsx"
    invoke(register, short, "-o", out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == SHEETS
    slip = wb["交接单"]
    assert slip.page_setup.paperSize == 9 and slip.page_setup.orientation == "portrait"
    assert [b.id for b in slip.row_breaks.brk]  # one page per courier and day
    rows = [r for r in slip.iter_rows(values_only=True)]
    assert rows[0][0] == "快递交接单  中通  2026-10-09" and rows[2][:3] == ("序号", "快递单号", "收件省")
    assert rows[3][1] == "7801" and slip.cell(4, 2).number_format == "@"
    assert any(r[0] and "快递员签字" in str(r[0]) for r in rows)
    issues = wb["问题"]
    assert issues.print_title_rows == "$1:$3" and issues.freeze_panes == "A4"
    link = issues.cell(4, 6)
    assert link.value == "D2" and link.hyperlink.location == "'快递交接'!D2"
    assert link.hyperlink.target == "少一件.xlsx"  # beside the output: a relative link


def test_default_output_beside_the_register(books):
    register, handover, _ = books
    assert invoke(register, handover).exit_code == 0
    assert (register.parent / "交接单.xlsx").exists()


def test_handover_sheet_inside_the_register_workbook(tmp_path):
    both = write_book(tmp_path / "台账.xlsx", {"发货": [REG, *TWO], "交接": [HAND, pickup(count=2)]})
    result = invoke(both, "--json")
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["summary"]["handover_record"] is True


def test_demo_step(tmp_path):
    from shopbook.demo import handover_step as demo_step
    from shopbook.demo import DEMO_AS_OF, demo_dir

    lines = []
    demo_step(demo_dir(), tmp_path, demo_dir() / "规则.xlsx", DEMO_AS_OF, lines.append)
    assert re.match(r"快递交接 10-01~10-31: 交接单 \d+ 张\(\d+ 件\),件数不符 1 次,未交接 \d+ 件,待归档底单 1 份", lines[0])
    assert (tmp_path / "交接单.xlsx").exists()


@needs_tools("soffice", "pdftotext")
def test_printed_handover_is_one_page_per_courier_and_day(books, tmp_path):
    register, _, short = books
    out = tmp_path / "交接单.xlsx"
    # a busy day: 中通 with 80 parcels runs over three pages, each with its title and header
    busy = write_book(tmp_path / "忙.xlsx", {"发货": [REG, *[parcel(f"78{i:010d}") for i in range(80)],
                                                    parcel("YT1", courier="圆通")]})
    invoke(busy, "-o", out, as_of="2026-10-09 18:00")
    only = tmp_path / "slips.xlsx"
    wb = openpyxl.load_workbook(out)
    for name in wb.sheetnames[1:]:
        del wb[name]
    wb.save(only)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(only)],
                   check=True, capture_output=True, timeout=180)
    pages = subprocess.run(["pdftotext", "-layout", str(tmp_path / "slips.pdf"), "-"], check=True,
                           capture_output=True, text=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) == 4  # 中通: 35 + 35 + 10 lines, 圆通: 1
    for page in pages:
        assert page.count("快递交接单  ") == 1 and "快递单号" in page and "运费(元)" in page and "核对" in page
    assert "第 1/3 页" in pages[0] and "第 3/3 页" in pages[2]
    assert "快递员签字" in pages[2] and "快递员签字" not in pages[0]
    assert "80 个单号" in pages[2] and "圆通" in pages[3] and "快递员签字" in pages[3]


@needs_tools("soffice", "pdftotext")
def test_demo_handover_prints_one_clean_page_per_courier_and_day(tmp_path):
    """The demo's 交接单 (every slip of October is small): exactly one page each, nothing cut off."""
    from shopbook.demo import DEMO_AS_OF, HANDOVER, LEDGER, demo_dir
    from shopbook.handover.run import run_handover

    run = run_handover(demo_dir() / LEDGER, demo_dir() / HANDOVER, as_of=DEMO_AS_OF, output=tmp_path / "交接单.xlsx")
    wb = openpyxl.load_workbook(run.output)
    for name in wb.sheetnames[1:]:
        del wb[name]
    wb.save(tmp_path / "slips.xlsx")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "slips.xlsx")], check=True, capture_output=True, timeout=300)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "slips.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    slips = run.result.lines.groupby(["day", "courier"]).ngroups
    assert len(pages) == slips
    for page in pages:
        assert page.count("快递交接单  ") == 1 and "运费(元)" in page and "核对" in page and "快递员签字" in page


def test_reconcile_carries_the_handover_evidence(tmp_path):
    register = write_book(tmp_path / "发货.xlsx", {"发货": [REG, parcel("7801", state="丢件"), parcel("7802")],
                                                 "快递交接": [HAND, pickup(count=2, who="陈建国")]})
    bill = write_book(tmp_path / "账单.xlsx", {"账单": [["运单号", "揽收日期", "目的地", "结算重量", "应付金额", "快递公司"],
                                                     ["7801", D1, "广东", 1, 4, "中通"], ["7802", D1, "广东", 1, 4, "中通"],
                                                     ["7809", D1, "广东", 1, 4, "中通"]]})
    out = tmp_path / "对账结果.xlsx"
    result = CliRunner().invoke(main, ["reconcile", str(bill), str(register), "-o", str(out), "--json",
                                       "--as-of", "2026-11-05 09:00"], catch_exceptions=False)
    data = json.loads(result.stdout)
    by_waybill = {l["waybill"]: l["handover"] for l in data["lines"]}
    assert by_waybill["7801"] == {"date": "2026-10-09", "signed_by": "陈建国 已签字",
                                  "note": "10-09 中通 快递员签收 2 件,与发货记录一致(含此件)"}
    assert "此单号不在其中" in by_waybill["7809"]["note"]
    ws = openpyxl.load_workbook(out)["争议明细"]
    header = [c.value for c in ws[1]]
    assert header[-3:] == ["交接日期", "快递员签字", "交接记录"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["7801"][-3] == dt.datetime(2026, 10, 9) and rows["7801"][-2] == "陈建国 已签字"
    # an unsigned handover proves nothing, and --handover names another workbook
    other = write_book(tmp_path / "交接.xlsx", {"交接": [HAND, pickup(count=2, signed="否")]})
    result = CliRunner().invoke(main, ["reconcile", str(bill), str(register), "--handover", str(other), "--json",
                                       "--as-of", "2026-11-05 09:00"], catch_exceptions=False)
    lines = {l["waybill"]: l["handover"] for l in json.loads(result.stdout)["lines"]}
    assert lines["7801"]["date"] is None and "没有签字" in lines["7801"]["note"]


def test_reconcile_without_a_handover_is_unchanged(tmp_path):
    register = write_book(tmp_path / "发货.xlsx", {"发货": [REG, parcel("7801")]})
    bill = write_book(tmp_path / "账单.xlsx", {"账单": [["运单号", "揽收日期", "目的地", "结算重量", "应付金额"],
                                                     ["7809", D1, "广东", 1, 4]]})
    out = tmp_path / "对账结果.xlsx"
    result = CliRunner().invoke(main, ["reconcile", str(bill), str(register), "-o", str(out), "--json",
                                       "--as-of", "2026-11-05 09:00"], catch_exceptions=False)
    assert "handover" not in json.loads(result.stdout)["lines"][0]
    assert [c.value for c in openpyxl.load_workbook(out)["争议明细"][1]][-1] == "账单位置"


def test_json_of_pickups_on_one_side_only(tmp_path):
    register = write_book(tmp_path / "发货.xlsx", {"发货": [REG, *TWO],
                                                 "快递交接": [HAND, pickup(courier="韵达", count=1, who=None)]})
    result = invoke(register, "--json", "--from", "2026-10-09", "--to", "2026-10-09")
    data = json.loads(result.stdout, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))
    pickups = {p["courier"]: p for p in data["pickups"]}
    assert pickups["中通"]["handed"] is None and pickups["中通"]["signed"] is None
    assert pickups["中通"]["shop_weight"] == 2.0 and pickups["中通"]["result"] == "没有交接记录"
    assert pickups["韵达"]["registered"] is None and pickups["韵达"]["signed"] is True
    assert pickups["韵达"]["couriers"] is None and pickups["韵达"]["shop_weight"] is None
