"""China's 34 provincial divisions: their names as people type them, and recognising the province
of an address — one place for every job (orders, the courier's bill and price table, handover).
Prefecture cities are looked up in cpca, a library of China's administrative divisions."""
from __future__ import annotations

import re

import pandas as pd

PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省",
    "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
    "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
    "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
    "香港特别行政区", "澳门特别行政区",
)


def province_short(full: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"):
        if full.endswith(suffix):
            return full[: -len(suffix)]
    return full


# every accepted spelling -> the full official name
PROVINCE_NAMES: dict[str, str] = {}
for _full in PROVINCES:
    PROVINCE_NAMES[_full] = _full
    PROVINCE_NAMES[province_short(_full)] = _full
PROVINCE_NAMES.update({"内蒙": "内蒙古自治区", "广西自治区": "广西壮族自治区", "新疆自治区": "新疆维吾尔自治区",
                       "宁夏自治区": "宁夏回族自治区", "香港": "香港特别行政区", "澳门": "澳门特别行政区"})


def canonical_province(text: str | None) -> str | None:
    if not isinstance(text, str) or not text:
        return None
    return PROVINCE_NAMES.get(text.strip())


_CITY_PREFIX = re.compile(r"^\s*([\u4e00-\u9fa5]{1,9}?(?:市|自治州|地区|盟))")


def province_by_city(addresses: pd.Series) -> list[str | None]:
    """The province of addresses that begin with a prefecture city but no province (深圳市… →
    广东省), by the cpca address library (China's administrative divisions). Only a city named
    at the start counts — a district alone is ambiguous (朝阳区 is in 北京 and in 长春) — and each
    distinct city is looked up once."""
    prefixes = [m.group(1) if (m := _CITY_PREFIX.match(str(a))) else None for a in addresses]
    cities = sorted({p for p in prefixes if p})
    if not cities:
        return [None] * len(prefixes)
    import cpca

    found = cpca.transform(cities)
    province = {c: canonical_province(p) for c, p, city in zip(cities, found["省"], found["市"]) if city == c}
    return [province.get(p) for p in prefixes]


PROVINCE_PREFIX = re.compile("^(" + "|".join(sorted(map(re.escape, PROVINCE_NAMES), key=len, reverse=True)) + ")")


def province_at_start(address: str) -> str | None:
    """The province an address begins with, in any accepted spelling (广东省广州市…, 广东广州… →
    广东省), else None."""
    m = PROVINCE_PREFIX.match(address)
    return PROVINCE_NAMES[m.group(1)] if m else None


def province_of_text(text) -> str | None:
    """Full province name of '广东', '广东省' or '广东省广州市…' (short forms accepted), else None."""
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    return canonical_province(text) or province_at_start(text)
