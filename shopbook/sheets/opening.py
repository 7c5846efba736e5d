"""期初 — the carried balances: last period's 期末账面 and 残次 per stock key, stamped with the
day they stand at (截至日期). The stock ledger writes it for the next period (to paste into the
warehouse workbook or pass with `--opening`), as payroll carries 个税累计; a 期初 already standing
at or after the period's start is never applied again."""
from __future__ import annotations

from shopbook.reading.schema import DATE, ID, INT, TEXT, Column, SheetKind
from shopbook.sheets.inbound import SKU_ALIASES

OPENING = SheetKind(
    name="期初",
    sheet_aliases=("期初库存", "期初结存", "上期结存", "结转库存", "opening"),
    columns=(
        Column("商品编码", SKU_ALIASES, ID, required=True),
        Column("商品名称", ("品名", "货品名称", "名称"), TEXT),
        Column("颜色", ("颜色分类", "色号"), TEXT),
        Column("尺码", ("尺寸", "码数"), TEXT),
        Column("账面数量", ("期初账面", "期末账面", "结存数量", "账面"), INT, required=True),
        Column("残次数量", ("期初残次", "期末残次", "残次"), INT, minimum=0),
        Column("截至日期", ("截止日期", "结转日期", "结存日期"), DATE),
    ),
)

CHECKS: list = []
