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
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from shopbook.core import findings as fnd
from shopbook.reading.cells import fen_text, parse_decimal, sane_decimal
from shopbook.reading.schema import DATE, ID, MONEY, NUMBER, TEXT, Column, SheetKind, normalise_header
from shopbook.rules import PROVINCES, Rules, canonical_province, province_short

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
LOST_STATES, UNDELIVERED_STATES = ("丢件", "破损"), ("无法送达",)


# --- the price table ----------------------------------------------------------------------
PRICE_SHEET = "快递价格"
_PRICE_HEADERS = {
    "快递公司": ("快递公司", "快递", "物流公司", "承运商"),
    "省份": ("省份", "省", "目的省份", "地区", "区域", "目的地"),
    "首重": ("首重", "首重重量"),
    "首重价格": ("首重价格", "首重价", "首重费用", "首重运费", "首重单价"),
    "续重单位": ("续重单位", "续重重量", "续重"),
    "续重单价": ("续重单价", "续重价格", "续重价", "续重费用"),
    "生效日期": ("生效日期", "开始日期", "起始日期"),
    "失效日期": ("失效日期", "截止日期", "结束日期"),
    "抛比": ("抛比", "抛重系数", "体积系数", "泡比", "材积系数"),
}
_PRICE_REQUIRED = ("快递公司", "省份", "首重", "首重价格", "续重单位", "续重单价")
ANY_PROVINCE = "*"
_ANY_PROVINCE_WORDS = {"其他", "其它", "其余", "全国", "默认", "*", "其他省份", "其它省份", "其余省份"}

# Province groups as seen from a shop in 浙江 (义乌): near is cheap, remote is dear.
PRICE_ZONES = {
    "江浙沪": ("上海", "江苏", "浙江"),
    "一区": ("安徽", "江西", "福建", "山东", "河南", "湖北", "湖南", "北京", "天津", "河北", "广东"),
    "二区": ("山西", "陕西", "四川", "重庆", "广西", "贵州", "云南", "辽宁", "吉林", "黑龙江", "海南"),
    "偏远": ("甘肃", "青海", "宁夏", "内蒙古"),
    "新疆西藏": ("新疆", "西藏"),
}
# courier -> zone -> (首重 kg, 首重价格, 续重单位 kg, 续重单价); 抛比 per courier (None = not volumetric)
_DEFAULT_RATES = {
    "中通": {"江浙沪": ("1", "3.00", "1", "1.00"), "一区": ("1", "4.00", "1", "2.00"), "二区": ("1", "5.00", "1", "3.00"),
           "偏远": ("1", "8.00", "1", "6.00"), "新疆西藏": ("1", "15.00", "1", "12.00")},
    "圆通": {"江浙沪": ("1", "3.00", "1", "1.00"), "一区": ("1", "4.00", "1", "2.00"), "二区": ("1", "5.20", "1", "3.00"),
           "偏远": ("1", "8.00", "1", "6.00"), "新疆西藏": ("1", "15.00", "1", "12.00")},
    "韵达": {"江浙沪": ("1", "2.80", "1", "1.00"), "一区": ("1", "3.80", "1", "2.00"), "二区": ("1", "5.00", "1", "3.00"),
           "偏远": ("1", "8.00", "1", "6.00"), "新疆西藏": ("1", "16.00", "1", "12.00")},
    "申通": {"江浙沪": ("1", "2.80", "1", "1.00"), "一区": ("1", "3.80", "1", "2.00"), "二区": ("1", "4.80", "1", "3.00"),
           "偏远": ("1", "7.50", "1", "6.00"), "新疆西藏": ("1", "15.00", "1", "12.00")},
    "极兔": {"江浙沪": ("1", "2.60", "0.5", "0.50"), "一区": ("1", "3.50", "0.5", "1.00"), "二区": ("1", "4.50", "0.5", "1.50"),
           "偏远": ("1", "7.00", "0.5", "3.00"), "新疆西藏": ("1", "14.00", "0.5", "6.00")},
    "顺丰": {"江浙沪": ("1", "12.00", "1", "2.00"), "一区": ("1", "15.00", "1", "5.00"), "二区": ("1", "18.00", "1", "6.00"),
           "偏远": ("1", "20.00", "1", "10.00"), "新疆西藏": ("1", "23.00", "1", "18.00")},
}
_DEFAULT_DIVISOR = {"顺丰": 6000}


def default_price_table() -> pd.DataFrame:
    """The built-in 快递价格 table, laid out as the sheet of the rules workbook: 快递公司, 省份
    (several joined by 、), 首重(kg), 首重价格, 续重单位(kg), 续重单价, 抛比, 生效日期, 失效日期.
    Money and weights are Decimal (exact); a blank 抛比/日期 is None."""
    rows = []
    for courier, zones in _DEFAULT_RATES.items():
        for zone, (first_kg, first_price, step_kg, step_price) in zones.items():
            rows.append({"快递公司": courier, "省份": "、".join(PRICE_ZONES[zone]),
                         "首重(kg)": Decimal(first_kg), "首重价格": Decimal(first_price),
                         "续重单位(kg)": Decimal(step_kg), "续重单价": Decimal(step_price),
                         "抛比": _DEFAULT_DIVISOR.get(courier), "生效日期": None, "失效日期": None})
    return pd.DataFrame(rows)


def _decimal(value) -> Decimal | None:
    """A cell as an exact Decimal (floats through their shortest repr), None when blank/bad."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        return None
    text = re.sub(r"[¥￥,，\s元]|kg|KG|千克|公斤", "", str(value).strip()) if isinstance(value, str) else repr(value) \
        if isinstance(value, float) else str(value)
    if text == "":
        return None
    d = parse_decimal(text)
    return d if sane_decimal(d) else None


def _half_up(d: Decimal) -> int:
    return int(d.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _cell_date(value) -> pd.Timestamp | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    from shopbook.reading.cells import parse_date
    parsed, _ = parse_date(pd.Series([value], dtype=object))
    return None if pd.isna(parsed.iloc[0]) else parsed.iloc[0]


def split_provinces(text) -> tuple[list[str], list[str]]:
    """(full province names or '*', unknown parts) of a 省份 cell like '江苏、浙江,上海'."""
    names, unknown = [], []
    for part in re.split(r"[、,，;；/\s]+", str(text or "").strip()):
        if not part:
            continue
        if part in _ANY_PROVINCE_WORDS:
            names.append(ANY_PROVINCE)
            continue
        full = province_of_text(part)
        (names if full else unknown).append(full or part)
    return names, unknown


def parse_price_table(frame: pd.DataFrame | None, rules: Rules, sheet: str = PRICE_SHEET
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 快递价格 sheet (as in rules.tables: header row as columns, index = Excel row) ->
    (one row per courier × province × validity: courier, province, start, end, first_g,
    first_fen, step_g, step_fen, divisor, row), findings. A missing or unusable sheet gives the
    default table; a bad row is a finding and is left out."""
    problems = []
    if frame is None:
        frame = default_price_table()
        frame.index = frame.index + 2
    cols = {}
    for header in frame.columns:
        key = normalise_header(header)
        for canonical, spellings in _PRICE_HEADERS.items():
            if canonical not in cols and key in {normalise_header(s) for s in spellings}:
                cols[canonical] = header
    missing = [c for c in _PRICE_REQUIRED if c not in cols]
    if missing:
        problems.append(fnd.sheet_level(sheet, "rule-invalid", value="表头",
                                        reason=f"缺少列 {'、'.join(missing)}"))
        rows, more = parse_price_table(None, rules, sheet)
        return rows, fnd.combine(problems + [more])
    out = []
    for row, record in frame.iterrows():
        values = {c: record[h] for c, h in cols.items()}
        if all(v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())
               for v in values.values()):
            continue
        courier = rules.courier_name(str(values["快递公司"]).strip()) if values["快递公司"] else None
        provinces, unknown = split_provinces(values["省份"])
        first_kg, step_kg = _decimal(values["首重"]), _decimal(values["续重单位"])
        first_price, step_price = _decimal(values["首重价格"]), _decimal(values["续重单价"])
        divisor = _decimal(values.get("抛比"))
        start, end = _cell_date(values.get("生效日期")), _cell_date(values.get("失效日期"))
        reason = None
        if not courier:
            reason = "没有填写快递公司"
        elif not provinces or unknown:
            reason = f"省份无法识别({'、'.join(unknown) or '空'})"
        elif first_kg is None or first_kg < 0 or first_price is None or first_price < 0:
            reason = "首重或首重价格不是非负数字"
        elif step_kg is None or step_kg <= 0 or step_price is None or step_price < 0:
            reason = "续重单位必须大于 0,续重单价不能为负"
        elif divisor is not None and divisor <= 0:
            reason = "抛比必须大于 0"
        elif start is not None and end is not None and end < start:
            reason = "失效日期早于生效日期"
        if reason:
            problems.append(fnd.at_rows(sheet, [row], None, None, "price-row-invalid",
                                        [f"{values['快递公司']} {values['省份']}"], reason=reason, row=int(row)))
            continue
        for province in provinces:
            out.append({"courier": courier, "province": province,
                        "start": start, "end": end,
                        "first_g": _half_up(first_kg * 1000), "first_fen": _half_up(first_price * 100),
                        "step_g": max(_half_up(step_kg * 1000), 1), "step_fen": _half_up(step_price * 100),
                        "divisor": _half_up(divisor) if divisor is not None else 0, "row": int(row)})
    rows = pd.DataFrame(out, columns=["courier", "province", "start", "end", "first_g", "first_fen", "step_g",
                                      "step_fen", "divisor", "row"])
    rows["start"] = pd.to_datetime(rows["start"]).astype("datetime64[ns]")
    rows["end"] = pd.to_datetime(rows["end"]).astype("datetime64[ns]")
    return rows, fnd.combine(problems)


def fee_for_weight(weight_g, first_g, first_fen, step_g, step_fen):
    """Expected fee in fen for a weight in grams (scalars or numpy arrays, integers):
    w ≤ 首重 -> 首重价格; else 首重价格 + ceil((w − 首重) / 续重单位) × 续重单价."""
    over = np.asarray(weight_g, dtype=np.int64) - first_g
    steps = np.where(over > 0, -(-over // step_g), 0)
    return first_fen + steps * step_fen


def volumetric_grams(volume_mm3, divisor):
    """Volumetric weight in grams of L×W×H (mm³) for a 抛比 (cm³ per kg), rounded up; 0 where
    there is no 抛比 or no dimensions. Chargeable weight = max(actual, volumetric)."""
    volume = np.asarray(volume_mm3, dtype=np.int64)
    divisor = np.asarray(divisor, dtype=np.int64)
    return np.where((divisor > 0) & (volume > 0), -(-volume // np.maximum(divisor, 1)), 0)


def price_sheet(rules: Rules) -> pd.DataFrame | None:
    """The 快递价格 sheet of the rules workbook (raw), or None for the built-in table."""
    for name, frame in rules.tables.items():
        if normalise_header(name) == normalise_header(PRICE_SHEET):
            return frame
    return None


def parcel_fees(price_rows: pd.DataFrame, courier, province, date, grams, volume_mm3=None) -> dict:
    """The price-table fee of parcels as the reconciliation computes it: the price row for courier,
    province and day (_resolve_prices), the chargeable weight max(actual, volumetric) and the
    首重/续重 formula. Arrays per parcel: `found` (a price row exists), `grams` (chargeable),
    `fee` (fen; meaningful where found and the weight is known)."""
    price = _resolve_prices(price_rows, np.asarray(courier, dtype=object), np.asarray(province, dtype=object),
                            np.asarray(date, dtype="datetime64[ns]"))
    actual = np.asarray(grams, dtype=np.int64)
    volume = np.zeros(len(actual), dtype=np.int64) if volume_mm3 is None else volume_mm3
    chargeable = np.maximum(actual, volumetric_grams(volume, price["divisor"]))
    fee = fee_for_weight(chargeable, price["first_g"], price["first_fen"], price["step_g"], price["step_fen"])
    return {"found": price["found"], "grams": chargeable, "fee": np.asarray(fee, dtype=np.int64)}


# --- small exact conversions ------------------------------------------------------------
def to_grams(kg: pd.Series) -> np.ndarray:
    """kg numbers (float/int/Decimal/None) -> int64 grams, half-up; NA -> -1 (see valid mask)."""
    values = pd.to_numeric(pd.Series(kg, copy=False), errors="coerce").astype("float64").to_numpy()
    grams = np.floor(np.abs(values) * 1000 + 0.5) * np.sign(values)
    return np.where(np.isnan(grams), -1, grams).astype(np.int64)


def tolerance_grams(kg: float) -> int:
    return _half_up(Decimal(str(kg)) * 1000)


def tolerance_fen(yuan: float) -> int:
    return _half_up(Decimal(str(yuan)) * 100)


def multiply_fen(fen: np.ndarray, factor: float) -> np.ndarray:
    """fen × factor rounded half-up to the fen, exactly (factor as a decimal fraction)."""
    num, den = Decimal(str(factor)).as_integer_ratio()
    fen = np.asarray(fen, dtype=np.int64)
    product = fen * num
    return np.sign(product) * ((np.abs(product) * 2 + den) // (2 * den))


def province_of_text(text) -> str | None:
    """Full province name of '广东', '广东省' or '广东省广州市…' (short forms accepted), else None."""
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    full = canonical_province(text)
    if full:
        return full
    for name in _PROVINCE_PREFIXES:
        if text.startswith(name):
            return canonical_province(name)
    return None


_PROVINCE_PREFIXES = sorted({*PROVINCES, *(province_short(p) for p in PROVINCES), "内蒙"}, key=len, reverse=True)


def _mapped(values: pd.Series, func) -> np.ndarray:
    """func applied once per distinct value (columns like province or courier repeat a lot)."""
    codes, uniques = pd.factorize(pd.Series(values, copy=False), use_na_sentinel=True)
    mapped = np.array([func(v) for v in uniques] + [None], dtype=object)
    return mapped[codes]


def _column(frame: pd.DataFrame, name: str, dtype=object) -> pd.Series:
    if name in frame:
        return frame[name]
    return pd.Series(None if dtype is object else pd.NA, index=frame.index, dtype=dtype)


def _int_or_na(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Int64-like column -> (int64 values with 0 for NA, known mask)."""
    s = pd.Series(values, copy=False)
    known = s.notna().to_numpy()
    return s.fillna(0).astype("int64").to_numpy(), known


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
        disputed = bool((self.lines["category"] != MATCH).any())
        errors = bool((self.findings["severity"] == "error").any()) if len(self.findings) else False
        return 1 if disputed or errors else 0

    def disputes(self) -> pd.DataFrame:
        """The lines to send the courier: every category but match."""
        return self.lines[self.lines["category"] != MATCH]


def reconcile(bill: pd.DataFrame, shipments: pd.DataFrame, prices: pd.DataFrame | None, rules: Rules,
              *, as_of: dt.datetime | None = None) -> Reconciliation:
    """Reconcile a bill against the shipping register.

    bill: canonical COURIER_BILL columns as parsed by shopbook.reading (快递单号 text, 寄件日期
    datetime, 目的省份 text, 计费重量 kg, 运费 Int64 fen, 快递公司 text), optionally `_source`
    (the sheet it came from) and `_row` (Excel row; else the index is taken), in bill order.
    shipments: the 发货 register parsed likewise (快递单号, 快递公司, 发货日期, 重量 kg, 长/宽/高 cm,
    省, 状态, 保价金额 fen, 收件人, 手机, 订单号; `_row` or index = Excel row).
    prices: the 快递价格 sheet as a raw frame (rules.tables["快递价格"]) or None for the default.
    """
    price_rows, price_findings = parse_price_table(prices, rules)
    as_of = pd.Timestamp(as_of or dt.datetime.now()).normalize()
    tol_g, tol_fen = tolerance_grams(rules.weight_tolerance_kg), tolerance_fen(rules.fee_tolerance)
    n = len(bill)

    bill_rows = (bill["_row"] if "_row" in bill else pd.Series(bill.index, index=bill.index)).to_numpy()
    sources = _column(bill, "_source").fillna("账单")
    waybill = _column(bill, "快递单号")
    ship_waybill = _column(shipments, "快递单号")
    bill_key = _waybill_key(waybill)
    ship_key = _waybill_key(ship_waybill)
    codes, uniques = pd.factorize(pd.concat([bill_key, ship_key], ignore_index=True), use_na_sentinel=True)
    bill_code, ship_code = codes[:n], codes[n:]
    reg = _register_by_waybill(shipments, ship_code, len(uniques), rules)

    known = bill_code >= 0
    safe = np.where(known, bill_code, 0)
    in_register = known & reg["present"][safe]
    duplicate = known & pd.Series(bill_code).duplicated().to_numpy()

    bill_courier = _mapped(_column(bill, "快递公司"), rules.courier_name)
    courier = np.where(pd.isna(bill_courier) & in_register, reg["courier"][safe], bill_courier)
    courier = np.where(pd.isna(courier), NO_COURIER, courier).astype(object)
    province = _mapped(_column(bill, "目的省份"), province_of_text)
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
    category = np.array(PRECEDENCE, dtype=object)[category_index]

    insured, insured_known = reg["insured"][safe], reg["insured_known"][safe]
    claim_amount = np.where(insured_known, insured, multiply_fen(billed_fee, rules.claim_multiple))
    amount = np.select(
        [category_index == PRECEDENCE.index(c) for c in (DUPLICATE, NOT_SHIPPED, CLAIM, UNDELIVERED, OVERWEIGHT,
                                                          FEE_MISMATCH)],
        [billed_fee + extra, billed_fee + extra, claim_amount, billed_fee, billed_fee - fee_shop_w,
         billed_fee - fee_billed_w],
        default=0)
    expected_known = both & has_price & shop_known
    expected = np.where(category == FEE_MISMATCH, fee_billed_w, fee_shop_w)

    def ints(values, known) -> pd.arrays.IntegerArray:  # Int64, NA where not known
        return pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), ~np.asarray(known, dtype=bool))

    def texts(values) -> pd.Series:  # object dtype: no conversion of a million strings to str
        return pd.Series(np.asarray(values, dtype=object), dtype=object, copy=False)

    lines = pd.DataFrame({
        "source": pd.Categorical(sources), "row": bill_rows,
        "waybill": texts(waybill.to_numpy(dtype=object)), "courier": texts(courier),
        "date": pd.to_datetime(date), "province": texts(province),
        "category": pd.Categorical(category, categories=CATEGORIES),
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


def _waybill_key(values: pd.Series) -> pd.Series:
    """Waybills compared as text: stripped, ASCII letters upper-cased, blank -> NA; a number
    written out as a float ('773012345678901.0', a csv from a spreadsheet) counts as its digits."""
    s = pd.Series(values, copy=False).astype("string").str.strip().str.upper()
    s = s.str.replace(r"^(\d+)\.0+$", r"\1", regex=True)
    return s.where(s != "", pd.NA)


def _register_by_waybill(ship: pd.DataFrame, code: np.ndarray, size: int, rules: Rules) -> dict:
    """Per waybill code: present, summed grams (multi-parcel), volume, state, first row's fields."""
    valid = code >= 0
    c = code[valid]
    out: dict = {"present": np.zeros(size, dtype=bool)}
    out["present"][c] = True

    grams = to_grams(_column(ship, "重量"))[valid]
    known = grams >= 0
    out["grams"] = np.rint(np.bincount(c, weights=np.where(known, grams, 0), minlength=size)).astype(np.int64)
    out["grams_known"] = np.bincount(c, weights=~known, minlength=size) == 0

    dims = [_millimetres(ship[d])[valid] if d in ship else np.zeros(len(c), dtype=np.int64) for d in ("长", "宽", "高")]
    with_dims = (dims[0] > 0) & (dims[1] > 0) & (dims[2] > 0)
    volume = np.where(with_dims, dims[0] * dims[1] * dims[2], 0)
    out["volume_mm3"] = np.zeros(size, dtype=np.int64)
    np.add.at(out["volume_mm3"], c, volume)

    status = _column(ship, "状态").to_numpy(dtype=object)[valid]
    lost = np.isin(status, LOST_STATES)
    out["lost"] = np.bincount(c, weights=lost, minlength=size) > 0
    out["undelivered"] = np.bincount(c, weights=np.isin(status, UNDELIVERED_STATES), minlength=size) > 0
    insured, insured_known = _int_or_na(_column(ship, "保价金额", "Int64"))
    insured, insured_known = insured[valid], insured_known[valid] & lost
    out["insured"] = np.zeros(size, dtype=np.int64)
    np.add.at(out["insured"], c, np.where(insured_known, insured, 0))
    out["insured_known"] = np.bincount(c, weights=insured_known, minlength=size) > 0
    # the state shown for the waybill: a lost/damaged/undelivered row wins over 正常
    rank = np.where(lost, 2, np.where(np.isin(status, UNDELIVERED_STATES), 1, 0))
    order = np.lexsort((-rank, c))
    first_state = np.full(size, None, dtype=object)
    _, first_pos = np.unique(c[order], return_index=True)
    first_state[c[order][first_pos]] = status[order][first_pos]
    out["status"] = first_state

    _, first = np.unique(c, return_index=True)  # first register row of each waybill
    where = np.flatnonzero(valid)[first]
    keys = c[first]
    rows = (ship["_row"] if "_row" in ship else pd.Series(ship.index, index=ship.index)).to_numpy()
    couriers = _mapped(_column(ship, "快递公司"), rules.courier_name)
    provinces = _mapped(_column(ship, "省"), province_of_text)
    dates = pd.to_datetime(_column(ship, "发货日期", "datetime64[ns]")).to_numpy(dtype="datetime64[ns]")
    for name, values, empty in (("row", rows, 0), ("courier", couriers, None), ("province", provinces, None)):
        arr = np.full(size, empty, dtype=object if empty is None else np.int64)
        arr[keys] = values[where]
        out[name] = arr
    # position of the waybill's first register row: names, phones and order numbers are taken
    # from there only for the lines shown (contacts()), never for a million matching lines
    out["pos"] = np.full(size, -1, dtype=np.int64)
    out["pos"][keys] = where
    out["date"] = np.full(size, np.datetime64("NaT"), dtype="datetime64[ns]")
    out["date"][keys] = dates[where]
    return out


def _millimetres(cm: pd.Series) -> np.ndarray:
    values = pd.to_numeric(pd.Series(cm, copy=False), errors="coerce").astype("float64").to_numpy()
    mm = np.floor(values * 10 + 0.5)
    return np.where(np.isnan(mm) | (mm < 0), 0, mm).astype(np.int64)


def _resolve_prices(rows: pd.DataFrame, courier: np.ndarray, province: np.ndarray, date: np.ndarray) -> dict:
    """The price row for each line (courier, province, date): a named province beats 其他/全国,
    and among rows valid that day (生效日期 ≤ day ≤ 失效日期, blank = open) the latest 生效日期
    wins; arrays per line, `found` false when there is none."""
    n = len(courier)
    # tariffs change by the day: one lookup per courier × province × day
    day = np.asarray(date, dtype="datetime64[ns]").astype("datetime64[D]")
    c_code, c_uniq = pd.factorize(pd.Series(courier, dtype=object), use_na_sentinel=False)
    p_code, p_uniq = pd.factorize(pd.Series(province, dtype=object), use_na_sentinel=False)
    d_code, d_uniq = pd.factorize(day, use_na_sentinel=False)
    combined = (c_code.astype(np.int64) * len(p_uniq) + p_code) * max(len(d_uniq), 1) + d_code
    _, where, codes = np.unique(combined, return_index=True, return_inverse=True)
    codes = codes.reshape(-1)
    wanted = pd.DataFrame({"courier": np.asarray(c_uniq, dtype=object)[c_code[where]],
                           "province": np.asarray(p_uniq, dtype=object)[p_code[where]],
                           "day": pd.to_datetime(np.asarray(d_uniq)[d_code[where]]).astype("datetime64[ns]")})
    wanted["key"] = np.arange(len(wanted))
    table = rows.reset_index(drop=True).assign(price_row=np.arange(len(rows)))
    specific = wanted.merge(table, on=["courier", "province"], how="inner").assign(rank=0)
    anywhere = wanted.merge(table[table["province"] == ANY_PROVINCE].drop(columns="province"),
                            on="courier", how="inner").assign(rank=1)
    candidates = pd.concat([specific, anywhere], ignore_index=True)
    day_known = candidates["day"].notna()
    valid = ~day_known | ((candidates["start"].isna() | (candidates["start"] <= candidates["day"]))
                          & (candidates["end"].isna() | (candidates["end"] >= candidates["day"])))
    candidates = candidates[valid.to_numpy(dtype=bool)]
    candidates = candidates.assign(start_key=candidates["start"].fillna(pd.Timestamp.min))
    best = candidates.sort_values(["key", "rank", "start_key", "price_row"], ascending=[True, True, False, False],
                                  kind="stable").drop_duplicates("key")
    picked = np.full(len(wanted), -1, dtype=np.int64)
    picked[best["key"].to_numpy()] = best["price_row"].to_numpy()
    line_row = picked[codes] if n else np.zeros(0, dtype=np.int64)
    found = line_row >= 0
    take = np.where(found, line_row, 0)
    out = {"found": found}
    for name in ("first_g", "first_fen", "step_g", "step_fen", "divisor"):
        column = rows[name].to_numpy(dtype=np.int64) if len(rows) else np.zeros(1, dtype=np.int64)
        out[name] = np.where(found, column[take], 1 if name == "step_g" else 0)
    return out


def _first_positions(bill_code: np.ndarray, duplicate: np.ndarray) -> np.ndarray:
    """For each duplicate line, the position of the waybill's first bill line."""
    codes, first = np.unique(bill_code, return_index=True)
    return first[np.searchsorted(codes, bill_code[duplicate])]


def _line_findings(lines: pd.DataFrame, both, has_price, shop_known, bill_courier, reg, safe) -> pd.DataFrame:
    """Warnings on bill lines: no price, no shop weight, courier differing from the register."""
    frames = []
    no_price = both & ~has_price
    no_weight = both & has_price & ~shop_known
    differs = both & ~pd.isna(bill_courier) & ~pd.isna(reg["courier"][safe]) & (bill_courier != reg["courier"][safe])
    for mask, code, column, extra in (
            (no_price, "bill-price-missing", "目的省份", lambda d: {"courier": d["courier"], "province": d["province"]}),
            (no_weight, "bill-shop-weight-missing", "快递单号", lambda d: {"register_row": d["register_row"]}),
            (differs, "bill-courier-differs", "快递公司", None)):
        if not mask.any():
            continue
        sub = lines[mask]
        if code == "bill-courier-differs":
            fields = {"registered": reg["courier"][safe][mask]}
        else:
            fields = extra(sub)
        for source, group in sub.groupby("source", sort=False):
            part = {k: (pd.Series(v, index=sub.index)[group.index] if not isinstance(v, pd.Series) else v[group.index])
                    for k, v in fields.items()}
            values = group["courier"] if code == "bill-courier-differs" else group["waybill"]
            frames.append(fnd.at_rows(source, group["row"], column, None, code, values,
                                      waybill=group["waybill"], **part))
    return fnd.combine(frames)


def contacts(shipments: pd.DataFrame | None, positions) -> pd.DataFrame:
    """收件人, 手机, 订单号 of the register rows at these positions (-1: none) as columns
    recipient, phone, order (None where unknown), one row per position."""
    positions = np.asarray(positions, dtype=np.int64)
    out = {}
    for name, column in (("recipient", "收件人"), ("phone", "手机"), ("order", "订单号")):
        values = np.full(len(positions), None, dtype=object)
        if shipments is not None and column in shipments and len(positions):
            known = positions >= 0
            taken = shipments[column].iloc[positions[known]].astype(object).to_numpy()
            values[known] = [None if v is pd.NA or (isinstance(v, float) and v != v) else v for v in taken]
        out[name] = pd.Series(values, dtype=object)
    return pd.DataFrame(out)


def _not_billed(reg: dict, uniques, bill_code: np.ndarray, courier: np.ndarray, bill_date: np.ndarray,
                shipments: pd.DataFrame) -> pd.DataFrame:
    """Register parcels not on the bill, of couriers on the bill, shipped within that courier's
    bill date range (no dates on a courier's bill lines: no date limit)."""
    billed = np.zeros(len(uniques), dtype=bool)
    billed[bill_code[bill_code >= 0]] = True
    candidate = reg["present"] & ~billed
    frame = pd.DataFrame({"courier": courier, "date": bill_date})
    ranges = frame.groupby("courier", sort=False)["date"].agg(["min", "max"])
    reg_courier = reg["courier"]
    keep = np.zeros(len(uniques), dtype=bool)
    for name, (low, high) in ranges.iterrows():
        mine = candidate & (reg_courier == name)
        if pd.isna(low):
            keep |= mine
            continue
        day = reg["date"].astype("datetime64[D]")
        keep |= mine & (day >= np.datetime64(pd.Timestamp(low).date())) & (day <= np.datetime64(pd.Timestamp(high).date()))
    idx = np.flatnonzero(keep)
    people = contacts(shipments, reg["pos"][idx])
    waybills = _column(shipments, "快递单号").iloc[reg["pos"][idx]].astype(object).to_numpy()
    out = pd.DataFrame({
        "waybill": pd.Series(waybills, dtype=object), "courier": reg_courier[idx],
        "date": pd.to_datetime(reg["date"][idx]), "province": reg["province"][idx],
        "shop_weight_g": pd.array(reg["grams"][idx], dtype="Int64"), "status": reg["status"][idx],
        "recipient": people["recipient"], "phone": people["phone"], "order": people["order"],
        "register_row": reg["row"][idx],
    })
    out.loc[~reg["grams_known"][idx], "shop_weight_g"] = pd.NA
    return out.sort_values("register_row", kind="stable").reset_index(drop=True)


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
