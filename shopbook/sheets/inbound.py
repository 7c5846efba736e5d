"""入库 — the inbound register kept by the 仓库管理员 (seed 002 第29条: every delivery is
inspected before it is booked in; 不合格 goods go back to the supplier or the factory, or are
kept apart in the 残次库, never shelved for sale).

What a row books into stock (shopbook.stockbook): 合格数量 (else 实到 − 不合格) as sellable;
不合格 kept as 残次 (不合格处理 残次, or none written) into the 残次库; 退回供应商/返厂 nothing.
"""
from __future__ import annotations

import pandas as pd

from shopbook.sheets import stock as stock_sheet
from shopbook.sheets.context import Sheets
from shopbook.reading.schema import CHOICE, DATE, ID, INT, TEXT, Column, SheetKind

SKU_ALIASES = ("sku", "商家编码", "货号", "商品编号", "sku编码", "货品编码", "商品代码")
RETURN_TO_SUPPLIER, BACK_TO_FACTORY, KEEP_AS_DEFECT = "退回供应商", "返厂", "残次"
DISPOSALS = (RETURN_TO_SUPPLIER, BACK_TO_FACTORY, KEEP_AS_DEFECT)

INBOUND = SheetKind(
    name="入库",
    sheet_aliases=("入库登记", "入库单", "入库记录", "入库登记表", "到货登记", "收货登记", "inbound", "receiving"),
    columns=(
        Column("日期", ("入库日期", "到货日期", "收货日期", "入库时间"), DATE, required=True),
        Column("入库单号", ("入库单", "入库编号"), ID),
        Column("采购单号", ("采购单", "采购订单号", "采购编号", "po", "po号"), ID),
        Column("供应商", ("厂家", "供货商", "供应商名称"), TEXT),
        Column("商品编码", SKU_ALIASES, ID, required=True),
        Column("商品名称", ("品名", "货品名称", "名称"), TEXT),
        Column("颜色", ("颜色分类", "色号"), TEXT),
        Column("尺码", ("尺寸", "码数"), TEXT),
        Column("应到数量", ("应到", "应收数量", "应收", "订货数量"), INT, minimum=0),
        Column("实到数量", ("实到", "实收数量", "实收", "到货数量"), INT, required=True, minimum=0),
        Column("合格数量", ("合格", "良品数量", "合格数"), INT, minimum=0),
        Column("不合格数量", ("不合格", "不良数量", "不合格数"), INT, minimum=0),
        Column("不合格处理", ("不良处理", "处理方式", "不合格品处理"), CHOICE, choices=DISPOSALS,
               synonyms={"退货": RETURN_TO_SUPPLIER, "退回": RETURN_TO_SUPPLIER, "退供应商": RETURN_TO_SUPPLIER,
                         "退回厂家": RETURN_TO_SUPPLIER, "退厂": BACK_TO_FACTORY, "返修": BACK_TO_FACTORY,
                         "退回工厂": BACK_TO_FACTORY, "残次库": KEEP_AS_DEFECT, "次品": KEEP_AS_DEFECT,
                         "转残次": KEEP_AS_DEFECT, "入残次": KEEP_AS_DEFECT, "入残次库": KEEP_AS_DEFECT}),
        Column("库位", ("货位", "仓位", "储位", "库位号"), TEXT),
        Column("检验人", ("质检人", "验货人", "检验员", "质检员"), TEXT),
        Column("登记人", ("仓库管理员", "仓管", "登记员", "入库人"), TEXT),
        Column("备注", ("说明",), TEXT),
    ),
)


def _zero(d: pd.DataFrame, column: str) -> pd.Series:
    return d[column].fillna(0) if column in d else pd.Series(0, index=d.index, dtype="Int64")


def booked(d: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(sellable, 残次) quantities each row books: 合格数量 (else 实到 − 不合格) and the 不合格 kept
    as 残次 (不合格处理 残次, or none written while 不合格 > 0). NA where nothing can be booked."""
    bad = _zero(d, "不合格数量")
    good = d["合格数量"] if "合格数量" in d else pd.Series(pd.NA, index=d.index, dtype="Int64")
    if "实到数量" in d:
        good = good.fillna((d["实到数量"] - bad).clip(lower=0))
    disposal = disposal_of(d)
    kept = disposal.isna() | (disposal == KEEP_AS_DEFECT)
    defect = bad.where(kept, 0).astype("Int64")
    return good.astype("Int64"), defect


def disposal_of(d: pd.DataFrame) -> pd.Series:
    """不合格处理 where it is one of DISPOSALS (a value such as 上架 is no disposal), else NA."""
    if "不合格处理" not in d:
        return pd.Series(None, index=d.index, dtype=object)
    return d["不合格处理"].where(d["不合格处理"].isin(DISPOSALS))


def item_text(d: pd.DataFrame) -> pd.Series:
    """商品编码 颜色 尺码 as one text (blanks left out), for messages."""
    out = d["商品编码"].fillna("").astype(str)
    for c in stock_sheet.VARIANT_COLUMNS:
        if c in d:
            out = out + " " + d[c].fillna("").astype(str)
    return out.str.replace(r"\s+", " ", regex=True).str.strip()


def check_arrival(s: Sheets):
    """实到 ≠ 应到: the supplier sent less or more than was due."""
    t = s.inbound
    d = t.data
    if "应到数量" not in d or "实到数量" not in d:
        return None
    diff = d["实到数量"] - d["应到数量"]
    bad = (diff.notna() & (diff != 0)).fillna(False).astype(bool)
    return t.at(bad, "实到数量", "inbound-arrival-differs", expected=d["应到数量"],
                kind=diff.map(lambda x: "多到" if not pd.isna(x) and x > 0 else "少到"), diff=diff.abs())


def check_inspection(s: Sheets):
    """合格 + 不合格 ≠ 实到 (合格数量 filled): the inspection does not account for what arrived."""
    t = s.inbound
    d = t.data
    if "实到数量" not in d or not any(c in d for c in ("合格数量", "不合格数量")):
        return None
    good = d["合格数量"] if "合格数量" in d else pd.Series(pd.NA, index=d.index, dtype="Int64")
    bad = d["不合格数量"] if "不合格数量" in d else pd.Series(pd.NA, index=d.index, dtype="Int64")
    inspected = good.notna()  # a blank 合格数量 is read as 实到 − 不合格
    total = good.fillna(0) + bad.fillna(0)
    wrong = (inspected & d["实到数量"].notna() & (total != d["实到数量"])).fillna(False).astype(bool)
    column = "合格数量" if "合格数量" in d else "不合格数量"
    how = good.map(lambda g: "合格数量" if not pd.isna(g) else "实到 − 不合格")
    return t.at(wrong, column, "inbound-inspection-mismatch", good=good.fillna(0), bad=bad.fillna(0),
                total=total, arrived=d["实到数量"], booked=how)


def check_defect_disposal(s: Sheets):
    """不合格 goods with no 不合格处理: as good as shelved for sale."""
    t = s.inbound
    d = t.data
    if "不合格数量" not in d:
        return None
    open_ = ((d["不合格数量"] > 0) & disposal_of(d).isna()).fillna(False).astype(bool)
    return t.at(open_, "不合格数量", "inbound-defect-sellable", choices="/".join(DISPOSALS))


def check_inspector(s: Sheets):
    t = s.inbound
    d = t.data
    if "检验人" not in d:
        return None
    return t.at(d["检验人"].isna() & d["商品编码"].notna(), "检验人", "inbound-inspector-missing")


def check_against_purchases(s: Sheets):
    """Against 采购清单 (when kept): a 采购单号 it does not know, an item not on the order, and the
    row whose 实到 takes the received total of an order line above its 数量."""
    if s.purchases is None or "采购单号" not in s.inbound.data:
        return None
    t, d = s.inbound, s.inbound.data
    p = s.purchases.data
    if "采购单号" not in p or "商品编码" not in p:
        return None
    lines = p[p["采购单号"].notna() & p["商品编码"].notna()]
    out = []
    has_po = d["采购单号"].notna()
    out.append(t.at(has_po & ~d["采购单号"].isin(set(lines["采购单号"])), "采购单号", "inbound-po-unknown"))
    # the 入库 row keyed on the variants the purchase order uses (a PO line without 颜色/尺码 covers all)
    po_key = lines["采购单号"] + "\x1e" + stock_sheet.stock_key(lines)
    row_key = d["采购单号"].fillna("") + "\x1e" + stock_sheet.order_stock_key(d, lines)
    known_po = has_po & d["采购单号"].isin(set(lines["采购单号"]))
    missing = known_po & ~row_key.isin(set(po_key))
    out.append(t.at(missing, "商品编码", "inbound-not-on-po", po=d["采购单号"], item=item_text(d)))
    if "数量" in lines and "实到数量" in d:
        ordered = lines["数量"].groupby(po_key).sum()
        on_po = known_po & ~missing & d["实到数量"].notna()
        sub = d[on_po]
        key = row_key[on_po]
        order = pd.DataFrame({"key": key, "date": sub["日期"], "row": sub.index}).sort_values(["date", "row"])
        received = sub.loc[order.index, "实到数量"].groupby(order["key"]).cumsum()
        limit = order["key"].map(ordered)
        qty = sub.loc[order.index, "实到数量"]
        # the row that takes the received total above the order line (one per line: totals only grow)
        crossing = ((received > limit) & (received - qty <= limit)).fillna(False).astype(bool)
        rows = crossing[crossing].index
        out.append(t.at(pd.Series(True, index=rows), "实到数量", "inbound-over-po", po=d["采购单号"],
                        item=item_text(d), ordered=limit.reindex(rows), received=received.reindex(rows),
                        over=(received - limit).reindex(rows)))
    return out


CHECKS = [check_arrival, check_inspection, check_defect_disposal, check_inspector, check_against_purchases]
