"""Benchmark `shopbook month` on a busy month: a folder with the ledger (N order lines, its shipping
register and returns), the stock sheet, the courier bill of every parcel, the 客服 workbook (reviews,
complaints, handovers, contact log), the demo's payroll and rules workbooks.

    python benchmarks/bench_month.py [--rows 200000] [--reviews 5000] [--profile]

Generates the folder once (cached in benchmarks/out/month-N/), times the bare fastexcel read of
every sheet of every input just before and just after the job (the floor is the better of the two),
runs the real CLI in a child process (so its peak RSS is its own) and prints seconds, peak memory,
the load and the ratio to the bare read. --profile also runs the job in-process under cProfile and
prints the top lines. Not a test: run it by hand and copy the figures into docs/performance.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import time
from pathlib import Path

from bench_today import make_ledger, make_service
from common import LAST, OUT, result_line, run_cli

MONTH, AS_OF = "2026-10", "2026-10-31 23:59"
DEMO = Path(__file__).resolve().parent.parent / "shopbook" / "data" / "demo"
STOCK_HEAD = ["商品编码", "颜色", "尺码", "库位", "账面数量", "实盘数量", "残次数量", "安全库存", "成本价", "盘点日期"]
BILL_HEAD = ["序号", "运单号", "寄件日期", "目的省份", "计费重量(kg)", "运费(元)", "快递公司"]


def make_stock(path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("库存")
    ws.write_row(0, 0, STOCK_HEAD)
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    r = 1
    for n in range(2000):
        for color in "黑白肤":
            for size in ("S", "M", "L"):
                ws.write_row(r, 0, [f"SKU{n:05d}", color, size, f"A-{r % 40 + 1:02d}", 40, 40 if r % 7 else 3, 0, 5, 21.5])
                ws.write_datetime(r, 9, dt.datetime(2026, 10, 28), day)
                r += 1
    wb.close()


def make_bill(path: Path, ledger: Path) -> None:
    """The 中通 bill of every parcel of the ledger's 发货 sheet, at the rules' price for 0.3 kg to
    浙江, with a few lines overweight, mispriced or never shipped."""
    import fastexcel
    import xlsxwriter

    register = fastexcel.read_excel(str(ledger)).load_sheet("发货", dtypes="string").to_pandas()
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws = wb.add_worksheet("账单明细")
    ws.write_row(0, 0, ["2026年10月 月结账单(客户编码 ZJ-YW-0571)"])
    ws.write_row(1, 0, BILL_HEAD)
    total = 0
    for i, (sent, waybill) in enumerate(zip(register["发货日期"], register["快递单号"])):
        fen, kg = 500, 0.3
        if i % 97 == 0:
            kg, fen = 1.3, 600
        elif i % 89 == 0:
            fen = 550
        elif i % 503 == 0:
            waybill = f"79{i:012d}"
        ws.write_number(i + 2, 0, i + 1)
        ws.write_string(i + 2, 1, waybill)
        ws.write_datetime(i + 2, 2, dt.datetime.fromisoformat(sent[:19]), stamp)
        ws.write_row(i + 2, 3, ["浙江", kg, fen / 100, "中通快递"])
        total += fen
    ws.write_row(len(register) + 2, 0, ["合计", "", "", "", "", total / 100])
    wb.close()


def make_folder(folder: Path, rows: int, reviews: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    ledger, service = folder / "台账.xlsx", folder / "客服.xlsx"
    signed = make_ledger(ledger, rows)
    make_service(service, signed, reviews)
    make_stock(folder / "库存.xlsx")
    make_bill(folder / "快递账单-中通.xlsx", ledger)
    for name in ("工资.xlsx", "规则.xlsx"):
        shutil.copy(DEMO / name, folder / name)
    return inputs(folder)


def inputs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("月报-"))


def bare_read(paths: list[Path]) -> float:
    """Seconds fastexcel needs to read every sheet of the files into Arrow, back to back."""
    import fastexcel

    t = time.perf_counter()
    for path in paths:
        reader = fastexcel.read_excel(str(path))
        for name in reader.sheet_names:
            reader.load_sheet(name, header_row=None).to_arrow()
    return time.perf_counter() - t


def profile(folder: Path, top: int = 25) -> None:
    """The job in-process under cProfile: the top lines by own time and by cumulative time."""
    import cProfile
    import pstats
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from shopbook.monthly.run import run_month

    month = dt.date(2026, 10, 1)
    as_of = dt.datetime.fromisoformat(AS_OF)
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    run_month(folder, month, None, as_of, output=OUT / "月报-profile.xlsx")
    prof.disable()
    print(f"in-process under cProfile: {time.perf_counter() - t:.2f} s")
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--reviews", type=int, default=5_000)
    parser.add_argument("--profile", action="store_true", help="also profile the job in-process (cProfile)")
    args = parser.parse_args()
    folder = OUT / f"month-{args.rows}-{args.reviews}"
    if not (folder / "规则.xlsx").exists():
        t = time.perf_counter()
        make_folder(folder, args.rows, args.reviews)
        print(f"generated {folder.name} in {time.perf_counter() - t:.1f} s")
    paths = inputs(folder)
    size = sum(p.stat().st_size for p in paths) / 1e6
    load_before = os.getloadavg()[0]
    before = bare_read(paths)
    target = OUT / f"月报-{args.rows}.xlsx"
    seconds, peak, code, _ = run_cli(["month", "--month", MONTH, "--in", str(folder), "--as-of", AS_OF,
                                      "-o", str(target), "--json"])
    after = bare_read(paths)
    load_after = os.getloadavg()[0]
    floor = min(before, after)
    print(f"input: {args.rows:,} order lines with register and returns, stock, bill, {args.reviews:,} reviews, "
          f"payroll, rules ({len(paths)} workbooks, {size:.1f} MB)")
    print(f"load average {load_before:.1f} before, {load_after:.1f} after ({os.cpu_count()} cores)")
    print(f"bare fastexcel read of every input: {before:.2f} s before, {after:.2f} s after the job")
    print(f"shopbook month -o --json: {seconds:.2f} s, peak {peak:,.0f} MiB, exit {code}")
    result_line("month -o --json", f"{args.rows:,} order lines + register, bill, returns, stock, 客服, payroll, rules "
                f"({len(paths)} workbooks, {size:.0f} MB)", seconds, floor, peak, LAST.get("cpu"))
    if args.profile:
        profile(folder)


if __name__ == "__main__":
    main()
