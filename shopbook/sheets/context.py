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
    # the stock ledger's registers (shopbook.sheets.inbound, purchases, adjustments, opening)
    inbound: Table | None = None
    purchases: Table | None = None
    adjustments: Table | None = None
    opening: Table | None = None
    # 可售 per stock key computed from the movements (shopbook.stockbook.job.sellable), when given:
    # the checks then use it instead of 库存's typed 实盘/账面 − 残次
    sellable: object | None = None

    def present(self) -> list[Table]:
        return [t for t in (self.orders, self.shipping, self.returns, self.stock, self.inbound, self.purchases,
                            self.adjustments, self.opening, self.handover) if t is not None]

    def has_movements(self) -> bool:
        """The stock ledger's own registers are here (入库 or 库存调整): 可售 can be computed."""
        return self.inbound is not None or self.adjustments is not None
