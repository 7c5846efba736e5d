"""The generated sheets of 快递对账 as columns (header, width, kind) and rows: 争议明细 (the lines
to send the courier: phones masked, no addresses) and 未计费. Used by the result workbook
(shopbook.courier.xlsx) and by the 快递对账 button (shopbook.excel.buttons).
"""
from __future__ import annotations

import re

import pandas as pd

from shopbook.courier import job
from shopbook.courier.job import CATEGORY_ZH, Reconciliation

def mask_phone(phone) -> str | None:
    """138****5678: only the first 3 and last 4 digits shown (+86 dropped; a privacy-number
    extension such as -1234 kept, it identifies no one)."""
    if phone is None or phone is pd.NA or (isinstance(phone, float) and phone != phone):
        return None
    text = str(phone).strip()
    ext = ""
    m = re.search(r"(-|转|ext)(\d{1,6})$", text)
    if m and len(re.sub(r"\D", "", text[:m.start()])) >= 11:
        text, ext = text[:m.start()], m.group(1) + m.group(2)
    digits = re.sub(r"\D", "", text)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) < 8:
        return "****"
    return f"{digits[:3]}****{digits[-4:]}{ext}"


DETAIL_COLUMNS = (  # header, width, kind
    ("快递公司", 8, "text"), ("快递单号", 20, "waybill"), ("寄件日期", 11, "date"), ("目的省份", 9, "text"),
    ("类别", 14, "text"), ("账单重量(kg)", 11, "kg"), ("我方重量(kg)", 11, "kg"), ("账单运费", 10, "money"),
    ("应收运费", 10, "money"), ("金额", 10, "money"), ("说明", 84, "wrap"), ("收件人", 8, "text"),
    ("手机", 17, "text"), ("账单位置", 28, "text"))
NOT_BILLED_COLUMNS = (
    ("快递公司", 8, "text"), ("快递单号", 20, "waybill"), ("发货日期", 11, "date"), ("省份", 9, "text"),
    ("我方重量(kg)", 11, "kg"), ("状态", 8, "text"), ("收件人", 8, "text"), ("手机", 17, "text"),
    ("订单号", 20, "waybill"), ("发货记录行", 10, "int"))



def detail_rows(result: Reconciliation, lines: pd.DataFrame):
    order = result.with_contacts(lines)
    explanation = job.explain(lines, result.tolerances)
    cols = ["courier", "waybill", "date", "province", "category", "billed_weight_g", "shop_weight_g", "billed_fee",
            "expected_fee", "amount", "recipient", "phone", "source", "row", "waybill_shown"]
    records = order[cols].astype(object).to_dict("records")
    for r, text in zip(records, explanation):
        waybill = r["waybill"] if r["waybill"] is not None else r["waybill_shown"]
        yield (r["courier"], waybill, r["date"], province_label(r["province"]), CATEGORY_ZH[r["category"]],
               r["billed_weight_g"], r["shop_weight_g"], r["billed_fee"], r["expected_fee"], r["amount"], text,
               r["recipient"], mask_phone(r["phone"]), f"{r['source']} 第 {r['row']} 行")


def not_billed_rows(result: Reconciliation):
    """The 未计费 sheet's rows (NOT_BILLED_COLUMNS): phones masked, weights in grams."""
    for r in result.not_billed.itertuples(index=False):
        yield (r.courier, r.waybill, r.date, province_label(r.province), r.shop_weight_g, r.status, r.recipient,
               mask_phone(r.phone), r.order, r.register_row)


def province_label(full):
    return job.province_short(full) if isinstance(full, str) else None


def sorted_disputes(lines: pd.DataFrame) -> pd.DataFrame:
    rank = lines["category"].map({c: i for i, c in enumerate(job.PRECEDENCE)}).astype(int)
    return lines.assign(_rank=rank).sort_values(["courier", "_rank"], kind="stable").drop(columns="_rank")

