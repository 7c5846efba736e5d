"""今日待办 — the 客服 day, as a pure job: the review, complaint, handover and contact registers
with the ledger (订单, 发货, 退换货) and the pick batch record give one to-do list per kind of
work, each item with its deadline, plus the checks on the registers and the month's pay counts.

`compute(tables, rules, as_of)` reads no file and raises on no input: a missing sheet leaves
its lists out with a finding. 催付 and 超时未发货 are the orders validate's own checks find
(shopbook.orders.check_payment_chase, shopbook.shipping.check_overdue), not a second copy.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from shopbook import findings as fnd
from shopbook import orders as order_sheet
from shopbook import picking
from shopbook import shipping as shipping_sheet
from shopbook.context import Sheets
from shopbook.reading.tables import Table
from shopbook.rules import Rules
from shopbook.sheets import complaints as complaint_sheet
from shopbook.sheets import contacts as contact_sheet
from shopbook.sheets import reviews as review_sheet
from shopbook.sheets import shift_handover as handover_sheet

REVIEWS_DUE, LOCKING, HANDOVER, CUT_OFF, REFUNDS, REORDERED = "待联系评价", "即将锁定", "交接", "截单", "退款维权", "重拍"
COD, SHORT, ABNORMAL, CHASE, PAYMENT, OVERDUE = "货到付款待联系", "少发补发", "异常件", "催评", "催付", "超时未发货"
LISTS = (REVIEWS_DUE, LOCKING, HANDOVER, CUT_OFF, REFUNDS, REORDERED, COD, SHORT, ABNORMAL, CHASE, PAYMENT, OVERDUE)
# one row per item: the order, the buyer, who acts, the deadline (a day when due_day), why, more
# detail, and where it comes from (sheet, Excel row; source = the sheet kind, column = the letter)
ITEM_COLUMNS = ["order", "buyer", "who", "due", "due_day", "overdue", "reason", "detail", "sheet", "row", "source",
                "column", "rank"]
ABNORMAL_STATES = ("丢件", "破损", "拒收", "无法送达")
PAY_COLUMNS = ["月份", "客服", "差评数", "差评改好数", "催评数", "投诉处理数"]
NO_NAME = "(未填)"
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

    def registers(self) -> list[Table]:
        return [t for t in (self.reviews, self.complaints, self.handovers, self.contacts) if t is not None]


@dataclass
class TodayResult:
    as_of: dt.datetime
    month: dt.date
    shift: tuple[dt.date, str]
    lists: dict[str, pd.DataFrame]
    pay: pd.DataFrame
    skipped: dict[str, str] = field(default_factory=dict)  # list -> the sheets it lacks

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(self.lists[name]) for name in LISTS}

    @property
    def overdue(self) -> dict[str, int]:
        return {name: int(self.lists[name]["overdue"].sum()) for name in LISTS}


# what each list needs: the TodayTables fields (all of one tuple, any of the tuples)
NEEDS = {
    REVIEWS_DUE: (("reviews",),), LOCKING: (("reviews",),), HANDOVER: (("handovers",),),
    CUT_OFF: (("orders", "batches"),), REFUNDS: (("orders",), ("complaints",)), REORDERED: (("orders",),),
    COD: (("orders",),), SHORT: (("shipping", "returns"), ("shipping", "complaints")),
    ABNORMAL: (("shipping",),), CHASE: (("shipping",),), PAYMENT: (("orders",),), OVERDUE: (("orders", "shipping"),),
}
WHAT = {"orders": "订单表", "shipping": "发货表", "returns": "退换货表", "reviews": "评价表", "complaints": "投诉表",
        "handovers": "交接班表", "contacts": "联系记录表", "batches": "拣货批次记录(拣货单.xlsx)"}


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


def _col(d: pd.DataFrame, name: str) -> pd.Series:
    return d[name] if name in d else pd.Series(None, index=d.index, dtype=object)


def _dates(values: pd.Series, fmt: str = "%m-%d") -> pd.Series:
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
            self._known = order_sheet.known_agents(self.t.orders.data, self.rules) if self.t.orders else set()
        return self._known

    def agent(self, rows) -> pd.Series:
        """The 客服 of these order rows: 归属客服, else 客服, else the name in the seller remark."""
        o = self.orders.loc[rows]
        who = _col(o, "归属客服").where(_col(o, "归属客服").notna(), _col(o, "客服"))
        missing = who.isna()
        if missing.any() and "备注" in o:
            known = self.known()
            who[missing] = [order_sheet.remark_name(r, known) for r in o.loc[missing, "备注"]]
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


# --- the lists ------------------------------------------------------------------------------------
def reviews_due(day: Day) -> pd.DataFrame:
    """New 中/差评 not yet phoned (心情 ones from the next day), and follow-ups whose 下次联系时间 has come."""
    t = day.t.reviews
    d = t.data
    r = review_sheet
    if "评价日期" not in d:
        return empty_list()
    case = r.negative(d) & r.still_open(d)
    mood = (_col(d, "原因类别") == r.MOOD).fillna(False).astype(bool)
    mood_day = r.review_day(d) + pd.Timedelta(days=day.rules.mood_callback_days)
    new = case & ~r.phoned(d) & (~mood | (mood_day <= day.today)).fillna(False)
    new_due = r.effect_day(d, day.rules).where(~mood, mood_day)
    nxt = _col(d, "下次联系时间")
    nxt = nxt if pd.api.types.is_datetime64_any_dtype(nxt) else pd.Series(pd.NaT, index=d.index)
    follow = case & (nxt <= day.now).fillna(False)
    listed = (new | follow) & d["评价日期"].notna()
    if not listed.any():
        return empty_list()
    rows = d.index[listed]
    sub = d.loc[rows]
    use_next = follow[rows] & (~new[rows] | (nxt[rows] < new_due[rows]))
    due = new_due[rows].where(~use_next, nxt[rows])
    due_day = ~use_next | (nxt[rows].dt.normalize() == nxt[rows]).fillna(True)
    made = r.contacts_made(d)[rows]
    reasons = []
    for row in rows:
        kind, cause = sub.at[row, "评价类型"], sub.at[row, "原因类别"] if "原因类别" in sub else None
        parts = []
        if new[row]:
            if mood[row]:
                parts.append(f"心情{kind}:今天联系,先了解情况再解决")
            else:
                label = f"{kind}({cause})" if isinstance(cause, str) else kind
                if new_due[row] < day.today:
                    parts.append(f"{label}已于 {new_due[row]:%m-%d} 生效,还没有电话联系:尽快打电话问明原因")
                else:
                    parts.append(f"{label}还没有电话联系:{new_due[row]:%m-%d} 生效前打电话问明原因")
        if follow[row]:
            when = f"{nxt[row]:%m-%d %H:%M}".replace(" 00:00", "")
            parts.append(f"约好 {when} 再联系(已跟进 {made[row]} 次)")
        reasons.append(";".join(parts))
    return items(t, rows, "评价日期", order=sub["订单号"], buyer=_col(sub, "买家"), who=_col(sub, "责任客服"),
                 due=due, due_day=due_day, reason=pd.Series(reasons, index=rows), detail=_review_detail(sub),
                 rank=0)


def _review_detail(sub: pd.DataFrame) -> pd.Series:
    """The review's words and the last follow-up's result."""
    out = []
    results = review_sheet.rounds(sub, 2)
    for row in sub.index:
        text = sub.at[row, "评价内容"] if "评价内容" in sub else None
        last = next((c[row] for c in reversed(results) if isinstance(c[row], str)), None)
        parts = ([f"「{text}」"] if isinstance(text, str) else []) + ([f"上次跟进:{last}"] if last else [])
        out.append(" ".join(parts) or None)
    return pd.Series(out, index=sub.index, dtype=object)


def locking(day: Day) -> pd.DataFrame:
    """Reviews whose window ends within review_warn_days, with the last day to explain."""
    t = day.t.reviews
    d = t.data
    r = review_sheet
    if "评价日期" not in d:
        return empty_list()
    last = r.last_day(d, day.rules)
    left = (last - day.today).dt.days
    listed = (r.negative(d) & ~r.settled(d) & (left >= 0) & (left <= day.rules.review_warn_days)).fillna(False)
    rows = d.index[listed.astype(bool)]
    if not len(rows):
        return empty_list()
    sub = d.loc[rows]
    reason = pd.Series([f"今天是最后一天:还没改好就今天写解释" if n == 0 else f"还剩 {n} 天({l:%m-%d} 是最后一天)"
                        for n, l in zip(left[rows], last[rows])], index=rows)
    return items(t, rows, "评价日期", order=sub["订单号"], buyer=_col(sub, "买家"), who=_col(sub, "责任客服"),
                 due=last[rows], due_day=True, reason=reason, detail=_review_detail(sub), rank=0)


def handovers(day: Day) -> pd.DataFrame:
    """Items of shifts already over that nobody has taken over (接手人 blank, not done)."""
    t = day.t.handovers
    d = t.data
    h = handover_sheet
    if "交接日期" not in d:
        return empty_list()
    due = h.shift_start(d["交接日期"], h.shift_index(d, day.rules), day.rules, later=1)
    listed = (h.untaken(d) & (due <= day.now)).fillna(False).astype(bool)
    rows = d.index[listed]
    if not len(rows):
        return empty_list()
    sub = d.loc[rows]
    shift = _col(sub, "班次").fillna("")
    reason = (_dates(sub["交接日期"]) + " " + shift + " " + _col(sub, "交出人").fillna("") + " 交接:"
              + _col(sub, "事项").fillna("")).str.replace("  ", " ", regex=False)
    return items(t, rows, "接手人" if "接手人" in d else "事项", order=_col(sub, "关联订单"), buyer=None,
                 who=_col(sub, "交出人"), due=due[rows], due_day=False, reason=reason, detail=None, rank=0)


def cut_off(day: Day) -> pd.DataFrame:
    """Orders on a pick batch still open that are now 绿/蓝 flagged, 退款中 or closed: the
    warehouse must pull them back before they ship (截单)."""
    records = day.t.batches
    if records is None or records.empty:
        return empty_list()
    done = picking.done_order_ids(day.t.orders, day.t.shipping)
    states = picking.batch_states(records, done)
    open_ids = states.index[states["状态"] == "未完成"]
    on_open = records[records["批次号"].isin(open_ids)].drop_duplicates("订单号").set_index("订单号")
    o = day.orders
    hit = o["订单号"].isin(on_open.index) & o["_blocked"].notna() & ~o["订单号"].isin(day.shipped())
    rows = o.index[hit]
    if not len(rows):
        return empty_list()
    sub = o.loc[rows]
    batch = on_open.reindex(sub["订单号"])
    reason = [f"{why},已在拣货批次 {b}({pd.Timestamp(at):%m-%d %H:%M} 拣货)中"
              for why, b, at in zip(sub["_blocked"], batch["批次号"], batch["拣货时间"])]
    column = "旗帜" if "旗帜" in sub else "状态"
    return items(day.t.orders, rows, column, order=sub["订单号"], buyer=_col(sub, "买家"), who=day.agent(rows),
                 due=day.now, due_day=False, reason=pd.Series(reason, index=rows), detail=_col(sub, "备注"), rank=0)


def refunds(day: Day) -> pd.DataFrame:
    """退款中 orders (with the age of their refund request) and open 维权 complaints, oldest first."""
    frames = []
    disputed: dict = {}
    c = day.t.complaints
    if c is not None and "投诉日期" in c.data:
        d = c.data
        open_ = complaint_sheet.of_type(d, (complaint_sheet.PLATFORM_DISPUTE,)) & ~complaint_sheet.closed(d)
        rows = d.index[open_]
        if len(rows):
            sub = d.loc[rows]
            age = complaint_sheet.age_days(sub, day.as_of)
            disputed = dict(zip(_col(sub, "订单号"), rows))
            refunding = set(day.orders.loc[day.orders["状态"] == "退款中", "订单号"]) \
                if day.t.orders is not None and "状态" in day.orders else set()
            reason = [f"维权 {n} 天({when:%m-%d} 起)" + (",订单退款中" if o in refunding else "")
                      for n, when, o in zip(age, sub["投诉日期"], _col(sub, "订单号"))]
            who = _col(sub, "处理人").where(_col(sub, "处理人").notna(), _col(sub, "责任人"))
            frames.append(items(c, rows, "投诉日期", order=_col(sub, "订单号"), buyer=_col(sub, "买家"), who=who,
                                due=day.today, due_day=True, reason=pd.Series(reason, index=rows),
                                detail=_col(sub, "内容"), rank=-age))
    if day.t.orders is not None and "状态" in day.orders:
        o = day.orders
        hit = (o["状态"] == "退款中") & ~o["订单号"].isin(set(disputed))
        rows = o.index[hit.fillna(False).astype(bool)]
        if len(rows):
            sub = o.loc[rows]
            start, handler = _refund_requests(day, sub)
            age = (day.today - start).dt.days
            reason = [f"退款中 {int(n)} 天({s:%m-%d} 申请)" if pd.notna(n) else "退款中(退换货表没有这笔申请,请登记)"
                      for n, s in zip(age, start)]
            who = handler.where(handler.notna(), day.agent(rows))
            frames.append(items(day.t.orders, rows, "状态", order=sub["订单号"], buyer=_col(sub, "买家"), who=who,
                                due=day.today, due_day=True, reason=pd.Series(reason, index=rows),
                                detail=_col(sub, "备注"), rank=-age.fillna(0)))
    return _concat(frames)


def _refund_requests(day: Day, sub: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """When each order's refund was asked for (退换货 申请日期/登记日期, else the 蓝旗 remark's date)
    and who handles it (退换货 处理人)."""
    start = pd.Series(pd.NaT, index=sub.index, dtype="datetime64[ns]")
    handler = pd.Series(None, index=sub.index, dtype=object)
    r = day.t.returns
    if r is not None and "订单号" in r.data:
        d = r.data
        asked = pd.Series(pd.NaT, index=d.index, dtype="datetime64[ns]")
        for column in ("申请日期", "登记日期"):
            if column in d:
                asked = asked.fillna(d[column])
        first = asked.groupby(d["订单号"]).min()
        start = sub["订单号"].map(first).astype("datetime64[ns]")
        if "处理人" in d:
            handler = sub["订单号"].map(d.dropna(subset=["订单号"]).drop_duplicates("订单号", keep="last")
                                      .set_index("订单号")["处理人"])
    if "备注" in sub:
        remark = order_sheet.remark_dates(sub["备注"], day.as_of.year)
        start = start.fillna(remark.where(remark <= day.today))
    return start, handler


def reordered(day: Day) -> pd.DataFrame:
    """Unpaid orders whose buyer and address also have a paid order (重拍): close them with the
    buyer's consent instead of chasing payment."""
    o = day.orders
    status = _col(o, "状态")
    if "买家" in o and "详细地址" in o:
        key = o["买家"] + "\x1f" + o["详细地址"]
    elif all(c in o for c in ("收件人", "手机", "详细地址")):
        key = o["收件人"] + "\x1f" + order_sheet.clean_phone(o["手机"]).astype(object) + "\x1f" + o["详细地址"]
    else:
        return empty_list()
    live = (status != "已关闭").fillna(True).astype(bool) & key.notna()
    unpaid = live & ~o["_paid"] & (status.isna() | (status == "待付款"))
    paid = live & o["_paid"]
    paid_orders = o.loc[paid].groupby(key[paid])["订单号"].agg(list)
    hit = unpaid & key.isin(paid_orders.index)
    rows = o.index[hit]
    if not len(rows):
        return empty_list()
    sub = o.loc[rows]
    reason = [f"买家已重拍并付款(订单 {'、'.join(paid_orders[k])}),本单征得同意后关闭"
              for k in key[rows]]
    return items(day.t.orders, rows, "付款时间" if "付款时间" in o else "订单号", order=sub["订单号"],
                 buyer=_col(sub, "买家"), who=day.agent(rows), due=day.now, due_day=False,
                 reason=pd.Series(reason, index=rows), detail=None, rank=0)


def cod(day: Day) -> pd.DataFrame:
    """货到付款 orders not yet contacted (联系时间 on 订单, or a 货到付款 row in 联系记录); the call
    is due within cod_contact_minutes of ordering."""
    o = day.orders
    if "付款方式" not in o:
        return empty_list()
    waiting = (o["付款方式"] == order_sheet.COD).fillna(False).astype(bool) & ~o["订单号"].isin(day.shipped())
    waiting &= ~_col(o, "状态").isin(["已关闭"])
    contacted = _col(o, "联系时间").notna() | o["订单号"].isin(day.contact_orders(contact_sheet.COD))
    rows = o.index[waiting & ~contacted]
    if not len(rows):
        return empty_list()
    sub = o.loc[rows]
    placed = _col(sub, "下单时间")
    placed = placed if pd.api.types.is_datetime64_any_dtype(placed) else pd.Series(pd.NaT, index=rows)
    due = (placed + pd.Timedelta(minutes=day.rules.cod_contact_minutes)).fillna(day.now)
    minutes = day.rules.cod_contact_minutes
    reason = [f"{p:%m-%d %H:%M} 下单,已超过 {minutes} 分钟没有联系" if pd.notna(p) and d < day.now else
              f"{p:%m-%d %H:%M} 下单,{d:%H:%M} 前联系" if pd.notna(p) else "没有下单时间,尽快联系"
              for p, d in zip(placed, due)]
    return items(day.t.orders, rows, "付款方式", order=sub["订单号"], buyer=_col(sub, "买家"), who=day.agent(rows),
                 due=due, due_day=False, reason=pd.Series(reason, index=rows), detail=_col(sub, "手机"), rank=0)


def _resends(day: Day) -> pd.DataFrame:
    s = day.t.shipping.data
    if "类型" not in s or "发货日期" not in s:
        return pd.DataFrame(columns=["订单号", "发货日期"])
    return s.loc[shipping_sheet.is_resend(s) & s["订单号"].notna(), ["订单号", "发货日期"]]


def short_shipments(day: Day) -> pd.DataFrame:
    """少发/漏发 cases (退换货 by its 原因 unless refunded instead, open 投诉 by its 投诉类型) with no
    补发 parcel in the shipping register since the case was registered; a resend later than
    the same day is a finding."""
    words = day.rules.short_ship_reasons
    resends = _resends(day)
    frames, late = [], []
    seen: set = set()
    sources = []
    c = day.t.complaints
    if c is not None and "投诉日期" in c.data:
        d = c.data
        case = complaint_sheet.of_type(d, words) & ~complaint_sheet.closed(d) & _col(d, "订单号").notna()
        sources.append((c, case, d["投诉日期"], _col(d, "投诉类型"), _col(d, "处理人"), "投诉日期"))
    r = day.t.returns
    if r is not None and "原因" in r.data:
        d = r.data
        reason = d["原因"].astype("string")
        case = reason.str.contains("|".join(words), regex=True).fillna(False).astype(bool) & d["订单号"].notna()
        case &= ~(_col(d, "类型") == "仅退款").fillna(False).astype(bool)
        case &= ~_col(d, "状态").astype("string").str.contains("|".join(REFUND_DONE)).fillna(False).astype(bool)
        when = _col(d, "申请日期")
        when = when.fillna(_col(d, "登记日期")) if "登记日期" in d else when
        column = "申请日期" if "申请日期" in d else "登记日期" if "登记日期" in d else "原因"
        sources.append((r, case, when, d["原因"], _col(d, "处理人"), column))
    for t, case, when, what, handler, column in sources:
        d = t.data
        case = case & ~d["订单号"].isin(seen)
        seen |= set(d.loc[case, "订单号"])
        if not case.any():
            continue
        sub = d.loc[case]
        start = when[case].dt.normalize()
        first_resend = []
        for order, s in zip(sub["订单号"], start):
            sent = resends.loc[(resends["订单号"] == order) & (resends["发货日期"] >= s if pd.notna(s) else True),
                               "发货日期"]
            first_resend.append(sent.min() if len(sent) else pd.NaT)
        first_resend = pd.Series(first_resend, index=sub.index, dtype="datetime64[ns]")
        missing = first_resend.isna()
        is_late = first_resend.notna() & start.notna() & (first_resend > start)
        if is_late.any():
            late.append(t.at(is_late, column, "short-resend-late", order=sub["订单号"], day=_dates(start, "%Y-%m-%d"),
                             resent=_dates(first_resend, "%Y-%m-%d")))
        rows = sub.index[missing]
        if not len(rows):
            continue
        due = start[rows].fillna(day.today)
        text = [f"{w}:{s:%m-%d} 登记,还没有补发" if pd.notna(s) else f"{w}:还没有补发"
                for w, s in zip(what[rows], start[rows])]
        frames.append(items(t, rows, column, order=sub.loc[rows, "订单号"], buyer=_col(sub, "买家"),
                            who=handler, due=due, due_day=True, reason=pd.Series(text, index=rows),
                            detail=_col(sub, "内容") if "内容" in sub else None, rank=0))
    day.findings.extend(late)
    return _concat(frames)


def abnormal(day: Day) -> pd.DataFrame:
    """丢件/破损/拒收/无法送达 parcels with no follow-up: no 处理结果, no later 补发 parcel, no
    退换货 row and no closed complaint for the order."""
    t = day.t.shipping
    s = t.data
    if "状态" not in s:
        return empty_list()
    bad = s["状态"].isin(ABNORMAL_STATES).fillna(False).astype(bool)
    if not bad.any():
        return empty_list()
    followed = _col(s, "处理结果").notna()
    resends = _resends(day)
    if len(resends) and "发货日期" in s:
        later = s.loc[bad, ["订单号", "发货日期"]].reset_index().merge(resends, on="订单号", suffixes=("", "_补发"))
        later = later[later["发货日期_补发"] >= later["发货日期"]]
        followed |= s.index.isin(later["index"])
    if day.t.returns is not None and "订单号" in day.t.returns.data:
        followed |= s["订单号"].isin(set(day.t.returns.data["订单号"].dropna()))
    c = day.t.complaints
    if c is not None and "订单号" in c.data:
        followed |= s["订单号"].isin(set(c.data.loc[complaint_sheet.closed(c.data), "订单号"].dropna()))
    rows = s.index[bad & ~followed]
    if not len(rows):
        return empty_list()
    sub = s.loc[rows]
    sent = _col(sub, "发货日期")
    cause = _col(sub, "原因")
    reason = [f"{state}" + (f"({c})" if isinstance(c, str) else "") +
              (f",{d:%m-%d} 发出" if pd.notna(d) else "") + ",还没有处理结果"
              for state, c, d in zip(sub["状态"], cause, sent)]
    buyer = day.order_of(sub["订单号"]).get("买家") if day.t.orders is not None else None
    rank = -(day.today - sent).dt.days.fillna(0) if pd.api.types.is_datetime64_any_dtype(sent) else 0
    return items(t, rows, "状态", order=sub["订单号"], buyer=buyer, who=None, due=day.today, due_day=True,
                 reason=pd.Series(reason, index=rows), detail=_col(sub, "快递单号"), rank=rank)


def chase(day: Day) -> pd.DataFrame:
    """Parcels signed review_chase_days ago or more (but within review_period_days, while the buyer
    can still review) whose order has no review recorded and was not chased yet."""
    t = day.t.shipping
    s = t.data
    if "签收日期" not in s:
        return empty_list()
    ok = ~shipping_sheet.is_resend(s) & s["签收日期"].notna() & s["订单号"].notna()
    if "状态" in s:
        ok &= s["状态"].isna() | (s["状态"] == "正常")
    parcels = s.loc[ok].sort_values("签收日期", kind="stable")
    parcels = parcels[~parcels["订单号"].duplicated(keep="last")]
    days = (day.today - parcels["签收日期"].dt.normalize()).dt.days
    due = (days >= day.rules.review_chase_days) & (days <= day.rules.review_period_days)
    parcels, days = parcels[due], days[due]
    skip = set(day.contact_orders(contact_sheet.CHASE))
    for table in (day.t.reviews, day.t.returns):
        if table is not None and "订单号" in table.data:
            skip |= set(table.data["订单号"].dropna())
    if day.t.orders is not None:
        o = day.orders
        skip |= set(o.loc[o["_blocked"].notna(), "订单号"])
    keep = ~parcels["订单号"].isin(skip)
    parcels, days = parcels[keep], days[keep]
    if parcels.empty:
        return empty_list()
    rows = parcels.index
    signed = parcels["签收日期"].dt.normalize()
    last = signed + pd.Timedelta(days=day.rules.review_period_days)
    reason = pd.Series([f"{s:%m-%d} 签收,{n} 天还没有评价"
                        for s, n in zip(signed, days)], index=rows)
    buyer = day.order_of(parcels["订单号"]).get("买家") if day.t.orders is not None else None
    return items(t, rows, "签收日期", order=parcels["订单号"], buyer=buyer, who=None, due=last, due_day=True,
                 reason=reason, detail=None, rank=0)


def payment(day: Day, skip: set) -> pd.DataFrame:
    """催付: the unpaid orders validate's check_payment_chase lists (重拍 orders are closed instead)."""
    found = order_sheet.check_payment_chase(day.sheets())
    if found is None or found.empty:
        return empty_list()
    d = day.t.orders.data
    rows = pd.Index(found["row"].astype(int))
    sub = d.loc[rows]
    rows = rows[~sub["订单号"].isin(skip).to_numpy()]
    if not len(rows):
        return empty_list()
    sub = d.loc[rows]
    cutoff = pd.Timestamp(order_sheet.payment_cutoff(day.as_of, day.rules.payment_cutoff))
    reason = pd.Series([f"{p:%m-%d %H:%M} 下单,至今未付款"
                        for p in sub["下单时间"]], index=rows)
    return items(day.t.orders, rows, "付款时间" if "付款时间" in d else "下单时间", order=sub["订单号"],
                 buyer=_col(sub, "买家"), who=day.agent(rows), due=cutoff, due_day=False, reason=reason,
                 detail=_col(sub, "备注"), rank=0)


def overdue(day: Day) -> pd.DataFrame:
    """超时未发货: the paid orders validate's check_overdue finds unshipped after their shipping day."""
    found = shipping_sheet.check_overdue(day.sheets())
    if found is None or found.empty:
        return empty_list()
    d = day.t.orders.data
    rows = pd.Index(found["row"].astype(int))
    sub = d.loc[rows]
    deadline = shipping_sheet.ship_deadline(sub["付款时间"], day.rules.shipping_cutoff)
    reason = pd.Series([f"{p:%m-%d %H:%M} 付款,应在 {dl:%m-%d} 发货"
                        for p, dl in zip(sub["付款时间"], deadline)], index=rows)
    return items(day.t.orders, rows, "付款时间", order=sub["订单号"], buyer=_col(sub, "买家"), who=day.agent(rows),
                 due=deadline, due_day=True, reason=reason, detail=_col(sub, "备注"), rank=0)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else empty_list()


def _finish(frame: pd.DataFrame, day: Day) -> pd.DataFrame:
    """Sorted by deadline (then rank, sheet row), with the overdue flag."""
    if frame.empty:
        return empty_list()
    frame = frame.copy()
    frame["due"] = pd.to_datetime(frame["due"])
    frame["due_day"] = frame["due_day"].fillna(True).astype(bool)
    frame["rank"] = pd.to_numeric(frame["rank"], errors="coerce").fillna(0)
    end = frame["due"] + pd.to_timedelta(frame["due_day"].astype(int), unit="D")
    frame["overdue"] = np.where(frame["due_day"], frame["due"] < day.today, frame["due"] < day.now)
    frame = frame.assign(_end=end).sort_values(["_end", "rank", "sheet", "row"], kind="stable")
    frame = frame.drop(columns="_end").reset_index(drop=True)
    for column in ("order", "buyer", "who", "reason", "detail"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame[ITEM_COLUMNS]


# --- checks and pay counts ----------------------------------------------------------------------
REGISTER_CHECKS = (("reviews", review_sheet.CHECKS), ("complaints", complaint_sheet.CHECKS),
                   ("handovers", handover_sheet.CHECKS), ("contacts", contact_sheet.CHECKS))


def register_findings(tables: TodayTables, rules: Rules, as_of: dt.datetime) -> list[pd.DataFrame]:
    """Each register's reading findings and its own checks."""
    out = []
    for attr, checks in REGISTER_CHECKS:
        table = getattr(tables, attr)
        if table is None:
            continue
        out.append(table.findings)
        for check in checks:
            result = check(table, rules, as_of)
            out.extend(result if isinstance(result, list) else [result])
    return out


def _in_month(values: pd.Series, month: dt.date) -> pd.Series:
    start = pd.Timestamp(month)
    end = start + pd.offsets.MonthBegin(1)
    return ((values >= start) & (values < end)).fillna(False).astype(bool)


def pay_counts(tables: TodayTables, rules: Rules, month: dt.date) -> pd.DataFrame:
    """客服绩效 for the month, one row per person: 差评数 (差评 written in the month, by 责任客服;
    a review entered twice counts once),
    差评改好数 (中/差评 marked 已改好 with a 改好日期 in the month — each review once, to the first
    row that credits it), 催评数 (orders chased in 联系记录, each order once, to the first chase)
    and 投诉处理数 (complaints closed in the month, by 处理人)."""
    counts: dict[str, pd.Series] = {}
    r = tables.reviews
    if r is not None and "评价日期" in r.data:
        d = r.data
        who = _col(d, "责任客服").fillna(NO_NAME)
        key = review_sheet.review_key(d)
        bad = (d["评价类型"] == review_sheet.BAD).fillna(False).astype(bool) & _in_month(d["评价日期"], month)
        bad &= ~(key.where(bad).duplicated() & bad)  # a review entered twice is one 差评
        counts["差评数"] = who[bad].value_counts()
        turned = review_sheet.negative(d) & (review_sheet.state(d) == review_sheet.TURNED).fillna(False)
        turned &= _in_month(_col(d, "改好日期"), month) if "改好日期" in d else False
        credited = turned & ~(key.where(turned).duplicated() & turned)
        counts["差评改好数"] = who[credited.astype(bool)].value_counts()
    c = tables.contacts
    if c is not None and "事由" in c.data:
        d = c.data
        chased = d[(d["事由"] == contact_sheet.CHASE) & d["订单号"].notna()].sort_values("联系时间", kind="stable")
        chased = chased[~chased["订单号"].duplicated()]
        chased = chased[_in_month(chased["联系时间"], month)]
        counts["催评数"] = _col(chased, "客服").fillna(NO_NAME).value_counts()
    k = tables.complaints
    if k is not None and "结案日期" in k.data:
        d = k.data
        counts["投诉处理数"] = _col(d, "处理人").fillna(NO_NAME)[_in_month(d["结案日期"], month)].value_counts()
    frame = pd.DataFrame({c: counts.get(c, pd.Series(dtype="int64")) for c in PAY_COLUMNS[2:]})
    frame = frame.fillna(0).astype("int64")
    frame = frame[frame.sum(axis=1) > 0] if len(frame) else frame
    names = sorted((n for n in frame.index if n != NO_NAME)) + ([NO_NAME] if NO_NAME in frame.index else [])
    frame = frame.reindex(names)
    frame.insert(0, "客服", frame.index.astype(object))
    frame.insert(0, "月份", f"{month:%Y-%m}")
    return frame.reset_index(drop=True)[PAY_COLUMNS]


# --- the job ------------------------------------------------------------------------------------
BUILDERS = {REVIEWS_DUE: reviews_due, LOCKING: locking, HANDOVER: handovers, CUT_OFF: cut_off, REFUNDS: refunds,
            REORDERED: reordered, COD: cod, SHORT: short_shipments, ABNORMAL: abnormal, CHASE: chase,
            OVERDUE: overdue}


def missing_inputs(tables: TodayTables, name: str) -> str | None:
    """None when the list can be made, else the sheets it lacks (Chinese)."""
    options = NEEDS[name]
    for need in options:
        if all(getattr(tables, attr) is not None for attr in need):
            return None
    lacking = dict.fromkeys(attr for need in options for attr in need if getattr(tables, attr) is None)
    return "或".join(WHAT[a] for a in lacking)


def compute(tables: TodayTables, rules: Rules, as_of: dt.datetime,
            month: dt.date | None = None) -> tuple[TodayResult, pd.DataFrame]:
    """Every list at as_of, the checks on the registers and the month's pay counts (the month of
    as_of unless given)."""
    day = Day(tables, rules, as_of)
    month = month or dt.date(as_of.year, as_of.month, 1)
    lists: dict[str, pd.DataFrame] = {}
    skipped: dict[str, str] = {}
    for name in LISTS:
        lacking = missing_inputs(tables, name)
        if lacking:
            skipped[name] = lacking
            lists[name] = empty_list()
            continue
        if name == PAYMENT:
            frame = payment(day, set(lists[REORDERED]["order"].dropna()))
        else:
            frame = BUILDERS[name](day)
        lists[name] = _finish(frame, day)
    found = register_findings(tables, rules, as_of) + day.findings
    found += [fnd.sheet_level(name, "today-list-skipped", what=what, list=name) for name, what in skipped.items()]
    result = TodayResult(as_of, month, handover_sheet.current_shift(as_of, rules), lists,
                         pay_counts(tables, rules, month), skipped)
    return result, fnd.combine(found)
