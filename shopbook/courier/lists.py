"""The generated sheets of 快递对账 as frames and column kinds: 对账汇总 (figures per courier),
争议明细 (the lines to send the courier: phones masked, no addresses), 未计费 and 对账明细 (every
line, on request). Used by the result workbook (shopbook.courier.xlsx) and by the 快递对账 button
(shopbook.excel.buttons), so both show the same lines.

A column is (header, width, kind); kinds: text, waybill (text-formatted), date, money (fen), kg
(grams), int, wrap. Frames hold the values as the job has them (fen, grams); `shown` gives them
as a sheet shows them (元, kg).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from shopbook.courier import job
from shopbook.courier.job import CATEGORIES, CATEGORY_ZH, FIGURES, NOT_BILLED, Reconciliation, kg_text
from shopbook.core.money import fen_text

SUMMARY_SHEET, DISPUTES_SHEET, NOT_BILLED_SHEET, FULL_SHEET = "对账汇总", "争议明细", "未计费", "对账明细"
GENERATED = (SUMMARY_SHEET, DISPUTES_SHEET, NOT_BILLED_SHEET)  # what a run writes (对账明细 only on request)
FIGURE_LABELS = {"bill_total": "账单金额", "overcharge_total": "多收(争议)", "claims_total": "索赔",
                 "offsets_total": "抵扣(无法送达)", "net_payable": "应付金额"}
PAYABLE_NOTE = "应付金额 = 账单金额 − 多收 − 索赔 − 抵扣;多收含未发货、重复计费、超重、运费不符(少收为负)。"


@dataclass
class Listing:
    """A list sheet: its name, the title printed in the page header, columns and rows."""
    name: str
    title: str
    columns: tuple
    frame: pd.DataFrame  # one column per header, values as the job has them (object dtype)

    def rows(self):
        return self.frame.itertuples(index=False, name=None)

    def shown(self) -> pd.DataFrame:
        """The rows as a sheet shows them: money in 元, weights in kg."""
        out = self.frame.copy()
        for header, _, kind in self.columns:
            if kind in ("money", "kg"):
                scale = 100 if kind == "money" else 1000
                out[header] = [None if v is None or v is pd.NA or pd.isna(v) else int(v) / scale for v in out[header]]
        return out.infer_objects()


def _listing(name: str, title: str, columns, rows) -> Listing:
    return Listing(name, title, tuple(columns), pd.DataFrame(list(rows), columns=[h for h, _, _ in columns],
                                                             dtype=object))


def disputes(result: Reconciliation, proof=None) -> Listing:
    """争议明细: every line that is not a match, by courier then category; with a handover record,
    its evidence (交接日期, 快递员签字, 交接记录)."""
    lines = sorted_disputes(result.disputes())
    columns, rows = DETAIL_COLUMNS, detail_rows(result, lines)
    if proof is not None:
        from shopbook.handover.evidence import EVIDENCE_COLUMNS, evidence_rows
        columns = DETAIL_COLUMNS + EVIDENCE_COLUMNS
        rows = (r + e for r, e in zip(rows, evidence_rows(proof, lines, result.shipments)))
    return _listing(DISPUTES_SHEET, "快递对账 争议明细", columns, rows)


def not_billed(result: Reconciliation) -> Listing:
    return _listing(NOT_BILLED_SHEET, "已发货但账单未计费", NOT_BILLED_COLUMNS, not_billed_rows(result))


def summary_frame(result: Reconciliation) -> pd.DataFrame:
    """对账汇总 as one table: per courier and 合计, lines, the figures in 元, not-billed parcels and
    the lines of each category."""
    s = result.summary
    rows = []
    for name, figures in list(s["by_courier"].items()) + [("合计", s)]:
        row = {"快递公司": name, "账单行数": sum(v for k, v in figures["counts"].items() if k != NOT_BILLED)}
        row.update({FIGURE_LABELS[k]: figures[k] / 100 for k in FIGURES})
        row["已发未计费"] = figures["counts"][NOT_BILLED]
        for category in CATEGORIES:
            row[CATEGORY_ZH[category]] = figures["counts"][category]
        rows.append(row)
    return pd.DataFrame(rows)


def summary_title(result: Reconciliation, sources: list[str], as_of: dt.datetime) -> tuple[str, str, str]:
    """The three title lines above 对账汇总: what, when and from what, the tolerances."""
    tol = result.tolerances
    return ("快递对账汇总", f"对账时间 {as_of:%Y-%m-%d %H:%M}    发货记录与价格表: {'、'.join(sources)}",
            f"容差: 重量 {kg_text(tol['weight_g'])} kg;金额 {fen_text(tol['fee_fen'])} 元。" + PAYABLE_NOTE)

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

