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
