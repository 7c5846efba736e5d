"""Entry points for the workbook buttons: each VBA sub in macros/ is one line
`RunPython "import shopbook.excel.entry as e; e.<name>()"`.

Each passes the calling workbook (`xw.Book.caller()`) to its button function and shows the
result in a message box. Input the job cannot use (`UnusableInput`) is shown as a plain
message; anything else is a bug and reaches xlwings' traceback dialog for the report.
Formatting the engine cannot do (shopbook.excel.engine) is skipped and named once at the end
of the message.
"""
from __future__ import annotations

from contextlib import contextmanager

import xlwings as xw

from shopbook.excel import buttons, engine
from shopbook.core.errors import UnusableInput

TITLE = "shopbook"


def run(button, book=None) -> str | None:
    """Run one button on `book` (default: the workbook whose button was pressed)."""
    book = book if book is not None else xw.Book.caller()
    try:
        with screen_paused(book.app), engine.collect() as skipped:
            message = button(book)
    except UnusableInput as exc:
        book.app.alert(str(exc), title=TITLE, mode="critical")
        return None
    if skipped:  # formatting this Excel cannot do: said once, the results are all written
        message += "\n" + engine.skipped_text(skipped)
    book.app.alert(message, title=TITLE, mode="info")
    return message


@contextmanager
def screen_paused(app):
    """Excel does not redraw while the job writes (thousands of fills and notes draw much
    faster unseen); engines that cannot report the setting are left alone."""
    try:
        updating = app.screen_updating
    except NotImplementedError:
        yield
        return
    app.screen_updating = False
    try:
        yield
    finally:
        app.screen_updating = updating


def validate() -> None:
    """校验 button (订单/发货/退换货/库存)."""
    run(buttons.validate_book)


def picklist() -> None:
    """生成拣货单 button (订单, with 库存/发货 in the book or beside it)."""
    run(buttons.picklist_book)


def reconcile() -> None:
    """快递对账 button (the bill sheets of 快递对账, the register beside it)."""
    run(buttons.reconcile_book)


def payroll() -> None:
    """计算工资 button (工资)."""
    run(buttons.payroll_book)


def handover() -> None:
    """打印交接单 button (发货, with 快递交接 in the book or beside it)."""
    run(buttons.handover_book)


def today() -> None:
    """今日待办 button (客服: 评价, 投诉, 交接班, 联系记录, with the ledger beside it)."""
    run(buttons.today_book)


# every entry point a macro may call (tests check each VBA sub calls one of these)
ENTRY_POINTS = ("validate", "picklist", "reconcile", "payroll", "handover", "today")
