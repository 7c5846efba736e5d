"""Money: integer fen inside, half-up to the fen, exact Decimal in between. Every job parses and
shows amounts with these (a typed ¥1,234.50 元, a rules-table price, a payroll figure)."""
from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pandas as pd

MONEY_STRIP = re.compile(r"[¥￥,，\s]|元$|RMB|CNY", re.IGNORECASE)

# No quantity, weight or amount of a small shop comes near a trillion: a value that large is an
# ID or a typing slip in the wrong column (and would not fit an exact integer column).
TOO_LARGE = 1e12


def parse_decimal(text) -> Decimal | None:
    """Text as an exact Decimal; None when it is no finite number ('abc', 'NaN', '1e309' is
    finite but see `sane_decimal`)."""
    try:
        d = Decimal(text)
    except (InvalidOperation, ValueError, TypeError):
        return None
    return d if d.is_finite() else None


def sane_decimal(d: Decimal | None) -> bool:
    """Below TOO_LARGE in size: arithmetic and rounding to the fen cannot fail on it (Decimal
    keeps 28 digits; 1e309 or 29 typed digits would make quantize raise)."""
    return d is not None and d.copy_abs() < Decimal(int(TOO_LARGE))


def half_up(d: Decimal, exponent: Decimal = Decimal(1)) -> Decimal:
    """d rounded half-up to `exponent` (Decimal(1): whole numbers), for a sane_decimal d."""
    return d.quantize(exponent, rounding=ROUND_HALF_UP)


def decimal_to_fen(text: str) -> int | None:
    """Yuan text -> fen, half-up; None when it is no number or not below TOO_LARGE."""
    d = parse_decimal(text)
    if not sane_decimal(d):
        return None
    return int(half_up(d * 100))


def fen_to_decimal(fen) -> Decimal | None:
    if fen is None or fen is pd.NA or (isinstance(fen, float) and math.isnan(fen)):
        return None
    return (Decimal(int(fen)) / 100).quantize(Decimal("0.01"))


def fen_text(fen) -> str | None:
    d = fen_to_decimal(fen)
    return None if d is None else f"{d:.2f}"


def fen_from_text(text) -> int | None:
    """Yuan as people type it (¥1,234.50、1234.5元、RMB 12) -> fen, half-up; None when it is none."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    return decimal_to_fen(MONEY_STRIP.sub("", unicodedata.normalize("NFKC", str(text))))


def yuan_to_fen(d: Decimal) -> int:
    """An exact yuan amount -> whole fen, half-up."""
    return int((Decimal(d) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
