"""The stock ledger (SPEC §Stock, issue 15): every movement in and out, and the book figure
(账面) computed from them instead of typed.

Pure: `compute(tables, rules, as_of, start=None, end=None) -> (StockResult | None, findings)`
over a `shopbook.sheets.context.Sheets` holding whatever of 库存, 期初, 入库, 采购清单, 库存调整, 发货,
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

import pandas as pd

from shopbook.core import findings as fnd
from shopbook.sheets import stock as stock_sheet
from shopbook.sheets.context import Sheets
from shopbook.core.money import fen_text
from shopbook.reading.tables import Table
from shopbook.rules import Rules
from shopbook.sheets.adjustments import CHECKS as ADJUSTMENT_CHECKS
from shopbook.sheets.inbound import CHECKS as INBOUND_CHECKS
from shopbook.sheets.purchases import CHECKS as PURCHASE_CHECKS
from shopbook.stockbook.balances import balances, balance_findings, carried, defect_stock, tables_by_sheet
from shopbook.stockbook.movements import ADJUST, OPENING, Keys, all_moves, item_text, reference

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
                         "variance_value": None if pd.isna(r.差异金额) else fen_text(int(r.差异金额)),
                         "reorder": int(r.建议补货)})
        names = {"期初": "opening", "入库": "inbound", "出库": "outbound", "退货入库": "returned", "转残次": "to_defect",
                 "调整": "adjusted", "期末账面": "book", "残次": "defect", "可售": "sellable"}
        return {"period": {"from": self.start.isoformat(), "to": self.end.isoformat()},
                "opening_source": self.opening_source,
                "movements": int((self.movements["kind"] != OPENING).sum()),
                "totals": {names[k]: v for k, v in self.totals.items()}, "balances": rows}


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
    keys = Keys(reference(t))
    opening = _opening(t, keys, start, problems)
    moves = _outside(all_moves(t, keys, rules, as_of, problems), start, end, problems)
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
    problems += balance_findings(tables, b, moves, rules, as_of)
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
