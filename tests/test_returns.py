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
