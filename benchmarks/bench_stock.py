"""Benchmark `shopbook stock` on a year of movements for 2,000 stock keys (default ≈ 490,000).

    python benchmarks/bench_stock.py [--orders 220000]

Generates once with xlsxwriter (constant_memory) into benchmarks/out/: 台账 (库存 2,000 rows,
订单 ≈ 1.5 lines per order, 发货 one parcel per order and a few 补发, 退换货) and 仓库 (入库
weekly per key, 库存调整). Then runs the CLI in a child process (its own peak RSS) and prints
seconds, movements/s and peak memory; the bare read of the same sheets (fastexcel, the floor)
and the ratio; and the job in-process, phase by phase (read, compute, write).
Not a test: run it by hand and copy the figures into docs/performance.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import time
from pathlib import Path

from common import OUT, run_cli

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
AS_OF = "2026-12-31 18:00"
COLORS, SIZES = ["黑色", "肤色", "白色", "粉色"], ["M", "L", "XL", "XXL", "S"]
PRODUCTS = [f"SP{n:04d}" for n in range(100)]
KEYS = [(p, c, s) for p in PRODUCTS for c in COLORS for s in SIZES]  # 2,000 stock keys


def make_books(folder: Path, orders: int, seed: int = 15) -> tuple[Path, Path, int]:
    """台账.xlsx and 仓库.xlsx for the year; returns them and the number of movement rows."""
    import xlsxwriter

    rnd = random.Random(seed)
    days = (END - START).days + 1
    ledger, warehouse = folder / "台账.xlsx", folder / "仓库.xlsx"
    wb = xlsxwriter.Workbook(str(ledger), {"constant_memory": True})
    day_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    time_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    stock = wb.add_worksheet("库存")
    stock.write_row(0, 0, ["商品编码", "商品名称", "颜色", "尺码", "库位", "账面数量", "实盘数量", "残次数量", "安全库存",
                           "成本价", "盘点日期"])
    for r, (sku, color, size) in enumerate(KEYS, start=1):
        stock.write_row(r, 0, [sku, "德绒保暖内衣", color, size, f"{'ABCD'[r % 4]}-{r % 40 + 1:02d}-{r % 9 + 1:02d}"])
        stock.write_number(r, 5, 200)
        stock.write_number(r, 6, 200 if r % 30 else 199)
        stock.write_number(r, 7, 0 if r % 11 else 1)
        stock.write_number(r, 8, 20)
        stock.write_number(r, 9, 48)
        stock.write_datetime(r, 10, dt.datetime(2026, 12, 28), day_fmt)
    order_ws = wb.add_worksheet("订单")
    order_ws.write_row(0, 0, ["订单号", "付款时间", "收件人", "手机", "省", "详细地址", "商品编码", "颜色", "尺码", "数量",
                              "实付金额"])
    ship_ws = wb.add_worksheet("发货")
    ship_ws.write_row(0, 0, ["发货日期", "订单号", "快递公司", "快递单号", "类型", "状态"])
    returns = []
    line_row, ship_row, movements = 1, 1, 0
    for i in range(orders):
        no = f"{3800000000000000 + i}"
        day = START + dt.timedelta(days=i * days // orders)
        paid = dt.datetime.combine(day, dt.time(9)) + dt.timedelta(minutes=i % 400)
        n_lines = rnd.choice((1, 1, 2, 2))
        for sku, color, size in rnd.sample(KEYS, n_lines):
            qty = 1 if rnd.random() < 0.85 else 2
            order_ws.write_string(line_row, 0, no)
            order_ws.write_datetime(line_row, 1, paid, time_fmt)
            order_ws.write_row(line_row, 2, ["王芳", "13800000000", "浙江", "文一西路1号", sku, color, size])
            order_ws.write_number(line_row, 9, qty)
            order_ws.write_number(line_row, 10, 129.0 * qty)
            line_row += 1
            movements += 1
            if rnd.random() < 0.08:
                returns.append((no, sku, qty, day))
        kind = "补发" if i % 997 == 0 else "正常"
        for k in ((kind,) if kind == "正常" else ("正常", "补发")):
            ship_ws.write_datetime(ship_row, 0, dt.datetime.combine(day, dt.time()), day_fmt)
            ship_ws.write_row(ship_row, 1, [no, "中通", f"7731{ship_row:010d}", k, "丢件" if k != kind else "正常"])
            ship_row += 1
    ret_ws = wb.add_worksheet("退换货")
    ret_ws.write_row(0, 0, ["登记日期", "订单号", "类型", "原因", "商品编码", "数量", "商品状态", "收货日期", "归位日期"])
    for r, (no, sku, qty, day) in enumerate(returns, start=1):
        back = min(day + dt.timedelta(days=6), END)
        ret_ws.write_datetime(r, 0, dt.datetime.combine(back, dt.time()), day_fmt)
        ret_ws.write_row(r, 1, [no, "退货", "不喜欢", sku])
        ret_ws.write_number(r, 5, qty)
        ret_ws.write_string(r, 6, "完好" if r % 9 else "已穿着")
        ret_ws.write_datetime(r, 7, dt.datetime.combine(back, dt.time()), day_fmt)
        ret_ws.write_datetime(r, 8, dt.datetime.combine(back, dt.time()), day_fmt)
        movements += 1
    wb.close()

    wb = xlsxwriter.Workbook(str(warehouse), {"constant_memory": True})
    day_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    inbound = wb.add_worksheet("入库")
    inbound.write_row(0, 0, ["日期", "入库单号", "采购单号", "供应商", "商品编码", "颜色", "尺码", "应到数量", "实到数量",
                             "合格数量", "不合格数量", "不合格处理", "库位", "检验人", "登记人"])
    r = 1
    for week in range(52):
        day = dt.datetime.combine(START + dt.timedelta(days=7 * week), dt.time())
        for n, (sku, color, size) in enumerate(KEYS):
            bad = 1 if (n + week) % 23 == 0 else 0
            inbound.write_datetime(r, 0, day, day_fmt)
            inbound.write_row(r, 1, [f"RK{day:%Y%m%d}-{n // 200 + 1:02d}", f"CG{day:%Y%m%d}", "佳丽内衣", sku, color, size])
            inbound.write_row(r, 7, [4, 4, 4 - bad, bad])
            inbound.write_row(r, 11, ["残次" if bad else "", "", "阿强", "老周"])
            r += 1
            movements += 1 + bad
    adjustments = wb.add_worksheet("库存调整")
    adjustments.write_row(0, 0, ["日期", "调整单号", "商品编码", "颜色", "尺码", "数量", "原因", "经办人", "批准人"])
    for a in range(1, 20_001):
        sku, color, size = KEYS[a % len(KEYS)]
        day = dt.datetime.combine(START + dt.timedelta(days=a % 365), dt.time())
        adjustments.write_datetime(a, 0, day, day_fmt)
        adjustments.write_row(a, 1, [f"TZ{a:06d}", sku, color, size])
        adjustments.write_number(a, 5, -1 if a % 3 else 1)
        adjustments.write_row(a, 6, ["报损" if a % 3 else "盘点调整", "老周", "王经理" if a % 500 else ""])
        movements += 1
    wb.close()
    return ledger, warehouse, movements


def bare_read(paths: list[Path]) -> float:
    """The floor: every sheet of the inputs read with fastexcel as text, no checks (seconds)."""
    import fastexcel

    t = time.perf_counter()
    for path in paths:
        reader = fastexcel.read_excel(str(path))
        for name in reader.sheet_names:
            reader.load_sheet_by_name(name, dtypes="string").to_arrow()
    return time.perf_counter() - t


def phases(paths: list[Path], target: Path) -> dict[str, float]:
    from shopbook.rules import DEFAULT_RULES
    from shopbook.stockbook import job
    from shopbook.stockbook.lists import listings
    from shopbook.stockbook.run import read_inputs
    from shopbook.stockbook.xlsx import write_workbook

    as_of = dt.datetime.fromisoformat(AS_OF)
    times = {}
    t = time.perf_counter()
    inputs = read_inputs(paths, None, DEFAULT_RULES, as_of)
    times["read the registers"] = time.perf_counter() - t
    t = time.perf_counter()
    result, findings = job.compute(inputs.tables, DEFAULT_RULES, as_of, START, END)
    times["compute (movements, balances, checks)"] = time.perf_counter() - t
    t = time.perf_counter()
    write_workbook(target, listings(result, findings), inputs.sources)
    times["write workbook"] = time.perf_counter() - t
    times["_movements"] = int((result.movements["kind"] != job.OPENING).sum())
    times["_findings"] = len(findings)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=220_000)
    args = parser.parse_args()
    folder = OUT / f"stock-{args.orders}"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "台账.xlsx", folder / "仓库.xlsx"]
    if not all(p.exists() for p in paths):
        t = time.perf_counter()
        _, _, rows = make_books(folder, args.orders)
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(f"generated {folder.name}: ≈{rows:,} movement rows in {time.perf_counter() - t:.1f} s ({size:.1f} MB)")
    target = folder / "库存结果.xlsx"
    target.unlink(missing_ok=True)
    seconds, peak, code, out = run_cli(["stock", *map(str, paths), "--from", START.isoformat(), "--to",
                                        END.isoformat(), "--as-of", AS_OF, "-o", str(target)])
    print(out.splitlines()[0] if out else "(no output)")
    floor = bare_read(paths)
    print(f"shopbook stock -o: {seconds:.2f} s, peak {peak:,.0f} MiB, exit {code}, "
          f"output {target.stat().st_size / 1e6:.1f} MB")
    print(f"bare read, fastexcel -> Arrow (all text): {floor:.2f} s; ratio {seconds / floor:.1f}x")
    from common import LAST, result_line
    result_line("stock -o", f"a year for 2,000 keys ({args.orders:,} orders)", seconds, floor, peak, LAST.get("cpu"))
    target.unlink(missing_ok=True)
    for name, value in phases(paths, target).items():
        print(f"{name[1:]}: {value:,}" if name.startswith("_") else f"{name}: {value:.2f} s")
    print(f"in-process peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
