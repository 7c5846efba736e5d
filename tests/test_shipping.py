"""Rules of SPEC §Shipping, each on a small inline register."""
import datetime as dt

from conftest import codes

H = ["发货日期", "订单号", "快递公司", "快递单号", "重量(kg)", "件数", "收件人", "省", "包装人", "状态", "原因"]
D = dt.datetime(2026, 10, 9)
O = ["订单号", "下单时间", "付款时间", "收件人", "手机", "省", "详细地址", "商品编码", "数量", "单价", "实付金额",
     "付款方式", "旗帜", "备注", "状态", "快递公司"]


def parcel(order="T1", courier="顺丰", waybill="SF1234567890123", weight=0.5, n=None, who="张三", prov="广东",
           packer="小周", state="正常", reason=None, date=D):
    return [date, order, courier, waybill, weight, n, who, prov, packer, state, reason]


def order(oid="T1", paid=dt.datetime(2026, 10, 9, 9), flag="无", status="已发货", pay="在线支付", courier="顺丰",
          remark=None):
    return [oid, dt.datetime(2026, 10, 9, 8), paid, "张三", "13812345678", "广东", "深圳市南山区科技园路1号",
            "S1", 1, 50, 50, pay, flag, remark or ("小王:无" if flag == "红" else None), status, courier]


def run(validate_rows, parcels, orders=None, as_of=dt.datetime(2026, 10, 10, 12)):
    sheets = {"发货": [H, *parcels]}
    if orders is not None:
        sheets["订单"] = [O, *orders]
    return validate_rows(sheets, as_of=as_of)


def test_clean_register(validate_rows):
    assert codes(run(validate_rows, [parcel()])) == []


def test_waybill_patterns(validate_rows):
    r = run(validate_rows, [parcel(waybill="SF123"), parcel(order="T2", courier="顺丰速运", waybill="sf1234567890123"),
                            parcel(order="T3", courier="圆通", waybill="YT1234567890123"),
                            parcel(order="T4", courier="极兔", waybill="1234567890123"),
                            parcel(order="T5", courier="中通", waybill=773123456789012)])
    assert [c for _, c, _ in codes(r, "waybill-pattern")] == ["D2", "D5"]
    assert codes(r, "id-stored-as-number") == [("发货", "D6", "id-stored-as-number")]


def test_duplicate_waybill_and_multi_parcel_exemption(validate_rows):
    r = run(validate_rows, [parcel(order="T1"), parcel(order="T2"),
                            parcel(order="T3", waybill="SF9999999999999", n=2),
                            parcel(order="T3", waybill="SF9999999999999", n=2)])
    assert codes(r, "duplicate-waybill") == [("发货", "D3", "duplicate-waybill")]


def test_resend_exempt_from_duplicate(validate_rows):
    h = H + ["类型"]
    rows = [parcel() + ["正常"], parcel() + ["补发"]]
    r = validate_rows({"发货": [h, *rows]}, as_of=dt.datetime(2026, 10, 10, 12))
    assert codes(r, "duplicate-waybill") == []


def test_an_exchange_parcel_is_exempt_from_duplicate_and_over_shipping(validate_rows):
    h = H + ["类型", "商品编码", "数量"]
    rows = [parcel() + ["正常", "S1", 1], parcel(waybill="SF1234567890999") + ["换货", "S1", 1],
            parcel(waybill="SF1234567890999") + ["换发", "S1", 1]]  # 换发: a spelling of 换货
    r = validate_rows({"发货": [h, *rows], "订单": [O, order()]}, as_of=dt.datetime(2026, 10, 10, 12))
    assert codes(r, "duplicate-waybill") == [] and codes(r, "over-shipped") == []
    assert codes(r, "value-not-allowed") == []


def test_against_orders(validate_rows):
    r = run(validate_rows,
            [parcel(order="T1"), parcel(order="T2", waybill="SF1234567890124"),
             parcel(order="T3", waybill="SF1234567890125"), parcel(order="T4", waybill="SF1234567890126"),
             parcel(order="T9", waybill="SF1234567890127"), parcel(order="T5", waybill="SF1234567890128")],
            [order("T1"), order("T2", paid=None, status="待付款"), order("T3", flag="绿"), order("T4", status="退款中"),
             order("T5", paid=None, pay="货到付款")])
    assert codes(r, "ship-unpaid") == [("发货", "B3", "ship-unpaid")]
    assert [c for _, c, _ in codes(r, "ship-blocked-order")] == ["B4", "B5"]
    assert codes(r, "order-not-found") == [("发货", "B6", "order-not-found")]


def test_refund_flagged_after_the_parcel_left_is_no_shipping_error(validate_rows):
    # shipped 10-09; T1 flagged 蓝 on 10-12 (after), T2 on 10-08 (before: shipped despite the flag),
    # T3 has no date in its remark (cannot tell: still an error), T4 came back through the returns register
    r = validate_rows({
        "发货": [H, parcel(order="T1"), parcel(order="T2", waybill="SF1234567890124"),
               parcel(order="T3", waybill="SF1234567890125"), parcel(order="T4", waybill="SF1234567890126")],
        "订单": [O, order("T1", flag="蓝", remark="10/12 尺码不合适 运费买家 小张"),
               order("T2", flag="蓝", remark="10月8日 不想要了 运费买家 小张"),
               order("T3", flag="蓝", remark="不想要了 运费买家 小张"), order("T4", status="退款中")],
        "退换货": [["订单号", "类型", "原因"], ["T4", "退货", "不喜欢"]],
    }, as_of=dt.datetime(2026, 10, 13, 12))
    assert [c for _, c, _ in codes(r, "ship-blocked-order")] == ["B3", "B4"]


def test_differs_from_order(validate_rows):
    r = run(validate_rows, [parcel(order="T1", courier="中通", waybill="773123456789012", who="李四", prov="浙江")],
            [order("T1", courier="顺丰速运")])
    assert [c for _, c, _ in codes(r, "ship-differs-from-order")] == ["C2", "G2", "H2"]


def test_weight_and_packer(validate_rows):
    r = run(validate_rows, [parcel(weight=0), parcel(order="T2", waybill="SF1234567890124", weight=51),
                            parcel(order="T3", waybill="SF1234567890125", weight=50, packer=None)])
    assert [c for _, c, _ in codes(r, "weight-implausible")] == ["E2", "E3"]
    assert codes(r, "packer-missing") == [("发货", "I4", "packer-missing")]


def test_refused_needs_reason(validate_rows):
    r = run(validate_rows, [parcel(state="拒收"), parcel(order="T2", waybill="SF1234567890124", state="无法送达", reason="地址错误")])
    assert codes(r, "reason-missing") == [("发货", "K2", "reason-missing")]


def test_overdue_unshipped(validate_rows):
    orders = [order("T1", paid=dt.datetime(2026, 10, 9, 15, 59), status="待发货"),
              order("T2", paid=dt.datetime(2026, 10, 9, 16, 1), status="待发货"),
              order("T3", paid=dt.datetime(2026, 10, 8, 10), status="待发货")]
    r = run(validate_rows, [parcel(order="T3")], orders, as_of=dt.datetime(2026, 10, 9, 23, 59))
    assert codes(r, "ship-overdue") == []
    r = run(validate_rows, [parcel(order="T3")], orders, as_of=dt.datetime(2026, 10, 10, 0, 30))
    assert codes(r, "ship-overdue") == [("订单", "C2", "ship-overdue")]
    r = run(validate_rows, [parcel(order="T3")], orders, as_of=dt.datetime(2026, 10, 11, 0, 0))
    assert [c for _, c, _ in codes(r, "ship-overdue")] == ["C2", "C3"]


def test_unsigned_after_five_days(validate_rows):
    h = H + ["签收日期"]
    rows = [parcel(date=dt.datetime(2026, 10, 1)) + [None],
            parcel(order="T2", waybill="SF1234567890124", date=dt.datetime(2026, 10, 6)) + [None],
            parcel(order="T3", waybill="SF1234567890125", date=dt.datetime(2026, 10, 1)) + [dt.datetime(2026, 10, 3)]]
    r = validate_rows({"发货": [h, *rows]}, as_of=dt.datetime(2026, 10, 10, 12))
    assert codes(r, "unsigned-parcel") == [("发货", "L2", "unsigned-parcel")]


def test_over_shipped_quantity(validate_rows):
    h = H + ["商品编码", "数量"]
    rows = [parcel() + ["S1", 1], parcel(waybill="SF1234567890124") + ["S1", 1]]
    sheets = {"发货": [h, *rows], "订单": [O, order("T1")]}
    r = validate_rows(sheets, as_of=dt.datetime(2026, 10, 10, 12))
    assert codes(r, "over-shipped") == [("发货", "M3", "over-shipped")]


def test_province_not_a_division(validate_rows):
    r = run(validate_rows, [parcel(prov="火星"), parcel(order="T2", waybill="SF1234567890124", prov="深圳")])
    assert [c for _, c, _ in codes(r, "province-invalid")] == ["H2", "H3"]
    messages = r.findings.loc[r.findings["code"] == "province-invalid", "message"].tolist()
    assert "深圳 是广东省的城市" in messages[1] and "城市" not in messages[0]


def test_register_dates_after_the_as_of_day_are_errors(validate_rows):
    h = H + ["签收日期"]
    rows = [parcel() + [dt.datetime(2026, 10, 10)],                                  # today: fine
            parcel(order="T2", waybill="SF1234567890124", date=dt.datetime(2026, 10, 11)) + [None],
            parcel(order="T3", waybill="SF1234567890125") + [dt.datetime(2026, 11, 2)]]
    r = validate_rows({"发货": [h, *rows]}, as_of=dt.datetime(2026, 10, 10, 12))
    assert codes(r, "date-in-future") == [("发货", "A3", "date-in-future"), ("发货", "L4", "date-in-future")]


def test_signed_for_before_the_parcel_left(validate_rows):
    h = H + ["签收日期"]
    rows = [parcel(date=dt.datetime(2026, 10, 5)) + [dt.datetime(2026, 10, 4)],
            parcel(order="T2", waybill="SF1234567890124", date=dt.datetime(2026, 10, 5)) + [dt.datetime(2026, 10, 5)],
            parcel(order="T3", waybill="SF1234567890125", date=dt.datetime(2026, 10, 5, 15, 0))
            + [dt.datetime(2026, 10, 5, 14, 50)]]
    r = validate_rows({"发货": [h, *rows]}, as_of=dt.datetime(2026, 10, 10, 12))
    assert codes(r, "signed-before-shipped") == [("发货", "L2", "signed-before-shipped")]
    assert codes(r, "time-order-slip") == [("发货", "L4", "time-order-slip")]
    message = r.findings.set_index("code").loc["signed-before-shipped", "message"]
    assert "订单 T1 的发货日期 2026-10-05" in message


def test_shipped_before_the_order_was_paid_is_a_cross_sheet_error(validate_rows):
    # T1 shipped 10-08, paid 10-09; T2 shipped the day it was paid (a register date has no time);
    # T3 is 货到付款: its 付款时间 is when the courier collected, after shipping
    r = run(validate_rows,
            [parcel(order="T1", date=dt.datetime(2026, 10, 8)),
             parcel(order="T2", waybill="SF1234567890124", date=dt.datetime(2026, 10, 9)),
             parcel(order="T3", waybill="SF1234567890125", date=dt.datetime(2026, 10, 8))],
            [order("T1"), order("T2"), order("T3", pay="货到付款", paid=dt.datetime(2026, 10, 10, 9))])
    assert codes(r, "shipped-before-paid") == [("发货", "A2", "shipped-before-paid")]
    assert "订单 T1 的付款时间 2026-10-09 09:00" in r.findings.set_index("code").loc["shipped-before-paid", "message"]
    assert codes(run(validate_rows, [parcel(order="T1", date=dt.datetime(2026, 10, 8))]), "shipped-before-paid") == []


def test_a_parcel_registered_later_on_the_as_of_day_is_only_a_warning(validate_rows):
    r = validate_rows({"发货": [H, parcel(date=dt.datetime(2026, 10, 10, 14, 30))]}, as_of=dt.datetime(2026, 10, 10, 12))
    assert codes(r, "time-after-as-of") == [("发货", "A2", "time-after-as-of")] and codes(r, "date-in-future") == []


def test_parcel_for_a_refund_pending_order(validate_rows):
    """售后/退款 in progress or done before the goods left: a parcel for it is an error; a refund after
    the order shipped (its status says 已发货) is a return, not a shipping error."""
    oh = O + ["售后状态"]
    r = validate_rows({"发货": [H, parcel(order="T1"), parcel(order="T2", waybill="SF1234567890124"),
                              parcel(order="T3", waybill="SF1234567890125")],
                       "订单": [oh, order("T1", status="待发货") + ["售后处理中"], order("T2", status="待发货") + ["退款成功"],
                              order("T3", status="已发货") + ["退款成功"]]}, as_of=dt.datetime(2026, 10, 10, 12))
    assert [c for _, c, _ in codes(r, "ship-blocked-order")] == ["B2", "B3"]
    assert "退款中" in r.findings.set_index("cell").loc["B2", "message"]


def test_blank_weight_or_fee_on_a_shipped_parcel(validate_rows):
    header = ["发货日期", "订单号", "快递公司", "快递单号", "重量(kg)", "运费", "包装人"]
    r = validate_rows({"发货": [header, [D, "T1", "顺丰", "SF1234567890123", None, 12, "小周"],
                                [D, "T2", "顺丰", "SF1234567890124", 0.5, None, "小周"],
                                [D, "T3", "顺丰", "SF1234567890125", "约1", 12, "小周"],  # not-a-number, not blank
                                [D, "T4", "顺丰", None, None, None, "小周"]]})  # no waybill: not shipped yet
    assert codes(r, "weight-missing") == [("发货", "E2", "weight-missing")]
    assert codes(r, "fee-missing") == [("发货", "F3", "fee-missing")]
    # a register that keeps no 运费 column is not asked for one
    r = validate_rows({"发货": [header[:5], [D, "T1", "顺丰", "SF1234567890123", 0.5]]})
    assert codes(r, "fee-missing") == [] and codes(r, "weight-missing") == []
