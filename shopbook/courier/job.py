"""快递对账 — courier bill reconciliation (SPEC §Courier reconciliation).

The courier's monthly bill (月结账单) is checked line by line against the shop's shipping
register (发货) and the price table (快递价格). Every bill line gets exactly one category;
register parcels that were never billed are listed apart (not-billed). Pure: DataFrames in,
DataFrames and figures out, no file I/O (the file adapters live in shopbook.courier.run).

Units inside: weights in integer grams, money in integer fen (12.50 元 = 1250), so every
comparison and every step of the price formula is exact.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from shopbook.core import report
from shopbook.core import findings as fnd
from shopbook.courier.steps import (BillKeys, _column, _first_positions, _int_or_na, _line_findings, _not_billed,
                                    _register_by_waybill, bill_keys, contacts, register_codes, multiply_fen, to_grams,
                                    tolerance_fen, tolerance_grams)
from shopbook.reading import cells, fast
from shopbook.core.money import fen_text
from shopbook.reading.schema import DATE, ID, MONEY, NUMBER, TEXT, Column, SheetKind
from shopbook.core.places import province_short
from shopbook.rules import Rules
from shopbook.rules.prices import _resolve_prices, fee_for_weight, parse_price_table, volumetric_grams

# --- categories ---------------------------------------------------------------------------
MATCH, NOT_SHIPPED, DUPLICATE, OVERWEIGHT = "match", "not-shipped", "duplicate", "overweight"
FEE_MISMATCH, CLAIM, UNDELIVERED, NOT_BILLED = "fee-mismatch", "claim", "undelivered", "not-billed"
# when several apply, the first of these wins
PRECEDENCE = (DUPLICATE, NOT_SHIPPED, CLAIM, UNDELIVERED, OVERWEIGHT, FEE_MISMATCH, MATCH)
CATEGORIES = (MATCH, NOT_SHIPPED, DUPLICATE, OVERWEIGHT, FEE_MISMATCH, CLAIM, UNDELIVERED)
COUNTED = CATEGORIES + (NOT_BILLED,)
OVERCHARGES = (NOT_SHIPPED, DUPLICATE, OVERWEIGHT, FEE_MISMATCH)
CATEGORY_ZH = {
    MATCH: "相符", NOT_SHIPPED: "未发货(无发货记录)", DUPLICATE: "重复计费", OVERWEIGHT: "超重多收",
    FEE_MISMATCH: "运费不符", CLAIM: "丢件/破损索赔", UNDELIVERED: "无法送达抵扣", NOT_BILLED: "已发未计费",
}
NO_COURIER = "(未注明)"

COURIER_BILL = SheetKind(
    name="快递账单",
    sheet_aliases=("账单", "月结账单", "对账单", "账单明细", "快递对账", "运费账单", "bill"),
    columns=(
        Column("快递单号", ("运单号", "物流单号", "waybill", "面单号", "运单编号", "快递单号码", "单号"), ID, required=True),
        Column("寄件日期", ("寄件时间", "发件日期", "发件时间", "揽收日期", "揽收时间", "收寄日期", "日期"), DATE),
        Column("目的省份", ("省份", "目的地", "目的省", "到达省份", "收件省份", "目的地省份", "省"), TEXT),
        Column("计费重量", ("重量", "结算重量", "计费重", "计重", "账单重量"), NUMBER, required=True, minimum=0),
        Column("运费", ("金额", "费用", "应付金额", "运费金额", "结算金额", "快递费", "应收金额", "运费合计"),
               MONEY, required=True),
        Column("快递公司", ("快递", "物流公司", "承运商", "快递名称"), TEXT),
    ),
)

# the register columns the job uses (shopbook.sheets.shipping.SHIPPING names)
REGISTER_COLUMNS = ("发货日期", "订单号", "快递公司", "快递单号", "重量", "长", "宽", "高", "收件人", "手机",
                    "省", "保价金额", "状态", "件数")  # 件数: the parcels the courier's handover counts


# --- the job ------------------------------------------------------------------------------
@dataclass
class Reconciliation:
    """One row per bill line (`lines`, in bill order), register parcels never billed
    (`not_billed`), figures per courier (`summary`, fen) and findings (warnings)."""

    lines: pd.DataFrame
    not_billed: pd.DataFrame
    summary: dict
    findings: pd.DataFrame
    tolerances: dict = field(default_factory=dict)
    shipments: pd.DataFrame | None = field(default=None, repr=False)  # the register, for contacts()

    def with_contacts(self, lines: pd.DataFrame) -> pd.DataFrame:
        """These lines plus recipient, phone, order from their register row (lines shown only)."""
        people = contacts(self.shipments, lines["register_pos"].to_numpy())
        people.index = lines.index
        return lines.join(people)

    @property
    def exit_code(self) -> int:
        """0 when every line matches, 1 when anything is to dispute, claim or offset (or an
        error finding), 2 is for unusable input (raised before a result exists)."""
        return report.exit_code(self.findings, to_do=bool((self.lines["category"] != MATCH).any()))

    def disputes(self) -> pd.DataFrame:
        """The lines to send the courier: every category but match."""
        return self.lines[self.lines["category"] != MATCH]


@dataclass
class Tables:
    """What the job sees: the bill lines of every bill read (COURIER_BILL columns, `_source`,
    `_row`), the shipping register (`_row` = Excel row) and the raw 快递价格 sheet (None: the
    built-in table, shopbook.rules.prices)."""

    bill: pd.DataFrame
    shipments: pd.DataFrame
    prices: pd.DataFrame | None = None
    bill_keys: BillKeys | None = None  # steps.bill_keys of `bill`, when made beside the register's read


def compute(tables: Tables, rules: Rules, as_of: dt.datetime | None = None) -> tuple[Reconciliation, pd.DataFrame]:
    """The reconciliation of these tables: (result, findings of the price table and the lines).
    Bad input is a finding, never an exception."""
    result = reconcile(tables.bill, tables.shipments, tables.prices, rules, as_of=as_of, keys=tables.bill_keys)
    return result, result.findings


def reconcile(bill: pd.DataFrame, shipments: pd.DataFrame, prices: pd.DataFrame | None, rules: Rules,
              *, as_of: dt.datetime | None = None, keys: BillKeys | None = None) -> Reconciliation:
    """Reconcile a bill against the shipping register.

    bill: canonical COURIER_BILL columns as parsed by shopbook.reading (快递单号 text, 寄件日期
    datetime, 目的省份 text, 计费重量 kg, 运费 Int64 fen, 快递公司 text), optionally `_source`
    (the sheet it came from) and `_row` (Excel row; else the index is taken), in bill order.
    shipments: the 发货 register parsed likewise (快递单号, 快递公司, 发货日期, 重量 kg, 长/宽/高 cm,
    省, 状态, 保价金额 fen, 收件人, 手机, 订单号; `_row` or index = Excel row).
    prices: the 快递价格 sheet as a raw frame (rules.tables["快递价格"]) or None for the default.
    keys: bill_keys(bill, rules) when the caller made them already (else made here).
    """
    price_rows, price_findings = parse_price_table(prices, rules)
    as_of = pd.Timestamp(as_of or dt.datetime.now()).normalize()
    tol_g, tol_fen = tolerance_grams(rules.weight_tolerance_kg), tolerance_fen(rules.fee_tolerance)
    n = len(bill)

    bill_rows = (bill["_row"] if "_row" in bill else pd.Series(bill.index, index=bill.index)).to_numpy()
    sources = _column(bill, "_source").fillna("账单")
    waybill = _column(bill, "快递单号")
    ship_waybill = _column(shipments, "快递单号")
    keys = keys if keys is not None else bill_keys(bill, rules)
    bill_code = keys.codes
    ship_code, uniques = register_codes(keys, ship_waybill)
    reg = _register_by_waybill(shipments, ship_code, len(uniques), rules)

    known = bill_code >= 0
    safe = np.where(known, bill_code, 0)
    in_register = known & reg["present"][safe]
    duplicate = known & pd.Series(bill_code).duplicated().to_numpy()

    bill_courier = keys.courier
    courier = np.where(pd.isna(bill_courier) & in_register, reg["courier"][safe], bill_courier)
    courier = np.where(pd.isna(courier), NO_COURIER, courier).astype(object)
    province = keys.province
    province = np.where(pd.isna(province) & in_register, reg["province"][safe], province)
    bill_date = pd.to_datetime(_column(bill, "寄件日期", "datetime64[ns]")).to_numpy(dtype="datetime64[ns]")
    date = np.where(np.isnat(bill_date) & in_register, reg["date"][safe], bill_date)
    price_date = np.where(np.isnat(date), as_of.to_datetime64(), date)

    price = _resolve_prices(price_rows, courier, province, price_date)
    has_price = price["found"]

    billed_g = to_grams(_column(bill, "计费重量"))
    billed_g_known = billed_g >= 0
    billed_fee, fee_known = _int_or_na(_column(bill, "运费", "Int64"))
    # 附加费: extra services and charges on the parcel (保价, 上楼费…), paid with it, never priced
    extra, _ = _int_or_na(_column(bill, "附加费", "Int64"))

    shop_actual = reg["grams"][safe]
    shop_known = in_register & reg["grams_known"][safe]
    volumetric = volumetric_grams(reg["volume_mm3"][safe], price["divisor"])
    shop_g = np.maximum(shop_actual, volumetric)

    fee_billed_w = fee_for_weight(billed_g, price["first_g"], price["first_fen"], price["step_g"], price["step_fen"])
    fee_shop_w = fee_for_weight(shop_g, price["first_g"], price["first_fen"], price["step_g"], price["step_fen"])

    both = in_register & ~duplicate
    claim = both & reg["lost"][safe]
    undelivered = both & reg["undelivered"][safe]
    can_weigh = both & has_price & shop_known & billed_g_known & fee_known
    overweight = can_weigh & (billed_g > shop_g + tol_g) & (billed_fee - fee_shop_w > tol_fen)
    can_price = both & has_price & billed_g_known & fee_known
    fee_mismatch = can_price & (np.abs(billed_fee - fee_billed_w) > tol_fen)

    conditions = [duplicate, ~in_register, claim, undelivered, overweight, fee_mismatch]
    category_index = np.select(conditions, list(range(len(conditions))), default=len(conditions))
    category = pd.Categorical.from_codes(np.array([CATEGORIES.index(c) for c in PRECEDENCE])[category_index],
                                         categories=CATEGORIES)

    insured, insured_known = reg["insured"][safe], reg["insured_known"][safe]
    claim_amount = np.where(insured_known, insured, multiply_fen(billed_fee, rules.claim_multiple))
    amount = np.select(
        [category_index == PRECEDENCE.index(c) for c in (DUPLICATE, NOT_SHIPPED, CLAIM, UNDELIVERED, OVERWEIGHT,
                                                          FEE_MISMATCH)],
        [billed_fee + extra, billed_fee + extra, claim_amount, billed_fee, billed_fee - fee_shop_w,
         billed_fee - fee_billed_w],
        default=0)
    expected_known = both & has_price & shop_known
    expected = np.where(category_index == PRECEDENCE.index(FEE_MISMATCH), fee_billed_w, fee_shop_w)

    def ints(values, known) -> pd.arrays.IntegerArray:  # Int64, NA where not known
        return pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), ~np.asarray(known, dtype=bool))

    def texts(values) -> pd.Series:  # object dtype: no conversion of a million strings to str
        return pd.Series(np.asarray(values, dtype=object), dtype=object, copy=False)

    lines = pd.DataFrame({
        "source": pd.Categorical(sources), "row": bill_rows,
        "waybill": texts(waybill.to_numpy(dtype=object)), "courier": texts(courier),
        "date": pd.to_datetime(date), "province": texts(province),
        "category": category,
        "billed_weight_g": ints(billed_g, billed_g_known),
        "shop_weight_g": ints(shop_g, shop_known),
        "billed_fee": ints(billed_fee, fee_known),
        "extra_fee": ints(extra, np.ones(n, dtype=bool)),
        "expected_fee": ints(expected, expected_known),
        "amount": ints(amount, np.ones(n, dtype=bool)),
        "table_fee": ints(fee_billed_w, has_price & billed_g_known),
        "register_row": ints(reg["row"][safe], in_register),
        "status": texts(np.where(in_register, reg["status"][safe], None)),
        "insured": insured_known,
        "priced": has_price,
        "volumetric": both & (volumetric > shop_actual),
        "digits_lost": _column(bill, "_digits_lost").fillna(False).to_numpy(dtype=bool),
        "waybill_shown": texts(_column(bill, "_shown").to_numpy(dtype=object)),
        "register_pos": np.where(in_register, reg["pos"][safe], -1),
    })
    first = _first_positions(bill_code, duplicate)
    lines.loc[duplicate, "first_row"] = bill_rows[first]
    first_source = np.full(n, None, dtype=object)
    first_source[duplicate] = np.asarray(lines["source"].iloc[first], dtype=object)
    lines["first_source"] = texts(first_source)

    line_findings = _line_findings(lines, both, has_price, shop_known, bill_courier, reg, safe)
    not_billed = _not_billed(reg, uniques, bill_code, courier, bill_date, shipments)
    summary = summarise(lines, not_billed)
    return Reconciliation(lines, not_billed, summary, fnd.combine([price_findings, line_findings]),
                          {"weight_g": tol_g, "fee_fen": tol_fen, "claim_multiple": rules.claim_multiple},
                          shipments)



def courier_in_name(text: str, rules: Rules) -> str | None:
    """The courier a file or sheet name mentions (快递账单-中通.csv -> 中通), if exactly one."""
    found = set()
    for c in rules.couriers:
        for spelling in (c.name, *c.aliases):
            if len(spelling) >= 2 and not spelling.isascii() and spelling in text:
                found.add(c.name)
            elif spelling.isascii() and len(spelling) >= 2 and re.search(rf"(?<![A-Za-z]){re.escape(spelling)}(?![A-Za-z])",
                                                                        text, re.IGNORECASE):
                found.add(c.name)
    return found.pop() if len(found) == 1 else None



def stated_total_check(table: fast.FastTable, source: str) -> pd.DataFrame:
    """The bill's own 合计 of 运费 against the sum of its lines (the shop's rule: the total must
    agree with the courier's figure). 小计 rows are left alone; the last 合计/总计 row is compared."""
    totals = table.totals
    if totals.empty or "运费" not in totals:
        return fnd.empty()
    grand = totals[~totals["_label"].map(lambda label: "小" in label)]
    if grand.empty:
        return fnd.empty()
    row = grand.index[-1]
    stated = cells.parse_money(grand.loc[[row], "运费"].astype(object))[0].iloc[0]
    if pd.isna(stated):
        return fnd.empty()
    lines = int(table.data["运费"].sum(skipna=True))
    if "_service_fee" in table.data:  # extra-service rows folded into their waybill are in the 合计 too
        lines += int(table.data["_service_fee"].fillna(0).sum())
    if int(stated) == lines:
        return fnd.empty()
    return fnd.at_rows(source, [row], table.headers["运费"], table.letters["运费"], "bill-total-mismatch",
                       [grand.loc[row, "运费"]], stated=fen_text(int(stated)), lines=fen_text(lines),
                       diff=fen_text(int(stated) - lines))



# --- the summary --------------------------------------------------------------------------
FIGURES = ("bill_total", "overcharge_total", "claims_total", "offsets_total", "net_payable")


def _figures(lines: pd.DataFrame, not_billed_count: int) -> dict:
    fee = lines["billed_fee"].fillna(0).astype("int64")
    amount = lines["amount"].fillna(0).astype("int64")
    category = lines["category"]
    bill_total = int(fee.sum())
    if "extra_fee" in lines:
        bill_total += int(lines["extra_fee"].fillna(0).astype("int64").sum())
    overcharge = int(amount[category.isin(OVERCHARGES)].sum())
    claims = int(amount[category == CLAIM].sum())
    offsets = int(amount[category == UNDELIVERED].sum())
    counts = {c: int(v) for c, v in category.value_counts().reindex(CATEGORIES, fill_value=0).items()}
    counts[NOT_BILLED] = int(not_billed_count)
    return {"bill_total": bill_total, "overcharge_total": overcharge, "claims_total": claims,
            "offsets_total": offsets, "net_payable": bill_total - overcharge - claims - offsets,
            "counts": counts}


def summarise(lines: pd.DataFrame, not_billed: pd.DataFrame) -> dict:
    """Figures in fen, in total and per courier: bill_total (every line), overcharge_total
    (not-shipped + duplicate + overweight + fee-mismatch), claims_total, offsets_total
    (undelivered), net_payable = bill − overcharge − claims − offsets; line counts per category."""
    lines = lines[[c for c in ("courier", "category", "billed_fee", "extra_fee", "amount") if c in lines]]
    total = _figures(lines, len(not_billed))
    by_courier = {}
    couriers = list(dict.fromkeys(list(lines["courier"].unique()) + list(not_billed["courier"].unique())))
    groups = dict(tuple(lines.groupby("courier", sort=False, observed=True)))
    unbilled = not_billed["courier"].value_counts()
    for name in couriers:
        by_courier[str(name)] = _figures(groups.get(name, lines.iloc[:0]), int(unbilled.get(name, 0)))
    total["by_courier"] = by_courier
    return total


# --- explanations (built only for the lines shown: disputes, --full, --json) --------------
def kg_text(grams) -> str | None:
    """Grams as kg text without trailing zeros: 1200 -> '1.2', 500 -> '0.5'."""
    if grams is None or grams is pd.NA:
        return None
    text = f"{Decimal(int(grams)).scaleb(-3):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _explain_one(r: dict, tol: dict) -> str:
    cat, fee = r["category"], fen_text(r["billed_fee"]) or "0.00"
    extra = r.get("extra_fee")
    if cat in (NOT_SHIPPED, DUPLICATE) and extra is not None and extra is not pd.NA and int(extra):
        base = 0 if r["billed_fee"] is None or r["billed_fee"] is pd.NA else int(r["billed_fee"])
        fee = f"{fen_text(base + int(extra))}(含附加费 {fen_text(extra)})"
    where = f"(发货记录第 {r['register_row']} 行)" if r["register_row"] is not pd.NA and r["register_row"] is not None else ""
    prov = province_short(r["province"]) if isinstance(r["province"], str) else "(未知省份)"
    if cat == NOT_SHIPPED:
        if r["digits_lost"]:
            return (f"单号以数字保存,位数已丢失(显示为 {r['waybill_shown']}),无法与发货记录核对。"
                    f"请快递公司提供完整单号;核实前运费 {fee} 元暂不支付")
        if r["waybill"] is None or r["waybill"] is pd.NA:
            return f"账单行没有快递单号,无法核对,运费 {fee} 元暂不支付"
        return f"发货记录中没有这个快递单号,我方未寄出此件,运费 {fee} 元不应支付"
    if cat == DUPLICATE:
        where = "账单" if r["first_source"] == r["source"] else f"「{r['first_source']}」"
        return f"同一快递单号已在{where}第 {int(r['first_row'])} 行计费,重复计费 {fee} 元"
    if cat == CLAIM:
        if r["insured"]:
            return f"包裹{r['status']}{where},按保价金额 {fen_text(r['amount'])} 元索赔"
        return (f"包裹{r['status']}{where},按运费 {fee} 元 × {tol['claim_multiple']:g} 倍"
                f"索赔 {fen_text(r['amount'])} 元")
    if cat == UNDELIVERED:
        return f"包裹无法送达{where},运费 {fee} 元在月结中抵扣"
    shop = kg_text(r["shop_weight_g"])
    volumetric = "(体积重)" if r["volumetric"] else ""
    if cat == OVERWEIGHT:
        return (f"账单计费重量 {kg_text(r['billed_weight_g'])} kg,我方重量 {shop} kg{volumetric},"
                f"超出容差 {kg_text(tol['weight_g'])} kg;按我方重量应收 {fen_text(r['expected_fee'])} 元,"
                f"账单 {fee} 元,多收 {fen_text(r['amount'])} 元")
    if cat == FEE_MISMATCH:
        diff = int(r["amount"])
        way = "多收" if diff > 0 else "少收"
        return (f"按计费重量 {kg_text(r['billed_weight_g'])} kg、{r['courier']}寄{prov}的价格应收 "
                f"{fen_text(r['table_fee'])} 元,账单 {fee} 元,{way} {fen_text(abs(diff))} 元")
    if not r["priced"]:
        return f"价格表中没有{r['courier']}寄{prov}的价格,未核对运费"
    if r["shop_weight_g"] is pd.NA:
        return "发货记录没有重量,未核对是否超重"
    return "相符" + (f"(我方按体积重 {shop} kg 计)" if r["volumetric"] else "")


def explain(lines: pd.DataFrame, tolerances: dict) -> pd.Series:
    """A short Chinese explanation per line (what differs and why the amount); a plain match
    (priced, weighed, not volumetric) is just 相符, without a pass per line."""
    columns = ["category", "billed_fee", "register_row", "province", "digits_lost", "waybill_shown", "waybill",
               "first_row", "first_source", "source", "insured", "status", "amount", "shop_weight_g", "volumetric",
               "billed_weight_g", "expected_fee", "courier", "table_fee", "priced", "extra_fee"]
    out = pd.Series("相符", index=lines.index, dtype=object)
    plain = ((lines["category"] == MATCH) & lines["priced"].astype(bool) & lines["shop_weight_g"].notna()
             & ~lines["volumetric"].astype(bool)).to_numpy(dtype=bool)
    if (~plain).any():
        records = lines[~plain].reindex(columns=columns).astype(object).to_dict("records")
        out[~plain] = [_explain_one(r, tolerances) for r in records]
    return out
