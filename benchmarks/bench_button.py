"""Benchmark the Excel buttons on an ordinary month: from the press to the marked sheet.

    python benchmarks/bench_button.py [--orders 5000]

The buttons run on xlwings' remote Book built the way Excel's client sends a workbook
(tests/excel_payload.py: the real xlwings API, no Excel needed), so what is timed is the
button's own work — read the book's values, validate (or pick), write the marks and the 问题
sheet (or the pick lists) back as xlwings actions — minus Excel's transfer of the values and its
applying of the actions, which this machine has no Excel to measure. 校验 on N orders (two lines
each) and 生成拣货单 on N orders (1–3 lines each, with 库存 and 发货 in the book).
"""
from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
from pathlib import Path

from common import OUT, load, result_line

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
AS_OF = dt.datetime(2026, 10, 31, 18, 0)


def press(button, path: Path) -> tuple[float, float, str]:
    """(seconds, CPU seconds, message) of one press on a fresh remote book of `path`."""
    from excel_payload import remote_book

    book = remote_book(path)
    book.impl.api["book"]["name"] = str(path)
    t, c = time.perf_counter(), time.process_time()
    message = button(book, as_of=AS_OF)
    book.json()  # the actions that go back to Excel
    return time.perf_counter() - t, time.process_time() - c, message


def main() -> None:
    import bench_picklist
    import bench_validate
    from shopbook.excel import buttons

    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=5_000)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    month = OUT / f"button-validate-{args.orders}.xlsx"
    if not month.exists():
        bench_validate.make_workbook(month, 2 * args.orders)
    picks = OUT / f"button-picklist-{args.orders}" / "订单.xlsx"
    if not picks.exists():
        picks.parent.mkdir(exist_ok=True)
        bench_picklist.make_workbook(picks, args.orders)
    for name, button, path in (("校验 button (validate_book)", buttons.validate_book, month),
                               ("生成拣货单 button (picklist_book)", buttons.picklist_book, picks)):
        press(button, path)  # warm: imports, first-use caches (Excel keeps its Python process too)
        seconds, cpu, message = min(press(button, path) for _ in range(2))
        print(f"{name}, {args.orders:,} orders: {seconds:.2f} s (CPU {cpu:.2f} s), load {load():.1f}")
        print(f"  {message[:120]}")
        result_line(name, f"{args.orders:,} orders (remote Book double, no Excel transfer)", seconds, None,
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, cpu, target_seconds=2.0)


if __name__ == "__main__":
    main()
