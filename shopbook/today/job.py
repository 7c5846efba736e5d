"""今日待办 — the 客服 day, as a pure job: the review, complaint, handover and contact registers
with the ledger (订单, 发货, 退换货) and the pick batch record give one to-do list per kind of
work, each item with its deadline, plus the checks on the registers and the month's pay counts.

`compute(tables, rules, as_of)` reads no file and raises on no input: a missing sheet leaves
its lists out with a finding. The lists are built in register_lists.py (评价, 交接班, 投诉…) and
ledger_lists.py (订单, 发货, 拣货批次); 催付 and 超时未发货 are the orders validate's own checks
find (shopbook.sheets.orders.check_payment_chase, shopbook.sheets.shipping.check_overdue), not a second copy.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from shopbook.core import findings as fnd
from shopbook.rules import Rules
from shopbook.sheets import complaints as complaint_sheet
from shopbook.sheets import contacts as contact_sheet
from shopbook.sheets import reviews as review_sheet
from shopbook.sheets import shift_handover as handover_sheet
from shopbook.today.day import ITEM_COLUMNS, Day, TodayTables, col, empty_list
from shopbook.today.ledger_lists import abnormal, chase, cod, cut_off, overdue, payment, reordered
from shopbook.today.register_lists import handovers, locking, refunds, reviews_due, short_shipments

REVIEWS_DUE, LOCKING, HANDOVER, CUT_OFF, REFUNDS, REORDERED = "待联系评价", "即将锁定", "交接", "截单", "退款维权", "重拍"
COD, SHORT, ABNORMAL, CHASE, PAYMENT, OVERDUE = "货到付款待联系", "少发补发", "异常件", "催评", "催付", "超时未发货"
LISTS = (REVIEWS_DUE, LOCKING, HANDOVER, CUT_OFF, REFUNDS, REORDERED, COD, SHORT, ABNORMAL, CHASE, PAYMENT, OVERDUE)
PAY_COLUMNS = ["月份", "客服", "差评数", "差评改好数", "催评数", "投诉处理数"]
NO_NAME = "(未填)"


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
# the columns without which a sheet cannot be used at all (its missing-column finding says so)
KEYS = {"orders": ("订单号",), "shipping": ("订单号",), "returns": ("订单号",), "reviews": ("订单号", "评价日期", "评价类型"),
        "complaints": ("投诉日期",), "handovers": ("交接日期",), "contacts": ("联系时间", "订单号", "事由")}
WHAT = {"orders": "订单表", "shipping": "发货表", "returns": "退换货表", "reviews": "评价表", "complaints": "投诉表",
        "handovers": "交接班表", "contacts": "联系记录表", "batches": "拣货批次记录(拣货单.xlsx)"}


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


def register_findings(tables: TodayTables, rules: Rules, as_of: dt.datetime,
                      unusable: dict | None = None) -> list[pd.DataFrame]:
    """Each register's reading findings and its own checks (not on a register lacking its key
    columns: its missing-column findings say why)."""
    out = []
    for attr, checks in REGISTER_CHECKS:
        table = getattr(tables, attr)
        if table is None:
            continue
        out.append(table.findings)
        if attr in (unusable or {}):
            continue
        for check in checks:
            result = check(table, rules, as_of)
            out.extend(result if isinstance(result, list) else [result])
    return out


def _in_month(values: pd.Series, month: dt.date) -> pd.Series:
    start = pd.Timestamp(month)
    end = start + pd.offsets.MonthBegin(1)
    return ((values >= start) & (values < end)).fillna(False).astype(bool)


def pay_counts(tables: TodayTables, rules: Rules, month: dt.date) -> pd.DataFrame:
    """客服绩效 for the month, one row per person: 差评数 (差评 written in the month, by 责任客服; a
    review entered twice counts once), 差评改好数 (中/差评 marked 已改好 with a 改好日期 in the month —
    each review once, to the first row that credits it), 催评数 (orders chased in 联系记录, each
    order once, to its first chase) and 投诉处理数 (complaints closed in the month, by 处理人)."""
    counts: dict[str, pd.Series] = {}
    r = tables.reviews
    if r is not None and "评价日期" in r.data:
        d = r.data
        who = col(d, "责任客服").fillna(NO_NAME)
        key = review_sheet.review_key(d)
        bad = (d["评价类型"] == review_sheet.BAD).fillna(False).astype(bool) & _in_month(d["评价日期"], month)
        bad &= ~(key.where(bad).duplicated() & bad)  # a review entered twice is one 差评
        counts["差评数"] = who[bad].value_counts()
        turned = review_sheet.negative(d) & (review_sheet.state(d) == review_sheet.TURNED).fillna(False)
        turned &= _in_month(col(d, "改好日期"), month) if "改好日期" in d else False
        credited = turned & ~(key.where(turned).duplicated() & turned)
        counts["差评改好数"] = who[credited.astype(bool)].value_counts()
    c = tables.contacts
    if c is not None and "事由" in c.data:
        d = c.data
        chased = d[(d["事由"] == contact_sheet.CHASE) & d["订单号"].notna()].sort_values("联系时间", kind="stable")
        chased = chased[~chased["订单号"].duplicated()]
        chased = chased[_in_month(chased["联系时间"], month)]
        counts["催评数"] = col(chased, "客服").fillna(NO_NAME).value_counts()
    k = tables.complaints
    if k is not None and "结案日期" in k.data:
        d = k.data
        counts["投诉处理数"] = col(d, "处理人").fillna(NO_NAME)[_in_month(d["结案日期"], month)].value_counts()
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


def missing_inputs(tables: TodayTables, name: str, what: dict = WHAT) -> str | None:
    """None when the list can be made, else the sheets it lacks (Chinese)."""
    lacking = [[a for a in need if getattr(tables, a) is None] for need in NEEDS[name]]
    fewest = min(len(m) for m in lacking)
    if not fewest:
        return None
    return "或".join("和".join(what[a] for a in m) for m in lacking if len(m) == fewest)


def unusable_tables(tables: TodayTables) -> dict[str, list[str]]:
    """The sheets found without their key columns (attribute -> the columns missing)."""
    out = {}
    for attr, keys in KEYS.items():
        table = getattr(tables, attr)
        if table is not None and not all(table.has(k) for k in keys):
            out[attr] = [k for k in keys if not table.has(k)]
    return out


def compute(tables: TodayTables, rules: Rules, as_of: dt.datetime,
            month: dt.date | None = None) -> tuple[TodayResult, pd.DataFrame]:
    """Every list at as_of, the checks on the registers and the month's pay counts (the month of
    as_of unless given)."""
    found = []
    unusable = unusable_tables(tables)
    what = dict(WHAT)
    for attr, columns in unusable.items():
        what[attr] = f"{WHAT[attr]}的「{'、'.join(columns)}」列"
        if attr in ("orders", "shipping", "returns"):  # a register's own findings come with its checks
            f = getattr(tables, attr).findings
            found.append(f[f["code"] == "missing-column"])
    registers = tables
    tables = replace(tables, **{attr: None for attr in unusable})
    day = Day(tables, rules, as_of)
    month = month or dt.date(as_of.year, as_of.month, 1)
    lists: dict[str, pd.DataFrame] = {}
    skipped: dict[str, str] = {}
    for name in LISTS:
        lacking = missing_inputs(tables, name, what)
        if lacking:
            skipped[name] = lacking
            lists[name] = empty_list()
            continue
        if name == PAYMENT:
            frame = payment(day, set(lists[REORDERED]["order"].dropna()))
        else:
            frame = BUILDERS[name](day)
        lists[name] = _finish(frame, day)
    found += register_findings(registers, rules, as_of, unusable) + day.findings
    found += [fnd.sheet_level(name, "today-list-skipped", what=what, list=name) for name, what in skipped.items()]
    result = TodayResult(as_of, month, handover_sheet.current_shift(as_of, rules), lists,
                         pay_counts(tables, rules, month), skipped)
    return result, fnd.combine(found)
