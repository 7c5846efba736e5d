"""Reading a table with its source profile: the format's words become shopbook's values.

`map_values` turns each mapped column's platform words (买家已付款，等待卖家发货, (删除)等待出库,
null, 无退款申请 …) into shopbook's values, once per distinct value, and says so once per column;
`attributes` takes 颜色/尺码 out of a 商品属性 text; `recognised` builds the findings that say
which format was used, what it could not place and what cannot be checked. Both the general
reader (shopbook.reading.tables) and the courier-bill reader use them.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from shopbook.core import findings as fnd
from shopbook.reading.profiles import Match, _word

# what cannot be checked when a format has no column for a required field
CANNOT_CHECK = {
    "商品编码": "商品编码、库存、重复商品行、拣货",
    "数量": "数量",
    "收件人": "收件人",
    "手机": "手机号",
    "详细地址": "地址与省份",
    "类型": "退换类型(运费承担、7 天无理由、旗帜核对)",
    "订单号": "订单号",
    "发货日期": "发货日期",
    "快递公司": "快递公司与单号格式",
    "快递单号": "快递单号",
}


def _example(before, after) -> str:
    return f"「{before}」→「{after if after is not None else '空白'}」"


# A platform word its profile does not list, read by its key words (first match wins), for the
# order exports' 状态 and 付款方式: platforms add words, and a word left unread would be an error on
# every row. What was read so is said with the column's other mapped words (source-value-mapped).
KEYWORDS = {
    "状态": ((("关闭", "取消", "作废"), "已关闭"), (("退款",), "退款中"),
           (("待付款", "待支付", "未付款", "等待付款", "等待买家付款"), "待付款"),
           (("待发货", "已付款", "已支付", "备货", "出库", "审核"), "待发货"),
           (("已发货", "待收货", "运输", "配送", "待签收", "确认收货"), "已发货"),
           (("成功", "完成", "已收货", "已签收", "评价"), "已完成")),
    "付款方式": ((("货到", "到付", "cod", "COD"), "货到付款"), (("",), "在线支付")),
}


def _keyword(name: str, word: str) -> str | None:
    for keys, value in KEYWORDS.get(name, ()):
        if any(k in word for k in keys):
            return value
    return None


def map_values(columns: dict[str, pd.Series], match: Match, choices: dict | None = None
               ) -> tuple[dict[str, pd.Series], dict[str, tuple]]:
    """(columns with the format's words replaced, {column: (count, example)} for the columns
    where something was replaced). Columns where nothing changes are returned as they are.
    `choices`: field -> its shopbook values; for an order export, a 状态/付款方式 word that is none
    of them and that the profile does not list is read by its key words (KEYWORDS)."""
    p = match.profile
    empty = set(p.empty)
    choices = choices or {}
    out, notes = dict(columns), {}
    for name, raw in columns.items():
        words, prefixes = p.values.get(name, {}), p.prefixes.get(name, {})
        keywords = p.kind == "订单" and name in KEYWORDS and name in choices
        if keywords:
            words = {**{w: w for w in choices[name]}, **words}
        if not (words or prefixes or empty):
            continue
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
        if not len(uniques):
            continue
        uniques = np.asarray(uniques, dtype=object)
        new = uniques.copy()
        changed = np.zeros(len(uniques), dtype=bool)
        if words or prefixes:
            look = range(len(uniques))
        else:  # only the empty-cell words: short texts alone can be one (a column of addresses is not looked at)
            longest = max(map(len, empty)) + 2
            lengths = pd.Series(uniques, dtype=object).str.len().to_numpy()
            look = np.flatnonzero(pd.notna(lengths) & (np.nan_to_num(lengths.astype(float), nan=99) <= longest))
        for i in look:
            value = uniques[i]
            if not isinstance(value, str):
                continue
            word = _word(value)
            target = None
            if word in empty:
                new[i], changed[i] = None, True
                continue
            if word in words:
                target = words[word]
            else:
                for mark, value_for in prefixes.items():
                    if word.startswith(mark):
                        target = value_for
                        break
                if target is None and keywords:
                    target = _keyword(name, word)
            if target is not None and target != value:
                new[i], changed[i] = target, True
        if not changed.any():
            continue
        values = np.empty(len(uniques) + 1, dtype=object)
        values[:-1] = new
        values[-1] = None
        mapped = pd.Series(values[codes], index=raw.index, dtype=object)
        hit = np.append(changed, False)[codes]
        first = int(np.flatnonzero(hit)[0])
        notes[name] = (int(hit.sum()), raw.index[first], _example(raw.iloc[first], mapped.iloc[first]))
        out[name] = mapped
    return out, notes


def fill_alternatives(columns: dict[str, pd.Series], match: Match, others: dict[str, list[pd.Series]]
                      ) -> tuple[dict[str, pd.Series], dict[str, tuple]]:
    """Blank cells of a field filled from the format's next header for it when the file has both
    (淘宝: 手机 from 联系手机, else 联系电话). `others`: field -> the other columns, in the format's
    order. Returns (columns, {field: (count, row, example, other header)})."""
    out, notes = dict(columns), {}
    for name, alternatives in others.items():
        values = out.get(name)
        if values is None:
            continue
        filled = values
        for other in alternatives:
            blank = filled.isna() | filled.astype("string").str.strip().eq("").fillna(False)
            take = blank & other.notna() & ~other.astype("string").str.strip().eq("").fillna(True)
            if take.any():
                filled = filled.where(~take, other)
                if name not in notes:
                    first = take[take].index[0]
                    notes[name] = (int(take.sum()), first, f"「{other[first]}」", other.name)
        if filled is not values:
            out[name] = filled.astype(object).where(filled.notna(), None)
    return out, notes


_COLOUR_KEY = re.compile(r"颜色|色")
_SIZE_KEY = re.compile(r"尺码|尺寸|码数|鞋码|大小")
_PAIR = re.compile(r"([^:：;；,，]+)[:：]([^;；]+)")


def split_attributes(text) -> tuple[str | None, str | None]:
    """(颜色, 尺码) of a 商品属性 text such as 颜色分类:黑色;尺码:M (None where absent)."""
    if not isinstance(text, str):
        return None, None
    colour = size = None
    for k, v in _PAIR.findall(text.replace('"', "")):
        v = v.strip()
        if colour is None and _COLOUR_KEY.search(k):
            colour = v or None
        elif size is None and _SIZE_KEY.search(k):
            size = v or None
    return colour, size


def attributes(column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """颜色 and 尺码 columns taken out of a 商品属性 column (once per distinct value)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    pairs = [split_attributes(u) for u in uniques] + [(None, None)]
    colours = np.array([c for c, _ in pairs], dtype=object)[codes]
    sizes = np.array([s for _, s in pairs], dtype=object)[codes]
    return pd.Series(colours, index=column.index, dtype=object), pd.Series(sizes, index=column.index, dtype=object)


def recognised(sheet: str, match: Match, headers: dict[str, str], placed: int, kind_name: str,
               notes: dict[str, tuple] | None = None, letters: dict[str, str] | None = None,
               filled: dict[str, tuple] | None = None) -> pd.DataFrame:
    """The findings that say how a table was read: source-recognised (info), source-partial and
    source-ambiguous (warnings), source-cannot-check (info), source-value-mapped (one per column)."""
    p = match.profile
    said = []
    if match.absent and p.signature:  # a layout known only by common names has no list of its own to miss
        said.append(f"未找到可选列 {'、'.join(match.absent)}")
    if not p.amounts_checked and kind_name == "订单":
        said.append("这种报表的实付含运费、优惠或整单金额,不按行核对 实付 = 数量×单价")
    if not p.sourced:
        said.append("这种格式未见公开资料,按常见列名读取")
    if p.origin != "内置":
        said.append(f"格式来自{p.origin}")
    out = [fnd.sheet_level(sheet, "source-recognised", value=p.id, name=p.name, format=p.id, placed=placed,
                           notes=(";" + ";".join(said)) if said else "")]
    if match.missing:
        nearest = ";".join(f"{f}: {'、'.join(match.nearest.get(f) or ()) or '无'}" for f in match.missing)
        out.append(fnd.sheet_level(sheet, "source-partial", value="、".join(match.missing), name=p.name,
                                   fields="「" + "」「".join(match.missing) + "」", nearest=nearest))
    if match.other is not None:
        out.append(fnd.sheet_level(sheet, "source-ambiguous", value=match.other.id, name=p.name,
                                   other=match.other.name))
    if match.not_carried:
        checks = "、".join(dict.fromkeys(CANNOT_CHECK.get(f, f) for f in match.not_carried))
        hint = ""
        if p.level == "order":
            hint = ("这是订单级报表(一行一个订单);请把宝贝报表(ExportOrderDetailList)一起给出,"
                    "两份文件一起校验时按订单号合并为订单行。")
        out.append(fnd.sheet_level(sheet, "source-cannot-check", value="、".join(match.not_carried),
                                   name=p.name, fields="「" + "」「".join(match.not_carried) + "」", checks=checks,
                                   hint=hint))
    for column, (count, row, example, other) in (filled or {}).items():
        letter = (letters or {}).get(column)
        out.append(fnd.sheet_level(sheet, "source-column-filled", column=headers.get(column, column), count=count,
                                   name=p.name, other=other, example=f"{letter}{row} {example}" if letter else example))
    for column, (count, row, example) in (notes or {}).items():
        letter = (letters or {}).get(column)
        example = f"{letter}{row} {example}" if letter else example
        out.append(fnd.sheet_level(sheet, "source-value-mapped", column=headers.get(column, column), count=count,
                                   name=p.platform or p.name, example=example))
    return fnd.combine(out)
