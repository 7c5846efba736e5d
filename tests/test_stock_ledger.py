"""The stock ledger (shopbook.stockbook.job): how each movement is booked, the running balance,
and every check, each with a small inline table."""
import datetime as dt

import pandas as pd

from shopbook.rules import DEFAULT_RULES
from shopbook.stockbook import job
from shopbook.stockbook.movements import IN, IN_DEFECT, OUT, TO_DEFECT
from shopbook.stockbook.run import read_inputs

AS_OF = dt.datetime(2026, 10, 31, 18, 0)


def d(day: int, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day)


STOCK_H = ["商品编码", "商品名称", "颜色", "尺码", "库位", "账面数量", "实盘数量", "残次数量", "安全库存", "成本价", "盘点日期"]
IN_H = ["日期", "入库单号", "商品编码", "颜色", "尺码", "应到数量", "实到数量", "合格数量", "不合格数量", "不合格处理", "检验人"]
ADJ_H = ["日期", "商品编码", "颜色", "尺码", "数量", "原因", "经办人", "批准人"]
ORDER_H = ["订单号", "收件人", "手机", "省", "详细地址", "商品编码", "颜色", "尺码", "数量"]
SHIP_H = ["发货日期", "订单号", "快递公司", "快递单号", "类型", "状态", "商品编码", "数量"]
RET_H = ["登记日期", "订单号", "类型", "原因", "商品编码", "数量", "商品状态", "收货日期", "归位日期"]


def item(sku="S1", color="黑", size="M", book=10, counted=None, bad=0, safety=2, cost=20, date=None, loc="A-01-01",
         name="文胸"):
    return [sku, name, color, size, loc, book, counted, bad, safety, cost, date]


def receipt(day, sku="S1", color="黑", size="M", arrived=5, good=None, bad=None, disposal=None):
    return [d(day), "RK1", sku, color, size, arrived, arrived, good if good is not None else arrived, bad, disposal, "阿强"]


def line(order="O1", sku="S1", color="黑", size="M", qty=1):
    return [order, "张三", "13800000000", "浙江", "文一路1号", sku, color, size, qty]


def parcel(day, order="O1", waybill="781234567890", kind="正常", state="正常", sku=None, qty=None):
    return [d(day), order, "中通", waybill, kind, state, sku, qty]


def run(book, sheets, *, stock=None, rules=DEFAULT_RULES, as_of=AS_OF, start=None, end=None):
    sheets = {"库存": [STOCK_H, *(stock or [item()])], **sheets}
    path = book(sheets)
    inputs = read_inputs([path], None, rules, as_of)
    return job.compute(inputs.tables, rules, as_of, start, end)


def balance(result, sku="S1", color="黑", size="M") -> dict:
    b = result.balances
    row = b[(b["商品编码"] == sku) & (b["颜色"] == color) & (b["尺码"] == size)]
    assert len(row) == 1
    return row.iloc[0].to_dict()


def found(findings, code):
    f = findings[findings["code"] == code]
    return list(zip(f["sheet"], f["cell"]))


# --- booking ------------------------------------------------------------------------------
def test_a_receipt_books_what_passed_inspection_and_keeps_defects_apart(book):
    r, f = run(book, {"入库": [IN_H, receipt(2, arrived=10, good=8, bad=2, disposal="退回供应商"),  # +8
                              receipt(3, arrived=6, good=5, bad=1, disposal="残次"),  # +5, +1 残次
                              receipt(4, arrived=4, good=3, bad=1, disposal=None)]})  # no disposal: +3, +1 残次
    b = balance(r)
    assert (b["入库"], b["转残次"], b["残次"], b["期末账面"], b["可售"]) == (8 + 6 + 4, 2, 2, 28, 26)
    kinds = list(r.movements["kind"])
    assert kinds == [job.OPENING, IN, IN, IN_DEFECT, IN, IN_DEFECT]


def test_a_blank_qualified_count_is_arrived_less_defective(book):
    row = receipt(5, arrived=7, bad=2, disposal="返厂")
    row[7] = None
    r, f = run(book, {"入库": [IN_H, row]})
    assert balance(r)["入库"] == 5
    assert found(f, "inbound-inspection-mismatch") == []


def test_a_parcel_carries_its_order_once_a_resend_again(book):
    orders = [ORDER_H, line(qty=2), line(sku="S2", qty=1), line(order="O2", qty=1)]
    ship = [SHIP_H, parcel(3), parcel(3, waybill="781234567891"),  # a second parcel of O1: nothing more
            parcel(4, order="O2", waybill="781234567892", state="丢件"),
            parcel(7, order="O2", waybill="781234567893", kind="补发"),  # lost: the whole order again
            parcel(8, waybill="781234567894", kind="补发")]  # no lost parcel, no goods named: warned
    r, f = run(book, {"订单": orders, "发货": ship}, stock=[item(), item(sku="S2")])
    assert balance(r)["出库"] == 2 + 1 + 1 + 2  # O1, O2, O2 resent, O1 resent
    assert balance(r, "S2")["出库"] == 1 + 1
    assert found(f, "resend-goods-unknown") == [("发货", "D6")]


def test_a_parcel_that_names_its_goods_books_those(book):
    orders = [ORDER_H, line(qty=3)]
    ship = [SHIP_H, parcel(3, sku="S1", qty=2), parcel(9, waybill="781234567891", kind="补发", sku="S1", qty=1)]
    r, f = run(book, {"订单": orders, "发货": ship})
    assert balance(r)["出库"] == 3
    assert found(f, "resend-goods-unknown") == []


def test_an_exchange_parcel_books_the_exchanged_item(book):
    orders = [ORDER_H, line(qty=1)]
    ship = [SHIP_H, parcel(3), parcel(12, waybill="781234567891", kind="换货")]
    returns = [RET_H, [d(10), "O1", "换货", "尺码不合适", "S1", 1, "完好", d(11), d(11)]]
    r, f = run(book, {"订单": orders, "发货": ship, "退换货": returns})
    b = balance(r)
    assert (b["出库"], b["退货入库"], b["期末账面"]) == (2, 1, 9)
    assert found(f, "exchange-goods-unknown") == [("发货", "D3")]


def test_what_cannot_be_booked_is_named(book):
    orders = [ORDER_H, line(qty=1.5), line(sku="S2")]
    ship = [SHIP_H, parcel(3), parcel(4, order="O9", waybill="781234567891"), [None, "O1", "中通", "781234567892",
                                                                              "补发", "正常", None, None]]
    r, f = run(book, {"订单": orders, "发货": ship}, stock=[item(), item(sku="S2")])
    assert sorted(found(f, "movement-unbookable")) == [("发货", "A4"), ("发货", "B3"), ("订单", "I2")]
    assert balance(r, "S2")["出库"] == 1 and balance(r)["出库"] == 0


def test_a_line_pasted_twice_is_sent_once(book):
    r, _ = run(book, {"订单": [ORDER_H, line(qty=2), line(qty=2)], "发货": [SHIP_H, parcel(3)]})
    assert balance(r)["出库"] == 2


def test_returns_come_back_on_their_put_back_day_good_or_defective(book):
    orders = [ORDER_H, line(qty=1), line(order="O2", qty=1), line(order="O3", qty=1)]
    ship = [SHIP_H, parcel(2), parcel(2, order="O2", waybill="781234567891"), parcel(2, order="O3", waybill="781234567892")]
    returns = [RET_H, [d(8), "O1", "退货", "不喜欢", "S1", 1, "完好", d(9), d(10)],
               [d(8), "O2", "退货", "质量问题", "S1", 1, "污渍", d(9), d(9)],
               [d(25), "O3", "退货", "不喜欢", "S1", 1, "完好", d(27), None],  # received, not put back yet
               [d(8), "O1", "仅退款", "少发", "S1", 1, None, None, None]]
    r, f = run(book, {"订单": orders, "发货": ship, "退换货": returns})
    b = balance(r)
    assert (b["退货入库"], b["转残次"], b["残次"], b["期末账面"], b["可售"]) == (2, 1, 1, 9, 8)
    assert found(f, "return-not-shelved") == [("退换货", "I4")]
    message = f.loc[f["code"] == "return-not-shelved", "message"].iloc[0]
    assert "已 4 天" in message and "2 天内" in message


def test_a_return_put_back_late_is_noted(book):
    returns = [RET_H, [d(8), "O1", "退货", "不喜欢", "S1", 1, "完好", d(9), d(15)]]
    r, f = run(book, {"订单": [ORDER_H, line()], "退换货": returns})
    assert found(f, "return-shelved-late") == [("退换货", "I2")]
    assert balance(r)["退货入库"] == 1


def test_returns_without_put_back_dates_are_booked_when_received(book):
    returns = [["登记日期", "订单号", "类型", "原因", "商品编码", "数量", "商品状态", "状态"],
               [d(8), "O1", "退货", "不喜欢", "S1", 1, "完好", "已退款"],
               [d(9), "O1", "退货", "不喜欢", "S1", 1, "完好", "已寄回"]]  # on its way: not yet
    r, f = run(book, {"订单": [ORDER_H, line(qty=2)], "退换货": returns})
    assert balance(r)["退货入库"] == 1
    assert list(f.loc[f["code"] == "return-putback-unrecorded", "sheet"]) == ["退换货"]


def test_adjustments_move_the_book_or_the_defect_stock(book):
    adj = [ADJ_H, [d(3), "S1", "黑", "M", -2, "报损", "老周", "王经理"],
           [d(4), "S1", "黑", "M", 3, "转残次", "老周", "王经理"],
           [d(5), "S1", "黑", "M", -1, "残次报损", "老周", "王经理"],
           [d(6), "S1", "黑", "M", 1, "盘点调整", "老周", "王经理"]]
    r, _ = run(book, {"库存调整": adj}, stock=[item(book=10, bad=1)])
    b = balance(r)
    assert (b["调整"], b["期末账面"], b["期初残次"], b["转残次"], b["残次减少"], b["残次"], b["可售"]) == \
        (-2, 8, 1, 3, 1, 3, 5)


def test_the_balance_adds_up_on_every_row(book):
    orders = [ORDER_H, line(qty=2), line(sku="S2", size="L", qty=1)]
    r, _ = run(book, {"入库": [IN_H, receipt(2, arrived=4, good=3, bad=1, disposal="残次")], "订单": orders,
                      "发货": [SHIP_H, parcel(5)], "库存调整": [ADJ_H, [d(6), "S2", "黑", "L", -1, "样品", "a", "b"]]},
               stock=[item(), item(sku="S2", size="L", book=3, bad=1)])
    b = r.balances
    assert (b["期末账面"] == b["期初"] + b["入库"] - b["出库"] + b["退货入库"] + b["调整"]).all()
    assert (b["残次"] == b["期初残次"] + b["转残次"] - b["残次减少"]).all()
    assert (b["可售"] == (b["期末账面"] - b["残次"]).clip(lower=0)).all()


# --- the running balance ------------------------------------------------------------------
def test_below_zero_names_the_movement_that_took_it_there(book):
    adj = [ADJ_H, [d(3), "S1", "黑", "M", -4, "借出", "老周", "王经理"],
           [d(4), "S1", "黑", "M", -1, "报损", "老周", "王经理"],  # still below: not named again
           [d(6), "S1", "黑", "M", -2, "报损", "老周", "王经理"]]  # below again after the receipt
    r, f = run(book, {"库存调整": adj, "入库": [IN_H, receipt(5, arrived=3)]}, stock=[item(book=3)])
    assert found(f, "stock-negative") == [("库存调整", "E2"), ("库存调整", "E4")]
    first = f.loc[f["code"] == "stock-negative", "message"].iloc[0]
    assert "2026-10-03" in first and "借出(-4)" in first and "-1 件" in first
    m = r.movements[r.movements["kind"] != job.OPENING]
    assert list(m["balance"]) == [-1, -2, 1, -1]


def test_within_a_day_receipts_come_before_shipments(book):
    r, f = run(book, {"入库": [IN_H, receipt(5, arrived=2)], "订单": [ORDER_H, line(qty=2)],
                      "发货": [SHIP_H, parcel(5)]}, stock=[item(book=0)])
    assert found(f, "stock-negative") == []
    assert list(r.movements["kind"]) == [job.OPENING, IN, OUT]


# --- the count, warnings --------------------------------------------------------------------
def test_the_count_is_compared_with_the_book_of_its_day(book):
    stock = [item(book=10, counted=7, date=d(20), cost=20), item(size="L", book=5, counted=5, date=d(20)),
             item(sku="N1", name="内裤", book=4, counted=5, cost=8)]  # no date: against the end
    adj = [ADJ_H, [d(10), "S1", "黑", "M", -2, "报损", "a", "b"],
           [d(25), "S1", "黑", "M", -5, "借出", "a", "b"]]  # after the count: not in its book
    rules = DEFAULT_RULES.__class__(categories=(("S", "文胸"), ("N", "内裤")))
    r, f = run(book, {"库存调整": adj}, stock=stock, rules=rules)
    b = balance(r)
    assert (b["盘点日账面"], b["实盘"], b["差异"], b["差异金额"], b["期末账面"]) == (8, 7, -1, -2000, 3)
    assert found(f, "stock-variance") == [("库存", "G2"), ("库存", "G4")]
    assert "盘亏 1 件(账面 8,实盘 7),按成本价计 -20.00 元" in f.loc[f["code"] == "stock-variance", "message"].iloc[0]
    per_category = f[f["code"] == "stock-variance-category"]
    assert list(per_category["value"]) == ["文胸", "内裤"]
    assert "盘亏 1 件" in per_category["message"].iloc[0] and "盘盈 1 件" in per_category["message"].iloc[1]


def test_a_count_older_than_the_cycle(book):
    _, f = run(book, {}, stock=[item(counted=10, date=d(20)), item(size="L", counted=10, date=d(26))])
    assert found(f, "stocktake-stale") == [("库存", "K2")]


def test_consumables_below_safety_stock_and_goods_to_reorder(book):
    stock = [item(sku="HC01", name="快递袋(中号)", color=None, size=None, book=80, safety=200),
             item(sku="HC02", name="面单纸", color=None, size=None, book=500, safety=300),
             item(book=3, safety=5)]
    adj = [ADJ_H, [d(10), "HC02", None, None, -300, "领用", "小刘", "老周"]]
    r, f = run(book, {"库存调整": adj}, stock=stock)
    assert found(f, "consumable-low") == [("库存", "I2"), ("库存", "I3")]
    assert found(f, "reorder-alert") == [("库存", "I4")]
    assert balance(r)["建议补货"] == 2


def test_a_movement_of_an_item_the_stock_sheet_lacks(book):
    r, f = run(book, {"入库": [IN_H, receipt(2, sku="S9", arrived=5)]})
    assert found(f, "stock-key-unknown") == [("入库", "H2")]
    assert balance(r, "S9")["期末账面"] == 5


# --- the period and the opening -------------------------------------------------------------
def test_movements_outside_the_period_are_left_out_and_counted(book):
    r, f = run(book, {"入库": [IN_H, receipt(28, arrived=1), [d(30, 9), "RK0", "S1", "黑", "M", 2, 2, 2, None,
                                                                    None, "阿强"], receipt(2, arrived=3)]},
               end=dt.date(2026, 10, 27))
    assert (r.start, r.end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 27))
    assert balance(r)["入库"] == 3
    note = f.loc[f["code"] == "movements-outside-period", "message"].iloc[0]
    assert "早于本期 1 条" in note and "晚于本期 1 条" in note


OPEN_H = ["商品编码", "颜色", "尺码", "账面数量", "残次数量", "截至日期"]


def test_the_carried_opening_replaces_the_stock_sheet(book):
    r, f = run(book, {"期初": [OPEN_H, ["S1", "黑", "M", 4, 1, d(30, 9)]], "入库": [IN_H, receipt(2, arrived=3)]},
               stock=[item(book=10), item(size="L", book=2)])
    b = balance(r)
    assert (r.start, b["期初"], b["期初残次"], b["期末账面"]) == (dt.date(2026, 10, 1), 4, 1, 7)
    assert balance(r, size="L")["期初"] == 0
    assert found(f, "opening-missing-key") == [("库存", "F3")]
    assert r.opening_source == "期初"


def test_the_same_period_is_never_applied_twice(book):
    r, f = run(book, {"期初": [OPEN_H, ["S1", "黑", "M", 4, 0, d(31)]]})
    assert r is None and list(f["code"]) == ["opening-applied-twice"]
    assert "2026-09-30" in f["message"].iloc[0]
    r, f = run(book, {"期初": [OPEN_H, ["S1", "黑", "M", 4, 0, d(15)]]}, start=dt.date(2026, 10, 10))
    assert r is None


def test_a_gap_after_the_opening_and_an_unstamped_opening(book):
    r, f = run(book, {"期初": [OPEN_H, ["S1", "黑", "M", 4, 0, d(31, 8)]]}, start=dt.date(2026, 10, 1))
    assert list(f.loc[f["code"] == "opening-gap", "message"].str.contains("2026-09-01 至 2026-09-30")) == [True]
    r, f = run(book, {"期初": [OPEN_H, ["S1", "黑", "M", 4, 0, None]]})
    assert "opening-unstamped" in set(f["code"]) and balance(r)["期初"] == 4


def test_next_periods_opening_is_stamped_with_the_last_day(book):
    r, _ = run(book, {"入库": [IN_H, receipt(2, arrived=3, good=2, bad=1, disposal="残次")]})
    carried = r.carried.iloc[0]
    assert (carried["账面数量"], carried["残次数量"], carried["截至日期"]) == (13, 1, pd.Timestamp("2026-10-31"))


def test_the_defect_stock_lot_by_lot_oldest_written_off_first(book):
    adj = [ADJ_H, [d(5), "S1", "黑", "M", 2, "转残次", "a", "b"], [d(9), "S1", "黑", "M", -2, "残次报损", "a", "b"]]
    r, _ = run(book, {"库存调整": adj, "入库": [IN_H, receipt(7, arrived=3, good=2, bad=1, disposal="残次")]},
               stock=[item(book=10, bad=1)])
    lots = r.defects
    assert list(zip(lots["来源"], lots["数量"])) == [(TO_DEFECT, 1), (IN_DEFECT, 1)]
    assert list(lots["天数"]) == [26, 24]


# --- the one figure the other jobs take -------------------------------------------------------
def test_sellable_is_the_computed_figure_per_stock_key(book):
    path = book({"库存": [STOCK_H, item(book=10, bad=1, counted=99)],
                 "库存调整": [ADJ_H, [d(3), "S1", "黑", "M", -4, "报损", "a", "b"]]})
    inputs = read_inputs([path], None, DEFAULT_RULES, AS_OF)
    sellable = job.sellable(inputs.tables, DEFAULT_RULES, AS_OF)
    assert sellable.to_dict() == {"S1\x1f黑\x1fM": 5}  # 10 − 4 − 1 残次 (the typed 实盘 is not used)
    early = job.sellable(inputs.tables, DEFAULT_RULES, dt.datetime(2026, 10, 2, 12))
    assert early.to_dict() == {"S1\x1f黑\x1fM": 9}


def test_picklist_allocates_from_the_computed_sellable(book, tmp_path):
    from shopbook.picking.run import run_picklist
    orders = [["订单号", "付款时间", "收件人", "手机", "省", "详细地址", "商品编码", "颜色", "尺码", "数量"],
              ["O1", d(30), "张三", "13800000000", "浙江", "文一路1号", "S1", "黑", "M", 3]]
    ledger = book({"订单": orders, "库存": [STOCK_H, item(book=10)]}, name="台账.xlsx")
    moves = book({"库存调整": [ADJ_H, [d(3), "S1", "黑", "M", -8, "报损", "a", "b"]]}, name="仓库.xlsx")
    typed = run_picklist(ledger, as_of=AS_OF, output=tmp_path / "a.xlsx").result
    computed = run_picklist(ledger, as_of=AS_OF, output=tmp_path / "b.xlsx", movements=moves).result
    assert typed.order_count == 1 and len(typed.shortages) == 0
    assert computed.order_count == 0 and list(computed.shortages["可用数量"]) == [2]


def test_month_stock_alerts_use_the_computed_sellable(book, tmp_path):
    from shopbook.monthly.run import run_month
    folder = tmp_path / "10月"
    folder.mkdir()
    orders = [["订单号", "付款时间", "收件人", "手机", "省", "详细地址", "商品编码", "颜色", "尺码", "数量", "实付金额"],
              ["O1", d(3), "张三", "13800000000", "浙江", "文一路1号", "S1", "黑", "M", 1, 59]]
    from conftest import write_book
    write_book(folder / "台账.xlsx", {"订单": orders, "库存": [STOCK_H, item(book=10, safety=5)]})
    write_book(folder / "仓库.xlsx", {"库存调整": [ADJ_H, [d(3), "S1", "黑", "M", -8, "报损", "a", "b"]]})
    run = run_month(folder, dt.date(2026, 10, 1), None, AS_OF, output=tmp_path / "m.xlsx")
    alerts = run.report.stock_alerts
    assert list(alerts["可售数量"]) == [2]
    assert ("库存流水", "仓库.xlsx「库存调整」") in run.sources
