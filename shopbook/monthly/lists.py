"""What the 月报 sheets show: their columns (name, kind, width) and the labels shared by the
workbook and the terminal report."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from shopbook.monthly import job
from shopbook.reading.cells import fen_text

def note_text(f) -> str:
    """A finding as the month lists it: a cell finding (of the bill, the payroll …) with its place."""
    return f"{f.sheet} {f.cell}: {f.message}" if isinstance(f.cell, str) and f.cell else f.message


def folder_label(folder: Path, within: Path | None = None) -> str:
    """A folder as the workbook names it: its own name (never blank, also for "." or "10月/"),
    and 10月/上月 for a subfolder of the month's folder."""
    path = Path(folder).resolve()
    if within is not None:
        base = Path(within).resolve()
        if path.parent == base:
            return f"{folder_label(base)}/{path.name}"
    return path.name or str(path)


def job_label(month: dt.date) -> str:
    return f"{month.year}-{month.month:02d}"


def show(value, kind: str) -> str:
    if kind == "money":
        return fen_text(value)
    if kind == "rate":
        return f"{value * 100:.2f}%"
    if kind == "ratio":
        return f"{value:.2f}"
    return f"{value:,}"



AGENT_SHEET_COLUMNS = [("客服", "text", 12), ("订单数", "share_count", 9), ("其中活动日分摊单数", "share_count", 14),
                       ("销售额", "money", 13), ("其中活动日分摊金额", "money", 15), ("销售占比", "rate", 9),
                       ("客单价", "money", 10), ("上月销售额", "money", 13), ("环比", "growth", 9)]


REASON_SHEET_COLUMNS = [("原因", "text", 14), ("退货", "count", 7), ("换货", "count", 7), ("仅退款", "count", 7),
                        ("合计单数", "count", 9), ("件数", "count", 7), ("退款金额", "money", 11), ("占比", "rate", 8)]
ITEM_SHEET_COLUMNS = [("商品编码", "text", 14), ("商品名称", "text", 22), ("退换件数", "count", 9),
                      ("退款金额", "money", 11), ("本月销量", "count", 9), ("退换率", "rate", 8)]


STOCK_SHEET_COLUMNS = [("状态", "text", 9), ("商品编码", "text", 14), ("商品名称", "text", 22), ("颜色", "text", 8),
                       ("尺码", "text", 7), ("库位", "text", 9), ("可售数量", "count", 9), ("安全库存", "count", 9),
                       ("本月销量", "count", 9), ("建议补货", "count", 9)]


COURIER_SHEET_COLUMNS = [("快递公司", "text", 10), ("账单行数", "count", 9), ("账单金额", "money", 12),
                         ("多收金额", "money", 11), ("索赔金额", "money", 11), ("抵扣金额", "money", 11),
                         ("应付金额", "money", 12), ("争议行数", "count", 9), ("已发未计费", "count", 10)]


PAYROLL_SHEET_COLUMNS = [("工号", "text", 8), ("姓名", "text", 9), ("岗位", "text", 12)] + \
    [(name, "money", 11) for name in job.PAYROLL_COLUMNS[3:]]


REVIEW_SHEET_COLUMNS = [("客服", "text", 12), ("差评数", "count", 9), ("差评改好数", "count", 14), ("改善率", "rate", 13)]


def review_total(reviews) -> dict:
    """The 合计 row of 好评改善: the counts summed, 改善率 of the sums."""
    bad, turned = int(reviews["差评数"].sum()), int(reviews["差评改好数"].sum())
    return {"客服": "合计", "差评数": bad, "差评改好数": turned, "改善率": job.ratio(turned, bad)}
