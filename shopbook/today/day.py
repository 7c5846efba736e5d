"""What every 今日待办 list is made of: the tables of one day (TodayTables), `Day` (the tables, the
rules, the as-of moment and what several lists share: the orders one row per order, whose 客服 an
order is, which orders left the warehouse) and `items`, the rows of a list (ITEM_COLUMNS)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from shopbook.sheets import orders as order_sheet
from shopbook.sheets import remarks
from shopbook.picking import job as picking
from shopbook.sheets import shipping as shipping_sheet
from shopbook.sheets.context import Sheets
from shopbook.reading.tables import Table
from shopbook.rules import Rules

# one row per item: the order, the buyer, who acts, the deadline (a day when due_day), why, more
# detail, and where it comes from (sheet, Excel row; source = the sheet kind, column = the letter)
ITEM_COLUMNS = ["order", "buyer", "who", "due", "due_day", "overdue", "reason", "detail", "sheet", "row", "source",
                "column", "rank"]
ABNORMAL_STATES = ("丢件", "破损", "拒收", "无法送达")
REFUND_DONE = ("已退款", "退款完成", "已完成", "完成")


@dataclass
class TodayTables:
    """The parsed sheets a 客服 day reads (None = not found) and the 拣货批次 record."""

    orders: Table | None = None
    shipping: Table | None = None
    returns: Table | None = None
    reviews: Table | None = None
    complaints: Table | None = None
    handovers: Table | None = None
    contacts: Table | None = None
    batches: pd.DataFrame | None = None  # picking.RECORD_COLUMNS


def empty_list() -> pd.DataFrame:
    kinds = {"due": "datetime64[ns]", "due_day": bool, "overdue": bool, "row": "int64", "rank": float}
    return pd.DataFrame({c: pd.Series(dtype=kinds.get(c, object)) for c in ITEM_COLUMNS})


def items(t: Table, rows, column: str | None, **fields) -> pd.DataFrame:
    """List items at these Excel rows of table t (linked to `column`); fields are scalars or
    Series over t's rows: order, buyer, who, due, due_day, reason, detail, rank."""
    rows = pd.Index(rows)
    out = pd.DataFrame(index=rows)
    for name in ("order", "buyer", "who", "due", "due_day", "reason", "detail", "rank"):
        value = fields.get(name)
        out[name] = value.reindex(rows) if isinstance(value, pd.Series) else value
    out["sheet"] = t.sheet
    out["row"] = rows
    out["source"] = t.kind.name
    out["column"] = t.letters.get(column) if column else None
    return out.reset_index(drop=True)


def col(d: pd.DataFrame, name: str) -> pd.Series:
    return d[name] if name in d else pd.Series(None, index=d.index, dtype=object)


def moments(d: pd.DataFrame, *names: str) -> pd.Series:
    """The first of these date columns that is filled, row by row (NaT where none is)."""
    out = pd.Series(pd.NaT, index=d.index, dtype="datetime64[ns]")
    for name in names:
        if name in d and pd.api.types.is_datetime64_any_dtype(d[name]):
            out = out.fillna(d[name].astype("datetime64[ns]"))
    return out


def dates(values: pd.Series, fmt: str = "%m-%d") -> pd.Series:
    return values.dt.strftime(fmt).where(values.notna(), "")


class Day:
    """One as-of moment over the tables, with what several lists share (computed once)."""

    def __init__(self, tables: TodayTables, rules: Rules, as_of: dt.datetime):
        self.t, self.rules, self.as_of = tables, rules, as_of
        self.now = pd.Timestamp(as_of)
        self.today = self.now.normalize()
        self._orders = None
        self._known = None
        self.findings: list[pd.DataFrame] = []

    # --- the orders, one row per order (its first line) -------------------------------------
    @property
    def orders(self) -> pd.DataFrame:
        if self._orders is None:
            d = self.t.orders.data
            first = d["订单号"].notna() & ~d["订单号"].duplicated()
            frame = d.loc[first].copy()
            frame["_paid"] = order_sheet.paid_mask(d)[first]
            frame["_blocked"] = order_sheet.blocked_reason(d)[first]
            self._orders = frame
        return self._orders

    def known(self) -> set[str]:
        if self._known is None:
            self._known = remarks.known_agents(self.t.orders.data, self.rules) if self.t.orders else set()
        return self._known

    def agent(self, rows) -> pd.Series:
        """The 客服 of these order rows: 归属客服, else 客服, else the name in the seller remark."""
        o = self.orders.loc[rows]
        who = col(o, "归属客服").where(col(o, "归属客服").notna(), col(o, "客服"))
        missing = who.isna()
        if missing.any() and "备注" in o:
            known = self.known()
            who[missing] = [remarks.remark_name(r, known) for r in o.loc[missing, "备注"]]
        return who

    def order_of(self, numbers: pd.Series) -> pd.DataFrame:
        """The order rows (first lines) of these 订单号, aligned on `numbers`' index."""
        if self.t.orders is None:
            return pd.DataFrame(index=numbers.index)
        o = self.orders.set_index("订单号", drop=False)
        return o.reindex(numbers).set_axis(numbers.index)

    def shipped(self) -> set:
        """Orders whose goods left: in the shipping register, or 已发货/已完成."""
        done = picking.register_ids(self.t.shipping)
        if self.t.orders is not None and "状态" in self.orders:
            o = self.orders
            done |= set(o.loc[o["状态"].isin(picking.SHIPPED_STATUSES), "订单号"])
        return done

    def contact_orders(self, reason: str) -> set:
        c = self.t.contacts
        if c is None or "事由" not in c.data:
            return set()
        return set(c.data.loc[c.data["事由"] == reason, "订单号"].dropna())

    def sheets(self) -> Sheets:
        return Sheets(orders=self.t.orders, shipping=self.t.shipping, returns=self.t.returns, rules=self.rules,
                      as_of=self.as_of)


def concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else empty_list()


def resend_parcels(day: Day) -> pd.DataFrame:
    """The 补发 parcels of the shipping register: 订单号, 发货日期."""
    s = day.t.shipping.data
    if "类型" not in s or "发货日期" not in s:
        return pd.DataFrame(columns=["订单号", "发货日期"])
    return s.loc[shipping_sheet.is_resend(s) & s["订单号"].notna(), ["订单号", "发货日期"]]
