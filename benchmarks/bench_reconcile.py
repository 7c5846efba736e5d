"""Benchmark `shopbook reconcile`: a courier bill of N lines against a shipping register of N parcels.

    python benchmarks/bench_reconcile.py [--rows 1000000] [--full] [--stages] [--format sf]

Generates both inputs once (xlsxwriter constant_memory; cached in benchmarks/out/), times the
bare fastexcel read of both files, then the end-to-end job as the CLI runs it (a child process:
read both, reconcile, write the result workbook) and prints seconds, rows/s, peak memory
(ru_maxrss of the child) and the ratio to the bare read. --stages also runs the job in-process
and prints the time of each stage. --format writes the bill in one courier's own layout
(shopbook/data/profiles/bill-*.toml: 顺丰/中通/圆通/韵达/申通/极兔, text cells as their exports have
them) with a register of that courier's parcels. Not a test: run it by hand, copy the figures to docs/reconcile.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
from pathlib import Path

from common import LAST, OUT, result_line, run_cli

AS_OF = "2026-11-05 09:00"
COURIERS = [("中通", "中通快递", 0.40), ("圆通", "圆通速递", 0.25), ("韵达", "韵达快递", 0.15),
            ("极兔", "极兔速递", 0.10), ("顺丰", "顺丰速运", 0.10)]
PROVINCES = ["浙江省", "江苏省", "上海市", "广东省", "北京市", "山东省", "河南省", "四川省", "湖北省", "湖南省",
             "福建省", "安徽省", "河北省", "陕西省", "辽宁省", "云南省", "广西壮族自治区", "甘肃省",
             "新疆维吾尔自治区", "西藏自治区"]
BILL_HEADER = ["序号", "运单号", "寄件日期", "目的省份", "计费重量(kg)", "运费(元)", "快递公司"]
REGISTER_HEADER = ["发货日期", "订单号", "快递公司", "快递单号", "重量(kg)", "件数", "收件人", "手机", "省",
                   "包装人", "运费", "状态"]


# a courier's own bill layout: (courier, file name, sheet, title row or None, header, row of
# (waybill, time text, province, kg text, fee text)); see shopbook/data/profiles/bill-*.toml
LAYOUTS = {
    "sf": ("顺丰", "顺丰账单-202610", "Sheet0", None,
           ["运单号码", "寄件时间", "原寄地", "目的地", "产品类型", "计费重量", "实际重量", "运费", "增值费用", "折扣",
            "应付金额", "付款方式"],
           lambda w, d, p, kg, fee: [w, d, "浙江省", p, "顺丰标快", kg, kg, fee, "", "1", fee, "月结"]),
    "zto": ("中通", "中通账单", "Sheet1", None, ["扫描时间", "运单号", "目的地", "目的地市", "结算重量", "费用"],
            lambda w, d, p, kg, fee: [d, w, p, "杭州市", kg, fee]),
    "yto": ("圆通", "圆通月结账单", "账单", None,
            ["运单号", "扫描时间", "计费重量", "总金额", "预付", "应付", "计费省份", "目的地", "快递公司", "物料类型"],
            lambda w, d, p, kg, fee: [w, d, kg, fee, "0.00", fee, p, "杭州", "义乌网点", "电子面单"]),
    "yunda": ("韵达", "韵达账单-2026年10月", "Sheet1", "合计{total}元", ["单号", "揽收时间", "目的省份", "结算重量", "结算费用"],
              lambda w, d, p, kg, fee: [w, d, p, kg, fee]),
    "sto": ("申通", "申通账单", "Sheet1", None, ["业务时间", "运单号", "订单目的省份", "订单目的城市", "结算重量", "费用"],
            lambda w, d, p, kg, fee: [d, w, p, "杭州市", kg, fee]),
    "jt": ("极兔", "极兔账单", "Sheet1", None, ["运单号", "寄件日期", "目的省份", "计费重量", "金额"],
           lambda w, d, p, kg, fee: [w, d, p, kg, fee]),
}


def waybill(courier: str, i: int) -> str:
    if courier == "顺丰":
        return f"SF{1400000000000 + i}"
    if courier == "圆通":
        return f"YT{7500000000000 + i}"
    if courier == "极兔":
        return f"JT{5000000000000 + i}"
    prefix = {"中通": 7730, "韵达": 4320, "申通": 7720}[courier]
    return f"{prefix}{i:011d}"


def make_inputs(bill_path: Path, register_path: Path, rows: int, seed: int = 11, layout: str | None = None) -> None:
    """A register of `rows` parcels and a bill of `rows` lines: ~96% exact, the rest spread
    over every category (overweight, fee-mismatch both ways, not-shipped, duplicate, claim,
    undelivered) and a few parcels left unbilled. `layout`: a LAYOUTS key (one courier's bill)."""
    import numpy as np
    import xlsxwriter

    from shopbook.rules import DEFAULT_RULES
    from shopbook.rules.prices import _resolve_prices, fee_for_weight, parse_price_table

    rnd = random.Random(seed)
    prices, _ = parse_price_table(None, DEFAULT_RULES)
    start = dt.datetime(2026, 10, 1, 9, 0)
    picks = [c for c, _, w in COURIERS for _ in range(int(w * 100))] if layout is None else [LAYOUTS[layout][0]] * 100
    courier = [picks[rnd.randrange(100)] for _ in range(rows)]
    province = [PROVINCES[min(int(rnd.expovariate(0.25)), len(PROVINCES) - 1)] for _ in range(rows)]
    grams = [rnd.randrange(150, 4000, 10) if rnd.random() < 0.9 else rnd.randrange(4000, 15000, 50) for _ in range(rows)]
    billed_g = [-(-g // 100) * 100 for g in grams]  # the courier rounds up to 0.1 kg
    day = [start + dt.timedelta(seconds=i * (30 * 86400 // max(rows, 1))) for i in range(rows)]
    price = _resolve_prices(prices, np.array(courier, dtype=object), np.array(province, dtype=object),
                            np.array(day, dtype="datetime64[ns]"))
    fee = fee_for_weight(np.array(billed_g), price["first_g"], price["first_fen"], price["step_g"], price["step_fen"])
    waybills = [waybill(c, i) for i, c in enumerate(courier)]
    state = ["正常"] * rows

    reg = xlsxwriter.Workbook(str(register_path), {"constant_memory": True})
    date_fmt = reg.add_format({"num_format": "yyyy-mm-dd"})
    ws = reg.add_worksheet("发货")
    ws.write_row(0, 0, REGISTER_HEADER)
    for i in range(rows):
        r = i + 1
        roll = rnd.random()
        if roll < 0.001:
            state[i] = "丢件"
        elif roll < 0.0015:
            state[i] = "破损"
        elif roll < 0.003:
            state[i] = "无法送达"
        ws.write_datetime(r, 0, day[i], date_fmt)
        ws.write_string(r, 1, f"{3900000000000000 + i}")
        ws.write_string(r, 2, courier[i])
        if waybills[i][0].isdigit() and rnd.random() < 0.01:
            ws.write_number(r, 3, int(waybills[i]))  # a waybill stored as a number (15 digits, intact)
        else:
            ws.write_string(r, 3, waybills[i])
        ws.write_number(r, 4, grams[i] / 1000)
        ws.write_number(r, 5, 1)
        ws.write_string(r, 6, rnd.choice(["张伟", "王芳", "李娜", "刘洋", "陈静"]))
        ws.write_string(r, 7, f"1{rnd.choice('3578')}{rnd.randrange(10**9):09d}")
        ws.write_string(r, 8, province[i])
        ws.write_string(r, 9, rnd.choice(["小王", "小李", "小张"]))
        ws.write_number(r, 10, int(fee[i]) / 100)
        ws.write_string(r, 11, state[i])
    reg.close()

    if layout is not None:
        _layout_bill(bill_path, layout, rnd, rows, waybills, courier, billed_g, fee, price, day, province)
        return
    book = xlsxwriter.Workbook(str(bill_path), {"constant_memory": True})
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    money = book.add_format({"num_format": "0.00"})
    ws = book.add_worksheet("账单明细")
    ws.write_row(0, 0, ["2026年10月 月结账单(客户编码 ZJ-YW-0571)"])
    ws.write_row(1, 0, BILL_HEADER)
    names = {c: alias for c, alias, _ in COURIERS}
    total = 0
    r = 2
    for i in range(rows):
        roll = rnd.random()
        wb_text, g, f = waybills[i], billed_g[i], int(fee[i])
        if roll < 0.003:
            wb_text = waybill(courier[i], 90_000_000 + i)  # never shipped
        elif roll < 0.005 and i > 0:
            wb_text = waybills[i - 1]  # billed twice (parcel i is then left unbilled)
        elif roll < 0.015:
            g += rnd.choice([500, 1000, 2000])  # overweight
            f = int(fee_for_weight(g, price["first_g"][i], price["first_fen"][i], price["step_g"][i],
                                   price["step_fen"][i]))
        elif roll < 0.02:
            f += rnd.choice([100, 50, -50])  # fee mismatch, both ways
        ws.write_number(r, 0, i + 1)
        ws.write_string(r, 1, wb_text)
        ws.write_datetime(r, 2, day[i], date_fmt)
        ws.write_string(r, 3, province[i][:2] if rnd.random() < 0.5 else province[i])
        ws.write_number(r, 4, g / 1000)
        ws.write_number(r, 5, f / 100, money)
        ws.write_string(r, 6, names[courier[i]])
        total += f
        r += 1
    ws.write_row(r, 0, ["合计", "", "", "", "", total / 100])
    book.close()


def _layout_bill(path: Path, layout: str, rnd, rows, waybills, courier, billed_g, fee, price, day, province) -> None:
    """The bill in a courier's own layout, every cell text (as their exports are), the same
    categories spread as make_inputs spreads them."""
    import xlsxwriter

    from shopbook.rules.prices import fee_for_weight

    _, _, sheet, title, header, row_of = LAYOUTS[layout]
    lines, total = [], 0
    for i in range(rows):
        roll = rnd.random()
        wb_text, g, f = waybills[i], billed_g[i], int(fee[i])
        if roll < 0.003:
            wb_text = waybill(courier[i], 90_000_000 + i)
        elif roll < 0.005 and i > 0:
            wb_text = waybills[i - 1]
        elif roll < 0.015:
            g += rnd.choice([500, 1000, 2000])
            f = int(fee_for_weight(g, price["first_g"][i], price["first_fen"][i], price["step_g"][i], price["step_fen"][i]))
        elif roll < 0.02:
            f += rnd.choice([100, 50, -50])
        total += f
        lines.append(row_of(wb_text, f"{day[i]:%Y-%m-%d %H:%M:%S}", province[i], f"{g / 1000:g}", f"{f / 100:.2f}"))
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    ws = book.add_worksheet(sheet)
    r = 0
    if title:
        ws.write_string(0, 0, title.format(total=f"{total / 100:.2f}"))
        r = 1
    ws.write_row(r, 0, header)
    for values in lines:
        r += 1
        for c, v in enumerate(values):
            ws.write_string(r, c, v)
    book.close()


def bare_read(paths: list[Path], dtypes: str | None = None) -> float:
    """Seconds fastexcel needs to read every sheet of the files into Arrow."""
    import fastexcel

    t = time.perf_counter()
    for path in paths:
        reader = fastexcel.read_excel(str(path))
        for name in reader.sheet_names:
            reader.load_sheet(name, header_row=None, **({"dtypes": dtypes} if dtypes else {})).to_arrow()
    return time.perf_counter() - t


def stages(bill: Path, register: Path, target: Path, full: bool) -> None:
    """The job in-process, stage by stage."""
    from shopbook.courier import inputs as courier_io
    from shopbook.courier.job import reconcile
    from shopbook.courier.xlsx import write_result
    from shopbook.rules import DEFAULT_RULES

    t0 = time.perf_counter()
    bills = courier_io.read_bills([bill], DEFAULT_RULES)
    t1 = time.perf_counter()
    register_table = courier_io.read_register(register)
    t2 = time.perf_counter()
    result = reconcile(bills.data, register_table.data, None, DEFAULT_RULES, as_of=dt.datetime(2026, 11, 5))
    t3 = time.perf_counter()
    write_result(result, target, full=full)
    t4 = time.perf_counter()
    print(f"  read bill {t1 - t0:.2f} s, read register {t2 - t1:.2f} s, reconcile {t3 - t2:.2f} s, "
          f"write {t4 - t3:.2f} s ({len(result.disputes()):,} dispute lines, {len(result.not_billed):,} not billed)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--full", action="store_true", help="also write the full line list (--full)")
    parser.add_argument("--stages", action="store_true", help="also time each stage in-process")
    parser.add_argument("--format", choices=sorted(LAYOUTS), help="the bill in this courier's own layout")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    if args.format:
        bill = OUT / f"{LAYOUTS[args.format][1]}-{args.rows}.xlsx"
        register = OUT / f"shipments-{args.format}-{args.rows}.xlsx"
    else:
        bill = OUT / f"bill-{args.rows}.xlsx"
        register = OUT / f"shipments-{args.rows}.xlsx"
    if not bill.exists() or not register.exists():
        t = time.perf_counter()
        make_inputs(bill, register, args.rows, layout=args.format)
        print(f"generated {bill.name} ({bill.stat().st_size / 1e6:.1f} MB) and {register.name} "
              f"({register.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
    # the machine is shared: time the bare read just before and just after the job and compare
    # the job with their mean, so a change of load during the run shows and counts for both
    load_before = os.getloadavg()[0]
    bare_before = bare_read([bill, register])
    target = OUT / f"result-{args.rows}.xlsx"
    cli = ["reconcile", str(bill), str(register), "-o", str(target), "--as-of", AS_OF] + (["--full"] if args.full else [])
    seconds, peak, code, _ = run_cli(cli)
    bare_after = bare_read([bill, register])
    bare_text = bare_read([bill, register], "string")
    load_after = os.getloadavg()[0]
    bare = (bare_before + bare_after) / 2
    print(f"rows: {args.rows:,} bill lines{' (' + args.format + ' layout)' if args.format else ''} against "
          f"{args.rows:,} shipments; load average {load_before:.1f} "
          f"before, {load_after:.1f} after ({os.cpu_count()} cores)")
    print(f"bare fastexcel read of both files: {bare_before:.2f} s before, {bare_after:.2f} s after the job "
          f"(dtypes='string': {bare_text:.2f} s)")
    print(f"shopbook reconcile -o{' --full' if args.full else ''}: {seconds:.2f} s, {args.rows / seconds:,.0f} rows/s, "
          f"peak {peak:,.0f} MiB, exit {code}, output {target.stat().st_size / 1e6:.1f} MB")
    print(f"ratio to the bare fastexcel read (mean of the two): {seconds / bare:.2f}x "
          f"(to the string read: {seconds / bare_text:.2f}x)")
    layout = f", {args.format}'s own layout" if args.format else ""
    result_line(f"reconcile -o{' --full' if args.full else ''}{layout}",
                f"{args.rows:,} bill lines × {args.rows:,} parcels", seconds, min(bare_before, bare_after), peak,
                LAST.get("cpu"))
    if args.stages:
        stages(bill, register, OUT / f"result-{args.rows}-stages.xlsx", args.full)


if __name__ == "__main__":
    main()
