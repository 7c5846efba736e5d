"""Benchmark `shopbook handover`: a busy shop's month — a register of N parcels a day for 31 days
(six couriers) and its 快递交接 record (one pickup per courier and day, a few lapses).

    python benchmarks/bench_handover.py [--per-day 3000] [--stages]

Generates both inputs once (xlsxwriter constant_memory; cached in benchmarks/out/), times the
bare fastexcel and python-calamine reads of the register, then the CLI end to end in a child
process for the whole month (every 交接单 of October, the checks, the lists) and for one day (the
daily run: the month's register read, one day printed), and prints seconds, parcels/s, peak memory
and the ratio to the bare read. --stages times read / check / write in-process. Not a test: run it
by hand, copy the figures to docs/performance.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
from pathlib import Path

from common import OUT, run_cli

AS_OF = "2026-11-01 09:00"
COURIERS = [("中通", 0.40), ("圆通", 0.20), ("韵达", 0.15), ("极兔", 0.10), ("顺丰", 0.10), ("申通", 0.05)]
PROVINCES = ["浙江", "江苏", "上海", "广东", "北京", "山东", "河南", "四川", "湖北", "湖南", "福建", "安徽", "河北",
             "陕西", "辽宁", "云南", "广西", "甘肃", "新疆"]
REGISTER_HEADER = ["发货日期", "订单号", "快递公司", "快递单号", "重量(kg)", "件数", "收件人", "省", "包装人", "运费",
                   "状态"]
HANDOVER_HEADER = ["日期", "快递公司", "快递员", "交接件数", "快递员称重(kg)", "快递员报价", "发货员", "快递员签字",
                   "底单已收", "归档日期", "备注"]


def waybill(courier: str, i: int) -> str:
    return {"顺丰": f"SF{1400000000000 + i}", "圆通": f"YT{7500000000000 + i}", "极兔": f"JT{5000000000000 + i}",
            "中通": f"7730{i:011d}", "韵达": f"4320{i:011d}", "申通": f"7720{i:011d}"}[courier]


def make_inputs(register: Path, handover: Path, per_day: int, seed: int = 17) -> int:
    """The month's register and handover record; returns the number of parcels."""
    import xlsxwriter

    rnd = random.Random(seed)
    picks = [c for c, w in COURIERS for _ in range(int(w * 100))]
    reg = xlsxwriter.Workbook(str(register), {"constant_memory": True})
    date_fmt = reg.add_format({"num_format": "yyyy-mm-dd"})
    ws = reg.add_worksheet("发货")
    ws.write_row(0, 0, REGISTER_HEADER)
    counts: dict = {}
    r, i = 1, 0
    for day in range(1, 32):
        date = dt.datetime(2026, 10, day)
        for _ in range(per_day):
            courier = picks[rnd.randrange(100)]
            counts[(date, courier)] = counts.get((date, courier), 0) + 1
            ws.write_datetime(r, 0, date, date_fmt)
            ws.write_string(r, 1, f"{3900000000000000 + i}")
            ws.write_string(r, 2, courier)
            ws.write_string(r, 3, waybill(courier, i))
            ws.write_number(r, 4, rnd.randrange(150, 3000, 10) / 1000)
            ws.write_number(r, 5, 1)
            ws.write_string(r, 6, rnd.choice(["张伟", "王芳", "李娜", "刘洋", "陈静"]))
            ws.write_string(r, 7, rnd.choice(PROVINCES))
            ws.write_string(r, 8, rnd.choice(["老周", "小刘", "阿强", "小王"]))
            ws.write_number(r, 9, rnd.randrange(300, 2000) / 100)
            ws.write_string(r, 10, "正常" if rnd.random() > 0.002 else "丢件")
            r, i = r + 1, i + 1
    reg.close()
    book = xlsxwriter.Workbook(str(handover))
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    ws = book.add_worksheet("快递交接")
    ws.write_row(0, 0, HANDOVER_HEADER)
    for r, ((date, courier), n) in enumerate(sorted(counts.items()), start=1):
        ws.write_datetime(r, 0, date, date_fmt)
        ws.write_string(r, 1, courier)
        ws.write_string(r, 2, "快递员")
        ws.write_number(r, 3, n - (1 if r % 40 == 0 else 0))  # a few counts short by one
        ws.write_string(r, 6, "老周")
        ws.write_string(r, 7, "是" if r % 50 else "否")
        ws.write_string(r, 8, "是")
        if date.day <= 16:
            ws.write_datetime(r, 9, date + dt.timedelta(days=15), date_fmt)
    book.close()
    return i


def bare_read(path: Path) -> tuple[float, float]:
    """Seconds fastexcel (to Arrow) and python-calamine (to Python rows) need for the register."""
    import fastexcel
    from python_calamine import CalamineWorkbook

    t = time.perf_counter()
    reader = fastexcel.read_excel(str(path))
    for name in reader.sheet_names:
        reader.load_sheet(name, header_row=None).to_arrow()
    fast = time.perf_counter() - t
    t = time.perf_counter()
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()
    return fast, time.perf_counter() - t


def stages(register: Path, handover: Path, target: Path) -> None:
    from shopbook.handover import job
    from shopbook.handover.run import HandoverRun, read_inputs
    from shopbook.handover.xlsx import write_handover
    from shopbook.rules import DEFAULT_RULES

    t0 = time.perf_counter()
    tables, sources = read_inputs(register, handover)
    t1 = time.perf_counter()
    result, findings = job.compute(tables, DEFAULT_RULES, dt.datetime(2026, 11, 1, 9), first=dt.date(2026, 10, 1),
                                   last=dt.date(2026, 10, 31))
    t2 = time.perf_counter()
    write_handover(target, HandoverRun(result, findings, register, handover, sources))
    t3 = time.perf_counter()
    print(f"  read {t1 - t0:.2f} s, check {t2 - t1:.2f} s, write {t3 - t2:.2f} s "
          f"({len(result.lines):,} lines, {len(findings):,} findings)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-day", type=int, default=3000)
    parser.add_argument("--stages", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    register = OUT / f"handover-register-{args.per_day}.xlsx"
    handover = OUT / f"handover-record-{args.per_day}.xlsx"
    parcels = args.per_day * 31
    if not register.exists() or not handover.exists():
        t = time.perf_counter()
        make_inputs(register, handover, args.per_day)
        print(f"generated {register.name} ({register.stat().st_size / 1e6:.1f} MB, {parcels:,} parcels) and "
              f"{handover.name} in {time.perf_counter() - t:.1f} s")
    load = os.getloadavg()[0]
    fast_before, calamine_before = bare_read(register)
    month = OUT / f"handover-month-{args.per_day}.xlsx"
    seconds, peak, code, _ = run_cli(["handover", str(register), str(handover), "--from", "2026-10-01", "--to",
                                      "2026-10-31", "-o", str(month), "--as-of", AS_OF])
    day = OUT / f"handover-day-{args.per_day}.xlsx"
    day_seconds, day_peak, day_code, _ = run_cli(["handover", str(register), str(handover), "--date", "2026-10-31",
                                                  "-o", str(day), "--as-of", AS_OF])
    fast_after, calamine_after = bare_read(register)
    fast, calamine = (fast_before + fast_after) / 2, (calamine_before + calamine_after) / 2
    print(f"register: {parcels:,} parcels ({args.per_day:,} a day); load average {load:.1f} "
          f"before, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} cores)")
    print(f"bare read of the register: fastexcel {fast:.2f} s, python-calamine {calamine:.2f} s")
    print(f"handover, the month ({31 * 6} 交接单): {seconds:.2f} s, {parcels / seconds:,.0f} parcels/s, "
          f"peak {peak:,.0f} MiB, exit {code}, output {month.stat().st_size / 1e6:.1f} MB; "
          f"ratio {seconds / fast:.1f}x fastexcel, {seconds / calamine:.1f}x calamine")
    print(f"handover --date (one day of the month's register): {day_seconds:.2f} s, exit {day_code}; "
          f"ratio {day_seconds / fast:.1f}x fastexcel, {day_seconds / calamine:.1f}x calamine")
    from common import result_line
    result_line("handover -o, the month", f"{parcels:,} parcels", seconds, fast, peak)
    result_line("handover --date", "one day of the same register", day_seconds, fast, day_peak)
    if args.stages:
        stages(register, handover, OUT / f"handover-stages-{args.per_day}.xlsx")


if __name__ == "__main__":
    main()
