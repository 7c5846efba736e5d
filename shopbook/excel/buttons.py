"""One small function per workbook button: read the sheets through xlwings, call the same
library functions as the CLI, write the results back (SPEC §Excel).

Each takes the xlwings Book (`xw.Book.caller()` in Excel, `xw.Book(json=...)` in the tests
and on a server) and returns the one-line Chinese summary the entry point shows. Input
the job cannot use raises `UnusableInput`, whose message the entry point shows as is.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from shopbook.excel.book import book_path, read_workbook
from shopbook.excel.results import show_findings
from shopbook.reading.files import UnusableInput
from shopbook.rules import load_rules
from shopbook.validate import validate
from shopbook.writing.annotate import ISSUES_SHEET

RULES_WORKBOOK = "规则.xlsx"  # kept next to the shop's workbooks (template: workbooks/规则.xlsx)

# sheets the buttons write; never read back as input
OUTPUT_SHEETS = (ISSUES_SHEET,)


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def rules_path_for(book) -> Path | None:
    """The rules workbook beside this workbook, when there is one."""
    folder = book_path(book).parent
    candidate = folder / RULES_WORKBOOK
    return candidate if folder != Path(".") and candidate.exists() else None


def counts_text(findings) -> str:
    severity = findings["severity"].value_counts()
    return f"错误 {severity.get('error', 0)},警告 {severity.get('warning', 0)},提示 {severity.get('info', 0)}"


def validate_book(book, as_of: dt.datetime | None = None, rules_path: Path | None = None) -> str:
    """校验: check every 订单/发货/退换货/库存 sheet of the book and mark what is wrong."""
    rules, rule_findings = load_rules(rules_path or rules_path_for(book))
    result = validate(read_workbook(book, skip=OUTPUT_SHEETS), rules, as_of or now(), rule_findings)
    if not result.rows_checked:
        raise UnusableInput(f"{book.name}: 这个工作簿里没有找到订单、发货、退换货或库存表"
                            f"(按工作表名或表头查找)。请检查表头是否为 订单号、快递单号、商品编码 等。")
    unmarked = show_findings(book, result.findings)
    checked = ",".join(f"{sheet} {n} 行" for sheet, n in result.rows_checked.items())
    message = f"校验完成({checked}):{counts_text(result.findings)}。每条问题都列在「{ISSUES_SHEET}」表。"
    if unmarked:
        message += f"问题单元格太多,另有 {unmarked} 个单元格没有标色,请看「{ISSUES_SHEET}」表。"
    return message
