"""Pay months: parsing 2026-10, labels, quarters, months employed before a month."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata


# --- months -------------------------------------------------------------------------------
def parse_month(text: str) -> dt.date:
    """'2026-10' (also 2026/10, 202610, 2026年10月) -> date(2026, 10, 1); ValueError otherwise."""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    m = re.fullmatch(r"(\d{4})\s*(?:[-/.年]\s*)?(\d{1,2})\s*月?", s)
    if not m or not 1 <= int(m[2]) <= 12 or not 2000 <= int(m[1]) <= 2100:
        raise ValueError(f"无法识别的月份 {text!r},请写成 2026-10")
    return dt.date(int(m[1]), int(m[2]), 1)


def month_label(month: dt.date) -> str:
    return f"{month.year}-{month.month:02d}"


def month_end(month: dt.date) -> dt.date:
    nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def previous_month(month: dt.date) -> dt.date:
    return dt.date(month.year - 1, 12, 1) if month.month == 1 else dt.date(month.year, month.month - 1, 1)


def quarter_of(month: dt.date) -> int:
    return (month.month - 1) // 3 + 1


def quarter_label(month: dt.date) -> str:
    return f"{month.year}Q{quarter_of(month)}"


def is_quarter_start(month: dt.date) -> bool:
    return month.month in (1, 4, 7, 10)


def months_employed_before(joined: dt.date | None, month: dt.date) -> int | None:
    """Months employed at the shop this year before `month`, counted from the month of joining."""
    if joined is None:
        return None
    if joined >= month:
        return 0
    start = joined.month if joined.year == month.year else 1
    return month.month - start
