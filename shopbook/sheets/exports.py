"""The shop's real files, given together: platform order exports read as they come.

`load_books` finds every sheet kind in one or several workbooks (the team's own sheets and the
platforms' exports alike) and, when an order-level export (淘宝 ExportOrderList: one row per
order, the buyer, address and payment) and a line-level one of the same platform
(ExportOrderDetailList: the items) are both there, joins them by 订单号 into order lines
(`join_orders`). Findings about an order-level field point at the order list's cell, findings
about an item at the item list's cell.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from shopbook.core import findings as fnd
from shopbook.sheets.context import Sheets
from shopbook.sheets.orders import ORDERS
from shopbook.reading import profiles as source_profiles
from shopbook.reading.files import Workbook
from shopbook.reading.tables import HEADER_SCAN_ROWS, Table, active_profiles, assign_sheets, parse_table
from shopbook.rules import Rules

JOIN_KEY = "订单号"


@dataclass
class JoinedTable(Table):
    """Order lines made of a line-level export and the order-level export of the same orders.
    `data`/`raw` are per line (the line sheet's rows); the order-level columns come from
    `orders`, and findings in them are placed on the order list's cells, once per order
    (route_to_orders=False keeps them on the line rows, without a cell: the pick list holds
    orders by their lines)."""

    orders: Table | None = None
    order_rows: pd.Series = field(default_factory=lambda: pd.Series(dtype="Int64"))
    order_columns: tuple = ()
    route_to_orders: bool = True

    def at(self, mask: pd.Series, column: str, code: str, values=None, **fields) -> pd.DataFrame:
        if column not in self.order_columns:
            return super().at(mask, column, code, values, **fields)
        mask = mask.reindex(self.data.index, fill_value=False).fillna(False).astype(bool)
        rows = self.data.index[mask]
        if not self.route_to_orders:
            if values is None:
                values = self.raw.loc[rows, column] if column in self.raw else None
            elif isinstance(values, pd.Series):
                values = values.reindex(rows)
            fields = {k: (v.reindex(rows) if isinstance(v, pd.Series) else v) for k, v in fields.items()}
            return fnd.at_rows(self.sheet, rows, self.orders.headers.get(column, column), None, code, values, **fields)
        target = self.order_rows.reindex(rows)
        keep = (target.notna() & ~target.duplicated()).to_numpy(dtype=bool)
        lines, order_rows = rows[keep], target[keep].astype(int).to_numpy()
        if values is None:
            values = self.orders.raw[column].reindex(order_rows).tolist() if column in self.orders.raw else None
        elif isinstance(values, pd.Series):
            values = values.reindex(lines).tolist()
        fields = {k: (v.reindex(lines).tolist() if isinstance(v, pd.Series) else v) for k, v in fields.items()}
        return fnd.at_rows(self.orders.sheet, order_rows, self.orders.headers.get(column, column),
                           self.orders.letters.get(column), code, values, **fields)


def join_orders(orders: Table, lines: Table) -> JoinedTable:
    """One order line per row of `lines`, with the order-level columns of `orders` (those the
    line export does not carry) taken from the order's row there by 订单号."""
    od = orders.data
    first = od[od[JOIN_KEY].notna() & ~od[JOIN_KEY].duplicated()]
    row_of = pd.Series(first.index, index=first[JOIN_KEY].to_numpy())
    ld = lines.data
    order_rows = ld[JOIN_KEY].map(row_of).astype("Int64")
    columns = [c for c in od.columns if c != JOIN_KEY and (c not in ld or ld[c].isna().all())
               and c in orders.letters]
    data, raw = ld.copy(), lines.raw.copy()
    where = order_rows.fillna(-1).astype(int).to_numpy()
    for c in columns:
        values = od[c].reindex(where)
        values.index = ld.index
        data[c] = values
    if "实付金额" in columns:  # the order's payment shared out over its lines (monthly sales, refund limits)
        data["实付金额"] = allocate(data["实付金额"], data, order_rows)
    if "退款金额" in columns:  # an order-level refund counts once, on the order's first line
        data["退款金额"] = data["退款金额"].where(~ld[JOIN_KEY].duplicated() | ld[JOIN_KEY].isna())
        if c in orders.raw:
            cells = orders.raw[c].reindex(where)
            cells.index = ld.index
            raw[c] = cells
    letters = {**lines.letters, **{c: orders.letters[c] for c in columns}}
    headers = {**lines.headers, **{c: orders.headers[c] for c in columns}}
    # what each file alone could not check, the two together can: those notes no longer apply
    notes = [t.findings[t.findings["code"] != "source-cannot-check"] for t in (orders, lines)]
    joined = JoinedTable(lines.kind, lines.sheet, lines.header_row, data, raw, letters, headers, fnd.empty(),
                         lines.extra, lines.profile, orders=orders, order_rows=order_rows,
                         order_columns=tuple(columns))
    missing_order = ld[JOIN_KEY].notna() & order_rows.isna()
    lineless = first[~first[JOIN_KEY].isin(set(ld[JOIN_KEY].dropna()))]
    joined.findings = fnd.combine([
        *notes,
        fnd.sheet_level(lines.sheet, "orders-joined", orders=orders.sheet, lines=lines.sheet,
                        order_count=len(first), line_count=len(ld)),
        lines.at(missing_order, JOIN_KEY, "line-without-order", orders=orders.sheet),
        orders.at(pd.Series(True, index=lineless.index), JOIN_KEY, "order-without-lines", lines=lines.sheet),
    ])
    return joined


def allocate(total: pd.Series, lines: pd.DataFrame, order_rows: pd.Series) -> pd.Series:
    """An order-level amount (fen, repeated on each line of the order) shared out over the
    order's lines in proportion to 数量 × 单价 (equally when those are unknown), exactly: the
    parts add up to the order's amount, the rounding remainder going to its first line."""
    total = total.astype("Int64")
    weight = pd.Series(1, index=lines.index, dtype="int64")
    if "数量" in lines and "单价" in lines:
        w = (lines["数量"].astype("Int64") * lines["单价"].astype("Int64")).fillna(0).astype("int64").clip(lower=0)
        group_w = w.groupby(order_rows.fillna(-1).to_numpy()).transform("sum")
        weight = w.where(group_w > 0, 1)
    key = order_rows.fillna(-1).to_numpy()
    sums = weight.groupby(key).transform("sum")
    known = total.notna()
    t = total.fillna(0).astype("int64")
    share = (t * weight) // sums.where(sums > 0, 1)
    rest = t - share.groupby(key).transform("sum")
    first = ~pd.Series(key, index=lines.index).duplicated()
    share = share + rest.where(first, 0)
    return share.astype("Int64").where(known & (order_rows.notna()), pd.NA)


def _level(table: Table) -> str | None:
    return table.profile.profile.level if table.profile is not None else None


def _join_name(table: Table) -> str:
    return table.profile.profile.join if table.profile is not None else ""


@dataclass
class Found:
    table: Table
    source: str  # file「sheet」


def load_books(books: list[Workbook], rules: Rules, as_of: dt.datetime, kinds) -> tuple[Sheets, pd.DataFrame]:
    """Every sheet kind in the workbooks (`kinds`: (SheetKind, Sheets attribute) pairs), and notes
    (findings) on how they were put together. Per kind the first sheet found is used; for 订单 an
    order-level and a line-level export of the same platform are joined."""
    sheets = Sheets(rules=rules, as_of=as_of)
    known = active_profiles(rules.profiles)
    found: dict[str, list[Found]] = {}
    for book in books:
        hits = assign_sheets(book, [k for k, _ in kinds], rules.profiles)
        for kind, _ in kinds:
            if kind.name in hits:
                name, pos = hits[kind.name]
                found.setdefault(kind.name, []).append(Found(_parse(book, name, kind, pos, rules), _source(book, name)))
        if known:  # a second order export in the same workbook (千牛: 订单 and 子订单 sheets)
            taken = {s for s, _ in hits.values()}
            for name in book.sheet_names:
                if name in taken:
                    continue
                hit = source_profiles.find_header(book.head(name), [ORDERS], known, f"{book.path.stem} {name}",
                                                  HEADER_SCAN_ROWS)
                if hit is not None:
                    found.setdefault(ORDERS.name, []).append(
                        Found(_parse(book, name, ORDERS, hit[0], rules), _source(book, name)))
    notes = []
    for kind, attr in kinds:
        candidates = found.get(kind.name, [])
        if not candidates:
            continue
        if kind.name == ORDERS.name and len(candidates) > 1:
            table, rest = _joined(candidates)
        else:
            table, rest = candidates[0].table, candidates[1:]
        if rest:
            used = "、".join(c.source for c in candidates if c not in rest)
            notes.append(fnd.sheet_level(table.sheet, "source-several", what=f"{kind.name}表",
                                         files="、".join(c.source for c in candidates), used=used))
        setattr(sheets, attr, table)
    return sheets, fnd.combine(notes)


def _joined(candidates: list[Found]) -> tuple[Table, list[Found]]:
    """The order table from several order sheets: an order-level and a line-level export of the
    same platform joined; else the first. Returns (table, candidates not used)."""
    order_level = [c for c in candidates if _level(c.table) == "order"]
    for head in order_level:
        for other in candidates:
            if other is head or _level(other.table) != "line" or not _join_name(other.table):
                continue
            if _join_name(other.table) == _join_name(head.table):
                return join_orders(head.table, other.table), [c for c in candidates if c not in (head, other)]
    return candidates[0].table, candidates[1:]


def _parse(book: Workbook, name: str, kind, pos: int, rules: Rules) -> Table:
    return parse_table(book.sheet(name), kind, pos, rules.profiles, name=f"{book.path.stem} {name}")


def _source(book: Workbook, name: str) -> str:
    return book.path.name if book.path.suffix.lower() == ".csv" else f"{book.path.name}「{name}」"


def describe(sheets: Sheets) -> list[dict]:
    """How each table was read: the format it was recognised as (for JSON and the report)."""
    out = []
    for table in sheets.present():
        parts = [table] + ([table.orders] if isinstance(table, JoinedTable) else [])
        for part in parts:
            if part.profile is not None:
                out.append({"sheet": part.sheet, "kind": part.kind.name, **part.profile.as_json()})
    return out
