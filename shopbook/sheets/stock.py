"""库存 — stock and the weekly stocktake (SPEC §Stock).

Stock is keyed by 商品编码+颜色+尺码 (商品编码 alone when those are absent or blank);
order lines match stock on the same key.
"""
from __future__ import annotations

import pandas as pd

from shopbook.sheets.context import Sheets
from shopbook.reading.schema import DATE, ID, INT, MONEY, TEXT, Column, SheetKind
from shopbook.reading.tables import Table
from shopbook.rules import describe_pattern

STOCK = SheetKind(
    name="库存",
    sheet_aliases=("库存表", "库存明细", "盘点", "盘点表", "stock", "inventory"),
    columns=(
        Column("商品编码", ("sku", "商家编码", "货号", "商品编号", "sku编码", "货品编码", "商品代码"), ID, required=True),
        Column("商品名称", ("品名", "宝贝名称", "货品名称", "名称"), TEXT),
        Column("颜色", ("颜色分类", "色号"), TEXT),
        Column("尺码", ("尺寸", "码数"), TEXT),
        Column("库位", ("货位", "仓位", "储位", "库位号", "货架位置"), TEXT),
        Column("账面数量", ("账面库存", "库存数量", "库存", "系统库存", "库存数", "账面数", "账存数量", "系统数量", "在库数量", "当前库存"), INT, required=True, minimum=0),
        Column("实盘数量", ("盘点数量", "实际数量", "实盘", "盘点数", "实盘数", "盘点库存", "实存数量"), INT, minimum=0),
        Column("残次数量", ("残次", "次品数量", "次品数", "次品", "残次品", "残品数量", "瑕疵数量"), INT, minimum=0),
        Column("安全库存", ("预警库存", "最低库存", "库存下限", "警戒库存"), INT, minimum=0),
        Column("成本价", ("成本", "进价", "成本单价", "采购价"), MONEY, minimum=0),
        Column("盘点日期", ("盘点时间", "最近盘点日期", "上次盘点"), DATE),
        Column("盘点人", ("盘点员",), TEXT),
    ),
)

VARIANT_COLUMNS = ("颜色", "尺码")


def _join(parts: list[pd.Series]) -> pd.Series:
    key = parts[0].fillna("").astype(str)
    for p in parts[1:]:
        key = key + "\x1f" + p.fillna("").astype(str)
    return key


def uses_variants(stock: pd.DataFrame) -> list[str]:
    """The variant columns stock is keyed on: those present and filled somewhere."""
    return [c for c in VARIANT_COLUMNS if c in stock and stock[c].notna().any()]


def stock_key(stock: pd.DataFrame) -> pd.Series:
    return _join([stock["商品编码"], *(stock[c] for c in uses_variants(stock))])


def order_stock_key(orders: pd.DataFrame, stock: pd.DataFrame) -> pd.Series:
    """Each order line's stock key, on the variant columns the stock sheet uses.

    A stock row with blank 颜色/尺码 holds the SKU for every variant: such lines match it
    on 商品编码 alone.
    """
    variants = uses_variants(stock)
    parts = [orders["商品编码"]]
    for c in variants:
        parts.append(orders[c] if c in orders else pd.Series(None, index=orders.index, dtype=object))
    key = _join(parts)
    if variants:
        plain = set(stock_key(stock)[stock[variants].isna().all(axis=1)])
        short = _join([orders["商品编码"]] + [pd.Series(None, index=orders.index, dtype=object)] * len(variants))
        key = key.where(~short.isin(plain), short)
    return key


def sellable(stock: pd.DataFrame) -> pd.Series:
    """实盘数量 (or 账面数量 when not counted) − 残次数量, never below 0."""
    counted = stock["实盘数量"] if "实盘数量" in stock else pd.Series(pd.NA, index=stock.index, dtype="Int64")
    on_hand = counted.fillna(stock["账面数量"]) if "账面数量" in stock else counted
    damaged = stock["残次数量"].fillna(0) if "残次数量" in stock else 0
    return (on_hand - damaged).clip(lower=0)


def sellable_by_key(table: Table) -> pd.Series:
    d = table.data
    return sellable(d).groupby(stock_key(d)).sum()


def location_order(locations: pd.Series) -> pd.DataFrame:
    """Sort keys for 库位 zone-shelf-layer (A-01-03): zone text, then shelf and layer as numbers."""
    parts = locations.fillna("").astype(str).str.extract(r"^\s*([A-Za-z]*)\D*(\d*)\D*(\d*)")
    return pd.DataFrame({
        "zone": parts[0].str.upper().replace("", "~"),
        "shelf": pd.to_numeric(parts[1], errors="coerce").fillna(1e9),
        "layer": pd.to_numeric(parts[2], errors="coerce").fillna(1e9),
        "text": locations.fillna("~").astype(str),
    }, index=locations.index)


def check_unique(s: Sheets):
    t = s.stock
    d = t.data
    valid = d["商品编码"].notna() if "商品编码" in d else None
    if valid is None:
        return None
    key = stock_key(d)[valid]
    return t.at_repeats(key, "商品编码", "duplicate-sku", value=key.str.replace("\x1f", " ").str.strip())


def check_variance(s: Sheets):
    t = s.stock
    d = t.data
    if "实盘数量" not in d or "账面数量" not in d:
        return None
    diff = d["实盘数量"] - d["账面数量"]
    bad = diff.notna() & (diff != 0)
    bad = bad.fillna(False).astype(bool)
    if not bad.any():
        return None
    kind = diff.map(lambda x: "盘盈" if not pd.isna(x) and x > 0 else "盘亏")
    if "成本价" in d:
        value = (diff * d["成本价"]).map(lambda f: "" if pd.isna(f) else f",按成本价计 {int(f) / 100:.2f} 元")
    else:
        value = ""
    return t.at(bad, "实盘数量", "stock-variance", kind=kind, diff=diff.abs(), book=d["账面数量"],
                counted=d["实盘数量"], valued=value)


def check_reorder(s: Sheets):
    t = s.stock
    d = t.data
    if "安全库存" not in d:
        return None
    available = sellable(d) if s.sellable is None else stock_key(d).map(s.sellable).astype("Int64")
    low = (available < d["安全库存"]).fillna(False).astype(bool)
    return t.at(low, "安全库存", "reorder-alert", sellable=available, safety=d["安全库存"])


def check_location(s: Sheets):
    t = s.stock
    d = t.data
    if "库位" not in d:
        return None
    loc = d["库位"]
    bad = loc.notna() & ~loc.astype("string").str.match(s.rules.location_pattern).fillna(False)
    return [t.at(loc.isna() & d["商品编码"].notna(), "库位", "location-missing"),
            t.at(bad.astype(bool), "库位", "location-pattern", pattern=describe_pattern(s.rules.location_pattern))]


def check_stocktake_age(s: Sheets):
    t = s.stock
    d = t.data
    if "盘点日期" not in d:
        return None
    as_of = pd.Timestamp(s.as_of).normalize()
    age = (as_of - d["盘点日期"].dt.normalize()).dt.days
    stale = (age > s.rules.stocktake_days).fillna(False).astype(bool)
    return t.at(stale, "盘点日期", "stocktake-stale", date=d["盘点日期"].dt.strftime("%Y-%m-%d"),
                asof=as_of.strftime("%Y-%m-%d"), days=age.astype("Int64"), limit=s.rules.stocktake_days)


CHECKS = [check_unique, check_variance, check_reorder, check_location, check_stocktake_age]
