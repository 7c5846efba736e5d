"""The stock ledger's registers as sheets (shopbook.sheets.inbound, purchases, adjustments): found by
name or headers, and each per-sheet check with a small inline table (run through validate)."""
import datetime as dt

from conftest import codes

D = dt.datetime(2026, 10, 5)
IN_H = ["日期", "入库单号", "采购单号", "供应商", "商品编码", "颜色", "尺码", "应到数量", "实到数量", "合格数量",
        "不合格数量", "不合格处理", "库位", "检验人", "登记人"]
PO_H = ["采购单号", "下单日期", "商品编码", "颜色", "尺码", "数量", "单价"]
ADJ_H = ["日期", "商品编码", "颜色", "尺码", "数量", "原因", "经办人", "批准人"]
STOCK_H = ["商品编码", "商品名称", "颜色", "尺码", "库位", "账面数量", "残次数量", "安全库存"]


def receipt(sku="S1", color="黑", size="M", due=10, arrived=10, good=10, bad=None, disposal=None, po="PO1",
            inspector="阿强", day=D):
    return [day, "RK1", po, "佳丽", sku, color, size, due, arrived, good, bad, disposal, "A-01-01", inspector, "老周"]


def inbound(validate_rows, *rows, extra=None):
    return validate_rows({"入库": [IN_H, *rows], **(extra or {})})


def test_a_clean_receipt(validate_rows):
    assert codes(inbound(validate_rows, receipt())) == []


def test_arrived_differs_from_due(validate_rows):
    r = inbound(validate_rows, receipt(due=10, arrived=8, good=8), receipt(size="L", due=5, arrived=6, good=6))
    f = r.findings[r.findings["code"] == "inbound-arrival-differs"]
    assert list(f["cell"]) == ["I2", "I3"]
    assert "少到 2 件" in f["message"].iloc[0] and "多到 1 件" in f["message"].iloc[1]


def test_inspection_must_account_for_what_arrived(validate_rows):
    r = inbound(validate_rows, receipt(arrived=10, good=10, bad=1, disposal="退回供应商"),
                receipt(size="L", arrived=10, good=9, bad=1, disposal="退回供应商"),
                receipt(size="S", arrived=10, good=None, bad=2, disposal="返厂"))
    assert codes(r, "inbound-inspection-mismatch") == [("入库", "J2", "inbound-inspection-mismatch")]
    assert "11 件" in r.findings.loc[r.findings["code"] == "inbound-inspection-mismatch", "message"].iloc[0]


def test_defective_goods_need_a_disposal(validate_rows):
    r = inbound(validate_rows, receipt(good=8, bad=2, disposal=None),
                receipt(size="L", good=8, bad=2, disposal="残次"),
                receipt(size="S", good=8, bad=2, disposal="退货"),  # a synonym of 退回供应商
                receipt(size="XL", good=8, bad=2, disposal="上架"))  # no disposal at all
    assert codes(r, "inbound-defect-sellable") == [("入库", "K2", "inbound-defect-sellable"),
                                                   ("入库", "K5", "inbound-defect-sellable")]
    assert ("入库", "L5", "value-not-allowed") in codes(r)


def test_every_receipt_is_inspected(validate_rows):
    r = inbound(validate_rows, receipt(inspector=None))
    assert codes(r, "inbound-inspector-missing") == [("入库", "N2", "inbound-inspector-missing")]


def test_against_the_purchase_order(validate_rows):
    po = {"采购清单": [PO_H, ["PO1", D, "S1", "黑", "M", 10, 20], ["PO1", D, "S2", None, None, 5, 30]]}
    r = inbound(validate_rows,
                receipt(arrived=6, good=6, due=6),                            # on the PO
                receipt(arrived=6, good=6, due=6, day=dt.datetime(2026, 10, 6)),  # 12 of 10: over here
                receipt(sku="S2", color="白", size="L", due=3, arrived=3, good=3),  # a PO line without variants
                receipt(sku="S3", due=1, arrived=1, good=1),                  # not on the PO
                receipt(po="PO9", due=1, arrived=1, good=1),                  # no such PO
                extra=po)
    assert codes(r, "inbound-over-po") == [("入库", "I3", "inbound-over-po")]
    assert codes(r, "inbound-not-on-po") == [("入库", "E5", "inbound-not-on-po")]
    assert codes(r, "inbound-po-unknown") == [("入库", "C6", "inbound-po-unknown")]
    over = r.findings.loc[r.findings["code"] == "inbound-over-po", "message"].iloc[0]
    assert "订购 10 件,累计实到 12 件" in over and "超出 2 件" in over


def test_a_purchase_order_line_twice(validate_rows):
    r = validate_rows({"采购清单": [PO_H, ["PO1", D, "S1", "黑", "M", 10, 20], ["PO1", D, "S1", "黑", "M", 5, 20],
                                 ["PO1", D, "S1", "黑", "L", 5, 20]]})
    assert codes(r, "po-line-duplicate") == [("采购清单", "C3", "po-line-duplicate")]


def test_adjustments_need_a_reason_and_an_approver_other_than_the_clerk(validate_rows):
    r = validate_rows({"库存调整": [ADJ_H, [D, "S1", "黑", "M", -1, "报损", "老周", "王经理"],
                                 [D, "S1", "黑", "M", -1, None, "老周", "王经理"],
                                 [D, "S1", "黑", "M", -1, "借出", "老周", None],
                                 [D, "S1", "黑", "M", 2, "归还", "老周", "老周"]]})
    assert codes(r, "adjustment-reason-missing") == [("库存调整", "F3", "adjustment-reason-missing")]
    assert codes(r, "adjustment-approver-missing") == [("库存调整", "H4", "adjustment-approver-missing")]
    assert codes(r, "adjustment-self-approved") == [("库存调整", "H5", "adjustment-self-approved")]


def test_found_by_headers_and_never_taken_for_the_stock_sheet(validate_rows):
    r = validate_rows({"库存": [STOCK_H, ["S1", "文胸", "黑", "M", "A-01-01", 5, 0, 1]],
                       "Sheet1": [["2026年10月 到货登记"], IN_H, receipt()]})
    assert r.sheets.inbound is not None and r.sheets.inbound.sheet == "Sheet1"
    assert r.sheets.inbound.header_row == 2
    assert r.sheets.stock.sheet == "库存"


def test_validate_uses_the_computed_sellable_when_the_movements_are_kept(validate_rows):
    orders = [["订单号", "付款时间", "收件人", "手机", "省", "详细地址", "商品编码", "颜色", "尺码", "数量"],
              ["O1", dt.datetime(2026, 10, 9, 9), "张三", "13800000000", "浙江", "文一路1号", "S1", "黑", "M", 3]]
    stock = [STOCK_H, ["S1", "文胸", "黑", "M", "A-01-01", 10, 0, 5]]
    plain = validate_rows({"订单": orders, "库存": stock})
    assert codes(plain, "out-of-stock") == []
    # 10 on the book at the start of the month, 8 written off since: 2 sellable for an order of 3
    moved = validate_rows({"订单": orders, "库存": stock,
                           "库存调整": [ADJ_H, [D, "S1", "黑", "M", -8, "报损", "老周", "王经理"]]})
    assert codes(moved, "out-of-stock") == [("订单", "J2", "out-of-stock")]
    assert codes(moved, "reorder-alert") == [("库存", "H2", "reorder-alert")]
