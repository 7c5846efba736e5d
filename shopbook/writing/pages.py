"""Printed pages of the workbooks shopbook writes: what every header and footer shares."""
from __future__ import annotations

import datetime as dt


def header_date(when: dt.date | dt.datetime | None = None) -> str:
    """The date a page header prints, as text (2026-12-02). Excel's own date field (&D) prints
    in the locale of whoever opens the file (12/02/2026 or 02/12/2026), so it is never used;
    `when` is the job's as-of time (today when not given)."""
    return f"{when or dt.date.today():%Y-%m-%d}"
