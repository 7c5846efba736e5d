"""`shopbook stock` end to end: the command, its workbook, the carried 期初, the demo month with
three items checked by hand, and the printed 盘点表 (LibreOffice)."""
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import needs_tools
from shopbook.cli import main
from shopbook.demo import DEMO_AS_OF, demo_dir

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
DEMO = demo_dir()
AS_OF = "2026-10-31 18:00"
STOCK_H = ["商品编码", "商品名称", "颜色", "尺码", "库位", "账面数量", "实盘数量", "残次数量", "安全库存", "成本价", "盘点日期"]
IN_H = ["日期", "入库单号", "商品编码", "颜色", "尺码", "应到数量", "实到数量", "合格数量", "不合格数量", "不合格处理", "检验人"]
ADJ_H = ["日期", "商品编码", "颜色", "尺码", "数量", "原因", "经办人", "批准人"]
SHEETS = ["库存结存", "库存流水", "残次库", "盘点表", "入库异常", "期初", "问题"]


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def shop(book):
    stock = [STOCK_H, ["S1", "文胸", "黑", "M", "A-01-01", 10, None, 0, 2, 20, None],
             ["S2", "内裤", "白", "L", "B-01-01", 5, None, 0, 2, 10, None]]
    ledger = book({"库存": stock}, name="台账.xlsx")
    warehouse = book({"入库": [IN_H, [dt.datetime(2026, 10, 2), "RK1", "S1", "黑", "M", 4, 4, 4, None, None, "阿强"]],
                      "库存调整": [ADJ_H, [dt.datetime(2026, 10, 3), "S2", "白", "L", -1, "样品", "老周", "王经理"]]},
                     name="仓库.xlsx")
    return ledger, warehouse


def test_the_command_writes_every_sheet_and_exits_0_when_clean(shop, tmp_path):
    ledger, warehouse = shop
    out = tmp_path / "库存结果.xlsx"
    r = cli("stock", ledger, warehouse, "--as-of", AS_OF, "-o", out)
    assert r.exit_code == 0, r.output
    assert "2 个商品,流水 2 条(入库 4 件,出库 0 件,退货入库 0 件,调整 -1 件),期末账面 18 件" in r.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == SHEETS
    ws = wb["库存结存"]
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$1:$3"
    assert ws["C4"].number_format == "@"
    flow = wb["库存流水"]
    links = [c.value for c in flow["M"] if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert links == ['=HYPERLINK("仓库.xlsx#\'入库\'!H2","入库!H2")', '=HYPERLINK("仓库.xlsx#\'库存调整\'!E2","库存调整!E2")']


def test_json_errors_exit_1_and_bad_usage_exit_2(shop, tmp_path):
    ledger, warehouse = shop
    wb = openpyxl.load_workbook(warehouse)
    wb["库存调整"].append([dt.datetime(2026, 10, 4), "S1", "黑", "M", -20, "借出", "老周", None])
    wb.save(warehouse)
    r = cli("stock", ledger, warehouse, "--as-of", AS_OF, "-o", tmp_path / "o.xlsx", "--json")
    assert r.exit_code == 1
    data = json.loads(r.output)
    assert data["period"] == {"from": "2026-10-01", "to": "2026-10-31"}
    assert data["totals"]["book"] == -2 and data["movements"] == 3
    assert {f["code"] for f in data["findings"]} == {"stock-negative", "adjustment-approver-missing", "reorder-alert"}
    assert data["balances"][0] == {"sku": "S1", "color": "黑", "size": "M", "opening": 10, "inbound": 4,
                                   "outbound": 0, "returned": 0, "to_defect": 0, "adjusted": -20, "book": -6,
                                   "defect": 0, "sellable": 0, "counted": None, "variance": None,
                                   "variance_value": None, "reorder": 2}
    r = cli("stock", ledger, warehouse, "-o", warehouse)
    assert r.exit_code == 2 and "不能与输入工作簿相同" in r.output and "Traceback" not in r.output
    r = cli("stock", warehouse, "-o", tmp_path / "x.xlsx")
    assert r.exit_code == 2 and "找不到「库存」表或「期初」表" in r.output
    r = cli("stock", ledger, "--from", "十月", "-o", tmp_path / "x.xlsx")
    assert r.exit_code == 2 and "无法识别的日期" in r.output


def test_the_carried_opening_chains_periods_and_is_never_applied_twice(shop, tmp_path):
    ledger, warehouse = shop
    october = tmp_path / "10月结果.xlsx"
    assert cli("stock", ledger, warehouse, "--as-of", AS_OF, "-o", october).exit_code == 0
    wb = openpyxl.load_workbook(warehouse)
    wb["入库"].append([dt.datetime(2026, 11, 3), "RK2", "S1", "黑", "M", 2, 2, 2, None, None, "阿强"])
    wb.save(warehouse)
    november = tmp_path / "11月结果.xlsx"
    r = cli("stock", ledger, warehouse, "--opening", october, "--as-of", "2026-11-30 18:00", "-o", november, "--json")
    data = json.loads(r.output)
    assert data["period"] == {"from": "2026-11-01", "to": "2026-11-30"} and data["opening_source"] == "期初"
    assert data["balances"][0]["opening"] == 14 and data["balances"][0]["book"] == 16
    notes = [f for f in data["findings"] if f["code"] == "movements-outside-period"]
    assert len(notes) == 2  # October's receipt and adjustment are in the opening already
    r = cli("stock", ledger, warehouse, "--opening", october, "--as-of", AS_OF, "-o", tmp_path / "again.xlsx")
    assert r.exit_code == 2 and "同一期间不能应用两次" in r.output


# --- the demo month ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from shopbook.stockbook.run import run_stock
    out = tmp_path_factory.mktemp("stock") / "库存结果.xlsx"
    return run_stock([DEMO / "台账.xlsx", DEMO / "仓库.xlsx"], rules_path=DEMO / "规则.xlsx", as_of=DEMO_AS_OF,
                     output=out)


# findings the realistic part of the month raises besides the warehouse's planted mistakes: the
# 台账's own (a book typed −2, a count typed 待盘, the 1.5 order line, the order number with two
# digits swapped), the month's count differences and the items to reorder
NATURAL = {("库存", "stock-variance"), ("库存", "stock-variance-category"), ("库存", "reorder-alert"),
           ("库存", "stocktake-stale"), ("库存", "negative-value"), ("库存", "not-a-number"),
           ("订单", "movement-unbookable"), ("发货", "movement-unbookable")}


def test_every_planted_warehouse_mistake_is_found(demo):
    import make_demo
    make_demo.build(Path(demo.output).parent / "rebuilt")  # fills STOCK_PLANTED
    found = set(zip(demo.findings["sheet"], demo.findings["code"]))
    planted = {(p.sheet, p.code) for p in make_demo.STOCK_PLANTED}
    assert len(planted) == 8
    assert planted - found == set()
    assert found - planted - NATURAL == set()
    # the book at the weekly count is the 库存 sheet's 账面: its differences are the month's variances
    b = demo.result.balances
    assert ((b["盘点日账面"] == b["期初"]) | b["盘点日账面"].isna()).sum() >= len(b) - 2


def _raw(book, sheet, header_row):
    ws = book[sheet]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[header_row - 1]
    return [(n, dict(zip(header, r))) for n, r in enumerate(rows[header_row:], start=header_row + 1)]


def _day(v):
    return v.date() if isinstance(v, dt.datetime) else dt.datetime.strptime(v, "%Y.%m.%d").date()


HAND = {
    # BN4001 酒红 XXL — 库存 row 77: 账面 24, 残次 1, counted 24 on 10-12 (a stale count).
    # 入库 rows 3, 67, 172: +4 (10-01), +1 (10-05), +2 (10-19)                        入库 = 7
    # 发货 rows 34 (10-03, its order's line 2 pcs), 56, 67, 115, 192 (10-21, 丢件), 228 (10-24 补发:
    # the lost order again), 259, 271: 1 pc each                                     出库 = 9
    # 期末账面 = 24 + 7 − 9 = 22; 残次 1 (opening); 可售 = 22 − 1 = 21.
    # book at the 10-12 count = 24 + 4 − 2 − 1 + 1 − 1 − 1 = 24 = counted: no variance.
    ("BN4001", "酒红", "XXL"): dict(
        inbound=[(3, dt.date(2026, 10, 1), 4), (67, dt.date(2026, 10, 5), 1), (172, dt.date(2026, 10, 19), 2)],
        parcels=[34, 56, 67, 115, 192, 228, 259, 271], returns=[], adjustments=[],
        balance={"期初": 24, "入库": 7, "出库": 9, "退货入库": 0, "调整": 0, "期末账面": 22, "残次": 1, "可售": 21,
                 "盘点日账面": 24, "差异": 0}),
    # BN4002 黑色 L — 库存 row 78: 账面 10, 残次 1, counted 10 on 10-26.
    # 入库 rows 8, 72, 125, 175: +2 +2 +1 +2                                         入库 = 7
    # 发货 rows 36, 69, 122, 125, 147, 152, 215, 234, 284 (10-31): 1 pc each          出库 = 9
    # 退换货 row 14: a 退货 of 1, 商品状态 已穿着, put back 10-15: into 残次           退货入库 = 1
    # 期末账面 = 10 + 7 − 9 + 1 = 9; 残次 = 1 + 1 = 2; 可售 = 7.
    # book at the 10-26 count = 9 + 1 (the 10-31 parcel came later) = 10 = counted.
    ("BN4002", "黑色", "L"): dict(
        inbound=[(8, dt.date(2026, 10, 1), 2), (72, dt.date(2026, 10, 5), 2), (125, dt.date(2026, 10, 12), 1),
                 (175, dt.date(2026, 10, 19), 2)],
        parcels=[36, 69, 122, 125, 147, 152, 215, 234, 284], returns=[(14, 1, "已穿着")], adjustments=[],
        balance={"期初": 10, "入库": 7, "出库": 9, "退货入库": 1, "调整": 0, "期末账面": 9, "残次": 2, "可售": 7,
                 "盘点日账面": 10, "差异": 0}),
    # BN4001 黑色 XXL — 库存 row 69: 账面 8, counted 8 on 10-26.
    # 入库 rows 68, 124: +1 +2 = 3; 发货 rows 118, 138, 160: 1 pc each = 3;
    # 库存调整 row 10 (10-30): 借出 −11 — from 8 to −3: the planted stock-negative at G10.
    # 期末账面 = 8 + 3 − 3 − 11 = −3; 可售 0.
    ("BN4001", "黑色", "XXL"): dict(
        inbound=[(68, dt.date(2026, 10, 5), 1), (124, dt.date(2026, 10, 12), 2)],
        parcels=[118, 138, 160], returns=[], adjustments=[(10, dt.date(2026, 10, 30), -11)],
        balance={"期初": 8, "入库": 3, "出库": 3, "退货入库": 0, "调整": -11, "期末账面": -3, "残次": 0, "可售": 0,
                 "盘点日账面": 8, "差异": 0}),
}


@pytest.mark.parametrize("key", list(HAND), ids=[" ".join(k) for k in HAND])
def test_three_demo_items_balance_as_computed_by_hand(demo, key):
    hand = HAND[key]
    ledger = openpyxl.load_workbook(DEMO / "台账.xlsx", read_only=True)
    warehouse = openpyxl.load_workbook(DEMO / "仓库.xlsx", read_only=True)
    # the rows the comments above were computed from, read straight from the files
    mine = lambda r: (r["商品编码"], r["颜色"], r["尺码"]) == key  # noqa: E731
    assert [(n, r["日期"].date(), r["合格数量"]) for n, r in _raw(warehouse, "入库", 2) if mine(r)] == hand["inbound"]
    assert [(n, r["日期"].date(), r["数量"]) for n, r in _raw(warehouse, "库存调整", 2) if mine(r)] == hand["adjustments"]
    lines = {r["订单号"]: r["数量"] for _, r in _raw(ledger, "订单", 2) if mine(r)}
    parcels = [(n, r["订单号"]) for n, r in _raw(ledger, "发货", 1) if r["订单号"] in lines]
    assert [n for n, _ in parcels] == hand["parcels"]
    shipped = sum(lines[o] for _, o in parcels)
    assert [(n, r["数量"], r["商品状态"]) for n, r in _raw(ledger, "退换货", 2)
            if r["订单号"] in lines and r["商品编码"] == key[0] and r["归位日期"]] == hand["returns"]
    assert shipped == hand["balance"]["出库"]
    got = demo.result.balances
    row = got[(got["商品编码"] == key[0]) & (got["颜色"] == key[1]) & (got["尺码"] == key[2])].iloc[0]
    assert {k: int(row[k]) for k in hand["balance"]} == hand["balance"]


def test_the_demo_step(tmp_path):
    from shopbook.demo import stock_step as demo_step
    lines = []
    demo_step(DEMO, tmp_path, DEMO / "规则.xlsx", DEMO_AS_OF, lines.append)
    assert re.match(r"库存 2026-10-01 至 2026-10-31: 105 个商品,流水 \d+ 条.*错误 \d+,警告 \d+ -> .*库存结果\.xlsx$",
                    lines[0])
    assert (tmp_path / "库存结果.xlsx").exists()


@needs_tools("soffice", "pdftotext")
def test_the_count_sheet_prints_on_a4_by_category_with_signature_lines(demo, tmp_path):
    from shopbook.stockbook import lists, xlsx
    book = xlsx.write_workbook(tmp_path / "盘点表.xlsx", [lists.count_listing(demo.result)], demo.sources)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = tmp_path / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(book)], check=True, capture_output=True, timeout=240)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "盘点表.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    for page in pages:  # the header row and the signature lines on every page
        assert "实盘数量" in page and "盘点人" in page and "复核人" in page and "账面截至 2026-10-31" in page
    for category in ("小计 文胸", "小计 内裤", "小计 睡衣", "合计"):
        assert category in text
    size = subprocess.run(["pdfinfo", str(tmp_path / "盘点表.pdf")], capture_output=True, text=True).stdout \
        if shutil.which("pdfinfo") else ""
    if size:
        assert "(A4)" in size
