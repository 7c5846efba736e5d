"""The validation job: find the shop's sheets in a workbook and run every check on them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from shopbook.core import findings as fnd
from shopbook.sheets import orders
from shopbook.sheets import returns
from shopbook.sheets import shipping
from shopbook.sheets import stock
from shopbook.sheets.context import Sheets
from shopbook.reading.files import Workbook
from shopbook.rules import Rules
from shopbook.sheets import adjustments, courier_handover, inbound, opening, purchases

# sheet kind -> (Sheets attribute, its checks)
SHEET_KINDS = (
    (orders.ORDERS, "orders", orders.CHECKS),
    (shipping.SHIPPING, "shipping", shipping.CHECKS),
    (returns.RETURNS, "returns", returns.CHECKS),
    (stock.STOCK, "stock", stock.CHECKS),
    # the stock ledger's registers (shopbook.sheets): checked when a workbook keeps them
    (inbound.INBOUND, "inbound", inbound.CHECKS),
    (purchases.PURCHASES, "purchases", purchases.CHECKS),
    (adjustments.ADJUSTMENTS, "adjustments", adjustments.CHECKS),
    (opening.OPENING, "opening", opening.CHECKS),
    (courier_handover.COURIER_HANDOVER, "handover", courier_handover.CHECKS),
)


@dataclass
class Validation:
    sheets: Sheets
    findings: pd.DataFrame
    rows_checked: dict[str, int]


def load_sheets(book: Workbook, rules: Rules, as_of: dt.datetime) -> Sheets:
    """Every sheet kind the workbook holds (found by name, alias or header row, or as a known
    platform export: shopbook.reading.profiles)."""
    return load_books([book], rules, as_of)[0]


def load_books(books: list[Workbook], rules: Rules, as_of: dt.datetime) -> tuple[Sheets, pd.DataFrame]:
    """Every sheet kind of one or several workbooks, and notes on how they were put together
    (an order list and its item list joined by 订单号: shopbook.sheets.exports)."""
    from shopbook.sheets.exports import load_books as load
    return load(books, rules, as_of, [(kind, attr) for kind, attr, _ in SHEET_KINDS])


def run_checks(sheets: Sheets, skip=()) -> pd.DataFrame:
    """All checks of every present sheet kind (but those in `skip`); findings as one frame in
    sheet order."""
    frames = []
    missing = {c.name for t in sheets.present() for c in t.kind.columns if c.required and not t.has(c.name)}
    for _, attr, checks in SHEET_KINDS:
        table = getattr(sheets, attr)
        if table is None:
            continue
        frames.append(table.findings)
        for check in checks:
            if check in skip:
                continue
            try:
                result = check(sheets)
            except KeyError as exc:
                if exc.args and exc.args[0] in missing:
                    continue  # the check needs a column the sheet lacks: missing-column says so
                raise
            frames.extend(result if isinstance(result, list) else [result])
    found = fnd.combine(frames)
    if len(found):
        order = {t.sheet: i for i, t in enumerate(sheets.present())}
        found = found.assign(_sheet=found["sheet"].map(order).fillna(99),
                             _row=pd.to_numeric(found["row"], errors="coerce").fillna(0))
        found = found.sort_values(["_sheet", "_row"], kind="stable").drop(columns=["_sheet", "_row"])
        found = found.reset_index(drop=True)
    return found


def validate(book: Workbook | list[Workbook], rules: Rules, as_of: dt.datetime,
             rule_findings: pd.DataFrame | None = None, ledger=None) -> Validation:
    """Every check on the sheets of a workbook (or of several given together). `ledger(sheets,
    rules, as_of)` gives sellable stock per key from the stock ledger's registers when the workbooks
    keep them (shopbook.stockbook.job.sellable, passed in by the adapters: the stock ledger is a
    job above the sheet checks)."""
    sheets, notes = load_books(book if isinstance(book, list) else [book], rules, as_of)
    if ledger is not None and sheets.stock is not None and sheets.has_movements():
        sheets.sellable = ledger(sheets, rules, as_of)
    findings = fnd.combine([rule_findings, notes, run_checks(sheets)])
    rows = {t.sheet: len(t.data) for t in sheets.present()}
    return Validation(sheets, findings, rows)
