"""Entry points for the workbook buttons: each VBA sub in macros/ is one line
`RunPython "import shopbook.excel.entry as e; e.<name>()"`.

Each passes the calling workbook (`xw.Book.caller()`) to its button function and shows the
result in a message box. Input the job cannot use (`UnusableInput`) is shown as a plain
message; anything else is a bug and reaches xlwings' traceback dialog for the report.
"""
from __future__ import annotations

import xlwings as xw

from shopbook.excel import buttons
from shopbook.reading.files import UnusableInput

TITLE = "shopbook"


def run(button, book=None) -> str | None:
    """Run one button on `book` (default: the workbook whose button was pressed)."""
    book = book if book is not None else xw.Book.caller()
    try:
        message = button(book)
    except UnusableInput as exc:
        book.app.alert(str(exc), title=TITLE, mode="critical")
        return None
    book.app.alert(message, title=TITLE, mode="info")
    return message


def validate() -> None:
    """校验 button (订单/发货/退换货/库存)."""
    run(buttons.validate_book)
