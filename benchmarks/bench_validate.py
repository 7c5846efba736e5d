"""Benchmark `shopbook validate` on a busy month: an order sheet of N lines plus its stock sheet.

    python benchmarks/bench_validate.py [--rows 200000] [--output] [--format taobao]

--format taobao: the same month as the platform exports it — ExportOrderList (GBK csv, one row
per order, ="…" order numbers, ' phones, status words) and ExportOrderDetailList (N item lines,
two per order) plus the stock workbook, validated together (joined by 订单编号).

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

from common import LAST, OUT, fastexcel_floor, result_line, run_cli

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


TAOBAO_LIST = ["订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "买家支付积分", "总金额", "返点积分",
               "买家实际支付金额", "买家实际支付积分", "订单状态", "买家留言", "收货人姓名", "收货地址", "运送方式", "联系电话",
               "联系手机", "订单创建时间", "订单付款时间", "宝贝标题", "宝贝种类", "物流单号", "物流公司", "订单备注",
               "宝贝总数量", "店铺Id", "店铺名称", "订单关闭原因", "卖家服务费", "买家服务费", "发票抬头", "是否手机订单",
               "分阶段订单信息", "特权订金订单id", "是否上传合同照片", "是否上传小票", "是否代付", "定金排名", "修改后的sku",
               "修改后的收货地址", "异常信息", "天猫卡券抵扣", "集分宝抵扣", "是否是O2O交易"]
TAOBAO_DETAIL = ["订单编号", "标题", "价格", "购买数量", "外部系统编号", "商品属性", "套餐信息", "备注", "订单状态", "商家编码"]
TAOBAO_STATUS = ["买家已付款，等待卖家发货"] * 8 + ["卖家已发货，等待买家确认", "交易成功", "等待买家付款", "交易关闭"]


def make_taobao(folder: Path, rows: int, seed: int = 7) -> list[Path]:
    """ExportOrderList + ExportOrderDetailList (GBK csv, `rows` item lines, two per order) and the
    stock workbook of the team benchmark's SKUs."""
    import csv
    import xlsxwriter

    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    order_path, detail_path = folder / "ExportOrderList202610311800.csv", folder / "ExportOrderDetailList202610311800.csv"
    skus = [f"SKU{n:05d}" for n in range(2000)]
    start = dt.datetime(2026, 10, 1)
    with open(order_path, "w", encoding="gbk", newline="") as fo, open(detail_path, "w", encoding="gbk", newline="") as fd:
        orders, details = csv.writer(fo), csv.writer(fd)
        orders.writerow(TAOBAO_LIST)
        details.writerow(TAOBAO_DETAIL)
        for i in range(rows // 2):
            oid = f'="{3800000000000000 + i}"'
            placed = start + dt.timedelta(seconds=i * 26)
            status = rnd.choice(TAOBAO_STATUS)
            paid = "" if status in ("等待买家付款", "交易关闭") else (placed + dt.timedelta(minutes=3)).strftime("%Y-%m-%d %H:%M:%S")
            phone = f"1{rnd.choice('3456789')}{rnd.randrange(10**9):09d}"
            if rnd.random() < 0.01:
                phone = phone[:-1]
            province = rnd.choice(PROVINCES)
            lines = [(rnd.choice(skus), rnd.choice(COLORS), rnd.choice(SIZES), rnd.choice([1, 1, 2])) for _ in range(2)]
            total = sum(q for *_, q in lines) * 59.9
            row = dict.fromkeys(TAOBAO_LIST, "")
            row.update({"订单编号": oid, "买家会员名": f"tb{rnd.randrange(90000)}", "买家应付货款": f"{total:.2f}",
                        "买家应付邮费": "0.00", "总金额": f"{total:.2f}", "买家实际支付金额": f"{total:.2f}", "订单状态": status,
                        "收货人姓名": rnd.choice(["张三", "李四", "王芳", "刘洋"]),
                        "收货地址": f"{province} 某市 某区 某街道{rnd.randrange(999)}号", "运送方式": "快递",
                        "联系手机": f"'{phone}", "订单创建时间": placed.strftime("%Y-%m-%d %H:%M:%S"), "订单付款时间": paid,
                        "宝贝标题": "蕾丝文胸", "宝贝种类": "2", "订单备注": "" if rnd.random() < 0.95 else "小王:要发顺丰",
                        "宝贝总数量": str(sum(q for *_, q in lines)), "店铺名称": "小蛮腰内衣", "订单关闭原因": "订单未关闭"})
            orders.writerow([row[h] for h in TAOBAO_LIST])
            for sku, color, size, qty in lines:
                details.writerow([oid, "蕾丝文胸", "59.90", str(qty), "", f"颜色分类：{color};尺码：{size}", "", "", status, sku])
    stock = folder / "库存.xlsx"
    wb = xlsxwriter.Workbook(str(stock), {"constant_memory": True})
    ws = wb.add_worksheet("库存")
    ws.write_row(0, 0, ["商品编码", "颜色", "尺码", "库位", "账面数量", "实盘数量", "残次数量", "安全库存", "成本价", "盘点日期"])
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    r = 1
    for sku in skus:
        for color in COLORS:
            for size in SIZES:
                ws.write_row(r, 0, [sku, color, size, f"{'ABCD'[r % 4]}-{r % 40 + 1:02d}-{r % 5 + 1:02d}", 40, 40, 0, 5, 21.5])
                ws.write_datetime(r, 9, dt.datetime(2026, 10, 28), day)
                r += 1
    wb.close()
    return [order_path, detail_path, stock]


def bench_taobao(rows: int) -> None:
    folder = OUT / f"taobao-{rows}"
    paths = [folder / "ExportOrderList202610311800.csv", folder / "ExportOrderDetailList202610311800.csv",
             folder / "库存.xlsx"]
    if not all(p.exists() for p in paths):
        t = time.perf_counter()
        paths = make_taobao(folder, rows)
        print(f"generated {folder.name} in {time.perf_counter() - t:.1f} s "
              f"({sum(p.stat().st_size for p in paths) / 1e6:.1f} MB)")
    seconds, peak, code, out = run_cli(["validate", *map(str, paths), "--json", "--as-of", "2026-10-31 18:00"])
    import json
    summary = json.loads(out)["summary"] if out else {}
    print(f"rows: {rows:,} item lines ({rows // 2:,} orders) + stock, Taobao exports joined")
    print(f"formats: {[s['format'] for s in summary.get('sources', [])]}")
    print(f"shopbook validate --json: {seconds:.2f} s, {rows / seconds:,.0f} rows/s, peak {peak:,.0f} MiB, exit {code}")
    result_line("validate --json, Taobao csv pair", f"{rows:,} item lines + stock", seconds, None, peak, LAST["cpu"])


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
    parser.add_argument("--format", choices=("team", "taobao"), default="team",
                        help="taobao: the platform's ExportOrderList + ExportOrderDetailList csv pair")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    if args.format == "taobao":
        bench_taobao(args.rows)
        return
    path = OUT / f"orders-{args.rows}.xlsx"
    if not path.exists():
        t = time.perf_counter()
        make_workbook(path, args.rows)
        print(f"generated {path.name} in {time.perf_counter() - t:.1f} s ({path.stat().st_size / 1e6:.1f} MB)")
    seconds, peak, code, _ = run_cli(["validate", str(path), "--json", "--as-of", "2026-10-31 18:00"])
    cpu = LAST["cpu"]
    floor, floor_cpu = fastexcel_floor([path])  # measured right after the job: one run, back to back
    reads = bare_reads(path)
    print(f"rows: {args.rows:,} order lines + stock")
    for name, t in reads.items():
        print(f"bare read, {name}: {t:.2f} s")
    print(f"shopbook validate --json: {seconds:.2f} s (CPU {cpu:.2f} s), {args.rows / seconds:,.0f} rows/s, "
          f"peak {peak:,.0f} MiB, exit {code}")
    for name, t in reads.items():
        print(f"  ratio to {name}: {seconds / t:.2f}x")
    result_line("validate --json", f"{args.rows:,} order lines + stock ({path.stat().st_size / 1e6:.0f} MB)",
                seconds, floor, peak, cpu, floor_cpu)
    if args.output:
        target = OUT / "marked.xlsx"
        seconds, peak, code, _ = run_cli(["validate", str(path), "-o", str(target), "--as-of", "2026-10-31 18:00"])
        print(f"shopbook validate -o: {seconds:.2f} s, peak {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
