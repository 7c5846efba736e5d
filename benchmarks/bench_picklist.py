"""Benchmark `shopbook picklist` on N orders (default 100,000) with their stock and shipping register.

    python benchmarks/bench_picklist.py [--orders 100000] [--rerun]

Generates the inputs once with xlsxwriter (constant_memory) into benchmarks/out/, then runs the
CLI in a child process (so its peak RSS is its own) and prints seconds, orders/s and peak memory;
then the bare read of the same sheets (fastexcel, python-calamine: the floor), and the same job
in-process, phase by phase (read, checks + allocation, write). --rerun also
times a second run on the same output (reads the 拣货批次 record, picks nothing new).
Not a test: run it by hand and copy the figures into docs/picklist.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import time
from pathlib import Path

from common import LAST, OUT, fastexcel_floor, result_line, run_cli

AS_OF = "2026-10-31 18:00"
HEADER = ["订单号", "下单时间", "付款时间", "买家", "收件人", "手机", "省", "市", "区", "详细地址", "商品编码",
          "商品名称", "颜色", "尺码", "数量", "单价", "实付金额", "付款方式", "快递公司", "旗帜", "备注", "客服", "状态"]
PROVINCES = ["广东省", "浙江省", "江苏省", "上海市", "北京市", "四川省", "湖北省", "山东", "河南", "新疆"]
COLORS, SIZES = ["黑", "白", "肤"], ["S", "M", "L", "XL"]
SKUS = [f"SKU{n:05d}" for n in range(2000)]


def make_workbook(path: Path, orders: int, seed: int = 11) -> int:
    """订单 (1–3 lines per order, some gifts, flags, COD, unpaid, shipped), 库存 and 发货; returns the line count."""
    import xlsxwriter

    rnd = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws = wb.add_worksheet("订单")
    ws.write_row(0, 0, HEADER)
    start = dt.datetime(2026, 10, 1)
    shipped = []
    r = 1
    for i in range(orders):
        order = f"{3800000000000000 + i}"
        placed = start + dt.timedelta(seconds=i * 25)
        cod = rnd.random() < 0.01
        paid = None if rnd.random() < 0.03 or cod else placed + dt.timedelta(minutes=rnd.randrange(1, 30))
        status = "待发货" if paid or cod else "待付款"
        if paid and rnd.random() < 0.2:
            shipped.append(order)
        flag, remark = "无", ""
        roll = rnd.random()
        if roll < 0.03:
            flag, remark = "红", "小王:要发顺丰,送运费险"
        elif roll < 0.04:
            flag, remark = "绿", "10/5 快递截单 小李"
        phone = f"1{rnd.choice('3456789')}{rnd.randrange(10**9):09d}"
        if rnd.random() < 0.002:
            phone = phone[:-1]  # a digit short: held
        lines = rnd.choice([1, 1, 1, 2, 2, 3])
        for n in range(lines):
            gift = n == lines - 1 and lines > 1 and rnd.random() < 0.3
            ws.write_string(r, 0, order)
            ws.write_datetime(r, 1, placed, stamp)
            if paid:
                ws.write_datetime(r, 2, paid, stamp)
            ws.write_string(r, 3, f"tb{rnd.randrange(90000)}")
            ws.write_string(r, 4, rnd.choice(["张三", "李四", "王芳", "刘洋"]))
            ws.write_string(r, 5, phone)
            ws.write_string(r, 6, rnd.choice(PROVINCES))
            ws.write_string(r, 7, "某市")
            ws.write_string(r, 8, "某区")
            ws.write_string(r, 9, f"某街道{rnd.randrange(999)}号{rnd.randrange(30)}栋")
            ws.write_string(r, 10, rnd.choice(SKUS))
            ws.write_string(r, 11, "赠品 收纳袋" if gift else "蕾丝文胸")
            ws.write_string(r, 12, rnd.choice(COLORS))
            ws.write_string(r, 13, rnd.choice(SIZES))
            qty = 1 if gift else rnd.choice([1, 1, 1, 2, 3])
            price = 0 if gift else 59.9
            ws.write_number(r, 14, qty)
            ws.write_number(r, 15, price)
            ws.write_number(r, 16, round(price * qty, 2))
            ws.write_string(r, 17, "货到付款" if cod else "在线支付")
            ws.write_string(r, 18, rnd.choice(["中通", "顺丰", "圆通"]))
            ws.write_string(r, 19, flag)
            ws.write_string(r, 20, remark)
            ws.write_string(r, 21, rnd.choice(["小王", "小李", "小张"]))
            ws.write_string(r, 22, status)
            r += 1
    stock = wb.add_worksheet("库存")
    stock.write_row(0, 0, ["商品编码", "商品名称", "颜色", "尺码", "库位", "账面数量", "实盘数量", "残次数量"])
    s = 1
    for sku in SKUS:
        for color in COLORS:
            for size in SIZES:
                stock.write_row(s, 0, [sku, "蕾丝文胸", color, size,
                                       f"{'ABCD'[s % 4]}-{s % 40 + 1:02d}-{s % 5 + 1:02d}"])
                stock.write_number(s, 5, 30)
                stock.write_number(s, 6, 30 if s % 50 else 28)
                stock.write_number(s, 7, 0 if s % 7 else 1)
                s += 1
    register = wb.add_worksheet("发货")
    register.write_row(0, 0, ["发货日期", "订单号", "快递公司", "快递单号", "重量", "包装人"])
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    for n, order in enumerate(shipped, start=1):
        register.write_datetime(n, 0, dt.datetime(2026, 10, 30), day)
        register.write_string(n, 1, order)
        register.write_string(n, 2, "中通")
        register.write_string(n, 3, f"7731{n:010d}")
        register.write_number(n, 4, 0.4)
        register.write_string(n, 5, "老刘")
    wb.close()
    return r - 1


def bare_reads(path: Path) -> dict[str, float]:
    """The floor: 订单, 库存 and 发货 read with no checks at all (seconds)."""
    import fastexcel
    from python_calamine import CalamineWorkbook

    times = {}
    t = time.perf_counter()
    reader = fastexcel.read_excel(str(path))
    for name in ("订单", "库存", "发货"):
        reader.load_sheet_by_name(name, dtypes="string").to_arrow()
    times["bare read, fastexcel -> Arrow (all text)"] = time.perf_counter() - t
    t = time.perf_counter()
    book = CalamineWorkbook.from_path(str(path))
    for name in ("订单", "库存", "发货"):
        book.get_sheet_by_name(name).to_python()
    times["bare read, python-calamine rows"] = time.perf_counter() - t
    return times


def phases(path: Path, target: Path) -> dict[str, float]:
    """The job in-process, phase by phase (seconds)."""
    from shopbook.picking import job as picking
    from shopbook.sheets.stock import order_stock_key
    from shopbook.picking.run import read_inputs
    from shopbook.picking.xlsx import write_picklist
    from shopbook.rules import DEFAULT_RULES

    as_of = dt.datetime.fromisoformat(AS_OF)
    times = {}
    t = time.perf_counter()
    orders, stock, shipping = read_inputs(path, None, None, None, DEFAULT_RULES, as_of)
    times["read 订单/库存/发货"] = time.perf_counter() - t
    t = time.perf_counter()
    key = order_stock_key(orders.data, stock.data)
    picking.picking_problems(orders, stock, key, DEFAULT_RULES, as_of)
    times["  of which: orders checks (held)"] = time.perf_counter() - t
    t = time.perf_counter()
    result = picking.pick(orders, stock, shipping, None, DEFAULT_RULES, as_of, "JH20261031-01")
    times["pick (checks + allocation)"] = time.perf_counter() - t
    t = time.perf_counter()
    write_picklist(target, result, result.lines, picking.batch_states(result.lines, set()))
    times["write workbook"] = time.perf_counter() - t
    times["_picked orders"] = result.order_count
    times["_short orders"] = result.shortages["订单号"].nunique()
    times["_held orders"] = result.held["订单号"].nunique()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--rerun", action="store_true", help="also time a second run on the same output")
    parser.add_argument("--no-phases", action="store_true", help="skip the in-process phase timings")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / f"picklist-{args.orders}.xlsx"
    if not path.exists():
        t = time.perf_counter()
        lines = make_workbook(path, args.orders)
        print(f"generated {path.name}: {lines:,} order lines in {time.perf_counter() - t:.1f} s "
              f"({path.stat().st_size / 1e6:.1f} MB)")
    target = OUT / f"拣货单-{args.orders}.xlsx"
    target.unlink(missing_ok=True)
    seconds, peak, code, _ = run_cli(["picklist", str(path), "-o", str(target), "--as-of", AS_OF])
    cpu = LAST["cpu"]
    floor, floor_cpu = fastexcel_floor([path], ("订单", "库存", "发货"), dtypes="string")
    print(f"orders: {args.orders:,}")
    print(f"shopbook picklist -o: {seconds:.2f} s (CPU {cpu:.2f} s), {args.orders / seconds:,.0f} orders/s, "
          f"peak {peak:,.0f} MiB, exit {code}, output {target.stat().st_size / 1e6:.1f} MB")
    result_line("picklist -o", f"{args.orders:,} orders + stock + register", seconds, floor, peak, cpu, floor_cpu)
    if args.rerun:
        seconds, peak, code, _ = run_cli(["picklist", str(path), "-o", str(target), "--as-of", AS_OF])
        print(f"second run on the same output (nothing new): {seconds:.2f} s, peak {peak:,.0f} MiB, exit {code}")
    target.unlink(missing_ok=True)
    if args.no_phases:
        return
    for name, value in bare_reads(path).items():
        print(f"{name}: {value:.2f} s")
    for name, value in phases(path, target).items():
        if name.startswith("_"):
            print(f"{name[1:]}: {value:,}")
        else:
            print(f"{name}: {value:.2f} s")
    print(f"in-process peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
