"""The pay scheme as rules data (SPEC §Payroll): the 岗位薪酬 defaults (one row per position), the
payroll parameters (contribution rates, base floors and ceilings, the penalty range) and how a
rules workbook's 岗位薪酬 / 工资参数 sheets replace them. Bad cells are rule-invalid findings.

Loaded by shopbook.payroll; nothing here reads files.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal

import pandas as pd

from shopbook.reading.cells import is_blank
from shopbook.core import findings as fnd
from shopbook.core.codes import CODES
from shopbook.core.money import parse_decimal, sane_decimal
from shopbook.reading.schema import normalise_header
from shopbook.rules.cities import CITY_SHEET, DEFAULT_CITIES, CityStandard, city_standards_from_frame

# 绩效 columns a position may be paid per piece of: column -> (what, unit) for explanations
PIECE_ITEMS = {
    "拣货单数": ("拣货", "单"),
    "发货单数": ("发货", "单"),
    "投诉处理数": ("处理投诉", "次"),
    "差评改好数": ("差评改好", "条"),
    "催评数": ("催评", "条"),
}
# and the other spellings of their headers (the 绩效 sheet declares them; 岗位薪酬 also accepts them)
PIECE_ALIASES = {
    "拣货单数": ("拣货数", "捡货单数", "拣单数"),
    "发货单数": ("发货数",),
    "投诉处理数": ("处理投诉数", "投诉处理"),
    "差评改好数": ("差评改好", "差评修改数"),
    "催评数": ("催评",),
}


# --- the pay scheme (岗位薪酬) ------------------------------------------------------------
TURNOVER, PROFIT, PERSONAL_SALES, NO_BAD_REVIEW, DUTY = (
    "营业额奖金", "效益奖金", "个人营业额奖金", "无差评奖", "责任金")
BONUS_RULES = (TURNOVER, PROFIT, PERSONAL_SALES, NO_BAD_REVIEW, DUTY)
BONUS_SYNONYMS = {
    "店铺营业额奖金": TURNOVER, "营业额提成": TURNOVER,
    "个人销售奖金": PERSONAL_SALES, "销售提成": PERSONAL_SALES, "个人营业额提成": PERSONAL_SALES,
    "达标营业额奖金": PERSONAL_SALES,
    "效益奖": PROFIT, "无差评奖金": NO_BAD_REVIEW, "全店无差评奖": NO_BAD_REVIEW, "司库责任金": DUTY,
    "无": None, "-": None, "—": None, "/": None,
}

SCHEME_SHEET = "岗位薪酬"
SCHEME_COLUMNS = ("岗位", "底薪", "底薪下限", "底薪上限", "计件项目", "单价", "奖金规则", "奖金比例", "奖金金额", "说明")
_SCHEME_ALIASES = {
    "岗位": ("职位", "岗位名称"), "底薪": ("基本工资", "标准底薪", "默认底薪"), "底薪下限": ("最低底薪",),
    "底薪上限": ("最高底薪",), "计件项目": ("计件", "计件指标"), "单价": ("计件单价",),
    "奖金规则": ("奖金", "浮动工资", "奖金类型"), "奖金比例": ("比例", "提成比例"),
    "奖金金额": ("金额", "固定奖金"), "说明": ("备注",),
}

# The shop's regulations (SPEC §Payroll). One row per position; a position paid per piece
# of several kinds (售后客服) has one more row per kind with only 岗位/计件项目/单价 filled.
DEFAULT_SCHEME_ROWS = (
    ("电商总监", 10000, None, None, None, None, TURNOVER, 0, None,
     "营业额奖金 = 店铺营业额 × 奖金比例;比例由经理设定,未设定前为 0"),
    ("促销策划经理", 5000, None, None, None, None, PROFIT, None, 0,
     "效益奖金按绩效表「效益奖金」列;该列空时按此处奖金金额"),
    ("客服组经理", 4500, None, None, None, None, TURNOVER, 0, None,
     "营业额奖金 = 店铺营业额 × 奖金比例;比例由经理设定,未设定前为 0"),
    ("销售客服", None, 1600, 2000, None, None, PERSONAL_SALES, 0.01, None,
     "底薪按人在员工表填写(1600–2000);个人销售额 ≥ 个人销售目标 才发,= 个人销售额 × 奖金比例"),
    ("售后客服", 1700, None, None, "投诉处理数", 2, NO_BAD_REVIEW, None, 500,
     "每处理 1 次投诉 2 元、改好 1 条差评 5 元、催 1 条评价 1 元;全店当月差评为 0 时每人 +500"),
    ("售后客服", None, None, None, "差评改好数", 5, None, None, None, None),
    ("售后客服", None, None, None, "催评数", 1, None, None, None, None),
    ("视觉编辑", 5000, None, None, None, None, None, None, None, None),
    ("文案编辑", 3200, None, None, None, None, None, None, None, None),
    ("行政财务", None, 2500, 3200, None, None, None, None, None, "底薪按人在员工表填写(2500–3200)"),
    ("司库", 4000, None, None, None, None, DUTY, None, 1500,
     "每月无仓库事故计 1500,按季度累计,下季度第一个月随工资发放(一季度的随 4 月发)"),
    ("捡单员", 1500, None, None, "拣货单数", 2, None, None, None, "每拣 1 单 2 元"),
    ("发货员", 1500, None, None, "发货单数", 2, None, None, None, "每发 1 单 2 元"),
)

# Payroll parameters, read from a 工资参数 sheet (or the 参数 sheet) of the rules workbook:
# name -> (PayScheme field, kind, default shown in the template, explanation)
PAYROLL_PARAMETERS = {
    "养老保险个人比例": ("pension_rate", "rate", "8%", "个人缴纳部分"),
    "医疗保险个人比例": ("medical_rate", "rate", "2%", "个人缴纳部分"),
    "失业保险个人比例": ("unemployment_rate", "rate", "0.5%", "个人缴纳部分"),
    "社保基数下限": ("social_floor", "money", None, "空 = 不限;填了则社保基数低于它按它计算"),
    "社保基数上限": ("social_ceiling", "money", None, "空 = 不限;填了则社保基数高于它按它计算"),
    "公积金基数下限": ("fund_floor", "money", None, "空 = 不限"),
    "公积金基数上限": ("fund_ceiling", "money", None, "空 = 不限"),
    "每笔罚款下限": ("penalty_min", "money", 50, "每笔罚款不得低于(元)"),
    "每笔罚款上限": ("penalty_max", "money", 200, "每笔罚款不得高于(元)"),
    "迟到早退扣分": ("late_points", "number", 2, "奖罚评分表:每次迟到早退扣的分"),
    "请假扣分": ("leave_points", "number", 1, "奖罚评分表:每次批准的请假扣的分"),
    "发薪日": ("payday", "number", 10, "次月几号发工资;奖罚评分表须在前一天做好"),
    "养老保险基数下限": ("pension_floor", "money", None, "空 = 按社保基数下限;各险种基数不同时填写"),
    "养老保险基数上限": ("pension_ceiling", "money", None, "空 = 按社保基数上限"),
    "医疗保险基数下限": ("medical_floor", "money", None, "空 = 按社保基数下限"),
    "医疗保险基数上限": ("medical_ceiling", "money", None, "空 = 按社保基数上限"),
    "失业保险基数下限": ("unemployment_floor", "money", None, "空 = 按社保基数下限"),
    "失业保险基数上限": ("unemployment_ceiling", "money", None, "空 = 按社保基数上限"),
    "工作城市": ("city", "city", None,
             "「城市标准」表中的城市;填了则按该城市的公积金取整、住房租金扣除标准和最低工资检查,空 = 公积金按分取整、不检查最低工资"),
}


@dataclass(frozen=True)
class PieceRate:
    item: str  # a 绩效 column, one of PIECE_ITEMS
    rate: Decimal


@dataclass(frozen=True)
class Position:
    name: str
    base: Decimal | None = None  # None: set per person in 员工 (the default is a range)
    base_min: Decimal | None = None
    base_max: Decimal | None = None
    pieces: tuple[PieceRate, ...] = ()
    bonus_rule: str | None = None
    bonus_rate: Decimal | None = None
    bonus_amount: Decimal | None = None

    @property
    def base_range(self) -> str:
        if self.base_min is None and self.base_max is None:
            return ""
        return f"{_num(self.base_min) if self.base_min is not None else ''}–{_num(self.base_max) if self.base_max is not None else ''}"


@dataclass(frozen=True)
class PayScheme:
    positions: dict
    pension_rate: Decimal = Decimal("0.08")
    medical_rate: Decimal = Decimal("0.02")
    unemployment_rate: Decimal = Decimal("0.005")
    social_floor: Decimal | None = None
    social_ceiling: Decimal | None = None
    fund_floor: Decimal | None = None
    fund_ceiling: Decimal | None = None
    penalty_min: Decimal = Decimal(50)
    penalty_max: Decimal = Decimal(200)
    late_points: Decimal = Decimal(2)
    leave_points: Decimal = Decimal(1)
    payday: Decimal = Decimal(10)
    # a scheme's own base bounds where they differ from the 社保基数 bounds (None: those)
    pension_floor: Decimal | None = None
    pension_ceiling: Decimal | None = None
    medical_floor: Decimal | None = None
    medical_ceiling: Decimal | None = None
    unemployment_floor: Decimal | None = None
    unemployment_ceiling: Decimal | None = None
    city: str | None = None  # a 城市标准 city: housing-fund rounding, rent standard, minimum wage
    cities: tuple[CityStandard, ...] = DEFAULT_CITIES

    def bounds(self, scheme: str) -> tuple[Decimal | None, Decimal | None]:
        """(floor, ceiling) of one social-insurance scheme's base: its own, else 社保基数's."""
        floor, ceiling = getattr(self, f"{scheme}_floor"), getattr(self, f"{scheme}_ceiling")
        return (self.social_floor if floor is None else floor, self.social_ceiling if ceiling is None else ceiling)


def default_pay_scheme() -> pd.DataFrame:
    """The 岗位薪酬 defaults as a sheet a manager can edit (Chinese headers, one row per
    position plus one per extra piece-rate item)."""
    return pd.DataFrame([list(r) for r in DEFAULT_SCHEME_ROWS], columns=list(SCHEME_COLUMNS), dtype=object)


def default_payroll_parameters() -> pd.DataFrame:
    """The payroll parameters (参数, 值, 说明) for a 工资参数 sheet of the rules workbook."""
    return pd.DataFrame([[name, default, note] for name, (_, _, default, note) in PAYROLL_PARAMETERS.items()],
                        columns=["参数", "值", "说明"], dtype=object)


# --- formatting for explanations ------------------------------------------------------------
def _num(d) -> str:
    """4000 -> '4000', 21.5 -> '21.5', 1624.5 -> '1624.5' (inputs as the user typed them)."""
    d = Decimal(d)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def to_decimal(value) -> Decimal:
    """A cell (number or text such as ¥1,500 / 1500元) as Decimal; ValueError when it is none."""
    if isinstance(value, bool):
        raise ValueError("不是数字")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        d = Decimal(repr(value))
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        d = parse_decimal(re.sub(r"[¥,\s]|元$", "", text))
    if d is None or not d.is_finite():
        raise ValueError("不是数字")
    if not sane_decimal(d):
        raise ValueError("数值大得不合理")
    return d


def to_rate(value) -> Decimal:
    """A rate written 7%, 0.07 or 7 (a number ≥ 1 is read as percent) as a fraction."""
    if isinstance(value, str) and value.strip().endswith(("%", "%")):
        d = to_decimal(value.strip()[:-1]) / 100
    else:
        d = to_decimal(value)
        if d >= 1:
            d = d / 100
    if d < 0:
        raise ValueError("比例不能为负数")
    return d


def pay_scheme_from_frame(frame: pd.DataFrame, sheet: str = SCHEME_SHEET,
                          base: PayScheme | None = None) -> tuple[PayScheme, pd.DataFrame]:
    """The pay scheme from a 岗位薪酬 sheet (first row = headers, index = Excel row).

    Positions on the sheet replace the defaults of the same name; others keep their
    defaults. A bad cell is a rule-invalid finding and that value is left out.
    """
    base = base or DEFAULT_SCHEME
    problems: list[pd.DataFrame] = []

    def bad(value, reason):
        problems.append(rule_invalid(sheet, value, reason))

    lookup = {}
    for name, aliases in _SCHEME_ALIASES.items():
        for spelling in (name, *aliases):
            lookup.setdefault(normalise_header(spelling), name)
    columns = {}
    for col in frame.columns:
        canonical = lookup.get(normalise_header(col))
        if canonical and canonical not in columns:
            columns[canonical] = col
    if "岗位" not in columns:
        bad("表头", "缺少「岗位」列")
        return base, fnd.combine(problems)

    piece_lookup = {normalise_header(item): item for item in PIECE_ITEMS}
    for item, (what, _) in PIECE_ITEMS.items():
        for spelling in (*PIECE_ALIASES[item], what):
            piece_lookup.setdefault(normalise_header(spelling), item)

    rows: dict[str, dict] = {}
    current = None
    for excel_row, row in frame.iterrows():
        def get(name):
            col = columns.get(name)
            return None if col is None else row[col]
        if all(is_blank(get(n)) for n in SCHEME_COLUMNS if n != "说明"):
            continue
        title = get("岗位")
        if not is_blank(title):
            current = unicodedata.normalize("NFKC", str(title)).strip()
        if current is None:
            bad(f"第 {excel_row} 行", "没有填写岗位")
            continue
        spec = rows.setdefault(current, {"pieces": []})
        where = f"第 {excel_row} 行 {current}"
        for name, key, parse in (("底薪", "base", to_decimal), ("底薪下限", "base_min", to_decimal),
                                 ("底薪上限", "base_max", to_decimal), ("奖金比例", "bonus_rate", to_rate),
                                 ("奖金金额", "bonus_amount", to_decimal)):
            value = get(name)
            if is_blank(value):
                continue
            try:
                parsed = parse(value)
                if parsed < 0:
                    raise ValueError("不能为负数")
            except ValueError as exc:
                bad(f"{where} {name}={value}", str(exc))
                continue
            if key in spec and spec[key] != parsed:
                bad(f"{where} {name}={value}", f"与本岗位前面一行的 {_num(spec[key])} 不一致,使用前者")
                continue
            spec[key] = parsed
        rule = get("奖金规则")
        if not is_blank(rule):
            text = unicodedata.normalize("NFKC", str(rule)).strip()
            canonical = text if text in BONUS_RULES else BONUS_SYNONYMS.get(text, "?")
            if canonical == "?":
                bad(f"{where} 奖金规则={rule}", f"可选 {'/'.join(BONUS_RULES)} 或 无")
            elif "bonus_rule" in spec and spec["bonus_rule"] != canonical:
                bad(f"{where} 奖金规则={rule}", "一个岗位只能有一种奖金规则,使用前一行的")
            else:
                spec["bonus_rule"] = canonical
        item, price = get("计件项目"), get("单价")
        if not is_blank(item) or not is_blank(price):
            piece = piece_lookup.get(normalise_header(item)) if not is_blank(item) else None
            if piece is None:
                bad(f"{where} 计件项目={item}", f"计件项目应为绩效表的 {'/'.join(PIECE_ITEMS)} 之一")
                continue
            try:
                rate = to_decimal(price)
                if rate < 0:
                    raise ValueError("单价不能为负数")
            except ValueError as exc:
                bad(f"{where} 单价={price}", str(exc))
                continue
            if any(p.item == piece for p in spec["pieces"]):
                bad(f"{where} 计件项目={item}", "同一岗位重复的计件项目,使用前一行的")
                continue
            spec["pieces"].append(PieceRate(piece, rate))

    positions = dict(base.positions)
    for name, spec in rows.items():
        spec = dict(spec)
        spec["pieces"] = tuple(spec["pieces"])
        positions[name] = Position(name, **spec)
    return replace(base, positions=positions), fnd.combine(problems)


def rule_invalid(sheet: str, value, reason: str) -> pd.DataFrame:
    """A rule-invalid finding about the rules workbook's `sheet` (its template names the sheet,
    which fnd.sheet_level cannot take as a field)."""
    spec = CODES["rule-invalid"]
    return pd.DataFrame({"sheet": [sheet], "row": [None], "column": [None], "cell": [None], "code": ["rule-invalid"],
                         "severity": [spec.severity], "value": [str(value)],
                         "message": [spec.template.format(sheet=sheet, value=value, reason=reason, column="")]})


def _parameters_from_frame(frame: pd.DataFrame, sheet: str, scheme: PayScheme) -> tuple[PayScheme, pd.DataFrame]:
    problems = []
    changes = {}
    lookup = {normalise_header(k): (k, v) for k, v in PAYROLL_PARAMETERS.items()}
    if len(frame.columns) < 2:
        return scheme, fnd.empty()
    for name, value in frame.iloc[:, :2].itertuples(index=False):
        hit = lookup.get(normalise_header(name))
        if hit is None or is_blank(value):
            continue
        label, (attr, kind, _, _) = hit
        try:
            if kind == "city":
                parsed = unicodedata.normalize("NFKC", str(value)).strip()
                if parsed not in {c.city for c in scheme.cities}:
                    raise ValueError(f"「{CITY_SHEET}」表中没有这个城市")
            else:
                parsed = to_rate(value) if kind == "rate" else to_decimal(value)
                if parsed < 0:
                    raise ValueError("不能为负数")
        except ValueError as exc:
            problems.append(rule_invalid(sheet, f"{label}={value}", str(exc)))
            continue
        changes[attr] = parsed
    return replace(scheme, **changes), fnd.combine(problems)


def load_pay_scheme(rules) -> tuple[PayScheme, pd.DataFrame]:
    """The pay scheme of a rules workbook (its raw sheets in `rules.tables`): 岗位薪酬 for the
    positions, 城市标准 for the city table, 工资参数 or 参数 for the rates, floors, ceilings and
    the city; defaults otherwise."""
    tables = getattr(rules, "tables", None) or {}
    by_name = {normalise_header(k): (k, v) for k, v in tables.items()}
    scheme, problems = DEFAULT_SCHEME, []
    for wanted in (SCHEME_SHEET, "薪酬标准", "工资标准"):
        hit = by_name.get(normalise_header(wanted))
        if hit is not None and len(hit[1]):
            scheme, found = pay_scheme_from_frame(hit[1], hit[0])
            problems.append(found)
            break
    hit = by_name.get(normalise_header(CITY_SHEET))
    if hit is not None and len(hit[1]):
        cities, found = city_standards_from_frame(hit[1], hit[0], to_decimal, rule_invalid)
        scheme = replace(scheme, cities=cities)
        problems.append(found)
    for wanted in ("工资参数", "参数"):
        hit = by_name.get(normalise_header(wanted))
        if hit is not None and len(hit[1]):
            scheme, found = _parameters_from_frame(hit[1], hit[0], scheme)
            problems.append(found)
            break
    return scheme, fnd.combine(problems)


DEFAULT_SCHEME, _ = pay_scheme_from_frame(default_pay_scheme(), base=PayScheme(positions={}))
