"""The small rules of a picked line: what is a gift, and what the customer asked for (买家留言 and
the request a 客服 wrote down in a 红旗 备注)."""
from __future__ import annotations

import re

import pandas as pd

from shopbook.sheets import orders as order_sheet

GIFT_WORD = "赠品"

def is_gift(data: pd.DataFrame) -> pd.Series:
    """赠品 = an order line with 单价 0 or 赠品 in its name."""
    gift = pd.Series(False, index=data.index)
    if "单价" in data:
        gift |= (data["单价"] == 0).fillna(False).astype(bool)
    if "商品名称" in data:
        gift |= data["商品名称"].astype("string").str.contains(GIFT_WORD, regex=False).fillna(False).astype(bool)
    return gift


_SIGN_OFF = re.compile(r"\s*-{2,}.*$")


def red_flag_request(remark: str | None, known: set[str]) -> str | None:
    """The request a 客服 took down in a 红旗 remark ("名字:要求"): without the 'name:' prefix and
    the '---date name' sign-off."""
    if not isinstance(remark, str) or not remark.strip():
        return None
    text = _SIGN_OFF.sub("", remark).strip()
    name = order_sheet.remark_name(text, known)
    if name:
        prefix = re.match(rf"^\s*{re.escape(name)}\s*[:：]\s*", text)
        if prefix:
            text = text[prefix.end():]
        elif text == name:
            text = ""
    return text.strip() or None


def customer_request(remark: str | None, known: set[str], flag: str | None = None,
                     message: str | None = None) -> str | None:
    """What the customer asked for, for the packer: the buyer's own message (买家留言) and, on a
    红旗 order, the request the 客服 wrote down in 备注 (SPEC: 红旗 备注 = "名字:顾客要求"). Any
    other seller remark — 催单 notes, 绿/紫/蓝 records, staff names — is the team's own and is not
    shown."""
    parts = [message.strip()] if isinstance(message, str) and message.strip() else []
    if flag == "红":
        request = red_flag_request(remark, known)
        if request and request not in parts:
            parts.append(request)
    return ";".join(parts) or None
