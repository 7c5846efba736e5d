"""Declared sheets and columns: what a sheet kind holds and what its headers may be called."""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

# Column kinds understood by the cell parsers (shopbook.reading.cells).
TEXT, ID, DATE, DATETIME, MONEY, INT, NUMBER, CHOICE = (
    "text", "id", "date", "datetime", "money", "int", "number", "choice")


@dataclass(frozen=True)
class Column:
    """One declared column: canonical Chinese header, accepted aliases, kind."""

    name: str
    aliases: tuple[str, ...] = ()
    kind: str = TEXT
    required: bool = False
    # For CHOICE: canonical values and accepted spellings {spelling: canonical}.
    choices: tuple[str, ...] = ()
    synonyms: dict[str, str] = field(default_factory=dict)
    minimum: float | None = None  # for MONEY / INT / NUMBER
    # an order-level field repeated on each line: blank lines take it from the group
    per_group: bool = False


@dataclass(frozen=True)
class SheetKind:
    """A kind of sheet (订单, 发货…): its accepted sheet names and its columns."""

    name: str
    sheet_aliases: tuple[str, ...]
    columns: tuple[Column, ...]
    group_by: str | None = None  # e.g. 订单号: lines of one order share per_group columns
    # headers only this kind has: a header row must show at least `signature_min` of them to be
    # taken for this kind (by name or by headers), so a sheet sharing a name or alias with
    # another kind (交接 = 交接班 and 快递交接) goes to the kind whose headers it has
    signature: tuple[str, ...] = ()
    signature_min: int = 2

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    def signed(self, names: set) -> bool:
        """A header row with these canonical names may be this kind (see `signature`)."""
        return not self.signature or len(names & set(self.signature)) >= self.signature_min

    def header_lookup(self) -> dict[str, str]:
        """Normalised header spelling -> canonical column name."""
        lookup: dict[str, str] = {}
        for col in self.columns:
            for spelling in (col.name, *col.aliases):
                lookup.setdefault(normalise_header(spelling), col.name)
        return lookup


_UNIT = re.compile(r"[(（\[【].*?[)）\]】]")
_SPACE = re.compile(r"[\s*＊:：]+")


def normalise_header(text: object) -> str:
    """Header text as compared: NFKC, lower case, no spaces, units in brackets dropped."""
    if text is None:
        return ""
    return _normalised(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _normalised(text: str) -> str:
    """(Cached: recognising a folder's sheets compares the same header texts thousands of times.)"""
    s = unicodedata.normalize("NFKC", text).strip().lower()
    s = _UNIT.sub("", s)
    return _SPACE.sub("", s)
