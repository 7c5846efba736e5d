"""What a check sees: the tables found in the workbook(s), the rules and the as-of time."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shopbook.reading.tables import Table
from shopbook.rules import DEFAULT_RULES, Rules


@dataclass
class Sheets:
    orders: Table | None = None
    shipping: Table | None = None
    returns: Table | None = None
    stock: Table | None = None
    handover: Table | None = None  # 快递交接 (shopbook.sheets.courier_handover)
    rules: Rules = DEFAULT_RULES
    as_of: dt.datetime = dt.datetime(2026, 1, 1)

    def present(self) -> list[Table]:
        return [t for t in (self.orders, self.shipping, self.returns, self.stock, self.handover) if t is not None]
