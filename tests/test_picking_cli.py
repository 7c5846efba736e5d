"""`shopbook picklist` end to end: exit codes, JSON, the workbook, batches, reprint, re-runs."""
import datetime as dt
import json

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import write_book
from shopbook.cli import main
from test_picking import OH, PAID, RH, SH, item, line, shipped

GENERATED = ["汇总拣货单", "按单拣货单", "缺货", "暂缓拣货", "拣货批次"]


def invoke(*args, as_of="2026-10-10 18:00"):
    return CliRunner().invoke(main, ["picklist", *args, "--as-of", as_of], catch_exceptions=False)


@pytest.fixture
def shop(tmp_path):
    """A workbook with 订单, 库存 (and 发货 when given) in tmp_path; returns its path."""
    def make(orders, stock, register=None, name="订单与库存.xlsx"):
        sheets = {"订单": [OH, *orders], "库存": [SH, *stock]}
        if register is not None:
            sheets["发货"] = [RH, *register]
        return write_book(tmp_path / name, sheets)
    return make


def values(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def snapshot(path, sheet):
    """Everything a reprint must reproduce: cell values and formats, page header/footer, print setup."""
    ws = openpyxl.load_workbook(path)[sheet]
    cells = [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
    page = (ws.oddHeader.left.text, ws.oddHeader.center.text, ws.oddHeader.right.text, ws.oddFooter.left.text,
            ws.oddFooter.center.text, ws.oddFooter.right.text, ws.print_title_rows, ws.page_setup.orientation)
    return cells, page


def test_exit_codes(shop, tmp_path):
    clean = shop([line("T1")], [item()])
    assert invoke(str(clean)).exit_code == 0
    short = shop([line("T1", qty=5)], [item(book=1)], name="short.xlsx")
    assert invoke(str(short), "-o", str(tmp_path / "short-out.xlsx")).exit_code == 1
    no_stock = write_book(tmp_path / "no-stock.xlsx", {"订单": [OH, line("T1")]})
    result = invoke(str(no_stock))
    assert result.exit_code == 2 and "库存" in result.stderr and "Traceback" not in result.output
    assert invoke(str(tmp_path / "missing.xlsx")).exit_code == 2
    assert invoke().exit_code == 2  # neither WORKBOOK nor --orders


def test_json_on_stdout_only(shop, tmp_path):
    src = shop([line("T1"), line("T2", sku="NOPE")], [item()])
    result = invoke(str(src), "--json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert data["batch"] == "JH20261010-01" and [o["order_id"] for o in data["orders"]] == ["T1"]
    assert data["held"][0]["code"] == "unknown-sku"
    assert data["output"] == str(tmp_path / "拣货单.xlsx")  # default: beside the orders workbook


def test_separate_files_and_shipping_register(tmp_path):
    orders = write_book(tmp_path / "订单.xlsx", {"订单明细": [OH, line("T1"), line("T2")]})
    stock = write_book(tmp_path / "库存.xlsx", {"Sheet1": [SH, item()]})
    register = write_book(tmp_path / "发货.xlsx", {"发货登记": [RH, shipped("T1")]})
    result = invoke("--orders", str(orders), "--stock", str(stock), "--shipping", str(register), "--json")
    data = json.loads(result.stdout)
    assert [o["order_id"] for o in data["orders"]] == ["T2"] and result.exit_code == 0
    assert (tmp_path / "拣货单.xlsx").exists()


def test_workbook_sheets_and_print_setup(shop, tmp_path):
    src = shop([line("T0012345678901234567", remark="小王:发顺丰", flag="红"), line("T2", qty=9)], [item(book=2)])
    out = tmp_path / "out.xlsx"
    invoke(str(src), "-o", str(out))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == GENERATED
    for name in GENERATED[:4]:
        ws = wb[name]
        assert ws.print_title_rows == "$1:$3"
        # fitToWidth 1 is the file format's default, which xlsxwriter leaves implicit
        assert ws.page_setup.paperSize == 9 and ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.oddHeader.center.text == "批次 JH20261010-01" and ws.oddHeader.right.text == "2026-10-10 18:00"
        assert "JH20261010-01" in ws["A2"].value
    for name in ("汇总拣货单", "按单拣货单"):
        assert "拣货人" in wb[name].oddFooter.left.text and "复核人" in wb[name].oddFooter.right.text
    orders = wb["按单拣货单"]
    assert orders["B4"].value == "T0012345678901234567" and orders["B4"].number_format == "@"  # IDs as text
    assert orders["M4"].value == "发顺丰"
    short = wb["缺货"]
    assert (short["B4"].value, short["K4"].value, short["L4"].value) == ("T2", 9, 1)  # 订单号, 订购, 可用


def test_reprint_is_identical(shop, tmp_path):
    out = tmp_path / "拣货单.xlsx"
    orders = [line("T1", qty=2), line("T1", sku="G1", price=0, color=None, size=None),
              line("T2", paid=None, pay="货到付款", flag="红", remark="小李:晚上送")]
    stock = [item(location="A-10-1"), item("G1", None, None, "A-2-1", name="收纳袋")]
    src = shop(orders, stock)
    first = json.loads(invoke(str(src), "--json").stdout)
    printed = {name: snapshot(out, name) for name in ("汇总拣货单", "按单拣货单")}
    # a later batch replaces the lists; reprinting the first one brings them back exactly
    src = shop(orders + [line("T3", paid=PAID + dt.timedelta(hours=3))], stock)
    second = json.loads(invoke(str(src), "--json", as_of="2026-10-10 19:00").stdout)
    assert second["batch"] == "JH20261010-02"
    assert snapshot(out, "汇总拣货单") != printed["汇总拣货单"]
    result = invoke(str(src), "--batch", "JH20261010-01", "--json")
    again = json.loads(result.stdout)
    assert result.exit_code == 0 and again["reprint"] is True
    assert {k: again[k] for k in ("batch", "date", "wave", "orders")} == \
        {k: first[k] for k in ("batch", "date", "wave", "orders")}
    for name, before in printed.items():
        assert snapshot(out, name) == before
    assert values(out, "拣货批次")[1:] and len(values(out, "拣货批次")) == 1 + 4  # 3 lines + T3, not rewritten


def test_reprint_of_an_unknown_batch_is_refused(shop, tmp_path):
    src = shop([line("T1")], [item()])
    invoke(str(src))
    result = invoke(str(src), "--batch", "JH20990101-01")
    assert result.exit_code == 2 and "JH20261010-01" in result.stderr


def test_rerun_is_idempotent(shop, tmp_path):
    src = shop([line("T1"), line("T2", qty=5)], [item(book=2)])
    out = tmp_path / "拣货单.xlsx"
    assert invoke(str(src)).exit_code == 1
    records = values(out, "拣货批次")
    second = invoke(str(src), "--json")
    data = json.loads(second.stdout)
    assert data["batch"] is None and data["orders"] == [] and data["open_batches"] == ["JH20261010-01"]
    assert [s["available"] for s in data["shortages"]] == [1]  # T1's unit waits on the open batch
    assert openpyxl.load_workbook(out).sheetnames == GENERATED  # sheets replaced, not added twice
    assert values(out, "拣货批次") == records  # no batch recorded twice
    after_second = {name: values(out, name) for name in GENERATED}
    invoke(str(src))
    assert {name: values(out, name) for name in GENERATED} == after_second


def test_batch_closes_when_shipped_and_orders_then_go_to_a_new_batch(shop, tmp_path):
    out = tmp_path / "拣货单.xlsx"
    src = shop([line("T1")], [item(book=1)])
    invoke(str(src))
    assert values(out, "拣货批次")[1][-1] == "未完成"
    # T1 shipped (stock sheet updated by the warehouse); T2 arrived
    src = shop([line("T1"), line("T2", paid=PAID + dt.timedelta(hours=2))], [item(book=1)],
               register=[shipped("T1")])
    data = json.loads(invoke(str(src), "--json", as_of="2026-10-10 19:00").stdout)
    assert data["batch"] == "JH20261010-02" and [o["order_id"] for o in data["orders"]] == ["T2"]
    assert data["open_batches"] == []
    states = {r[0]: r[-1] for r in values(out, "拣货批次")[1:]}
    assert states == {"JH20261010-01": "已完成", "JH20261010-02": "未完成"}


def test_users_other_sheets_are_kept(shop, tmp_path):
    out = tmp_path / "拣货单.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "备忘"
    wb.active["A1"] = "今天顺丰 17:00 来收件"
    wb.save(out)
    src = shop([line("T1")], [item()])
    invoke(str(src), "-o", str(out))
    invoke(str(src), "-o", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["备忘", *GENERATED]
    assert book["备忘"]["A1"].value == "今天顺丰 17:00 来收件"


def test_an_input_workbook_given_as_output_is_refused(shop, tmp_path):
    src = shop([line("T1")], [item()])
    before = src.read_bytes()
    result = invoke(str(src), "-o", str(src))
    assert result.exit_code == 2 and str(src) in result.stderr and "输入文件" in result.stderr
    assert "Traceback" not in result.output
    assert src.read_bytes() == before and not list(tmp_path.glob("*.备份-*"))


def test_the_rules_workbook_given_as_output_is_refused(shop, tmp_path):
    src = shop([line("T1")], [item()])
    rules = tmp_path / "规则.xlsx"
    openpyxl.Workbook().save(rules)
    before = rules.read_bytes()
    result = invoke(str(src), "--rules", str(rules), "-o", str(rules))
    assert result.exit_code == 2 and "规则.xlsx" in result.stderr
    assert rules.read_bytes() == before


def test_open_output_workbook_is_refused(shop, tmp_path):
    src = shop([line("T1")], [item()])
    (tmp_path / "~$拣货单.xlsx").write_bytes(b"owner")
    result = invoke(str(src))
    assert result.exit_code == 2 and "Excel" in result.stderr
    assert not (tmp_path / "拣货单.xlsx").exists()


def test_workbook_with_a_chart_is_not_rewritten(shop, tmp_path):
    from openpyxl.chart import BarChart, Reference
    out = tmp_path / "报表.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([1])
    ws.append([2])
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=2))
    ws.add_chart(chart, "C1")
    wb.save(out)
    before = out.read_bytes()
    result = invoke(str(shop([line("T1")], [item()])), "-o", str(out))
    assert result.exit_code == 2 and "图表" in result.stderr
    assert out.read_bytes() == before


def test_damaged_batch_record_is_unusable_input(shop, tmp_path):
    src = shop([line("T1")], [item()])
    invoke(str(src))
    out = tmp_path / "拣货单.xlsx"
    wb = openpyxl.load_workbook(out)
    wb["拣货批次"]["N2"] = "两"  # 数量 no longer a number
    wb.save(out)
    result = invoke(str(src))
    assert result.exit_code == 2 and "拣货批次" in result.stderr and "N2" in result.stderr


def test_demo_step_runs_on_the_ledger(tmp_path):
    from shopbook.demo import picklist_step as demo_step
    src = tmp_path / "demo"
    src.mkdir()
    write_book(src / "台账.xlsx", {"订单": [OH, line("T1"), line("T2", qty=5)], "发货": [RH],
                                  "库存": [SH, item(book=2)]})
    said = []
    demo_step(src, tmp_path, None, dt.datetime(2026, 10, 10, 18), said.append)
    demo_step(src, tmp_path, None, dt.datetime(2026, 10, 10, 18), said.append)  # same result again
    assert said[0] == said[1] and "拣货 1 单" in said[0] and "缺货 1 单" in said[0]
    assert (tmp_path / "拣货单.xlsx").exists()
    demo_step(tmp_path / "nothing", tmp_path, None, dt.datetime(2026, 10, 10, 18), said.append)
    assert "跳过" in said[-1]


def test_kept_sheets_path_writes_the_same_lists(shop, tmp_path):
    """A fresh 拣货单.xlsx is streamed (xlsxwriter); one that keeps the user's sheets is rewritten
    (openpyxl): both give the same cells, merged title rows, page header and footer."""
    src = shop([line("T1", qty=2, remark="小王:发顺丰,送运费险,包装里放一张感谢卡和两片试用装面膜,谢谢", flag="红"),
                line("T1", sku="G1", price=0, color=None, size=None), line("T2", qty=9)],
               [item(book=3), item("G1", None, None, "A-2-1", name="收纳袋")])
    fresh, kept = tmp_path / "fresh.xlsx", tmp_path / "kept.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "备忘"
    wb.save(kept)
    invoke(str(src), "-o", str(fresh))
    invoke(str(src), "-o", str(kept))
    a, b = openpyxl.load_workbook(fresh), openpyxl.load_workbook(kept)
    for name in GENERATED:
        assert values(fresh, name) == values(kept, name)
        assert sorted(map(str, a[name].merged_cells.ranges)) == sorted(map(str, b[name].merged_cells.ranges))
        for part in ("left", "center", "right"):
            assert getattr(a[name].oddHeader, part).text == getattr(b[name].oddHeader, part).text
            assert getattr(a[name].oddFooter, part).text == getattr(b[name].oddFooter, part).text
        assert a[name].print_title_rows == b[name].print_title_rows
        assert a[name].print_options.gridLines == b[name].print_options.gridLines
    assert a["按单拣货单"].merged_cells.ranges and a["按单拣货单"]["A1"].value == "按单拣货单"
    # the long request wraps onto more lines: its row is taller in both
    assert a["按单拣货单"].row_dimensions[4].height == b["按单拣货单"].row_dimensions[4].height > 15


@pytest.mark.parametrize("request_text", ["=先打电话确认", "送<小礼物> & 贺卡"])
def test_text_is_written_as_text(shop, tmp_path, request_text):
    """Text that looks like a formula stays text; XML's special characters survive."""
    src = shop([line("T1", flag="红", remark=f"小王:{request_text}")], [item()])
    kept = tmp_path / "kept.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "备忘"
    wb.save(kept)
    for out in (tmp_path / "fresh.xlsx", kept):  # streamed, and rewritten with the user's own sheet kept
        invoke(str(src), "-o", str(out))
        cell = openpyxl.load_workbook(out)["按单拣货单"]["M4"]
        assert cell.value == request_text and cell.data_type == "s"


def test_messy_input(tmp_path):
    """As exported: title rows, platform header names, full-width digits, order numbers stored as
    numbers (one intact, one cut by Excel), text and serial dates that decide the pick order."""
    header = ["订单编号", "支付时间", "收货人", "联系电话", "省份", "收货地址", "商家编码", "宝贝名称", "颜色分类", "尺码",
              "购买数量", "价格", "订单状态", "卖家备注", "标记"]
    addr = ("广东", "深圳市南山区科技园路1号")
    orders = [["某店 订单导出"], [], header,
              [2026103100001, "2026/10/31 9:05", "李丽", "１３８００００１１１１", *addr, "BRA-01", "文胸", "黑", "75B", "２",
               89, "待发货", None, "无"],
              ["2026103100002", "2026年10月31日 08:00", "王梅", "13900002222", *addr, "BRA-01", "文胸", "黑", "75B", 1, 89,
               "待发货", "小王：发顺丰", "红旗"],
              ["2026103100003", 46326.5, "赵敏", "13700003333", *addr, "BRA-01", "文胸", "黑", "75B", 1, 89, "待发货",
               None, "无"],
              [2026103100000000004, "2026-10-31 10:00", "钱多", "13700003334", *addr, "BRA-01", "文胸", "黑", "75B", 1, 89,
               "待发货", None, "无"]]
    stock = [["库存表 10月"], ["SKU", "品名", "颜色", "尺码", "货位", "账面数量", "实盘数量", "残次数量"],
             ["BRA-01", "文胸", "黑", "75B", "Ａ-０１-０２", "３", None, None]]
    src = write_book(tmp_path / "导出.xlsx", {"订单明细": orders, "库存": stock})
    result = invoke(str(src), "--json", as_of="2026-10-31 18:00")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    # paid 08:00 (text), 09:05 (text), 12:00 (serial): the first two fill the 3 units
    assert [(o["order_id"], o["lines"][0]["qty"]) for o in data["orders"]] == \
        [("2026103100002", 1), ("2026103100001", 2)]
    assert data["orders"][0]["remark"] == "发顺丰" and data["orders"][0]["lines"][0]["location"] == "A-01-02"
    assert data["shortages"] == [{"order_id": "2026103100003", "sku": "BRA-01", "name": "文胸", "color": "黑",
                                  "size": "75B", "spec": None, "ordered": 1, "available": 0}]
    # Excel kept 15 digits of the last order number: held, and its number is not guessed
    assert [(h["order_id"], h["cell"], h["code"]) for h in data["held"]] == [(None, "A7", "id-digits-lost")]


def test_batch_record_prints_too(shop, tmp_path):
    # the 拣货批次 record keeps its header in row 1 (read back next run) and prints on A4 landscape,
    # one page wide, its header row on every page — from both writers
    src = shop([line("T1"), line("T2")], [item()])
    fresh, kept = tmp_path / "fresh.xlsx", tmp_path / "kept.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "备忘"
    wb.save(kept)
    invoke(str(src), "-o", str(fresh))
    invoke(str(src), "-o", str(kept))
    for path in (fresh, kept):
        ws = openpyxl.load_workbook(path)["拣货批次"]
        assert ws["A1"].value == "批次号" and ws.print_title_rows == "$1:$1"
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
        assert ws.oddHeader.left.text == "拣货批次记录" and ws.oddFooter.center.text == "第 &P 页 / 共 &N 页"


def test_output_whose_sheets_openpyxl_cannot_read_is_not_rewritten(shop, tmp_path):
    from test_writing import strict_ooxml
    plain = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "备忘"
    wb.save(plain)
    out = strict_ooxml(plain, tmp_path / "拣货单.xlsx")
    before = out.read_bytes()
    result = invoke(str(shop([line("T1")], [item()])), "-o", str(out))
    assert result.exit_code == 2 and "Strict Open XML" in result.stderr and "备忘" in result.stderr
    assert out.read_bytes() == before


def test_picker_is_written_to_the_record_and_an_old_record_without_the_column_still_loads(shop, tmp_path):
    out = tmp_path / "拣货单.xlsx"
    src = shop([line("T1")], [item(book=5)])
    assert invoke(str(src), "--picker", "马小军").exit_code == 0
    rows = values(out, "拣货批次")
    assert rows[0][-2:] == ["拣货人", "批次状态"] and rows[1][-2:] == ["马小军", "未完成"]
    # a record written before the column existed: the next run reads it and keeps its batches
    wb = openpyxl.load_workbook(out)
    wb["拣货批次"].delete_cols(len(rows[0]) - 1)
    wb.save(out)
    src = shop([line("T1"), line("T2", paid=PAID + dt.timedelta(hours=1))], [item(book=5)])
    assert invoke(str(src), as_of="2026-10-10 19:00").exit_code == 0
    rows = values(out, "拣货批次")
    assert [(r[0], r[-2]) for r in rows[1:]] == [("JH20261010-01", None), ("JH20261010-02", None)]
