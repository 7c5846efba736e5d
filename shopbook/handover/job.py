"""快递交接 — the pure job: the shipping register (发货) and the handover record (快递交接)
in, the 交接单 lines, the per-pickup comparison, the 底单 to-do list and findings out.

Rules of the shop (物流管理制度 第6–9条): weight and price are written on every slip; at each
pickup the courier counts the parcels against the register and signs; the shop keeps the 底单
filed by date and courier and archives them after 15 days; the slips of lost, damaged and
undeliverable parcels are set aside for the monthly claim and offset.

A pickup is one courier company on one day (several 快递员 or visits that day add up); the
register's parcels of that company and day are what the courier must have counted. Prices are
the reconciliation's own (shopbook.courier.job.parcel_fees): the same price table, chargeable weight
and formula. Units inside: grams and fen (integers).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from shopbook.core import findings as fnd
from shopbook.sheets.context import Sheets
from shopbook.courier.job import kg_text
from shopbook.courier.steps import _mapped, _millimetres, _waybill_key, to_grams, tolerance_fen, tolerance_grams
from shopbook.core.places import province_of_text
from shopbook.rules.prices import parcel_fees, parse_price_table, price_sheet
from shopbook.core.money import fen_text
from shopbook.reading.tables import Table
from shopbook.rules import Rules
from shopbook.sheets import courier_handover as sheet
from shopbook.sheets.shipping import check_weight_fee_missing

# register states whose 底单 are set aside, and what for
SET_ASIDE = {"丢件": "索赔", "破损": "索赔", "无法送达": "月结抵扣"}
TODO_ARCHIVE = "待归档"
KEYS = ["day", "courier"]


@dataclass
class Tables:
    """The job's inputs: the 发货 register and (when the shop keeps one) the 快递交接 record."""

    shipping: Table
    handover: Table | None = None


@dataclass
class HandoverResult:
    """`lines`: one row per waybill of the period (day, courier, waybill, province, parcels, grams,
    fee, packer…), in day/courier/register order; `pickups`: one row per courier and day (the
    register's side and the handover's side, and the verdict); `archive`: the 底单 to archive or to
    set aside; `has_handover`: whether a handover record was given at all."""

    first: dt.date
    last: dt.date
    as_of: dt.datetime
    lines: pd.DataFrame
    pickups: pd.DataFrame
    archive: pd.DataFrame
    has_handover: bool
    tolerances: dict = field(default_factory=dict)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


_COMPANY_SUFFIX = re.compile(r"(快递|速递|速运|快运|物流|快件)$")


def courier_of(rules: Rules):
    """The courier a 快递公司 cell names: the rules' name (顺丰速运 = 顺丰); a company the rules do
    not know is compared without its 快递/速递/物流 suffix (百世快递 = 百世), so both sheets agree."""
    def name(text):
        if text is None or (isinstance(text, float) and text != text) or not str(text).strip():
            return None
        known = rules.courier(str(text))
        return known.name if known else _COMPANY_SUFFIX.sub("", str(text).strip()) or str(text).strip()
    return name


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame else pd.Series(None, index=frame.index, dtype=object)


def _objects(values) -> np.ndarray:
    arr = np.asarray(pd.Series(values, copy=False).astype(object), dtype=object)
    return np.array([None if v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v) else v for v in arr],
                    dtype=object)


# --- the register's side ------------------------------------------------------------------
LINE_COLUMNS = ["day", "courier", "key", "row", "pos", "rows", "parcels", "grams", "unknown", "volume", "waybill",
                "province", "packer", "order", "recipient", "status", "reason"]


def register_lines(frame: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """The register (canonical 发货 columns; `_row` or the index = Excel row) as one row per
    waybill, courier and day: parcels = the larger of the rows and their 件数, weights added (a
    multi-parcel waybill), the first row's province, packer, order and recipient, the worst state
    (丢件/破损 over 无法送达/拒收 over 正常). Rows without a day or a courier are left out (the reader
    reports them); a row without a waybill is a line of its own."""
    rows = (frame["_row"] if "_row" in frame else pd.Series(frame.index, index=frame.index)).to_numpy()
    day = pd.to_datetime(_col(frame, "发货日期"), errors="coerce").dt.normalize()
    courier = _mapped(_col(frame, "快递公司"), courier_of(rules))
    key = _waybill_key(_col(frame, "快递单号")).astype(object)
    key = np.where(pd.isna(key), np.char.add("\x00", rows.astype(str)), key)
    pieces = pd.to_numeric(_col(frame, "件数"), errors="coerce").fillna(1).clip(lower=1).astype("int64").to_numpy()
    grams = to_grams(_col(frame, "重量"))
    dims = [_millimetres(frame[d]) if d in frame else np.zeros(len(frame), dtype=np.int64) for d in ("长", "宽", "高")]
    volume = np.where((dims[0] > 0) & (dims[1] > 0) & (dims[2] > 0), dims[0] * dims[1] * dims[2], 0)
    state = _objects(_col(frame, "状态"))
    rank = np.where(np.isin(state, ("丢件", "破损")), 2, np.where(np.isin(state, ("无法送达", "拒收")), 1, 0))
    df = pd.DataFrame({"day": day.to_numpy(), "courier": courier, "key": key, "row": rows,
                       "pos": np.arange(len(frame)), "pieces": pieces, "grams": np.where(grams >= 0, grams, 0),
                       "unknown": grams < 0, "volume": volume, "state": state, "rank": rank})
    df = df[day.notna().to_numpy() & ~pd.isna(courier)]
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in LINE_COLUMNS}).astype(
            {"day": "datetime64[ns]", "row": "int64", "parcels": "int64", "grams": "int64", "unknown": bool})
    groups = df.groupby(["day", "courier", "key"], sort=False)
    out = groups.agg(row=("row", "first"), pos=("pos", "first"), rows=("row", "size"), parcels=("pieces", "max"),
                     grams=("grams", "sum"), unknown=("unknown", "any"), volume=("volume", "sum")).reset_index()
    out["parcels"] = np.maximum(out["parcels"].to_numpy(), out["rows"].to_numpy())
    worst = (df.sort_values("rank", ascending=False, kind="stable")
             .groupby(["day", "courier", "key"], sort=False)["state"].first())
    out["status"] = worst.reindex(pd.MultiIndex.from_frame(out[["day", "courier", "key"]])).to_numpy()
    first = out["pos"].to_numpy()
    out["waybill"] = _objects(_col(frame, "快递单号").iloc[first])
    out["province"] = _mapped(pd.Series(_objects(_col(frame, "省").iloc[first])), province_of_text)
    for name, column in (("packer", "包装人"), ("order", "订单号"), ("recipient", "收件人"), ("reason", "原因")):
        out[name] = _objects(_col(frame, column).iloc[first])
    out = out.sort_values(["day", "courier", "row"], kind="stable").reset_index(drop=True)
    for name in ("waybill", "province", "packer", "order", "recipient", "reason", "status"):
        out[name] = out[name].astype(object).where(out[name].notna(), None)
    return out[LINE_COLUMNS]


def priced_lines(lines: pd.DataFrame, price_rows: pd.DataFrame) -> pd.DataFrame:
    """Lines with the price-table fee (fen) at the chargeable weight; NA where the weight is not
    known or the table has no price for the courier and province."""
    grams = np.where(lines["unknown"].to_numpy(dtype=bool), -1, lines["grams"].to_numpy(dtype=np.int64))
    fees = parcel_fees(price_rows, lines["courier"].to_numpy(dtype=object), lines["province"].to_numpy(dtype=object),
                       lines["day"].to_numpy(dtype="datetime64[ns]"), grams,
                       lines["volume"].to_numpy(dtype=np.int64))
    priced = fees["found"] & (grams >= 0)
    return lines.assign(fee=pd.arrays.IntegerArray(fees["fee"].astype(np.int64), ~priced), priced=priced,
                        chargeable=fees["grams"])


def register_days(lines: pd.DataFrame) -> pd.DataFrame:
    """Per courier and day: parcels, waybills, the weight total and the price-table total (known
    only when every line has one)."""
    agg = {"registered": ("parcels", "sum"), "waybills": ("parcels", "size"), "shop_g": ("grams", "sum"),
           "shop_unknown": ("unknown", "any")}
    if "fee" in lines:
        lines = lines.assign(_fee=lines["fee"].fillna(0).astype("int64"), _unpriced=~lines["priced"].astype(bool))
        agg.update(table_fen=("_fee", "sum"), table_unknown=("_unpriced", "any"))
    return lines.groupby(KEYS, sort=False).agg(**agg).reset_index()


# --- the handover's side ------------------------------------------------------------------
def pickup_rows(frame: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """The 快递交接 record (canonical columns, index = Excel row) as one row per handover row
    with a day and a courier: handed (Int64), courier_g (-1 unknown), courier_fen (Int64),
    signed, slips (底单已收 是), archived (date or NaT), name (快递员), sender (发货员)."""
    day = pd.to_datetime(_col(frame, "日期"), errors="coerce").dt.normalize()
    courier = _mapped(_col(frame, "快递公司"), courier_of(rules))
    sign = sheet.signed(_col(frame, "快递员签字")) if "快递员签字" in frame else pd.Series(None, index=frame.index)
    out = pd.DataFrame({
        "day": day.to_numpy(), "courier": courier, "row": np.asarray(frame.index, dtype=np.int64),
        "handed": pd.array(pd.to_numeric(_col(frame, "交接件数"), errors="coerce"), dtype="Int64"),
        "courier_g": to_grams(_col(frame, "快递员称重")),
        "courier_fen": pd.array(pd.to_numeric(_col(frame, "快递员报价"), errors="coerce"), dtype="Int64"),
        "signed": sign.map(lambda v: v is True).to_numpy(dtype=bool),
        "slips": (_col(frame, "底单已收") == sheet.YES).fillna(False).to_numpy(dtype=bool),
        "archived": pd.to_datetime(_col(frame, "归档日期"), errors="coerce").to_numpy(),
        "name": _objects(_col(frame, "快递员")), "sender": _objects(_col(frame, "发货员")),
    })
    return out[day.notna().to_numpy() & ~pd.isna(courier)].reset_index(drop=True)


def _names(values) -> str | None:
    names = list(dict.fromkeys(str(v).strip() for v in values if v is not None and str(v).strip()))
    return "、".join(names) or None


def pickup_days(rows: pd.DataFrame) -> pd.DataFrame:
    """Per courier and day: handed (sum of 交接件数), the courier's weight and quote totals (known
    when every row has one), signed / slips (every row), archived (every row: the latest date),
    the 快递员 and 发货员 names, the first handover row."""
    if rows.empty:
        return pd.DataFrame({"day": pd.Series(dtype="datetime64[ns]"), "courier": pd.Series(dtype=object),
                             "handed": pd.Series(dtype="Int64"), "courier_g": pd.Series(dtype="int64"),
                             "courier_fen": pd.Series(dtype="Int64"), "signed": pd.Series(dtype=bool),
                             "slips": pd.Series(dtype=bool), "archived": pd.Series(dtype="datetime64[ns]"),
                             "first_row": pd.Series(dtype="int64"), "visits": pd.Series(dtype="int64"),
                             "couriers": pd.Series(dtype=object), "senders": pd.Series(dtype=object)})
    r = rows.assign(_g=rows["courier_g"].clip(lower=0), _g_unknown=rows["courier_g"] < 0,
                    _fen=rows["courier_fen"].fillna(0).astype("int64"), _fen_unknown=rows["courier_fen"].isna(),
                    _handed=rows["handed"].fillna(0).astype("int64"), _handed_unknown=rows["handed"].isna(),
                    _unarchived=pd.isna(rows["archived"]))
    g = r.groupby(KEYS, sort=False)
    out = g.agg(handed=("_handed", "sum"), handed_unknown=("_handed_unknown", "all"), courier_g=("_g", "sum"),
                g_unknown=("_g_unknown", "any"), courier_fen=("_fen", "sum"), fen_unknown=("_fen_unknown", "any"),
                signed=("signed", "all"), slips=("slips", "all"), archived=("archived", "max"),
                unarchived=("_unarchived", "any"), first_row=("row", "first"), visits=("row", "size")).reset_index()
    out["couriers"] = g["name"].agg(_names).to_numpy()
    out["senders"] = g["sender"].agg(_names).to_numpy()
    out["handed"] = pd.array(out["handed"], dtype="Int64")
    out.loc[out["handed_unknown"], "handed"] = pd.NA
    out["courier_g"] = np.where(out["g_unknown"], -1, out["courier_g"])
    out["courier_fen"] = pd.array(out["courier_fen"], dtype="Int64")
    out.loc[out["fen_unknown"], "courier_fen"] = pd.NA
    out.loc[out["unarchived"], "archived"] = pd.NaT
    return out.drop(columns=["handed_unknown", "g_unknown", "fen_unknown", "unarchived"])


# --- the job --------------------------------------------------------------------------------
def period(tables: Tables, as_of: dt.datetime, first: dt.date | None = None,
           last: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The days checked and printed: as given (one of them alone is that one day); else the days
    the handover record covers (up to the as-of day); else the as-of day."""
    if first is not None or last is not None:
        first, last = first or last, last or first
        return min(first, last), max(first, last)
    today = as_of.date()
    h = tables.handover
    if h is not None and "日期" in h.data:
        days = h.data["日期"].dropna().dt.normalize()
        days = days[days <= pd.Timestamp(today)]
        if len(days):
            return days.min().date(), days.max().date()
    return today, today


def last_shipping_day(tables: Tables, rules: Rules, as_of: dt.datetime) -> dt.date:
    """The day the 打印交接单 button prints: the latest day up to the as-of day with a parcel in
    the register (the day's pickup, or the last one when nothing went out today), else the as-of day."""
    days = register_lines(tables.shipping.data, rules)["day"].dropna()
    days = days[days <= pd.Timestamp(as_of.date())]
    return days.max().date() if len(days) else as_of.date()


def compute(tables: Tables, rules: Rules, as_of: dt.datetime, *, first: dt.date | None = None,
            last: dt.date | None = None) -> tuple[HandoverResult, pd.DataFrame]:
    """The handover of the period (see `period`): (result, findings). Never raises on the data."""
    first, last = period(tables, as_of, first, last)
    lo, hi = pd.Timestamp(first), pd.Timestamp(last)
    price_rows, price_findings = parse_price_table(price_sheet(rules), rules)
    ship, hand = tables.shipping, tables.handover
    all_lines = register_lines(ship.data, rules)
    lines = priced_lines(all_lines[all_lines["day"].between(lo, hi)].reset_index(drop=True), price_rows)
    all_pickups = pickup_days(pickup_rows(hand.data, rules)) if hand is not None else pickup_days(pd.DataFrame())
    in_period = all_pickups[pd.to_datetime(all_pickups["day"]).between(lo, hi)] if len(all_pickups) else all_pickups
    pickups = register_days(lines).merge(in_period, on=KEYS, how="outer", indicator=True)
    pickups = pickups.sort_values(KEYS, kind="stable").reset_index(drop=True)
    tol = {"weight_g": tolerance_grams(rules.weight_tolerance_kg), "fee_fen": tolerance_fen(rules.fee_tolerance)}
    due = _due(pickups["day"], as_of, rules.handover_cutoff)
    pickups["due"] = due
    found = [price_findings, _register_findings(ship, lo, hi)]
    if hand is not None:
        found += [hand.findings, _sheet_findings(tables, rules, as_of, lo, hi)]
        found += _cross_findings(ship, hand, lines, pickups, tol)
    pickups["result"] = _verdicts(pickups, tol, hand is not None)
    archive = _archive(tables, all_lines, all_pickups, rules, as_of, first, last)
    result = HandoverResult(first, last, as_of, lines, pickups.drop(columns="_merge"), archive, hand is not None,
                            tol)
    return result, fnd.combine(found)


def _due(days: pd.Series, as_of: dt.datetime, cutoff: dt.time) -> np.ndarray:
    """Whether the day's handover should be recorded by now: an earlier day, or today after the cut-off."""
    today = pd.Timestamp(as_of.date())
    day = pd.to_datetime(days)
    return ((day < today) | ((day == today) & (as_of.time() >= cutoff))).to_numpy(dtype=bool)


def _register_findings(ship: Table, lo, hi) -> pd.DataFrame:
    """The register's reading findings and blank 重量/运费, for rows of the period (and rows
    without a readable day, which no period can place)."""
    days = pd.to_datetime(_col(ship.data, "发货日期"), errors="coerce").dt.normalize()
    wanted = set(ship.data.index[(days.between(lo, hi) | days.isna()).to_numpy()])
    blanks = check_weight_fee_missing(Sheets(shipping=ship)) or []
    frame = fnd.combine([ship.findings, *blanks])
    if frame.empty:
        return frame
    keep = frame["row"].isna() | frame["row"].map(lambda r: r in wanted)
    return frame[keep.astype(bool)]


def _sheet_findings(tables: Tables, rules: Rules, as_of, lo, hi) -> pd.DataFrame:
    """The 快递交接 sheet's own checks: signature and 底单 for the period's pickups, the archive
    for every pickup up to now (a to-do that does not wait for a period)."""
    hand = tables.handover
    s = Sheets(shipping=tables.shipping, handover=hand, rules=rules, as_of=as_of)
    frame = fnd.combine(out for check in sheet.CHECKS for out in _as_list(check(s)))
    if frame.empty:
        return frame
    days = pd.to_datetime(_col(hand.data, "日期"), errors="coerce").dt.normalize()
    in_period = set(hand.data.index[days.between(lo, hi).to_numpy()])
    per_period = frame["code"].isin(["handover-unsigned", "handover-slips-missing"])
    keep = ~per_period | frame["row"].map(lambda r: r in in_period)
    return frame[keep.astype(bool)]


def _as_list(result) -> list:
    if result is None:
        return []
    return result if isinstance(result, list) else [result]


def _day_text(days) -> list[str]:
    return list(pd.to_datetime(pd.Series(days)).dt.strftime("%Y-%m-%d"))


def _int(value) -> int | None:
    """A count or amount from a merged frame (Int64 NA, float NaN) as int or None."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return int(value)


def _cross_findings(ship: Table, hand: Table, lines: pd.DataFrame, pickups: pd.DataFrame, tol: dict) -> list:
    """The handover against the register: count, waybills never handed over, pickups of nothing
    registered, the courier's weight and quote."""
    out = []
    both = (pickups["_merge"] == "both").to_numpy()
    handed = pickups["handed"]
    known = handed.notna().to_numpy()
    registered = pickups["registered"].fillna(0).astype("int64")
    counted = both & known & (handed.fillna(-1).astype("int64") == registered).to_numpy()
    mismatch = pickups[both & known & ~counted]
    if len(mismatch):
        diff = mismatch["handed"].astype("int64") - mismatch["registered"].astype("int64")
        words = [f"交接少 {-d} 件" if d < 0 else f"交接多 {d} 件" for d in diff]
        out.append(_at_pickups(hand, mismatch, "交接件数", "handover-count-mismatch", handed=mismatch["handed"],
                               registered=mismatch["registered"].astype("int64"), diff=words))
    alone = pickups[(pickups["_merge"] == "right_only").to_numpy() & (handed.fillna(0) > 0).to_numpy()]
    if len(alone):
        out.append(_at_pickups(hand, alone, "交接件数", "handover-unregistered", handed=alone["handed"]))
    missing_days = pickups[(pickups["_merge"] == "left_only").to_numpy() & pickups["due"].to_numpy()][KEYS]
    if len(missing_days):
        gone = lines.merge(missing_days, on=KEYS, how="inner")
        column = "快递单号" if "快递单号" in ship.letters else "发货日期"
        rows = pd.Index(gone["row"].astype("int64"))
        out.append(ship.at(pd.Series(True, index=rows), column, "handover-missing",
                           date=pd.Series(_day_text(gone["day"]), index=rows),
                           courier=pd.Series(list(gone["courier"]), index=rows)))
    same = pickups[counted]
    weighed = same[(same["courier_g"] >= 0).to_numpy() & ~same["shop_unknown"].astype(bool).to_numpy()]
    if len(weighed):
        diff = weighed["courier_g"].astype("int64") - weighed["shop_g"].astype("int64")
        limit = tol["weight_g"] * weighed["registered"].astype("int64")
        off = weighed[(diff.abs() > limit).to_numpy()]
        if len(off):
            d, lim = diff[off.index], limit[off.index]
            out.append(_at_pickups(hand, off, "快递员称重", "handover-weight-differs",
                                   courier_kg=[kg_text(g) for g in off["courier_g"]],
                                   shop_kg=[kg_text(g) for g in off["shop_g"]], parcels=off["registered"],
                                   diff_kg=[kg_text(abs(int(v))) for v in d], limit_kg=[kg_text(int(v)) for v in lim]))
    quoted = same[same["courier_fen"].notna().to_numpy() & ~same["table_unknown"].fillna(True).astype(bool).to_numpy()]
    if len(quoted):
        diff = quoted["courier_fen"].astype("int64") - quoted["table_fen"].astype("int64")
        limit = tol["fee_fen"] * quoted["registered"].astype("int64")
        off = quoted[(diff.abs() > limit).to_numpy()]
        if len(off):
            d = diff[off.index]
            out.append(_at_pickups(hand, off, "快递员报价", "handover-price-differs",
                                   quoted=[fen_text(v) for v in off["courier_fen"]],
                                   expected=[fen_text(v) for v in off["table_fen"]], parcels=off["registered"],
                                   way=["多报" if v > 0 else "少报" for v in d], diff=[fen_text(abs(int(v))) for v in d]))
    return out


def _at_pickups(hand: Table, pickups: pd.DataFrame, column: str, code: str, **fields) -> pd.DataFrame:
    """Findings on the first handover row of each pickup, in `column` (else the 交接件数 cell)."""
    rows = pd.Index(pickups["first_row"].astype("int64"))
    fields = {k: (list(v) if isinstance(v, (pd.Series, list, np.ndarray)) else v) for k, v in fields.items()}
    fields = {k: pd.Series(v, index=rows) if isinstance(v, list) else v for k, v in fields.items()}
    where = column if column in hand.letters else "交接件数"
    return hand.at(pd.Series(True, index=rows), where, code, date=pd.Series(_day_text(pickups["day"]), index=rows),
                   courier=pd.Series(list(pickups["courier"]), index=rows), **fields)


def _verdicts(pickups: pd.DataFrame, tol: dict, has_handover: bool) -> list[str]:
    """The 结果 of each pickup in words (the 交接核对 sheet)."""
    out = []
    for p in pickups.to_dict("records"):
        if not has_handover:
            out.append("未登记交接(没有快递交接表)")
            continue
        if p["_merge"] == "left_only":
            out.append("没有交接记录" if p["due"] else "待交接")
            continue
        if p["_merge"] == "right_only":
            out.append("发货记录中没有这一天的包裹" if (_int(p["handed"]) or 0) > 0 else "无包裹")
            continue
        notes = []
        handed, registered = _int(p["handed"]), _int(p["registered"])
        if handed is None:
            notes.append("没有填写交接件数")
        elif handed != registered:
            notes.append(f"件数不符(交接 {handed},发货 {registered})")
        else:
            if p["courier_g"] >= 0 and not p["shop_unknown"] and \
                    abs(int(p["courier_g"]) - int(p["shop_g"])) > tol["weight_g"] * registered:
                notes.append("称重不符")
            quoted, table = _int(p["courier_fen"]), _int(p.get("table_fen"))
            if quoted is not None and table is not None and not p.get("table_unknown", True) and \
                    abs(quoted - table) > tol["fee_fen"] * registered:
                notes.append("报价不符")
        if not p["signed"]:
            notes.append("快递员未签字")
        if not p["slips"]:
            notes.append("底单未收")
        out.append(";".join(notes) or "相符")
    return out


ARCHIVE_COLUMNS = ["item", "day", "courier", "couriers", "parcels", "waybill", "order", "status", "note", "row",
                   "sheet"]


def _archive(tables: Tables, lines: pd.DataFrame, pickups: pd.DataFrame, rules: Rules, as_of: dt.datetime,
             first: dt.date, last: dt.date) -> pd.DataFrame:
    """The 底单 to-do: pickups past the archive period not archived (every pickup up to now), and
    the slips of lost/damaged/undeliverable parcels to keep apart, for the months of the period."""
    rows = []
    hand = tables.handover
    today = pd.Timestamp(as_of.date())
    if hand is not None:
        d = hand.data
        late = sheet.not_archived(d, as_of, rules.archive_days)
        for row, r in d[late].iterrows():
            day = r["日期"].normalize()
            due = sheet.archive_due(pd.Series([day]), rules.archive_days).iloc[0]
            rows.append({"item": TODO_ARCHIVE, "day": day, "courier": courier_of(rules)(r["快递公司"]),
                         "couriers": r.get("快递员"), "parcels": r.get("交接件数"), "waybill": None, "order": None,
                         "status": None, "note": f"已保存 {(today - day).days} 天,应于 {due:%Y-%m-%d} 前归档,交管理人员保存",
                         "row": int(row), "sheet": hand.sheet})
    months = {(y, m) for y, m in _months(first, last)}
    names = pickups.set_index(KEYS)["couriers"] if len(pickups) else pd.Series(dtype=object)
    apart = lines[lines["status"].isin(list(SET_ASIDE)).to_numpy() & (lines["day"] <= today).to_numpy()]
    for r in apart.to_dict("records"):
        if (r["day"].year, r["day"].month) not in months:
            continue
        use = SET_ASIDE[r["status"]]
        what = ("打印该订单的交易信息作为证据,连同底单向快递公司索赔" if use == "索赔"
                else "快递收件后无法送达:月结对账时抵扣运费")
        reason = f"({r['reason']})" if r["reason"] else ""
        rows.append({"item": f"单独存放({use})", "day": r["day"], "courier": r["courier"],
                     "couriers": names.get((r["day"], r["courier"])), "parcels": r["parcels"], "waybill": r["waybill"],
                     "order": r["order"], "status": r["status"], "note": f"{r['status']}{reason}:{what}",
                     "row": int(r["row"]), "sheet": tables.shipping.sheet})
    frame = pd.DataFrame(rows, columns=ARCHIVE_COLUMNS)
    if len(frame):
        frame["day"] = pd.to_datetime(frame["day"])
        frame = frame.sort_values(["item", "day", "courier"], key=lambda s: s.map({TODO_ARCHIVE: 0}).fillna(1)
                                  if s.name == "item" else s, kind="stable").reset_index(drop=True)
    return frame


def _months(first: dt.date, last: dt.date):
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
