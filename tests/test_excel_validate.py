"""The 校验 button run on xlwings' remote Book (the real xlwings API, no Excel needed).

Each test builds a workbook, turns it into the payload Excel's client sends, runs the
button function and checks the actions that would go back to Excel.
"""
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment

from excel_payload import Replay, remote_book, run_button
from shopbook.excel import results
from shopbook.excel.book import read_workbook
from shopbook.excel.buttons import validate_book
from shopbook.core.errors import UnusableInput
from shopbook.reading.files import open_workbook
from shopbook.rules import DEFAULT_RULES
from shopbook.sheets.run import validate_books as validate

AS_OF = dt.datetime(2026, 10, 10, 18, 0)
GOLDEN = Path(__file__).parent / "golden"
HEADER = ["订单号", "下单时间", "付款时间", "收件人", "手机", "省", "详细地址", "商品编码", "数量", "单价", "实付金额"]
GOOD = ["T1", dt.datetime(2026, 10, 5, 10), dt.datetime(2026, 10, 5, 10, 5), "张三", "13812345678", "广东",
        "广东省深圳市南山区科技园1号", "SKU1", 1, 10, 10]


def orders_book(tmp_path, *rows, name="订单.xlsx", extra=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订单"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    if extra:
        extra(wb)
    path = tmp_path / name
    wb.save(path)
    return path


def order(number="T1", **changes):
    """A good order line, with some columns changed."""
    row = dict(zip(HEADER, GOOD), 订单号=number)
    row.update(changes)
    return [row[h] for h in HEADER]


def bad_phone(phone="12345", number="T1"):
    return order(number, 手机=phone)


def run(path, **kwargs):
    return run_button(validate_book, path, as_of=AS_OF, **kwargs)


def test_reading_through_xlwings_gives_the_same_findings_as_the_file_reader():
    path = GOLDEN / "messy.xlsx"
    from_file = validate(open_workbook(path), DEFAULT_RULES, AS_OF).findings
    from_excel = validate(read_workbook(remote_book(path)), DEFAULT_RULES, AS_OF).findings
    assert from_excel.to_dict("records") == from_file.to_dict("records")


def test_golden_workbook_lists_every_finding_in_the_issues_sheet():
    _, replay, _ = run(GOLDEN / "messy.xlsx")
    rows = replay.rows("问题")
    header = rows[0]
    listed = [f"{r[header.index('工作表')]} {cell_text(r[header.index('单元格')]) or '-'} {r[header.index('代码')]}"
              for r in rows[1:]]
    assert listed == (GOLDEN / "messy.findings.txt").read_text(encoding="utf-8").splitlines()


def cell_text(value):
    """'C5' from the link formula =HYPERLINK("#'订单'!C5","C5")."""
    return value.rsplit(",", 1)[1].strip('")') if isinstance(value, str) and value.startswith("=") else value


def test_bad_cells_get_a_fill_and_a_note_by_severity(tmp_path):
    path = orders_book(tmp_path, order("T1"), bad_phone(number="T2"), order("T3", 实付金额=12))
    message, replay, _ = run(path)
    assert replay.fills["订单"]["E3"] == "#FFC7CE"  # error: phone-invalid
    assert replay.fills["订单"]["K4"] == "#FFEB9C"  # warning: amount-mismatch
    assert replay.notes["订单"]["E3"].startswith("【错误】「手机」的值 12345 不是有效的手机号")
    assert replay.notes["订单"]["E3"].endswith("(phone-invalid)")
    assert "错误 1,警告 1" in message


def test_info_findings_get_a_note_but_no_fill(tmp_path):
    _, replay, _ = run(orders_book(tmp_path, order(付款时间=None)))
    assert "payment-chase" in replay.notes["订单"]["C2"]
    assert "C2" not in replay.fills.get("订单", {})


def test_clerks_values_are_never_written(tmp_path):
    _, replay, _ = run(orders_book(tmp_path, order("T1"), bad_phone(number="T2")))
    assert set(replay.values) == {"问题"}


def test_issues_sheet_is_first_links_to_each_cell_and_keeps_values_as_text(tmp_path):
    def formula_like_text(wb):
        wb["订单"]["E2"].data_type = "s"  # text that starts with '=', as typed after a quote
    _, replay, _ = run(orders_book(tmp_path, bad_phone("=1+1"), extra=formula_like_text))
    assert replay.sheets[0] == "问题"
    rows = replay.rows("问题")
    assert rows[0] == ["序号", "严重程度", "工作表", "行", "列", "单元格", "代码", "问题", "说明", "原值", "标注"]
    phone = next(r for r in rows if r[6] == "phone-invalid")
    assert phone[5] == '=HYPERLINK("#\'订单\'!E2","E2")'
    assert phone[7] == "手机号无效"  # the code's title beside it
    assert phone[9] == "=1+1"  # written as text: the format below makes Excel keep it
    formats = replay.formats["问题"]
    assert formats["J2"] == formats["I2"] == formats["H2"] == formats["C2"] == "@"
    assert "F2" not in formats and "A2" not in formats
    assert phone[10] == "底色+批注"


def test_ids_as_read_keep_every_digit_in_the_issues_sheet(tmp_path):
    _, replay, _ = run(orders_book(tmp_path, order(手机=13812345678)))
    found = {r[6]: r for r in replay.rows("问题")[1:]}
    assert found["id-stored-as-number"][9] == "13812345678"
    assert replay.formats["问题"]["J2"] == "@"


def test_no_findings_still_writes_the_issues_sheet(tmp_path):
    message, replay, _ = run(orders_book(tmp_path, order()))
    assert replay.rows("问题")[1][8] == "没有发现问题。"
    assert "错误 0,警告 0,提示 0" in message


def test_issues_sheet_is_replaced_not_added_twice(tmp_path):
    def old_issues(wb):
        ws = wb.create_sheet("问题", 0)
        ws.append(["序号", "严重程度", "工作表", "行", "列", "单元格", "代码", "说明", "原值", "标注"])
    _, replay, _ = run(orders_book(tmp_path, bad_phone(), extra=old_issues))
    assert replay.deleted == ["问题"]
    assert replay.added == ["问题"]
    assert replay.sheets == ["问题", "订单"]


def test_a_rerun_removes_its_own_marks_and_leaves_the_clerks_note(tmp_path):
    def after_first_run(wb):
        ws = wb["订单"]
        ws["E2"].comment = Comment("【错误】旧的问题(phone-invalid)", "shopbook")  # ours, now fixed
        ws["D2"].comment = Comment("顾客要求改地址", "小王")  # the clerk's own
        issues = wb.create_sheet("问题", 0)
        issues.append(["序号", "严重程度", "工作表", "行", "列", "单元格", "代码", "说明", "原值", "标注"])
        issues.append([1, "错误", "订单", 2, "手机", "E2", "phone-invalid", "…", "1", "底色+批注"])
    _, replay, _ = run(orders_book(tmp_path, order(), extra=after_first_run))
    assert replay.notes["订单"]["E2"] is None  # our old note deleted
    assert replay.fills["订单"]["E2"] is None  # our old fill cleared
    assert "D2" not in replay.notes["订单"]  # the clerk's note untouched


def test_a_clerks_note_on_a_bad_cell_is_kept_and_the_issue_still_listed(tmp_path):
    def clerk_note(wb):
        wb["订单"]["E2"].comment = Comment("顾客说这是座机", "小王")
    _, replay, _ = run(orders_book(tmp_path, bad_phone(), extra=clerk_note))
    assert "E2" not in replay.notes.get("订单", {})
    assert replay.fills["订单"]["E2"] == "#FFC7CE"
    phone = next(r for r in replay.rows("问题") if r[6] == "phone-invalid")
    assert phone[10] == "底色"  # the remote engine cannot read the clerk's note: it stays as it is


def test_past_the_mark_limit_errors_are_marked_first_and_the_rest_only_listed(tmp_path, monkeypatch):
    monkeypatch.setattr(results, "MARK_LIMIT", 2)
    rows = [order("T1", 付款时间=None), order("T2", 付款时间=None, 手机="12345"),
            order("T3", 付款时间=None, 手机="54321")]
    message, replay, _ = run(orders_book(tmp_path, *rows))
    assert set(replay.notes["订单"]) == {"E3", "E4"}  # the two errors, not the info cells
    assert "另有 3 个单元格没有标色" in message
    unmarked = [r for r in replay.rows("问题")[1:] if r[6] == "payment-chase"]
    assert all(r[9] == "" for r in unmarked)


def test_a_workbook_without_shop_sheets_is_unusable_input(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["随便", "什么"])
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(UnusableInput, match="没有找到订单、发货、退换货或库存表"):
        run(tmp_path / "other.xlsx")


def test_the_issues_sheet_is_not_read_as_input(tmp_path):
    def issues_like_orders(wb):
        ws = wb.create_sheet("问题", 0)
        ws.append(HEADER)  # even if it looked like an orders sheet
        ws.append(bad_phone())
    _, replay, _ = run(orders_book(tmp_path, order(), extra=issues_like_orders))
    assert all(r[2] != "问题" for r in replay.rows("问题")[1:])


def test_a_rules_workbook_next_to_the_book_is_used(tmp_path):
    rules = openpyxl.Workbook()
    rules.active.title = "参数"
    rules.active.append(["参数", "值"])
    rules.active.append(["实付容差(元)", 5])
    rules.save(tmp_path / "规则.xlsx")
    path = orders_book(tmp_path, order(实付金额=12))  # 12 vs 10: within a 5 yuan tolerance
    book = remote_book(path)
    book.impl.api["book"]["name"] = str(path)  # as Excel reports a saved workbook's full name
    message = validate_book(book, as_of=AS_OF)
    assert "警告 0" in message
