"""Reading several inputs side by side. The work of reading a file — inflating its XML, the
safety scan's byte tests, the Rust readers (fastexcel, python-calamine) — mostly runs outside
Python's lock, so two files read in two threads take about the time of the larger one
(1,000,000 bill lines and 1,000,000 parcels: 11.5 s one after the other, 8.6 s side by side).

The results, and the error a caller sees, are those of reading one after the other: each
call's result in order, and when calls fail, the first failing one's error in argument order.
SHOPBOOK_THREADS=1 reads one after the other (to compare, or on a one-core machine).
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor


def workers() -> int:
    """How many inputs are read at once: SHOPBOOK_THREADS, else the machine's cores, at most 4."""
    wanted = os.environ.get("SHOPBOOK_THREADS", "").strip()
    if wanted.isdigit() and int(wanted) >= 1:
        return int(wanted)
    return max(1, min(4, os.cpu_count() or 1))


def read_together(*calls):
    """Run each call (a function without arguments) and return their results in order."""
    return side_by_side(lambda call: call(), calls)


def side_by_side(func, items, *, big: bool = True) -> list:
    """func over each item, two or more at once when `big` (small work is not worth a thread):
    the results in order; the first failing item's error, as one after the other would give it."""
    items = list(items)
    if not big or len(items) < 2 or workers() == 1:
        return [func(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(workers(), len(items)), thread_name_prefix="shopbook-read") as pool:
        futures = [pool.submit(func, item) for item in items]
        return [future.result() for future in futures]
