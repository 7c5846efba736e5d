"""The validation job: find the shop's sheets in a workbook and run every check on them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from shopbook import findings as fnd
from shopbook import orders, returns, shipping, stock
from shopbook.context import Sheets
from shopbook.reading.files import Workbook
from shopbook.reading.tables import assign_sheets, parse_table
from shopbook.rules import Rules
from shopbook.sheets import courier_handover

# sheet kind -> (Sheets attribute, its checks)
SHEET_KINDS = (
    (orders.ORDERS, "orders", orders.CHECKS),
    (shipping.SHIPPING, "shipping", shipping.CHECKS),
    (returns.RETURNS, "returns", returns.CHECKS),
    (stock.STOCK, "stock", stock.CHECKS),
    (courier_handover.COURIER_HANDOVER, "handover", courier_handover.CHECKS),
)


@dataclass
class Validation:
    sheets: Sheets
    findings: pd.DataFrame
    rows_checked: dict[str, int]


def load_sheets(book: Workbook, rules: Rules, as_of: dt.datetime) -> Sheets:
    """Every sheet kind the workbook holds (found by name, alias or header row)."""
    sheets = Sheets(rules=rules, as_of=as_of)
    found = assign_sheets(book, [kind for kind, _, _ in SHEET_KINDS])
    for kind, attr, _ in SHEET_KINDS:
        if kind.name in found:
            name, header_pos = found[kind.name]
            setattr(sheets, attr, parse_table(book.sheet(name), kind, header_pos))
    return sheets


def run_checks(sheets: Sheets) -> pd.DataFrame:
    """All checks of every present sheet kind; findings as one frame in sheet order."""
    frames = []
    for _, attr, checks in SHEET_KINDS:
        table = getattr(sheets, attr)
        if table is None:
            continue
        frames.append(table.findings)
        for check in checks:
            result = check(sheets)
            frames.extend(result if isinstance(result, list) else [result])
    found = fnd.combine(frames)
    if len(found):
        order = {t.sheet: i for i, t in enumerate(sheets.present())}
        found = found.assign(_sheet=found["sheet"].map(order).fillna(99),
                             _row=pd.to_numeric(found["row"], errors="coerce").fillna(0))
        found = found.sort_values(["_sheet", "_row"], kind="stable").drop(columns=["_sheet", "_row"])
        found = found.reset_index(drop=True)
    return found


def validate(book: Workbook, rules: Rules, as_of: dt.datetime, rule_findings: pd.DataFrame | None = None) -> Validation:
    sheets = load_sheets(book, rules, as_of)
    findings = fnd.combine([rule_findings, run_checks(sheets)])
    rows = {t.sheet: len(t.data) for t in sheets.present()}
    return Validation(sheets, findings, rows)
