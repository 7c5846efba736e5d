"""The courier price rules (快递价格): the built-in price table (provinces grouped into zones as
seen from a shop in 浙江, per courier 首重/续重 and 顺丰's 抛比), the 快递价格 sheet of the rules
workbook parsed into one row per courier × province × validity, the price row of a parcel on a
given day, and the price formula itself (fee_for_weight: 首重价格 + ceil((w − 首重) / 续重单位) ×
续重单价, chargeable weight = max(actual, volumetric) with volumetric = L×W×H / 抛比).

Weights in integer grams, money in integer fen, so every step of the formula is exact.
"""
from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pandas as pd

from shopbook.core import findings as fnd
from shopbook.core.money import half_up, parse_decimal, sane_decimal
from shopbook.reading.schema import normalise_header
from shopbook.core.places import province_of_text
from shopbook.rules import Rules

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
    return int(half_up(d))


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

