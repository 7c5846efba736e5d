"""City figures payroll needs, as rules data (a 城市标准 sheet of the rules workbook): the monthly
minimum wage and from when it applies, whether the employee's own social insurance and housing
fund count towards it, how the housing fund is rounded (to the fen or to the yuan, each side on
its own) and the 住房租金 deduction standard of the city's tier.

The defaults below carry their authority in 说明; docs/payroll.md lists the sources. A city whose
rule was not confirmed says 未核实 there.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from shopbook.core import findings as fnd
from shopbook.reading.schema import normalise_header

CITY_SHEET = "城市标准"
CITY_COLUMNS = ("城市", "起始日期", "最低工资", "最低工资扣除个人社保公积金", "公积金取整", "住房租金扣除标准", "说明")
FEN, YUAN = "分", "元"
YES, NO = "是", "否"

DEFAULT_CITY_ROWS = (
    ("上海", "2023-07-01", 2690, YES, YUAN, 1500, "2025-07-01 前的标准;公积金每方各自四舍五入到元(沪公积金管委会〔2025〕8号 公布的上下限 5222/376)"),
    ("上海", "2025-07-01", 2740, YES, YUAN, 1500, "沪人社规〔2025〕10号:2740 元,不含个人缴纳的社保和公积金"),
    ("北京", "2023-09-01", 2420, YES, YUAN, 1500, "未核实:起始日期、是否扣除个人社保公积金、公积金取整"),
    ("北京", "2025-09-01", 2540, YES, YUAN, 1500, "北京市 2025 年最低工资标准通知;未核实:起始日期、是否扣除个人社保公积金、公积金取整"),
    ("广州", "2025-03-01", 2500, NO, FEN, 1500, "粤府函〔2025〕23号;未核实:是否含个人社保公积金、公积金取整"),
    ("深圳", "2025-03-01", 2520, NO, FEN, 1500, "粤府函〔2025〕23号;未核实:是否含个人社保公积金、公积金取整"),
    ("昆明", "2025-10-01", 2170, NO, YUAN, 1500, "云人社发〔2025〕19号,含个人缴纳的社保和公积金;昆公积金规〔2020〕2号 取整到元"),
    ("昆明", "2026-09-01", 2270, NO, YUAN, 1500, "云人社发〔2025〕19号"),
)


@dataclass(frozen=True)
class CityStandard:
    city: str
    start: dt.date
    minimum_wage: Decimal
    minimum_net_of_contributions: bool  # the employee's own 社保/公积金 are taken off before comparing
    fund_rounding: str  # FEN or YUAN
    rent_deduction: Decimal  # 住房租金 专项附加扣除 per month for the city's tier


def _text(value) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def _blank(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    text = _text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日-")
    try:
        year, month, day = (int(p) for p in text.split("-"))
        return dt.date(year, month, day)
    except (ValueError, TypeError):
        raise ValueError("日期应写成 2025-07-01") from None


def city_standards_from_frame(frame: pd.DataFrame, sheet: str, to_decimal, rule_invalid
                              ) -> tuple[tuple[CityStandard, ...], pd.DataFrame]:
    """The city table from a 城市标准 sheet (first row = headers, index = Excel row). Cities on the
    sheet replace the defaults of the same name; a bad row is a rule-invalid finding and left out."""
    problems = []
    lookup = {normalise_header(c): c for c in CITY_COLUMNS}
    columns = {lookup[normalise_header(c)]: c for c in frame.columns if normalise_header(c) in lookup}
    if "城市" not in columns or "起始日期" not in columns:
        problems.append(rule_invalid(sheet, "表头", "需要「城市」「起始日期」列"))
        return DEFAULT_CITIES, fnd.combine(problems)
    rows = []
    for excel_row, row in frame.iterrows():
        get = lambda name: row[columns[name]] if name in columns else None  # noqa: E731
        if all(_blank(get(n)) for n in CITY_COLUMNS if n != "说明"):
            continue
        where = f"第 {excel_row} 行"
        try:
            if _blank(get("城市")):
                raise ValueError("没有填写城市")
            city = _text(get("城市"))
            where = f"第 {excel_row} 行 {city}"
            start = _date(get("起始日期"))
            minimum = to_decimal(get("最低工资"))
            if minimum <= 0:
                raise ValueError("最低工资应大于 0")
            net = _text(get("最低工资扣除个人社保公积金") or YES)
            if net not in (YES, NO):
                raise ValueError("「最低工资扣除个人社保公积金」应为 是 或 否")
            rounding = _text(get("公积金取整") or FEN)
            if rounding not in (FEN, YUAN):
                raise ValueError("「公积金取整」应为 分 或 元")
            rent = to_decimal(get("住房租金扣除标准")) if not _blank(get("住房租金扣除标准")) else Decimal(1500)
            if rent not in (Decimal(1500), Decimal(1100), Decimal(800)):
                raise ValueError("住房租金扣除标准应为 1500、1100 或 800(国发〔2018〕41号)")
        except ValueError as exc:
            problems.append(rule_invalid(sheet, where, str(exc)))
            continue
        rows.append(CityStandard(city, start, minimum, net == YES, rounding, rent))
    named = {r.city for r in rows}
    kept = tuple(r for r in DEFAULT_CITIES if r.city not in named)
    return kept + tuple(rows), fnd.combine(problems)


def default_city_table() -> pd.DataFrame:
    """The city defaults as a sheet for the rules workbook."""
    return pd.DataFrame([list(r) for r in DEFAULT_CITY_ROWS], columns=list(CITY_COLUMNS), dtype=object)


def standard_for(cities: tuple[CityStandard, ...], city: str | None, month: dt.date) -> CityStandard | None:
    """The city's row in force for `month`: the latest whose 起始日期 is on or before the month's
    first day; None without a city or a row."""
    if not city:
        return None
    rows = [r for r in cities if r.city == city and r.start <= month]
    return max(rows, key=lambda r: r.start) if rows else None


DEFAULT_CITIES = tuple(CityStandard(c, _date(s), Decimal(m), n == YES, r, Decimal(t))
                       for c, s, m, n, r, t, _ in DEFAULT_CITY_ROWS)
