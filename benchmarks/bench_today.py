"""Benchmark `shopbook today` on a busy shop: a ledger of N order lines with its shipping register
and returns, and a 客服 workbook with 5,000 reviews, complaints, handovers and a contact log.

    python benchmarks/bench_today.py [--rows 200000] [--reviews 5000]

Prints seconds and peak memory of the CLI run (a child process, so its peak RSS is its own),
and the time the fast readers need just to read the same two files. Inputs are cached in
benchmarks/out/. Not a test: run it by hand and copy the figures into docs/performance.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from pathlib import Path

from bench_validate import bare_reads
from common import OUT, run_cli

AS_OF = "2026-10-31 18:00"
ORDER_HEAD = ["订单号", "下单时间", "付款时间", "买家", "收件人", "手机", "省", "详细地址", "商品编码", "颜色", "尺码", "数量",
              "单价", "实付金额", "付款方式", "快递公司", "旗帜", "备注", "客服", "状态"]
SHIP_HEAD = ["发货日期", "订单号", "快递公司", "快递单号", "重量", "包装人", "类型", "状态", "原因", "签收日期"]
RETURN_HEAD = ["登记日期", "订单号", "类型", "原因", "申请日期", "状态", "处理人"]
AGENTS = ("小王", "小李", "小张", "小美", "阿芳")
AFTER_SALES = ("吴思琪", "郑凯文", "周敏")


def make_ledger(path: Path, rows: int, seed: int = 11) -> list[tuple[str, dt.datetime]]:
    """订单 (two lines an order), 发货 for the orders paid before the last day, 退换货; returns the
    signed orders (订单号, 签收日期) for the registers."""
    import xlsxwriter

    rnd = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet("订单")
    ws.write_row(0, 0, ORDER_HEAD)
    start = dt.datetime(2026, 10, 1)
    span = 31 * 86400 - 6 * 3600
    orders = []
    for i in range(rows):
        n = i // 2
        if i % 2 == 0:
            placed = start + dt.timedelta(seconds=n * span // (rows // 2))
            paid = placed + dt.timedelta(minutes=3) if rnd.random() < 0.97 else None
            cod = rnd.random() < 0.01
            state = rnd.choices(("已完成", "已发货", "退款中", "已关闭"), (90, 6, 2, 2))[0]
            if placed.date() == start.date() + dt.timedelta(days=30):
                state = "待发货" if paid or cod else "待付款"
            orders.append((str(3800000000000000000 + n), placed, paid, state, cod))
        no, placed, paid, state, cod = orders[-1]
        r = i + 1
        ws.write_string(r, 0, no)
        ws.write_datetime(r, 1, placed, stamp)
        if paid and not cod:
            ws.write_datetime(r, 2, paid, stamp)
        ws.write_string(r, 3, f"tb{n % 90000}")
        ws.write_string(r, 4, rnd.choice(("张三", "李四", "王芳", "刘洋")))
        ws.write_string(r, 5, f"1{rnd.choice('3456789')}{rnd.randrange(10**9):09d}")
        ws.write_string(r, 6, rnd.choice(("广东", "浙江", "江苏", "上海")))
        ws.write_string(r, 7, f"某街道{n % 999}号{n % 30}栋")
        ws.write_row(r, 8, [f"SKU{rnd.randrange(2000):05d}", rnd.choice("黑白肤"), rnd.choice(("S", "M", "L"))])
        ws.write_number(r, 11, 1)
        ws.write_number(r, 12, 59.9)
        ws.write_number(r, 13, 59.9)
        ws.write_string(r, 14, "货到付款" if cod else "在线支付")
        ws.write_string(r, 15, "中通")
        flag = "蓝" if state == "退款中" else ""
        ws.write_string(r, 16, flag)
        ws.write_string(r, 17, f"10/{placed.day} 退款 运费无 {AGENTS[n % 5]}" if flag else "")
        ws.write_string(r, 18, AGENTS[n % 5])
        ws.write_string(r, 19, state)
    ship = wb.add_worksheet("发货")
    ship.write_row(0, 0, SHIP_HEAD)
    r = 1
    signed = []
    for no, placed, paid, state, cod in orders:
        if state not in ("已完成", "已发货"):
            continue
        sent = (placed + dt.timedelta(days=1)).replace(hour=17, minute=0)
        ship.write_datetime(r, 0, sent, day)
        ship.write_row(r, 1, [no, "中通", f"78{int(no) % 10**12:012d}"])
        ship.write_number(r, 4, 0.3)
        ship.write_row(r, 5, ["老周", "正常", "丢件" if r % 500 == 0 else "正常", "中转丢失" if r % 500 == 0 else ""])
        if state == "已完成" and r % 500:
            got = sent + dt.timedelta(days=3)
            ship.write_datetime(r, 9, got, day)
            signed.append((no, got))
        r += 1
    ret = wb.add_worksheet("退换货")
    ret.write_row(0, 0, RETURN_HEAD)
    for k, (no, got) in enumerate(signed[::100], start=1):
        ret.write_datetime(k, 0, got + dt.timedelta(days=2), day)
        ret.write_row(k, 1, [no, "退货", "尺码不合适" if k % 7 else "少发"])
        ret.write_datetime(k, 4, got + dt.timedelta(days=1), day)
        ret.write_row(k, 5, ["已退款" if k % 3 else "待寄回", AFTER_SALES[k % 3]])
    wb.close()
    return signed


def make_service(path: Path, signed: list, reviews: int, seed: int = 12) -> None:
    import xlsxwriter

    rnd = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet("评价")
    ws.write_row(0, 0, ["订单号", "买家", "评价日期", "评价类型", "评价内容", "原因类别", "责任客服", "跟进1日期", "跟进1方式",
                        "跟进1结果", "跟进2日期", "跟进2方式", "跟进2结果", "下次联系时间", "状态", "解释日期", "改好日期"])
    picked = rnd.sample(signed, min(reviews, len(signed)))
    for r, (no, got) in enumerate(picked, start=1):
        written = got + dt.timedelta(days=rnd.randint(0, 4), hours=rnd.randint(8, 22))
        ws.write_row(r, 0, [no, f"tb{r}"])
        ws.write_datetime(r, 2, written, stamp)
        ws.write_row(r, 3, [rnd.choice(("差评", "中评", "好评")), "不好", rnd.choice(("质量", "尺码", "心情", ""))])
        ws.write_string(r, 6, AFTER_SALES[r % 3])
        state = rnd.choice(("已改好", "跟进中", "待联系", "已解释", "无法联系"))
        if state != "待联系":
            ws.write_datetime(r, 7, written + dt.timedelta(hours=5), stamp)
            ws.write_row(r, 8, [rnd.choice(("电话", "旺旺")), "答应看看"])
        if state == "跟进中":
            ws.write_datetime(r, 13, written + dt.timedelta(days=rnd.randint(1, 6)), stamp)
        ws.write_string(r, 14, state)
        if state == "已改好":
            ws.write_datetime(r, 16, written + dt.timedelta(days=2), day)
    cs = wb.add_worksheet("投诉")
    cs.write_row(0, 0, ["投诉日期", "订单号", "买家", "投诉类型", "内容", "责任人", "处理人", "处理结果", "结案日期"])
    for r, (no, got) in enumerate(rnd.sample(signed, reviews // 5), start=1):
        cs.write_datetime(r, 0, got, day)
        cs.write_row(r, 1, [no, f"tb{r}", rnd.choice(("质量", "少发", "快递", "维权")), "问题", "仓库", AFTER_SALES[r % 3]])
        if r % 4:
            cs.write_string(r, 7, "已处理")
            cs.write_datetime(r, 8, got + dt.timedelta(days=1), day)
    hs = wb.add_worksheet("交接班")
    hs.write_row(0, 0, ["交接日期", "班次", "交出人", "接手人", "事项", "关联订单"])
    for r in range(1, 301):
        hs.write_datetime(r, 0, dt.datetime(2026, 10, 1) + dt.timedelta(days=r // 10), day)
        hs.write_row(r, 1, ["早班" if r % 2 else "晚班", AGENTS[r % 5], AGENTS[(r + 1) % 5] if r % 9 else "", "回电话",
                            signed[r][0]])
    ct = wb.add_worksheet("联系记录")
    ct.write_row(0, 0, ["联系时间", "订单号", "事由", "客服", "方式", "结果"])
    chased = [s for k, s in enumerate(signed) if k % 10]  # the team chases nine buyers in ten
    for r, (no, got) in enumerate(chased, start=1):
        ct.write_datetime(r, 0, got + dt.timedelta(days=7, hours=10), stamp)
        ct.write_row(r, 1, [no, "催评", AFTER_SALES[r % 3], "旺旺", "已好评"])
    wb.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--reviews", type=int, default=5_000)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    ledger = OUT / f"today-ledger-{args.rows}.xlsx"
    service = OUT / f"today-service-{args.rows}-{args.reviews}-v2.xlsx"
    if not ledger.exists() or not service.exists():
        t = time.perf_counter()
        signed = make_ledger(ledger, args.rows)
        make_service(service, signed, args.reviews)
        print(f"generated {ledger.name} ({ledger.stat().st_size / 1e6:.1f} MB), {service.name} "
              f"({service.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
    reads = {name: a + b for (name, a), b in zip(bare_reads(ledger).items(), bare_reads(service).values())}
    out = OUT / "今日待办.xlsx"
    seconds, peak, code, stdout = run_cli(["today", str(ledger), str(service), "-o", str(out), "--as-of", AS_OF])
    print(f"input: {args.rows:,} order lines with register and returns + {args.reviews:,} reviews")
    for name, t in reads.items():
        print(f"bare read of both files, {name}: {t:.2f} s")
    print(f"shopbook today -o: {seconds:.2f} s, peak {peak:,.0f} MiB, exit {code}")
    for name, t in reads.items():
        print(f"  ratio to {name}: {seconds / t:.2f}x")
    print(stdout)
    from common import LAST, result_line
    result_line("today -o", f"{args.rows:,} order lines + {args.reviews:,} reviews (two workbooks)", seconds,
                reads.get("fastexcel"), peak, LAST.get("cpu"))


if __name__ == "__main__":
    main()
