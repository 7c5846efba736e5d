"""Worksheet functions a clerk can type (xlwings UDFs, Excel on Windows):

    =SB_PHONE(E2)              手机 check: the finding's message, or "" when it is fine
    =SB_IDCARD(D2)             身份证号 check (GB 11643)
    =SB_WAYBILL(C2, D2)        快递单号 check against the courier's pattern (快递公司, 快递单号)
    =SB_FREIGHT(F2, G2, H2)    expected freight in yuan (快递公司, 省份, 重量 kg[, 日期]) from the
                               price table (规则.xlsx 「快递价格」, else the built-in table)

Each returns exactly the message the validation would give for that cell, from the same
functions (shopbook.sheets.orders.valid_phone, shopbook.payroll.roster.id_card_problem, the courier
patterns of shopbook.rules) and the same message table (shopbook.core.codes). SB_FREIGHT prices
a parcel exactly as the courier reconciliation does (shopbook.courier.job: the price row for
the courier, province and day, 首重 + ceil(over / 续重单位) × 续重单价, half-up to the fen). A number typed
where an ID belongs is checked as its digits, and one that has already lost digits
(16+ digits, Excel keeps 15) says so. The rules workbook 规则.xlsx next to the workbook
is used when there is one (courier patterns), else the built-in defaults.

The hidden `caller` argument is the calling cell (xlwings passes it); it tells which
workbook, and so which rules, the formula belongs to.

Whatever a cell passes, the formula's cell shows a Chinese text, never a traceback: a range
of several cells, TRUE/FALSE, a date where an ID belongs or a value of an unknown type gets
a message naming the argument (`one_value`); a blank ID is fine (""); anything unforeseen
is caught by `in_the_cell` and shown as one line.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
from pathlib import Path

import pandas as pd
import xlwings as xw

from shopbook.core import findings as fnd
from shopbook.reading.cells import parse_id
from shopbook.rules import DEFAULT_RULES, Rules, load_rules

RULES_WORKBOOK = "规则.xlsx"
log = logging.getLogger("shopbook.excel")

# what each argument should hold, for the messages about a wrong kind of value
WANTED = {"手机": "手机号", "身份证号": "身份证号", "快递单号": "快递单号", "快递公司": "快递公司名称",
          "省份": "省份名称", "重量": "重量(kg)", "日期": "寄件日期"}
RANGE_ARG = "「{column}」只能引用一个单元格(例如 F2),不能是 {count} 个单元格的区域。"
BOOL_ARG = "「{column}」是逻辑值 {value},不是{wanted}。请填写{wanted}。"
DATE_ARG = "「{column}」是日期 {value},不是{wanted}。请填写{wanted}。"
TYPE_ARG = "「{column}」的值无法识别({kind}),请填写{wanted}。"
FAILED = "无法计算({kind}:{error})。请把这个公式和引用的单元格告诉维护人员。"


def _cells(value) -> list:
    if isinstance(value, (list, tuple)):
        return [cell for item in value for cell in _cells(item)]
    return [value]


def one_value(value, column: str, dates: bool = False):
    """(the argument as one plain value or None for a blank, "" — or the cell's message when it
    cannot be used): a one-cell range is its cell; a longer range, TRUE/FALSE, a date
    (unless `dates`) or a value of an unknown type is refused with a message."""
    wanted = WANTED.get(column, column)
    if isinstance(value, (list, tuple)):
        cells = _cells(value)
        if len(cells) != 1:
            return None, RANGE_ARG.format(column=column, count=len(cells))
        value = cells[0]
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if isinstance(value, bool):
        return None, BOOL_ARG.format(column=column, value="TRUE" if value else "FALSE", wanted=wanted)
    if isinstance(value, (dt.datetime, dt.date)):
        if dates:
            return value, ""
        return None, DATE_ARG.format(column=column, value=f"{value:%Y-%m-%d}", wanted=wanted)
    if isinstance(value, (str, int, float)):
        return value, ""
    return None, TYPE_ARG.format(column=column, kind=type(value).__name__, wanted=wanted)


def in_the_cell(func):
    """A worksheet function that returns a one-line message instead of raising: Excel would
    show the whole Python traceback as the cell's value."""
    @functools.wraps(func)
    def guarded(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the cell shows a message, the log keeps the details
            log.exception("%s failed", func.__name__)
            return FAILED.format(kind=type(exc).__name__, error=str(exc) or "无说明")
    return guarded
_rules_cache: dict[Path, tuple[float, Rules]] = {}


def rules_for(caller) -> Rules:
    """The rules of the calling workbook's folder (cached until 规则.xlsx changes)."""
    try:
        folder = Path(caller.sheet.book.fullname).parent
    except Exception:  # no caller (called from Python) or an unsaved/remote workbook
        return DEFAULT_RULES
    path = folder / RULES_WORKBOOK
    if folder == Path(".") or not path.exists():
        return DEFAULT_RULES
    mtime = path.stat().st_mtime
    cached = _rules_cache.get(path)
    if cached is None or cached[0] != mtime:
        try:
            rules, _ = load_rules(path)
        except Exception:  # an unusable rules workbook: the defaults, as the jobs do
            rules = DEFAULT_RULES
        _rules_cache[path] = (mtime, rules)
    return _rules_cache[path][1]


def message(code: str, column: str, value, **fields) -> str:
    """The Chinese message of one finding, rendered as the validation renders it."""
    return fnd.at_rows("", [1], column, None, code, [value], **fields)["message"].iloc[0]


def as_id(value, column: str) -> tuple[str | None, str]:
    """(the ID's text or None, a message when its digits were already lost) — read as the
    validation reads an ID cell."""
    raw = pd.Series([value], dtype=object)
    text, problems = parse_id(raw)
    lost, fields = problems.get("id-digits-lost", (pd.Series([False]), {}))
    if lost.iloc[0]:
        shown = fields["value"].iloc[0]  # as Excel shows it: 1.23457E+17
        return None, message("id-digits-lost", column, shown)
    return text.iloc[0], ""


@xw.func
@in_the_cell
def SB_PHONE(phone, caller=None):
    """手机检查:有问题时返回说明,没问题返回空白。"""
    from shopbook.sheets.orders import valid_phone

    phone, wrong = one_value(phone, "手机")
    if wrong or phone is None:
        return wrong
    text, lost = as_id(phone, "手机")
    if lost or text is None:
        return lost
    if valid_phone(pd.Series([text])).iloc[0]:
        return ""
    return message("phone-invalid", "手机", text)


@xw.func
@in_the_cell
def SB_IDCARD(number, caller=None):
    """身份证号检查(GB 11643):有问题时返回说明,没问题返回空白。"""
    from shopbook.payroll.roster import id_card_problem

    number, wrong = one_value(number, "身份证号")
    if wrong or number is None:
        return wrong
    text, lost = as_id(number, "身份证号")
    if lost or text is None:
        return lost
    reason = id_card_problem(text)
    return message("id-card-invalid", "身份证号", text, reason=reason) if reason else ""


@xw.func
@in_the_cell
def SB_WAYBILL(courier, waybill, caller=None):
    """快递单号检查:单号不符合该快递公司的格式时返回说明,否则返回空白。"""
    courier, wrong = one_value(courier, "快递公司")
    if wrong:
        return wrong
    waybill, wrong = one_value(waybill, "快递单号")
    if wrong or waybill is None:
        return wrong
    text, lost = as_id(waybill, "快递单号")
    if lost or text is None:
        return lost
    found = rules_for(caller).courier(str(courier).strip() if courier else None)
    if found is None or pd.Series([text.upper()]).str.match(found.pattern).iloc[0]:
        return ""
    return message("waybill-pattern", "快递单号", text, courier=found.name, pattern=found.pattern)


_prices_cache: dict[int, tuple[Rules, pd.DataFrame]] = {}

# what SB_FREIGHT returns when it cannot price the parcel (a text in the cell, not a finding)
NO_COURIER = "请填写快递公司"
NO_PRICE = "价格表中没有{courier}寄往{province}的价格(规则工作簿「快递价格」表)"
BAD_WEIGHT = "重量 {value} 不是大于 0 的数字(单位 kg)"
BAD_DAY = "日期 {value} 不是有效的日期(例如 2026-10-05)"


def price_rows(rules: Rules) -> pd.DataFrame:
    """The parsed price table of these rules (parsed once per rules object)."""
    from shopbook.rules.prices import parse_price_table
    from shopbook.courier.inputs import price_frame

    cached = _prices_cache.get(id(rules))
    if cached is None or cached[0] is not rules:
        cached = (rules, parse_price_table(price_frame(rules), rules)[0])
        _prices_cache[id(rules)] = cached
    return cached[1]


def freight(courier, province, weight, day=None, rules: Rules = DEFAULT_RULES):
    """Expected freight in yuan (a float rounded to the fen), or the reason it cannot be priced."""
    import numpy as np

    from shopbook.rules.prices import _resolve_prices, fee_for_weight
    from shopbook.core.places import province_of_text
    from shopbook.courier.steps import to_grams
    from shopbook.reading.cells import parse_date

    args = {}
    for name, value, column in (("courier", courier, "快递公司"), ("province", province, "省份"),
                                ("weight", weight, "重量"), ("day", day, "日期")):
        args[name], wrong = one_value(value, column, dates=column == "日期")
        if wrong:
            return wrong
    courier, province, weight, day = args["courier"], args["province"], args["weight"], args["day"]
    if courier is None or not str(courier).strip():
        return NO_COURIER
    name = rules.courier_name(str(courier).strip())
    full = province_of_text(str(province)) if province is not None else None
    if full is None:
        return message("province-invalid", "省份", province if province is not None else "(空)", hint="")
    grams = to_grams(pd.Series([weight], dtype=object))[0]
    if isinstance(weight, bool) or grams <= 0:
        return BAD_WEIGHT.format(value="(空)" if weight in (None, "") else weight)
    when = parse_date(pd.Series([day], dtype=object))[0].iloc[0] if day not in (None, "") else pd.NaT
    if day not in (None, "") and pd.isna(when):
        return BAD_DAY.format(value=day)
    found = _resolve_prices(price_rows(rules), np.array([name], dtype=object), np.array([full], dtype=object),
                            pd.Series([when], dtype="datetime64[ns]").to_numpy())
    if not found["found"][0]:
        return NO_PRICE.format(courier=name, province=full)
    fen = fee_for_weight(grams, found["first_g"][0], found["first_fen"][0], found["step_g"][0], found["step_fen"][0])
    return int(fen) / 100


@xw.func
@in_the_cell
def SB_FREIGHT(courier, province, weight, day=None, caller=None):
    """按价格表计算应收运费(元):快递公司、省份、重量(kg),可选寄件日期。"""
    return freight(courier, province, weight, day, rules_for(caller))


# the worksheet functions, in the order the workbooks declare them (scripts/make_xlsm.py
# writes their VBA wrappers into the .xlsm, so they work without "Import Functions")
UDFS = (SB_PHONE, SB_IDCARD, SB_WAYBILL, SB_FREIGHT)
