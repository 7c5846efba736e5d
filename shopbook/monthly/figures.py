"""The month's sums (SPEC §Monthly workbook): which order lines are the month's, 销售额, 订单数,
退款, 准时发货, and the section tables (退换货 by reason and by item, 库存预警, 快递对账 per
courier, 工资 per person). Pure functions of parsed tables; money is integer fen.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from shopbook.core import findings as fnd
from shopbook.sheets.orders import COD, blocked_reason, paid_mask
from shopbook.core.money import fen_text, yuan_to_fen
from shopbook.reading.tables import Table
from shopbook.rules import Rules
from shopbook.rules.words import NOT_SOLD_STATES, REFUND_KINDS, SHIPPED_STATES, UNDONE_WORDS
from shopbook.sheets.shipping import ship_deadline
from shopbook.sheets.stock import order_stock_key, sellable, stock_key

REFUSED = re.compile("|".join(map(re.escape, UNDONE_WORDS)))


# --- figures ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    key: str  # JSON name
    label: str  # 概览 label
    kind: str  # count | money | rate | ratio
    definition: str


FIGURES = (
    Figure("orders", "订单数", "count", "本月付款的订单(货到付款按下单时间),按订单号计"),
    Figure("sales", "销售额", "money", "这些订单各行实付金额之和(未填实付时按 数量×单价−优惠)"),
    Figure("avg_order_value", "客单价", "money", "销售额 ÷ 订单数"),
    Figure("refund_orders", "退款订单数", "count", "本月订单中在退换货表有退货/仅退款登记(未拒绝)的订单数"),
    Figure("refund_amount", "退款金额", "money", "上述登记的退款金额之和"),
    Figure("refund_rate", "退款率", "rate", "退款订单数 ÷ 订单数"),
    Figure("shipped_on_time", "准时发货单数", "count", "截止时间前付款当天发出、之后付款次日发出的订单数"),
    Figure("ship_due", "应发货单数", "count", "已发货的订单 + 已过发货期限仍未发的订单"),
    Figure("on_time_rate", "准时发货率", "rate", "准时发货单数 ÷ 应发货单数"),
    Figure("courier_bill", "快递账单金额", "money", "快递公司月结账单全部行的运费之和"),
    Figure("courier_overcharge", "快递多收金额", "money", "未发货、重复计费、超重、运费不符的多收金额(对账发现)"),
    Figure("courier_recoverable", "快递可扣回金额", "money", "多收 + 丢件破损索赔 + 无法送达抵扣,付款时从账单中扣回"),
    Figure("payroll_gross", "工资总额(应发)", "money", "工资表全部人员应发工资之和"),
    Figure("payroll_net", "实发工资合计", "money", "工资表全部人员实发工资之和"),
    Figure("promotion_cost", "推广费用", "money", "本月推广花费(运行月报时给出的金额,否则取规则工作簿的「推广费用」)"),
    Figure("roi", "ROI", "ratio", "销售额 ÷ 推广费用"),
)
FIGURE_BY_KEY = {f.key: f for f in FIGURES}


def half_up(numerator, denominator) -> int | None:
    """numerator ÷ denominator rounded half-up to a whole number (fen), None when undefined."""
    if not denominator:
        return None
    return int((Decimal(int(numerator)) / Decimal(denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ratio(numerator, denominator, places: int = 4) -> float | None:
    if not denominator:
        return None
    q = Decimal(1).scaleb(-places)
    return float((Decimal(numerator) / Decimal(denominator)).quantize(q, rounding=ROUND_HALF_UP))


# --- orders of the month ------------------------------------------------------------------
def month_range(month: dt.date) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp(month.year, month.month, 1)
    return start, start + pd.offsets.MonthBegin(1)


def month_end(month: dt.date) -> dt.datetime:
    """The last second of the month (2026-10 -> 2026-10-31 23:59:59)."""
    start, end = month_range(month)
    return (end - pd.Timedelta(seconds=1)).to_pydatetime()


def default_as_of(month: dt.date, now: dt.datetime) -> dt.datetime:
    """The as-of of a month's figures when none is given: the month's end for a month that
    is over (its figures never change with the day they are computed), else now."""
    return min(month_end(month), now)


def sale_span(orders: Table) -> str:
    """'(订单表的付款时间在 2026-09-01 至 2026-10-31)', or '' when no line is dated."""
    when = sale_time(orders.data).dropna()
    if when.empty:
        return ""
    return f"(订单表的付款时间在 {when.min():%Y-%m-%d} 至 {when.max():%Y-%m-%d})"


def sale_time(d: pd.DataFrame) -> pd.Series:
    """When an order line counts as sold: 付款时间, or 下单时间 for 货到付款 without one; NaT when
    unpaid. A sheet with no 付款时间 column at all is dated by 下单时间 (待付款/已关闭 aside)."""
    nat = pd.Series(pd.NaT, index=d.index, dtype="datetime64[ns]")
    if "付款时间" not in d:
        placed = d["下单时间"] if "下单时间" in d else nat
        open_ = d["状态"].isin(NOT_SOLD_STATES) if "状态" in d else pd.Series(False, index=d.index)
        return placed.where(~open_.fillna(False).astype(bool))
    paid_at = d["付款时间"] if "付款时间" in d else nat
    if "下单时间" in d and "付款方式" in d:
        paid_at = paid_at.where(paid_at.notna(), d["下单时间"].where(d["付款方式"] == COD))
    return paid_at.where(paid_mask(d))


def line_amount(d: pd.DataFrame) -> pd.Series:
    """实付金额 in fen; 数量 × 单价 − 优惠 where it is blank; NA when neither is known."""
    amount = d["实付金额"].astype("Int64") if "实付金额" in d else pd.Series(pd.NA, index=d.index, dtype="Int64")
    if "数量" in d and "单价" in d:
        computed = d["数量"].astype("Int64") * d["单价"].astype("Int64")
        if "优惠" in d:
            computed = computed - d["优惠"].astype("Int64").fillna(0)
        amount = amount.fillna(computed)
    return amount


def order_ids(d: pd.DataFrame) -> pd.Series:
    """订单号, or 第N行 for a line without one (it counts as an order of its own)."""
    ids = d["订单号"].astype(object) if "订单号" in d else pd.Series(None, index=d.index, dtype=object)
    blank = ids.isna()
    if blank.any():
        ids = ids.copy()
        ids[blank] = [f"第{r}行" for r in d.index[blank]]
    return ids


def month_lines(orders: Table, month: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The order lines sold in the month (the orders sheet's columns plus _order, _time,
    _amount), and month-amount-missing findings for lines whose amount is unknown."""
    d = orders.data
    start, end = month_range(month)
    when = sale_time(d)
    inside = ((when >= start) & (when < end)).fillna(False).astype(bool)
    amount = line_amount(d)
    missing = inside & amount.isna()
    ids = order_ids(d)
    found = orders.at(missing, "实付金额" if orders.has("实付金额") else "订单号", "month-amount-missing",
                      order=ids) if missing.any() else fnd.empty()
    lines = d[inside].assign(_order=ids[inside], _time=when[inside],
                             _amount=amount[inside].fillna(0).astype("int64"))
    return lines, found


def order_frame(lines: pd.DataFrame) -> pd.DataFrame:
    """One row per order: _order, _time (earliest line), _amount (sum), and the order-level
    columns of its first line (旗帜, 备注, 归属客服, 下单时间, 状态, blocked)."""
    if lines.empty:
        return pd.DataFrame({"_order": pd.Series(dtype=object), "_time": pd.Series(dtype="datetime64[ns]"),
                             "_amount": pd.Series(dtype="int64"), "_day": pd.Series(dtype="datetime64[ns]"),
                             "_row": pd.Series(dtype="int64"), "_blocked": pd.Series(dtype=object)})
    first = ~lines["_order"].duplicated()
    keep = [c for c in ("旗帜", "备注", "归属客服", "下单时间", "状态") if c in lines]
    head = lines.loc[first, ["_order", *keep]].assign(_row=lines.index[first], _blocked=blocked_reason(lines)[first])
    totals = lines.groupby("_order", sort=False).agg(_time=("_time", "min"), _amount=("_amount", "sum"))
    out = head.merge(totals, left_on="_order", right_index=True, how="left")
    out["_day"] = out["_time"].dt.normalize()
    return out.sort_values(["_time", "_order"], kind="stable").reset_index(drop=True)


# --- refunds, shipping ----------------------------------------------------------------------
def refund_rows(returns: Table | None) -> pd.DataFrame | None:
    """退货/仅退款 rows of the register that were not refused (状态 拒绝/取消/撤销/驳回)."""
    if returns is None or "类型" not in returns.data:
        return None
    r = returns.data
    keep = r["类型"].isin(REFUND_KINDS)
    if "状态" in r:
        keep &= ~r["状态"].astype("string").str.contains(REFUSED).fillna(False).astype(bool)
    return r[keep.fillna(False).astype(bool)]


def refund_figures(returns: Table | None, orders: pd.DataFrame) -> tuple[int | None, int | None]:
    """(退款订单数, 退款金额 fen) for the month's orders, or (None, None) without a register."""
    rows = refund_rows(returns)
    if rows is None or "订单号" not in rows:  # no order numbers: which month's orders they refund is unknown
        return None, None
    mine = rows[rows["订单号"].isin(set(orders["_order"]))]
    amount = int(mine["退款金额"].fillna(0).sum()) if "退款金额" in mine else 0
    return int(mine["订单号"].nunique()), amount


def on_time_figures(orders: pd.DataFrame, shipping: Table | None, rules: Rules,
                    as_of: dt.datetime) -> tuple[int | None, int | None]:
    """(准时发货单数, 应发货单数). An order is due when it was shipped (first 发货日期 in the
    register, 补发 rows aside) or its deadline day has ended by as_of without a parcel;
    unshipped orders that are blocked (绿/蓝 flag, 退款中, 已关闭) or marked 已发货/已完成
    without a register row (no date to judge) are left out."""
    if shipping is None or "订单号" not in shipping.data or "发货日期" not in shipping.data:
        return None, None
    s = shipping.data
    if "类型" in s:
        s = s[s["类型"] != "补发"]
    first_ship = s.groupby("订单号")["发货日期"].min()
    # (reindex, not map: map casts an empty datetime mapper to float and fails)
    shipped_on = pd.Series(first_ship.reindex(orders["_order"]).to_numpy(), index=orders.index)
    deadline = ship_deadline(orders["_time"], rules.shipping_cutoff)
    shipped = shipped_on.notna()
    on_time = shipped & (shipped_on.dt.normalize() <= deadline)
    waiting = ~shipped & orders["_blocked"].isna()
    if "状态" in orders:
        waiting &= ~orders["状态"].isin(SHIPPED_STATES)
    late = waiting & (deadline + pd.Timedelta(days=1) <= pd.Timestamp(as_of))
    return int(on_time.sum()), int(shipped.sum() + late.sum())


# --- returns, stock, courier, payroll -------------------------------------------------------
def returns_in_month(returns: Table, month: dt.date) -> pd.DataFrame:
    """Register rows of the month by 登记日期 (申请日期 when blank); rows with neither date
    are taken as the month's (the register is kept per month)."""
    r = returns.data
    nat = pd.Series(pd.NaT, index=r.index, dtype="datetime64[ns]")
    when = r["登记日期"] if "登记日期" in r else nat
    if "申请日期" in r:
        when = when.fillna(r["申请日期"])
    start, end = month_range(month)
    inside = when.isna() | ((when >= start) & (when < end))
    return r[inside.fillna(False).astype(bool)]


REASON_COLUMNS = ["原因", "退货", "换货", "仅退款", "合计单数", "件数", "退款金额", "占比"]
ITEM_COLUMNS = ["商品编码", "商品名称", "退换件数", "退款金额", "本月销量", "退换率"]
NO_REASON = "(未填原因)"


def returns_by_reason(rows: pd.DataFrame) -> pd.DataFrame:
    """Per 原因: rows per 类型, rows in all, pieces (数量, 1 when blank), 退款金额, share of rows."""
    if rows.empty:
        return pd.DataFrame(columns=REASON_COLUMNS)
    reason = rows["原因"].fillna(NO_REASON) if "原因" in rows else pd.Series(NO_REASON, index=rows.index)
    kind = rows["类型"] if "类型" in rows else pd.Series(None, index=rows.index, dtype=object)
    qty = rows["数量"].fillna(1).astype("int64") if "数量" in rows else pd.Series(1, index=rows.index)
    refund = rows["退款金额"].fillna(0).astype("int64") if "退款金额" in rows else pd.Series(0, index=rows.index)
    frame = pd.DataFrame({"原因": reason, "类型": kind, "件数": qty, "退款金额": refund})
    out = frame.groupby("原因", sort=False).agg(合计单数=("原因", "size"), 件数=("件数", "sum"), 退款金额=("退款金额", "sum"))
    for t in ("退货", "换货", "仅退款"):
        out[t] = frame[frame["类型"] == t].groupby("原因").size().reindex(out.index, fill_value=0)
    total = int(out["合计单数"].sum())
    out["占比"] = [ratio(v, total) for v in out["合计单数"]]
    out = out.sort_values(["合计单数", "退款金额"], ascending=False, kind="stable").reset_index()
    return out[REASON_COLUMNS]


def returns_by_item(rows: pd.DataFrame, lines: pd.DataFrame, names: dict) -> pd.DataFrame:
    """Per 商品编码: pieces returned/exchanged, 退款金额, pieces sold this month, and their ratio."""
    if rows.empty or "商品编码" not in rows:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    qty = rows["数量"].fillna(1).astype("int64") if "数量" in rows else pd.Series(1, index=rows.index)
    refund = rows["退款金额"].fillna(0).astype("int64") if "退款金额" in rows else pd.Series(0, index=rows.index)
    frame = pd.DataFrame({"商品编码": rows["商品编码"].fillna("(未填编码)"), "件数": qty, "退款金额": refund})
    out = frame.groupby("商品编码", sort=False).agg(退换件数=("件数", "sum"), 退款金额=("退款金额", "sum"))
    sold = lines.groupby("商品编码")["数量"].sum() if "商品编码" in lines and "数量" in lines else pd.Series(dtype="int64")
    out["本月销量"] = sold.reindex(out.index).fillna(0).astype("int64")
    out["退换率"] = [ratio(r, s) for r, s in zip(out["退换件数"], out["本月销量"])]
    out["商品名称"] = [names.get(sku) for sku in out.index]
    out = out.sort_values(["退换件数", "退款金额"], ascending=False, kind="stable").reset_index()
    return out[ITEM_COLUMNS]


STOCK_COLUMNS = ["状态", "商品编码", "商品名称", "颜色", "尺码", "库位", "可售数量", "安全库存", "本月销量", "建议补货"]


def stock_alerts(stock: Table, lines: pd.DataFrame, computed: pd.Series | None = None) -> pd.DataFrame:
    """Stock rows to act on: 缺货 (sellable 0) and 补货预警 (sellable below 安全库存), with this
    month's sales of the item and a suggested order: max(安全库存, 本月销量) − 可售数量. Sellable
    is the stock ledger's `computed` 可售 per stock key when given, else 库存's own figures."""
    d = stock.data
    available = (sellable(d) if computed is None else stock_key(d).map(computed)).astype("Int64")
    safety = d["安全库存"].astype("Int64") if "安全库存" in d else pd.Series(pd.NA, index=d.index, dtype="Int64")
    key = stock_key(d)
    if len(lines) and "商品编码" in lines and "数量" in lines:
        sold_by_key = lines["数量"].groupby(order_stock_key(lines, d)).sum()
    else:
        sold_by_key = pd.Series(dtype="int64")
    sold = key.map(sold_by_key).fillna(0).astype("int64")
    out_of_stock = (available <= 0).fillna(False).astype(bool)
    low = (available < safety).fillna(False).astype(bool)
    pick = out_of_stock | low
    if not pick.any():
        return pd.DataFrame(columns=STOCK_COLUMNS)
    target = np.maximum(safety.fillna(0).astype("int64"), sold)
    suggest = (target - available.fillna(0).astype("int64")).clip(lower=0)
    out = pd.DataFrame({
        "状态": np.where(out_of_stock, "缺货", "补货预警"),
        **{c: (d[c] if c in d else None) for c in ("商品编码", "商品名称", "颜色", "尺码", "库位")},
        "可售数量": available, "安全库存": safety, "本月销量": sold, "建议补货": suggest,
    }, index=d.index)[pick]
    out["_gap"] = (out["安全库存"].fillna(0) - out["可售数量"].fillna(0)).astype("int64")
    out = out.sort_values(["状态", "_gap", "本月销量"], ascending=[True, False, False], kind="stable")
    # 缺货 sorts before 补货预警 in Unicode order (缺 U+7F3A < 补 U+8865)
    return out.drop(columns="_gap").reset_index(drop=True)[STOCK_COLUMNS]


COURIER_COLUMNS = ["快递公司", "账单行数", "账单金额", "多收金额", "索赔金额", "抵扣金额", "应付金额", "争议行数", "已发未计费"]


def courier_table(reconciliation) -> pd.DataFrame:
    """Per courier from the reconciliation summary (fen): bill, overcharge, claims, offsets, net."""
    from shopbook.courier.job import CATEGORIES, MATCH, NOT_BILLED
    rows = []
    for name, f in reconciliation.summary["by_courier"].items():
        lines = sum(f["counts"][c] for c in CATEGORIES)
        rows.append({"快递公司": name, "账单行数": lines, "账单金额": f["bill_total"], "多收金额": f["overcharge_total"],
                     "索赔金额": f["claims_total"], "抵扣金额": f["offsets_total"], "应付金额": f["net_payable"],
                     "争议行数": lines - f["counts"][MATCH], "已发未计费": f["counts"][NOT_BILLED]})
    out = pd.DataFrame(rows, columns=COURIER_COLUMNS)
    return out.sort_values("多收金额", ascending=False, kind="stable").reset_index(drop=True)


PAYROLL_COLUMNS = ["工号", "姓名", "岗位", "底薪", "缺勤扣款", "计件工资", "奖金", "奖励", "罚款", "应发工资",
                   "社保", "公积金", "个人所得税", "实发工资"]


def payroll_table(result) -> pd.DataFrame:
    """One row per paid employee (amounts in fen) from shopbook.payroll.job's result."""
    rows = [{"工号": s.id, "姓名": s.name, "岗位": s.position, "底薪": yuan_to_fen(s.base),
             "缺勤扣款": yuan_to_fen(s.absence_deduction), "计件工资": yuan_to_fen(s.piece_pay), "奖金": yuan_to_fen(s.bonus),
             "奖励": yuan_to_fen(s.reward), "罚款": yuan_to_fen(s.penalty), "应发工资": yuan_to_fen(s.gross),
             "社保": yuan_to_fen(s.social_insurance), "公积金": yuan_to_fen(s.housing_fund), "个人所得税": yuan_to_fen(s.iit),
             "实发工资": yuan_to_fen(s.net)} for s in result.slips]
    return pd.DataFrame(rows, columns=PAYROLL_COLUMNS)


def change(current, last, kind: str):
    """本月 − 上月 (rates in percentage points as a fraction), None when either is unknown."""
    if current is None or last is None:
        return None
    if kind in ("rate", "ratio"):
        return round(current - last, 4)
    return current - last


def growth(current, last, kind: str) -> float | None:
    """环比 (本月 − 上月) ÷ 上月 for counts and money; None for rates and unknowns."""
    if kind in ("rate", "ratio") or current is None or not last:
        return None
    return ratio(current - last, last)


def figures_json(figures: dict) -> dict:
    return {f.key: (fen_text(figures[f.key]) if f.kind == "money" else figures[f.key]) for f in FIGURES}



REVIEW_COLUMNS = ["客服", "差评数", "差评改好数", "改善率"]


def review_table(reviews: Table, rules: Rules, month: dt.date) -> pd.DataFrame:
    """好评改善 per 客服 from the 评价 register, as `shopbook today` and payroll count them
    (shopbook.today.job.pay_counts): 差评数 (差评 written in the month, by 责任客服), 差评改好数 (中/差评
    turned good in the month) and 改善率 = 差评改好数 ÷ 差评数 (None without a 差评)."""
    from shopbook.today.day import TodayTables
    from shopbook.today.job import pay_counts

    counts = pay_counts(TodayTables(reviews=reviews), rules, month)
    counts = counts[(counts["差评数"] > 0) | (counts["差评改好数"] > 0)]
    out = pd.DataFrame({"客服": counts["客服"], "差评数": counts["差评数"].astype("int64"),
                        "差评改好数": counts["差评改好数"].astype("int64")})
    out["改善率"] = [ratio(t, b) for t, b in zip(out["差评改好数"], out["差评数"])]
    return out.reset_index(drop=True)[REVIEW_COLUMNS]


def review_json(table: pd.DataFrame | None) -> list | None:
    """好评改善 as JSON: [{name, bad_reviews, turned_good, improvement_rate}], None without a register."""
    if table is None:
        return None
    return [{"name": r["客服"], "bad_reviews": int(r["差评数"]), "turned_good": int(r["差评改好数"]),
             "improvement_rate": None if pd.isna(r["改善率"]) else float(r["改善率"])}
            for r in table.to_dict("records")]
