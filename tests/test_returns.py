"""Rules of SPEC §Returns (7 天无理由 and the shop's exclusions)."""
import datetime as dt

from conftest import codes

H = ["登记日期", "订单号", "类型", "原因", "签收日期", "申请日期", "商品编码", "数量", "商品状态", "商品类别",
     "是否特价", "是否赠品", "退回快递单号", "退回方式", "运费承担", "退款金额", "附件齐全", "状态", "处理人"]
S = dt.datetime(2026, 10, 1)


def ret(order="T1", kind="退货", reason="不喜欢", signed=S, applied=dt.datetime(2026, 10, 8), cond="完好",
        cat="文胸", special="否", gift="否", waybill="SF1234567890123", how="寄付", payer="买家", refund=50,
        parts="是", status="已退款"):
    return [applied, order, kind, reason, signed, applied, "S1", 1, cond, cat, special, gift, waybill, how, payer,
            refund, parts, status, "小张"]


def run(validate_rows, *rows, orders=None):
    sheets = {"退换货": [H, *rows]}
    if orders:
        sheets["订单"] = orders
    return validate_rows(sheets)


def test_clean(validate_rows):
    assert codes(run(validate_rows, ret())) == []


def test_freight_payer(validate_rows):
    r = run(validate_rows, ret(reason="质量问题", payer="买家"), ret(reason="发错货", payer="店铺"),
            ret(reason="尺码不合适", payer="店铺"))
    assert [c for _, c, _ in codes(r, "freight-payer-wrong")] == ["O2", "O4"]


def test_seven_day_window_from_day_after_signing(validate_rows):
    r = run(validate_rows, ret(applied=dt.datetime(2026, 10, 8)), ret(applied=dt.datetime(2026, 10, 9)),
            ret(reason="质量问题", payer="店铺", applied=dt.datetime(2026, 10, 20)))
    assert codes(r, "return-window-exceeded") == [("退换货", "F3", "return-window-exceeded")]


def test_excluded_goods(validate_rows):
    r = run(validate_rows, ret(cond="已洗涤"), ret(cat="内裤"), ret(special="是"), ret(gift="是"),
            ret(reason="质量问题", payer="店铺", cond="已穿着"))
    assert [c for _, c, _ in codes(r, "return-excluded-goods")] == ["I2", "J3", "K4", "L5"]


def test_waybill_and_freight_collect(validate_rows):
    r = run(validate_rows, ret(waybill=None), ret(how="到付"), ret(kind="仅退款", waybill=None))
    assert codes(r, "return-waybill-missing") == [("退换货", "M2", "return-waybill-missing")]
    assert codes(r, "return-freight-collect") == [("退换货", "N3", "return-freight-collect")]


def test_refund_limits_and_attachments(validate_rows):
    orders = [["订单号", "收件人", "手机", "详细地址", "商品编码", "数量", "单价", "实付金额", "旗帜", "备注"],
              ["T1", "张三", "13812345678", "广东深圳南山区科技园1号", "S1", 1, 50, 50, "蓝", "10/6 不喜欢 运费买家 小张"]]
    r = run(validate_rows, ret(refund=50.01), ret(refund=50, parts="否"), orders=orders)
    assert codes(r, "refund-exceeds-paid") == [("退换货", "P2", "refund-exceeds-paid")]
    assert codes(r, "refund-attachments-missing") == [("退换货", "Q3", "refund-attachments-missing")]


def test_flag_mismatch(validate_rows):
    orders = [["订单号", "收件人", "手机", "详细地址", "商品编码", "数量", "单价", "实付金额", "旗帜"],
              ["T1", "张三", "13812345678", "广东深圳南山区科技园1号", "S1", 1, 50, 50, "无"]]
    r = run(validate_rows, ret(), ret(kind="换货", payer="买家"), orders=orders)
    assert [c for _, c, _ in codes(r, "return-flag-mismatch")] == ["C2", "C3"]
    orders[1][-1] = None  # no flag at all is a mismatch too
    r = run(validate_rows, ret(), orders=orders)
    assert [c for _, c, _ in codes(r, "return-flag-mismatch")] == ["C2"]


def test_reason_required(validate_rows):
    assert ("退换货", "D2", "reason-required") in codes(run(validate_rows, ret(reason=None)))


def test_return_dates_after_the_as_of_day_are_errors(validate_rows):
    r = run(validate_rows, ret(applied=dt.datetime(2026, 10, 11)))  # as of 2026-10-10 18:00
    assert codes(r, "date-in-future") == [("退换货", "A2", "date-in-future"), ("退换货", "F2", "date-in-future")]


def test_goods_back_before_they_were_shipped_or_signed_for(validate_rows):
    # T1 left 10-03 but the return was received 10-02; T2 was received 10-04, before the buyer signed
    # (10-05); T3 was signed for 10-02, a day before its parcel left; T4 is in order
    h = H + ["收货日期"]
    register = [["发货日期", "订单号", "快递公司", "快递单号"], [dt.datetime(2026, 10, 3), "T1", "顺丰", "SF1234567890123"],
                [dt.datetime(2026, 10, 3), "T2", "顺丰", "SF1234567890124"],
                [dt.datetime(2026, 10, 3), "T3", "顺丰", "SF1234567890125"],
                [dt.datetime(2026, 10, 3), "T4", "顺丰", "SF1234567890126"]]
    rows = [ret(order="T1", signed=dt.datetime(2026, 10, 5)) + [dt.datetime(2026, 10, 2)],
            ret(order="T2", signed=dt.datetime(2026, 10, 5)) + [dt.datetime(2026, 10, 4)],
            ret(order="T3", signed=dt.datetime(2026, 10, 2)) + [dt.datetime(2026, 10, 8)],
            ret(order="T4", signed=dt.datetime(2026, 10, 5)) + [dt.datetime(2026, 10, 9)]]
    r = validate_rows({"退换货": [h, *rows], "发货": register})
    assert codes(r, "return-received-too-early") == [("退换货", "T2", "return-received-too-early"),
                                                     ("退换货", "T3", "return-received-too-early")]
    assert codes(r, "signed-before-shipped") == [("退换货", "E4", "signed-before-shipped")]
    messages = r.findings[r.findings["code"] == "return-received-too-early"]["message"].tolist()
    assert "早于订单 T1 的发货日期 2026-10-03" in messages[0] and "早于订单 T2 的签收日期 2026-10-05" in messages[1]
    # without the register only the returns sheet's own dates are compared (T1 is before its 签收 too)
    r = validate_rows({"退换货": [h, *rows]})
    assert [c for _, c, _ in codes(r, "return-received-too-early")] == ["T2", "T3"]
