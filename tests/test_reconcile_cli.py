"""`shopbook reconcile` through click's CliRunner: the JSON shape, exit codes, unusable input."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from shopbook.cli import main

from conftest import golden_json, needs_tools, write_book

D = dt.date(2026, 10, 5)
REG = ["发货日期", "订单号", "快递公司", "快递单号", "重量", "收件人", "手机", "省", "状态"]
BILL = ["运单号", "揽收日期", "目的地", "结算重量", "应付金额", "快递公司"]


def invoke(*args):
    return CliRunner().invoke(main, ["reconcile", *map(str, args), "--as-of", "2026-11-05 09:00"],
                              catch_exceptions=False)


@pytest.fixture
def files(tmp_path):
    reg = write_book(tmp_path / "发货.xlsx", {"发货": [
        REG, [D, "O1", "中通", "ZT1", 1.0, "张三", "13812345678", "广东", "正常"],
        [D, "O2", "中通", "ZT2", 1.0, "李四", "13912345678", "广东", "丢件"],
        [D, "O3", "中通", "ZT3", 1.0, "王五", "13712345678", "广东", "正常"]]})
    clean = write_book(tmp_path / "clean.xlsx", {"账单": [
        BILL, ["ZT1", D, "广东", 1, 4, "中通快递"], ["ZT3", D, "广东", 1, 4, "中通快递"]]})
    disputed = write_book(tmp_path / "disputed.xlsx", {"账单": [
        BILL, ["ZT1", D, "广东", 1, 4, "中通快递"], ["ZT2", D, "广东", 1, 4.1, "中通快递"],
        ["ZT9", D, "广东", 1, 4, "中通快递"], ["ZT9", D, "广东", 1, 4, "中通快递"]]})
    return reg, clean, disputed


def test_json_shape_and_exit_1(files):
    reg, _, disputed = files
    result = invoke(disputed, reg, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert {"lines", "not_billed", "summary"} <= set(data)
    assert [set(l) for l in data["lines"]] == [{"waybill", "courier", "category", "billed_weight", "shop_weight",
                                                "billed_fee", "expected_fee", "amount", "explanation"}] * 4
    assert [l["category"] for l in data["lines"]] == ["match", "claim", "not-shipped", "duplicate"]
    first = data["lines"][0]
    assert first == {"waybill": "ZT1", "courier": "中通", "category": "match", "billed_weight": 1.0,
                     "shop_weight": 1.0, "billed_fee": "4.00", "expected_fee": "4.00", "amount": "0.00",
                     "explanation": "相符"}
    assert data["lines"][1]["amount"] == "12.30"  # 4.10 × 3
    assert data["lines"][2]["shop_weight"] is None and data["lines"][2]["expected_fee"] is None
    assert data["not_billed"] == [{"waybill": "ZT3", "courier": "中通", "ship_date": "2026-10-05"}]
    s = data["summary"]
    assert {k: s[k] for k in ("bill_total", "overcharge_total", "claims_total", "offsets_total", "net_payable")} == {
        "bill_total": "16.10", "overcharge_total": "8.00", "claims_total": "12.30", "offsets_total": "0.00",
        "net_payable": "-4.20"}
    assert s["counts"] == {"match": 1, "not-shipped": 1, "duplicate": 1, "overweight": 0, "fee-mismatch": 0,
                           "claim": 1, "undelivered": 0, "not-billed": 1}
    assert set(s["by_courier"]) == {"中通"}
    assert s["by_courier"]["中通"]["net_payable"] == "-4.20"
    money = [v for l in data["lines"] for k, v in l.items() if k in ("billed_fee", "expected_fee", "amount") and v]
    assert all(re.fullmatch(r"-?\d+\.\d\d", v) for v in money)


def test_clean_bill_exits_0(files):
    reg, clean, _ = files
    result = invoke(clean, reg, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {l["category"] for l in data["lines"]} == {"match"}
    # ZT2 (lost, never billed) is listed apart; it does not make the bill disputed
    assert [n["waybill"] for n in data["not_billed"]] == ["ZT2"]


def test_terminal_report_and_workbook(files, tmp_path):
    reg, _, disputed = files
    out = tmp_path / "对账结果.xlsx"
    result = invoke(disputed, reg, "-o", out)
    assert result.exit_code == 1
    assert "应付 -4.20 元" in result.stdout and "重复计费" in result.stdout and str(out) in result.stdout
    assert openpyxl.load_workbook(out).sheetnames[:3] == ["对账汇总", "争议明细", "未计费"]


def _broken(path):
    path.write_bytes(b"PK\x03\x04 not really a workbook")


@pytest.mark.parametrize("case", ["missing-bill", "missing-register", "not-a-bill", "broken-bill",
                                  "not-a-register", "empty-folder", "output-is-input", "bad-csv"])
def test_unusable_input_exits_2_with_one_line(files, tmp_path, case):
    reg, clean, _ = files
    bill, shipments, extra = clean, reg, []
    if case == "missing-bill":
        bill = tmp_path / "nope.xlsx"
    elif case == "missing-register":
        shipments = tmp_path / "nope.xlsx"
    elif case == "not-a-bill":
        bill = write_book(tmp_path / "x.xlsx", {"Sheet1": [["名称", "数量"], ["a", 1]]})
    elif case == "broken-bill":
        bill = tmp_path / "broken.xlsx"
        _broken(bill)
    elif case == "not-a-register":
        shipments = write_book(tmp_path / "y.xlsx", {"Sheet1": [["名称", "数量"], ["a", 1]]})
    elif case == "empty-folder":
        bill = tmp_path / "empty"
        bill.mkdir()
    elif case == "output-is-input":
        extra = ["-o", clean]
    elif case == "bad-csv":
        bill = tmp_path / "bill.csv"
        bill.write_bytes(b"\xff\xfe\x00\x00garbage\x00\x01")
    result = invoke(bill, shipments, *extra)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("错误:")


# --- a bill given as the register, or the other way round --------------------------------------
# a register that keeps 运费 reads as a bill by its headers alone (快递单号, 重量, 运费, 快递公司 …)
REG_WITH_FEE = ["发货日期", "订单号", "快递公司", "快递单号", "重量(kg)", "件数", "收件人", "省", "包装人", "运费"]


@pytest.fixture
def register_with_fee(tmp_path):
    return write_book(tmp_path / "台账.xlsx", {"发货": [
        REG_WITH_FEE, [D, "O1", "中通", "ZT1", 1.0, 1, "张三", "广东", "小刘", 4],
        [D, "O3", "中通", "ZT3", 1.0, 1, "王五", "广东", "小刘", 4]]})


def test_swapped_arguments_exit_2_naming_what_each_file_looks_like(files, register_with_fee):
    _, clean, _ = files
    result = invoke(register_with_fee, clean)
    assert result.exit_code == 2 and "应付" not in result.output
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1
    assert f"{register_with_fee} 看起来是发货登记表,{clean} 看起来是快递账单:两个参数可能写反了" in message
    assert f"shopbook reconcile {clean} {register_with_fee}" in message


@pytest.mark.parametrize("which", ["bill-twice", "register-twice", "register-as-bill"])
def test_a_register_is_no_bill_and_a_bill_no_register(files, register_with_fee, which):
    reg, clean, _ = files
    bill, shipments = {"bill-twice": (clean, clean), "register-twice": (register_with_fee, register_with_fee),
                       "register-as-bill": (register_with_fee, reg)}[which]
    result = invoke(bill, shipments)
    assert result.exit_code == 2 and "应付" not in result.output
    message = result.stderr.strip()
    if which == "bill-twice":
        assert message.startswith(f"错误: {clean}: 看起来是快递账单(有 揽收日期、目的地、结算重量 等列),不是发货登记表")
        assert "第二个参数应为发货登记" in message
    else:
        assert message.startswith(f"错误: {register_with_fee}: 看起来是发货登记表(有 发货日期、订单号、件数、收件人 等列)")
        assert "第一个参数应为快递公司的账单" in message


def test_a_register_in_a_folder_of_bills_is_skipped_and_said(files, register_with_fee, tmp_path):
    reg, clean, _ = files
    folder = tmp_path / "账单"
    folder.mkdir()
    shutil.copy(clean, folder / "中通.xlsx")
    shutil.copy(register_with_fee, folder / "台账.xlsx")
    data = json.loads(invoke(folder, reg, "--json").stdout)
    assert len(data["lines"]) == 2 and data["summary"]["bill_total"] == "8.00"
    skipped = [f for f in data["findings"] if f["code"] == "bill-sheet-is-register"]
    assert [f["value"] for f in skipped] == ["台账.xlsx"] and "看起来是发货登记表" in skipped[0]["message"]


def test_a_register_sheet_beside_the_bill_sheet_is_left_out(files, tmp_path):
    reg, clean, _ = files
    both = write_book(tmp_path / "both.xlsx", {
        "账单": [BILL, ["ZT1", D, "广东", 1, 4, "中通快递"]],
        "Sheet2": [REG_WITH_FEE, [D, "O1", "中通", "ZT1", 1.0, 1, "张三", "广东", "小刘", 4]]})
    data = json.loads(invoke(both, reg, "--json").stdout)
    assert [line["waybill"] for line in data["lines"]] == ["ZT1"]
    assert [f["value"] for f in data["findings"] if f["code"] == "bill-sheet-is-register"] == ["both.xlsx「Sheet2」"]
    # and the same book as the register: its register sheet is found, not the bill sheet
    data = json.loads(invoke(clean, both, "--json").stdout)
    assert data["summary"]["counts"]["match"] == 1 and data["summary"]["counts"]["not-shipped"] == 1


def test_a_bill_that_lists_order_numbers_is_still_a_bill(files, tmp_path):
    reg, _, _ = files
    bill = write_book(tmp_path / "b.xlsx", {"Sheet1": [["运单号", "订单号", "寄件日期", "计费重量", "运费"],
                                                      ["ZT1", "O1", D, 1, 4]]})
    result = invoke(bill, reg, "--json")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name, headers, expected", [
    ("账单明细", ["序号", "运单号", "寄件日期", "目的省份", "计费重量(kg)", "运费(元)", "快递公司"], "快递账单"),
    ("Sheet1", ["运单号", "揽收日期", "目的地", "结算重量", "应付金额"], "快递账单"),
    ("发货", ["发货日期", "订单号", "快递公司", "快递单号"], "发货登记表"),
    ("Sheet1", ["发货日期", "订单号", "快递公司", "快递单号", "重量", "运费"], "发货登记表"),
    ("Sheet1", ["快递单号", "快递公司", "重量", "运费"], None),  # could be either: taken as given
    ("Sheet1", ["订单号", "收件人", "手机", "省"], None),  # no waybill column: neither
])
def test_sheet_looks_like(name, headers, expected):
    from shopbook.courier.inputs import sheet_looks_like
    assert sheet_looks_like(name, headers)[0] == expected


def test_bad_as_of_is_a_usage_error(files):
    reg, clean, _ = files
    result = CliRunner().invoke(main, ["reconcile", str(clean), str(reg), "--as-of", "soon"])
    assert result.exit_code == 2


def test_demo_bills_hold_every_category():
    """The demo bills (scripts/make_demo_bill.py, written from the demo ledger's 发货 sheet) show
    every category; when this fails after the ledger changed, re-run scripts/make_demo_bill.py."""
    from shopbook.demo import DEMO_AS_OF, LEDGER, demo_dir

    src = demo_dir()
    bills = sorted(p for p in src.glob("快递账单*") if p.suffix in (".xlsx", ".csv"))
    if not bills or not (src / LEDGER).exists():
        pytest.skip("demo data not generated")
    result = CliRunner().invoke(main, ["reconcile", str(src), str(src / LEDGER), "--rules",
                                       str(src / "规则.xlsx"), "--as-of", DEMO_AS_OF.strftime("%Y-%m-%d %H:%M"),
                                       "--json"], catch_exceptions=False)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert {line["courier"] for line in data["lines"]} == {"中通", "圆通", "韵达", "极兔", "顺丰"}
    counts = data["summary"]["counts"]
    assert all(n > 0 for n in counts.values()), f"re-run scripts/make_demo_bill.py: {counts}"


# --- golden: a realistic month-end bill folder through `shopbook reconcile` -------------------
GOLDEN = Path(__file__).parent / "golden" / "reconcile.json"
G_REGISTER = [
    ["发货日期", "订单号", "快递公司", "快递单号", "重量(kg)", "件数", "长", "宽", "高", "收件人", "收件人手机", "省",
     "收货地址", "包装人", "保价金额", "状态", "原因"],
    [D, "3972594613971176925", "中通快递", "78277099350659", 0.55, 1, None, None, None, "唐芳芳", "17812344031",
     "江苏省", "南京市鼓楼区中山路3号", "小刘", None, "正常", None],
    [D, "3972594613971176926", "中通快递", "78277099350660", 1.35, 1, None, None, None, "袁洋怡", "15912341462",
     "广东", "深圳市南山区科技园路1号", "小刘", None, "正常", None],
    [D, "3972594613971176927", "中通", "78277099350661", 0.8, 2, None, None, None, "蔡强秀", "18712341594",
     "天津", "天津市和平区南京路5号", "老周", None, "丢件", "中转站丢失"],
    [D, "3972594613971176927", "中通", "78277099350661", 0.7, 2, None, None, None, "蔡强秀", "18712341594",
     "天津", "天津市和平区南京路5号", "老周", None, "正常", None],
    [dt.date(2026, 10, 6), "3972594613971176928", "顺丰", "SF1400000000001", 1.2, 1, 40, 30, 20, "沈雪美",
     "+86 138-1234-5678", "浙江", "杭州市西湖区文三路2号", "小刘", 300, "破损", "外包装破损"],
    [dt.date(2026, 10, 6), "3972594613971176929", "顺丰速运", "SF1400000000002", 0.4, 1, None, None, None, "何雪娜",
     "13912345678", "四川", "成都市武侯区天府大道6号", "阿强", None, "无法送达", "地址不详"],
    [dt.date(2026, 10, 7), "3972594613971176930", "韵达", "4362710098358", 0.32, 1, None, None, None, "梁悦慧",
     "13612345678", "浙江", "杭州市上城区解放路8号", "阿强", None, "正常", None],
    [dt.date(2026, 10, 7), "3972594613971176931", "韵达", "4362710098359", 0.9, 1, None, None, None, "程娴琳",
     "13512345678", "山东", "济南市历下区泉城路9号", "阿强", None, "拒收", "买家称未下单"],
    [dt.date(2026, 10, 9), "3972594613971176932", "韵达", "4362710098360", 0.5, 1, None, None, None, "孙勇萍",
     "13412345678", "北京", "北京市朝阳区建国路5号", "老周", None, "正常", None],
    [dt.date(2026, 11, 2), "3972594613971176933", "韵达", "4362710098361", 0.5, 1, None, None, None, "周九",
     "13312345678", "北京", "北京市朝阳区建国路6号", "老周", None, "正常", None],
    [D, "3972594613971176934", "圆通", "YT9519483242624", 0.44, 1, None, None, None, "卢艳", "13212345678",
     "广东", "广州市天河区体育西路10号", "小刘", None, "正常", None],
    [D, "3972594613971176935", "圆通", "YT9519483242625", 1.0, 1, None, None, None, "彭怡艳", "13112345678",
     "广东", "广州市越秀区北京路11号", "小刘", None, "正常", None],
    [dt.date(2026, 10, 20), "3972594613971176936", "韵达", "4362710098362", 0.5, 1, None, None, None, "蒋静慧",
     "13012345678", "北京", "北京市海淀区中关村大街12号", "阿强", None, "正常", None],
]
G_BILL = [
    ["月结账单 2026年10月 客户:义乌某服饰网店(月结账号 0579-2816)"],
    ["序号", "运单号", "寄件日期", "目的省份", "计费重量(kg)", "运费(元)", "快递公司", "备注"],
    [1, "SF1400000000001", dt.date(2026, 10, 6), "浙江", 4.0, 18.00, "顺丰速运", None],
    [2, "SF1400000000002", dt.date(2026, 10, 6), "四川省", 1.0, 18.00, "顺丰速运", None],
    [3, "SF1400000000009", dt.date(2026, 10, 6), "广东", 1.0, 15.00, "SF", None],
    [4, 4362710098358, dt.date(2026, 10, 7), "浙江", 0.4, 2.80, "韵达快递", None],
    [5, "4362710098359", dt.date(2026, 10, 7), "山东", 0.9, 3.80, "韵达快递", None],
    [6, "4362710098358", dt.date(2026, 10, 7), "浙江", 0.4, 2.80, "韵达快递", "补录"],
    [7, "YT9519483242624", dt.date(2026, 10, 6), "广东省", 1.2, 6.00, "圆通速递", None],
    [8, "YT9519483242625", dt.date(2026, 10, 6), "广东省", 1.0, 5.00, "圆通速递", None],
    [9, "4362710098362", dt.date(2026, 10, 20), "北京", 0.5, 3.80, "韵达快递", "旧价"],
    ["合计", None, None, None, None, 75.20, None, None],
]
G_CSV = ("中通快递 月结对账单,2026-10\r\n运单号,揽收日期,目的地,结算重量,应付金额\r\n"
         "78277099350659,2026/10/05,江苏,0.6,3.00\r\n78277099350660,2026/10/05,广东省,2.5,8.00\r\n"
         "78277099350661,2026/10/05,天津,1.5,6.00\r\n合计,,,,17.00\r\n")
G_RULES = {"参数": [["参数", "值"], ["重量容差(kg)", 0.2], ["金额容差(元)", 0.01], ["丢件赔付倍数", 3]],
           "快递价格": [["快递公司", "省份", "首重(kg)", "首重价格", "续重单位(kg)", "续重单价", "抛比", "生效日期", "失效日期"],
                    ["中通", "上海、江苏、浙江", 1, 3, 1, 1, None, None, None],
                    ["中通", "其他", 1, 4, 1, 2, None, None, None],
                    ["顺丰", "上海、江苏、浙江", 1, 12, 1, 2, 6000, None, None],
                    ["顺丰", "其他", 1, 18, 1, 6, 6000, None, None],
                    ["韵达", "上海、江苏、浙江", 1, 2.8, 1, 1, None, None, None],
                    ["韵达", "其他", 1, 3.8, 1, 2, None, None, dt.date(2026, 10, 15)],
                    ["韵达", "其他", 1, 4.0, 1, 2, None, dt.date(2026, 10, 16), None],
                    ["圆通", "全国", 1, 4, 1, 2, None, None, None]]}


def _sheet_values(path) -> dict:
    def plain(v):
        return v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[plain(v) for v in row] for row in ws.iter_rows(values_only=True)] for ws in wb}


def _golden_inputs(tmp_path):
    folder = tmp_path / "10月账单"
    folder.mkdir()
    write_book(folder / "快递账单.xlsx", {"账单明细": G_BILL})
    (folder / "快递账单-中通.csv").write_bytes(G_CSV.encode("gbk"))
    register = write_book(tmp_path / "发货登记.xlsx", {"发货登记": G_REGISTER})
    rules = write_book(tmp_path / "规则.xlsx", G_RULES)
    return folder, register, rules


def test_golden_bill_folder(tmp_path):
    """Every category and the result workbook, checked against tests/golden/reconcile.json
    (reviewed by hand). To accept a deliberate change: SHOPBOOK_UPDATE_GOLDEN=1 pytest
    tests/test_reconcile_cli.py -k golden, then read the diff of the golden file."""
    folder, register, rules = _golden_inputs(tmp_path)
    out = tmp_path / "对账结果.xlsx"
    args = ["reconcile", str(folder), str(register), "--rules", str(rules), "--as-of", "2026-10-31 18:00"]
    result = CliRunner().invoke(main, [*args, "--json", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    data.pop("output")
    sheets = _sheet_values(out)
    sheets["对账汇总"] = sheets["对账汇总"][5:]  # after the input file names and the run time
    got = {"json": data, "workbook": sheets}
    got = json.loads(json.dumps(got, ensure_ascii=False, default=str))
    assert got == golden_json(GOLDEN, got)


@needs_tools("soffice", "pdftotext")
def test_golden_dispute_sheet_prints(tmp_path):
    """Rendered by LibreOffice: the dispute sheet prints with its title, masked phones, no addresses."""
    folder, register, rules = _golden_inputs(tmp_path)
    out = tmp_path / "对账结果.xlsx"
    CliRunner().invoke(main, ["reconcile", str(folder), str(register), "--rules", str(rules), "-o", str(out),
                              "--as-of", "2026-10-31 18:00"], catch_exceptions=False)
    profile = f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}"  # not the user's (maybe running) LibreOffice
    subprocess.run(["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "对账结果.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    page = next(p for p in text.split("\f") if "快递对账 争议明细" in p)
    assert "138****5678" in page and "丢件/破损索赔" in page
    assert "13812345678" not in text and "科技园路" not in text and "南京路" not in text


def test_page_headers_print_the_as_of_date_as_text(files, tmp_path):
    # Excel's &D field prints in the viewer's locale (11/05/2026): the header holds the date itself
    reg, _, disputed = files
    out = tmp_path / "对账结果.xlsx"
    invoke(disputed, reg, "-o", out)
    wb = openpyxl.load_workbook(out)
    headers = [ws.oddHeader.right.text for ws in wb.worksheets]
    assert headers and all(h == "2026-11-05" for h in headers)
