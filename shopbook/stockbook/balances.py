"""库存结存 and what hangs on it: one row per stock key (opening, movements by kind, the end of
the period, the count against the book of its own day, what to reorder), its findings, the
残次库 lot by lot and next period's 期初."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from shopbook.core import findings as fnd
from shopbook.sheets import stock as stock_sheet
from shopbook.sheets.context import Sheets
from shopbook.reading.tables import Table
from shopbook.rules import Rules
from shopbook.stockbook.movements import (ADJUST, CONSUMABLE, DEFECT_OFF, IN, IN_DEFECT, OPENING, OUT_KINDS, RETURN,
                                          RETURN_DEFECT, TO_DEFECT, UNCATEGORISED, Keys, item_text)


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


def balance_findings(t: Sheets, b: pd.DataFrame, moves: pd.DataFrame, rules: Rules, as_of: dt.datetime) -> list:
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


