"""Rules of SPEC §Pick lists on the pure job (shopbook.picking.job.pick), each on a small inline sheet."""
import datetime as dt

import pandas as pd
import pytest

from shopbook.picking import job as picking
from shopbook.sheets.orders import ORDERS
from shopbook.reading.files import open_workbook
from shopbook.reading.tables import read_table
from shopbook.sheets.shipping import SHIPPING
from shopbook.sheets.stock import STOCK

AS_OF = dt.datetime(2026, 10, 10, 18, 0)
PAID = dt.datetime(2026, 10, 10, 9, 0)
OH = ["订单号", "下单时间", "付款时间", "买家", "收件人", "手机", "省", "详细地址", "商品编码", "商品名称", "颜色", "尺码",
      "数量", "单价", "付款方式", "旗帜", "备注", "客服", "状态"]
SH = ["商品编码", "商品名称", "颜色", "尺码", "库位", "账面数量", "实盘数量", "残次数量"]
RH = ["发货日期", "订单号", "快递公司", "快递单号"]


def line(order, sku="S1", qty=1, paid=PAID, color="黑", size="M", name="T恤", price=59, pay="在线支付", flag="无",
         remark=None, status="待发货", addr="深圳市南山区科技园路1号", placed=dt.datetime(2026, 10, 10, 8, 0)):
    return [order, placed, paid, "tb_buyer", "张三", "13812345678", "广东", addr, sku, name, color, size, qty, price,
            pay, flag, remark, "小王", status]


def item(sku="S1", color="黑", size="M", location="A-01-01", book=10, counted=None, damaged=None, name="T恤"):
    return [sku, name, color, size, location, book, counted, damaged]


def shipped(order, waybill="SF1234567890123"):
    return [dt.datetime(2026, 10, 10), order, "顺丰", waybill]


@pytest.fixture
def run(book):
    """pick() on {订单, 库存, 发货} given as rows; returns the PickResult."""
    def go(orders, stock, register=None, open_batches=None, as_of=AS_OF, batch_id=None):
        sheets = {"订单": [OH, *orders], "库存": [SH, *stock]}
        if register is not None:
            sheets["发货"] = [RH, *register]
        wb = open_workbook(book(sheets))
        shipping = read_table(wb, SHIPPING, fallback=False) if register is not None else None
        return picking.pick(read_table(wb, ORDERS), read_table(wb, STOCK), shipping, open_batches,
                            as_of=as_of, batch_id=batch_id)
    return go


def picked(result):
    return list(dict.fromkeys(result.lines["订单号"]))


def short(result):
    return [(r.订单号, r.商品编码, r.订购数量, r.可用数量) for r in result.shortages.itertuples()]


def held(result):
    return [(r.订单号, r.代码) for r in result.held.itertuples()]


def test_first_paid_first_served_ties_by_order_id(run):
    later = PAID + dt.timedelta(hours=1)
    r = run([line("T3", paid=later), line("T2", paid=PAID), line("T1", paid=PAID)], [item(book=2)])
    assert picked(r) == ["T1", "T2"]
    assert short(r) == [("T3", "S1", 1, 0)]


def test_whole_order_short_reserves_nothing(run):
    # T1 is paid first but cannot be filled (S2 short): it takes nothing, so T2 gets the S1 it needs
    r = run([line("T1", sku="S1", qty=1), line("T1", sku="S2", qty=3),
             line("T2", sku="S1", qty=1, paid=PAID + dt.timedelta(minutes=5))],
            [item("S1", book=1), item("S2", book=2, location="A-01-02")])
    assert picked(r) == ["T2"]
    assert short(r) == [("T1", "S2", 3, 2)]  # only the short line is listed


def test_shortage_available_is_what_was_left(run):
    r = run([line("T1", qty=3), line("T2", qty=3, paid=PAID + dt.timedelta(minutes=1))], [item(book=5)])
    assert picked(r) == ["T1"]
    assert short(r) == [("T2", "S1", 3, 2)]


def test_sellable_is_counted_or_book_less_damaged(run):
    # counted 4 − damaged 1 = 3 (book 10 ignored once counted); the other SKU has no count: book 2 − 0
    r = run([line("T1", qty=3), line("T2", sku="S2", qty=2), line("T3", qty=1, paid=PAID + dt.timedelta(hours=1))],
            [item(book=10, counted=4, damaged=1), item("S2", book=2, location="A-01-02")])
    assert picked(r) == ["T1", "T2"]
    assert short(r) == [("T3", "S1", 1, 0)]


@pytest.mark.parametrize("flag", ["绿", "蓝", "绿旗"])
def test_green_and_blue_flags_are_not_picked(run, flag):
    r = run([line("T1", flag=flag, remark="10/5 快递截单 小李"), line("T2")], [item()])
    assert picked(r) == ["T2"]
    assert r.skipped["blocked"] == 1


@pytest.mark.parametrize("status", ["退款中", "已关闭"])
def test_refunding_and_closed_orders_are_not_picked(run, status):
    r = run([line("T1", status=status), line("T2")], [item()])
    assert picked(r) == ["T2"] and r.skipped["blocked"] == 1


def test_shipped_orders_are_not_picked_by_register_or_status(run):
    r = run([line("T1"), line("T2", status="已发货"), line("T3", status="已完成"), line("T4")], [item()],
            register=[shipped("T1")])
    assert picked(r) == ["T4"]
    assert r.skipped["shipped"] == 3


def test_cash_on_delivery_counts_as_paid_and_unpaid_is_skipped(run):
    r = run([line("T1", paid=None, pay="货到付款"), line("T2", paid=None, status="待付款")], [item()])
    assert picked(r) == ["T1"]
    assert r.skipped["unpaid"] == 1 and r.exit_code == 0


def test_cash_on_delivery_queues_from_when_it_was_ordered(run):
    r = run([line("T1", paid=PAID), line("T0", paid=None, pay="货到付款", placed=PAID + dt.timedelta(hours=2))],
            [item(book=1)])
    assert picked(r) == ["T1"] and short(r) == [("T0", "S1", 1, 0)]


def test_orders_paid_after_as_of_wait_for_the_next_batch(run):
    r = run([line("T1"), line("T2", paid=AS_OF + dt.timedelta(minutes=1))], [item()])
    assert picked(r) == ["T1"] and r.skipped["later"] == 1


def test_wave_walks_locations_zone_shelf_layer(run):
    r = run([line("T1", sku="S10"), line("T1", sku="S2"), line("T1", sku="S3"), line("T1", sku="S4")],
            [item("S10", location="A-10-1"), item("S2", location="A-2-1"), item("S3", location="B-1-1"),
             item("S4", location="A-2-3")])
    assert list(r.wave["库位"]) == ["A-2-1", "A-2-3", "A-10-1", "B-1-1"]
    # each order's own lines follow the same walk
    assert list(r.lines["库位"]) == ["A-2-1", "A-2-3", "A-10-1", "B-1-1"]


def test_wave_has_one_line_per_sku_color_size_with_total(run):
    r = run([line("T1", qty=2), line("T2", qty=1), line("T2", color="白"), line("T3", qty=3)],
            [item(book=10), item(color="白", location="A-01-02")])
    wave = r.wave[["商品编码", "颜色", "尺码", "数量", "订单数"]].values.tolist()
    assert wave == [["S1", "黑", "M", 6, 3], ["S1", "白", "M", 1, 1]]


def test_gifts_by_zero_price_or_name(run):
    r = run([line("T1"), line("T1", sku="G1", price=0, name="收纳袋", color=None, size=None),
             line("T1", sku="G2", price=5, name="赠品 袜子", color=None, size=None)],
            [item(), item("G1", None, None, "C-01-01", name="收纳袋"), item("G2", None, None, "C-01-02", name="袜子")])
    gifts = dict(zip(r.lines["商品编码"], r.lines["赠品"]))
    assert gifts == {"S1": None, "G1": "赠品", "G2": "赠品"}
    assert [l["gift"] for l in r.as_json()["orders"][0]["lines"]] == [False, True, True]


def test_customer_request_from_the_remark(run):
    r = run([line("T1", flag="红", remark="小王:要求发顺丰,送运费险---2026.10.5 小王")], [item()])
    assert r.lines["顾客要求"].iloc[0] == "要求发顺丰,送运费险"
    assert r.as_json()["orders"][0]["remark"] == "要求发顺丰,送运费险"


@pytest.mark.parametrize("remark, flag, message, expected", [
    ("小王:发顺丰", "红", None, "发顺丰"), ("小王:发顺丰---10.5 小王", "红", None, "发顺丰"), ("小王", "红", None, None),
    ("", "红", None, None),
    # the team's own notes are not the customer's requests
    ("小美 催单,买家说晚上付", "黄", None, None), ("10/5 黑M换白L 差价0 运费买家 小李", "紫", None, None),
    ("小王 老顾客", None, None, None),
    # the buyer's own message always is; with a 红旗 request both, once each
    ("小美 催单", "黄", "请用纸箱", "请用纸箱"), ("小王:发顺丰", "红", "请用纸箱", "请用纸箱;发顺丰"),
    ("小王:发顺丰", "红", "发顺丰", "发顺丰"),
])
def test_customer_request_forms(remark, flag, message, expected):
    assert picking.customer_request(remark, {"小王", "小李", "小美"}, flag, message) == expected


def test_internal_remarks_stay_off_the_pick_list_the_buyers_message_is_on_it(book):
    oh = OH + ["买家留言"]
    orders = [line("T1", flag="黄", remark="小美 催单,买家说晚上付") + [None],
              line("T2", remark="小王 老顾客") + ["不要放发票"],
              line("T3", flag="红", remark="小王:要发顺丰") + [None]]
    wb = open_workbook(book({"订单": [oh, *orders], "库存": [SH, item(book=9)]}))
    r = picking.pick(read_table(wb, ORDERS), read_table(wb, STOCK), as_of=AS_OF)
    requests = dict(zip(r.lines["订单号"], r.lines["顾客要求"]))
    assert requests == {"T1": None, "T2": "不要放发票", "T3": "要发顺丰"}


def test_orders_validate_would_merge_are_marked_for_the_packer(run):
    # T1 and T3 go to the same person and address (the can-merge-shipment rule of validate);
    # T4 too, but it is short and not in this batch, so the mark names only T1 and T3
    same = dict(addr="深圳市南山区科技园路1号")
    r = run([line("T1", **same), line("T2", addr="广州市天河区体育西路2号"), line("T3", **same),
             line("T4", sku="S2", **same)], [item(book=5), item("S2", location="A-01-02", book=0)])
    marks = dict(zip(r.lines["订单号"], r.lines["合并发货"]))
    assert marks == {"T1": "与 T3 合并发货", "T2": None, "T3": "与 T1 合并发货"}
    assert r.as_json()["orders"][0]["merge"] == "与 T3 合并发货"


def test_held_orders_are_listed_with_their_finding_and_take_no_stock(run):
    r = run([line("T1", sku="NOPE"), line("T2", qty=1.5), line("T3", addr=None), line("T4", color="红"),
             line("T5", qty=0), line("T6")],
            [item(book=1)])
    assert held(r) == [("T1", "unknown-sku"), ("T2", "not-whole-number"), ("T3", "required-missing"),
                       ("T4", "pick-variant-unknown"), ("T5", "not-positive")]
    assert picked(r) == ["T6"]  # the held orders reserved nothing
    assert r.exit_code == 1
    message = r.held.set_index("订单号").loc["T4", "问题"]
    assert "颜色 红" in message and "S1" in message


def test_a_bad_stock_row_holds_its_orders(run):
    r = run([line("T1"), line("T2", sku="S2")], [item(counted="十"), item("S2", location="A-01-02")])
    assert held(r) == [("T1", "pick-stock-row-invalid")]
    assert "G2" in r.held["问题"].iloc[0]
    assert picked(r) == ["T2"]


def test_an_unreadable_payment_time_is_held_not_taken_for_unpaid(run):
    r = run([line("T1", paid="2026-02-30 10:00")], [item()])
    assert held(r) == [("T1", "date-invalid")]


def test_errors_that_do_not_matter_for_picking_do_not_hold(run):
    # a price that is not money is an error of the order audit, but the parcel is the same
    r = run([line("T1", price="abc")], [item()])
    assert picked(r) == ["T1"] and r.held.empty


def test_unpaid_orders_with_bad_data_are_not_held(run):
    r = run([line("T1", paid=None, status="待付款", addr=None)], [item()])
    assert r.held.empty and r.skipped["unpaid"] == 1


def test_open_batch_orders_are_not_picked_again_and_keep_their_stock(run):
    first = run([line("T1", qty=2)], [item(book=3)], batch_id="JH20261010-01")
    again = run([line("T1", qty=2), line("T2", qty=2, paid=PAID + dt.timedelta(hours=1))], [item(book=3)],
                open_batches=first.lines, batch_id="JH20261010-02")
    assert picked(again) == []
    assert short(again) == [("T2", "S1", 2, 1)]  # T1's 2 are off the shelf, waiting to ship
    assert again.skipped["open_batch"] == 1 and again.batch_id is None
    assert again.open_batches == ["JH20261010-01"]


def test_batch_closes_when_its_orders_are_shipped():
    records = pd.DataFrame({"批次号": ["B1", "B1", "B1", "B2"], "订单号": ["T1", "T1", "T2", "T3"],
                            "拣货时间": [AS_OF] * 4})
    states = picking.batch_states(records, done={"T1"})
    assert states["状态"].to_dict() == {"B1": "未完成", "B2": "未完成"}
    states = picking.batch_states(records, done={"T1", "T2"})
    assert states["状态"].to_dict() == {"B1": "已完成", "B2": "未完成"}
    assert list(picking.open_batch_records(records, {"T1", "T2"})["订单号"]) == ["T3"]


def test_done_orders_are_register_rows_and_shipped_or_closed_status(run, book):
    wb = open_workbook(book({"订单": [OH, line("T1", status="已发货"), line("T2", status="已关闭"), line("T3"),
                                      line("T4")], "发货": [RH, shipped("T3")]}))
    done = picking.done_order_ids(read_table(wb, ORDERS), read_table(wb, SHIPPING))
    assert done == {"T1", "T2", "T3"}


def test_batch_ids_number_the_day():
    assert picking.next_batch_id([], AS_OF) == "JH20261010-01"
    assert picking.next_batch_id(["JH20261010-01", "JH20261010-02", "JH20261009-07"], AS_OF) == "JH20261010-03"


def test_json_shape(run):
    r = run([line("T1", qty=2), line("T2", sku="NOPE")], [item(book=1)], batch_id="JH20261010-01")
    data = r.as_json()
    assert data["batch"] is None  # nothing picked: no batch
    assert data["shortages"] == [{"order_id": "T1", "sku": "S1", "name": "T恤", "color": "黑", "size": "M",
                                  "spec": None, "ordered": 2, "available": 1}]
    assert data["held"][0]["order_id"] == "T2" and data["held"][0]["code"] == "unknown-sku"
    ok = run([line("T1")], [item()], batch_id="JH20261010-01").as_json()
    assert ok["batch"] == "JH20261010-01" and ok["date"] == "2026-10-10 18:00:00"
    assert ok["wave"] == [{"sku": "S1", "name": "T恤", "color": "黑", "size": "M", "spec": None,
                           "location": "A-01-01", "qty": 1, "orders": 1}]
    assert ok["orders"][0]["lines"] == [{"sku": "S1", "name": "T恤", "color": "黑", "size": "M", "spec": None,
                                         "qty": 1, "location": "A-01-01", "gift": False}]
    assert ok["orders"][0]["paid_time"] == "2026-10-10 09:00:00"


def test_closed_batches_leave_the_record_after_a_month():
    records = pd.DataFrame({"批次号": ["B1", "B2", "B3"], "订单号": ["T1", "T2", "T3"],
                            "拣货时间": [AS_OF - dt.timedelta(days=40), AS_OF - dt.timedelta(days=40),
                                     AS_OF - dt.timedelta(days=3)]})
    kept = picking.prune_records(records, done={"T1", "T3"}, as_of=AS_OF)
    assert list(kept["批次号"]) == ["B2", "B3"]  # B1 closed and old; B2 old but still open; B3 recent


def test_lines_without_a_location_come_last_in_the_walk(run):
    r = run([line("T1", sku="S1"), line("T1", sku="S2"), line("T1", sku="S3")],
            [item("S1", location=None), item("S2", location="B-1-1"), item("S3", location="A-3-2")])
    assert list(r.wave["商品编码"]) == ["S3", "S2", "S1"]
    assert list(r.lines["商品编码"]) == ["S3", "S2", "S1"]


def test_shortage_names_the_credited_agent_when_there_is_no_agent_column(book):
    header = [h if h != "客服" else "归属客服" for h in OH]
    wb = open_workbook(book({"订单": [header, line("T1", qty=2)], "库存": [SH, item(book=1)]}))
    r = picking.pick(read_table(wb, ORDERS), read_table(wb, STOCK), as_of=AS_OF)
    assert list(r.shortages["客服"]) == ["小王"]


def test_shortage_names_the_agent_from_the_remark(book):
    header = [h for h in OH if h != "客服"]
    row = [v for h, v in zip(OH, line("T1", qty=2, flag="红", remark="阿芳:加急")) if h != "客服"]
    wb = open_workbook(book({"订单": [header, row], "库存": [SH, item(book=1)]}))
    r = picking.pick(read_table(wb, ORDERS), read_table(wb, STOCK), as_of=AS_OF)
    assert list(r.shortages["客服"]) == ["阿芳"]


def test_refund_or_after_sale_in_progress_is_not_picked(book):
    """An order line whose 售后状态/退款状态 says a refund is in progress or done, or with a 退款金额,
    keeps its whole order off the pick list."""
    header = OH + ["售后状态", "退款金额"]
    orders = [line("T1") + [None, None], line("T2") + ["售后处理中", None], line("T3") + ["退款成功", None],
              line("T4") + [None, 10], line("T5") + ["无售后或售后取消", None], line("T6", sku="S1") + [None, None],
              line("T6", sku="S2") + ["买家已经申请退款，等待卖家同意", None]]
    wb = open_workbook(book({"订单": [header, *orders], "库存": [SH, item(book=20), item("S2", book=20)]}))
    result = picking.pick(read_table(wb, ORDERS), read_table(wb, STOCK), as_of=AS_OF)
    assert picked(result) == ["T1", "T5"]
    assert result.skipped["blocked"] == 4


def test_picking_skips_only_advisory_checks():
    """The orders checks picking leaves out produce info findings only: none can hold an order."""
    import inspect
    import re

    from shopbook.core.codes import CODES
    from shopbook.picking.checks import ADVISORY

    for check in ADVISORY:
        codes = {m for m in re.findall(r'"([a-z][a-z0-9-]+)"', inspect.getsource(check)) if m in CODES}
        assert codes and all(CODES[c].severity == "info" for c in codes), check.__name__


def test_last_months_closed_batches_stay_for_payroll():
    """Payroll counts last month's 拣货单数 from the record: its batches stay all month long."""
    records = pd.DataFrame({"批次号": ["B1", "B2", "B3"], "订单号": ["T1", "T2", "T3"],
                            "拣货时间": [dt.datetime(2026, 9, 30, 18), dt.datetime(2026, 10, 1, 9),
                                     dt.datetime(2026, 11, 20, 9)]})
    kept = picking.prune_records(records, done={"T1", "T2", "T3"}, as_of=dt.datetime(2026, 11, 30, 18))
    assert list(kept["批次号"]) == ["B2", "B3"]  # October's B2 is 60 days old but stays through November


def test_the_picker_is_recorded_on_every_line_of_the_batch(book):
    wb = open_workbook(book({"订单": [OH, line("T1", sku="S1"), line("T1", sku="S2"), line("T2")],
                             "库存": [SH, item("S1"), item("S2")]}))
    result, records, _ = picking.next_batch(read_table(wb, ORDERS), read_table(wb, STOCK), None,
                                            picking.empty_records(), as_of=AS_OF, picker=" 马小军 ")
    assert list(result.lines["拣货人"]) == ["马小军"] * 3
    assert list(records["拣货人"]) == ["马小军"] * 3
    plain = picking.pick(read_table(wb, ORDERS), read_table(wb, STOCK), as_of=AS_OF)
    assert plain.lines["拣货人"].isna().all()
