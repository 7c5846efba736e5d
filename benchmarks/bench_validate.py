"""Benchmark `shopbook validate` on a busy month: an order sheet of N lines plus its stock sheet.

    python benchmarks/bench_validate.py [--rows 200000] [--output]

Prints seconds, rows/s and peak memory of the CLI run (a child process, so its peak RSS is its
own), and the time the fast readers need just to read the same file. Inputs are cached in
benchmarks/out/. Not a test: run it by hand and copy the figures into docs/performance.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from pathlib import Path

from common import OUT, run_cli

HEADER = ["订单号", "下单时间", "付款时间", "买家", "收件人", "手机", "省", "市", "区", "详细地址", "商品编码",
          "商品名称", "颜色", "尺码", "数量", "单价", "实付金额", "付款方式", "快递公司", "旗帜", "备注", "客服", "状态"]
PROVINCES = ["广东省", "浙江省", "江苏省", "上海市", "北京市", "四川省", "湖北省", "山东", "河南", "新疆"]
COLORS, SIZES = ["黑", "白", "肤"], ["S", "M", "L", "XL"]


def make_workbook(path: Path, rows: int, seed: int = 7) -> None:
    import xlsxwriter

    rnd = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws = wb.add_worksheet("订单")
    ws.write_row(0, 0, ["XX旗舰店 订单明细"])
    ws.write_row(1, 0, HEADER)
    start = dt.datetime(2026, 10, 1)
    skus = [f"SKU{n:05d}" for n in range(2000)]
    for i in range(rows):
        r = i + 2
        order = 3800000000000000 + i // 2
        placed = start + dt.timedelta(seconds=i * 13)
        ws.write_string(r, 0, str(order))
        ws.write_datetime(r, 1, placed, stamp)
        if rnd.random() < 0.97:
            ws.write_datetime(r, 2, placed + dt.timedelta(minutes=3), stamp)
        ws.write_string(r, 3, f"tb{rnd.randrange(90000)}")
        ws.write_string(r, 4, rnd.choice(["张三", "李四", "王芳", "刘洋"]))
        phone = f"1{rnd.choice('3456789')}{rnd.randrange(10**9):09d}"
        if rnd.random() < 0.01:
            phone = phone[:-1]  # a digit short
        ws.write_string(r, 5, phone)
        ws.write_string(r, 6, rnd.choice(PROVINCES))
        ws.write_string(r, 7, "某市")
        ws.write_string(r, 8, "某区")
        ws.write_string(r, 9, f"某街道{rnd.randrange(999)}号{rnd.randrange(30)}栋")
        ws.write_string(r, 10, rnd.choice(skus))
        ws.write_string(r, 11, "蕾丝文胸")
        ws.write_string(r, 12, rnd.choice(COLORS))
        ws.write_string(r, 13, rnd.choice(SIZES))
        qty = rnd.choice([1, 1, 1, 2, 3])
        ws.write_number(r, 14, qty)
        ws.write_number(r, 15, 59.9)
        ws.write_number(r, 16, round(59.9 * qty, 2) if rnd.random() < 0.99 else 10)
        ws.write_string(r, 17, "货到付款" if rnd.random() < 0.01 else "在线支付")
        ws.write_string(r, 18, rnd.choice(["中通", "顺丰", "圆通"]))
        ws.write_string(r, 19, "无" if rnd.random() < 0.95 else "红")
        ws.write_string(r, 20, "" if rnd.random() < 0.95 else "小王:要发顺丰")
        ws.write_string(r, 21, rnd.choice(["小王", "小李", "小张"]))
        ws.write_string(r, 22, "待发货")
    ws.write_row(rows + 2, 0, ["合计"])
    stock = wb.add_worksheet("库存")
    stock.write_row(0, 0, ["商品编码", "颜色", "尺码", "库位", "账面数量", "实盘数量", "残次数量", "安全库存", "成本价", "盘点日期"])
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    r = 1
    for sku in skus:
        for color in COLORS:
            for size in SIZES:
                stock.write_row(r, 0, [sku, color, size, f"{'ABCD'[r % 4]}-{r % 40 + 1:02d}-{r % 5 + 1:02d}"])
                stock.write_number(r, 4, 40)
                stock.write_number(r, 5, 40 if r % 50 else 38)
                stock.write_number(r, 6, 0)
                stock.write_number(r, 7, 5)
                stock.write_number(r, 8, 21.5)
                stock.write_datetime(r, 9, dt.datetime(2026, 10, 28), day)
                r += 1
    wb.close()


def bare_reads(path: Path) -> dict[str, float]:
    import fastexcel
    import python_calamine

    times = {}
    t = time.perf_counter()
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    times["python-calamine"] = time.perf_counter() - t
    t = time.perf_counter()
    reader = fastexcel.read_excel(str(path))
    for name in reader.sheet_names:
        reader.load_sheet(name, header_row=None).to_arrow()
    times["fastexcel"] = time.perf_counter() - t
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--output", action="store_true", help="also time -o (a marked copy, via openpyxl)")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / f"orders-{args.rows}.xlsx"
    if not path.exists():
        t = time.perf_counter()
        make_workbook(path, args.rows)
        print(f"generated {path.name} in {time.perf_counter() - t:.1f} s ({path.stat().st_size / 1e6:.1f} MB)")
    reads = bare_reads(path)
    seconds, peak, code, _ = run_cli(["validate", str(path), "--json", "--as-of", "2026-10-31 18:00"])
    print(f"rows: {args.rows:,} order lines + stock")
    for name, t in reads.items():
        print(f"bare read, {name}: {t:.2f} s")
    print(f"shopbook validate --json: {seconds:.2f} s, {args.rows / seconds:,.0f} rows/s, "
          f"peak {peak:,.0f} MiB, exit {code}")
    for name, t in reads.items():
        print(f"  ratio to {name}: {seconds / t:.2f}x")
    if args.output:
        target = OUT / "marked.xlsx"
        seconds, peak, code, _ = run_cli(["validate", str(path), "-o", str(target), "--as-of", "2026-10-31 18:00"])
        print(f"shopbook validate -o: {seconds:.2f} s, peak {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
