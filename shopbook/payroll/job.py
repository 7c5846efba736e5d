"""工资 — payroll (SPEC §Payroll): the pay scheme, the month's pay of every employee, the
bank payroll file and next month's 个税累计 and 责任金台账.

Pure: tables in, tables and findings out; reading and writing files is shopbook.payroll.run.
Each amount is computed exactly (Decimal) and rounded half-up to the fen once, in the
order of SPEC §Payroll; the steps are listed in `STEPS`. People are matched by 工号, never
by name. Money here is Decimal yuan; the reading layer's fen integers are converted on
the way in.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal

import pandas as pd
from stdnum import luhn
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from shopbook.core import findings as fnd
from shopbook.payroll import tax
from shopbook.core.codes import CODES
from shopbook.payroll.tax import ZERO, fen
from shopbook.reading.cells import fen_to_decimal, parse_decimal, sane_decimal
from shopbook.reading.files import UnusableInput
from shopbook.reading.schema import DATE, ID, INT, MONEY, NUMBER, TEXT, Column, SheetKind, normalise_header
from shopbook.reading.tables import Table

# --- sheet kinds ------------------------------------------------------------------------
EMPLOYEES = SheetKind(
    name="员工",
    sheet_aliases=("员工表", "员工信息", "员工名单", "花名册", "人员", "employees"),
    columns=(
        Column("工号", ("员工编号", "员工号", "编号"), ID, required=True),
        Column("姓名", ("员工姓名", "名字"), TEXT, required=True),
        Column("岗位", ("职位", "岗位名称"), TEXT, required=True),
        Column("底薪", ("基本工资", "基础工资"), MONEY, minimum=0),
        Column("身份证号", ("身份证", "身份证号码", "证件号码"), ID, required=True),
        Column("银行账号", ("银行卡号", "卡号", "账号", "工资卡号", "收款账号"), ID),
        Column("户名", ("开户名", "账户名", "收款人"), TEXT),
        Column("开户行", ("开户银行", "银行"), TEXT),
        Column("社保基数", ("缴费基数", "社保缴费基数"), MONEY, minimum=0),
        Column("公积金比例", ("公积金缴存比例",), TEXT),
        Column("专项附加扣除", ("专项附加扣除额", "附加扣除"), MONEY, minimum=0),
        Column("入职日期", ("入职时间",), DATE),
        Column("离职日期", ("离职时间",), DATE),
    ),
)

ATTENDANCE = SheetKind(
    name="考勤",
    sheet_aliases=("考勤表", "出勤", "出勤表", "attendance"),
    columns=(
        Column("工号", ("员工编号", "员工号", "编号"), ID, required=True),
        Column("姓名", ("员工姓名",), TEXT),
        Column("应出勤天数", ("应出勤", "应到天数"), NUMBER, required=True, minimum=0),
        Column("实出勤天数", ("实出勤", "实到天数", "出勤天数"), NUMBER, required=True, minimum=0),
        Column("迟到早退次数", ("迟到早退", "迟到次数"), INT, minimum=0),
    ),
)

# 绩效 columns a position may be paid per piece of: column -> (what, unit) for explanations
PIECE_ITEMS = {
    "拣货单数": ("拣货", "单"),
    "发货单数": ("发货", "单"),
    "投诉处理数": ("处理投诉", "次"),
    "差评改好数": ("差评改好", "条"),
    "催评数": ("催评", "条"),
}

PERFORMANCE = SheetKind(
    name="绩效",
    sheet_aliases=("绩效表", "业绩", "计件", "绩效考核", "performance"),
    columns=(
        Column("工号", ("员工编号", "员工号", "编号"), ID, required=True),
        Column("姓名", ("员工姓名",), TEXT),
        Column("拣货单数", ("拣货数", "捡货单数", "拣单数"), INT, minimum=0),
        Column("发货单数", ("发货数",), INT, minimum=0),
        Column("投诉处理数", ("处理投诉数", "投诉处理"), INT, minimum=0),
        Column("差评改好数", ("差评改好", "差评修改数"), INT, minimum=0),
        Column("催评数", ("催评",), INT, minimum=0),
        Column("差评数", ("差评",), INT, minimum=0),
        Column("个人销售额", ("销售额", "个人业绩"), MONEY),
        Column("个人销售目标", ("销售目标", "目标"), MONEY, minimum=0),
        Column("店铺营业额", ("营业额", "全店营业额"), MONEY),
        Column("效益奖金", (), MONEY, minimum=0),
        Column("罚款", ("扣款",), TEXT),
        Column("奖励", ("奖金奖励",), MONEY, minimum=0),
        Column("仓库事故", ("仓库事故数", "事故数"), INT, minimum=0),
        Column("年终奖", ("全年一次性奖金", "年终奖金"), MONEY, minimum=0),
    ),
)

STAMP_COLUMNS = (
    Column("年份", ("年度", "所属年度"), INT),
    Column("截至月份", ("月份", "截至月", "所属月份"), INT),
)

TAX_YTD = SheetKind(
    name="个税累计",
    sheet_aliases=("累计个税", "个税累计表", "个税", "累计预扣"),
    columns=(
        Column("工号", ("员工编号", "员工号", "编号"), ID, required=True),
        Column("姓名", ("员工姓名",), TEXT),
        Column("身份证号", ("身份证", "证件号码"), ID),
        Column("累计月数", ("任职月数", "累计任职月数"), INT, minimum=0),
        Column("累计收入", ("累计收入额", "累计应发"), MONEY, required=True),
        Column("累计专项扣除", ("累计社保公积金",), MONEY),
        Column("累计专项附加扣除", (), MONEY),
        Column("累计已预扣税额", ("累计已预缴税额", "累计已扣税额", "已预扣税额"), MONEY, required=True),
        Column("年终奖单独计税", ("年终奖计税",), TEXT),
        *STAMP_COLUMNS,
    ),
)

DUTY_LEDGER = SheetKind(
    name="责任金台账",
    sheet_aliases=("责任金", "责任金明细"),
    columns=(
        Column("工号", ("员工编号", "员工号", "编号"), ID, required=True),
        Column("姓名", ("员工姓名",), TEXT),
        Column("季度", (), TEXT),
        Column("本季已记月数", ("已记月数",), INT, minimum=0),
        Column("无事故月数", (), INT, minimum=0),
        Column("累计责任金", ("未发责任金", "责任金余额"), MONEY, required=True, minimum=0),
        *STAMP_COLUMNS,
        Column("说明", ("备注",), TEXT),
    ),
)

KINDS = (EMPLOYEES, ATTENDANCE, PERFORMANCE, TAX_YTD, DUTY_LEDGER)


@dataclass
class PayrollTables:
    """The payroll workbook's sheets; all but 员工 may be absent."""

    employees: Table
    attendance: Table | None = None
    performance: Table | None = None
    tax_ytd: Table | None = None
    duty_ledger: Table | None = None
    # counts taken from the shop's registers (客服 登记 …), long form: 姓名, 项目 (a 绩效 column),
    # 数量, 来源 (which register, for the 说明); used where 绩效 leaves the figure blank
    counted: pd.DataFrame | None = None

    def present(self) -> list[Table]:
        return [t for t in (self.employees, self.attendance, self.performance, self.tax_ytd, self.duty_ledger)
                if t is not None]


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


def default_pay_scheme() -> pd.DataFrame:
    """The 岗位薪酬 defaults as a sheet a manager can edit (Chinese headers, one row per
    position plus one per extra piece-rate item)."""
    return pd.DataFrame([list(r) for r in DEFAULT_SCHEME_ROWS], columns=list(SCHEME_COLUMNS), dtype=object)


def default_payroll_parameters() -> pd.DataFrame:
    """The payroll parameters (参数, 值, 说明) for a 工资参数 sheet of the rules workbook."""
    return pd.DataFrame([[name, default, note] for name, (_, _, default, note) in PAYROLL_PARAMETERS.items()],
                        columns=["参数", "值", "说明"], dtype=object)


def _blank(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


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

    piece_lookup = {normalise_header(c.name): c.name for c in PERFORMANCE.columns if c.name in PIECE_ITEMS}
    for c in PERFORMANCE.columns:
        if c.name in PIECE_ITEMS:
            for spelling in (*c.aliases, PIECE_ITEMS[c.name][0]):
                piece_lookup.setdefault(normalise_header(spelling), c.name)

    rows: dict[str, dict] = {}
    current = None
    for excel_row, row in frame.iterrows():
        def get(name):
            col = columns.get(name)
            return None if col is None else row[col]
        if all(_blank(get(n)) for n in SCHEME_COLUMNS if n != "说明"):
            continue
        title = get("岗位")
        if not _blank(title):
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
            if _blank(value):
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
        if not _blank(rule):
            text = unicodedata.normalize("NFKC", str(rule)).strip()
            canonical = text if text in BONUS_RULES else BONUS_SYNONYMS.get(text, "?")
            if canonical == "?":
                bad(f"{where} 奖金规则={rule}", f"可选 {'/'.join(BONUS_RULES)} 或 无")
            elif "bonus_rule" in spec and spec["bonus_rule"] != canonical:
                bad(f"{where} 奖金规则={rule}", "一个岗位只能有一种奖金规则,使用前一行的")
            else:
                spec["bonus_rule"] = canonical
        item, price = get("计件项目"), get("单价")
        if not _blank(item) or not _blank(price):
            piece = piece_lookup.get(normalise_header(item)) if not _blank(item) else None
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
        if hit is None or _blank(value):
            continue
        label, (attr, kind, _, _) = hit
        try:
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
    positions, 工资参数 or 参数 for the rates, floors and ceilings; defaults otherwise."""
    tables = getattr(rules, "tables", None) or {}
    by_name = {normalise_header(k): (k, v) for k, v in tables.items()}
    scheme, problems = DEFAULT_SCHEME, []
    for wanted in (SCHEME_SHEET, "薪酬标准", "工资标准"):
        hit = by_name.get(normalise_header(wanted))
        if hit is not None and len(hit[1]):
            scheme, found = pay_scheme_from_frame(hit[1], hit[0])
            problems.append(found)
            break
    for wanted in ("工资参数", "参数"):
        hit = by_name.get(normalise_header(wanted))
        if hit is not None and len(hit[1]):
            scheme, found = _parameters_from_frame(hit[1], hit[0], scheme)
            problems.append(found)
            break
    return scheme, fnd.combine(problems)


DEFAULT_SCHEME, _ = pay_scheme_from_frame(default_pay_scheme(), base=PayScheme(positions={}))


# --- months -------------------------------------------------------------------------------
def parse_month(text: str) -> dt.date:
    """'2026-10' (also 2026/10, 202610, 2026年10月) -> date(2026, 10, 1); ValueError otherwise."""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    m = re.fullmatch(r"(\d{4})\s*(?:[-/.年]\s*)?(\d{1,2})\s*月?", s)
    if not m or not 1 <= int(m[2]) <= 12 or not 2000 <= int(m[1]) <= 2100:
        raise ValueError(f"无法识别的月份 {text!r},请写成 2026-10")
    return dt.date(int(m[1]), int(m[2]), 1)


def month_label(month: dt.date) -> str:
    return f"{month.year}-{month.month:02d}"


def month_end(month: dt.date) -> dt.date:
    nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def previous_month(month: dt.date) -> dt.date:
    return dt.date(month.year - 1, 12, 1) if month.month == 1 else dt.date(month.year, month.month - 1, 1)


def quarter_of(month: dt.date) -> int:
    return (month.month - 1) // 3 + 1


def quarter_label(month: dt.date) -> str:
    return f"{month.year}Q{quarter_of(month)}"


def is_quarter_start(month: dt.date) -> bool:
    return month.month in (1, 4, 7, 10)


def months_employed_before(joined: dt.date | None, month: dt.date) -> int | None:
    """Months employed at the shop this year before `month`, counted from the month of joining."""
    if joined is None:
        return None
    if joined >= month:
        return 0
    start = joined.month if joined.year == month.year else 1
    return month.month - start


# --- formatting for explanations ------------------------------------------------------------
def _num(d) -> str:
    """4000 -> '4000', 21.5 -> '21.5', 1624.5 -> '1624.5' (inputs as the user typed them)."""
    d = Decimal(d)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def _money(d: Decimal) -> str:
    return f"{d:.2f}"


def _pct(rate: Decimal) -> str:
    return f"{_num(rate * 100)}%"


def mask(text: str | None, keep: int = 4) -> str:
    """Every character but the last `keep` replaced by * (工资条: 身份证号, 账号)."""
    if not text:
        return ""
    return "*" * max(len(text) - keep, 0) + text[-keep:]


# --- one person's pay -----------------------------------------------------------------------
@dataclass
class Slip:
    """One employee's pay for the month, step by step (Decimal yuan)."""

    id: str
    name: str
    position: str
    row: int  # the 员工 row
    id_card: str | None = None
    account: str | None = None
    account_name: str | None = None
    bank: str | None = None
    account_usable: bool = False
    base: Decimal = ZERO
    expected_days: Decimal | None = None
    actual_days: Decimal | None = None
    absence_deduction: Decimal = ZERO
    piece_pay: Decimal = ZERO
    bonus: Decimal = ZERO
    reward: Decimal = ZERO
    penalty: Decimal = ZERO
    gross: Decimal = ZERO
    pension: Decimal = ZERO
    medical: Decimal = ZERO
    unemployment: Decimal = ZERO
    social_insurance: Decimal = ZERO
    housing_fund: Decimal = ZERO
    special_deduction: Decimal = ZERO
    iit: Decimal = ZERO
    annual_bonus: Decimal = ZERO
    annual_bonus_method: str = ""
    annual_bonus_tax: Decimal = ZERO
    net: Decimal = ZERO
    ytd_next: dict = field(default_factory=dict)
    duty_next: dict | None = None
    notes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    setup: set = field(default_factory=set)  # positions in `notes` of notes about missing setup or data

    @property
    def explanation(self) -> str:
        """Every note, for finance (工资表, JSON)."""
        return ";".join(self.notes)

    @property
    def payslip_explanation(self) -> str:
        """What the employee reads on the 工资条: how each amount was worked out, without the notes
        about the shop's own setup or missing data (奖金比例未设定 …), which are findings for the 问题
        sheet, not news for the employee."""
        return ";".join(n for i, n in enumerate(self.notes) if i not in self.setup)

    def setup_note(self, text: str) -> None:
        """A note about missing setup or data: on the 工资表, never on the 工资条."""
        self.setup.add(len(self.notes))
        self.notes.append(text)

    @property
    def error_titles(self) -> str:
        """The person's error findings by their Chinese titles (工资表 问题 column)."""
        return code_titles(self.errors)

    @property
    def deductions(self) -> Decimal:
        return self.social_insurance + self.housing_fund + self.iit


SEPARATE, MERGED = "单独计税", "并入工资"


@dataclass
class Context:
    """What every step sees: the month, the scheme, the sheets, shop-wide figures, and the
    findings so far."""

    month: dt.date
    scheme: PayScheme
    tables: PayrollTables
    merge_bonus: bool = False
    attendance: dict = field(default_factory=dict)  # 工号 -> Excel row
    performance: dict = field(default_factory=dict)
    tax_rows: dict = field(default_factory=dict)
    tax_applies: bool = False
    ledger_rows: dict = field(default_factory=dict)
    ledger_applies: bool = False
    incidents: int | None = None
    bad_reviews: int | None = None
    shop_turnover: Decimal | None = None
    findings: list = field(default_factory=list)
    counted: dict = field(default_factory=dict)  # (工号, 绩效 column) -> (count, source)
    tagged: dict = field(default_factory=dict)  # 工号 -> error codes with no row to point at
    said: set = field(default_factory=set)  # shop-wide findings already made

    def add(self, frame: pd.DataFrame, slip: Slip | None = None) -> None:
        if frame is None or not len(frame):
            return
        self.findings.append(frame)
        if slip is not None:
            for code, severity in zip(frame["code"], frame["severity"]):
                if severity == "error" and code not in slip.errors:
                    slip.errors.append(code)

    def once(self, key: str) -> bool:
        """True the first time `key` is seen: for shop-wide findings made from a person's step."""
        if key in self.said:
            return False
        self.said.add(key)
        return True


def _value(table: Table | None, row: int | None, column: str):
    """A parsed cell, None when blank, absent or unparsable."""
    if table is None or row is None or column not in table.data:
        return None
    v = table.data.at[row, column]
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and v != v:
        return None
    return v


def _money_at(table, row, column) -> Decimal | None:
    v = _value(table, row, column)
    return None if v is None else fen_to_decimal(v)


def _count_at(table, row, column) -> int | None:
    v = _value(table, row, column)
    return None if v is None else int(v)


def _raw(table: Table, row: int, column: str):
    if column in table.raw and row in table.raw.index:
        v = table.raw.at[row, column]
        return None if _blank(v) else v
    return None


def cell_finding(table: Table, row: int, column: str, code: str, value=..., **fields) -> pd.DataFrame:
    """A finding at one cell (value defaults to the cell as read)."""
    if value is ...:
        value = _raw(table, row, column)
    return fnd.at_rows(table.sheet, [row], table.headers.get(column, column), table.letters.get(column),
                       code, [value], **fields)


def _who(slip: Slip) -> dict:
    return {"name": slip.name, "id": slip.id, "position": slip.position}


def base_pay(slip: Slip, ctx: Context) -> None:
    """底薪: the 员工 sheet's 底薪 when given, else the position's; a range position needs one."""
    emp = ctx.tables.employees
    pos = ctx.scheme.positions.get(slip.position)
    given = _money_at(emp, slip.row, "底薪")
    if pos is None:
        ctx.add(cell_finding(emp, slip.row, "岗位", "position-unknown"), slip)
    if given is not None:
        slip.base = given
        slip.notes.append(f"底薪 {_num(given)}(员工表)")
        if pos is not None and ((pos.base_min is not None and given < pos.base_min)
                                or (pos.base_max is not None and given > pos.base_max)):
            ctx.add(cell_finding(emp, slip.row, "底薪", "base-out-of-range", position=slip.position,
                                 range=pos.base_range), slip)
    elif pos is not None and pos.base is not None:
        slip.base = pos.base
        slip.notes.append(f"底薪 {_num(pos.base)}(岗位标准)")
    else:
        span = f"(范围 {pos.base_range} 元)" if pos is not None and pos.base_range else ""
        ctx.add(cell_finding(emp, slip.row, "底薪", "base-missing", range=span, **_who(slip)), slip)
        slip.setup_note("底薪 0(未填写)")


def absence_deduction(slip: Slip, ctx: Context) -> None:
    """缺勤扣款 = 底薪 × (应出勤 − 实出勤) ÷ 应出勤; 0 (and a warning) when 实出勤 > 应出勤."""
    table = ctx.tables.attendance
    row = ctx.attendance.get(slip.id)
    if row is None:
        ctx.add(cell_finding(ctx.tables.employees, slip.row, "工号", "attendance-missing", **_who(slip)), slip)
        return
    expected, actual = _value(table, row, "应出勤天数"), _value(table, row, "实出勤天数")
    if expected is None or actual is None:
        slip.errors.append("required-missing")
        return
    expected, actual = to_decimal(float(expected)), to_decimal(float(actual))
    slip.expected_days, slip.actual_days = expected, actual
    if expected <= 0:
        ctx.add(cell_finding(table, row, "应出勤天数", "attendance-days-invalid"), slip)
        return
    if actual > expected:
        ctx.add(cell_finding(table, row, "实出勤天数", "attendance-over", actual=_num(actual),
                             expected=_num(expected)), slip)
        slip.notes.append(f"实出勤 {_num(actual)} 天超过应出勤 {_num(expected)} 天,缺勤扣款 0")
    elif actual < expected:
        slip.absence_deduction = fen(slip.base * (expected - actual) / expected)
        slip.notes.append(f"缺勤扣款 = {_num(slip.base)} × ({_num(expected)} − {_num(actual)}) ÷ {_num(expected)} 天"
                          f" = {_money(slip.absence_deduction)}")
    late = _count_at(table, row, "迟到早退次数")
    if late:
        slip.notes.append(f"迟到早退 {late} 次(罚款另见绩效表)")


def counted_or_typed(slip: Slip, ctx: Context, table, row, item: str) -> tuple[int | None, str | None]:
    """A 绩效 count: the figure typed in 绩效, else the one counted from the registers (with its
    source). A typed figure that differs from the registers' is a finding; the typed one is used."""
    typed = _count_at(table, row, item)
    counted = ctx.counted.get((slip.id, item))
    if counted is None:
        return typed, None
    if typed is None:
        if table is not None and row is not None and _raw(table, row, item) is not None:
            return None, None  # a cell that is no whole number: the reading layer reported it
        return counted
    if typed != counted[0]:
        ctx.add(cell_finding(table, row, item, "count-differs-from-register", counted=counted[0],
                             source=counted[1], **_who(slip)))
    return typed, None


def _counted(tables: PayrollTables, names: dict) -> dict:
    """(工号, item) -> (count, source) from the register counts, by 姓名 (a name two employees
    share is not used: the count cannot be placed)."""
    frame = tables.counted
    if frame is None or not len(frame):
        return {}
    by_name: dict = {}
    for person, name in names.items():
        if name:
            by_name.setdefault(str(name).strip(), []).append(person)
    out = {}
    for name, item, count, source in frame[["姓名", "项目", "数量", "来源"]].itertuples(index=False):
        people = by_name.get(str(name).strip(), [])
        if len(people) == 1 and item in PIECE_ITEMS:
            out[(people[0], item)] = (int(count), source)
    return out


def piece_pay(slip: Slip, ctx: Context) -> None:
    """计件工资 = Σ count × rate over the position's piece-rate items (each rounded once)."""
    pos = ctx.scheme.positions.get(slip.position)
    if pos is None or not pos.pieces:
        return
    table, row = ctx.tables.performance, ctx.performance.get(slip.id)
    parts, total = [], ZERO
    for piece in pos.pieces:
        count, source = counted_or_typed(slip, ctx, table, row, piece.item)
        if count is None:
            if table is not None and row is not None and _raw(table, row, piece.item) is not None:
                slip.errors.append("not-whole-number")  # the reading layer reported the cell
            else:
                ctx.add(_missing(ctx, slip, table, row, piece.item, "piece-count-missing"), slip)
            count = 0
        amount = fen(count * piece.rate)
        total += amount
        what, unit = PIECE_ITEMS[piece.item]
        where = f"(来自 {source})" if source else ""
        parts.append((f"{what} {count} {unit}{where} × {_num(piece.rate)} 元", amount))
    slip.piece_pay = total
    if len(parts) == 1:
        slip.notes.append(f"计件 = {parts[0][0]} = {_money(total)}")
    else:
        slip.notes.append("计件 = " + " + ".join(p for p, _ in parts) + f" = {_money(total)}")


def _missing(ctx: Context, slip: Slip, table: Table | None, row: int | None, column: str, code: str) -> pd.DataFrame:
    """A finding for a value the person's pay needs: at its cell, or naming the person when
    the 绩效 row or column is absent."""
    if table is not None and row is not None and column in table.letters:
        return cell_finding(table, row, column, code, **_who(slip))
    sheet = table.sheet if table is not None else PERFORMANCE.name
    return fnd.sheet_level(sheet, code, column=column, value=slip.id, **_who(slip))


def bonuses(slip: Slip, ctx: Context) -> None:
    """The position's bonus rule (营业额奖金, 效益奖金, 个人营业额奖金 with its target gate,
    售后客服 无差评奖, 司库 责任金 paid per quarter from the ledger)."""
    pos = ctx.scheme.positions.get(slip.position)
    rule = pos.bonus_rule if pos is not None else None
    table, row = ctx.tables.performance, ctx.performance.get(slip.id)
    total = ZERO
    if rule == TURNOVER:
        rate = pos.bonus_rate or ZERO
        turnover = _money_at(table, row, "店铺营业额")
        turnover = ctx.shop_turnover if turnover is None else turnover
        if rate == 0:
            _bonus_unset(ctx, slip, "营业额奖金", "奖金比例")
            slip.setup_note("营业额奖金 0(奖金比例未设定)")
        elif turnover is None:
            ctx.add(_missing(ctx, slip, table, row, "店铺营业额", "turnover-missing"), slip)
            slip.setup_note("营业额奖金 0(没有店铺营业额)")
        else:
            amount = fen(turnover * rate)
            total += amount
            slip.notes.append(f"营业额奖金 = 店铺营业额 {_num(turnover)} × {_pct(rate)} = {_money(amount)}")
    elif rule == PROFIT:
        amount = _money_at(table, row, "效益奖金")
        source = "绩效表"
        if amount is None:
            amount, source = pos.bonus_amount or ZERO, "岗位标准"
        total += amount
        if amount:
            slip.notes.append(f"效益奖金 {_money(amount)}({source})")
        else:
            _bonus_unset(ctx, slip, "效益奖金", "奖金金额")
            slip.setup_note("效益奖金 0(未设定)")
    elif rule == PERSONAL_SALES:
        rate = pos.bonus_rate or ZERO
        sales, target = _money_at(table, row, "个人销售额"), _money_at(table, row, "个人销售目标")
        for column, value in (("个人销售额", sales), ("个人销售目标", target)):
            if value is None:
                ctx.add(_missing(ctx, slip, table, row, column, "sales-figure-missing"), slip)
        if sales is None or target is None:
            slip.setup_note("营业额奖金 0(缺少个人销售额或目标)")
        elif sales >= target:
            amount = fen(sales * rate)
            total += amount
            slip.notes.append(f"营业额奖金 = 个人销售额 {_num(sales)} × {_pct(rate)} = {_money(amount)}"
                              f"(目标 {_num(target)},已达标)")
        else:
            slip.notes.append(f"营业额奖金 0(个人销售额 {_num(sales)} 未达目标 {_num(target)})")
    elif rule == NO_BAD_REVIEW:
        amount = pos.bonus_amount or ZERO
        if ctx.bad_reviews is None:
            if ctx.once("no-bad-review-column"):
                ctx.add(fnd.sheet_level(table.sheet if table is not None else PERFORMANCE.name, "shop-count-missing",
                                        column="差评数", what="差评", consequence=f"售后客服无差评奖 {_num(amount)} 元"))
            slip.setup_note("无差评奖 0(绩效表没有填写差评数)")
        elif ctx.bad_reviews == 0:
            total += amount
            slip.notes.append(f"无差评奖 {_num(amount)}(本月全店差评 0)")
        else:
            slip.notes.append(f"无差评奖 0(本月全店差评 {ctx.bad_reviews} 条)")
    total += duty_money(slip, ctx, pos)
    slip.bonus = total


def _bonus_unset(ctx: Context, slip: Slip, bonus: str, setting: str) -> None:
    """One note per position whose bonus the manager has not set yet (SPEC: 0 until then)."""
    if ctx.once(f"bonus-unset:{slip.position}:{bonus}"):
        ctx.add(fnd.sheet_level("岗位薪酬", "bonus-unset", column=setting, value=slip.position,
                                position=slip.position, bonus=bonus, setting=setting))


def code_titles(codes) -> str:
    """Finding codes as their Chinese titles, 、-separated (工号重复、没有考勤)."""
    return "、".join(CODES[c].title if c in CODES else c for c in codes)


def duty_money(slip: Slip, ctx: Context, pos: Position | None) -> Decimal:
    """司库 责任金: earned each month without a warehouse incident (shop-wide), carried in
    the 责任金台账, paid with the first month of the next quarter. Returns what is paid now
    and sets `slip.duty_next` (the ledger row for next month)."""
    ledger, lrow = ctx.tables.duty_ledger, ctx.ledger_rows.get(slip.id)
    carried = _money_at(ledger, lrow, "累计责任金") if ctx.ledger_applies else None
    carried_months = _count_at(ledger, lrow, "本季已记月数") if ctx.ledger_applies else None
    carried_free = _count_at(ledger, lrow, "无事故月数") if ctx.ledger_applies else None
    carried_quarter = _value(ledger, lrow, "季度") if ctx.ledger_applies else None
    paid = ZERO
    if is_quarter_start(ctx.month) and carried:
        paid = carried
        which = carried_quarter or quarter_label(previous_month(ctx.month))
        per_month = pos.bonus_amount if pos is not None and pos.bonus_rule == DUTY else None
        how = f"(无事故 {carried_free} 个月 × {_num(per_month)})" if carried_free is not None and per_month else ""
        slip.notes.append(f"责任金 = {which} 累计 {_money(paid)}{how},随本月发放")
    earning = pos is not None and pos.bonus_rule == DUTY
    if not earning:
        if carried and not paid:  # a balance waiting for its quarter, kept as it is
            slip.duty_next = {"balance": carried, "months": carried_months or 0, "free": carried_free or 0,
                              "note": "非司库岗位,余额保留至下季度首月发放"}
        return paid
    amount = pos.bonus_amount or ZERO
    if ctx.incidents is None:
        if ctx.once("no-incident-column"):
            table = ctx.tables.performance
            ctx.add(fnd.sheet_level(table.sheet if table is not None else PERFORMANCE.name, "shop-count-missing",
                                    column="仓库事故", what="仓库事故",
                                    consequence=f"司库本月责任金 {_num(amount)} 元"))
        earned, why = ZERO, "绩效表没有填写仓库事故,本月不计提"
    elif ctx.incidents > 0:
        if ctx.once("duty-forfeited"):
            ctx.add(fnd.sheet_level(ctx.tables.performance.sheet, "duty-forfeited", column="仓库事故",
                                    count=ctx.incidents, amount=_num(amount)))
        earned, why = ZERO, f"本月全店仓库事故 {ctx.incidents} 起,本月责任金不计提"
    else:
        earned, why = amount, f"本月无仓库事故,计提责任金 {_num(amount)}"
    if is_quarter_start(ctx.month) or carried is None:
        balance, months, free = earned, 1, int(earned > 0)
    else:
        balance, months, free = carried + earned, (carried_months or 0) + 1, (carried_free or 0) + int(earned > 0)
    pay_month = dt.date(ctx.month.year + (ctx.month.month > 9), (quarter_of(ctx.month) % 4) * 3 + 1, 1)
    note = f"{why}({quarter_label(ctx.month)} 累计 {_money(balance)},{pay_month.year} 年 {pay_month.month} 月发放)"
    if ctx.incidents is None:  # the shop's sheet is incomplete: a finding, not the employee's news
        slip.setup_note(note)
    else:
        slip.notes.append(note)
    slip.duty_next = {"balance": balance, "months": months, "free": free, "note": why}
    return paid


_PENALTY_SPLIT = re.compile(r"[+＋、,，;；/\s]+|和")


def parse_penalties(text: str) -> list[Decimal] | None:
    """'100+50', '100、50', '150' -> amounts; None when a part is not an amount."""
    parts = [p for p in _PENALTY_SPLIT.split(unicodedata.normalize("NFKC", text).strip()) if p]
    try:
        return [to_decimal(re.sub(r"元$", "", p)) for p in parts]
    except ValueError:
        return None


def rewards_and_penalties(slip: Slip, ctx: Context) -> None:
    """奖励 as given; 罚款 = the sum of its listed amounts, each within the scheme's range."""
    table, row = ctx.tables.performance, ctx.performance.get(slip.id)
    reward = _money_at(table, row, "奖励")
    if reward:
        slip.reward = reward
        slip.notes.append(f"奖励 {_money(reward)}")
    text = _value(table, row, "罚款")
    if text is None:
        return
    amounts = parse_penalties(str(text))
    if amounts is None:
        ctx.add(cell_finding(table, row, "罚款", "penalty-invalid"), slip)
        return
    low, high = ctx.scheme.penalty_min, ctx.scheme.penalty_max
    outside = [a for a in amounts if a != 0 and not low <= a <= high]
    if outside:
        ctx.add(cell_finding(table, row, "罚款", "penalty-out-of-range", amounts="、".join(_num(a) for a in outside),
                             minimum=_num(low), maximum=_num(high)), slip)
    slip.penalty = fen(sum(amounts, ZERO))
    if slip.penalty:
        listed = " + ".join(_num(a) for a in amounts)
        slip.notes.append(f"罚款 = {listed} = {_money(slip.penalty)}" if len(amounts) > 1 else f"罚款 {_money(slip.penalty)}")


def annual_bonus_method(slip: Slip, ctx: Context) -> None:
    """全年一次性奖金: taxed on its own once a year while the regime lasts; else (or with
    --merge-bonus) merged into this month's wages."""
    amount = _money_at(ctx.tables.performance, ctx.performance.get(slip.id), "年终奖")
    if not amount:
        return
    slip.annual_bonus = amount
    used = _tax_carried(ctx, slip.id).get("bonus_used")
    if ctx.merge_bonus:
        slip.annual_bonus_method = MERGED
        slip.notes.append(f"年终奖 {_money(amount)} 并入本月工资计税(本次选择合并计税)")
    elif not tax.annual_bonus_allowed(ctx.month):
        slip.annual_bonus_method = MERGED
        if ctx.once("annual-bonus-expired"):
            ctx.add(fnd.sheet_level(ctx.tables.performance.sheet, "annual-bonus-expired", column="年终奖",
                                    until=tax.ANNUAL_BONUS_SEPARATE_UNTIL.isoformat(), month=month_label(ctx.month)))
        slip.notes.append(f"年终奖 {_money(amount)} 并入本月工资计税(单独计税政策已到期)")
    elif used:
        slip.annual_bonus_method = MERGED
        ctx.add(cell_finding(ctx.tables.performance, ctx.performance[slip.id], "年终奖", "annual-bonus-already-used",
                             used=used, **_who(slip)), slip)
        slip.notes.append(f"年终奖 {_money(amount)} 并入本月工资计税(本年已在 {used} 单独计税过)")
    else:
        slip.annual_bonus_method = SEPARATE


def gross_pay(slip: Slip, ctx: Context) -> None:
    """应发 = 底薪 − 缺勤扣款 + 计件 + 奖金 + 奖励 − 罚款 (+ 年终奖 when merged)."""
    slip.gross = (slip.base - slip.absence_deduction + slip.piece_pay + slip.bonus + slip.reward - slip.penalty)
    if slip.annual_bonus_method == MERGED:
        slip.gross += slip.annual_bonus


def _clamp(value: Decimal, floor: Decimal | None, ceiling: Decimal | None) -> Decimal:
    if floor is not None and value < floor:
        return floor
    if ceiling is not None and value > ceiling:
        return ceiling
    return value


def social_insurance(slip: Slip, ctx: Context) -> None:
    """养老 8%, 医疗 2%, 失业 0.5% of 社保基数 (clamped only when the scheme gives bounds),
    each rounded once."""
    s = ctx.scheme
    given = _money_at(ctx.tables.employees, slip.row, "社保基数")
    if given is None:
        return
    base = _clamp(given, s.social_floor, s.social_ceiling)
    clamp_note = f"(社保基数 {_num(given)} 按{'下限' if base > given else '上限'} {_num(base)})" if base != given else ""
    slip.pension, slip.medical, slip.unemployment = (fen(base * s.pension_rate), fen(base * s.medical_rate),
                                                      fen(base * s.unemployment_rate))
    slip.social_insurance = slip.pension + slip.medical + slip.unemployment
    if slip.social_insurance:
        slip.notes.append(
            f"社保 = {_num(base)} × ({_pct(s.pension_rate)} + {_pct(s.medical_rate)} + {_pct(s.unemployment_rate)})"
            f" = {_money(slip.pension)} + {_money(slip.medical)} + {_money(slip.unemployment)}"
            f" = {_money(slip.social_insurance)}{clamp_note}")


def housing_fund(slip: Slip, ctx: Context) -> None:
    """公积金 = 社保基数 (clamped only when the scheme gives bounds) × the person's 公积金比例."""
    emp, s = ctx.tables.employees, ctx.scheme
    given = _money_at(emp, slip.row, "社保基数")
    written = _value(emp, slip.row, "公积金比例")
    if given is None or written is None:
        return
    try:
        rate = to_rate(written)
        if rate > Decimal("0.12"):
            raise ValueError("超过 12%")
    except ValueError as exc:
        ctx.add(cell_finding(emp, slip.row, "公积金比例", "housing-fund-rate-invalid", reason=str(exc)), slip)
        return
    base = _clamp(given, s.fund_floor, s.fund_ceiling)
    slip.housing_fund = fen(base * rate)
    if slip.housing_fund:
        slip.notes.append(f"公积金 = {_num(base)} × {_pct(rate)} = {_money(slip.housing_fund)}")


def _tax_carried(ctx: Context, person: str) -> dict:
    """The person's 个税累计 figures carried into this month (zeros when none apply)."""
    table, row = ctx.tables.tax_ytd, ctx.tax_rows.get(person)
    if not ctx.tax_applies or row is None:
        return {"months": 0, "income": ZERO, "special": ZERO, "additional": ZERO, "withheld": ZERO,
                "bonus_used": None, "found": False}
    return {
        "months": _count_at(table, row, "累计月数"),
        "income": _money_at(table, row, "累计收入") or ZERO,
        "special": _money_at(table, row, "累计专项扣除") or ZERO,
        "additional": _money_at(table, row, "累计专项附加扣除") or ZERO,
        "withheld": _money_at(table, row, "累计已预扣税额") or ZERO,
        "bonus_used": _value(table, row, "年终奖单独计税"),
        "found": True,
    }


def income_tax(slip: Slip, ctx: Context) -> None:
    """累计预扣法: taxable YTD = (累计收入 + 应发) − 5000 × (累计月数 + 1) − (累计专项扣除 +
    社保 + 公积金) − (累计专项附加扣除 + 专项附加扣除); tax YTD by the annual table; this
    month = tax YTD − 累计已预扣税额, never below 0."""
    emp = ctx.tables.employees
    slip.special_deduction = _money_at(emp, slip.row, "专项附加扣除") or ZERO
    carried = _tax_carried(ctx, slip.id)
    joined = _value(emp, slip.row, "入职日期")
    expected = months_employed_before(joined.date() if joined is not None else None, ctx.month)
    if ctx.month.month > 1 and ctx.tax_applies and not carried["found"] and expected != 0:
        ctx.add(cell_finding(emp, slip.row, "工号", "tax-ytd-missing",
                             joined=joined.date().isoformat() if joined is not None else "(未填入职日期)",
                             **_who(slip)), slip)
    months = carried["months"]
    if months is None:  # a carried row without 累计月数: counted from joining
        months = expected or 0
    elif expected is not None and months != expected and carried["found"]:
        ctx.add(cell_finding(ctx.tables.tax_ytd, ctx.tax_rows[slip.id], "累计月数", "tax-months-mismatch",
                             joined=joined.date().isoformat(), expected=expected), slip)
    income = carried["income"] + slip.gross
    allowance = tax.MONTHLY_ALLOWANCE * (months + 1)
    special = carried["special"] + slip.social_insurance + slip.housing_fund
    additional = carried["additional"] + slip.special_deduction
    taxable = income - allowance - special - additional
    tax_ytd, row = tax.cumulative_tax(taxable)
    slip.iit = max(ZERO, tax_ytd - carried["withheld"])
    head = (f"个税(累计预扣):应纳税所得 = 累计收入 {_money(income)} − 减除费用 {_num(tax.MONTHLY_ALLOWANCE)} × "
            f"{months + 1} − 专项扣除 {_money(special)} − 专项附加扣除 {_money(additional)} = {_money(taxable)}")
    if row is None:
        slip.notes.append(f"{head} ≤ 0,个税 0")
    else:
        clamp = "(已预扣更多,不退税,按 0)" if tax_ytd < carried["withheld"] else ""
        slip.notes.append(f"{head};累计税额 = {_money(taxable)} × {row.percent} − {_num(row.quick)} = {_money(tax_ytd)};"
                          f"本月 = {_money(tax_ytd)} − 已预扣 {_money(carried['withheld'])} = {_money(slip.iit)}{clamp}")
    bonus_used = carried["bonus_used"]
    if slip.annual_bonus_method == SEPARATE:
        bonus_used = month_label(ctx.month)
    slip.ytd_next = {"months": months + 1, "income": income, "special": special, "additional": additional,
                     "withheld": carried["withheld"] + slip.iit, "bonus_used": bonus_used}


def annual_bonus_tax(slip: Slip, ctx: Context) -> None:
    """年终奖 taxed on its own: rate from 年终奖 ÷ 12 (monthly table), tax = 年终奖 × rate −
    that row's quick deduction."""
    if slip.annual_bonus_method != SEPARATE:
        return
    slip.annual_bonus_tax, row = tax.annual_bonus_tax(slip.annual_bonus)
    slip.notes.append(f"年终奖 {_money(slip.annual_bonus)} 单独计税:÷ 12 = {_money(fen(slip.annual_bonus / 12))} → "
                      f"{row.percent},税 = {_num(slip.annual_bonus)} × {row.percent} − {_num(row.quick)}"
                      f" = {_money(slip.annual_bonus_tax)}")


def net_pay(slip: Slip, ctx: Context) -> None:
    """实发 = 应发 − 社保 − 公积金 − 个税 (+ 年终奖 − 年终奖个税 when taxed on its own)."""
    slip.net = slip.gross - slip.social_insurance - slip.housing_fund - slip.iit
    if slip.annual_bonus_method == SEPARATE:
        slip.net += slip.annual_bonus - slip.annual_bonus_tax
    if slip.net < 0:
        ctx.add(cell_finding(ctx.tables.employees, slip.row, "工号", "net-pay-negative", value=_money(slip.net),
                             amount=_money(slip.net), **_who(slip)), slip)


# The order of SPEC §Payroll.
STEPS = (base_pay, absence_deduction, piece_pay, bonuses, rewards_and_penalties, annual_bonus_method,
         gross_pay, social_insurance, housing_fund, income_tax, annual_bonus_tax, net_pay)


# --- roster checks ----------------------------------------------------------------------------
ACCOUNT = re.compile(r"^\d{10,30}$")
_ACCOUNT_SEPARATORS = re.compile(r"[\s-]")
_RIC_REASONS = {InvalidLength: "应为 18 位", InvalidFormat: "前 17 位应为数字", InvalidChecksum: "最后一位校验码不对",
                InvalidComponent: "出生日期或地区码不存在"}


def id_card_problem(number: str) -> str | None:
    """Why a 身份证号 fails GB 11643 (length, digits, check digit, birth date, region), or None."""
    try:
        ric.validate(number)
    except ValidationError as exc:
        return _RIC_REASONS.get(type(exc), "格式不对")
    return None


def account_digits(text: str | None) -> str | None:
    """A bank account without spaces/hyphens, when it is 10–30 digits; else None."""
    if not text:
        return None
    digits = _ACCOUNT_SEPARATORS.sub("", text)
    return digits if ACCOUNT.match(digits) else None


def roster_checks(ctx: Context, rows: list[int]) -> None:
    """身份证号 (GB 11643), bank account (digits; Luhn as a warning)."""
    emp = ctx.tables.employees
    data = emp.data.loc[rows]
    if "身份证号" in data:
        cards = data["身份证号"].dropna()
        reasons = cards.map(id_card_problem)
        bad = reasons.notna()
        ctx.add(emp.at(bad, "身份证号", "id-card-invalid", reason=reasons[bad]))
    if "银行账号" in data:
        accounts = data["银行账号"].dropna()
        digits = accounts.map(account_digits)
        invalid = digits.isna()
        ctx.add(emp.at(invalid, "银行账号", "bank-account-invalid"))
        luhn_bad = digits.notna() & ~digits.map(lambda d: bool(d) and luhn.is_valid(d))
        ctx.add(emp.at(luhn_bad, "银行账号", "bank-account-luhn"))


def _first_rows(table: Table, ctx: Context, known: set[str] | None, names: dict[str, str] | None) -> dict[str, int]:
    """工号 -> first Excel row of a sheet; duplicates, unknown 工号 and name mismatches are findings.
    A sheet without 工号 matches nobody (its missing-column finding says why)."""
    if "工号" not in table.data:
        return {}
    ids = table.data["工号"]
    ids = ids.dropna()
    first: dict[str, int] = {}
    dup_rows, dup_other = [], []
    for row, person in ids.items():
        if person in first:
            dup_rows.append(row)
            dup_other.append(first[person])
        else:
            first[person] = row
    if dup_rows:
        code = "employee-id-duplicate" if table.kind is EMPLOYEES else "duplicate-row-for-employee"
        ctx.add(fnd.at_rows(table.sheet, dup_rows, table.headers["工号"], table.letters["工号"], code,
                            [ids[r] for r in dup_rows], other=dup_other, sheet_name=table.sheet))
    if known is not None:
        unknown = table.data["工号"].notna() & ~table.data["工号"].isin(known)
        ctx.add(table.at(unknown, "工号", "unknown-employee-id", sheet_name=table.sheet))
    if names is not None and "姓名" in table.data:
        written = table.data.loc[list(first.values()), "姓名"]
        expected = pd.Series([names.get(table.data.at[r, "工号"]) for r in written.index], index=written.index)
        mismatch = written.notna() & expected.notna() & (written != expected)
        ctx.add(table.at(mismatch, "姓名", "name-mismatch", id=table.data.loc[written.index, "工号"],
                         expected=expected))
    return first


# --- carried sheets (个税累计, 责任金台账) ----------------------------------------------------
def _stamps(table: Table) -> list[tuple[int, int]]:
    if "年份" not in table.data or "截至月份" not in table.data:
        return []
    both = table.data[["年份", "截至月份"]].dropna()
    return sorted({(int(y), int(m)) for y, m in both.itertuples(index=False) if 1 <= int(m) <= 12})


def workbook_month(tables: PayrollTables) -> dt.date | None:
    """The month a payroll workbook is for: the one after the latest 年份/截至月份 stamp of its
    个税累计/责任金台账 (they hold the months already paid); None when neither is stamped."""
    stamps = [stamp for table in (tables.tax_ytd, tables.duty_ledger) if table is not None
              for stamp in _stamps(table)]
    if not stamps:
        return None
    year, month = max(stamps)
    return dt.date(year + month // 12, month % 12 + 1, 1)


def _stamp_label(stamp: tuple[int, int]) -> str:
    return f"{stamp[0]} 年 {stamp[1]} 月"


def carried_applies(table: Table | None, month: dt.date, resets_in_january: bool, ctx: Context,
                    gap_code: str) -> bool:
    """Whether a carried sheet's figures carry into `month`; refuses (UnusableInput) when the
    sheet already holds this month or a later one."""
    if table is None or not len(table.data):
        return False
    stamps = _stamps(table)
    prev = previous_month(month)
    if not stamps:
        if resets_in_january and month.month == 1:
            ctx.add(fnd.sheet_level(table.sheet, "tax-ytd-new-year", column="年份", stamp="未标注年月的数据",
                                    year=month.year))
            return False
        ctx.add(fnd.sheet_level(table.sheet, "carried-unstamped", column="年份", sheet_name=table.sheet,
                                previous=month_label(prev)))
        return True
    latest = stamps[-1]
    if latest >= (month.year, month.month):
        raise UnusableInput(
            f"「{table.sheet}」已经是 {_stamp_label(latest)} 的结果,不能再计算 {month_label(month)} 的工资"
            f"(同一个月不能应用两次)。要重算本月,请使用计算本月之前的工作簿(其中的{table.sheet}截至 "
            f"{prev.year} 年 {prev.month} 月)。")
    if resets_in_january and latest[0] < month.year:
        if month.month > 1:
            ctx.add(fnd.sheet_level(table.sheet, gap_code, column="截至月份", sheet_name=table.sheet,
                                    stamp=_stamp_label(latest), missing=f"{month.year} 年 1–{month.month - 1} 月"))
        else:
            ctx.add(fnd.sheet_level(table.sheet, "tax-ytd-new-year", column="年份", stamp=_stamp_label(latest),
                                    year=month.year))
        return False
    if latest < (prev.year, prev.month):
        nxt = dt.date(latest[0] + latest[1] // 12, latest[1] % 12 + 1, 1)
        span = month_label(nxt) if nxt == prev else f"{month_label(nxt)} 至 {month_label(prev)}"
        ctx.add(fnd.sheet_level(table.sheet, gap_code, column="截至月份", sheet_name=table.sheet,
                                stamp=_stamp_label(latest), missing=span))
    return True


# --- the job ------------------------------------------------------------------------------------
@dataclass
class PayrollResult:
    """The month's payroll: one Slip per paid employee plus the sheets to write."""

    month: dt.date
    slips: list
    bank: pd.DataFrame  # 账号, 户名, 金额, 开户行
    left_out: pd.DataFrame  # 工号, 姓名, 实发工资, 原因
    tax_ytd: pd.DataFrame  # next month's 个税累计
    duty_ledger: pd.DataFrame  # next month's 责任金台账
    affected: list  # [{"id", "name", "codes"}] people with error findings
    skipped: list = field(default_factory=list)  # [{"id", "name", "reason"}] not paid this month

    @property
    def totals(self) -> dict:
        keys = ("base", "absence_deduction", "piece_pay", "bonus", "reward", "penalty", "gross", "social_insurance",
                "housing_fund", "special_deduction", "iit", "annual_bonus", "annual_bonus_tax", "net")
        return {k: sum((getattr(s, k) for s in self.slips), ZERO) for k in keys}

    @property
    def bank_total(self) -> Decimal:
        return sum((Decimal(a) for a in self.bank["金额"]), ZERO)

    def check_bank_total(self) -> None:
        """The bank file pays exactly the net pay of the people in it, and with the people
        left out it accounts for the whole net total. Raises AssertionError otherwise (a bug)."""
        paid = {s.id: s.net for s in self.slips if s.account_usable and s.net > 0}
        left = sum((s.net for s in self.slips if not (s.account_usable and s.net > 0)), ZERO)
        if self.bank_total != sum(paid.values(), ZERO) or self.bank_total + left != self.totals["net"]:
            raise AssertionError(f"银行代发合计 {self.bank_total} 与实发合计 {self.totals['net']} 不符(程序错误)")

    def sheet(self) -> pd.DataFrame:
        """The 工资表: one row per employee, every amount and its explanation."""
        rows = []
        for n, s in enumerate(self.slips, start=1):
            rows.append({
                "序号": n, "工号": s.id, "姓名": s.name, "岗位": s.position, "身份证号": s.id_card,
                "底薪": s.base, "应出勤天数": s.expected_days, "实出勤天数": s.actual_days,
                "缺勤扣款": s.absence_deduction, "计件工资": s.piece_pay, "奖金": s.bonus, "奖励": s.reward,
                "罚款": s.penalty, "应发工资": s.gross, "养老保险": s.pension, "医疗保险": s.medical,
                "失业保险": s.unemployment, "社保合计": s.social_insurance, "公积金": s.housing_fund,
                "专项附加扣除": s.special_deduction, "个人所得税": s.iit, "年终奖": s.annual_bonus,
                "年终奖计税方式": s.annual_bonus_method, "年终奖个税": s.annual_bonus_tax, "实发工资": s.net,
                "说明": s.explanation, "问题": s.error_titles,
            })
        return pd.DataFrame(rows, columns=PAY_SHEET_COLUMNS)

    def as_json(self, findings: pd.DataFrame) -> dict:
        money = lambda d: f"{d:.2f}"  # noqa: E731
        employees = [{
            "id": s.id, "name": s.name, "position": s.position, "base": money(s.base),
            "absence_deduction": money(s.absence_deduction), "piece_pay": money(s.piece_pay),
            "bonus": money(s.bonus), "reward": money(s.reward), "penalty": money(s.penalty),
            "gross": money(s.gross), "social_insurance": money(s.social_insurance),
            "housing_fund": money(s.housing_fund), "special_deduction": money(s.special_deduction),
            "iit": money(s.iit), "annual_bonus_tax": money(s.annual_bonus_tax), "net": money(s.net),
            "explanation": s.explanation,
            # beyond the fields: the bonus itself, how it was taxed, the person's error codes
            "annual_bonus": money(s.annual_bonus), "annual_bonus_method": s.annual_bonus_method or None,
            "errors": list(s.errors),
        } for s in self.slips]
        return {
            "month": month_label(self.month),
            "employees": employees,
            "totals": {k: money(v) for k, v in self.totals.items()} | {"employees": len(self.slips)},
            "bank": {"count": len(self.bank), "total": money(self.bank_total),
                     "left_out": [{"id": r.工号, "name": r.姓名, "net": money(r.实发工资), "reason": r.原因}
                                  for r in self.left_out.itertuples(index=False)]},
            "affected": self.affected,
            "skipped": self.skipped,
            "findings": [f.as_dict() for f in fnd.to_findings(findings)],
        }


PAY_SHEET_COLUMNS = ["序号", "工号", "姓名", "岗位", "身份证号", "底薪", "应出勤天数", "实出勤天数", "缺勤扣款",
                     "计件工资", "奖金", "奖励", "罚款", "应发工资", "养老保险", "医疗保险", "失业保险", "社保合计",
                     "公积金", "专项附加扣除", "个人所得税", "年终奖", "年终奖计税方式", "年终奖个税", "实发工资",
                     "说明", "问题"]
TAX_YTD_COLUMNS = ["工号", "姓名", "身份证号", "累计月数", "累计收入", "累计专项扣除", "累计专项附加扣除",
                   "累计已预扣税额", "年终奖单独计税", "年份", "截至月份"]
LEDGER_COLUMNS = ["工号", "姓名", "季度", "本季已记月数", "无事故月数", "累计责任金", "年份", "截至月份", "说明"]
BANK_COLUMNS = ["账号", "户名", "金额", "开户行"]


def _shop_sum(table: Table | None, column: str) -> int | None:
    """A count summed over the whole shop (blank cells count 0); None without the column or
    when nobody filled it in (an empty column does not prove a month without incidents)."""
    if table is None or column not in table.data or not table.data[column].notna().any():
        return None
    return int(table.data[column].fillna(0).sum())


def _shop_turnover(table: Table | None) -> Decimal | None:
    if table is None or "店铺营业额" not in table.data:
        return None
    values = table.data["店铺营业额"].dropna().unique()
    return fen_to_decimal(values[0]) if len(values) == 1 else None


def compute_payroll(tables: PayrollTables, scheme: PayScheme, month: dt.date, *,
                    merge_bonus: bool = False) -> tuple[PayrollResult, pd.DataFrame]:
    """The month's payroll from the payroll workbook's tables and the pay scheme.

    Returns the result (slips, bank file, next month's 个税累计 and 责任金台账) and the
    findings (reading findings of every sheet included). Raises UnusableInput only when
    nothing can be computed: no employees, or a carried sheet already holding this month.
    """
    month = dt.date(month.year, month.month, 1)
    ctx = Context(month, scheme, tables, merge_bonus)
    for table in tables.present():
        ctx.add(table.findings)
    emp = tables.employees
    if "工号" not in emp.data or emp.data["工号"].notna().sum() == 0:
        raise UnusableInput(f"「{emp.sheet}」表中没有任何带工号的员工,无法计算工资。")
    ctx.tax_applies = carried_applies(tables.tax_ytd, month, True, ctx, "tax-ytd-gap")
    ctx.ledger_applies = carried_applies(tables.duty_ledger, month, False, ctx, "duty-ledger-gap")

    first = _first_rows(emp, ctx, None, None)
    employed, skipped = [], []
    for person, row in first.items():
        joined, left = _value(emp, row, "入职日期"), _value(emp, row, "离职日期")
        name = _value(emp, row, "姓名") or ""
        if joined is not None and joined.date() > month_end(month):
            ctx.add(cell_finding(emp, row, "入职日期", "not-yet-joined", name=name, id=person,
                                 month=month_label(month)))
            skipped.append({"id": person, "name": name, "reason": "尚未入职"})
        elif left is not None and left.date() < month:
            skipped.append({"id": person, "name": name, "reason": "已离职"})
        else:
            employed.append((person, row))
    known = set(first)
    names = {p: _value(emp, r, "姓名") for p, r in first.items()}
    if tables.attendance is not None:
        ctx.attendance = _first_rows(tables.attendance, ctx, known, names)
    if tables.performance is not None:
        ctx.performance = _first_rows(tables.performance, ctx, known, names)
    ctx.counted = _counted(tables, names)
    if tables.tax_ytd is not None and ctx.tax_applies:
        ctx.tax_rows = _first_rows(tables.tax_ytd, ctx, None, names)
    elif tables.tax_ytd is None and month.month > 1:
        ctx.add(fnd.sheet_level(TAX_YTD.name, "tax-ytd-absent", column=None, month=month_label(month)))
    if tables.duty_ledger is not None and ctx.ledger_applies:
        ctx.ledger_rows = _first_rows(tables.duty_ledger, ctx, None, names)
    ctx.incidents = _shop_sum(tables.performance, "仓库事故")
    ctx.bad_reviews = _shop_sum(tables.performance, "差评数")
    if ctx.bad_reviews is None and tables.counted is not None and (tables.counted["项目"] == "差评数").any():
        ctx.bad_reviews = int(tables.counted.loc[tables.counted["项目"] == "差评数", "数量"].sum())
    ctx.shop_turnover = _shop_turnover(tables.performance)
    roster_checks(ctx, [r for _, r in employed])

    if tables.duty_ledger is None:
        keepers = [p for p, r in employed if (pos := scheme.positions.get(_value(emp, r, "岗位") or "")) is not None
                   and pos.bonus_rule == DUTY]
        if keepers and is_quarter_start(month):
            ctx.add(fnd.sheet_level(DUTY_LEDGER.name, "duty-ledger-absent", column=None,
                                    quarter=quarter_label(previous_month(month))))
        elif keepers:
            first_month = dt.date(month.year, (quarter_of(month) - 1) * 3 + 1, 1)
            span = (month_label(first_month) if first_month == previous_month(month)
                    else f"{month_label(first_month)} 至 {month_label(previous_month(month))}")
            ctx.add(fnd.sheet_level(DUTY_LEDGER.name, "duty-ledger-none", column=None, months=span,
                                    quarter=quarter_label(month)))

    slips, no_si = [], []
    for person, row in employed:
        account = _value(emp, row, "银行账号")
        if account is None and _raw(emp, row, "银行账号") is not None:  # unreadable (digits lost): already a finding
            account = str(_raw(emp, row, "银行账号"))
        slip = Slip(person, _value(emp, row, "姓名") or "", _value(emp, row, "岗位") or "", row,
                    id_card=_value(emp, row, "身份证号"), account=account_digits(account) or account,
                    account_name=_value(emp, row, "户名") or _value(emp, row, "姓名"),
                    bank=_value(emp, row, "开户行"), account_usable=account_digits(account) is not None)
        if _value(emp, row, "社保基数") is None:
            no_si.append(slip.name or person)
        for step in STEPS:
            step(slip, ctx)
        slips.append(slip)
    if no_si:
        ctx.add(fnd.sheet_level(emp.sheet, "social-insurance-none", column="社保基数", count=len(no_si),
                                names="、".join(no_si)))
    for slip in slips:
        if not slip.account and slip.net > 0:
            ctx.add(cell_finding(emp, slip.row, "银行账号", "bank-account-missing", **_who(slip)))

    findings = mask_private(_ordered(fnd.combine(ctx.findings), tables), tables)
    result = PayrollResult(month, slips, *_bank(slips), _next_tax_ytd(slips, ctx), _next_ledger(slips, ctx),
                           _affected(slips, findings, tables), skipped)
    result.check_bank_total()
    return result, findings


def _bank(slips: list[Slip]) -> tuple[pd.DataFrame, pd.DataFrame]:
    paid, left = [], []
    for s in slips:
        if s.account_usable and s.net > 0:
            paid.append([s.account, s.account_name, s.net, s.bank])
        else:
            reason = ("实发工资不大于 0" if s.net <= 0 else "银行账号无效" if s.account else "没有银行账号")
            left.append([s.id, s.name, s.net, reason])
    return (pd.DataFrame(paid, columns=BANK_COLUMNS, dtype=object),
            pd.DataFrame(left, columns=["工号", "姓名", "实发工资", "原因"], dtype=object))


def _next_tax_ytd(slips: list[Slip], ctx: Context) -> pd.DataFrame:
    """Next month's 个税累计: this month's people plus carried rows of people not paid now
    (unchanged), every row stamped with this year and month."""
    stamp = [ctx.month.year, ctx.month.month]
    rows = []
    for s in slips:
        y = s.ytd_next
        rows.append([s.id, s.name, s.id_card, y["months"], y["income"], y["special"], y["additional"],
                     y["withheld"], y["bonus_used"], *stamp])
    table = ctx.tables.tax_ytd
    if table is not None and ctx.tax_applies:
        paid = {s.id for s in slips}
        for person, row in ctx.tax_rows.items():
            if person in paid:
                continue
            rows.append([person, _value(table, row, "姓名"), _value(table, row, "身份证号"),
                         _count_at(table, row, "累计月数"),
                         *[_money_at(table, row, c) or ZERO for c in ("累计收入", "累计专项扣除", "累计专项附加扣除",
                                                                      "累计已预扣税额")],
                         _value(table, row, "年终奖单独计税"), *stamp])
    return pd.DataFrame(rows, columns=TAX_YTD_COLUMNS, dtype=object)


def _next_ledger(slips: list[Slip], ctx: Context) -> pd.DataFrame:
    stamp = [ctx.month.year, ctx.month.month]
    rows = []
    for s in slips:
        d = s.duty_next
        if d is not None:
            rows.append([s.id, s.name, quarter_label(ctx.month), d["months"], d["free"], d["balance"], *stamp, d["note"]])
    table = ctx.tables.duty_ledger
    if table is not None and ctx.ledger_applies:
        paid = {s.id for s in slips}
        for person, row in ctx.ledger_rows.items():
            balance = _money_at(table, row, "累计责任金") or ZERO
            if person in paid or not balance:
                continue
            rows.append([person, _value(table, row, "姓名"), _value(table, row, "季度"),
                         _count_at(table, row, "本季已记月数"), _count_at(table, row, "无事故月数"), balance, *stamp,
                         "本月未发工资,余额保留"])
    return pd.DataFrame(rows, columns=LEDGER_COLUMNS, dtype=object)


def _affected(slips: list[Slip], findings: pd.DataFrame, tables: PayrollTables) -> list[dict]:
    """People with error findings: each paid person's codes, plus 员工 rows not paid for an
    error (no 工号, duplicate 工号) and rows of other sheets pointing at an employee."""
    by_id = {s.id: s for s in slips}
    sheets = {t.sheet: t for t in tables.present()}
    extra: dict[str, dict] = {}
    errors = findings[(findings["severity"] == "error") & findings["row"].notna()]
    for sheet, row, code in zip(errors["sheet"], errors["row"], errors["code"]):
        table = sheets.get(sheet)
        if table is None or int(row) not in table.data.index:
            continue
        person = _value(table, int(row), "工号")
        if person in by_id:
            if code not in by_id[person].errors:
                by_id[person].errors.append(code)
        elif table is tables.employees:
            key = person or f"第 {int(row)} 行"
            entry = extra.setdefault(key, {"id": person, "name": _value(table, int(row), "姓名") or "", "codes": []})
            if code not in entry["codes"]:
                entry["codes"].append(code)
    out = [{"id": s.id, "name": s.name, "codes": list(s.errors)} for s in slips if s.errors]
    return out + list(extra.values())


PRIVATE_COLUMNS = ("身份证号", "银行账号")


def mask_private(findings: pd.DataFrame, tables: PayrollTables) -> pd.DataFrame:
    """Findings on a 身份证号 or 银行账号 cell show the number as the 工资条 does (`mask`: all
    but the last 4 characters as *), in the value and in the message: the 问题 sheet, the
    report and --json name the cell, never the whole number."""
    if not len(findings):
        return findings
    findings = findings.copy()
    for table in tables.present():
        for column in PRIVATE_COLUMNS:
            if column not in table.headers:
                continue
            on = (findings["sheet"] == table.sheet) & (findings["column"] == table.headers[column])
            for i in findings.index[on]:
                value = findings.at[i, "value"]
                if value is None or (isinstance(value, float) and value != value) or not str(value):
                    continue
                text = str(value)
                findings.at[i, "value"] = mask(text)
                findings.at[i, "message"] = str(findings.at[i, "message"]).replace(text, mask(text))
    return findings


def _ordered(findings: pd.DataFrame, tables: PayrollTables) -> pd.DataFrame:
    if not len(findings):
        return findings
    order = {t.sheet: i for i, t in enumerate(tables.present())}
    findings = findings.assign(_sheet=findings["sheet"].map(order).fillna(99),
                               _row=pd.to_numeric(findings["row"], errors="coerce").fillna(0))
    findings = findings.sort_values(["_sheet", "_row"], kind="stable").drop(columns=["_sheet", "_row"])
    return findings.reset_index(drop=True)
