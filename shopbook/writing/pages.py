"""Printed pages of the workbooks shopbook writes: what every header and footer shares."""
from __future__ import annotations

import datetime as dt


def header_date(when: dt.date | dt.datetime | None = None) -> str:
    """The date a page header prints, as text (2026-12-02). Excel's own date field (&D) prints
    in the locale of whoever opens the file (12/02/2026 or 02/12/2026), so it is never used;
    `when` is the job's as-of time (today when not given)."""
    return f"{when or dt.date.today():%Y-%m-%d}"


A4 = 9  # XlsxWriter's paper code
PAGE_NUMBER = "&C第 &P 页 / 共 &N 页"


def print_a4(ws, *, landscape: bool = True, margins: tuple[float, float] = (0.4, 0.8), header: str | None = None,
             footer: str | None = PAGE_NUMBER, repeat: tuple[int, int] | None = None, fit_width: bool = True,
             grid: bool = True) -> None:
    """The print setup of a generated list (an XlsxWriter worksheet): A4, one page wide, centred,
    the grid printed, the header rows repeated on every page. `margins` = (left and right, top and
    bottom) in inches."""
    ws.set_paper(A4)
    ws.set_landscape() if landscape else ws.set_portrait()
    if fit_width:
        ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    if grid:
        ws.hide_gridlines(0)
    side, top = margins
    ws.set_margins(left=side, right=side, top=top, bottom=top)
    if repeat is not None:
        ws.repeat_rows(*repeat)
    if header is not None:
        ws.set_header(header)
    if footer is not None:
        ws.set_footer(footer)
