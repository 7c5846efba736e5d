"""Rules of SPEC §Orders, each on a small inline sheet."""
import datetime as dt

import pandas as pd
import pytest

from conftest import codes
from shopbook.sheets.orders import clean_phone, valid_phone
from shopbook.sheets.remarks import missing_remark_parts

H = ["订单号", "下单时间", "付款时间", "收件人", "手机", "省", "详细地址", "商品编码", "数量", "单价", "实付金额",
     "付款方式", "旗帜", "备注", "状态"]
PAID = dt.datetime(2026, 10, 10, 9, 0)


def line(order="T1", placed=dt.datetime(2026, 10, 10, 8, 0), paid=PAID, who="张三", phone="13812345678",
         prov="广东", addr="深圳市南山区科技园路1号", sku="S1", qty=1, price=50, total=50, pay="在线支付",
         flag="无", remark=None, status="待发货"):
    return [order, placed, paid, who, phone, prov, addr, sku, qty, price, total, pay, flag, remark, status]


def run(validate_rows, *rows, as_of=dt.datetime(2026, 10, 10, 12, 0), **sheets):
    return validate_rows({"订单": [H, *rows], **sheets}, as_of=as_of)


def test_clean_order_has_no_findings(validate_rows):
    assert codes(run(validate_rows, line())) == []


@pytest.mark.parametrize("phone, ok", [
    ("13812345678", True), ("+86 138 1234 5678", True), ("86-13812345678", True), ("138-1234-5678", True),
    ("13812345678-1234", True), ("0755-12345678", True), ("010-1234567-88", True), ("12812345678", False),
    ("1381234567", False), ("138123456789", False), ("abc", False), ("5551234", False),
])
def test_phone_forms(phone, ok):
    assert bool(valid_phone(pd.Series([phone])).iloc[0]) == ok


def test_phone_invalid_is_error(validate_rows):
    r = run(validate_rows, line(phone="1381234567"))
    assert codes(r) == [("订单", "E2", "phone-invalid")]


def test_masked_phone_from_a_platform_export_is_a_warning(validate_rows):
    r = run(validate_rows, line(order="T1", phone="138****5678"), line(order="T2", phone="138**5678"))
    assert codes(r, "phone-masked") == [("订单", "E2", "phone-masked")]
    assert codes(r, "phone-invalid") == [("订单", "E3", "phone-invalid")]


def test_two_spellings_of_one_number_compare_equal():
    assert clean_phone(pd.Series(["+86 138-1234-5678"])).iloc[0] == clean_phone(pd.Series(["13812345678"])).iloc[0]


def test_amount_mismatch_and_tolerance(validate_rows):
    r = run(validate_rows, line(order="T1", qty=2, price=49.99, total=99.98),
            line(order="T2", qty=2, price=49.99, total=99.97), line(order="T3", qty=2, price=49.99, total=99.96))
    assert codes(r, "amount-mismatch") == [("订单", "K4", "amount-mismatch")]


def test_required_and_type_errors(validate_rows):
    r = run(validate_rows, line(who=None, qty=1.5), line(order="T2", qty=-1), line(order="T3", total=-5),
            line(order="T4", qty=0, total=0))
    found = codes(r)
    assert ("订单", "I5", "not-positive") in found
    assert ("订单", "D2", "required-missing") in found
    assert ("订单", "I2", "not-whole-number") in found
    assert ("订单", "I3", "negative-value") in found
    assert ("订单", "K4", "negative-value") in found


def test_province(validate_rows):
    r = run(validate_rows, line(order="T1", prov="广东省"), line(order="T2", prov="内蒙古"),
            line(order="T3", prov="新疆"), line(order="T4", prov="火星"),
            line(order="T5", prov=None, addr="浙江省杭州市西湖区文三路9号"),
            line(order="T6", prov=None, addr="杭州市西湖区文三路9号"),
            line(order="T7", prov=None, addr="朝阳区建国路1号"))  # 北京 or 长春: not guessed
    assert codes(r, "province-invalid") == [("订单", "F5", "province-invalid")]
    assert codes(r, "province-missing") == [("订单", "F8", "province-missing")]
    inferred = r.findings[r.findings["code"] == "province-by-city"]
    # T4 (省 火星, address 深圳市…) and T6: one finding for the column, with the first as example
    assert len(inferred) == 1 and inferred["message"].iloc[0].startswith("2 个地址没有写省份")
    assert "G5 「深圳市南山区科技园路1号」→ 广东省" in inferred["message"].iloc[0]
    r = run(validate_rows, line(order="T1", prov="广州"))  # a city where the province belongs
    assert "广州 是广东省的城市,这里应写「广东」" in r.findings.loc[r.findings["code"] == "province-invalid", "message"].iloc[0]


def test_address_only_province_and_city(validate_rows):
    r = run(validate_rows, line(order="T1", addr="广东省深圳市"), line(order="T2", addr="深圳市南山区"),
            line(order="T3", addr="深圳市南山区粤海街道高新南一道8号"))
    assert [c for _, c, _ in codes(r, "address-incomplete")] == ["G2", "G3"]


def test_duplicate_order_line(validate_rows):
    r = run(validate_rows, line(order="T1", sku="S1"), line(order="T1", sku="S2"), line(order="T1", sku="S1"))
    dup = r.findings[r.findings["code"] == "duplicate-order-line"]
    assert list(dup["cell"]) == ["H4"] and "第 2 行" in dup["message"].iloc[0]


def test_can_merge_shipment(validate_rows):
    r = run(validate_rows, line(order="T1"), line(order="T2"), line(order="T3", who="李四"),
            line(order="T4", paid=None))
    assert [c for _, c, _ in codes(r, "can-merge-shipment")] == ["A2", "A3"]


def test_payment_chase_before_cutoff(validate_rows):
    as_of = dt.datetime(2026, 10, 10, 17, 0)
    r = run(validate_rows, line(order="T1", paid=None, status="待付款", placed=dt.datetime(2026, 10, 10, 15, 59)),
            line(order="T2", paid=None, status="待付款", placed=dt.datetime(2026, 10, 10, 16, 30)),
            line(order="T3", paid=None, status="已关闭", placed=dt.datetime(2026, 10, 9)),
            line(order="T4", paid=None, status=None, placed=dt.datetime(2026, 10, 9)),
            # the status says the buyer paid, only the time is missing: nobody to chase
            line(order="T5", paid=None, status="已完成", placed=dt.datetime(2026, 10, 9)), as_of=as_of)
    assert [c for _, c, _ in codes(r, "payment-chase")] == ["C2", "C5"]


def test_cod_counts_as_paid_and_gets_reminder(validate_rows):
    r = run(validate_rows, line(order="T1", paid=None, pay="货到付款"))
    assert codes(r) == [("订单", "L2", "cod-reminder")]


@pytest.mark.parametrize("flag, remark, missing", [
    ("红", "小王:要黑色", []),
    ("红", "要黑色 ---10/5 小王", []),
    ("红", "要黑色", ["客服名字"]),
    ("绿", "10/5 快递截单 小王", []),
    ("绿", "快递截单 小王", ["日期"]),
    ("绿", "10/5 小王", ["原因"]),
    ("紫", "10/5 黑M换白L 差价0 运费买家 小李", []),
    ("紫", "10/5 黑M换白L 小李", ["差价", "运费"]),
    ("蓝", "10/6 尺码不合适 运费买家 小张", []),
    ("蓝", "10/6 尺码不合适 小张", ["运费"]),
    ("蓝", "尺码不合适", ["日期", "运费", "客服名字"]),
])
def test_flag_remark_parts(flag, remark, missing):
    assert missing_remark_parts(flag, remark, {"小王", "小李", "小张"}) == missing


def test_flag_remark_finding_and_promotion_day(validate_rows):
    from shopbook.rules import DEFAULT_RULES
    from dataclasses import replace
    r = run(validate_rows, line(order="T1", flag="红旗", remark="要黑色"))
    assert codes(r, "flag-remark-missing") == [("订单", "N2", "flag-remark-missing")]
    promo = replace(DEFAULT_RULES, promotion_days=(dt.date(2026, 10, 10),))
    r = validate_rows({"订单": [H, line(order="T1", flag="红", remark="要黑色")]},
                      as_of=dt.datetime(2026, 10, 10, 12), rules=promo)
    assert codes(r, "flag-remark-missing") == []


def test_yellow_flag_paid_without_name_is_public_order(validate_rows):
    r = run(validate_rows, line(order="T1", flag="黄", remark="催了两次"), line(order="T2", flag="黄", remark="小王催单"))
    assert codes(r, "public-order") == [("订单", "M2", "public-order")]


def test_unknown_flag(validate_rows):
    assert codes(run(validate_rows, line(flag="橙")), "value-not-allowed") == [("订单", "M2", "value-not-allowed")]


def test_against_stock_unknown_sku_and_shortage(validate_rows):
    stock = [["商品编码", "库位", "账面数量"], ["S1", "A-01-01", 3], ["S2", "A-01-02", 1]]
    r = run(validate_rows, line(order="T1", sku="S1", qty=2), line(order="T2", sku="S1", qty=2),
            line(order="T3", sku="S9"), 库存=stock)
    assert codes(r, "unknown-sku") == [("订单", "H4", "unknown-sku")]
    short = r.findings[r.findings["code"] == "out-of-stock"]
    assert list(short["cell"]) == ["I2"] and short["value"].iloc[0] == "2"  # the cell holds 2 of the 4
    message = short["message"].iloc[0]
    assert "未发货订单共需 4 件(2 单合计,不是本单元格的数量" in message and "可售库存只有 3 件" in message


def test_order_and_payment_times_after_the_as_of_time(validate_rows):
    # as of 10-10 12:00: a later day has not happened yet (error); 13:00 the same day is a sheet
    # exported after the as-of time or a clock ahead (warning); a bare date of the same day is fine
    r = run(validate_rows, line(order="T1", paid=dt.datetime(2026, 10, 10, 13, 0)),
            line(order="T2", placed=dt.datetime(2026, 11, 10, 8, 0), paid=dt.datetime(2026, 11, 10, 9, 0)),
            line(order="T3", placed=dt.datetime(2026, 10, 10), paid=dt.datetime(2026, 10, 10)))
    assert codes(r, "date-in-future") == [("订单", "B3", "date-in-future"), ("订单", "C3", "date-in-future")]
    assert codes(r, "time-after-as-of") == [("订单", "C2", "time-after-as-of")]
    f = r.findings.drop_duplicates("code").set_index("code")
    assert f.loc["date-in-future", "severity"] == "error" and f.loc["time-after-as-of", "severity"] == "warning"
    assert "晚于检查时间 2026-10-10 12:00(不是同一天)" in f.loc["date-in-future", "message"]
    assert "晚了 1 小时" in f.loc["time-after-as-of", "message"]


def test_payment_before_the_order_was_placed(validate_rows):
    # a day before: impossible (error); minutes before on the same day: a clock slip (warning)
    r = run(validate_rows, line(order="T1", placed=dt.datetime(2026, 10, 9, 8), paid=dt.datetime(2026, 10, 8, 9)),
            line(order="T2", placed=dt.datetime(2026, 10, 9, 8, 5), paid=dt.datetime(2026, 10, 9, 8, 2)),
            line(order="T3", placed=dt.datetime(2026, 10, 9, 8, 5), paid=dt.datetime(2026, 10, 9, 8, 5)))
    assert codes(r, "paid-before-placed") == [("订单", "C2", "paid-before-placed")]
    assert codes(r, "time-order-slip") == [("订单", "C3", "time-order-slip")]
    f = r.findings.set_index("code")
    assert f.loc["paid-before-placed", "severity"] == "error" and f.loc["time-order-slip", "severity"] == "warning"
    assert "早于下单时间 2026-10-09 08:00" in f.loc["paid-before-placed", "message"]
    assert "早了 3 分钟" in f.loc["time-order-slip", "message"]


def test_a_time_check_marks_the_typed_cell_not_the_blank_lines_of_the_order(validate_rows):
    # line 2 of T1 leaves 下单/付款 blank (taken from the order's first line): one finding, on C2
    r = run(validate_rows, line(order="T1", placed=dt.datetime(2026, 10, 9, 8), paid=dt.datetime(2026, 10, 8, 9)),
            line(order="T1", placed=None, paid=None, sku="S2"))
    assert codes(r, "paid-before-placed") == [("订单", "C2", "paid-before-placed")]


# --- refund and after-sale state (platform exports) ----------------------------------------
RH = H + ["退款状态", "退款金额"]


@pytest.mark.parametrize("word, state, known", [
    ("退款成功", "已退款", True), ("同意退款，退款成功", "已退款", True), ("售后处理中", "退款中", True),
    ("买家已经申请退款，等待卖家同意", "退款中", True), ("无售后或售后取消", "无", True), ("退款关闭", "无", True),
    ("售后取消，退款失败", "无", True), ("换货成功", "无", True), ("没有申请退款", "无", True), (None, None, True),
    ("奇怪的状态", "退款中", False)])
def test_refund_words(word, state, known):
    from shopbook.sheets.orders import refund_word
    assert refund_word(word) == (state, known)


def test_refund_state_blocks_unshipped_orders_only():
    from shopbook.sheets.orders import blocked_reason
    d = pd.DataFrame({"状态": ["待发货", "待发货", "已发货", "待发货", "已关闭", "待发货"],
                      "退款状态": ["售后处理中", "退款成功", "退款成功", None, "退款成功", "无"],
                      "退款金额": pd.array([None, None, None, 5900, None, 5900], dtype="Int64")})
    got = [None if pd.isna(r) else r for r in blocked_reason(d)]
    assert got == ["处于退款中(售后处理中)", "已退款", None, "已退款", "已关闭", None]


def test_unknown_refund_word_is_said_once(validate_rows):
    rows = [line(order=f"T{i}") + ["奇怪的状态", None] for i in range(3)]
    found = validate_rows({"订单": [RH, *rows]}, as_of=dt.datetime(2026, 10, 10, 12))
    assert [c for _, _, c in codes(found)] == ["refund-word-unknown"]


def test_address_split_by_spaces_is_checked_as_one(validate_rows):
    r = run(validate_rows, line(addr="广东省 深圳市", prov=None), line(order="T2", addr="广东省 深圳市 南山区 科技路 1号", prov=None))
    assert codes(r, "address-incomplete") == [("订单", "G2", "address-incomplete")]
