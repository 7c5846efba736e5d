"""Each 今日待办 list with a small inline table: what is on it, its deadline, its source row; 催付 and
超时未发货 are validate's own findings; the month's pay counts; lists without their sheets."""
from dataclasses import replace

import pandas as pd

from shopbook.sheets.orders import check_payment_chase
from shopbook.picking.job import RECORD_COLUMNS
from shopbook.reading.files import open_workbook
from shopbook.rules import DEFAULT_RULES
from shopbook.sheets.shipping import check_overdue
from shopbook.today import job
from shopbook.sheets.validate import load_sheets
from today_helpers import (AS_OF, D, books, coded, complaint, contact, day, handover, listed, order, parcel,
                           review)


# --- 待联系评价 ---------------------------------------------------------------------------------
def test_reviews_to_contact(tmp_path):
    rows = [review("1001", D(2026, 10, 31, 9)),  # new: phone before it takes effect (11-03)
            review("1002", D(2026, 10, 31, 10), cause="心情"),  # 心情, written today: tomorrow
            review("1003", D(2026, 10, 30, 22), cause="心情"),  # 心情, yesterday: today
            review("1004", D(2026, 10, 25), cause="质量", f1=(D(2026, 10, 25), "电话", "约了"), nxt=D(2026, 10, 31, 10),
                   state="跟进中"),  # follow-up due this morning
            review("1005", D(2026, 10, 25), cause="质量", f1=(D(2026, 10, 25), "电话", "约了"), nxt=D(2026, 10, 31, 19),
                   state="跟进中"),  # due tonight: not yet
            review("1006", D(2026, 10, 25), state="已改好", turned=D(2026, 10, 26)),
            review("1007", D(2026, 10, 25), cause="恶意", f1=(D(2026, 10, 25), "电话", "关机"), state="无法联系"),
            review("1008", D(2026, 10, 31), kind="好评"),
            review("1009", D(2026, 10, 20), f1=(D(2026, 10, 20), "旺旺", "没回"), state="跟进中")]  # never phoned
    result, _ = day(tmp_path, service={"评价": rows})
    assert listed(result, job.REVIEWS_DUE) == [
        ("1009", "2026-10-23", "评价", 10), ("1004", "2026-10-31 10:00", "评价", 5),
        ("1003", "2026-10-31", "评价", 4), ("1001", "2026-11-03", "评价", 2)]  # a day's deadline is its end
    items = result.lists[job.REVIEWS_DUE]
    assert list(items["overdue"]) == [True, True, False, False]
    assert items.loc[0, "who"] == "吴思琪" and "已于 10-23 生效" in items.loc[0, "reason"]
    assert "心情" in items.loc[2, "reason"]


def test_mood_and_effect_days_are_rules(tmp_path):
    rules = replace(DEFAULT_RULES, mood_callback_days=2, review_effect_days=5)
    rows = [review("1001", D(2026, 10, 31, 9)), review("1003", D(2026, 10, 30, 22), cause="心情")]
    result, _ = day(tmp_path, service={"评价": rows}, rules=rules)
    assert listed(result, job.REVIEWS_DUE) == [("1001", "2026-11-05", "评价", 2)]


# --- 即将锁定 ---------------------------------------------------------------------------------
def test_reviews_about_to_lock(tmp_path):
    rows = [review("1001", D(2026, 10, 1), f1=(D(2026, 10, 1), "电话", "x"), state="无法联系"),  # last day today
            review("1002", D(2026, 10, 4, 15), f1=(D(2026, 10, 4), "电话", "x"), nxt=D(2026, 11, 2), state="跟进中"),
            review("1003", D(2026, 10, 5), f1=(D(2026, 10, 5), "电话", "x"), nxt=D(2026, 11, 2)),  # 5 days left
            review("1004", D(2026, 10, 2), state="已解释", explained=D(2026, 10, 30)),
            review("1005", D(2026, 9, 30), f1=(D(2026, 9, 30), "电话", "x"), state="跟进中")]  # already locked
    result, f = day(tmp_path, service={"评价": rows})
    assert listed(result, job.LOCKING) == [("1001", "2026-10-31", "评价", 2), ("1002", "2026-11-03", "评价", 3)]
    assert "今天是最后一天" in result.lists[job.LOCKING].loc[0, "reason"]
    assert coded(f, "review-window-missed") == ["P6"]


def test_lock_warning_days_are_a_rule(tmp_path):
    rows = [review("1003", D(2026, 10, 5), f1=(D(2026, 10, 5), "电话", "x"), nxt=D(2026, 11, 2))]
    result, _ = day(tmp_path, service={"评价": rows}, rules=replace(DEFAULT_RULES, review_warn_days=5))
    assert listed(result, job.LOCKING) == [("1003", "2026-11-04", "评价", 2)]


# --- 交接 --------------------------------------------------------------------------------------
def test_handover_items_not_taken_over(tmp_path):
    rows = [handover(D(2026, 10, 31), "早班", no="1001"),  # handed to the 晚班 that began 17:30
            handover(D(2026, 10, 31), "晚班", no="1002"),  # this shift's own notes: not yet
            handover(D(2026, 10, 30), "晚班", no="1003"),  # older, still nobody
            handover(D(2026, 10, 31), "早班", taker="小丽", no="1004"),
            handover(D(2026, 10, 31), "早班", state="已处理", no="1005")]
    result, _ = day(tmp_path, service={"交接班": rows})
    assert listed(result, job.HANDOVER) == [("1003", "2026-10-31 08:30", "交接班", 4),
                                            ("1001", "2026-10-31 17:30", "交接班", 2)]
    assert result.lists[job.HANDOVER].loc[0, "who"] == "小美"
    early, _ = day(tmp_path, service={"交接班": rows}, as_of=D(2026, 10, 31, 12))
    assert listed(early, job.HANDOVER) == [("1003", "2026-10-31 08:30", "交接班", 4)]


# --- 截单 --------------------------------------------------------------------------------------
def records(*rows):
    """拣货批次 lines: (批次号, 订单号)."""
    return pd.DataFrame([{**dict.fromkeys(RECORD_COLUMNS), "批次号": b, "拣货时间": pd.Timestamp("2026-10-31 14:00"),
                          "订单号": o, "商品编码": "A1", "数量": 1} for b, o in rows], columns=RECORD_COLUMNS)


def test_cut_off_orders_on_an_open_batch(tmp_path):
    orders = [order("1001", flag="蓝", remark="10/31 拍错 运费无 小美", status="退款中"),
              order("1002", flag="绿", remark="10/31 改地址 小丽"),
              order("1003", status="已关闭"),
              order("1004"),  # fine: the warehouse packs it
              order("1005", flag="蓝", remark="10/31 退款 小美"),  # blocked, but already in the register
              order("1006", flag="蓝", remark="10/31 退款 小美")]  # blocked, on a batch that is closed
    ledger = {"订单": orders, "发货": [parcel("1005", sent=D(2026, 10, 31), signed=None)]}
    batches = records(("JH20261031-01", "1001"), ("JH20261031-01", "1002"), ("JH20261031-01", "1003"),
                      ("JH20261031-01", "1004"), ("JH20261031-01", "1005"), ("JH20261030-01", "1006"))
    batches.loc[batches["批次号"] == "JH20261030-01", "订单号"] = "1006"
    result, _ = day(tmp_path, ledger=ledger, batches=batches)
    got = listed(result, job.CUT_OFF)
    assert [g[0] for g in got] == ["1001", "1002", "1003", "1006"]
    assert all(g[1] == "2026-10-31 18:00" and g[2] == "订单" for g in got)
    reason = result.lists[job.CUT_OFF].set_index("order").loc["1002", "reason"]
    assert "绿旗" in reason and "JH20261031-01" in reason


def test_cut_off_needs_the_batch_record(tmp_path):
    result, f = day(tmp_path, ledger={"订单": [order("1001", flag="蓝", remark="10/31 退款 小美")]})
    assert result.skipped[job.CUT_OFF] == "拣货批次记录(拣货单.xlsx)"
    assert job.CUT_OFF in set(f.loc[f["code"] == "today-list-skipped", "sheet"])


def test_the_batch_record_is_read_from_the_picklist_workbook(tmp_path):
    """拣货单.xlsx beside the ledger (where `shopbook picklist` writes it) is read by default."""
    from shopbook.picking.xlsx import write_picklist
    from shopbook.picking.job import batch_result
    from shopbook.today.run import read_inputs
    paths = books(tmp_path, ledger={"订单": [order("1001", flag="蓝", remark="10/31 退款 小美", status="退款中")]})
    rec = records(("JH20261031-01", "1001"))
    result = batch_result(rec, "JH20261031-01")
    write_picklist(tmp_path / "拣货单.xlsx", result, rec, pd.DataFrame({"状态": ["未完成"]}, index=["JH20261031-01"]))
    inputs = read_inputs(paths, DEFAULT_RULES, AS_OF)
    assert inputs.batch_files == [tmp_path / "拣货单.xlsx"]
    assert list(inputs.tables.batches["订单号"]) == ["1001"]
    given = read_inputs([tmp_path / "拣货单.xlsx", *paths], DEFAULT_RULES, AS_OF)  # its lists are not orders
    assert given.tables.orders.sheet == "订单" and given.sources["订单"][0] == paths[0]


# --- 退款维权 ----------------------------------------------------------------------------------
def test_refunds_and_platform_disputes_oldest_first(tmp_path):
    orders = [order("1001", flag="蓝", remark="10/30 不要了 运费无 小美", status="退款中"),
              order("1002", flag="蓝", remark="10/20 尺码 运费买家 小丽", status="退款中", agent=None),
              order("1003", status="退款中"),
              order("1004", status="已完成")]
    ledger = {"订单": orders, "退换货": [[D(2026, 10, 27), "1001", "仅退款", "不想要了", D(2026, 10, 26), "待处理", "阿芳"]]}
    service = {"投诉": [complaint(D(2026, 10, 25), no="1003", kind="维权", content="描述不符"),
                      complaint(D(2026, 10, 20), no="1004", kind="维权", result="已撤销", closed=D(2026, 10, 22))]}
    result, _ = day(tmp_path, ledger=ledger, service=service)
    items = result.lists[job.REFUNDS]
    assert list(zip(items["order"], items["sheet"])) == [("1002", "订单"), ("1003", "投诉"), ("1001", "订单")]
    assert list(items["reason"]) == ["退款中 11 天(10-20 申请)", "维权 6 天(10-25 起),订单退款中", "退款中 5 天(10-26 申请)"]
    assert list(items["who"]) == ["小丽", "吴思琪", "阿芳"]


# --- 重拍 / 催付 -------------------------------------------------------------------------------
def test_reordered_unpaid_orders_are_closed_not_chased(tmp_path):
    orders = [order("1001", paid=None, status="待付款", buyer="果果", address="人民路2号"),
              order("1002", buyer="果果", address="人民路2号"),  # the re-placed, paid order
              order("1003", paid=None, status="待付款", buyer="果果", address="解放路9号"),  # another address
              order("1004", paid=None, status="已关闭", buyer="果果", address="人民路2号")]
    result, _ = day(tmp_path, ledger={"订单": orders})
    assert listed(result, job.REORDERED) == [("1001", "2026-10-31 18:00", "订单", 2)]
    assert "1002" in result.lists[job.REORDERED].loc[0, "reason"]
    assert [i[0] for i in listed(result, job.PAYMENT)] == ["1003"]


def test_payment_chase_and_overdue_are_validates_findings(tmp_path):
    orders = [order("1001", placed=D(2026, 10, 31, 9), paid=None, status="待付款", buyer="果果"),
              order("1002", placed=D(2026, 10, 31, 17), paid=None, status="待付款", buyer="豆豆"),  # after 16:00
              order("1003", placed=D(2026, 10, 29, 9), paid=D(2026, 10, 29, 9, 5)),  # should have shipped 10-29
              order("1004", placed=D(2026, 10, 30, 17), paid=D(2026, 10, 30, 17, 5)),  # ships 10-31: not late yet
              order("1005", placed=D(2026, 10, 29, 9), paid=D(2026, 10, 29, 9, 5), status="已发货")]
    ledger = {"订单": orders, "发货": [parcel("1005", sent=D(2026, 10, 29), signed=None)]}
    result, _ = day(tmp_path, ledger=ledger)
    sheets = load_sheets(open_workbook(tmp_path / "台账.xlsx"), DEFAULT_RULES, AS_OF)
    assert [i[3] for i in listed(result, job.PAYMENT)] == list(check_payment_chase(sheets)["row"]) == [2]
    assert [i[3] for i in listed(result, job.OVERDUE)] == list(check_overdue(sheets)["row"]) == [4]
    assert listed(result, job.PAYMENT)[0][1] == "2026-10-31 16:00"
    assert listed(result, job.OVERDUE)[0][1] == "2026-10-29"


# --- 货到付款待联系 -----------------------------------------------------------------------------
def test_cod_orders_not_contacted(tmp_path):
    orders = [order("1001", placed=D(2026, 10, 31, 17, 10), paid=None, payment="货到付款"),  # due 17:40: late
              order("1002", placed=D(2026, 10, 31, 17, 50), paid=None, payment="货到付款"),  # due 18:20
              order("1003", placed=D(2026, 10, 31, 16), paid=None, payment="货到付款"),  # contacted (log)
              order("1004", placed=D(2026, 10, 30, 9), paid=None, payment="货到付款", status="已发货")]
    service = {"联系记录": [contact(D(2026, 10, 31, 16, 10), "1003", reason="货到付款", who="小美", method="电话")]}
    result, _ = day(tmp_path, ledger={"订单": orders}, service=service)
    assert listed(result, job.COD) == [("1001", "2026-10-31 17:40", "订单", 2), ("1002", "2026-10-31 18:20", "订单", 3)]
    assert list(result.lists[job.COD]["overdue"]) == [True, False]


def test_cod_contact_time_on_the_order_sheet(tmp_path):
    from conftest import write_book
    from today_helpers import ORDER_HEAD
    rows = [order("1001", placed=D(2026, 10, 31, 17, 10), paid=None, payment="货到付款") + [D(2026, 10, 31, 17, 20)],
            order("1002", placed=D(2026, 10, 31, 17, 10), paid=None, payment="货到付款") + [None]]
    write_book(tmp_path / "台账.xlsx", {"订单": [ORDER_HEAD + ["联系时间"], *rows]})
    from shopbook.today.run import read_inputs
    inputs = read_inputs([tmp_path / "台账.xlsx"], DEFAULT_RULES, AS_OF)
    result, _ = job.compute(inputs.tables, replace(DEFAULT_RULES, cod_contact_minutes=60), AS_OF)
    assert listed(result, job.COD) == [("1002", "2026-10-31 18:10", "订单", 3)]


# --- 少发补发 / 异常件 -------------------------------------------------------------------------
def test_short_shipments_without_a_same_day_resend(tmp_path):
    ledger = {
        "订单": [order(n, status="已完成") for n in ("1001", "1002", "1003", "1004", "1005")],
        "发货": [parcel("1002", sent=D(2026, 10, 30), signed=None, kind="补发"),
                 parcel("1003", sent=D(2026, 10, 31), signed=None, kind="补发"),
                 parcel("1004", sent=D(2026, 10, 1), signed=None, kind="补发")],  # a resend before the case
        "退换货": [[D(2026, 10, 28), "1005", "换货", "漏发", D(2026, 10, 28), "待寄回", "阿芳"],
                   [D(2026, 10, 28), "1001", "仅退款", "少发", D(2026, 10, 28), "已退款", "阿芳"]]}  # refunded instead
    service = {"投诉": [complaint(D(2026, 10, 31), no="1001", kind="少发"),
                      complaint(D(2026, 10, 30), no="1002", kind="少发"),  # resent the same day
                      complaint(D(2026, 10, 30), no="1003", kind="漏发"),  # resent the next day: a finding
                      complaint(D(2026, 10, 29), no="1004", kind="少发")]}
    result, f = day(tmp_path, ledger=ledger, service=service)
    assert listed(result, job.SHORT) == [("1005", "2026-10-28", "退换货", 2), ("1004", "2026-10-29", "投诉", 5),
                                         ("1001", "2026-10-31", "投诉", 2)]
    assert coded(f, "short-resend-late") == ["A4"]


def test_abnormal_parcels_without_a_follow_up(tmp_path):
    from conftest import write_book
    from today_helpers import SHIP_HEAD
    rows = [parcel("1001", state="丢件", reason="中转丢失", signed=None) + [None],
            parcel("1002", state="破损", reason="压坏", signed=None) + ["快递已赔付"],
            parcel("1003", state="拒收", reason="不要了", signed=None) + [None],
            parcel("1003", sent=D(2026, 10, 25), kind="补发", signed=None) + [None],  # resent after it
            parcel("1004", state="无法送达", reason="地址错", signed=None) + [None],
            parcel("1005", sent=D(2026, 10, 21), state="拒收", reason="不要了", signed=None) + [None]]
    write_book(tmp_path / "台账.xlsx", {"发货": [SHIP_HEAD + ["处理结果"], *rows],
                                        "退换货": [["订单号", "类型", "原因"], ["1004", "仅退款", "无法送达"]]})
    from shopbook.today.run import read_inputs
    inputs = read_inputs([tmp_path / "台账.xlsx"], DEFAULT_RULES, AS_OF)
    result, _ = job.compute(inputs.tables, DEFAULT_RULES, AS_OF)
    assert [(i[0], i[3]) for i in listed(result, job.ABNORMAL)] == [("1001", 2), ("1005", 7)]
    assert result.lists[job.ABNORMAL].loc[0, "reason"] == "丢件(中转丢失),10-20 发出,还没有处理结果"


# --- 催评 --------------------------------------------------------------------------------------
def test_chase_reviews_seven_days_after_signing(tmp_path):
    signed = {"1001": D(2026, 10, 24), "1002": D(2026, 10, 25), "1003": D(2026, 10, 16), "1004": D(2026, 10, 15),
              "1005": D(2026, 10, 20), "1006": D(2026, 10, 20), "1007": D(2026, 10, 20), "1008": D(2026, 10, 20)}
    ledger = {"订单": [order(n, status="已完成") for n in signed] + [],
              "发货": [parcel(n, sent=s - pd.Timedelta(days=3), signed=s) for n, s in signed.items()]}
    ledger["订单"][7] = order("1008", status="退款中", flag="蓝", remark="10/29 退款 小美")
    service = {"评价": [review("1005", D(2026, 10, 22), kind="好评")],
               "联系记录": [contact(D(2026, 10, 28, 10), "1006")]}
    ledger["退换货"] = [[D(2026, 10, 26), "1007", "退货", "不喜欢", D(2026, 10, 26), "已寄回", "阿芳"]]
    result, _ = day(tmp_path, ledger=ledger, service=service)
    assert [(i[0], i[1]) for i in listed(result, job.CHASE)] == [("1003", "2026-10-31"), ("1001", "2026-11-08")]
    rules = replace(DEFAULT_RULES, review_chase_days=6, review_period_days=16)
    result, _ = day(tmp_path, ledger=ledger, service=service, rules=rules)
    assert [i[0] for i in listed(result, job.CHASE)] == ["1004", "1003", "1001", "1002"]


# --- the whole day ---------------------------------------------------------------------------------
def test_lists_without_their_sheets_are_skipped_with_a_finding(tmp_path):
    result, f = day(tmp_path, service={"评价": [review("1001", D(2026, 10, 31, 9))]})
    assert set(result.skipped) == set(job.LISTS) - {job.REVIEWS_DUE, job.LOCKING}
    assert set(f.loc[f["code"] == "today-list-skipped", "sheet"]) == set(result.skipped)
    assert result.counts[job.REVIEWS_DUE] == 1 and result.counts[job.CHASE] == 0


def test_pay_counts_for_the_month(tmp_path):
    service = {
        "评价": [review("1001", D(2026, 10, 3), who="吴思琪", state="已改好", turned=D(2026, 10, 5)),
                review("1002", D(2026, 9, 28), who="吴思琪", state="已改好", turned=D(2026, 10, 2)),  # Sept. 差评
                review("1003", D(2026, 10, 20), who="郑凯文", kind="中评", state="已改好", turned=D(2026, 11, 1)),
                review("1004", D(2026, 10, 20), who="郑凯文"), review("1005", D(2026, 10, 20), who=None)],
        "投诉": [complaint(D(2026, 10, 1), who="郑凯文", result="补发", closed=D(2026, 10, 2)),
                complaint(D(2026, 9, 29), who="郑凯文", result="补发", closed=D(2026, 10, 1)),
                complaint(D(2026, 9, 20), who="郑凯文", result="补发", closed=D(2026, 9, 21)),
                complaint(D(2026, 10, 30), who="吴思琪")],  # still open
        "联系记录": [contact(D(2026, 10, 8), "1010", who="吴思琪"), contact(D(2026, 10, 9), "1010", who="郑凯文"),
                 contact(D(2026, 10, 9), "1011", who="郑凯文"), contact(D(2026, 9, 30), "1012", who="郑凯文"),
                 contact(D(2026, 10, 9), "1013", reason="货到付款", who="郑凯文")]}
    result, _ = day(tmp_path, service=service)
    assert result.pay.to_dict("records") == [
        {"月份": "2026-10", "客服": "吴思琪", "差评数": 1, "差评改好数": 2, "催评数": 1, "投诉处理数": 0},
        {"月份": "2026-10", "客服": "郑凯文", "差评数": 1, "差评改好数": 0, "催评数": 1, "投诉处理数": 2},
        {"月份": "2026-10", "客服": "(未填)", "差评数": 1, "差评改好数": 0, "催评数": 0, "投诉处理数": 0}]
    from shopbook.today.run import read_inputs
    inputs = read_inputs([tmp_path / "客服.xlsx"], DEFAULT_RULES, AS_OF)
    september = job.pay_counts(inputs.tables, DEFAULT_RULES, pd.Timestamp("2026-09-01").date())
    assert september.to_dict("records") == [
        {"月份": "2026-09", "客服": "吴思琪", "差评数": 1, "差评改好数": 0, "催评数": 0, "投诉处理数": 0},
        {"月份": "2026-09", "客服": "郑凯文", "差评数": 0, "差评改好数": 0, "催评数": 1, "投诉处理数": 1}]


def test_sheets_without_their_key_columns_leave_their_lists_out(tmp_path):
    """Never a crash on user data: a sheet lacking its key columns is reported (missing-column)
    and its lists are skipped, naming the column."""
    from conftest import write_book
    from shopbook.today.run import read_inputs
    cases = [
        {"订单": [["下单时间", "付款时间", "买家", "收件人", "手机", "详细地址", "状态"],
                [D(2026, 10, 31), None, "a", "b", "13812345678", "人民路1号", "待付款"]]},
        {"发货": [["发货日期", "快递公司", "快递单号", "签收日期"], [D(2026, 10, 1), "中通", "781234567890", D(2026, 10, 20)]]},
        {"评价": [["订单号", "评价日期", "状态"], ["1", D(2026, 10, 1), "跟进中"]]},
        {"投诉": [["订单号", "投诉类型", "处理人", "结案日期"], ["1", "少发", "x", None]]},
        {"交接班": [["班次", "交出人", "事项"], ["早班", "a", "b"]]},
        {"联系记录": [["订单号", "事由", "客服"], ["1", "催评", "a"]]},
        {"退换货": [["登记日期", "类型", "原因"], [D(2026, 10, 1), "退货", "少发"]],
         "发货": [["发货日期", "订单号", "快递公司", "快递单号"], [D(2026, 10, 1), "1", "中通", "781234567890"]]},
        {"评价": [["订单号", "评价日期", "评价类型", "下次联系时间", "状态", "跟进1方式"], ["1", "昨天", "很差", "明天", "完了", "飞鸽"]],
         "交接班": [["交接日期", "班次", "交出人", "接手人", "事项"], ["前天", 3, "a", None, "b"]],
         "投诉": [["投诉日期", "订单号", "投诉类型", "结案日期"], ["x", "1", 5, "y"]]},
    ]
    for n, sheets in enumerate(cases):
        path = write_book(tmp_path / f"case{n}.xlsx", sheets)
        inputs = read_inputs([path], DEFAULT_RULES, AS_OF)
        result, f = job.compute(inputs.tables, DEFAULT_RULES, AS_OF)
        assert sum(result.counts.values()) == 0, n
        if n < 7:
            assert "missing-column" in set(f["code"]), n
    result, f = job.compute(read_inputs([tmp_path / "case0.xlsx"], DEFAULT_RULES, AS_OF).tables, DEFAULT_RULES, AS_OF)
    assert result.skipped[job.PAYMENT] == "订单表的「订单号」列"


def test_empty_registers_and_blank_dates_are_no_trouble(tmp_path):
    ledger = {"订单": [order("1001", status="退款中")], "退换货": []}
    service = {"投诉": [complaint(None, no="1001", kind="维权"), complaint(None, no="1002", kind="少发")], "评价": [],
               "交接班": [], "联系记录": []}
    result, f = day(tmp_path, ledger=ledger, service=service)
    assert listed(result, job.REFUNDS) == [("1001", "2026-10-31", "投诉", 2)]
    assert result.lists[job.REFUNDS].loc[0, "reason"] == "维权,订单退款中"
    assert "required-missing" in set(f["code"])
