"""评价 — the review register: each 中评/差评 with its follow-ups, until it is turned good (改好)
or explained (解释) before its one-month window closes (seed 001 中差评处理, 002 第 9 条).

The follow-ups sit on the review's own row as repeated columns 跟进1日期 / 跟进1方式 / 跟进1结果,
跟进2…, up to FOLLOW_UPS rounds: one row per review keeps the whole case in view, is typed left to
right in Excel, and needs no second sheet keyed by 订单号 that could drift from the first.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from shopbook.reading.schema import CHOICE, DATE, DATETIME, ID, TEXT, Column, SheetKind
from shopbook.reading.tables import Table
from shopbook.rules import Rules

GOOD, NEUTRAL, BAD = "好评", "中评", "差评"
NEGATIVE = (NEUTRAL, BAD)
CAUSES = ("质量", "尺码", "服务", "快递", "心情", "恶意")
MOOD = "心情"
PHONE, WANGWANG, SMS = "电话", "旺旺", "短信"
METHODS = (PHONE, WANGWANG, SMS)
TO_CONTACT, FOLLOWING, TURNED, EXPLAINED, UNREACHABLE = "待联系", "跟进中", "已改好", "已解释", "无法联系"
STATES = (TO_CONTACT, FOLLOWING, TURNED, EXPLAINED, UNREACHABLE)
OPEN_STATES = (TO_CONTACT, FOLLOWING)  # (and a blank 状态): the buyer is still to be called
FOLLOW_UPS = 4  # 跟进1 … 跟进4: a month's window rarely needs more calls before the last day
_ROUND = "一二三四五六七八九"

_METHOD_SYNONYMS = {"打电话": PHONE, "电联": PHONE, "手机": PHONE, "阿里旺旺": WANGWANG, "千牛": WANGWANG,
                    "旺旺留言": WANGWANG, "在线": WANGWANG, "信息": SMS, "发短信": SMS}


def follow_up(k: int) -> tuple[str, str, str]:
    """The canonical headers of follow-up round k (1-based): 跟进k日期, 跟进k方式, 跟进k结果."""
    return f"跟进{k}日期", f"跟进{k}方式", f"跟进{k}结果"


def _follow_up_columns(k: int) -> tuple[Column, ...]:
    date, method, result = follow_up(k)
    spelled = (f"第{k}次", f"第{_ROUND[k - 1]}次")
    return (
        Column(date, tuple(f"{p}{w}" for p in spelled for w in ("跟进日期", "跟进时间", "联系时间", "联系日期"))
               + (f"跟进{k}时间", f"联系{k}日期"), DATETIME),
        Column(method, tuple(f"{p}跟进方式" for p in spelled) + tuple(f"{p}联系方式" for p in spelled)
               + (f"联系{k}方式",), CHOICE, choices=METHODS, synonyms=_METHOD_SYNONYMS),
        Column(result, tuple(f"{p}跟进结果" for p in spelled) + tuple(f"{p}联系结果" for p in spelled)
               + (f"联系{k}结果",), TEXT),
    )


REVIEWS = SheetKind(
    name="评价",
    sheet_aliases=("评价登记", "中差评", "中差评登记", "中差评跟进", "评价跟进", "评价管理", "reviews"),
    columns=(
        Column("订单号", ("订单编号", "订单号码", "order_id", "平台订单号"), ID, required=True),
        Column("买家", ("买家昵称", "买家旺旺", "会员名", "买家账号"), TEXT),
        Column("评价日期", ("评价时间", "评价日"), DATETIME, required=True),
        Column("评价类型", ("评价", "评价等级", "类型"), CHOICE, required=True, choices=(GOOD, NEUTRAL, BAD),
               synonyms={"好": GOOD, "中": NEUTRAL, "差": BAD, "中差评": NEUTRAL}),
        Column("商品编码", ("sku", "商家编码"), ID),
        Column("评价内容", ("内容", "评语", "评价详情"), TEXT),
        Column("原因类别", ("原因", "差评原因", "原因分类"), CHOICE, choices=CAUSES,
               synonyms={"质量问题": "质量", "尺码问题": "尺码", "尺码不合适": "尺码", "服务问题": "服务",
                         "服务态度": "服务", "快递问题": "快递", "物流": "快递", "心情问题": MOOD,
                         "恶意差评": "恶意", "同行": "恶意", "职业差评": "恶意"}),
        Column("责任客服", ("负责客服", "跟进客服", "处理客服", "客服", "跟进人"), TEXT),
        *(c for k in range(1, FOLLOW_UPS + 1) for c in _follow_up_columns(k)),
        Column("下次联系时间", ("下次联系", "下次跟进时间", "下次联系日期"), DATETIME),
        Column("状态", ("处理状态", "进度"), CHOICE, choices=STATES,
               synonyms={"未联系": TO_CONTACT, "处理中": FOLLOWING, "跟进": FOLLOWING, "改好": TURNED,
                         "已修改": TURNED, "已改": TURNED, "已删除": TURNED, "解释": EXPLAINED,
                         "已回复解释": EXPLAINED, "联系不上": UNREACHABLE, "无法联系上": UNREACHABLE}),
        Column("解释日期", ("解释时间",), DATE),
        Column("改好日期", ("修改日期", "改评日期", "改好时间"), DATE),
    ),
)


# --- what a row says ------------------------------------------------------------------------
def _column(d: pd.DataFrame, name: str) -> pd.Series:
    return d[name] if name in d else pd.Series(None, index=d.index, dtype=object)


def negative(d: pd.DataFrame) -> pd.Series:
    """中评 and 差评 (a 好评 row only records that the buyer reviewed)."""
    return d["评价类型"].isin(NEGATIVE).fillna(False).astype(bool) if "评价类型" in d else \
        pd.Series(False, index=d.index)


def rounds(d: pd.DataFrame, part: int) -> list[pd.Series]:
    """One part (0 日期, 1 方式, 2 结果) of every follow-up round the sheet has."""
    return [d[follow_up(k)[part]] for k in range(1, FOLLOW_UPS + 1) if follow_up(k)[part] in d]


def phoned(d: pd.DataFrame) -> pd.Series:
    """A follow-up by 电话 is recorded (the rules: a 中/差评 is always phoned)."""
    out = pd.Series(False, index=d.index)
    for method in rounds(d, 1):
        out |= (method == PHONE).fillna(False).astype(bool)
    return out


def contacted(d: pd.DataFrame) -> pd.Series:
    """Some follow-up is recorded."""
    out = pd.Series(False, index=d.index)
    for part in (0, 1, 2):
        for column in rounds(d, part):
            out |= column.notna()
    return out


def contacts_made(d: pd.DataFrame) -> pd.Series:
    """How many follow-up rounds are filled."""
    out = pd.Series(0, index=d.index)
    for k in range(1, FOLLOW_UPS + 1):
        filled = pd.Series(False, index=d.index)
        for name in follow_up(k):
            if name in d:
                filled |= d[name].notna()
        out += filled.astype(int)
    return out


def state(d: pd.DataFrame) -> pd.Series:
    return _column(d, "状态")


def settled(d: pd.DataFrame) -> pd.Series:
    """Turned good or explained: nothing more to do."""
    s = state(d)
    out = s.isin([TURNED, EXPLAINED]).fillna(False).astype(bool)
    for column in ("解释日期", "改好日期"):
        if column in d:
            out |= d[column].notna()
    return out


def still_open(d: pd.DataFrame) -> pd.Series:
    """The buyer is still to be called: 状态 blank, 待联系 or 跟进中, and not settled."""
    s = state(d)
    return (s.isna() | s.isin(OPEN_STATES)).fillna(False).astype(bool) & ~settled(d)


def review_day(d: pd.DataFrame) -> pd.Series:
    return d["评价日期"].dt.normalize()


def effect_day(d: pd.DataFrame, rules: Rules) -> pd.Series:
    """The day a 中/差评 takes effect (评价日期 + 生效天数): phone the buyer before it."""
    return review_day(d) + pd.Timedelta(days=rules.review_effect_days)


def last_day(d: pd.DataFrame, rules: Rules) -> pd.Series:
    """The last day the review can still be changed or explained (评价日期 + 修改期限)."""
    return review_day(d) + pd.Timedelta(days=rules.review_window_days)


def review_key(d: pd.DataFrame) -> pd.Series:
    """One review: 订单号, and 商品编码 when the sheet keeps it (one order may have two reviews)."""
    key = d["订单号"].astype("string")
    if "商品编码" in d:
        key = key + "\x1f" + d["商品编码"].astype("string").fillna("")
    return key


# --- checks -----------------------------------------------------------------------------------
def check_not_phoned(t: Table, rules: Rules, as_of: dt.datetime):
    """A 中/差评 that has taken effect without a phone call recorded."""
    d = t.data
    if "评价日期" not in d:
        return None
    today = pd.Timestamp(as_of).normalize()
    late = negative(d) & ~settled(d) & ~phoned(d) & (effect_day(d, rules) <= today).fillna(False)
    column = follow_up(1)[1] if follow_up(1)[1] in d else "评价日期"
    return t.at(late.astype(bool), column, "review-not-phoned", kind=d["评价类型"], order=d["订单号"],
                day=d["评价日期"].dt.strftime("%Y-%m-%d"), days=(today - review_day(d)).dt.days,
                effect=rules.review_effect_days)


def check_reason(t: Table, rules: Rules, as_of: dt.datetime):
    """The buyer was contacted but no 原因类别 is recorded."""
    d = t.data
    missing = negative(d) & contacted(d) & _column(d, "原因类别").isna()
    return t.at(missing, "原因类别" if "原因类别" in d else "评价类型", "review-reason-missing",
                kind=d["评价类型"], order=d["订单号"])


def check_next_contact(t: Table, rules: Rules, as_of: dt.datetime):
    """A case being followed with no 下次联系时间 agreed."""
    d = t.data
    s = state(d)
    following = (s == FOLLOWING).fillna(False).astype(bool) | (s.isna() & contacted(d))
    missing = negative(d) & following & ~settled(d) & _column(d, "下次联系时间").isna()
    return t.at(missing, "下次联系时间" if "下次联系时间" in d else "状态", "review-next-contact-missing",
                kind=d["评价类型"], order=d["订单号"])


def check_window(t: Table, rules: Rules, as_of: dt.datetime):
    """The window closed with the review neither turned good nor explained."""
    d = t.data
    if "评价日期" not in d:
        return None
    last = last_day(d, rules)
    missed = negative(d) & ~settled(d) & (last < pd.Timestamp(as_of).normalize()).fillna(False)
    column = "解释日期" if "解释日期" in d else "状态" if "状态" in d else "评价日期"
    return t.at(missed.astype(bool), column, "review-window-missed", kind=d["评价类型"], order=d["订单号"],
                day=d["评价日期"].dt.strftime("%Y-%m-%d"), last=last.dt.strftime("%Y-%m-%d"),
                window=rules.review_window_days)


def check_credit(t: Table, rules: Rules, as_of: dt.datetime):
    """改好 credited twice, or to two people: one review turned good is paid once."""
    d = t.data
    turned = (state(d) == TURNED).fillna(False).astype(bool) & d["订单号"].notna()
    if turned.sum() < 2:
        return None
    key = review_key(d)[turned]
    repeat = key.duplicated(keep="first")
    if not repeat.any():
        return None
    first = pd.Series(key.index, index=key.index).groupby(key).transform("min")
    who = _column(d, "责任客服")
    first_who = who.reindex(first.values).set_axis(first.index)
    same = (who[turned].fillna("") == first_who.fillna(""))
    column = "责任客服" if "责任客服" in d else "状态"
    return [t.at(repeat & same, column, "review-credited-twice", order=d["订单号"], other=first),
            t.at(repeat & ~same, column, "review-credited-two-people", order=d["订单号"], other=first,
                 first=first_who.fillna("(空)"), who=who.fillna("(空)"))]


def check_dates(t: Table, rules: Rules, as_of: dt.datetime):
    """已改好 without 改好日期 is not counted in any month's pay; 已解释 without 解释日期 is unproven."""
    d = t.data
    s = state(d)
    out = []
    for status, column, effect in ((TURNED, "改好日期", "不计入任何月份的差评改好数"),
                                   (EXPLAINED, "解释日期", "无法确认是否在期限内解释")):
        missing = (s == status).fillna(False).astype(bool) & _column(d, column).isna()
        out.append(t.at(missing, column if column in d else "状态", "review-date-missing", status=status,
                        date_column=column, effect=effect))
    return out


CHECKS = [check_not_phoned, check_reason, check_next_contact, check_window, check_credit, check_dates]
