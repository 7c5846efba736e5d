"""拣货单 — pick lists (SPEC §Pick lists).

From the paid, unshipped, non-abnormal orders and the stock sheet: which orders the
warehouse picks now (whole orders, first paid first served), the wave list (汇总拣货)
walked in 库位 order, the per-order list (按单拣货), the 缺货 list, and the orders held back
because their data makes picking unsafe. Pure: tables in, a `PickResult` out; the checks that
hold an order are in checks.py, the result in result.py, the generated sheets in lists.py;
reading (and the 拣货批次 record) in run.py, the workbook in xlsx.py.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from shopbook.picking.checks import PAYMENT_COLUMNS, _held_frame, picking_problems
from shopbook.picking.requests import GIFT_WORD, customer_request, is_gift
from shopbook.picking.result import HELD_COLUMNS, SHORTAGE_COLUMNS, PickResult, _empty, _walk
from shopbook.reading.schema import DATETIME, ID, INT, TEXT, Column, SheetKind
from shopbook.reading.tables import Table
from shopbook.rules import DEFAULT_RULES, Rules
from shopbook.sheets import orders as order_sheet
from shopbook.sheets import stock as stock_sheet
from shopbook.sheets.context import Sheets

SHIPPED_STATUSES = ("已发货", "已完成")
# an order that is shipped or cancelled no longer keeps its batch open (its goods left or went back)
DONE_STATUSES = ("已发货", "已完成", "已关闭")

BATCH_SHEET = "拣货批次"
# closed batches stay in 拣货批次 (and can be reprinted) for this many days after picking
KEEP_CLOSED_DAYS = 31
BATCHES = SheetKind(
    name=BATCH_SHEET,
    sheet_aliases=("拣货记录",),
    columns=(
        Column("批次号", (), ID, required=True),
        Column("拣货时间", (), DATETIME, required=True),
        Column("订单号", (), ID, required=True),
        Column("付款时间", (), DATETIME),
        Column("付款方式", (), TEXT),
        Column("收件人", (), TEXT),
        Column("快递公司", (), TEXT),
        Column("商品编码", (), ID, required=True),
        Column("商品名称", (), TEXT),
        Column("颜色", (), TEXT),
        Column("尺码", (), TEXT),
        Column("规格", (), TEXT),
        Column("库位", (), TEXT),
        Column("数量", (), INT, required=True),
        Column("赠品", (), TEXT),
        Column("顾客要求", (), TEXT),
        Column("合并发货", (), TEXT),
        # who picked the batch: `picklist --picker` fills it, or the warehouse types it (a line of its
        # own name where two people shared a batch); payroll counts 拣货单数 by it
        Column("拣货人", ("拣货员", "捡货人", "捡单员"), TEXT),
        Column("批次状态", (), TEXT),
    ),
)
# one row per picked order line: what a batch holds, enough to reprint it exactly
RECORD_COLUMNS = [c.name for c in BATCHES.columns if c.name != "批次状态"]

def next_batch_id(existing, as_of: dt.datetime) -> str:
    """JH + date + a sequence number per day: JH20261031-01, JH20261031-02…"""
    prefix = f"JH{as_of:%Y%m%d}-"
    numbers = [int(m.group(1)) for b in existing
               if isinstance(b, str) and (m := re.fullmatch(re.escape(prefix) + r"(\d+)", b))]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


def register_ids(shipping_table: Table | None) -> set:
    if shipping_table is None or "订单号" not in shipping_table.data:
        return set()
    return set(shipping_table.data["订单号"].dropna())


def done_order_ids(orders_table: Table | None, shipping_table: Table | None) -> set:
    """Orders that no longer wait for the warehouse: in the shipping register, or 已发货/已完成/已关闭."""
    done = register_ids(shipping_table)
    if orders_table is not None and "状态" in orders_table.data:
        d = orders_table.data
        done |= set(d.loc[d["状态"].isin(DONE_STATUSES), "订单号"].dropna())
    return done

def empty_records() -> pd.DataFrame:
    return _empty(RECORD_COLUMNS)


def batch_states(records: pd.DataFrame, done: set) -> pd.DataFrame:
    """One row per recorded batch (index 批次号): 拣货时间, 订单数, 已完成订单数, 状态 (未完成/已完成).

    A batch closes when all its orders are done (shipped or closed)."""
    if records.empty:
        return pd.DataFrame(columns=["拣货时间", "订单数", "已完成订单数", "状态"])
    per_order = records.drop_duplicates(["批次号", "订单号"])
    g = per_order.assign(done=per_order["订单号"].isin(done)).groupby("批次号", sort=False)
    states = pd.DataFrame({"拣货时间": g["拣货时间"].first(), "订单数": g.size(), "已完成订单数": g["done"].sum()})
    states["状态"] = np.where(states["订单数"] == states["已完成订单数"], "已完成", "未完成")
    return states


def prune_records(records: pd.DataFrame, done: set, as_of: dt.datetime,
                  keep_days: int = KEEP_CLOSED_DAYS) -> pd.DataFrame:
    """The record without the closed batches picked more than `keep_days` before `as_of`
    (open batches always stay), so 拣货批次 does not grow for ever. Last month's batches stay
    all month long whatever `keep_days`: payroll counts the month's 拣货单数 from them."""
    states = batch_states(records, done)
    now = pd.Timestamp(as_of)
    last_month = (now.normalize().replace(day=1) - pd.Timedelta(days=1)).replace(day=1)
    cutoff = min(now - pd.Timedelta(days=keep_days), last_month)
    old = states.index[(states["状态"] == "已完成") & (pd.to_datetime(states["拣货时间"]) < cutoff)]
    return records[~records["批次号"].isin(old)].reset_index(drop=True) if len(old) else records


def open_batch_records(records: pd.DataFrame, done: set) -> pd.DataFrame:
    """The recorded lines of the batches still open."""
    states = batch_states(records, done)
    return records[records["批次号"].isin(states.index[states["状态"] == "未完成"])]

# --- the job ----------------------------------------------------------------------------
def pick(orders_table: Table, stock_table: Table, shipping_table: Table | None = None,
         open_batches: pd.DataFrame | None = None, rules: Rules = DEFAULT_RULES,
         as_of: dt.datetime | None = None, batch_id: str | None = None,
         sellable: pd.Series | None = None, picker: str | None = None) -> PickResult:
    """Allocate sellable stock to the eligible orders and build the new batch.

    Takes the parsed 订单 and 库存 tables (and 发货 when kept), the recorded lines of the
    batches still open (their orders are not picked again and their goods stay reserved),
    the rules and the as-of time; `batch_id` names the new batch; `sellable` the stock ledger's
    computed 可售 per stock key (shopbook.stockbook.job.sellable) when the movements are given;
    `picker` is recorded as the batch's 拣货人. Returns a PickResult.
    Assumes the columns `unusable_reason` asks for are present.
    """
    as_of = pd.Timestamp(as_of or dt.datetime.now()).floor("s").to_pydatetime()
    batch_id = batch_id or next_batch_id((), as_of)
    open_batches = empty_records() if open_batches is None else open_batches
    d = orders_table.data
    stock = stock_table.data
    key = stock_sheet.order_stock_key(d, stock)
    # lines without an order number stand alone (they are held: never merged into another order)
    group = d["订单号"].astype(object).where(d["订单号"].notna(), ["\x00" + str(r) for r in d.index])

    problems = picking_problems(orders_table, stock_table, key, rules, as_of)
    line_rows = problems["row"].dropna().astype(int)
    whole_sheet = problems["row"].isna().any()  # e.g. the 收件人 column missing: no order is safe
    doubt_rows = set(problems.loc[problems["canonical"].isin(PAYMENT_COLUMNS), "row"].dropna().astype(int))

    status = d["状态"] if "状态" in d else pd.Series(None, index=d.index, dtype=object)
    paid_at = d["付款时间"] if "付款时间" in d else pd.Series(pd.NaT, index=d.index, dtype="datetime64[ns]")
    if "下单时间" in d:  # 货到付款 has no 付款时间: it queues from when it was ordered
        paid_at = paid_at.fillna(d["下单时间"])
    lines = pd.DataFrame({
        "group": group,
        "shipped": status.isin(SHIPPED_STATUSES) | d["订单号"].isin(register_ids(shipping_table)),
        "blocked": order_sheet.blocked_reason(d).notna(),
        "paid": order_sheet.paid_mask(d),
        "doubt": d.index.isin(doubt_rows),
        "problem": d.index.isin(set(line_rows)),
        "paid_at": paid_at,
        "row": d.index,
    }, index=d.index)
    g = lines.groupby("group", sort=False)
    per_order = pd.DataFrame({"shipped": g["shipped"].any(), "blocked": g["blocked"].any(), "paid": g["paid"].all(),
                              "doubt": g["doubt"].any(), "problem": g["problem"].any() | whole_sheet,
                              "paid_at": g["paid_at"].min(), "first_row": g["row"].min()})
    open_ids = set(open_batches["订单号"].dropna())
    reasons = {
        "shipped": per_order["shipped"],
        "blocked": per_order["blocked"],
        "open_batch": per_order.index.isin(open_ids),
        "unpaid": ~per_order["paid"] & ~per_order["doubt"],
        "later": per_order["paid"] & (per_order["paid_at"] > pd.Timestamp(as_of)).fillna(False),
    }
    state = np.select([np.asarray(v, dtype=bool) for v in reasons.values()], list(reasons), default="ready")
    skipped = {k: int((state == k).sum()) for k in reasons}
    ready = per_order[state == "ready"]
    held_orders = ready[ready["problem"]]
    ready = ready[~ready["problem"]]

    held = _held_frame(problems, group, held_orders, whole_sheet)
    ranked = ready.assign(oid=ready.index).sort_values(["paid_at", "oid"], na_position="last", kind="stable")
    rank = pd.Series(np.arange(len(ranked)), index=ranked.index)
    available = _available(stock_table, open_batches, done_order_ids(orders_table, shipping_table), sellable)
    picked, short = _allocate(d, key, group, rank, available)

    # orders validate would merge (can-merge-shipment): the packer sees which go in one parcel
    partners = order_sheet.merge_partners(Sheets(orders=orders_table, shipping=shipping_table, rules=rules,
                                                 as_of=as_of))
    records = _records(orders_table, stock_table, key, group, rank, picked, batch_id, as_of,
                       dict(zip(partners["订单号"], partners["合并"])), picker)
    return PickResult(batch_id=batch_id if len(records) else None, picked_at=as_of, lines=records,
                      shortages=_shortage_frame(d, key, group, rank, short), held=held, skipped=skipped,
                      open_batches=list(dict.fromkeys(open_batches["批次号"].dropna())))


def next_batch(orders_table: Table, stock_table: Table, shipping_table: Table | None, records: pd.DataFrame,
               rules: Rules = DEFAULT_RULES, as_of: dt.datetime | None = None, sellable: pd.Series | None = None,
               picker: str | None = None) -> tuple[PickResult, pd.DataFrame, pd.DataFrame]:
    """One run against the 拣货批次 record (`records`, as read from the output): pick the next
    batch and return it with the updated record (old closed batches pruned, the new lines added)
    and the state of every batch (`batch_states`). What the CLI and the Excel button both do."""
    as_of = pd.Timestamp(as_of or dt.datetime.now()).floor("s").to_pydatetime()
    done = done_order_ids(orders_table, shipping_table)
    records = prune_records(records, done, as_of)[RECORD_COLUMNS]
    batch_id = next_batch_id(records["批次号"].unique(), as_of)
    result = pick(orders_table, stock_table, shipping_table, open_batch_records(records, done), rules, as_of,
                  batch_id, sellable, picker)
    if len(result.lines):
        records = pd.concat([records, result.lines], ignore_index=True)
    return result, records, batch_states(records, done)


def _available(stock_table: Table, open_batches: pd.DataFrame, done: set,
               computed: pd.Series | None = None) -> pd.Series:
    """Sellable per stock key (the stock ledger's `computed` 可售 when given), less what open batches
    took off the shelf and has not shipped yet."""
    sellable = (stock_sheet.sellable_by_key(stock_table) if computed is None else computed).fillna(0).astype("int64")
    waiting = open_batches[~open_batches["订单号"].isin(done)]
    if len(waiting):
        reserved = waiting["数量"].fillna(0).astype("int64").groupby(
            stock_sheet.order_stock_key(waiting, stock_table.data)).sum()
        sellable = sellable.sub(reserved.reindex(sellable.index).fillna(0).astype("int64"))
    return sellable.clip(lower=0)


def _allocate(d: pd.DataFrame, key: pd.Series, group: pd.Series, rank: pd.Series,
              available: pd.Series) -> tuple[set, pd.DataFrame]:
    """Whole orders, first paid first served: an order takes stock only when every line is filled.

    Returns the picked orders (by rank) and the short lines: rank, key, ordered, available
    (what was left when the order's turn came)."""
    mine = group.isin(rank.index)
    need = pd.DataFrame({"rank": group[mine].map(rank).to_numpy(), "key": key[mine].to_numpy(),
                         "qty": d.loc[mine, "数量"].fillna(0).astype("int64").to_numpy()})
    need = need.groupby(["rank", "key"], sort=True)["qty"].sum().reset_index()
    codes, keys = pd.factorize(need["key"])
    left = available.reindex(keys).fillna(0).astype("int64").tolist()
    ranks, codes, qty = need["rank"].to_numpy(), codes.tolist(), need["qty"].tolist()
    starts = np.flatnonzero(np.r_[True, ranks[1:] != ranks[:-1]]).tolist() if len(ranks) else []
    ends = starts[1:] + [len(ranks)]
    picked: set[int] = set()
    short = []
    for s, e in zip(starts, ends):  # sequential by nature: each order sees what earlier ones left
        if all(left[codes[j]] >= qty[j] for j in range(s, e)):
            for j in range(s, e):
                left[codes[j]] -= qty[j]
            picked.add(int(ranks[s]))
        else:
            short += [(int(ranks[s]), keys[codes[j]], qty[j], left[codes[j]])
                      for j in range(s, e) if left[codes[j]] < qty[j]]
    return picked, pd.DataFrame(short, columns=["rank", "key", "ordered", "available"])


def _records(orders_table: Table, stock_table: Table, key: pd.Series, group: pd.Series, rank: pd.Series,
             picked: set, batch_id: str, as_of: dt.datetime, partners: dict | None = None,
             picker: str | None = None) -> pd.DataFrame:
    """The batch's lines (RECORD_COLUMNS), orders in pick order, each order's lines in 库位 order;
    `partners` (订单号 -> the orders to ship with it) marks 合并发货 with those in this batch."""
    d = orders_table.data
    order_rank = group.map(rank)
    mine = order_rank.isin(picked) & group.isin(rank.index)
    if not mine.any():
        return empty_records()
    sub = d[mine]
    stock = stock_table.data
    by_key = stock.assign(_key=stock_sheet.stock_key(stock)).drop_duplicates("_key").set_index("_key")
    k = key[mine]

    def from_stock(column: str) -> pd.Series:
        return k.map(by_key[column]) if column in by_key else pd.Series(None, index=sub.index, dtype=object)

    def from_order(column: str) -> pd.Series:
        return sub[column] if column in sub else pd.Series(None, index=sub.index, dtype=object)

    known = order_sheet.known_agents(d)
    asked = pd.DataFrame({"remark": from_order("备注"), "flag": from_order("旗帜"), "message": from_order("买家留言")})
    asked = asked.astype(object).where(asked.notna(), None)
    distinct = asked.drop_duplicates()
    request_of = {tuple(r): customer_request(r[0], known, r[1], r[2]) for r in distinct.itertuples(index=False)}
    requests = pd.Series([request_of[tuple(r)] for r in asked.itertuples(index=False)], index=sub.index, dtype=object)
    out = pd.DataFrame({
        "批次号": batch_id,
        "拣货时间": pd.Timestamp(as_of),
        "订单号": sub["订单号"],
        "付款时间": pd.to_datetime(from_order("付款时间")).dt.floor("s"),
        "付款方式": from_order("付款方式"),
        "收件人": from_order("收件人"),
        "快递公司": from_order("快递公司"),
        "商品编码": sub["商品编码"],
        "商品名称": from_stock("商品名称").fillna(from_order("商品名称")),
        "颜色": from_order("颜色").fillna(from_stock("颜色")),
        "尺码": from_order("尺码").fillna(from_stock("尺码")),
        "规格": from_order("规格"),
        "库位": from_stock("库位"),
        "数量": sub["数量"].astype("int64"),
        "赠品": np.where(is_gift(sub), GIFT_WORD, None),
        "顾客要求": requests,
        "合并发货": _merge_marks(sub["订单号"], partners or {}),
        "拣货人": (picker or "").strip() or None,
    }, index=sub.index)
    walk = _walk(out["库位"])
    out = pd.concat([out, walk, order_rank[mine].rename("_rank")], axis=1)
    out = out.assign(_row=out.index).sort_values(["_rank", "zone", "shelf", "layer", "text", "_row"], kind="stable")
    return _as_objects(out[RECORD_COLUMNS].reset_index(drop=True))


def _merge_marks(order_ids: pd.Series, partners: dict) -> pd.Series:
    """与 T3、T5 合并发货 for an order whose partners are picked in the same batch, else None."""
    in_batch = set(order_ids.dropna())

    def mark(order):
        others = [o for o in partners.get(order, ()) if o in in_batch and o != order]
        return f"与 {'、'.join(others)} 合并发货" if others else None
    return order_ids.map(mark).astype(object)


def _as_objects(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as object with None for blanks (as the reading layer gives them back)."""
    for c in frame.columns:
        if frame[c].dtype == object or str(frame[c].dtype) in ("str", "string"):
            frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
    return frame


def _shortage_frame(d: pd.DataFrame, key: pd.Series, group: pd.Series, rank: pd.Series,
                    short: pd.DataFrame) -> pd.DataFrame:
    if short.empty:
        return _empty(SHORTAGE_COLUMNS)
    mine = group.isin(rank.index)
    lines = pd.DataFrame({"rank": group[mine].map(rank), "key": key[mine]}, index=d.index[mine])
    first_line = lines.reset_index().drop_duplicates(["rank", "key"]).set_index(["rank", "key"])["index"]
    rows = first_line.reindex(pd.MultiIndex.from_frame(short[["rank", "key"]])).to_numpy()
    sub = d.loc[rows]
    out = pd.DataFrame({c: (sub[c].to_numpy() if c in sub else None) for c in SHORTAGE_COLUMNS[:10]})
    # who tells the customer: the order's 客服, else the one it is credited to, else the one named in 备注
    if "归属客服" in sub:
        out["客服"] = out["客服"].fillna(pd.Series(sub["归属客服"].to_numpy(), dtype=object))
    if "备注" in sub:
        known = order_sheet.known_agents(d)
        remarks = pd.Series(sub["备注"].to_numpy(), dtype=object)
        out["客服"] = out["客服"].fillna(remarks.map(
            {r: order_sheet.remark_name(r, known) for r in remarks.dropna().unique()}))
    out["订购数量"] = short["ordered"].to_numpy()
    out["可用数量"] = short["available"].to_numpy()
    return _as_objects(out)



def batch_result(records: pd.DataFrame, batch_id: str) -> PickResult | None:
    """A recorded batch as a PickResult (for reprinting it), or None when not recorded."""
    lines = records[records["批次号"] == batch_id]
    if lines.empty:
        return None
    lines = _as_objects(lines[RECORD_COLUMNS].reset_index(drop=True).copy())
    return PickResult(batch_id=batch_id, picked_at=pd.Timestamp(lines["拣货时间"].iloc[0]).to_pydatetime(),
                      lines=lines, shortages=_empty(SHORTAGE_COLUMNS), held=_empty(HELD_COLUMNS), reprint=True)
