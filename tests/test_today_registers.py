"""The 客服 registers (shopbook/sheets/: 评价, 投诉, 交接班, 联系记录): found by name, alias or header
row; a courier handover sheet called 交接 is not taken for the shift handover; each register check
with a small inline table."""
import datetime as dt

from conftest import write_book
from shopbook.reading.files import open_workbook
from shopbook.reading.tables import assign_sheets, read_table
from shopbook.sheets.complaints import COMPLAINTS
from shopbook.sheets.contacts import CONTACTS
from shopbook.sheets.reviews import REVIEWS
from shopbook.sheets.shift_handover import HANDOVER
from shopbook.sheets.validate import SHEET_KINDS
from today_helpers import (AS_OF, COMPLAINT_HEAD, CONTACT_HEAD, D, HANDOVER_HEAD, REVIEW_HEAD, coded, complaint,
                           day, handover, review)

SERVICE = [REVIEWS, COMPLAINTS, HANDOVER, CONTACTS]
COURIER_HANDOVER = ["日期", "快递公司", "快递员", "订单号", "快递单号", "交接件数", "状态", "备注"]


# --- finding the sheets ---------------------------------------------------------------------
def test_found_by_name_alias_and_headers(tmp_path):
    path = write_book(tmp_path / "b.xlsx", {
        "中差评跟进": [["2026年10月 中差评"], REVIEW_HEAD],  # an alias, header below a title row
        "Sheet2": [COMPLAINT_HEAD],  # headers only
        "交接": [HANDOVER_HEAD],
        "催评记录": [CONTACT_HEAD]})
    found = assign_sheets(open_workbook(path), SERVICE)
    assert found == {"评价": ("中差评跟进", 1), "投诉": ("Sheet2", 0), "交接班": ("交接", 0), "联系记录": ("催评记录", 0)}


def test_a_courier_handover_sheet_named_jiaojie_is_not_the_shift_handover(tmp_path):
    path = write_book(tmp_path / "b.xlsx", {"交接": [COURIER_HANDOVER, [D(2026, 10, 31), "中通", "王师傅", "1001", "78123", 1, "已交接", None]]})
    book = open_workbook(path)
    assert read_table(book, HANDOVER) is None
    assert assign_sheets(book, SERVICE) == {}


def test_shift_handover_headers_win_over_a_courier_sheet_in_the_same_workbook(tmp_path):
    path = write_book(tmp_path / "b.xlsx", {"交接": [COURIER_HANDOVER], "交接班记录": [HANDOVER_HEAD]})
    assert assign_sheets(open_workbook(path), SERVICE)["交接班"] == ("交接班记录", 0)


def test_the_registers_are_not_taken_for_ledger_sheets(tmp_path):
    """A 客服 workbook gives validate (and the month's folder scan) no 订单/发货/退换货 sheet."""
    path = write_book(tmp_path / "b.xlsx", {"评价": [REVIEW_HEAD], "投诉": [COMPLAINT_HEAD],
                                            "交接班": [HANDOVER_HEAD], "联系记录": [CONTACT_HEAD]})
    assert assign_sheets(open_workbook(path), [k for k, _, _ in SHEET_KINDS]) == {}


def test_headers_as_the_issue_names_them_are_accepted(tmp_path):
    path = write_book(tmp_path / "b.xlsx", {
        "投诉": [["日期", "订单号", "买家", "类型", "内容", "责任人", "处理人", "处理结果", "结案日期"]],
        "交接": [["日期", "班次", "交出人", "接手人", "事项", "关联订单/评价"]],
        "评价": [["订单号", "买家", "评价日期", "评价类型", "评价内容", "原因类别", "责任客服", "第一次跟进日期",
                "第一次跟进方式", "第一次跟进结果", "下次联系时间", "状态", "解释日期", "改好日期"]]})
    book = open_workbook(path)
    assert set(read_table(book, COMPLAINTS).letters) >= {"投诉日期", "投诉类型", "处理人", "结案日期"}
    assert set(read_table(book, HANDOVER).letters) >= {"交接日期", "关联订单", "接手人"}
    assert set(read_table(book, REVIEWS).letters) >= {"跟进1日期", "跟进1方式", "跟进1结果"}


def test_a_bad_choice_is_a_reading_finding(tmp_path):
    _, f = day(tmp_path, service={"评价": [review("1001", D(2026, 10, 30), kind="很差", f1=(D(2026, 10, 30), "微信", "x"))]})
    assert coded(f, "value-not-allowed") == ["D2", "I2"]


# --- 评价 checks ------------------------------------------------------------------------------
def test_review_not_phoned_once_it_took_effect(tmp_path):
    rows = [review("1001", D(2026, 10, 28), f1=(D(2026, 10, 28), "旺旺", "没回")),  # effective 10-31: late
            review("1002", D(2026, 10, 29), f1=(D(2026, 10, 29), "旺旺", "没回")),  # effective 11-01: not yet
            review("1003", D(2026, 10, 20), f1=(D(2026, 10, 20), "电话", "答应改")),  # phoned
            review("1004", D(2026, 10, 20), state="已改好", turned=D(2026, 10, 21)),  # settled
            review("1005", D(2026, 10, 20), kind="好评")]
    _, f = day(tmp_path, service={"评价": rows})
    assert coded(f, "review-not-phoned") == ["I2"]


def test_review_reason_missing_once_contacted(tmp_path):
    rows = [review("1001", D(2026, 10, 30), f1=(D(2026, 10, 30), "电话", "说尺码小"), nxt=D(2026, 11, 2)),
            review("1002", D(2026, 10, 30)),  # not contacted yet: no reason expected
            review("1003", D(2026, 10, 30), cause="尺码", f1=(D(2026, 10, 30), "电话", "x"), nxt=D(2026, 11, 2))]
    _, f = day(tmp_path, service={"评价": rows})
    assert coded(f, "review-reason-missing") == ["F2"]


def test_review_being_followed_needs_a_next_contact_time(tmp_path):
    rows = [review("1001", D(2026, 10, 30), cause="质量", f1=(D(2026, 10, 30), "电话", "x"), state="跟进中"),
            review("1002", D(2026, 10, 30), cause="质量", f1=(D(2026, 10, 30), "电话", "x")),  # blank 状态, contacted
            review("1003", D(2026, 10, 30), cause="质量", f1=(D(2026, 10, 30), "电话", "x"), nxt=D(2026, 11, 1),
                   state="跟进中"),
            review("1004", D(2026, 10, 30), cause="恶意", f1=(D(2026, 10, 30), "电话", "x"), state="无法联系")]
    _, f = day(tmp_path, service={"评价": rows})
    assert coded(f, "review-next-contact-missing") == ["N2", "N3"]


def test_window_closed_without_change_or_explanation(tmp_path):
    rows = [review("1001", D(2026, 9, 30), f1=(D(2026, 9, 30), "电话", "x"), state="跟进中"),  # last day 10-30
            review("1002", D(2026, 10, 1), f1=(D(2026, 10, 1), "电话", "x"), state="无法联系"),  # last day today
            review("1003", D(2026, 9, 20), state="已解释", explained=D(2026, 10, 19)),
            review("1004", D(2026, 9, 20), state="已改好", turned=D(2026, 9, 25))]
    _, f = day(tmp_path, service={"评价": rows})
    assert coded(f, "review-window-missed") == ["P2"]


def test_turned_good_credited_twice_or_to_two_people(tmp_path):
    rows = [review("1001", D(2026, 10, 5), who="吴思琪", state="已改好", turned=D(2026, 10, 6)),
            review("1001", D(2026, 10, 5), who="吴思琪", state="已改好", turned=D(2026, 10, 6)),
            review("1001", D(2026, 10, 5), who="郑凯文", state="已改好", turned=D(2026, 10, 7)),
            review("1002", D(2026, 10, 5), who="吴思琪", state="已改好", turned=D(2026, 10, 6)),
            review("1002", D(2026, 10, 5), who="吴思琪", state="跟进中")]  # only one of them credited
    result, f = day(tmp_path, service={"评价": rows})
    assert coded(f, "review-credited-twice") == ["G3"]
    assert coded(f, "review-credited-two-people") == ["G4"]
    message = f.loc[f["code"] == "review-credited-two-people", "message"].iloc[0]
    assert "第 2 行" in message and "吴思琪" in message and "郑凯文" in message
    pay = result.pay.set_index("客服")
    assert pay.loc["吴思琪", "差评改好数"] == 2 and "郑凯文" not in pay.index  # each review once, to the first row


def test_turned_or_explained_without_its_date(tmp_path):
    rows = [review("1001", D(2026, 10, 5), state="已改好"), review("1002", D(2026, 10, 5), state="已解释"),
            review("1003", D(2026, 10, 5), state="已改好", turned=D(2026, 10, 6))]
    result, f = day(tmp_path, service={"评价": rows})
    assert coded(f, "review-date-missing") == ["Q2", "P3"]
    assert result.pay.set_index("客服").loc["吴思琪", "差评改好数"] == 1


# --- 投诉 checks ------------------------------------------------------------------------------
def test_complaint_open_past_the_rules_days(tmp_path):
    rows = [complaint(D(2026, 10, 27)), complaint(D(2026, 10, 28)),  # 4 days open: late; 3 days: not yet
            complaint(D(2026, 10, 1), result="补发", closed=D(2026, 10, 2))]
    _, f = day(tmp_path, service={"投诉": rows})
    assert coded(f, "complaint-overdue") == ["I2"]


def test_complaint_days_are_a_rule(tmp_path):
    from dataclasses import replace
    from shopbook.rules import DEFAULT_RULES
    _, f = day(tmp_path, service={"投诉": [complaint(D(2026, 10, 28))]}, rules=replace(DEFAULT_RULES, complaint_days=2))
    assert coded(f, "complaint-overdue") == ["I2"]


def test_closed_complaint_names_its_handler_and_result(tmp_path):
    rows = [complaint(D(2026, 10, 20), who=None, result="补发", closed=D(2026, 10, 21)),
            complaint(D(2026, 10, 20), result=None, closed=D(2026, 10, 21)),
            complaint(D(2026, 10, 30), who=None)]  # open: nobody has to be named yet
    _, f = day(tmp_path, service={"投诉": rows})
    assert coded(f, "complaint-part-missing") == ["G2", "H3"]


# --- 交接班 checks ----------------------------------------------------------------------------
def test_handover_nobody_took_over(tmp_path):
    rows = [handover(D(2026, 10, 31), "早班"),  # the 晚班 (on now) takes it: fine
            handover(D(2026, 10, 30), "晚班"),  # today's 早班 ended at 17:30 without taking it
            handover(D(2026, 10, 30), "早班", taker="小丽"),
            handover(D(2026, 10, 29), "晚班", state="已处理"),
            handover(D(2026, 10, 30), None)]  # no 班次: the day's last shift
    _, f = day(tmp_path, service={"交接班": rows})
    assert coded(f, "handover-not-taken") == ["D3", "D6"]


def test_handover_shift_must_be_a_rules_shift(tmp_path):
    _, f = day(tmp_path, service={"交接班": [handover(D(2026, 10, 31), "中班"), handover(D(2026, 10, 31), "晚班")]})
    assert coded(f, "handover-shift-unknown") == ["B2"]


def test_shifts_come_from_the_rules(tmp_path):
    from dataclasses import replace
    from shopbook.rules import DEFAULT_RULES, Shift
    rules = replace(DEFAULT_RULES, shifts=(Shift("白班", dt.time(9)), Shift("夜班", dt.time(21))))
    rows = [handover(D(2026, 10, 30), "白班"), handover(D(2026, 10, 31), "晚班")]
    result, f = day(tmp_path, service={"交接班": rows}, rules=rules, as_of=D(2026, 10, 31, 18))
    assert coded(f, "handover-shift-unknown") == ["B3"]
    assert coded(f, "handover-not-taken") == ["D2"]  # 白班 10-30 → 夜班 10-30 → 白班 10-31 began 09:00
    assert result.shift == (dt.date(2026, 10, 31), "白班")
