"""月报 — the manager's monthly workbook (SPEC §Monthly workbook): the month's headline
figures, sales per 客服 by the attribution rules, sales per day × 客服, returns by reason and
by item, stock warnings, the courier reconciliation per courier and the payroll totals.

Pure: parsed tables (shopbook.reading.tables.Table), the reconciliation
(shopbook.courier.job.Reconciliation) and payroll (shopbook.payroll.job.PayrollResult) in; figures,
tables and findings out. Finding and reading the month's workbooks and writing the result
is shopbook.monthly.run. Money is exact integer fen throughout (12.50 yuan = 1250).

Definitions (docs/month.md explains them for the manager):
- an order is in the month when it was paid in the month: 付款时间, or 下单时间 for a
  货到付款 order without 付款时间; unpaid orders (no 付款时间, status 待付款) are not sales;
- 销售额 = the sum of 实付金额 of those order lines (数量 × 单价 − 优惠 when 实付金额 is
  blank); 订单数 = distinct 订单号; 客单价 = 销售额 ÷ 订单数, half-up to the fen;
- 退款率 = orders of the month with a 退货/仅退款 row in the 退换货 register (not refused)
  ÷ 订单数; 退款金额 = the 退款金额 of those rows;
- 准时发货率 = orders shipped by their deadline ÷ orders due (shipped, or unshipped with the
  deadline passed); deadline = the payment day when paid before the shipping cut-off
  (rules 发货截止时间, default 16:00), else the next day;
- ROI = 销售额 ÷ 推广费用.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from shopbook.core import findings as fnd
from shopbook.sheets.orders import COD, blocked_reason, known_agents, paid_mask, remark_name
from shopbook.reading.cells import fen_text, parse_date
from shopbook.reading.schema import normalise_header
from shopbook.reading.tables import Table
from shopbook.rules import Rules
from shopbook.sheets.shipping import ship_deadline
from shopbook.sheets.stock import order_stock_key, sellable, stock_key

PUBLIC = "公共订单"
# how an order was attributed, in the order the rules are applied
BY_OVERRIDE, BY_PROMOTION, BY_RED, BY_YELLOW, BY_NONE = "归属客服", "活动日分摊", "红旗备注", "黄旗备注", "公共订单"
REFUND_TYPES = ("退货", "仅退款")
REFUSED = re.compile(r"拒|取消|撤销|驳回")
ROSTER_SHEETS = ("排班", "排班表", "值班表")
PROMOTION_COST_NAMES = ("推广费用", "推广费", "推广花费", "广告费用", "推广费用元")


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


# --- inputs and result ---------------------------------------------------------------------
@dataclass
class MonthInputs:
    """The month's tables, each None when its workbook was not found."""

    month: dt.date  # first day of the month
    rules: Rules
    as_of: dt.datetime
    orders: Table | None = None
    shipping: Table | None = None
    returns: Table | None = None
    stock: Table | None = None
    reconciliation: object | None = None  # shopbook.courier.job.Reconciliation
    payroll: object | None = None  # shopbook.payroll.job.PayrollResult
    promotion_cost: int | None = None  # fen
    sellable: pd.Series | None = None  # 可售 per stock key from the stock ledger, when its registers are kept


@dataclass
class MonthReport:
    month: dt.date
    figures: dict  # Figure.key -> int (count, fen) | float (rate, ratio) | None (section absent)
    agents: pd.DataFrame  # per 客服 (see agent_table)
    daily: pd.DataFrame  # one row per day of the month (see daily_table)
    shares: pd.DataFrame  # one row per order and 客服 it is credited to
    returns_by_reason: pd.DataFrame | None
    returns_by_item: pd.DataFrame | None
    stock_alerts: pd.DataFrame | None
    couriers: pd.DataFrame | None
    payroll: pd.DataFrame | None
    findings: pd.DataFrame
    previous: "MonthReport | None" = None
    sections: dict = field(default_factory=dict)  # section -> present?


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
        open_ = d["状态"].isin(["待付款", "已关闭"]) if "状态" in d else pd.Series(False, index=d.index)
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


# --- attribution ----------------------------------------------------------------------------
def duty_roster(rules: Rules) -> dict[dt.date, list[str]]:
    """排班 (日期, 客服) from the rules workbook: day -> the 客服 on duty, in sheet order.
    A 客服 cell may name several people (小王、小李)."""
    frame = None
    for name, table in rules.tables.items():
        if normalise_header(name) in {normalise_header(n) for n in ROSTER_SHEETS}:
            frame = table
            break
    if frame is None or frame.empty:
        return {}
    columns = {normalise_header(c): c for c in frame.columns}
    day_col = columns.get("日期") or columns.get("值班日期")
    name_col = columns.get("客服") or columns.get("值班客服") or columns.get("姓名")
    if day_col is None or name_col is None:
        return {}
    days, _ = parse_date(frame[day_col].astype(object))
    roster: dict[dt.date, list[str]] = {}
    for day, names in zip(days, frame[name_col]):
        if pd.isna(day) or not isinstance(names, str):
            continue
        for name in re.split(r"[、,，/;；\s]+", names.strip()):
            if name and name not in roster.setdefault(day.date(), []):
                roster[day.date()].append(name)
    return roster


def attribute(orders: pd.DataFrame, rules: Rules, known: set[str]) -> pd.DataFrame:
    """Each order's basis and 客服 (None for promotion-day orders, shared later):
    1. 归属客服 filled -> that 客服 (the manager's decision overrides every other rule);
    2. placed (下单时间, else paid) on a 活动日 -> shared among the 客服 on duty that day;
    3. 红旗 or 黄旗 with a 客服 named in 备注 -> that 客服;
    4. otherwise 公共订单."""
    out = orders.copy()
    n = len(out)
    basis = np.full(n, BY_NONE, dtype=object)
    agent = np.full(n, PUBLIC, dtype=object)
    override = out["归属客服"].notna().to_numpy() if "归属客服" in out else np.zeros(n, bool)
    if override.any():
        agent[override] = out.loc[override, "归属客服"].to_numpy()
        basis[override] = BY_OVERRIDE
    placed = out["下单时间"].fillna(out["_time"]) if "下单时间" in out else out["_time"]
    promo_days = set(rules.promotion_days)
    promo = ~override & placed.dt.date.isin(promo_days).to_numpy() if promo_days and n else np.zeros(n, bool)
    basis[promo] = BY_PROMOTION
    agent[promo] = None
    if "旗帜" in out:
        flag = out["旗帜"].to_numpy(dtype=object)
        flagged = ~override & ~promo & np.isin(flag, ["红", "黄"])
        if flagged.any():
            remarks = out["备注"] if "备注" in out else pd.Series(None, index=out.index, dtype=object)
            cache: dict = {}  # remarks repeat; parse each once
            for remark in remarks[flagged].unique():
                cache[remark] = remark_name(remark, known)
            names = np.array([cache[r] for r in remarks[flagged]], dtype=object)
            hit = np.zeros(n, bool)
            hit[np.flatnonzero(flagged)[pd.notna(names)]] = True
            agent[hit] = names[pd.notna(names)]
            basis[hit] = np.where(flag[hit] == "红", BY_RED, BY_YELLOW)
    out["_placed"] = placed.dt.normalize()
    out["_basis"] = basis
    out["_agent"] = agent
    return out


def share_orders(attributed: pd.DataFrame, roster: dict[dt.date, list[str]]) -> tuple[pd.DataFrame, list[tuple]]:
    """One row per (order, 客服 credited): _order, _day (payment day), _agent, _orders (1, or
    1/n of a shared order), _sales (fen), _basis, _shared, _n (how many share it).

    A promotion-day order is shared equally among the n 客服 on duty on the day it was
    placed: each gets amount // n fen, and the amount % n fen left over go one each to the
    next 客服 in 排班 order, continuing round the list from order to order within the day
    (so over a day nobody gets more than 1 fen above the others). Orders of a promotion day
    with nobody on duty stay 公共订单; those days are returned as (day, count)."""
    cols = ["_order", "_day", "_agent", "_orders", "_sales", "_basis", "_shared", "_n"]
    a = attributed
    single = a[a["_basis"] != BY_PROMOTION]
    frames = [pd.DataFrame({"_order": single["_order"], "_day": single["_day"], "_agent": single["_agent"],
                            "_orders": 1.0, "_sales": single["_amount"].astype("int64"),
                            "_basis": single["_basis"], "_shared": False, "_n": 1})]
    unstaffed = []
    promo = a[a["_basis"] == BY_PROMOTION]
    rows = []
    for placed, group in promo.groupby("_placed", sort=True):
        agents = roster.get(placed.date(), [])
        if not agents:
            unstaffed.append((placed.date(), len(group)))
            frames.append(pd.DataFrame({"_order": group["_order"], "_day": group["_day"], "_agent": PUBLIC,
                                        "_orders": 1.0, "_sales": group["_amount"].astype("int64"),
                                        "_basis": BY_NONE, "_shared": False, "_n": 1}))
            continue
        n = len(agents)
        start = 0
        for order, day, amount in zip(group["_order"], group["_day"], group["_amount"]):
            base, extra = divmod(int(amount), n)
            for i, name in enumerate(agents):
                bonus = 1 if (i - start) % n < extra else 0
                rows.append((order, day, name, 1.0 / n, base + bonus, BY_PROMOTION, True, n))
            start = (start + extra) % n
    if rows:
        frames.append(pd.DataFrame(rows, columns=cols))
    shares = pd.concat(frames, ignore_index=True)[cols]
    shares["_sales"] = shares["_sales"].astype("int64")
    return shares, unstaffed


def empty_shares() -> pd.DataFrame:
    return pd.DataFrame({"_order": pd.Series(dtype=object), "_day": pd.Series(dtype="datetime64[ns]"),
                         "_agent": pd.Series(dtype=object), "_orders": pd.Series(dtype=float),
                         "_sales": pd.Series(dtype="int64"), "_basis": pd.Series(dtype=object),
                         "_shared": pd.Series(dtype=bool), "_n": pd.Series(dtype="int64")})


def agent_order(shares: pd.DataFrame) -> list[str]:
    """客服 by sales, largest first; 公共订单 last."""
    sales = shares.groupby("_agent")["_sales"].sum().sort_values(ascending=False, kind="stable")
    names = [n for n in sales.index if n != PUBLIC]
    return names + ([PUBLIC] if PUBLIC in sales.index else [])


AGENT_COLUMNS = ["客服", "订单数", "其中活动日分摊单数", "销售额", "其中活动日分摊金额", "销售占比", "客单价",
                 "上月销售额", "环比"]


def agent_table(shares: pd.DataFrame, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per 客服: 订单数 (shared orders count 1/n), 销售额 (fen), the promotion-day part of both,
    销售占比 of the month's sales, 客单价 (销售额 ÷ 订单数), last month's 销售额 and the change."""
    names = agent_order(shares)
    g = shares.groupby("_agent")
    orders_of, sales_of = g["_orders"].sum(), g["_sales"].sum()
    shared = shares[shares["_shared"]].groupby("_agent")
    shared_orders_of, shared_sales_of = shared["_orders"].sum(), shared["_sales"].sum()
    total = int(shares["_sales"].sum())
    # orders per 客服 as exact fractions (1/n per shared order) for 客单价
    counted = shares.groupby(["_agent", "_n"]).size()
    exact_orders: dict = {}
    for (name, n), count in counted.items():
        exact_orders[name] = exact_orders.get(name, Fraction(0)) + Fraction(int(count), int(n))
    prev = previous.set_index("客服")["销售额"] if previous is not None and len(previous) else None
    rows = []
    for name in names:
        orders, sales = float(orders_of[name]), int(sales_of[name])
        shared_orders, shared_sales = float(shared_orders_of.get(name, 0.0)), int(shared_sales_of.get(name, 0))
        last = int(prev[name]) if prev is not None and name in prev.index else None
        exact = exact_orders.get(name, Fraction(0))
        rows.append({"客服": name, "订单数": round(orders, 4), "其中活动日分摊单数": round(shared_orders, 4),
                     "销售额": sales, "其中活动日分摊金额": shared_sales, "销售占比": ratio(sales, total),
                     "客单价": half_up(sales * exact.denominator, exact.numerator) if exact else None,
                     "上月销售额": last, "环比": ratio(sales - last, last) if last else None})
    return pd.DataFrame(rows, columns=AGENT_COLUMNS)


def daily_table(orders: pd.DataFrame, shares: pd.DataFrame, month: dt.date, agents: list[str]) -> pd.DataFrame:
    """One row per day of the month: 日期, 订单数, 销售额 (fen), then 销售额 per 客服 (in the
    客服业绩 order, 公共订单 last)."""
    start, end = month_range(month)
    days = pd.date_range(start, end - pd.Timedelta(days=1), freq="D")
    out = pd.DataFrame({"日期": days})
    counts = orders.groupby("_day")["_order"].nunique() if len(orders) else pd.Series(dtype="int64")
    sales = orders.groupby("_day")["_amount"].sum() if len(orders) else pd.Series(dtype="int64")
    out["订单数"] = counts.reindex(days, fill_value=0).astype("int64").to_numpy()
    out["销售额"] = sales.reindex(days, fill_value=0).astype("int64").to_numpy()
    if len(shares):
        pivot = shares.pivot_table(index="_day", columns="_agent", values="_sales", aggfunc="sum", fill_value=0)
    else:
        pivot = pd.DataFrame(index=days)
    for name in agents:
        column = pivot[name] if name in pivot else pd.Series(dtype="int64")
        out[name] = column.reindex(days, fill_value=0).astype("int64").to_numpy()
    return out


# --- refunds, shipping ----------------------------------------------------------------------
def refund_rows(returns: Table | None) -> pd.DataFrame | None:
    """退货/仅退款 rows of the register that were not refused (状态 拒绝/取消/撤销/驳回)."""
    if returns is None or "类型" not in returns.data:
        return None
    r = returns.data
    keep = r["类型"].isin(REFUND_TYPES)
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
        waiting &= ~orders["状态"].isin(["已发货", "已完成"])
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


def _fen(d: Decimal) -> int:
    return int((Decimal(d) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def payroll_table(result) -> pd.DataFrame:
    """One row per paid employee (amounts in fen) from shopbook.payroll.job's result."""
    rows = [{"工号": s.id, "姓名": s.name, "岗位": s.position, "底薪": _fen(s.base),
             "缺勤扣款": _fen(s.absence_deduction), "计件工资": _fen(s.piece_pay), "奖金": _fen(s.bonus),
             "奖励": _fen(s.reward), "罚款": _fen(s.penalty), "应发工资": _fen(s.gross),
             "社保": _fen(s.social_insurance), "公积金": _fen(s.housing_fund), "个人所得税": _fen(s.iit),
             "实发工资": _fen(s.net)} for s in result.slips]
    return pd.DataFrame(rows, columns=PAYROLL_COLUMNS)


# --- the job --------------------------------------------------------------------------------
def item_names(inputs: MonthInputs) -> dict:
    names: dict = {}
    for table in (inputs.stock, inputs.orders):
        if table is not None and "商品编码" in table.data and "商品名称" in table.data:
            pairs = table.data[["商品编码", "商品名称"]].dropna().drop_duplicates("商品编码")
            names.update(dict(zip(pairs["商品编码"], pairs["商品名称"])))
    return names


def agent_sales(orders: Table, rules: Rules, month: dt.date) -> pd.Series:
    """The month's 销售额 per 客服 in fen (公共订单 left out), attributed exactly as 客服业绩 does:
    month_lines → attribute → share_orders (what payroll takes as 个人销售额)."""
    lines, _ = month_lines(orders, month)
    frame = order_frame(lines)
    if frame.empty:
        return pd.Series(dtype="int64")
    attributed = attribute(frame, rules, known_agents(orders.data, rules))
    shares, _ = share_orders(attributed, duty_roster(rules))
    sales = shares.groupby("_agent")["_sales"].sum()
    return sales[sales.index != PUBLIC].astype("int64")


def compute_month(inputs: MonthInputs, previous: MonthReport | None = None) -> MonthReport:
    """The month's report from its tables. Sections whose input is None are None; their
    figures are None. `previous` (last month's report) fills the 上月 columns."""
    problems = []
    figures: dict = {f.key: None for f in FIGURES}
    month_label = f"{inputs.month.year}-{inputs.month.month:02d}"
    if inputs.orders is not None:
        lines, found = month_lines(inputs.orders, inputs.month)
        problems.append(found)
        orders = order_frame(lines)
        known = known_agents(inputs.orders.data, inputs.rules)
        if len(orders):
            attributed = attribute(orders, inputs.rules, known)
            shares, unstaffed = share_orders(attributed, duty_roster(inputs.rules))
        else:
            shares, unstaffed = empty_shares(), []
        for day, count in unstaffed:
            problems.append(fnd.sheet_level(inputs.orders.sheet, "month-no-duty-roster", value=day.isoformat(),
                                            day=day.isoformat(), count=count))
        if orders.empty:
            problems.append(fnd.sheet_level(inputs.orders.sheet, "month-no-orders", month=month_label,
                                            span=sale_span(inputs.orders)))
        sales = int(orders["_amount"].sum()) if len(orders) else 0
        figures.update(orders=len(orders), sales=sales, avg_order_value=half_up(sales, len(orders)))
    else:
        lines = pd.DataFrame()
        orders = order_frame(lines)
        shares = empty_shares()
    agents = agent_table(shares, previous.agents if previous is not None else None) if len(shares) else \
        pd.DataFrame(columns=AGENT_COLUMNS)
    daily = daily_table(orders, shares, inputs.month, list(agents["客服"]))

    if inputs.orders is not None:
        refunds, refund_amount = refund_figures(inputs.returns, orders)
        figures.update(refund_orders=refunds, refund_amount=refund_amount,
                       refund_rate=ratio(refunds, len(orders)) if refunds is not None else None)
        on_time, due = on_time_figures(orders, inputs.shipping, inputs.rules, inputs.as_of)
        figures.update(shipped_on_time=on_time, ship_due=due,
                       on_time_rate=ratio(on_time, due) if due is not None else None)

    by_reason = by_item = None
    if inputs.returns is not None:
        rows = returns_in_month(inputs.returns, inputs.month)
        by_reason = returns_by_reason(rows)
        by_item = returns_by_item(rows, lines, item_names(inputs))
    alerts = stock_alerts(inputs.stock, lines, inputs.sellable) if inputs.stock is not None and "商品编码" in inputs.stock.data else None
    couriers = None
    if inputs.reconciliation is not None:
        s = inputs.reconciliation.summary
        couriers = courier_table(inputs.reconciliation)
        figures.update(courier_bill=s["bill_total"], courier_overcharge=s["overcharge_total"],
                       courier_recoverable=s["overcharge_total"] + s["claims_total"] + s["offsets_total"])
    payroll = None
    if inputs.payroll is not None:
        payroll = payroll_table(inputs.payroll)
        figures.update(payroll_gross=int(payroll["应发工资"].sum()), payroll_net=int(payroll["实发工资"].sum()))
    if inputs.promotion_cost is not None:
        figures["promotion_cost"] = inputs.promotion_cost
        if figures["sales"] is not None:
            figures["roi"] = ratio(figures["sales"], inputs.promotion_cost, places=2)
    sections = {"订单": inputs.orders is not None, "发货": inputs.shipping is not None,
                "退换货": inputs.returns is not None, "库存": inputs.stock is not None,
                "快递对账": inputs.reconciliation is not None, "工资": inputs.payroll is not None}
    return MonthReport(inputs.month, figures, agents, daily, shares, by_reason, by_item, alerts, couriers, payroll,
                       fnd.combine(problems), previous, sections)


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


def report_json(report: MonthReport) -> dict:
    """The headline figures (money as "12.50"), last month's, and the per-客服 table."""
    agents = [{"name": r["客服"], "orders": r["订单数"], "shared_orders": r["其中活动日分摊单数"],
               "sales": fen_text(r["销售额"]), "shared_sales": fen_text(r["其中活动日分摊金额"]),
               "share": r["销售占比"], "avg_order_value": fen_text(r["客单价"]),
               "previous_sales": fen_text(r["上月销售额"]), "growth": r["环比"]}
              for r in report.agents.astype(object).where(report.agents.notna(), None).to_dict("records")]
    out = {"month": f"{report.month.year}-{report.month.month:02d}", "figures": figures_json(report.figures),
           "previous": figures_json(report.previous.figures) if report.previous is not None else None,
           "agents": agents, "sections": report.sections,
           "findings": fnd.records(report.findings) if len(report.findings) else []}
    return out
