"""The stock ledger's movements, one builder per source register: what each 入库, 库存调整, parcel
of the shipping register (joined to its order lines) and return puts into or takes out of stock
(see shopbook.stockbook.job for the rules). Each builder returns movement rows (MOVE_COLUMNS)
and appends the findings of rows it cannot book."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from shopbook.core import findings as fnd
from shopbook.sheets import stock as stock_sheet
from shopbook.sheets.context import Sheets
from shopbook.reading.tables import Table
from shopbook.rules import Rules
from shopbook.sheets import inbound as inbound_sheet

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
SEP = "\x1f"  # between the parts of a stock key (shopbook.sheets.stock.stock_key)

MOVE_COLUMNS = ["date", "rank", "kind", "key", "book", "defect", "sheet", "row", "letter", "ref", "note", "src"]


# --- keys -----------------------------------------------------------------------------------
def reference(t: Sheets) -> pd.DataFrame:
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


def all_moves(t: Sheets, keys: Keys, rules: Rules, as_of: dt.datetime, problems: list) -> pd.DataFrame:
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


