"""Every button completes on an engine that implements only what xlwings' Windows COM
engine implements: formatting it lacks is skipped and named once in the message, and
every promised sheet (the 拣货批次 record included) is still written."""
import datetime as dt
import functools

import pytest

from conftest import write_book as write
from excel_payload import Replay  # sets the test licence key before xlwings.pro is imported
import xlwings.base_classes  # noqa: E402
from xlwings.pro import _xlremote  # noqa: E402
from shopbook.excel import buttons, engine, entry
from test_excel_buttons import AS_OF, BILL, PAYROLL_DEMO, REGISTER, needs_payroll_demo, saved_book
from test_picking_golden import ORDERS, SHIPPING, STOCK


@pytest.fixture
def com_engine(monkeypatch):
    """The remote engine with the Windows COM engine's gap: xlwings 0.37.8 _xlwindows.py
    `class Sheet(base_classes.Sheet)` (line 994) defines no `freeze_panes`, so it inherits
    base_classes.py line 729-730 `def freeze_panes(self): raise NotImplementedError()`,
    which main.py line 1588 (`Sheet.freeze_panes` -> `self.impl.freeze_panes`) reaches
    before `freeze_at` runs. Only pro/_xlremote.py line 1480 implements it."""
    monkeypatch.setattr(_xlremote.Sheet, "freeze_panes", xlwings.base_classes.Sheet.freeze_panes)


def press(button, book, **kwargs):
    before = [s.name for s in book.sheets]
    message = entry.run(functools.partial(button, **kwargs), book)
    return message, Replay(book, before)


def frozen_line(message):
    assert message.count(engine.FREEZE) == 1  # named once, however many sheets
    assert message.endswith(engine.skipped_text([engine.FREEZE]))


def test_the_double_lacks_freeze_panes_as_com_does(com_engine, tmp_path):
    book = saved_book(write(tmp_path / "订单.xlsx", {"订单": ORDERS}))
    with pytest.raises(NotImplementedError):
        book.sheets[0].freeze_panes.freeze_at("A2")


def test_picklist_writes_every_list_and_the_batch_record(com_engine, tmp_path):
    ledger = write(tmp_path / "订单.xlsx", {"订单": ORDERS, "库存": STOCK, "发货": SHIPPING})
    message, replay = press(buttons.picklist_book, saved_book(ledger), as_of=AS_OF)
    assert replay.added == list(buttons.PICK_SHEETS)
    assert replay.rows("拣货批次")[0][0] and len(replay.rows("拣货批次")) > 1
    assert replay.alerts == [message] and message.startswith("拣货批次 ")
    frozen_line(message)


def test_validate_writes_the_issues_sheet(com_engine, tmp_path):
    book = saved_book(write(tmp_path / "订单.xlsx", {"订单": ORDERS}))
    message, replay = press(buttons.validate_book, book, as_of=AS_OF)
    assert replay.added == ["问题"] and replay.rows("问题")
    frozen_line(message)


def test_reconcile_writes_every_sheet(com_engine, tmp_path):
    write(tmp_path / "发货.xlsx", {"发货": REGISTER})
    bill = write(tmp_path / "快递对账.xlsx", {"快递账单": BILL})
    message, replay = press(buttons.reconcile_book, saved_book(bill), as_of=AS_OF)
    assert replay.added == ["问题", *buttons.RECONCILE_SHEETS]
    assert all(replay.rows(s) for s in buttons.RECONCILE_SHEETS)
    frozen_line(message)


@needs_payroll_demo
def test_payroll_writes_every_sheet(com_engine):
    from excel_payload import remote_book
    message, replay = press(buttons.payroll_book, remote_book(PAYROLL_DEMO), as_of=dt.datetime(2026, 11, 5))
    assert replay.added == ["问题", "工资表", "工资条", "银行代发", "下月个税累计", "下月责任金台账", "奖罚评分表"]
    assert all(replay.rows(s) for s in replay.added)
    frozen_line(message)


def test_a_full_engine_adds_nothing_to_the_message(tmp_path):
    ledger = write(tmp_path / "订单.xlsx", {"订单": ORDERS, "库存": STOCK, "发货": SHIPPING})
    message, _ = press(buttons.picklist_book, saved_book(ledger), as_of=AS_OF)
    assert "不支持" not in message


class NoFormatting:
    """A range of an old xlwings (no add_note/set_colors) on an engine refusing formats."""
    def __init__(self):
        self.cells = {}

    def __getitem__(self, at):
        return self.cells.setdefault(at, Cell())

    @property
    def number_format(self):
        raise NotImplementedError

    @number_format.setter
    def number_format(self, value):
        raise NotImplementedError()


class Cell:
    color = None


def test_each_wrapper_skips_and_records_what_the_engine_lacks():
    rng = NoFormatting()
    with engine.collect() as skipped:
        assert engine.set_number_format(rng, "@") is False
        assert engine.add_note(rng, "x") is False
        assert engine.set_fills(rng, [["#FF0000", ...], ["#00FF00", ...]]) is True  # cell by cell
        assert engine.set_number_format(rng, "0.00") is False
    assert skipped == [engine.FORMATS, engine.NOTES]
    assert rng.cells[0, 0].color == "#FF0000" and rng.cells[1, 0].color == "#00FF00" and (0, 1) not in rng.cells
    assert engine.freeze_at(rng, "A2") is False  # outside collect(): logged only, never raises


def test_text_columns_keep_their_text_where_the_format_cannot_be_set(monkeypatch, tmp_path):
    import pandas as pd
    from shopbook.excel import results

    monkeypatch.setattr(engine, "set_number_format", lambda rng, fmt: False)
    book = saved_book(write(tmp_path / "订单.xlsx", {"订单": ORDERS}))
    before = [s.name for s in book.sheets]
    results.replace_sheet(book, "表", pd.DataFrame({"订单号": ["0012"], "数量": [1]}), text_columns=["订单号"])
    assert Replay(book, before).rows("表")[1] == ["'0012", 1]


# --- 打印交接单 and 今日待办 (issues 16/17): the same double --------------------------------------
def handover_books(tmp_path, count=2):
    from test_handover import D2, HAND, REG, TWO, parcel, pickup
    register = write(tmp_path / "发货.xlsx", {"发货": [REG, *TWO, parcel("YT1", courier="圆通", day=D2)]})
    write(tmp_path / "快递交接.xlsx", {"快递交接": [HAND, pickup(count=count), pickup(day=D2, courier="圆通", count=1)]})
    return register


def test_handover_writes_every_sheet(com_engine, tmp_path):
    message, replay = press(buttons.handover_book, saved_book(handover_books(tmp_path)), as_of=dt.datetime(2026, 10, 10, 18))
    assert replay.added == ["问题", *buttons.HANDOVER_SHEETS]
    assert all(replay.rows(s) for s in buttons.HANDOVER_SHEETS)
    assert message.startswith("交接单 2026-10-10:1 张,1 件") and "核对了快递交接表" in message
    slip = replay.rows("交接单")
    assert slip[0][0] == "快递交接单  圆通  2026-10-10" and slip[2][:2] == ["序号", "快递单号"]
    assert slip[3][1] == "YT1" and replay.formats["交接单"]["B4"] == "@"
    assert any("快递员签字" in str(r[0]) for r in slip)
    assert message.count(engine.FREEZE) == 1 and engine.PRINTING in message  # the double has no COM PageSetup


def test_handover_finds_its_day_and_marks_the_register(com_engine, tmp_path):
    from test_handover import HAND, REG, TWO, pickup
    register = write(tmp_path / "发货.xlsx", {"发货": [REG, *TWO], "快递交接": [HAND, pickup(count=1)]})
    message, replay = press(buttons.handover_book, saved_book(register), as_of=dt.datetime(2026, 10, 12, 9))
    assert message.startswith("交接单 2026-10-09:1 张,2 件")  # the latest day with parcels
    assert "错误 1" in message and any("件数" in str(r) for r in replay.rows("问题"))
    assert set(replay.values) <= {"问题", *buttons.HANDOVER_SHEETS}  # the register only marked


def test_handover_without_a_register_writes_nothing(com_engine, tmp_path):
    book = saved_book(write(tmp_path / "发货.xlsx", {"Sheet1": [["甲", "乙"], [1, 2]]}))
    before = [s.name for s in book.sheets]
    assert entry.run(buttons.handover_book, book) is None
    replay = Replay(book, before)
    assert replay.added == [] and len(replay.alerts) == 1 and "发货" in replay.alerts[0]


def today_book(tmp_path):
    from today_helpers import D, books, complaint, handover, order, parcel, review
    _, service = books(tmp_path, ledger={"订单": [order("1001", placed=D(2026, 10, 31, 9), paid=None, status="待付款")],
                                         "发货": [parcel("1002", signed=D(2026, 10, 22))]},
                       service={"评价": [review("1003", D(2026, 10, 31, 9))],
                                "交接班": [handover(D(2026, 10, 31), "早班", no="1003")],
                                "投诉": [complaint(D(2026, 10, 31), no="1002", kind="少发")]})
    return service


def test_today_writes_every_sheet(com_engine, tmp_path):
    from shopbook.today.run import run_today

    service = today_book(tmp_path)
    cli = run_today([tmp_path / "台账.xlsx", service], as_of=AS_OF, output=tmp_path / "今日待办.xlsx").result
    message, replay = press(buttons.today_book, saved_book(service), as_of=AS_OF)
    assert replay.added == ["问题", *buttons.TODAY_SHEETS]
    assert all(replay.rows(s) for s in buttons.TODAY_SHEETS)
    total = sum(cli.counts.values())
    assert message.startswith(f"今日待办 2026-10-31 18:00:共 {total} 项") and "另读取了 台账.xlsx" in message
    overview = replay.rows("今日概览")
    assert [r[1] for r in overview[3:]] == [cli.counts[n] for n in job_lists()]
    assert overview[3][0].startswith('=HYPERLINK("#\'待办-待联系评价\'!A1"')
    reviews = replay.rows("待办-待联系评价")
    assert reviews[2][3] == "订单号" and reviews[3][3] == "1003" and replay.formats["待办-待联系评价"]["D4"] == "@"
    assert reviews[3][8].startswith('=HYPERLINK("#\'评价\'!')  # the register of this very book
    chase = replay.rows("待办-催评")
    assert str(tmp_path / "台账.xlsx") in chase[3][8]  # a row of the ledger beside it
    frozen_line(message)


def test_today_without_registers_or_ledger_writes_nothing(com_engine, tmp_path):
    book = saved_book(write(tmp_path / "客服.xlsx", {"Sheet1": [["甲", "乙"], [1, 2]]}))
    before = [s.name for s in book.sheets]
    assert entry.run(buttons.today_book, book) is None
    replay = Replay(book, before)
    assert replay.added == [] and len(replay.alerts) == 1 and "没有找到评价、投诉" in replay.alerts[0]


def job_lists():
    from shopbook.today import job
    return job.LISTS


def test_today_keeps_a_clerks_sheet_named_like_a_list(com_engine, tmp_path):
    from today_helpers import HANDOVER_HEAD, D, handover
    service = write(tmp_path / "客服.xlsx", {"交接": [HANDOVER_HEAD, handover(D(2026, 10, 31), "早班", no="1003")]})
    message, replay = press(buttons.today_book, saved_book(service), as_of=AS_OF)
    assert "交接" not in replay.deleted and "交接" not in replay.values  # the register named as a list stays
    assert "同一文件夹没有台账" in message and replay.rows("待办-交接")[3][3] == "1003"


def test_today_reads_the_orders_of_a_workbook_that_keeps_its_batch_record(tmp_path):
    """订单.xlsm after its 生成拣货单 button holds 订单 and 拣货批次: both count for 今日待办 (before,
    a workbook with a 拣货批次 sheet was taken for a pick list and its orders were left out)."""
    import datetime as dt
    from shopbook.rules import load_rules
    from shopbook.today.run import read_inputs
    from today_helpers import ORDER_HEAD, order

    record = ["批次号", "拣货时间", "订单号", "付款时间", "付款方式", "收件人", "快递公司", "商品编码", "数量", "批次状态"]
    book = write(tmp_path / "订单.xlsx", {
        "订单": [ORDER_HEAD, order("1001", placed=dt.datetime(2026, 10, 31, 9), paid=dt.datetime(2026, 10, 31, 9, 5))],
        "拣货批次": [record, ["JH20261031-01", dt.datetime(2026, 10, 31, 10), "1001", dt.datetime(2026, 10, 31, 9, 5),
                          "在线支付", "甲", "中通", "S1", 1, "未完成"]]})
    inputs = read_inputs([book], load_rules(None)[0], AS_OF)
    assert inputs.tables.orders is not None and len(inputs.tables.orders.data) == 1
    assert list(inputs.tables.batches["批次号"]) == ["JH20261031-01"] and inputs.batch_files == [book]
