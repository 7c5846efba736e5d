"""Write the demo courier bills against the demo shipping register, and the blank bill template.

    python scripts/make_demo_bill.py

Reads the 发货 sheet of shopbook/data/demo/台账.xlsx (and the demo rules workbook's 快递价格,
when it has one) and writes, deterministically:
  shopbook/data/demo/快递账单.xlsx      — every courier but 中通, one sheet with a 快递公司 column,
                                          a title row, a 合计 row 12.00 above its lines' sum and some waybills stored as numbers;
  shopbook/data/demo/快递账单-中通.csv  — 中通's bill as a GBK csv without a 快递公司 column (the
                                          courier comes from the file name);
  workbooks/快递对账.xlsx               — the blank bill template.
Between them the bills hold every category: match, not-shipped, duplicate, overweight,
fee-mismatch (an overcharge and an undercharge), claim and undelivered (where the register
marks parcels 丢件/破损/无法送达), and some parcels are left unbilled (not-billed).
Re-run it whenever the demo register changes.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "scripts"))
import make_workbooks as mw  # noqa: E402
from shopbook.courier.job import COURIER_BILL
from shopbook.rules.prices import _resolve_prices, fee_for_weight, parse_price_table
from shopbook.core.places import province_of_text
from shopbook.courier.inputs import price_frame  # noqa: E402
from shopbook.reading.files import open_workbook  # noqa: E402
from shopbook.reading.tables import read_table, require  # noqa: E402
from shopbook.core.places import province_short  # noqa: E402
from shopbook.rules import load_rules  # noqa: E402
from shopbook.sheets.shipping import SHIPPING  # noqa: E402

DEMO = ROOT / "shopbook" / "data" / "demo"
CSV_COURIER = "中通"
CREATED = dt.datetime(2026, 1, 1)  # fixed document time: identical bytes on every run
HEADER = ["序号", "运单号", "寄件日期", "目的省份", "计费重量(kg)", "运费(元)", "快递公司", "备注"]


def register_frame() -> pd.DataFrame:
    book = open_workbook(DEMO / "台账.xlsx")  # the ledger; its 发货 sheet is the register
    table = require(read_table(book, SHIPPING), book, SHIPPING)
    rules = load_rules(DEMO / "规则.xlsx")[0] if (DEMO / "规则.xlsx").exists() else load_rules(None)[0]
    d = table.data.copy()
    d["courier"] = d["快递公司"].map(rules.courier_name)
    d["province"] = d["省"].map(province_of_text) if "省" in d else None
    d["status"] = d["状态"] if "状态" in d else "正常"
    d = d[d["快递单号"].notna() & d["courier"].notna()]
    # one line per waybill: a multi-parcel shipment is billed once, on its added weight
    weights = d.groupby("快递单号", sort=False)["重量"].sum(min_count=1) if "重量" in d else None
    d = d.drop_duplicates("快递单号").copy()
    d["grams"] = (d["快递单号"].map(weights) * 1000).round() if weights is not None else np.nan
    return d, rules


def billed_lines(reg: pd.DataFrame, rules) -> list[dict]:
    """Bill lines in register order, with the planted discrepancies."""
    prices, _ = parse_price_table(price_frame(rules), rules)
    grams = reg["grams"].fillna(1000).astype(int).to_numpy()
    billed_g = -(-grams // 100) * 100  # couriers round up to 0.1 kg
    price = _resolve_prices(prices, reg["courier"].to_numpy(dtype=object), reg["province"].to_numpy(dtype=object),
                            reg["发货日期"].to_numpy(dtype="datetime64[ns]"))

    def fee(i, g):
        if not price["found"][i]:
            return 1000
        return int(fee_for_weight(g, price["first_g"][i], price["first_fen"][i], price["step_g"][i], price["step_fen"][i]))

    lines = []
    planted = {"overweight": False, "over": False, "under": False, "duplicate": set(), "skip": 0}
    for i, r in enumerate(reg.itertuples(index=False)):
        g = int(billed_g[i])
        line = {"waybill": r.快递单号, "date": r.发货日期, "province": r.province, "courier": r.courier,
                "grams": g, "fen": fee(i, g), "note": ""}
        state = r.status if isinstance(r.status, str) else "正常"
        if state == "正常" and i % 17 == 5 and planted["skip"] < 3:
            planted["skip"] += 1  # shipped but not billed
            continue
        if state == "正常" and not planted["overweight"] and i > 3:
            line["grams"] = g + 1500
            line["fen"] = fee(i, g + 1500)
            planted["overweight"] = True
        elif state == "正常" and not planted["over"] and i > 6:
            line["fen"] += 100  # one yuan too much for the table
            planted["over"] = True
        elif state == "正常" and not planted["under"] and i > 9 and line["fen"] > 100:
            line["fen"] -= 50  # fifty fen too little
            planted["under"] = True
        lines.append(line)
        if len(planted["duplicate"]) < 2 and i % 11 == 7 and r.courier not in planted["duplicate"]:
            planted["duplicate"].add(r.courier)
            lines.append(dict(line, note="补录"))  # billed twice
    # parcels the shop never sent, one per courier billed
    for n, courier in enumerate(dict.fromkeys(line["courier"] for line in lines)):
        sample = next(line for line in lines if line["courier"] == courier)
        digits = "".join(ch for ch in str(sample["waybill"]) if ch.isdigit())
        prefix = "".join(ch for ch in str(sample["waybill"]) if not ch.isdigit())
        fake = prefix + str(int(digits) + 900000 + n).zfill(len(digits))
        lines.append({**sample, "waybill": fake, "grams": 800, "fen": sample["fen"], "note": ""})
    return lines


def write_xlsx(path: Path, lines: list[dict]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"title": "快递月结账单", "author": "shopbook demo", "created": CREATED})
    title = wb.add_format({"bold": True, "font_size": 13})
    head = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    text = wb.add_format({"num_format": "@"})
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    money = wb.add_format({"num_format": "0.00"})
    ws = wb.add_worksheet("账单明细")
    ws.merge_range(0, 0, 0, len(HEADER) - 1, "月结账单 2026年10月 客户:义乌某服饰网店(月结账号 0579-2816)", title)
    ws.write_row(1, 0, HEADER, head)
    widths = [6, 20, 12, 10, 12, 10, 10, 10]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    r = 2
    total = 0
    for n, line in enumerate(lines, start=1):
        ws.write_number(r, 0, n)
        waybill = str(line["waybill"])
        if waybill.isdigit() and n % 4 == 0:
            ws.write_number(r, 1, int(waybill))  # stored as a number (intact: at most 15 digits)
        else:
            ws.write_string(r, 1, waybill, text)
        ws.write_datetime(r, 2, line["date"].to_pydatetime(), day)
        prov = line["province"] if isinstance(line["province"], str) else ""
        ws.write_string(r, 3, province_short(prov) if n % 2 and prov else prov)
        ws.write_number(r, 4, line["grams"] / 1000)
        ws.write_number(r, 5, line["fen"] / 100, money)
        ws.write_string(r, 6, {"顺丰": "顺丰速运", "圆通": "圆通速递", "极兔": "极兔速递", "韵达": "韵达快递"}.get(
            line["courier"], line["courier"]))
        if line["note"]:
            ws.write_string(r, 7, line["note"])
        total += line["fen"]
        r += 1
    ws.write_string(r, 0, "合计")
    # the courier's own total is 12.00 too high (a line counted twice in their sum): bill-total-mismatch
    ws.write_number(r, 5, (total + 1200) / 100, money)
    ws.freeze_panes(2, 0)
    wb.close()


def write_csv(path: Path, lines: list[dict]) -> None:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["中通快递 月结对账单", "2026-10"])
    w.writerow(["运单号", "揽收日期", "目的地", "结算重量", "应付金额"])
    total = 0
    for line in lines:
        w.writerow([line["waybill"], line["date"].strftime("%Y/%m/%d"),
                    line["province"] if isinstance(line["province"], str) else "",
                    f"{line['grams'] / 1000:g}", f"{line['fen'] / 100:.2f}"])
        total += line["fen"]
    w.writerow(["合计", "", "", "", f"{total / 100:.2f}"])
    path.write_bytes(out.getvalue().encode("gbk"))


def write_template(path: Path) -> None:
    """The blank bill template: canonical headers, text-formatted waybill column, drop-downs."""
    import xlsxwriter

    from shopbook.rules import DEFAULT_COURIERS

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"title": path.stem, "author": "shopbook", "created": CREATED})
    head = wb.add_format({"bold": True, "bg_color": "#305496", "font_color": "#FFFFFF", "border": 1})
    text = wb.add_format({"num_format": "@"})
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    kg = wb.add_format({"num_format": "0.00"})
    money = wb.add_format({"num_format": "0.00"})
    note = wb.add_format({"font_color": "#595959", "valign": "top"})
    ws = wb.add_worksheet("快递账单")
    columns = [(c.name, w, f) for c, w, f in zip(COURIER_BILL.columns, (22, 12, 12, 12, 10, 10),
                                                  (text, day, text, kg, money, text))]
    for i, (name, width, fmt) in enumerate(columns):
        ws.set_column(i, i, width, fmt)
        ws.write_string(0, i, name, head)
    ws.freeze_panes(1, 0)
    ws.set_paper(9)  # A4, all six columns across one page, the header on every page
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.data_validation(1, 5, 100000, 5, {"validate": "list", "source": [c.name for c in DEFAULT_COURIERS]})
    ws.data_validation(1, 3, 100000, 3, {"validate": "decimal", "criteria": ">", "value": 0,
                                         "error_message": "计费重量必须大于 0(单位 kg)"})
    ws.data_validation(1, 4, 100000, 4, {"validate": "decimal", "criteria": ">=", "value": 0,
                                         "error_message": "运费不能为负(单位 元)"})
    help_ws = wb.add_worksheet("说明")
    help_ws.set_column(0, 0, mw.PRINT_WIDTH + 2)
    help_ws.set_paper(9)  # A4 portrait: each paragraph cut into lines that fit the printed width
    help_ws.fit_to_pages(1, 0)
    r = 0
    for paragraph in [
        "快递对账模板:把快递公司的月结账单粘贴到「快递账单」表(快递单号列已设为文本,请用「粘贴为值」)。",
        "列名也可以用别名:快递单号=运单号/物流单号/waybill;寄件日期=揽收日期;目的省份=省份/目的地;"
        "计费重量=重量/结算重量;运费=金额/费用/应付金额。表头上方可以有标题行,末尾的合计行会自动跳过。",
        "运行: shopbook reconcile 快递对账.xlsx 发货.xlsx -o 对账结果.xlsx(价格表和容差见规则工作簿的「快递价格」「参数」表)。",
    ]:
        for line in mw.wrap_lines(paragraph):
            help_ws.write_string(r, 0, line, note)
            r += 1
    ws.activate()
    wb.close()


def main() -> None:
    reg, rules = register_frame()
    lines = billed_lines(reg, rules)
    xlsx_lines = [line for line in lines if line["courier"] != CSV_COURIER]
    csv_lines = [line for line in lines if line["courier"] == CSV_COURIER]
    write_xlsx(DEMO / "快递账单.xlsx", xlsx_lines)
    if csv_lines:
        write_csv(DEMO / f"快递账单-{CSV_COURIER}.csv", csv_lines)
    write_template(ROOT / "workbooks" / "快递对账.xlsx")
    print(f"快递账单.xlsx: {len(xlsx_lines)} 行;快递账单-{CSV_COURIER}.csv: {len(csv_lines)} 行;"
          f"模板 workbooks/快递对账.xlsx")


if __name__ == "__main__":
    main()
