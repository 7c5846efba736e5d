"""The 生成拣货单, 快递对账 and 计算工资 buttons run on xlwings' remote Book (the real xlwings
API, no Excel needed): each test builds a workbook, sends it the way Excel's client does,
runs the button function and checks the actions that would go back to Excel — against
the CLI's own result on the same data.
"""
import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from conftest import write_book as write
from excel_payload import Replay, remote_book, run_button
from shopbook.excel import buttons
from shopbook.core.errors import UnusableInput
from test_picking_golden import ORDERS, SHIPPING, STOCK

D = dt.datetime
ROOT = Path(__file__).resolve().parent.parent
AS_OF = D(2026, 10, 31, 18, 0)


def saved_book(path: Path):
    """A remote book that knows where it is saved (as Excel reports a saved workbook's full name)."""
    book = remote_book(path)
    book.impl.api["book"]["name"] = str(path)
    return book


def press(button, book, **kwargs):
    before = [s.name for s in book.sheets]
    message = button(book, **kwargs)
    return message, Replay(book, before)


def table(replay: Replay, sheet: str, header_row: int) -> list[dict]:
    """A generated sheet's rows under its header row (1-based), as dicts."""
    rows = replay.rows(sheet)
    header = rows[header_row - 1]
    return [dict(zip(header, r)) for r in rows[header_row:]]


def clerk_sheets_untouched(replay: Replay, generated) -> None:
    assert set(replay.values) <= set(generated) | {"问题"}


# --- 生成拣货单 ---------------------------------------------------------------------------------
@pytest.fixture
def ledger(tmp_path):
    return write(tmp_path / "订单.xlsx", {"订单": ORDERS, "库存": STOCK, "发货": SHIPPING})


def test_picklist_matches_the_cli_and_writes_every_list(ledger, tmp_path):
    from shopbook.picking.run import run_picklist

    cli = run_picklist(ledger, as_of=AS_OF, output=tmp_path / "拣货单.xlsx").result
    message, replay = press(buttons.picklist_book, saved_book(ledger), as_of=AS_OF)
    assert replay.added == list(buttons.PICK_SHEETS)
    clerk_sheets_untouched(replay, buttons.PICK_SHEETS)
    wave = table(replay, "汇总拣货单", 3)
    assert [(r["库位"], r["商品编码"], r["数量"]) for r in wave] == \
        [(r.库位, r.商品编码, r.数量) for r in cli.wave.itertuples()]
    assert replay.rows("汇总拣货单")[1][0].startswith(f"批次 {cli.batch_id}    拣货时间 2026-10-31 18:00")
    by_order = table(replay, "按单拣货单", 3)
    assert [r["订单号"] for r in by_order if r["订单号"]] == list(dict.fromkeys(cli.lines["订单号"]))
    assert [r["订单号"] for r in table(replay, "缺货", 3)] == list(cli.shortages["订单号"])
    assert [r["订单号"] for r in table(replay, "暂缓拣货", 3)] == list(cli.held["订单号"])
    record = table(replay, "拣货批次", 1)
    assert len(record) == len(cli.lines) and {r["批次状态"] for r in record} == {"未完成"}
    assert f"拣货批次 {cli.batch_id}:{cli.order_count} 单" in message and "缺货 1 单" in message


def test_picklist_button_writes_the_sheets_of_the_cli_workbook(ledger, tmp_path):
    """One set of generated sheets (shopbook.picking.lists): the button's have the CLI workbook's
    headers, titles and rows."""
    from shopbook.picking.run import run_picklist

    out = tmp_path / "拣货单.xlsx"
    run_picklist(ledger, as_of=AS_OF, output=out)
    _, replay = press(buttons.picklist_book, saved_book(ledger), as_of=AS_OF)
    wb = openpyxl.load_workbook(out)
    for name, top in (("汇总拣货单", 3), ("按单拣货单", 3), ("缺货", 3), ("暂缓拣货", 3), ("拣货批次", 1)):
        cli = [list(r) for r in wb[name].iter_rows(min_row=top, values_only=True) if r[0] != "(无)"]
        assert replay.rows(name)[top - 1] == cli[0], name
        assert len(replay.rows(name)) - top == len(cli) - 1, name
        if top == 3:
            assert replay.rows(name)[0][0] == wb[name]["A1"].value and replay.rows(name)[1][0] == wb[name]["A2"].value


def test_picklist_writes_ids_as_text(ledger):
    _, replay = press(buttons.picklist_book, saved_book(ledger), as_of=AS_OF)
    by_order = replay.rows("按单拣货单")[2]
    order_col = "ABCDEFGHIJKLMNO"[by_order.index("订单号")]
    sku_col = "ABCDEFGHIJKLMNO"[by_order.index("商品编码")]
    formats = replay.formats["按单拣货单"]
    assert formats[f"{order_col}4"] == formats[f"{sku_col}4"] == "@"
    assert replay.values["按单拣货单"][f"{order_col}4"] == "2026103100001"  # text, every digit
    assert replay.formats["拣货批次"]["C2"] == "@"  # 订单号 of the record


def test_a_second_press_replaces_the_lists_and_does_not_pick_the_same_orders_again(ledger, tmp_path):
    _, first = press(buttons.picklist_book, saved_book(ledger), as_of=AS_OF)
    wb = openpyxl.load_workbook(ledger)
    ws = wb.create_sheet("拣货批次")
    for row in first.rows("拣货批次"):  # as Excel keeps it: times as dates, blanks empty
        ws.append([D.fromisoformat(v) if isinstance(v, str) and v[:2] == "20" and v[4:5] == "-" else (v if v != "" else None)
                   for v in row])
    for name in ("汇总拣货单", "缺货"):
        wb.create_sheet(name).append(["旧的内容"])
    wb.save(ledger)

    message, second = press(buttons.picklist_book, saved_book(ledger), as_of=AS_OF + dt.timedelta(hours=1))
    assert second.deleted == ["汇总拣货单", "缺货", "拣货批次"]
    assert second.added == list(buttons.PICK_SHEETS)
    assert "没有新的可拣订单" in message and "未完成的批次 JH20261031-01" in message
    assert table(second, "按单拣货单", 3) == []
    assert len(table(second, "拣货批次", 1)) == len(table(first, "拣货批次", 1))  # the record kept, not doubled


def test_picklist_reads_stock_beside_the_orders_workbook(tmp_path):
    write(tmp_path / "库存.xlsx", {"库存": STOCK})
    orders = write(tmp_path / "订单.xlsx", {"订单": ORDERS})
    message, replay = press(buttons.picklist_book, saved_book(orders), as_of=AS_OF)
    assert "另读取了 库存.xlsx" in message
    assert table(replay, "汇总拣货单", 3)


def test_picklist_without_stock_anywhere_is_unusable_input(tmp_path):
    orders = write(tmp_path / "订单.xlsx", {"订单": ORDERS})
    with pytest.raises(UnusableInput, match="没有「库存」表"):
        buttons.picklist_book(saved_book(orders), as_of=AS_OF)


# --- 快递对账 -----------------------------------------------------------------------------------
BILL = [
    ["中通月结账单 2026年10月"],
    ["运单号", "寄件日期", "目的省份", "计费重量", "运费", "快递公司"],
    ["773100000001", D(2026, 10, 2), "广东", 1.0, 4.0, "中通"],
    ["773100000002", D(2026, 10, 2), "浙江", 3.0, 20.0, "中通"],  # overweight: we weighed 1 kg
    ["773100000009", D(2026, 10, 3), "江苏", 1.0, 5.0, "中通"],  # never shipped
    ["773100000001", D(2026, 10, 2), "广东", 1.0, 4.0, "中通"],  # billed twice
    ["773100000004", D(2026, 10, 3), "江苏", 1.0, "四元", "中通"],  # a fee that is not a number
]
REGISTER = [
    ["发货日期", "订单号", "快递公司", "快递单号", "重量", "收件人", "手机", "省"],
    [D(2026, 10, 2), "T1", "中通", "773100000001", 1.0, "张三", "13812345678", "广东"],
    [D(2026, 10, 2), "T2", "中通", "773100000002", 1.0, "李四", "13812345679", "浙江"],
    [D(2026, 10, 3), "T3", "中通", "773100000003", 1.0, "王五", "13812345670", "江苏"],
]


@pytest.fixture
def bill_book(tmp_path):
    write(tmp_path / "发货.xlsx", {"发货": REGISTER})
    return write(tmp_path / "快递对账.xlsx", {"快递账单": BILL, "说明": [["把账单粘贴到「快递账单」表"]]})


def test_reconcile_matches_the_cli(bill_book, tmp_path):
    from shopbook.courier.run import run_reconcile

    cli = run_reconcile(bill_book, tmp_path / "发货.xlsx", None, AS_OF)
    message, replay = press(buttons.reconcile_book, saved_book(bill_book), as_of=AS_OF)
    assert replay.added == ["问题", *buttons.RECONCILE_SHEETS]
    clerk_sheets_untouched(replay, buttons.RECONCILE_SHEETS)
    total = table(replay, "对账汇总", 4)[-1]
    s = cli.result.summary
    assert total["快递公司"] == "合计"
    assert (total["账单金额"], total["多收(争议)"], total["应付金额"]) == \
        (s["bill_total"] / 100, s["overcharge_total"] / 100, s["net_payable"] / 100)
    disputes = table(replay, "争议明细", 1)
    assert len(disputes) == len(cli.result.disputes())
    assert {r["类别"] for r in disputes} >= {"重复计费", "未发货(无发货记录)", "超重多收"}
    assert all(r["账单位置"].startswith("快递账单 第 ") for r in disputes)
    assert [r["快递单号"] for r in table(replay, "未计费", 1)] == ["773100000003"]
    assert f"应付 {s['net_payable'] / 100:,.2f} 元" in message


def test_reconcile_takes_the_phones_from_the_ledgers_orders_as_the_cli_does(tmp_path):
    # a 台账 whose 发货 sheet has no 手机: the phones come from its 订单 sheet by 订单号 (the button
    # re-implemented the run and skipped that step, so its 争议明细 had no phones)
    from shopbook.courier import lists
    from shopbook.courier.run import run_reconcile

    register = [[c for i, c in enumerate(row) if i != 6] for row in REGISTER]
    orders = [["订单号", "手机"]] + [[row[1], row[6]] for row in REGISTER[1:]]
    write(tmp_path / "台账.xlsx", {"发货": register, "订单": orders})
    bill = write(tmp_path / "快递对账.xlsx", {"快递账单": BILL})
    cli = run_reconcile(bill, tmp_path / "台账.xlsx", None, AS_OF)
    expected = lists.disputes(cli.result, cli.proof).frame["手机"].tolist()
    _, replay = press(buttons.reconcile_book, saved_book(bill), as_of=AS_OF)
    phones = [r["手机"] or None for r in table(replay, "争议明细", 1)]
    assert phones == expected and "138****5678" in phones


def test_reconcile_writes_waybills_as_text_and_masks_phones(bill_book):
    _, replay = press(buttons.reconcile_book, saved_book(bill_book), as_of=AS_OF)
    assert replay.formats["争议明细"]["B2"] == "@"
    assert all("****" in r["手机"] for r in table(replay, "争议明细", 1) if r["手机"])


def test_reconcile_marks_bad_bill_cells_and_lists_them(bill_book):
    message, replay = press(buttons.reconcile_book, saved_book(bill_book), as_of=AS_OF)
    note = replay.notes["快递账单"]["E7"]
    code = note[note.rindex("(") + 1:-1]
    assert replay.fills["快递账单"]["E7"] == "#FFC7CE"
    issues = table(replay, "问题", 1)
    bad = next(r for r in issues if r["代码"] == code)
    assert bad["工作表"] == "快递账单" and "E7" in bad["单元格"] and bad["原值"] == "四元"
    assert "错误 1" in message


def test_reconcile_without_a_register_beside_it_is_unusable_input(tmp_path):
    path = write(tmp_path / "快递对账.xlsx", {"快递账单": BILL})
    with pytest.raises(UnusableInput, match="找不到发货登记"):
        buttons.reconcile_book(saved_book(path), as_of=AS_OF)


def test_reconcile_on_a_book_without_a_bill_names_the_book(tmp_path):
    write(tmp_path / "发货.xlsx", {"发货": REGISTER})
    path = write(tmp_path / "快递对账.xlsx", {"快递账单": [["随便"], ["什么"]]})
    with pytest.raises(UnusableInput, match="^快递对账.xlsx: 找不到快递账单"):
        buttons.reconcile_book(saved_book(path), as_of=AS_OF)


def test_reconcile_on_a_register_or_with_a_bill_beside_it_says_so(tmp_path):
    """The button reads through the same reader: a register is no bill, a bill no register."""
    register = [REGISTER[0] + ["运费"]] + [row + [4.0] for row in REGISTER[1:]]  # reads as a bill by headers
    write(tmp_path / "发货.xlsx", {"发货": REGISTER})
    path = write(tmp_path / "快递对账.xlsx", {"Sheet1": register})
    with pytest.raises(UnusableInput, match="^快递对账.xlsx: 看起来是发货登记表.*不是快递账单。请把快递公司的月结账单粘贴到本工作簿"):
        buttons.reconcile_book(saved_book(path), as_of=AS_OF)
    write(tmp_path / "发货.xlsx", {"账单": BILL})
    path = write(tmp_path / "快递对账.xlsx", {"快递账单": BILL})
    with pytest.raises(UnusableInput, match="发货.xlsx: 看起来是快递账单.*不是发货登记表。「快递对账」从本工作簿所在文件夹"):
        buttons.reconcile_book(saved_book(path), as_of=AS_OF)


# --- 计算工资 -----------------------------------------------------------------------------------
PAYROLL_DEMO = ROOT / "shopbook" / "data" / "demo" / "工资.xlsx"
needs_payroll_demo = pytest.mark.skipif(not PAYROLL_DEMO.exists(), reason="demo 工资.xlsx not built")
# the demo leaves these 绩效 figures to the records beside it (payroll --registers); a remote book
# cannot see its folder, so the button tests type them in, as a shop without the records would
TYPED = {"E004": {"个人销售额": 5746.92}, "E005": {"个人销售额": 5851.92}, "E006": {"个人销售额": 4604.92},
         "E007": {"投诉处理数": 4, "差评改好数": 3, "催评数": 93, "差评数": 4},
         "E008": {"投诉处理数": 5, "差评改好数": 2, "催评数": 81, "差评数": 4},
         "E013": {"拣货单数": 275}, "E014": {"发货单数": 99}}


@pytest.fixture
def payroll_demo(tmp_path):
    """The demo 工资.xlsx with its blank 绩效 counts typed in."""
    wb = openpyxl.load_workbook(PAYROLL_DEMO)
    ws = wb["绩效"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        for column, value in TYPED.get(row[0].value, {}).items():
            row[header.index(column)].value = value
    path = tmp_path / "工资.xlsx"
    wb.save(path)
    return path


@needs_payroll_demo
def test_payroll_matches_the_cli_for_the_month_after_the_stamp(tmp_path, payroll_demo):
    from shopbook.payroll.run import run_payroll

    cli = run_payroll(payroll_demo, dt.date(2026, 10, 1), output=tmp_path / "out.xlsx").result
    message, replay, _ = run_button(buttons.payroll_book, payroll_demo, as_of=D(2026, 11, 5))
    assert message.startswith("2026-10 工资:")
    # the demo holds a 奖罚登记: the 奖罚评分表 too, dated the day the button was pressed
    assert replay.added == ["问题", "工资表", "工资条", "银行代发", "下月个税累计", "下月责任金台账", "奖罚评分表"]
    assert replay.rows("奖罚评分表")[0][0] == "2026 年 10 月 奖罚评分表    制表日期 2026-11-05"
    clerk_sheets_untouched(replay, buttons.PAYROLL_SHEETS)
    *pay, total = table(replay, "工资表", 2)
    assert [r["实发工资"] for r in pay] == [float(s.net) for s in cli.slips]
    assert total["序号"] == "合计" and total["实发工资"] == float(cli.totals["net"])
    bank = table(replay, "银行代发", 1)
    assert [r["账号"] for r in bank] == list(cli.bank["账号"])
    assert Decimal(str(sum(r["金额"] for r in bank))).quantize(Decimal("0.01")) == cli.bank_total
    assert table(replay, "下月个税累计", 1)[0]["截至月份"] == 10


@needs_payroll_demo
def test_payroll_ids_as_text_and_payslips_masked(payroll_demo):
    _, replay, _ = run_button(buttons.payroll_book, payroll_demo, as_of=D(2026, 11, 5))
    header = replay.rows("工资表")[1]
    for column in ("工号", "身份证号"):
        letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[header.index(column)]
        assert replay.formats["工资表"][f"{letter}3"] == "@"
    assert replay.formats["银行代发"]["A2"] == "@"
    slips = replay.rows("工资条")
    assert slips[2][:2] == ["工号", "姓名"] and slips[3][3].startswith("*") and slips[4][0].startswith("说明:")


def payroll_book_rows(tmp_path, stamp=None, account="6222020023757000007"):
    """The real 工资 workbook (workbooks/工资.xlsm, else its template) filled with one small month."""
    person = {"工号": "E001", "姓名": "陈志远"}
    sheets = {
        "员工": [{**person, "岗位": "捡单员", "底薪": 1500, "身份证号": "330106198503121135", "银行账号": account,
                 "开户行": "工商银行", "社保基数": 5000, "公积金比例": 0.12, "专项附加扣除": 0, "入职日期": D(2020, 1, 1)}],
        "考勤": [{**person, "应出勤天数": 21, "实出勤天数": 21, "迟到早退次数": 0}],
        "绩效": [{**person, "拣货单数": 800}],
    }
    if stamp:
        sheets["个税累计"] = [{**person, "身份证号": "330106198503121135", "累计月数": 9, "累计收入": 60000,
                           "累计专项扣除": 9000, "累计专项附加扣除": 0, "累计已预扣税额": 0,
                           "年份": stamp[0], "截至月份": stamp[1]}]
    return from_template("工资", tmp_path / "工资.xlsm", sheets)


def test_payroll_month_is_the_one_after_the_stamp_else_the_previous_month(tmp_path):
    stamped = payroll_book_rows(tmp_path, stamp=(2026, 9))
    message, replay, _ = run_button(buttons.payroll_book, stamped, as_of=D(2026, 12, 3))
    assert message.startswith("2026-10 工资:1 人")
    assert table(replay, "工资表", 2)[0]["计件工资"] == 1600.0  # 800 单 × 2 元

    unstamped = payroll_book_rows(tmp_path)
    message, _, _ = run_button(buttons.payroll_book, unstamped, as_of=D(2026, 12, 3))
    assert message.startswith("2026-11 工资:")


def test_payroll_for_a_month_already_applied_is_refused(tmp_path):
    stamped = payroll_book_rows(tmp_path, stamp=(2026, 10))
    with pytest.raises(UnusableInput, match="同一个月不能应用两次"):
        run_button(buttons.payroll_book, stamped, month=dt.date(2026, 10, 1))


def test_payroll_lists_people_left_out_of_the_bank_file_and_drops_a_stale_list(tmp_path):
    path = payroll_book_rows(tmp_path, stamp=(2026, 9), account=None)
    _, replay, _ = run_button(buttons.payroll_book, path)
    assert "未代发名单" in replay.added and table(replay, "银行代发", 1) == []

    good = payroll_book_rows(tmp_path, stamp=(2026, 9))
    wb = openpyxl.load_workbook(good, keep_vba=True)
    for name in ("工资表", "未代发名单"):
        wb.create_sheet(name).append(["上次的结果"])
    wb.save(good)
    _, replay, _ = run_button(buttons.payroll_book, good)
    assert replay.deleted == ["工资表", "未代发名单"]
    assert "未代发名单" not in replay.sheets and replay.sheets.count("工资表") == 1


def test_payroll_marks_a_bad_id_card_on_the_employee_sheet(tmp_path):
    path = payroll_book_rows(tmp_path, stamp=(2026, 9))
    wb = openpyxl.load_workbook(path, keep_vba=True)
    wb["员工"]["E2"] = "330106198503121136"  # wrong check digit
    wb.save(path)
    message, replay, _ = run_button(buttons.payroll_book, path)
    assert "id-card-invalid" in replay.notes["员工"]["E2"]
    assert any(r["代码"] == "id-card-invalid" for r in table(replay, "问题", 1))
    assert "错误 1" in message and "请勿直接提交银行" in message
    bank = replay.rows("银行代发")
    assert bank[0][0].startswith("有错误未核对,不可直接上传银行") and bank[1][:3] == ["账号", "户名", "金额"]


# --- the real templates (workbooks/*.xlsx) filled with a few rows, as a clerk would ----------
def from_template(name: str, target: Path, sheets: dict[str, list[dict]]) -> Path:
    """workbooks/<name>.xlsm (the workbook with buttons; else its .xlsx template) with rows
    typed under its headers (by header name)."""
    xlsm = ROOT / "workbooks" / f"{name}.xlsm"
    wb = openpyxl.load_workbook(xlsm, keep_vba=True) if xlsm.exists() else \
        openpyxl.load_workbook(ROOT / "workbooks" / f"{name}.xlsx")
    for sheet, rows in sheets.items():
        ws = wb[sheet]
        headers = [c.value for c in ws[1]]
        for r, row in enumerate(rows, start=2):
            for header, value in row.items():
                ws.cell(r, headers.index(header) + 1, value)
    wb.save(target)
    return target


def order_line(number, sku, qty, paid=D(2026, 10, 31, 9), **more):
    return {"订单号": number, "下单时间": paid, "付款时间": paid, "买家": "tb_" + number[-2:], "收件人": "李丽",
            "手机": "13800001111", "省": "广东", "市": "深圳市", "区": "南山区", "详细地址": "广东省深圳市南山区科技园路1号",
            "商品编码": sku, "商品名称": "蕾丝文胸", "颜色": "黑", "尺码": "75B", "数量": qty, "单价": 89,
            "实付金额": 89 * qty, "付款方式": "在线支付", "快递公司": "中通", "状态": "待发货", **more}


needs_templates = pytest.mark.skipif(
    not all((ROOT / "workbooks" / f"{n}.xlsx").exists() for n in ("订单", "库存", "发货", "快递对账")),
    reason="templates not built (scripts/make_workbooks.py, make_demo_bill.py)")


@needs_templates
def test_picklist_on_the_order_template_with_the_stock_template_beside_it(tmp_path):
    from_template("库存", tmp_path / "库存.xlsm", {"库存": [
        {"商品编码": "BRA-01", "商品名称": "蕾丝文胸", "颜色": "黑", "尺码": "75B", "库位": "A-01-02", "账面数量": 3,
         "实盘数量": 3, "残次数量": 0, "盘点日期": D(2026, 10, 28)}]})
    orders = from_template("订单", tmp_path / "订单.xlsm", {"订单": [
        order_line("2026103100001", "BRA-01", 2, paid=D(2026, 10, 31, 8)),
        order_line("2026103100002", "BRA-01", 2, paid=D(2026, 10, 31, 9))]})
    message, replay = press(buttons.picklist_book, saved_book(orders), as_of=AS_OF)
    assert "另读取了 库存.xlsm" in message
    assert [r["订单号"] for r in table(replay, "按单拣货单", 3)] == ["2026103100001"]
    assert [(r["订单号"], r["订购数量"], r["可用数量"]) for r in table(replay, "缺货", 3)] == [("2026103100002", 2, 1)]
    clerk_sheets_untouched(replay, buttons.PICK_SHEETS)


@needs_templates
def test_reconcile_on_the_bill_template_with_the_shipping_template_beside_it(tmp_path):
    from_template("发货", tmp_path / "发货.xlsm", {"发货": [
        {"发货日期": D(2026, 10, 2), "订单号": "T1", "快递公司": "中通", "快递单号": "773100000001", "重量(kg)": 1.0,
         "收件人": "张三", "省": "广东"}]})
    bill = from_template("快递对账", tmp_path / "快递对账.xlsm", {"快递账单": [
        {"快递单号": "773100000001", "寄件日期": D(2026, 10, 2), "目的省份": "广东", "计费重量": 1.0, "运费": 4.0,
         "快递公司": "中通"},
        {"快递单号": "773100000002", "寄件日期": D(2026, 10, 2), "目的省份": "广东", "计费重量": 1.0, "运费": 4.0,
         "快递公司": "中通"}]})
    message, replay = press(buttons.reconcile_book, saved_book(bill), as_of=AS_OF)
    assert replay.sheets[:2] == ["问题", "操作"]
    assert [(r["快递单号"], r["类别"]) for r in table(replay, "争议明细", 1)] == [("773100000002", "未发货(无发货记录)")]
    assert "账单 2 行" in message and "应付 4.00 元" in message
    clerk_sheets_untouched(replay, buttons.RECONCILE_SHEETS)


# --- the demo month (shopbook/data/demo): realistic sizes and mistakes, same answers as the CLI ---
DEMO = ROOT / "shopbook" / "data" / "demo"
DEMO_AS_OF = D(2026, 10, 31, 18, 0)


@pytest.mark.skipif(not (DEMO / "台账.xlsx").exists(), reason="demo ledger not built")
def test_picklist_on_the_demo_ledger_matches_the_cli(tmp_path):
    from shopbook.picking.run import run_picklist

    ledger = tmp_path / "台账.xlsx"
    ledger.write_bytes((DEMO / "台账.xlsx").read_bytes())
    cli = run_picklist(ledger, rules_path=DEMO / "规则.xlsx", as_of=DEMO_AS_OF, output=tmp_path / "拣货单.xlsx").result
    _, replay = press(buttons.picklist_book, saved_book(ledger), as_of=DEMO_AS_OF, rules_path=DEMO / "规则.xlsx")
    wave = table(replay, "汇总拣货单", 3)
    assert [(r["商品编码"], r["数量"]) for r in wave] == [(r.商品编码, r.数量) for r in cli.wave.itertuples()]
    assert [r["订单号"] for r in table(replay, "缺货", 3)] == list(cli.shortages["订单号"])
    assert len(table(replay, "暂缓拣货", 3)) == len(cli.held)


@pytest.mark.skipif(not (DEMO / "快递账单.xlsx").exists(), reason="demo bills not built")
def test_reconcile_on_the_demo_bill_matches_the_cli(tmp_path):
    from shopbook.courier.run import run_reconcile

    (tmp_path / "台账.xlsx").write_bytes((DEMO / "台账.xlsx").read_bytes())
    (tmp_path / "规则.xlsx").write_bytes((DEMO / "规则.xlsx").read_bytes())
    bill = tmp_path / "快递账单.xlsx"
    bill.write_bytes((DEMO / "快递账单.xlsx").read_bytes())
    cli = run_reconcile(bill, tmp_path / "台账.xlsx", tmp_path / "规则.xlsx", DEMO_AS_OF).result
    message, replay = press(buttons.reconcile_book, saved_book(bill), as_of=DEMO_AS_OF)
    total = table(replay, "对账汇总", 4)[-1]
    assert total["应付金额"] == cli.summary["net_payable"] / 100
    assert len(table(replay, "争议明细", 1)) == len(cli.disputes())
    assert len(table(replay, "未计费", 1)) == len(cli.not_billed)


# --- the RunPython entry points -------------------------------------------------------------
def test_the_entry_point_shows_the_summary_or_the_unusable_input_in_a_message_box(tmp_path, ledger):
    import functools

    from shopbook.excel import entry

    book = saved_book(ledger)
    before = [s.name for s in book.sheets]
    message = entry.run(functools.partial(buttons.picklist_book, as_of=AS_OF), book)
    assert Replay(book, before).alerts == [message]

    orders_only = saved_book(write(tmp_path / "单独订单.xlsx", {"订单": ORDERS}))
    assert entry.run(functools.partial(buttons.picklist_book, as_of=AS_OF), orders_only) is None
    alerts = [a for a in orders_only.json()["actions"] if a["func"] == "alert"]
    assert len(alerts) == 1 and "没有「库存」表" in alerts[0]["args"][0] and alerts[0]["args"][3] == "critical"


@needs_payroll_demo
def test_payroll_button_payslips_leave_setup_notes_out(payroll_demo):
    # the demo's 电商总监 has no 营业额奖金 rate yet: the 工资表 says so, the 工资条 does not
    _, replay, _ = run_button(buttons.payroll_book, payroll_demo, as_of=D(2026, 11, 5))
    notes = [r[0] for r in replay.rows("工资条") if r and isinstance(r[0], str) and r[0].startswith("说明:")]
    assert notes and not any("未设定" in n for n in notes)
    assert any("未设定" in str(v) for r in replay.rows("工资表") for v in r)
