"""采购清单 — the purchase orders (seed 003: the warehouse checks every delivery against the
采购清单: 品名, 规格, 款号, 数量). Optional: when kept, each 入库 row is checked against it
(shopbook.sheets.inbound.check_against_purchases)."""
from __future__ import annotations

from shopbook.sheets import stock as stock_sheet
from shopbook.sheets.context import Sheets
from shopbook.reading.schema import DATE, ID, INT, MONEY, TEXT, Column, SheetKind
from shopbook.sheets.inbound import SKU_ALIASES, item_text

PURCHASES = SheetKind(
    name="采购清单",
    sheet_aliases=("采购单", "采购明细", "采购订单", "采购记录", "purchases", "purchase_orders"),
    columns=(
        Column("采购单号", ("采购单", "采购订单号", "采购编号", "po", "po号"), ID, required=True),
        Column("下单日期", ("采购日期", "日期"), DATE),
        Column("供应商", ("厂家", "供货商", "供应商名称"), TEXT),
        Column("商品编码", SKU_ALIASES, ID, required=True),
        Column("商品名称", ("品名", "货品名称", "名称"), TEXT),
        Column("颜色", ("颜色分类", "色号"), TEXT),
        Column("尺码", ("尺寸", "码数"), TEXT),
        Column("数量", ("采购数量", "订货数量", "订购数量"), INT, required=True, minimum=0),
        Column("单价", ("采购价", "进价", "采购单价"), MONEY, minimum=0),
    ),
)


def check_duplicate_lines(s: Sheets):
    t = s.purchases
    d = t.data
    valid = d["采购单号"].notna() & d["商品编码"].notna() if "采购单号" in d and "商品编码" in d else None
    if valid is None:
        return None
    key = (d["采购单号"] + "\x1e" + stock_sheet.stock_key(d))[valid]
    return t.at_repeats(key, "商品编码", "po-line-duplicate", po=d["采购单号"], item=item_text(d))


CHECKS = [check_duplicate_lines]
