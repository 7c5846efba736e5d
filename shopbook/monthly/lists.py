"""What the 月报 sheets show, from the job's result: their columns (name, kind, width), the frames
of the small tables and the 合计 rows, and the labels shared by the workbook and the terminal report."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from shopbook.monthly import figures
from shopbook.monthly import job
from shopbook.core.money import fen_text


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
    [(name, "money", 11) for name in figures.PAYROLL_COLUMNS[3:]]


REVIEW_SHEET_COLUMNS = [("客服", "text", 12), ("差评数", "count", 9), ("差评改好数", "count", 14), ("改善率", "rate", 13)]


def review_total(reviews) -> dict:
    """The 合计 row of 好评改善: the counts summed, 改善率 of the sums."""
    bad, turned = int(reviews["差评数"].sum()), int(reviews["差评改好数"].sum())
    return {"客服": "合计", "差评数": bad, "差评改好数": turned, "改善率": job.ratio(turned, bad)}

BASIS_SHEET_COLUMNS = [("归属依据", "text", 12), ("订单数", "share_count", 9), ("销售额", "money", 11)]
POSITION_SHEET_COLUMNS = [("岗位", "text", 8), ("人数", "count", 8), ("应发工资", "money", 12), ("实发工资", "money", 11)]


def agent_total(r: job.MonthReport) -> dict:
    """The 合计 row of 客服业绩: its 订单数 and 销售额 equal 概览's (a shared order counts once)."""
    a = r.agents
    shared = r.shares[r.shares["_shared"]] if len(r.shares) else r.shares
    total = {"客服": "合计", "订单数": r.figures["orders"],
             "其中活动日分摊单数": shared["_order"].nunique() if len(shared) else 0,
             "销售额": int(a["销售额"].sum()), "其中活动日分摊金额": int(a["其中活动日分摊金额"].sum()),
             "销售占比": 1.0 if len(a) else None, "客单价": r.figures["avg_order_value"],
             "上月销售额": r.previous.figures["sales"] if r.previous is not None else None}
    total["环比"] = figures.growth(total["销售额"], total["上月销售额"], "money")
    return total


def basis_rows(r: job.MonthReport) -> pd.DataFrame:
    """归属依据: how many orders and how much went by each attribution rule, in the rules' order."""
    basis = r.shares.groupby("_basis").agg(单数=("_orders", "sum"), 销售额=("_sales", "sum")) if len(r.shares) else None
    rows = pd.DataFrame({"归属依据": [job.BY_OVERRIDE, job.BY_PROMOTION, job.BY_RED, job.BY_YELLOW, job.BY_NONE]})
    rows["订单数"] = [round(float(basis["单数"].get(b, 0)), 2) if basis is not None else 0 for b in rows["归属依据"]]
    rows["销售额"] = [int(basis["销售额"].get(b, 0)) if basis is not None else 0 for b in rows["归属依据"]]
    return rows


def daily_columns(d: pd.DataFrame) -> list:
    """客服日报's columns: 日期, 订单数, 销售额, then one 销售额 column per 客服."""
    names = [c for c in d.columns if c not in ("日期", "订单数", "销售额")]
    return [("日期", "date", 11), ("订单数", "count", 8), ("销售额", "money", 12)] + \
        [(n, "money", max(10, 2 * len(n) + 2)) for n in names]


def sum_total(frame: pd.DataFrame, columns: list, label: str) -> dict:
    """A 合计 row summing every column after the first."""
    return {label: "合计", **{k: int(frame[k].sum()) for k, _, _ in columns[1:]}}


def reason_total(reasons: pd.DataFrame) -> dict:
    return {"原因": "合计", **{c: int(reasons[c].sum()) for c in ("退货", "换货", "仅退款", "合计单数", "件数", "退款金额")},
            "占比": 1.0 if len(reasons) else None}


def payroll_total(p: pd.DataFrame) -> dict:
    return {"工号": "合计", "姓名": f"{len(p)} 人", **{k: int(p[k].sum()) for k in figures.PAYROLL_COLUMNS[3:]}}


def by_position(p: pd.DataFrame) -> pd.DataFrame:
    """工资汇总 per 岗位: 人数, 应发工资, 实发工资."""
    return p.groupby("岗位", sort=False).agg(人数=("工号", "size"), 应发工资=("应发工资", "sum"),
                                           实发工资=("实发工资", "sum")).reset_index()
