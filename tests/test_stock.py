"""Rules of SPEC §Stock."""
import datetime as dt

import pandas as pd

from conftest import codes
from shopbook.sheets.stock import location_order

H = ["商品编码", "商品名称", "颜色", "尺码", "库位", "账面数量", "实盘数量", "残次数量", "安全库存", "成本价", "盘点日期", "盘点人"]
C = dt.datetime(2026, 10, 8)


def item(sku="S1", color="黑", size="M", loc="A-01-03", book=10, counted=10, bad=0, safety=2, cost=20, date=C):
    return [sku, "文胸", color, size, loc, book, counted, bad, safety, cost, date, "小周"]


def run(validate_rows, *rows):
    return validate_rows({"库存": [H, *rows]})


def test_clean(validate_rows):
    assert codes(run(validate_rows, item())) == []


def test_duplicate_key_includes_variants(validate_rows):
    r = run(validate_rows, item(), item(size="L"), item())
    assert codes(r, "duplicate-sku") == [("库存", "A4", "duplicate-sku")]


def test_variance_valued_at_cost(validate_rows):
    r = run(validate_rows, item(counted=8), item(size="L", counted=11))
    f = r.findings[r.findings["code"] == "stock-variance"]
    assert list(f["cell"]) == ["G2", "G3"]
    assert "盘亏 2 件" in f["message"].iloc[0] and "40.00 元" in f["message"].iloc[0]
    assert "盘盈 1 件" in f["message"].iloc[1]


def test_reorder_alert_uses_sellable(validate_rows):
    r = run(validate_rows, item(counted=3, bad=2, safety=2, book=3), item(size="L", counted=4, bad=2, safety=2, book=4))
    assert codes(r, "reorder-alert") == [("库存", "I2", "reorder-alert")]


def test_location_pattern_and_missing(validate_rows):
    r = run(validate_rows, item(loc="A0103"), item(size="L", loc=None), item(size="S", loc="B-2-1"))
    assert codes(r, "location-pattern") == [("库存", "E2", "location-pattern")]
    assert codes(r, "location-missing") == [("库存", "E3", "location-missing")]


def test_stale_stocktake(validate_rows):
    r = run(validate_rows, item(date=dt.datetime(2026, 10, 3)), item(size="L", date=dt.datetime(2026, 10, 2)))
    assert codes(r, "stocktake-stale") == [("库存", "K3", "stocktake-stale")]


def test_stale_stocktake_days_are_whole_beside_a_blank_date(validate_rows):
    r = run(validate_rows, item(date=dt.datetime(2026, 10, 1)), item(size="L", date=None))
    message = r.findings.loc[r.findings["code"] == "stocktake-stale", "message"].iloc[0]
    assert "已 9 天" in message


def test_negative_and_fractional_quantities(validate_rows):
    r = run(validate_rows, item(book=-1), item(size="L", counted=2.5))
    assert ("库存", "F2", "negative-value") in codes(r)
    assert ("库存", "G3", "not-whole-number") in codes(r)


def test_location_order_numeric():
    order = location_order(pd.Series(["A-10-1", "A-2-1", "B-01-01", "A-02-03", None]))
    ranked = order.sort_values(["zone", "shelf", "layer"]).index.tolist()
    assert ranked == [1, 3, 0, 2, 4]
