"""The stock ledger (SPEC §Stock, issue 15): every movement in and out, and the book figure
(账面) computed from them instead of typed.

Pure: `compute(tables, rules, as_of, start=None, end=None) -> (StockResult | None, findings)`
over a `shopbook.context.Sheets` holding whatever of 库存, 期初, 入库, 采购清单, 库存调整, 发货,
订单, 退换货 was found. `sellable(tables, rules, as_of)` is the one figure the other jobs take
from here: 可售 per stock key as of a day.

The opening balance (期初) is the 期初 sheet when one is given (last period's carried
balances), else 库存's 账面数量/残次数量, standing at the start of the period. Movements:
- 入库: 合格数量 (else 实到 − 不合格) into sellable stock; 不合格 kept as 残次 (不合格处理 残次, or
  none written) into 账面 and the 残次库; 退回供应商/返厂 books nothing;
- 出库: each parcel of the shipping register with what it held — its own 商品编码/数量 when the
  register gives them, else its order's lines (the first 正常 parcel of an order carries the
  order; a 补发 parcel the whole order again; a 换货 parcel the item of the 换货 return);
- 退货入库: a 退货/换货 return on its 归位日期 (商品状态 完好 → sellable, anything else → 残次);
- 调整: 库存调整 rows, ± 数量; 原因 转残次 moves goods into the 残次库, 残次报损 writes 残次 off.
Within a day, inflows come before outflows (dates are days): a balance below zero means the
day's outflows exceeded everything available that day.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from shopbook import findings as fnd
from shopbook import stock as stock_sheet
from shopbook.context import Sheets
from shopbook.reading.tables import Table
from shopbook.rules import Rules
from shopbook.sheets import inbound as inbound_sheet
from shopbook.sheets.adjustments import CHECKS as ADJUSTMENT_CHECKS
from shopbook.sheets.inbound import CHECKS as INBOUND_CHECKS
from shopbook.sheets.purchases import CHECKS as PURCHASE_CHECKS

# movement kinds (类型 in 库存流水) and their order within a day: inflows first
OPENING, IN, IN_DEFECT, RETURN, RETURN_DEFECT = "期初", "入库", "入库(残次)", "退货入库", "退货入库(残次)"
ADJUST, TO_DEFECT, DEFECT_OFF = "调整", "转残次", "残次报损"
OUT, RESEND, EXCHANGE = "出库", "补发出库", "换货出库"
OUT_KINDS = (OUT, RESEND, EXCHANGE)
RANK = {OPENING: 0, IN: 1, IN_DEFECT: 1, RETURN: 2, RETURN_DEFECT: 2, ADJUST: 3, TO_DEFECT: 4,
        OUT: 5, RESEND: 5, EXCHANGE: 5, DEFECT_OFF: 6}
NEGATIVE_ADJUSTMENT_RANK = 6  # a − adjustment (报损, 借出) after the day's shipments
UNCATEGORISED = "未分类"
CONSUMABLE = "耗材"
# 状态 of a return that means the goods are back, for registers without 收货日期/归位日期
RECEIVED_STATES = ("已收货", "已入库", "已退款", "已换货", "已完成", "完成", "退款完成", "已收到")
GOODS_BACK = ("退货", "换货")
SEP = "\x1f"  # between the parts of a stock key (shopbook.stock.stock_key)

MOVE_COLUMNS = ["date", "rank", "kind", "key", "book", "defect", "sheet", "row", "letter", "ref", "note", "src"]


@dataclass
class StockResult:
    """The period's ledger: `movements` (库存流水, date order, with running balances), `balances`
    (库存结存, one row per stock key), `defects` (残次库: what is in defect stock, from where, since
    when), the next period's `carried` (期初), and what lists.py needs to lay out the rest."""

    start: dt.date
    end: dt.date
    movements: pd.DataFrame
    balances: pd.DataFrame
    defects: pd.DataFrame
    carried: pd.DataFrame
    variants: list[str]
    inbound: Table | None = None
    opening_source: str = "库存"
    counts: dict = field(default_factory=dict)

    @property
    def totals(self) -> dict:
        b = self.balances
        return {c: int(b[c].sum()) for c in ("期初", "入库", "出库", "退货入库", "转残次", "调整", "期末账面", "残次", "可售")}

    def as_json(self) -> dict:
        rows = []
        for r in self.balances.itertuples(index=False):
            rows.append({"sku": r.商品编码, "color": r.颜色, "size": r.尺码, "opening": int(r.期初),
                         "inbound": int(r.入库), "outbound": int(r.出库), "returned": int(r.退货入库),
                         "to_defect": int(r.转残次), "adjusted": int(r.调整), "book": int(r.期末账面),
                         "defect": int(r.残次), "sellable": int(r.可售),
                         "counted": None if pd.isna(r.实盘) else int(r.实盘),
                         "variance": None if pd.isna(r.差异) else int(r.差异),
                         "reorder": int(r.建议补货)})
        names = {"期初": "opening", "入库": "inbound", "出库": "outbound", "退货入库": "returned", "转残次": "to_defect",
                 "调整": "adjusted", "期末账面": "book", "残次": "defect", "可售": "sellable"}
        return {"period": {"from": self.start.isoformat(), "to": self.end.isoformat()},
                "opening_source": self.opening_source,
                "movements": int((self.movements["kind"] != OPENING).sum()),
                "totals": {names[k]: v for k, v in self.totals.items()}, "balances": rows}


# --- keys -----------------------------------------------------------------------------------
def _reference(t: Sheets) -> pd.DataFrame:
    """The frame whose variant columns decide the stock key (库存, else 期初, else the registers)."""
    for table in (t.stock, t.opening):
        if table is not None and "商品编码" in table.data:
            return table.data
    parts = [tb.data[[c for c in ("商品编码", *stock_sheet.VARIANT_COLUMNS) if c in tb.data]]
             for tb in (t.inbound, t.adjustments, t.orders) if tb is not None and "商品编码" in tb.data]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({"商品编码": pd.Series(dtype=object)})


class Keys:
    """Stock keys on the variant columns 库存 uses (商品编码 alone where its row has none)."""

    def __init__(self, reference: pd.DataFrame):
        self.reference = reference
        self.variants = stock_sheet.uses_variants(reference)

    def of(self, frame: pd.DataFrame) -> pd.Series:
        return stock_sheet.order_stock_key(frame, self.reference)

    def parts(self, keys: pd.Index | pd.Series) -> pd.DataFrame:
        """商品编码, 颜色, 尺码 of each key (None where the key has no such part)."""
        split = pd.Series(keys, dtype=object).str.split(SEP, expand=True)
        out = pd.DataFrame({"商品编码": split[0]}) if len(split) else pd.DataFrame({"商品编码": []}, dtype=object)
        for i, c in enumerate(self.variants, start=1):
            out[c] = split[i].replace("", None) if i in split else None
        for c in stock_sheet.VARIANT_COLUMNS:
            if c not in out:
                out[c] = None
        return out.astype(object).where(out.notna(), None)


def item_text(keys: pd.Series) -> pd.Series:
    return keys.astype(str).str.replace(SEP, " ", regex=False).str.replace(r"\s+", " ", regex=True).str.strip()


# --- the period -----------------------------------------------------------------------------
def stamp_of(opening: Table | None) -> dt.date | None:
    """The day a 期初 sheet stands at: its latest 截至日期."""
    if opening is None or "截至日期" not in opening.data or not opening.data["截至日期"].notna().any():
        return None
    return opening.data["截至日期"].max().date()


def period(tables: Sheets, as_of: dt.datetime, start: dt.date | None = None,
           end: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """(first day, last day): `end` defaults to the as-of day; `start` to the day after the 期初's
    截至日期, else the first day of the month of `end`."""
    end = end or as_of.date()
    if start is None:
        stamp = stamp_of(tables.opening)
        start = stamp + dt.timedelta(days=1) if stamp else end.replace(day=1)
    return start, end


# --- the opening ----------------------------------------------------------------------------
def _opening(t: Sheets, keys: Keys, start: dt.date, problems: list) -> pd.DataFrame:
    """期初 per key: book, defect (index = key)."""
    if t.opening is not None:
        d = t.opening.data
        d = d[d["商品编码"].notna()] if "商品编码" in d else d.iloc[:0]
        key = keys.of(d)
        frame = pd.DataFrame({"book": d["账面数量"].fillna(0) if "账面数量" in d else 0,
                              "defect": d["残次数量"].fillna(0) if "残次数量" in d else 0}, index=d.index)
        out = frame.groupby(key).sum().astype("int64")
        if t.stock is not None and "账面数量" in t.stock.data:
            s = t.stock.data
            skey = stock_sheet.stock_key(s)
            lost = s["商品编码"].notna() & ~skey.isin(out.index) & s["账面数量"].fillna(0).ne(0)
            problems.append(t.stock.at(lost, "账面数量", "opening-missing-key", item=item_text(skey)))
        return out
    if t.stock is None:
        return pd.DataFrame({"book": pd.Series(dtype="int64"), "defect": pd.Series(dtype="int64")})
    s = t.stock.data
    s = s[s["商品编码"].notna()]
    frame = pd.DataFrame({"book": s["账面数量"].fillna(0) if "账面数量" in s else 0,
                          "defect": s["残次数量"].fillna(0) if "残次数量" in s else 0}, index=s.index)
    return frame.groupby(stock_sheet.stock_key(s)).sum().astype("int64")


def _opening_checks(t: Sheets, start: dt.date, end: dt.date, asked: dt.date | None) -> pd.DataFrame | None:
    """The carried 期初 must stand at the day before the period: never applied twice, no gap.
    `asked` is the --from given (None when it defaulted to the day after the 期初)."""
    if t.opening is None:
        return None
    sheet = t.opening.sheet
    stamp = stamp_of(t.opening)
    previous = start - dt.timedelta(days=1)
    if stamp is None:
        return fnd.sheet_level(sheet, "opening-unstamped", column="截至日期", previous=previous.isoformat())
    if stamp >= start or stamp >= end:
        wanted = asked or end.replace(day=1)  # the period meant: the month of --to
        return fnd.sheet_level(sheet, "opening-applied-twice", column="截至日期", value=stamp.isoformat(),
                               sheet_name=sheet, stamp=stamp.isoformat(), start=wanted.isoformat(),
                               previous=(wanted - dt.timedelta(days=1)).isoformat())
    if stamp < previous:
        nxt = stamp + dt.timedelta(days=1)
        missing = nxt.isoformat() if nxt == previous else f"{nxt.isoformat()} 至 {previous.isoformat()}"
        return fnd.sheet_level(sheet, "opening-gap", column="截至日期", value=stamp.isoformat(), stamp=stamp.isoformat(),
                               start=start.isoformat(), missing=missing, next=nxt.isoformat())
    return None


# --- movements, one builder per source --------------------------------------------------------
def _moves(sheet: str, rows, *, date, kind, key, book, defect, letter: str | None, ref, note,
           src: int) -> pd.DataFrame:
    """Movement rows (MOVE_COLUMNS) for the given source rows (Excel row numbers of `sheet`); each
    value a scalar, a Series indexed by source row, or an array aligned with `rows`."""
    rows = np.asarray(rows, dtype="int64")

    def at(v):
        return v.reindex(rows).to_numpy() if isinstance(v, pd.Series) else v
    n = len(rows)
    kinds = np.asarray(at(kind), dtype=object) if not isinstance(kind, str) else np.full(n, kind, dtype=object)
    return pd.DataFrame({
        "date": pd.to_datetime(pd.Series(at(date), index=range(n))).dt.normalize().astype("datetime64[ns]").to_numpy(),
        "rank": pd.Series(kinds).map(RANK).to_numpy(),
        "kind": kinds, "key": np.asarray(at(key), dtype=object),
        "book": np.asarray(at(book), dtype="int64") if n else np.empty(0, "int64"),
        "defect": np.asarray(at(defect), dtype="int64") if n else np.empty(0, "int64"),
        "sheet": sheet, "row": rows, "letter": letter,
        "ref": at(ref), "note": at(note), "src": src,
    })


def _unbookable(table: Table, mask: pd.Series, column: str, what) -> pd.DataFrame:
    column = column if column in table.letters else next(iter(table.letters), column)
    return table.at(mask.fillna(False).astype(bool), column, "movement-unbookable", what=what)


def _column(d: pd.DataFrame, name: str) -> pd.Series:
    return d[name] if name in d else pd.Series(None, index=d.index, dtype=object)


def inbound_moves(table: Table, keys: Keys, problems: list, src: int) -> pd.DataFrame:
    d = table.data
    good, defect = inbound_sheet.booked(d)
    no_date, no_sku = d["日期"].isna(), d["商品编码"].isna()
    no_qty = good.isna() & ~no_date & ~no_sku
    problems += [_unbookable(table, no_date & ~no_sku, "日期", "没有入库日期"),
                 _unbookable(table, no_sku, "商品编码", "没有商品编码"),
                 _unbookable(table, no_qty, "实到数量", "实到数量、合格数量都无法识别")]
    ok = ~no_date & ~no_sku & ~no_qty
    key = keys.of(d)
    ref = _column(d, "入库单号").fillna(_column(d, "采购单号"))
    note = _column(d, "供应商")
    letter = table.letters.get("合格数量") or table.letters.get("实到数量")
    sellable_rows = d.index[ok & (good > 0).fillna(False)]
    defect_rows = d.index[ok & (defect > 0).fillna(False)]
    return pd.concat([
        _moves(table.sheet, sellable_rows, date=d["日期"], kind=IN, key=key, book=good, defect=0, letter=letter,
               ref=ref, note=note, src=src),
        _moves(table.sheet, defect_rows, date=d["日期"], kind=IN_DEFECT, key=key, book=defect, defect=defect,
               letter=table.letters.get("不合格数量"), ref=ref, note="不合格留作残次", src=src),
    ], ignore_index=True)


def adjustment_moves(table: Table, keys: Keys, rules: Rules, problems: list, src: int) -> pd.DataFrame:
    d = table.data
    no_date, no_sku = d["日期"].isna(), d["商品编码"].isna()
    no_qty = d["数量"].isna() & ~no_date & ~no_sku if "数量" in d else ~no_date & ~no_sku
    problems += [_unbookable(table, no_date & ~no_sku, "日期", "没有调整日期"),
                 _unbookable(table, no_sku, "商品编码", "没有商品编码"),
                 _unbookable(table, no_qty, "数量", "调整数量无法识别")]
    ok = ~no_date & ~no_sku & ~no_qty
    qty = d["数量"].fillna(0).astype("int64") if "数量" in d else pd.Series(0, index=d.index)
    reason = _column(d, "原因").astype("string")
    transfer = reason.str.contains("|".join(rules.defect_transfer_words), regex=True).fillna(False)
    write_off = reason.str.contains("|".join(rules.defect_write_off_words), regex=True).fillna(False)
    kind = pd.Series(ADJUST, index=d.index, dtype=object).mask(transfer, TO_DEFECT).mask(write_off, DEFECT_OFF)
    book = qty.where(kind != TO_DEFECT, 0)
    defect = qty.where(kind != ADJUST, 0)
    rows = d.index[ok & (qty != 0)]
    moves = _moves(table.sheet, rows, date=d["日期"], kind=kind, key=keys.of(d), book=book, defect=defect,
                   letter=table.letters.get("数量"), ref=_column(d, "调整单号"), note=_column(d, "原因"), src=src)
    negative = (moves["kind"] == ADJUST) & (moves["book"] < 0)
    moves.loc[negative, "rank"] = NEGATIVE_ADJUSTMENT_RANK
    return moves


def _order_lines(orders: Table | None) -> pd.DataFrame:
    """Order lines with what goes into a parcel: 订单号, 商品编码, 颜色, 尺码, 数量, row."""
    if orders is None or "订单号" not in orders.data or "商品编码" not in orders.data:
        return pd.DataFrame(columns=["订单号", "商品编码", "颜色", "尺码", "数量", "line_row"])
    o = orders.data
    lines = pd.DataFrame({"订单号": o["订单号"], "商品编码": o["商品编码"], "颜色": _column(o, "颜色"),
                          "尺码": _column(o, "尺码"),
                          "数量": o["数量"] if "数量" in o else pd.Series(pd.NA, index=o.index, dtype="Int64"),
                          "line_row": o.index})
    lines = lines[lines["订单号"].notna() & lines["商品编码"].notna()]
    # the same 订单号+商品编码+颜色+尺码 twice is a line pasted twice (duplicate-order-line): sent once
    return lines[~lines[["订单号", "商品编码", "颜色", "尺码"]].astype(str).duplicated()]


def _first_variant(lines: pd.DataFrame) -> pd.DataFrame:
    """颜色/尺码 of each order's first line of each 商品编码 (index 订单号, 商品编码)."""
    return lines.drop_duplicates(["订单号", "商品编码"]).set_index(["订单号", "商品编码"])[["颜色", "尺码", "数量"]]


def outflow_moves(t: Sheets, keys: Keys, problems: list, src: int) -> pd.DataFrame:
    """The shipping register's parcels with the goods each held."""
    ship_t = t.shipping
    s = ship_t.data
    if "订单号" not in s or "发货日期" not in s:
        return pd.DataFrame(columns=MOVE_COLUMNS)
    lines = _order_lines(t.orders)
    kind_of = _column(s, "类型").fillna("正常")
    own = s["商品编码"].notna() & s["数量"].notna() if "商品编码" in s and "数量" in s else \
        pd.Series(False, index=s.index)
    usable = s["订单号"].notna() & s["发货日期"].notna()
    problems.append(_unbookable(ship_t, s["订单号"].notna() & s["发货日期"].isna(), "发货日期", "没有发货日期"))
    if t.orders is None and not own.any():
        problems.append(fnd.sheet_level(ship_t.sheet, "stock-outflow-unjoined"))
        return pd.DataFrame(columns=MOVE_COLUMNS)
    ref = _column(s, "快递单号")
    letter = ship_t.letters.get("快递单号") or ship_t.letters.get("订单号")
    label = kind_of.map({"正常": OUT, "补发": RESEND, "换货": EXCHANGE}).fillna(OUT)
    frames = []
    first_variant = _first_variant(lines)
    # 1. parcels that list their own goods
    mine = s[usable & own]
    if len(mine):
        idx = pd.MultiIndex.from_arrays([mine["订单号"], mine["商品编码"]])
        fv = first_variant.reindex(idx)
        goods = pd.DataFrame({"商品编码": mine["商品编码"],
                              "颜色": _column(mine, "颜色").fillna(pd.Series(fv["颜色"].to_numpy(), index=mine.index)),
                              "尺码": _column(mine, "尺码").fillna(pd.Series(fv["尺码"].to_numpy(), index=mine.index))},
                             index=mine.index)
        frames.append(_moves(ship_t.sheet, mine.index, date=mine["发货日期"], kind=label, key=keys.of(goods),
                             book=-mine["数量"].astype("int64"), defect=0, letter=letter, ref=ref,
                             note="订单 " + mine["订单号"].astype(str), src=src))
    # 2. parcels without goods: their order's lines (the first 正常 parcel, each 补发), or the 换货 item
    rest = s[usable & ~own & ~s["订单号"].isin(set(mine["订单号"]))]
    normal = rest[kind_of[rest.index] == "正常"]
    normal = normal.assign(_d=normal["发货日期"], _r=normal.index).sort_values(["_d", "_r"])
    carriers = normal[~normal["订单号"].duplicated()]
    resends = rest[kind_of[rest.index] == "补发"]
    whole = pd.concat([carriers, resends])
    known = whole["订单号"].isin(set(lines["订单号"]))
    problems.append(_unbookable(ship_t, pd.Series(~known.to_numpy(), index=whole.index), "订单号",
                                whole["订单号"].map(lambda o: f"订单表中没有订单 {o},发出的商品不明")))
    joined = whole[known.to_numpy()][["订单号", "发货日期"]].assign(_row=whole.index[known.to_numpy()]).merge(
        lines, on="订单号", how="left")
    bad_qty = joined["数量"].isna()
    if bad_qty.any() and t.orders is not None:
        rows = pd.Index(joined.loc[bad_qty, "line_row"].unique())
        problems.append(_unbookable(t.orders, pd.Series(True, index=rows), "数量",
                                    "订单行的数量无法识别,已发出的件数不明"))
    joined = joined[~bad_qty]
    if len(joined):
        rows = joined["_row"].to_numpy()
        frames.append(_moves(ship_t.sheet, rows, date=joined["发货日期"].to_numpy(), kind=label.reindex(rows).to_numpy(),
                             key=keys.of(joined).to_numpy(), book=-joined["数量"].astype("int64").to_numpy(), defect=0,
                             letter=letter, ref=ref.reindex(rows).to_numpy(),
                             note=("订单 " + joined["订单号"].astype(str)).to_numpy(), src=src))
    lost = set(s.loc[_column(s, "状态").isin(["丢件", "破损"]), "订单号"].dropna())
    vague = resends[~resends["订单号"].isin(lost) & resends["订单号"].isin(set(lines["订单号"]))]
    problems.append(ship_t.at(pd.Series(True, index=vague.index), "快递单号" if "快递单号" in ship_t.letters else "订单号",
                              "resend-goods-unknown", order=vague["订单号"]))
    frames.append(_exchange_moves(t, rest[kind_of[rest.index] == "换货"], lines, keys, ref, letter, problems, src))
    frames = [f for f in frames if f is not None and len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=MOVE_COLUMNS)


def _exchange_moves(t: Sheets, parcels: pd.DataFrame, lines: pd.DataFrame, keys: Keys, ref, letter,
                    problems: list, src: int) -> pd.DataFrame | None:
    """换货 parcels without their goods: the item of the order's 换货 return (same 颜色/尺码)."""
    if not len(parcels):
        return None
    ship_t = t.shipping
    swaps = pd.DataFrame(columns=["订单号", "商品编码", "数量"])
    if t.returns is not None and {"订单号", "类型"} <= set(t.returns.data):
        r = t.returns.data
        r = r[(r["类型"] == "换货") & r["订单号"].notna()]
        swaps = pd.DataFrame({"订单号": r["订单号"], "商品编码": _column(r, "商品编码"),
                              "数量": r["数量"] if "数量" in r else pd.NA}).drop_duplicates("订单号")
    hit = parcels["订单号"].isin(set(swaps["订单号"]))
    problems.append(_unbookable(ship_t, hit.map(lambda h: not h), "订单号", "换货包裹找不到退换货登记的换货商品"))
    found = parcels[hit]
    if not len(found):
        return None
    swap = swaps.set_index("订单号").reindex(found["订单号"])
    swap.index = found.index
    fv = _first_variant(lines)
    sku = swap["商品编码"].where(swap["商品编码"].notna(), None)
    idx = pd.MultiIndex.from_arrays([found["订单号"], sku.fillna("")])
    variant = fv.reindex(idx)
    goods = pd.DataFrame({"商品编码": sku, "颜色": variant["颜色"].to_numpy(), "尺码": variant["尺码"].to_numpy()},
                         index=found.index)
    qty = pd.to_numeric(swap["数量"], errors="coerce").fillna(pd.Series(variant["数量"].to_numpy(), index=found.index))
    ok = sku.notna() & qty.notna()
    problems.append(_unbookable(ship_t, ~ok, "订单号", "换货登记没有商品编码或数量"))
    problems.append(ship_t.at(ok, "快递单号" if "快递单号" in ship_t.letters else "订单号", "exchange-goods-unknown",
                              item=item_text(keys.of(goods))))
    rows = found.index[ok.to_numpy()]
    return _moves(ship_t.sheet, rows, date=found["发货日期"], kind=EXCHANGE, key=keys.of(goods),
                  book=-qty.fillna(0).astype("int64"), defect=0, letter=letter, ref=ref,
                  note="换货 订单 " + found["订单号"].astype(str), src=src)


def return_moves(t: Sheets, keys: Keys, rules: Rules, as_of: dt.datetime, problems: list, src: int) -> pd.DataFrame:
    """Returned goods on the day they were put back: 完好 → sellable, anything else → 残次."""
    rt = t.returns
    r = rt.data
    if "类型" not in r or "订单号" not in r:
        return pd.DataFrame(columns=MOVE_COLUMNS)
    back = r["类型"].isin(GOODS_BACK)
    if "归位日期" in r:
        date = r["归位日期"]
        column = "归位日期"
    elif "收货日期" in r:
        date, column = r["收货日期"], "收货日期"
        problems.append(fnd.sheet_level(rt.sheet, "return-putback-unrecorded", basis="收货日期"))
    else:
        received = _column(r, "状态").astype("string").str.contains("|".join(RECEIVED_STATES)).fillna(False)
        date = _column(r, "登记日期").where(received.astype(bool))
        column = "登记日期"
        problems.append(fnd.sheet_level(rt.sheet, "return-putback-unrecorded", basis="登记日期(状态为已收货、已退款等)"))
    lines = _order_lines(t.orders)
    fv = _first_variant(lines)
    sku = _column(r, "商品编码")
    if sku.isna().any():  # a blank 商品编码: the order's item when it has only one
        by_order = lines.groupby("订单号")["商品编码"]
        single = by_order.first().where(by_order.nunique() == 1)
        sku = sku.fillna(r["订单号"].map(single))
    idx = pd.MultiIndex.from_arrays([r["订单号"].fillna(""), sku.fillna("")])
    variant = fv.reindex(idx)
    qty = (r["数量"] if "数量" in r else pd.Series(pd.NA, index=r.index, dtype="Int64")).astype("Float64")
    qty = qty.fillna(pd.Series(pd.to_numeric(variant["数量"], errors="coerce").to_numpy(), index=r.index))
    goods = pd.DataFrame({"商品编码": sku, "颜色": variant["颜色"].to_numpy(), "尺码": variant["尺码"].to_numpy()},
                         index=r.index)
    due = back & date.notna()
    problems += [_unbookable(rt, due & sku.isna(), "商品编码", "退回的商品不明(没有商品编码,订单有多个商品)"),
                 _unbookable(rt, due & sku.notna() & qty.isna(), "数量", "退回数量不明")]
    condition = _column(r, "商品状态").astype("string")
    good = (condition.str.contains("|".join(rules.return_sellable), regex=True).fillna(False)
            & ~condition.str.contains("|".join(rules.excluded_conditions), regex=True).fillna(False)).astype(bool)
    ok = due & sku.notna() & qty.notna() & (qty > 0).fillna(False)
    kind = pd.Series(np.where(good, RETURN, RETURN_DEFECT), index=r.index, dtype=object)
    q = qty.fillna(0).astype("int64")
    rows = r.index[ok.astype(bool)]
    moves = _moves(rt.sheet, rows, date=date, kind=kind, key=keys.of(goods), book=q, defect=q.where(~good, 0),
                   letter=rt.letters.get(column), ref=_column(r, "退回快递单号"),
                   note="退回 订单 " + r["订单号"].astype(str), src=src)
    problems += _putback_checks(rt, back, keys.of(goods), rules, as_of)
    return moves


def _putback_checks(rt: Table, back: pd.Series, key: pd.Series, rules: Rules, as_of: dt.datetime) -> list:
    """Goods received but not put back (or sent to 残次) within the rules' days."""
    r = rt.data
    if "收货日期" not in r or "归位日期" not in r:
        return []
    limit = rules.return_putback_days
    today = pd.Timestamp(as_of).normalize()
    received = r["收货日期"].dt.normalize()
    waiting = (today - received).dt.days.astype("Int64")
    pending = (back & received.notna() & r["归位日期"].isna() & (waiting > limit)).fillna(False).astype(bool)
    took = (r["归位日期"].dt.normalize() - received).dt.days.astype("Int64")
    late = (back & took.notna() & (took > limit)).fillna(False).astype(bool)
    fmt = "%Y-%m-%d"
    return [rt.at(pending, "归位日期", "return-not-shelved", item=item_text(key), received=received.dt.strftime(fmt),
                  days=waiting, limit=limit),
            rt.at(late, "归位日期", "return-shelved-late", item=item_text(key), received=received.dt.strftime(fmt),
                  shelved=r["归位日期"].dt.strftime(fmt), days=took, limit=limit)]


# --- the ledger -----------------------------------------------------------------------------
def _all_moves(t: Sheets, keys: Keys, rules: Rules, as_of: dt.datetime, problems: list) -> pd.DataFrame:
    frames = []
    if t.inbound is not None:
        frames.append(inbound_moves(t.inbound, keys, problems, 1))
    if t.returns is not None:
        frames.append(return_moves(t, keys, rules, as_of, problems, 2))
    if t.adjustments is not None:
        frames.append(adjustment_moves(t.adjustments, keys, rules, problems, 3))
    if t.shipping is not None:
        frames.append(outflow_moves(t, keys, problems, 4))
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("book", "defect", "row", "rank", "src") else
                                          "datetime64[ns]" if c == "date" else object) for c in MOVE_COLUMNS})
    return pd.concat(frames, ignore_index=True)


def _outside(moves: pd.DataFrame, start: dt.date, end: dt.date, problems: list) -> pd.DataFrame:
    """The movements of the period; those before or after it counted in an info finding per sheet."""
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    inside = (moves["date"] >= lo) & (moves["date"] <= hi)
    out = moves[~inside]
    for sheet, group in out.groupby("sheet", sort=False):
        before, after = int((group["date"] < lo).sum()), int((group["date"] > hi).sum())
        when = ",".join(p for p in (f"早于本期 {before} 条(已含在期初中)" if before else "",
                                    f"晚于本期 {after} 条" if after else "") if p)
        problems.append(fnd.sheet_level(sheet, "movements-outside-period", count=before + after,
                                        start=start.isoformat(), end=end.isoformat(), when=when))
    return moves[inside]


def ledger(moves: pd.DataFrame, opening: pd.DataFrame) -> pd.DataFrame:
    """Movements in (key, date, within-day order) with the running 账面 and 残次 of their key."""
    moves = moves.sort_values(["key", "date", "rank", "src", "row"], kind="stable").reset_index(drop=True)
    start_book = moves["key"].map(opening["book"]).fillna(0).astype("int64")
    start_defect = moves["key"].map(opening["defect"]).fillna(0).astype("int64")
    group = moves.groupby("key", sort=False)
    moves["balance"] = start_book + group["book"].cumsum()
    moves["defect_balance"] = start_defect + group["defect"].cumsum()
    return moves


def _negative(moves: pd.DataFrame, tables: dict[str, Table]) -> list:
    """The movement that took a key's 账面 from zero or above to below zero."""
    crossing = (moves["balance"] < 0) & (moves["balance"] - moves["book"] >= 0)
    out = []
    for sheet, group in moves[crossing].groupby("sheet", sort=False):
        table = tables[sheet]
        rows = pd.Index(group["row"])
        letter = group["letter"].iloc[0]
        column = next((c for c, l in table.letters.items() if l == letter), None)
        out.append(fnd.at_rows(sheet, rows, table.headers.get(column, column), letter, "stock-negative",
                               values=group["book"].tolist(), item=item_text(group["key"]).tolist(),
                               date=group["date"].dt.strftime("%Y-%m-%d").tolist(),
                               kind=[n if k == ADJUST and isinstance(n, str) and n else k  # 借出, 报损…
                                     for k, n in zip(group["kind"], group["note"])],
                               qty=[f"{q:+d}" for q in group["book"]], balance=group["balance"].tolist()))
    return out


def category_of(parts: pd.DataFrame, names: pd.Series, rules: Rules) -> pd.Series:
    """类别 by the rules' 商品类别 table (longest 商品编码 prefix), else 耗材 by name, else 未分类."""
    sku = parts["商品编码"].fillna("").astype(str)
    out = pd.Series(None, index=parts.index, dtype=object)
    for prefix, category in rules.categories:
        out = out.where(out.notna() | ~sku.str.startswith(prefix), category)
    consumable = names.fillna("").astype(str).str.contains("|".join(rules.consumable_words), regex=True)
    out = out.where(out.notna() | ~consumable, CONSUMABLE)
    return out.fillna(UNCATEGORISED)


def _book_at(moves: pd.DataFrame, opening: pd.DataFrame, keys: pd.Series, days: pd.Series) -> pd.Series:
    """账面 of each key at the end of each day (its opening when no movement came before)."""
    probe = pd.DataFrame({"key": keys.to_numpy(dtype=object), "date": pd.to_datetime(days).astype("datetime64[ns]").to_numpy(),
                          "_i": range(len(keys))})
    probe = probe.astype({"key": object}).dropna(subset=["date"]).sort_values("date", kind="stable")
    # stable: the day's movements keep their ledger order, so the last match is the day's end
    right = moves[["key", "date", "balance"]].astype({"key": object}).sort_values("date", kind="stable")
    found = pd.merge_asof(probe, right, on="date", by="key", direction="backward")
    base = found["key"].map(opening["book"]).fillna(0)
    value = found["balance"].fillna(base)
    return pd.Series(value.to_numpy(), index=found["_i"].to_numpy()).reindex(range(len(keys))).set_axis(keys.index)


BALANCE_COLUMNS = ["类别", "库位", "商品编码", "商品名称", "颜色", "尺码", "期初", "入库", "出库", "退货入库", "调整",
                   "期末账面", "期初残次", "转残次", "残次减少", "残次", "可售", "安全库存", "建议补货", "盘点日期",
                   "盘点日账面", "实盘", "差异", "成本价", "差异金额", "_row", "_key", "_consumable"]


def balances(t: Sheets, keys: Keys, moves: pd.DataFrame, opening: pd.DataFrame, rules: Rules,
             end: dt.date) -> pd.DataFrame:
    """库存结存: one row per stock key (those of 库存, 期初 and the movements)."""
    stock = t.stock.data[t.stock.data["商品编码"].notna()] if t.stock is not None else None
    stock_keys = stock_sheet.stock_key(stock) if stock is not None else pd.Series(dtype=object)
    order = list(dict.fromkeys([*stock_keys, *opening.index, *moves["key"].dropna()]))
    idx = pd.Index(order, name="_key")
    g = moves.groupby("kind")
    def total(kinds, column="book", sign=1):
        sub = moves[moves["kind"].isin(kinds)]
        return (sign * sub.groupby("key")[column].sum()).reindex(idx).fillna(0).astype("int64")
    b = pd.DataFrame(index=idx)
    b["期初"] = opening["book"].reindex(idx).fillna(0).astype("int64")
    b["入库"] = total((IN, IN_DEFECT))
    b["出库"] = total(OUT_KINDS, sign=-1)
    b["退货入库"] = total((RETURN, RETURN_DEFECT))
    b["调整"] = total((ADJUST, DEFECT_OFF, TO_DEFECT))
    b["期末账面"] = b["期初"] + b["入库"] - b["出库"] + b["退货入库"] + b["调整"]
    b["期初残次"] = opening["defect"].reindex(idx).fillna(0).astype("int64")
    into = moves[moves["defect"] > 0].groupby("key")["defect"].sum()
    off = -moves[moves["defect"] < 0].groupby("key")["defect"].sum()
    b["转残次"] = into.reindex(idx).fillna(0).astype("int64")
    b["残次减少"] = off.reindex(idx).fillna(0).astype("int64")
    b["残次"] = b["期初残次"] + b["转残次"] - b["残次减少"]
    b["可售"] = (b["期末账面"] - b["残次"]).clip(lower=0)
    del g
    parts = keys.parts(idx)
    parts.index = idx
    info = pd.DataFrame(index=idx)
    for c in ("商品名称", "库位", "成本价", "盘点日期", "_row"):
        info[c] = None
    if stock is not None:
        first = stock.assign(_key=stock_keys, _row=stock.index).drop_duplicates("_key").set_index("_key")
        for c in ("商品名称", "库位", "成本价", "盘点日期", "安全库存", "_row"):
            if c in first:
                info[c] = first[c].reindex(idx)
        if "实盘数量" in stock:
            counted = stock["实盘数量"].groupby(stock_keys)
            info["实盘"] = counted.sum(min_count=1).reindex(idx).astype("Int64")
        if "安全库存" in stock:
            info["安全库存"] = stock["安全库存"].groupby(stock_keys).first().reindex(idx).astype("Int64")
    names = info["商品名称"]
    for table in (t.opening, t.inbound, t.adjustments):  # names of keys 库存 does not have
        if table is not None and "商品名称" in table.data:
            extra = table.data["商品名称"].groupby(keys.of(table.data)).first()
            names = names.fillna(extra.reindex(idx))
    b["商品名称"] = names
    b["商品编码"], b["颜色"], b["尺码"] = parts["商品编码"], parts["颜色"], parts["尺码"]
    b["库位"] = info["库位"]
    b["安全库存"] = info["安全库存"] if "安全库存" in info else pd.Series(pd.NA, index=idx, dtype="Int64")
    b["安全库存"] = b["安全库存"].astype("Int64")
    b["类别"] = category_of(parts, b["商品名称"], rules)
    b["_consumable"] = b["类别"].isin(rules.consumable_categories) | \
        b["商品名称"].fillna("").astype(str).str.contains("|".join(rules.consumable_words), regex=True)
    # the count against the book at the end of its day (the book at the start when counted before it)
    counted = info["实盘"] if "实盘" in info else pd.Series(pd.NA, index=idx, dtype="Int64")
    day = pd.to_datetime(info["盘点日期"]).dt.normalize()
    probe = day.clip(upper=pd.Timestamp(end)).fillna(pd.Timestamp(end))
    at = _book_at(moves, opening, pd.Series(idx, index=idx), probe)
    b["盘点日期"] = day
    b["盘点日账面"] = at.where(counted.notna()).astype("Int64")
    b["实盘"] = counted
    b["差异"] = (b["实盘"] - b["盘点日账面"]).astype("Int64")
    b["成本价"] = pd.to_numeric(info["成本价"], errors="coerce").astype("Int64")
    b["差异金额"] = (b["差异"] * b["成本价"]).astype("Int64")
    cover = moves[moves["kind"].isin(OUT_KINDS) & (moves["date"] > pd.Timestamp(end) - pd.Timedelta(days=rules.reorder_cover_days))]
    recent = (-cover.groupby("key")["book"].sum()).reindex(idx).fillna(0).astype("int64")
    low = (b["可售"] < b["安全库存"]).fillna(False).astype(bool)
    target = np.maximum(b["安全库存"].fillna(0).astype("int64"), recent)
    b["建议补货"] = (target - b["可售"]).clip(lower=0).where(low, 0).astype("int64")
    b["_row"] = info["_row"]
    b["_key"] = idx
    return b.reset_index(drop=True)[BALANCE_COLUMNS]


def _balance_findings(t: Sheets, b: pd.DataFrame, moves: pd.DataFrame, rules: Rules, as_of: dt.datetime) -> list:
    out = []
    if t.stock is None:
        return out
    st = t.stock
    on_sheet = b[b["_row"].notna()].set_index(b.loc[b["_row"].notna(), "_row"].astype(int))
    if len(on_sheet) and "实盘数量" in st.letters:
        diff = on_sheet["差异"]
        bad = (diff.notna() & (diff != 0)).fillna(False).astype(bool)
        valued = on_sheet["差异金额"].map(lambda f: "" if pd.isna(f) else f",按成本价计 {int(f) / 100:.2f} 元")
        out.append(st.at(bad, "实盘数量", "stock-variance", kind=diff.map(lambda x: "盘盈" if not pd.isna(x) and x > 0 else "盘亏"),
                         diff=diff.abs(), book=on_sheet["盘点日账面"], counted=on_sheet["实盘"], valued=valued))
    counted = b[b["差异"].notna()]
    for category, group in counted.groupby("类别", sort=False):
        diff = group["差异"].astype("int64")
        if not (diff != 0).any():
            continue
        money = group["差异金额"].dropna()
        valued = f",按成本价计 {int(money.sum()) / 100:.2f} 元" if len(money) else ""
        out.append(fnd.sheet_level(st.sheet, "stock-variance-category", column="实盘数量", value=category,
                                   category=category, gain=int(diff[diff > 0].sum()), loss=int(-diff[diff < 0].sum()),
                                   net=f"{int(diff.sum()):+d}", valued=valued))
    if len(on_sheet) and "安全库存" in st.letters:
        low = (on_sheet["可售"] < on_sheet["安全库存"]).fillna(False).astype(bool)
        goods = low & ~on_sheet["_consumable"].astype(bool)
        supplies = low & on_sheet["_consumable"].astype(bool)
        out.append(st.at(goods, "安全库存", "reorder-alert", sellable=on_sheet["可售"], safety=on_sheet["安全库存"]))
        name = on_sheet["商品名称"].fillna(on_sheet["商品编码"])
        out.append(st.at(supplies, "安全库存", "consumable-low", item=name, sellable=on_sheet["可售"],
                         safety=on_sheet["安全库存"]))
    out.append(stock_sheet.check_stocktake_age(Sheets(stock=st, rules=rules, as_of=as_of)))
    # movements of keys 库存 does not have: named once, at their first movement
    strangers = b.loc[b["_row"].isna(), "_key"]
    if len(strangers) and len(moves):
        first = moves[moves["key"].isin(set(strangers))].sort_values(["date", "rank", "src", "row"])
        first = first[~first["key"].duplicated()]
        for sheet, group in first.groupby("sheet", sort=False):
            table = tables_by_sheet(t)[sheet]
            letter = group["letter"].iloc[0]
            column = next((c for c, l in table.letters.items() if l == letter), None)
            out.append(fnd.at_rows(sheet, group["row"], table.headers.get(column, column), letter, "stock-key-unknown",
                                   item=item_text(group["key"]).tolist()))
    return out


def tables_by_sheet(t: Sheets) -> dict[str, Table]:
    return {table.sheet: table for table in t.present()}


def defect_stock(moves: pd.DataFrame, b: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """残次库: what is in defect stock at the end, lot by lot (the opening 残次 and each movement
    into it), oldest written off first."""
    lots = moves[moves["defect"] > 0][["key", "date", "kind", "defect", "sheet", "row", "letter", "ref", "note"]]
    opening = b[b["期初残次"] > 0]
    first = pd.DataFrame({"key": opening["_key"], "date": pd.NaT, "kind": OPENING, "defect": opening["期初残次"],
                          "sheet": None, "row": None, "letter": None, "ref": None, "note": "期初残次"})
    lots = pd.concat([first, lots], ignore_index=True) if len(first) else lots.reset_index(drop=True)
    off = (-moves[moves["defect"] < 0].groupby("key")["defect"].sum())
    if len(lots):
        lots = lots.sort_values(["key", "date"], na_position="first", kind="stable")
        before = lots.groupby("key")["defect"].cumsum() - lots["defect"]
        gone = lots["key"].map(off).fillna(0)
        lots["left"] = (lots["defect"] - (gone - before).clip(lower=0)).clip(lower=0)
        lots = lots[lots["left"] > 0]
    else:
        lots["left"] = pd.Series(dtype="int64")
    info = b.set_index("_key")
    out = pd.DataFrame({
        "库位": lots["key"].map(info["库位"]), "商品编码": lots["key"].map(info["商品编码"]),
        "商品名称": lots["key"].map(info["商品名称"]), "颜色": lots["key"].map(info["颜色"]),
        "尺码": lots["key"].map(info["尺码"]), "数量": lots["left"].astype("int64"), "来源": lots["kind"],
        "单号": lots["ref"], "说明": lots["note"], "入残次日期": lots["date"],
        "天数": (pd.Timestamp(end) - lots["date"]).dt.days.astype("Int64"),
        "_sheet": lots["sheet"], "_row": lots["row"], "_letter": lots["letter"]})
    return out.sort_values(["入残次日期", "商品编码"], na_position="first", kind="stable").reset_index(drop=True)


def carried(b: pd.DataFrame, end: dt.date) -> pd.DataFrame:
    """Next period's 期初: every key's 期末账面 and 残次, stamped with the period's last day."""
    return pd.DataFrame({"商品编码": b["商品编码"], "商品名称": b["商品名称"], "颜色": b["颜色"], "尺码": b["尺码"],
                         "账面数量": b["期末账面"], "残次数量": b["残次"],
                         "截至日期": pd.Timestamp(end)})


def run_register_checks(t: Sheets) -> list:
    """The stock ledger's registers: their reading findings and their per-sheet checks."""
    out = []
    for table, checks in ((t.inbound, INBOUND_CHECKS), (t.purchases, PURCHASE_CHECKS),
                          (t.adjustments, ADJUSTMENT_CHECKS), (t.opening, [])):
        if table is None:
            continue
        out.append(table.findings)
        for check in checks:
            found = check(t)
            out.extend(found if isinstance(found, list) else [found])
    if t.stock is not None:
        out.append(t.stock.findings)
    return out


def build(t: Sheets, rules: Rules, as_of: dt.datetime, start: dt.date, end: dt.date,
          problems: list) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, Keys]:
    """(movements of the period with running balances, balances, opening, keys)."""
    keys = Keys(_reference(t))
    opening = _opening(t, keys, start, problems)
    moves = _outside(_all_moves(t, keys, rules, as_of, problems), start, end, problems)
    moves = ledger(moves, opening)
    return moves, balances(t, keys, moves, opening, rules, end), opening, keys


def compute(tables: Sheets, rules: Rules, as_of: dt.datetime, start: dt.date | None = None,
            end: dt.date | None = None) -> tuple[StockResult | None, pd.DataFrame]:
    """The period's ledger and every finding. None (and an opening-applied-twice finding) when the
    期初 given already stands at or after the period's start: the same period is never applied twice."""
    asked = start
    start, end = period(tables, as_of, start, end)
    problems: list = []
    opening_problem = _opening_checks(tables, start, end, asked)
    if opening_problem is not None and (opening_problem["code"] == "opening-applied-twice").any():
        return None, opening_problem
    problems.append(opening_problem)
    problems += run_register_checks(tables)
    moves, b, opening, keys = build(tables, rules, as_of, start, end, problems)
    problems += _negative(moves, tables_by_sheet(tables))
    problems += _balance_findings(tables, b, moves, rules, as_of)
    flow = _flow(moves, b, opening, start)
    result = StockResult(start, end, flow, b, defect_stock(moves, b, start, end), carried(b, end), keys.variants,
                         tables.inbound, "期初" if tables.opening is not None else "库存",
                         counts=moves["kind"].value_counts().to_dict())
    return result, fnd.combine(problems)


def _flow(moves: pd.DataFrame, b: pd.DataFrame, opening: pd.DataFrame, start: dt.date) -> pd.DataFrame:
    """库存流水 in date order: an 期初 line for every key that moved, then each movement."""
    moved = pd.Index(moves["key"].unique())
    first = pd.DataFrame({"date": pd.Timestamp(start), "rank": 0, "kind": OPENING, "key": moved,
                          "book": opening["book"].reindex(moved).fillna(0).astype("int64").to_numpy(),
                          "defect": opening["defect"].reindex(moved).fillna(0).astype("int64").to_numpy(),
                          "sheet": None, "row": -1, "letter": None, "ref": None, "note": None, "src": 0})
    first["balance"], first["defect_balance"] = first["book"], first["defect"]
    flow = pd.concat([first, moves], ignore_index=True) if len(moves) else moves
    return flow.sort_values(["date", "rank", "src", "row", "key"], kind="stable").reset_index(drop=True)


def sellable(tables: Sheets, rules: Rules, as_of: dt.datetime) -> pd.Series:
    """可售 per stock key (库存's keys, 商品编码+颜色+尺码) at the end of the as-of day, computed from
    the movements: the opening (the 期初 sheet, else 库存's 账面) plus every movement since, less
    残次. What picklist, validate and month use when the movements are given."""
    start, end = period(tables, as_of)  # a 期初 standing at the as-of day: start > end, nothing moves
    _, b, _, _ = build(tables, rules, as_of, start, end, [])
    return pd.Series(b["可售"].to_numpy(), index=b["_key"].to_numpy(), dtype="int64")
