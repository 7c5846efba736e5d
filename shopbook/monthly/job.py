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
from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np
import pandas as pd

from shopbook.core import findings as fnd
from shopbook.monthly.figures import (FIGURES, courier_table, figures_json, half_up, month_lines, month_range,
                                      on_time_figures, order_frame, payroll_table, ratio, refund_figures,
                                      returns_by_item, returns_by_reason, returns_in_month, review_json,
                                      review_table, sale_span, stock_alerts)
from shopbook.sheets.remarks import known_agents, remark_name
from shopbook.core.money import fen_from_text, fen_text
from shopbook.reading.cells import parse_date
from shopbook.reading.schema import normalise_header
from shopbook.reading.tables import Table
from shopbook.rules import Rules
from shopbook.rules.words import PROMOTION_COST_NAMES, ROSTER_SHEETS

PUBLIC = "公共订单"
# how an order was attributed, in the order the rules are applied
BY_OVERRIDE, BY_PROMOTION, BY_RED, BY_YELLOW, BY_NONE = "归属客服", "活动日分摊", "红旗备注", "黄旗备注", "公共订单"


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
    reviews: Table | None = None  # the 评价 register (shopbook.sheets.reviews), for 好评改善


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
    reviews: pd.DataFrame | None = None  # 好评改善 per 客服 (see figures.review_table)


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


# --- which courier bills are the month's ----------------------------------------------------
def bill_months(bills) -> dict:
    """Per bill sheet (its `_source`): the month most of its dated lines were sent in
    (a monthly bill may carry a few lines of the month before), or None when none is dated."""
    out = {}
    for source, group in bills.data.groupby("_source", sort=False):
        dates = pd.to_datetime(group["寄件日期"], errors="coerce").dropna() if "寄件日期" in group else pd.Series()
        if dates.empty:
            out[source] = None
            continue
        counts = dates.dt.to_period("M").value_counts(sort=False)
        out[source] = counts.idxmax()  # the earliest of the most frequent months
    return out


def bills_of_month(bills, month: dt.date):
    """(the bill sheets of the month or undated, {source: (period, file「sheet」)} of the others)."""
    periods = bill_months(bills)
    labels = {source: table.path.name if table.path.suffix.lower() == ".csv" else f"{table.path.name}「{table.sheet}」"
              for source, table in zip(bills.letters, bills.tables)}  # letters: one entry per table, in order
    wanted = pd.Period(month, "M")
    other = {source: (p, labels.get(source, source)) for source, p in periods.items()
             if p is not None and p != wanted}
    if not other:
        return bills, other
    keep = ~bills.data["_source"].isin(list(other))
    bills.data = bills.data[keep].reset_index(drop=True)
    bills.keys = None  # (made for the lines before: made again by the job)
    bills.findings = bills.findings[~bills.findings["sheet"].isin(list(other))].reset_index(drop=True)
    return bills, other


# --- promotion cost -----------------------------------------------------------------------
def promotion_cost(rules: Rules, month: dt.date) -> int | None:
    """推广费用 (fen) from the rules workbook: a 推广费用 sheet (月份, 推广费用/金额) row for the
    month, else a 推广费用 row of 参数. None when neither gives one."""
    from shopbook.core.months import parse_month

    names = {normalise_header(n) for n in PROMOTION_COST_NAMES}
    for sheet, frame in rules.tables.items():
        if normalise_header(sheet) in names and frame is not None and len(frame.columns) >= 2:
            columns = {normalise_header(c): c for c in frame.columns}
            month_col = columns.get("月份") or columns.get("月")
            amount_col = next((columns[n] for n in (*names, "金额", "费用") if n in columns), None)
            if month_col is None or amount_col is None:
                continue
            for label, value in zip(frame[month_col], frame[amount_col]):
                try:
                    if isinstance(label, (dt.date, dt.datetime)):
                        when = dt.date(label.year, label.month, 1)
                    else:
                        when = parse_month(str(label))
                except ValueError:
                    continue
                if when == month:
                    return fen_from_text(value)
    for sheet, frame in rules.tables.items():
        if normalise_header(sheet) in ("参数", "规则", "parameters") and frame is not None and len(frame.columns) >= 2:
            for name, value in frame.iloc[:, :2].itertuples(index=False):
                if normalise_header(name) in names:
                    return fen_from_text(value)
    return None



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
    reviews = review_table(inputs.reviews, inputs.rules, inputs.month) if inputs.reviews is not None else None
    sections = {"订单": inputs.orders is not None, "发货": inputs.shipping is not None,
                "退换货": inputs.returns is not None, "库存": inputs.stock is not None,
                "快递对账": inputs.reconciliation is not None, "工资": inputs.payroll is not None,
                "评价": inputs.reviews is not None}
    return MonthReport(inputs.month, figures, agents, daily, shares, by_reason, by_item, alerts, couriers, payroll,
                       fnd.combine(problems), previous, sections, reviews)


def compute(tables: MonthInputs, rules: Rules, as_of: dt.datetime,
            previous: MonthReport | None = None) -> tuple[MonthReport, pd.DataFrame]:
    """The job in the shape every job has: the month's tables, the rules and the as-of in; the
    report and its findings out (no file, no exception for bad input). `previous` is last
    month's report, for the 上月 columns."""
    report = compute_month(replace(tables, rules=rules, as_of=as_of), previous)
    return report, report.findings


def report_json(report: MonthReport) -> dict:
    """The headline figures (money as "12.50"), last month's, and the per-客服 table."""
    agents = [{"name": r["客服"], "orders": r["订单数"], "shared_orders": r["其中活动日分摊单数"],
               "sales": fen_text(r["销售额"]), "shared_sales": fen_text(r["其中活动日分摊金额"]),
               "share": r["销售占比"], "avg_order_value": fen_text(r["客单价"]),
               "previous_sales": fen_text(r["上月销售额"]), "growth": r["环比"]}
              for r in report.agents.astype(object).where(report.agents.notna(), None).to_dict("records")]
    out = {"month": f"{report.month.year}-{report.month.month:02d}", "figures": figures_json(report.figures),
           "previous": figures_json(report.previous.figures) if report.previous is not None else None,
           "agents": agents, "reviews": review_json(report.reviews), "sections": report.sections,
           "findings": fnd.records(report.findings) if len(report.findings) else []}
    return out
