"""A generated list sheet as data — its columns and rows — shared by every job that prints lists
(stock ledger, handover, 今日待办): the job's lists.py builds `Listing`s, its xlsx.py lays them out
and the Excel buttons write the same frames back into the user's workbook."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Col:
    """One column: its header, width (characters) and kind — text | id (text-formatted) | int |
    seq (a centred 序号) | date | time | due (a date, or a time when the row's _time is set) | kg (grams) |
    money (fen) | wrap | link | check (a box to tick) | blank (to fill in by hand). `source` names
    the frame column it shows when that is not the header."""
    header: str
    width: float
    kind: str = "text"
    source: str | None = None

    @property
    def key(self) -> str:
        """The frame column this column shows."""
        return self.source or self.header


@dataclass
class Listing:
    """One generated sheet: printable ones have a title and an info line above the header row, A4,
    the header repeated on every page; the others are plain records (header in row 1)."""
    name: str
    title: str
    info: str
    columns: tuple[Col, ...]
    frame: pd.DataFrame
    printable: bool = True
    landscape: bool = True
    footer: tuple[str, str, str] = ("", "第 &P 页 / 共 &N 页", "")
    page_header: str = ""  # right part of the printed page header
    bold: Any = None  # rows printed bold (subtotals, totals): a boolean array
    links: Any = None  # each row's source cell, in the form the job's writer reads
    internal_links: bool = False  # the link column points at sheets of the same workbook
    autofilter: bool = True
    row_height: float | None = None  # points; a count sheet leaves room to write

    @property
    def header_row(self) -> int:
        return 2 if self.title else 0  # 0-based; title and info above the header
