"""The shop's rules as data: built-in defaults, overridable by a rules workbook.

The rules workbook (template: workbooks/规则.xlsx) has a 参数 sheet (参数, 值) and table
sheets: 快递单号规则, 快递价格, 活动日, 退换货排除, 岗位薪酬, 班次. A bad value there is a
finding (rule-invalid) and the default stays in force; the job goes on.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Annotated

import pandas as pd
from pydantic import (AfterValidator, BeforeValidator, NonNegativeFloat, NonNegativeInt, TypeAdapter,
                      ValidationError)

from shopbook.core import findings as fnd
from shopbook.core.errors import UnusableInput
from shopbook.reading.files import open_workbook
from shopbook.reading.schema import normalise_header

_PATTERN_TOKEN = re.compile(r"""
    (?P<class>\\d|\[(?:A-Za-z|a-zA-Z|A-Z|a-z|0-9A-Z|A-Z0-9|0-9A-Za-z|A-Za-z0-9)\])
        (?:\{(?P<low>\d+)(?:,(?P<high>\d+))?\}|(?P<plus>\+))?
  | (?P<literal>[A-Za-z0-9]+|-)
""", re.VERBOSE)
_CLASS_WORDS = {"\\d": "位数字", "[A-Z]": "个大写字母", "[a-z]": "个小写字母", "[A-Za-z]": "个字母",
                "[a-zA-Z]": "个字母", "[0-9A-Z]": "位数字或大写字母", "[A-Z0-9]": "位数字或大写字母"}


def describe_pattern(pattern: str) -> str:
    """A waybill or 库位 pattern as a clerk reads it: ^SF\\d{12,13}$ -> "SF + 12–13 位数字".
    Patterns this cannot put into words are shown as written."""
    body = pattern.removeprefix("^").removesuffix("$")
    if body.startswith("(") and body.endswith(")") and body.count("(") == 1:
        body = body[1:-1]
    options = []
    for option in body.split("|"):
        parts, pos = [], 0
        while pos < len(option):
            m = _PATTERN_TOKEN.match(option, pos)
            if not m:
                return pattern
            pos = m.end()
            if m.group("literal"):
                text = m.group("literal")
                parts.append(f"「{text}」" if text == "-" else text)
                continue
            what = _CLASS_WORDS.get(m.group("class"), "位数字或字母")
            if m.group("plus"):
                parts.append(f"若干{what}")
            elif m.group("low"):
                low, high = m.group("low"), m.group("high")
                parts.append(f"{low}–{high} {what}" if high and high != low else f"{low} {what}")
            else:
                parts.append(f"1 {what}")
        options.append(" + ".join(parts))
    return " 或 ".join(options)


@dataclass(frozen=True)
class Courier:
    name: str
    aliases: tuple[str, ...]
    pattern: str


DEFAULT_COURIERS = (
    Courier("顺丰", ("顺丰速运", "顺丰快递", "SF", "sf"), r"^SF\d{12,13}$"),
    Courier("中通", ("中通快递", "ZTO", "zto"), r"^\d{12,15}$"),
    Courier("圆通", ("圆通速递", "圆通快递", "YTO", "yto"), r"^YT\d{10,15}$"),
    Courier("韵达", ("韵达快递", "韵达速递", "YUNDA", "yunda"), r"^\d{13,15}$"),
    Courier("申通", ("申通快递", "STO", "sto"), r"^\d{12,15}$"),
    Courier("极兔", ("极兔速递", "极兔快递", "J&T", "JT", "jt"), r"^JT\d{11,15}$"),
    Courier("京东", ("京东物流", "京东快递", "JD", "jd"), r"^JD[0-9A-Z]{10,16}$"),
    Courier("邮政", ("中国邮政", "邮政快递包裹", "EMS", "ems", "邮政EMS", "中国邮政EMS"), r"^([A-Z]{2}\d{9}[A-Z]{2}|\d{13})$"),
    Courier("德邦", ("德邦快递", "德邦物流", "DBL", "dbl"), r"^DPK\d{9,12}$"),
)

QUALITY_REASONS = ("质量问题", "发错货", "漏发", "破损", "少发", "错发", "商品破损", "做工问题")
EXCLUDED_CONDITIONS = ("已穿着", "已洗涤", "吊牌不全", "污渍", "损坏", "修改", "加工过", "已加工", "已修改", "吊牌缺失")
EXCLUDED_CATEGORIES = ("内裤",)
# the stock ledger (shopbook.stockbook): a returned item is sellable again when its 商品状态 says so
# (and names none of the excluded conditions); 库存 rows named like these are consumables (耗材)
RETURN_SELLABLE = ("完好", "全新", "正常")
CONSUMABLE_WORDS = ("快递袋", "胶带", "面单", "纸箱", "气泡", "包装袋", "封箱", "快递盒", "打包袋")
CONSUMABLE_CATEGORIES = ("耗材",)
# 库存调整 原因 that move goods into 残次 (账面 unchanged) or write 残次 off (账面 and 残次 both fall)
DEFECT_TRANSFER_WORDS = ("转残次", "转次品", "入残次")
DEFECT_WRITE_OFF_WORDS = ("残次报损", "残次报废", "次品报废", "次品报损", "残次退回", "残次销毁")

# 参数 sheet name -> Rules field
PARAMETERS = {
    "实付容差(元)": "amount_tolerance",
    "催付截止时间": "payment_cutoff",
    "发货截止时间": "shipping_cutoff",
    "最大重量(kg)": "max_weight_kg",
    "无理由退换天数": "return_days",
    "盘点周期(天)": "stocktake_days",
    "未签收提醒天数": "unsigned_days",
    "库位格式": "location_pattern",
    "重量容差(kg)": "weight_tolerance_kg",
    "金额容差(元)": "fee_tolerance",
    "丢件赔付倍数": "claim_multiple",
    "退货归位天数": "return_putback_days",
    "补货参考天数": "reorder_cover_days",
    "底单归档天数": "archive_days",
    "快递交接截止时间": "handover_cutoff",
    "中差评生效天数": "review_effect_days",
    "中差评修改期限(天)": "review_window_days",
    "评价锁定提醒天数": "review_warn_days",
    "心情评价回访(天)": "mood_callback_days",
    "货到付款联系时限(分钟)": "cod_contact_minutes",
    "催评天数": "review_chase_days",
    "评价期限(天)": "review_period_days",
    "投诉处理期限(天)": "complaint_days",
}


@dataclass(frozen=True)
class Shift:
    """A 客服 shift (班次) and the time it starts; it runs until the next shift starts."""

    name: str
    start: dt.time


# the shop's day: 早班 from 08:30, 晚班 from 17:30 (seed 002: 上班 8:00–17:30; the late shift
# checks every shop's after-sales until 22:00)
DEFAULT_SHIFTS = (Shift("早班", dt.time(8, 30)), Shift("晚班", dt.time(17, 30)))
SHORT_SHIP_REASONS = ("少发", "漏发")


@dataclass(frozen=True)
class Rules:
    amount_tolerance: float = 0.01
    payment_cutoff: dt.time = dt.time(16, 0)
    shipping_cutoff: dt.time = dt.time(16, 0)
    max_weight_kg: float = 50.0
    return_days: int = 7
    stocktake_days: int = 7
    unsigned_days: int = 5
    location_pattern: str = r"^[A-Za-z]{1,2}-\d{1,3}-\d{1,3}$"
    weight_tolerance_kg: float = 0.2
    fee_tolerance: float = 0.01
    claim_multiple: float = 3.0
    archive_days: int = 15  # 底单 kept by date and courier, archived after this many days
    handover_cutoff: dt.time = dt.time(17, 30)  # the day's pickups are recorded by then (warehouse day ends)
    couriers: tuple[Courier, ...] = DEFAULT_COURIERS
    quality_reasons: tuple[str, ...] = QUALITY_REASONS
    excluded_conditions: tuple[str, ...] = EXCLUDED_CONDITIONS
    excluded_categories: tuple[str, ...] = EXCLUDED_CATEGORIES
    promotion_days: tuple[dt.date, ...] = ()
    return_putback_days: int = 2
    reorder_cover_days: int = 30
    return_sellable: tuple[str, ...] = RETURN_SELLABLE
    consumable_words: tuple[str, ...] = CONSUMABLE_WORDS
    consumable_categories: tuple[str, ...] = CONSUMABLE_CATEGORIES
    defect_transfer_words: tuple[str, ...] = DEFECT_TRANSFER_WORDS
    defect_write_off_words: tuple[str, ...] = DEFECT_WRITE_OFF_WORDS
    # 商品类别 sheet: (商品编码 or its prefix, 类别), longest prefix first
    categories: tuple[tuple[str, str], ...] = ()
    # 客服 registers and the daily lists (shopbook.today)
    review_effect_days: int = 3  # a 中/差评 takes effect 3 days after it is written
    review_window_days: int = 30  # … and cannot be changed after a month: the last day to explain
    review_warn_days: int = 3  # list reviews whose window ends within this many days
    mood_callback_days: int = 1  # a 心情 review is called back the next day, not the same day
    cod_contact_minutes: int = 30  # a COD buyer is called within 30 minutes of ordering
    review_chase_days: int = 7  # buyers who have not reviewed 7 days after signing are asked to
    review_period_days: int = 15  # after this the platform gives its default review: no use chasing
    complaint_days: int = 3  # a complaint is closed within this many days
    short_ship_reasons: tuple[str, ...] = SHORT_SHIP_REASONS
    shifts: tuple[Shift, ...] = DEFAULT_SHIFTS
    # raw table sheets of the rules workbook for the jobs that own them (快递价格, 岗位薪酬…)
    tables: dict = field(default_factory=dict, compare=False, hash=False)
    # export formats recognised (shopbook.reading.profiles); None = the built-in ones
    profiles: tuple | None = field(default=None, compare=False, hash=False)

    def courier(self, name: str | None) -> Courier | None:
        """The courier by name or alias (顺丰速运 -> 顺丰)."""
        if not name:
            return None
        key = normalise_header(name)
        for c in self.couriers:
            if key in {normalise_header(n) for n in (c.name, *c.aliases)}:
                return c
        for c in self.couriers:  # 顺丰速运(月结) and the like
            if key.startswith(normalise_header(c.name)):
                return c
        return None

    def courier_name(self, name: str | None) -> str | None:
        c = self.courier(name)
        return c.name if c else (name or None)


DEFAULT_RULES = Rules()


def _time_of_day(value):
    """Excel gives a time as a time, a datetime or a fraction of a day; people type 16:00 or 16：00."""
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, float) and 0 <= value < 1:
        seconds = round(value * 86400)
        return dt.time(seconds // 3600, seconds % 3600 // 60)
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    return value


def _text(value):
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(str(exc)) from None
    return value


# How a 参数 value is checked (pydantic: typed, range-checked) and what the manager is told when it fails.
_PARAMETER_TYPES = {
    dt.time: (TypeAdapter(Annotated[dt.time, BeforeValidator(_time_of_day)]), "应为 16:00 这样的时间"),
    int: (TypeAdapter(Annotated[NonNegativeInt, BeforeValidator(_text)]), "应为不小于 0 的整数"),
    float: (TypeAdapter(Annotated[NonNegativeFloat, BeforeValidator(_text)]), "应为不小于 0 的数"),
    str: (TypeAdapter(Annotated[str, BeforeValidator(_text), AfterValidator(_regex)]), "不是有效的正则表达式"),
}


def _convert(value, default):
    """A 参数 value as the type of its default; ValueError with a Chinese reason when it is not one."""
    adapter, reason = _PARAMETER_TYPES[type(default)]
    try:
        return adapter.validate_python(value)
    except ValidationError:
        raise ValueError(reason) from None


def _sheet_frame(book, names: tuple[str, ...]) -> pd.DataFrame | None:
    """A rules table as a DataFrame with its first non-empty row as header."""
    wanted = {normalise_header(n) for n in names}
    for sheet_name in book.sheet_names:
        if normalise_header(sheet_name) in wanted:
            cells = book.sheet(sheet_name).cells.dropna(how="all")
            if cells.empty:
                return pd.DataFrame()
            header = [str(v).strip() if v is not None else "" for v in cells.iloc[0]]
            frame = cells.iloc[1:].copy()
            frame.columns = header
            frame.index = frame.index + 1  # Excel row numbers
            return frame
    return None


# Every sheet a rules workbook may hold (name: accepted aliases), as the jobs look them up.
RULE_SHEETS = {
    "参数": ("规则", "parameters"),
    "快递单号规则": ("快递规则",),
    "快递价格": (),
    "活动日": ("促销日", "活动日期"),
    "退换货排除": ("退货排除",),
    "岗位薪酬": ("薪酬标准", "工资标准", "工资参数"),
    "排班": ("排班表", "值班表"),
    "推广费用": ("推广费", "推广花费", "广告费用"),
    "商品类别": ("商品分类", "类别"),
    "来源格式": ("表头映射",),
}


def rule_sheet_names(book) -> list[str]:
    """The sheets of `book` that are rules sheets (by name or alias)."""
    wanted = {normalise_header(n) for name, aliases in RULE_SHEETS.items() for n in (name, *aliases)}
    return [name for name in book.sheet_names if normalise_header(name) in wanted]


def load_rules(path: str | Path | None) -> tuple[Rules, pd.DataFrame]:
    """Rules from a rules workbook (or the defaults when path is None), plus findings.
    A workbook with none of the rules sheets (RULE_SHEETS) is not a rules workbook:
    UnusableInput naming the file, the sheets expected and the sheets it has."""
    if path is None:
        return DEFAULT_RULES, fnd.empty()
    book = open_workbook(path)
    if not rule_sheet_names(book):
        raise UnusableInput(
            f"{path}: 不是规则工作簿,没有任何规则表(应有 {'、'.join(RULE_SHEETS)} 中的至少一张;"
            f"这个工作簿的工作表是 {'、'.join(book.sheet_names) or '(无)'})。请检查规则工作簿的路径"
            f"(模板见 workbooks/规则.xlsx)。")
    problems = []
    changes: dict = {}
    defaults = {f.name: getattr(DEFAULT_RULES, f.name) for f in fields(Rules)}
    params = _sheet_frame(book, ("参数", "规则", "parameters"))
    if params is not None and len(params.columns) >= 2:
        lookup = {normalise_header(k): v for k, v in PARAMETERS.items()}
        for row, (name, value) in zip(params.index, params.iloc[:, :2].itertuples(index=False)):
            key = lookup.get(normalise_header(name))
            if key is None or value is None or (isinstance(value, str) and not value.strip()):
                continue
            try:
                changes[key] = _convert(value, defaults[key])
            except ValueError as exc:
                problems.append(fnd.sheet_level(params_name(book), "rule-invalid", value=f"{name}={value}",
                                                reason=str(exc)))
    couriers = _sheet_frame(book, ("快递单号规则", "快递规则"))
    if couriers is not None and len(couriers):
        changes["couriers"] = _couriers(couriers, problems)
    promo = _sheet_frame(book, ("活动日", "促销日", "活动日期"))
    if promo is not None and len(promo):
        dates = _dates(promo, 0, sheet_name_of(book, ("活动日", "促销日", "活动日期")), problems)
        changes["promotion_days"] = tuple(sorted({d.date() for d in dates.dropna()}))
    roster = _sheet_frame(book, ("排班", "排班表", "值班表"))
    if roster is not None and len(roster):
        columns = [normalise_header(c) for c in roster.columns]
        for wanted in ("日期", "值班日期"):
            if wanted in columns:  # the dates are read again by the jobs: here only what is not a date is said
                _dates(roster, columns.index(wanted), sheet_name_of(book, ("排班", "排班表", "值班表")), problems)
                break
    excl = _sheet_frame(book, ("退换货排除", "退货排除"))
    if excl is not None and len(excl):
        for header, key in (("商品状态", "excluded_conditions"), ("商品类别", "excluded_categories"),
                            ("质量原因", "quality_reasons")):
            if header in excl.columns:
                values = tuple(str(v).strip() for v in excl[header].dropna() if str(v).strip())
                if values:
                    changes[key] = values
    cats = _sheet_frame(book, CATEGORY_SHEETS)
    if cats is not None and len(cats):
        changes["categories"] = _categories(cats, problems)
    sources = _sheet_frame(book, ("来源格式", "表头映射"))
    if sources is not None and len(sources):
        changes["profiles"] = _source_profiles(sources, sheet_name_of(book, ("来源格式", "表头映射")), problems)
    shifts = _sheet_frame(book, ("班次", "班次时间"))
    if shifts is not None and len(shifts):
        changes["shifts"] = _shifts(shifts, problems)
    tables = {name: _sheet_frame(book, (name,)) for name in book.sheet_names}
    changes["tables"] = {k: v for k, v in tables.items() if v is not None}
    return replace(DEFAULT_RULES, **changes), fnd.combine(problems)


def sheet_name_of(book, names: tuple[str, ...]) -> str:
    wanted = {normalise_header(n) for n in names}
    return next((n for n in book.sheet_names if normalise_header(n) in wanted), names[0])


def _dates(frame: pd.DataFrame, position: int, sheet: str, problems: list) -> pd.Series:
    """The dates of one column of a rules table; a filled cell that is no date is a
    rule-date-invalid finding on its cell (the row is not used)."""
    from shopbook.reading.cells import parse_date

    column = frame.iloc[:, position].map(lambda v: None if isinstance(v, str) and not v.strip() else v)
    dates, _ = parse_date(column.astype(object))
    bad = column.notna() & dates.isna()
    if bad.any():
        problems.append(fnd.at_rows(sheet, frame.index[bad], str(frame.columns[position]), fnd.column_letter(position),
                                    "rule-date-invalid", column[bad], rules_sheet=sheet))
    return dates


CATEGORY_SHEETS = ("商品类别", "商品分类", "类别")


def _categories(frame: pd.DataFrame, problems: list) -> tuple[tuple[str, str], ...]:
    """商品类别: (商品编码 or a prefix of it, 类别) pairs, longest code first (WX1001 before WX)."""
    cols = {normalise_header(c): c for c in frame.columns}
    code_col = next((cols[n] for n in ("商品编码", "编码前缀", "编码", "前缀") if n in cols), None)
    name_col = next((cols[n] for n in ("类别", "商品类别", "分类") if n in cols), None)
    if code_col is None or name_col is None:
        problems.append(fnd.sheet_level(CATEGORY_SHEETS[0], "rule-invalid", value="表头",
                                        reason="需要「商品编码」(或编码前缀)和「类别」两列"))
        return ()
    pairs = {}
    for code, name in zip(frame[code_col], frame[name_col]):
        code, name = _text(code), _text(name)
        if isinstance(code, float) and code.is_integer():
            code = str(int(code))
        if not code or not name:
            continue
        pairs.setdefault(str(code), str(name))
    return tuple(sorted(pairs.items(), key=lambda kv: (-len(kv[0]), kv[0])))


def _source_profiles(frame: pd.DataFrame, sheet: str, problems: list) -> tuple:
    """The 来源格式 sheet: export formats added or corrected by the manager (see
    shopbook.reading.profiles.from_rules_table); a row that cannot be used is a rule-invalid
    finding and the rest are used."""
    from shopbook.courier.job import COURIER_BILL
    from shopbook.sheets.orders import ORDERS
    from shopbook.reading.profiles import from_rules_table
    from shopbook.sheets.returns import RETURNS
    from shopbook.sheets.shipping import SHIPPING

    kinds = {k.name: k for k in (ORDERS, SHIPPING, RETURNS, COURIER_BILL)}
    profiles, bad = from_rules_table(frame, kinds)
    for row, value, reason in bad:
        where = f"第 {int(row)} 行 " if row is not None else ""
        problems.append(fnd.sheet_level(sheet, "rule-invalid", value=f"{where}{value}", reason=reason))
    return profiles


def params_name(book) -> str:
    for name in book.sheet_names:
        if normalise_header(name) in ("参数", "规则", "parameters"):
            return name
    return "参数"


def _couriers(frame: pd.DataFrame, problems: list) -> tuple[Courier, ...]:
    out = []
    by_name = {c.name: c for c in DEFAULT_COURIERS}
    cols = {normalise_header(c): c for c in frame.columns}
    name_col = cols.get("快递公司")
    pattern_col = cols.get("单号格式") or cols.get("正则") or cols.get("单号规则")
    alias_col = cols.get("别名")
    if name_col is None or pattern_col is None:
        problems.append(fnd.sheet_level("快递单号规则", "rule-invalid", value="表头",
                                        reason="需要「快递公司」和「单号格式」两列"))
        return DEFAULT_COURIERS
    for _, row in frame.iterrows():
        name, pattern = row[name_col], row[pattern_col]
        if not name or not pattern:
            continue
        try:
            re.compile(str(pattern))
        except re.error as exc:
            problems.append(fnd.sheet_level("快递单号规则", "rule-invalid", value=f"{name}: {pattern}", reason=f"正则表达式错误 {exc}"))
            continue
        aliases = tuple(a.strip() for a in re.split(r"[、,，/]", str(row[alias_col] or ""))) if alias_col else ()
        base = by_name.get(str(name).strip())
        aliases = tuple(dict.fromkeys((*(a for a in aliases if a), *(base.aliases if base else ()))))
        out.append(Courier(str(name).strip(), aliases, str(pattern).strip()))
    names = {c.name for c in out}
    return tuple(out) + tuple(c for c in DEFAULT_COURIERS if c.name not in names)


def _shifts(frame: pd.DataFrame, problems: list) -> tuple[Shift, ...]:
    """The 班次 sheet (班次, 开始时间): the shifts in the order of their start; any bad row keeps
    the defaults in force."""
    cols = {normalise_header(c): c for c in frame.columns}
    name_col = cols.get("班次")
    start_col = cols.get("开始时间") or cols.get("开始") or cols.get("上班时间")
    if name_col is None or start_col is None:
        problems.append(fnd.sheet_level("班次", "rule-invalid", value="表头", reason="需要「班次」和「开始时间」两列"))
        return DEFAULT_SHIFTS
    out: dict[str, Shift] = {}
    for name, start in frame[[name_col, start_col]].itertuples(index=False):
        name = _text(name) if isinstance(name, str) else name
        if not name:
            continue
        try:
            start = _convert(start, dt.time(0, 0))
        except ValueError as exc:
            problems.append(fnd.sheet_level("班次", "rule-invalid", value=f"{name}={start}", reason=str(exc)))
            return DEFAULT_SHIFTS
        if name in out:
            problems.append(fnd.sheet_level("班次", "rule-invalid", value=name, reason="同一班次写了两行"))
            return DEFAULT_SHIFTS
        out[name] = Shift(name, start)
    return tuple(sorted(out.values(), key=lambda s: s.start)) or DEFAULT_SHIFTS
