"""备注 and 旗帜 — how the team writes its remarks on an order (SPEC §Orders): a date, what was done,
the 客服's name, and what each flag colour's remark must hold. Used by the order checks, the pick
list (whose order it is), the month (sales by 客服) and 今日待办."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from shopbook.reading.cells import date_in_range, per_value

_DATE_IN_REMARK = re.compile(r"(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})日?")
_NAME_TOKEN = r"[\u4e00-\u9fa5A-Za-z]{1,6}"
_RED_NAME = re.compile(rf"^\s*{_NAME_TOKEN}\s*[:：]|-{{2,}}.*?\s({_NAME_TOKEN})\s*$")
_NICKNAME = re.compile(r"(?:^|[\s,，;；:：-])((?:小|阿|老)[\u4e00-\u9fa5])")
_FREIGHT = re.compile(r"运费|邮费|快递费|包邮")
_PRICE_DIFF = re.compile(r"差价|补差|差额|补价|退差")
FLAG_PATTERNS = {
    "红": "名字:顾客要求(处理后在末尾加「---日期 名字」)",
    "绿": "日期 + 原因 + 名字,例如「10/5 快递截单 小王」",
    "紫": "日期 + 换什么 + 差价 + 运费 + 名字,例如「10/5 黑M换白L 差价0 运费买家 小李」",
    "蓝": "日期 + 退款原因 + 运费 + 名字,例如「10/6 尺码不合适 运费买家 小张」",
}


def remark_dates(remarks: pd.Series, year: int) -> pd.Series:
    """The first date written in each remark ("10/5 快递截单 小王"; the year when it has none)
    as datetime64, NaT where there is none or it is impossible."""
    def first_date(text):
        found = _DATE_IN_REMARK.search(text) if isinstance(text, str) else None
        if not found:
            return None
        y, m, d = found.groups()
        try:
            day = dt.date(int(y or year), int(m), int(d))
        except ValueError:
            return None
        return day if date_in_range(day) else None
    return pd.to_datetime(pd.Series(per_value(remarks, first_date), index=remarks.index))


def remark_name(remark: str | None, known: set[str]) -> str | None:
    """The 客服 named in a remark: 'name:…', '---date name', or a known name anywhere."""
    if not isinstance(remark, str) or not remark:
        return None
    m = re.match(rf"^\s*({_NAME_TOKEN})\s*[:：]", remark)
    if m and (not known or m.group(1) in known or len(m.group(1)) <= 4):
        return m.group(1)
    for name in sorted(known, key=len, reverse=True):
        if name and name in remark:
            return name
    tail = re.search(rf"\s({_NAME_TOKEN})\s*$", remark)
    if tail and (not known or tail.group(1) in known):
        return tail.group(1)
    nickname = _NICKNAME.search(remark)  # 小王/阿梅/老李: how the team names itself
    return nickname.group(1) if nickname else None


def missing_remark_parts(flag: str, remark: str | None, known: set[str]) -> list[str]:
    remark = remark if isinstance(remark, str) else ""
    name = remark_name(remark, known)
    missing = []
    if flag == "红":
        return [] if name else ["客服名字"]
    if not _DATE_IN_REMARK.search(remark):
        missing.append("日期")
    rest = _DATE_IN_REMARK.sub("", remark)
    if name:
        rest = rest.replace(name, "")
    if flag == "紫":
        if "换" not in rest:
            missing.append("换货内容")
        if not _PRICE_DIFF.search(rest):
            missing.append("差价")
    elif len(re.sub(r"[\s\d.,，:：;；/-]|运费\S*|邮费\S*", "", rest)) < 2:
        missing.append("原因")
    if flag in ("紫", "蓝") and not _FREIGHT.search(remark):
        missing.append("运费")
    if not name:
        missing.append("客服名字")
    return missing


def known_agents(data: pd.DataFrame, rules=None) -> set[str]:
    """客服 names: the 客服/归属客服 columns, and the 排班 sheet of the rules workbook."""
    names: set[str] = set()
    for col in ("客服", "归属客服"):
        if col in data:
            names |= {n for n in data[col].dropna().unique() if isinstance(n, str)}
    roster = rules.tables.get("排班") if rules is not None else None
    if roster is not None and "客服" in roster.columns:
        names |= {str(n).strip() for n in roster["客服"].dropna() if str(n).strip()}
    return names
