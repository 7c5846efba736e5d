"""订单 — the order sheet: one row per order line (SPEC §Orders)."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from shopbook.sheets.context import Sheets
from shopbook.reading.cells import per_value
from shopbook.core.money import fen_text
from shopbook.reading.schema import (CHOICE, DATETIME, ID, INT, MONEY, TEXT, Column, SheetKind)
from shopbook.core.places import PROVINCE_PREFIX, canonical_province, province_at_start, province_by_city, province_short
from shopbook.core import findings as fnd
from shopbook.sheets import stock as stock_sheet
from shopbook.sheets import timeline
from shopbook.sheets.remarks import FLAG_PATTERNS, known_agents, missing_remark_parts, remark_name

FLAGS = ("红", "黄", "绿", "紫", "蓝", "无")
_FLAG_SYNONYMS = {f"{c}旗": c for c in FLAGS[:5]} | {f"{c}色": c for c in FLAGS[:5]} | {
    "": "无", "无旗": "无", "灰": "无", "灰旗": "无", "-": "无", "red": "红", "yellow": "黄",
    "green": "绿", "purple": "紫", "blue": "蓝"}
STATUSES = ("待付款", "待发货", "已发货", "已完成", "退款中", "已关闭")
_STATUS_SYNONYMS = {"等待买家付款": "待付款", "买家已付款": "待发货", "等待发货": "待发货",
                    "卖家已发货": "已发货", "交易成功": "已完成", "交易关闭": "已关闭", "退款": "退款中",
                    # Taobao/Tmall/JD export wording (the part before the comma is looked up)
                    "已付款": "待发货", "未付款": "待付款", "等待出库": "待发货", "等待确认收货": "已发货",
                    "已签收": "已完成", "完成": "已完成", "已取消": "已关闭", "付款以后用户退款成功": "已关闭",
                    "退款中的订单": "退款中", "售后中": "退款中"}
ONLINE, COD = "在线支付", "货到付款"

ORDERS = SheetKind(
    name="订单",
    sheet_aliases=("订单明细", "订单表", "订单列表", "orders", "order"),
    group_by="订单号",
    columns=(
        Column("订单号", ("订单编号", "主订单编号", "order_id", "订单id", "订单号码", "平台订单号"), ID, required=True),
        Column("下单时间", ("创建时间", "订单创建时间", "拍下时间", "下单日期"), DATETIME, per_group=True),
        Column("付款时间", ("支付时间", "订单付款时间", "付款日期", "支付日期"), DATETIME, per_group=True),
        Column("买家", ("买家昵称", "买家旺旺", "买家会员名", "买家账号", "会员名"), TEXT, per_group=True),
        Column("收件人", ("收货人", "收货人姓名", "收件人姓名", "收货人名称"), TEXT, required=True, per_group=True),
        Column("手机", ("电话", "联系电话", "收货人手机", "手机号", "联系手机", "收件人手机", "手机号码", "收货人电话", "收货人手机号"), ID, required=True, per_group=True),
        Column("省", ("省份", "收货省份"), TEXT, per_group=True),
        Column("市", ("城市", "收货城市"), TEXT, per_group=True),
        Column("区", ("区县", "县区"), TEXT, per_group=True),
        Column("详细地址", ("地址", "收货地址", "收件地址", "详细收货地址", "收货人地址"), TEXT, required=True, per_group=True),
        Column("商品编码", ("sku", "商家编码", "货号", "商品编号", "sku编码", "货品编码", "商家sku"), ID, required=True),
        Column("商品名称", ("宝贝名称", "宝贝标题", "商品标题"), TEXT),
        Column("颜色", ("颜色分类",), TEXT),
        Column("尺码", ("尺寸",), TEXT),
        Column("规格", ("销售属性", "商品属性"), TEXT),
        Column("数量", ("购买数量", "宝贝数量", "商品数量"), INT, required=True, minimum=1),
        Column("单价", ("价格", "商品单价", "宝贝单价", "销售单价"), MONEY, minimum=0),
        Column("优惠", ("优惠金额", "折扣", "店铺优惠"), MONEY, minimum=0),
        Column("实付金额", ("实付", "应付金额", "买家实付", "实收金额", "买家实际支付金额", "实付款", "支付金额"), MONEY, minimum=0),
        Column("付款方式", ("支付方式",), CHOICE, per_group=True, choices=(ONLINE, COD),
               synonyms={"在线": ONLINE, "在线付款": ONLINE, "支付宝": ONLINE, "微信": ONLINE,
                         "货到付款(cod)": COD, "cod": COD, "COD": COD, "到付": COD}),
        Column("快递公司", ("快递", "物流公司", "快递方式"), TEXT, per_group=True),
        Column("旗帜", ("标记", "插旗", "旗子"), CHOICE, per_group=True, choices=FLAGS, synonyms=_FLAG_SYNONYMS),
        Column("备注", ("卖家备注", "商家备注", "订单备注", "客服备注"), TEXT, per_group=True),
        Column("买家留言", ("买家备注", "买家附言", "顾客留言", "留言"), TEXT, per_group=True),
        Column("客服", ("接待客服",), TEXT, per_group=True),
        Column("归属客服", (), TEXT, per_group=True),
        Column("状态", ("订单状态", "交易状态"), CHOICE, per_group=True, choices=STATUSES, synonyms=_STATUS_SYNONYMS),
        # platform exports: a line's own number, and its refund / after-sale state (refund_state)
        Column("子订单号", ("子订单编号",), ID),
        Column("退款状态", ("售后状态",), TEXT),
        Column("退款金额", (), MONEY, minimum=0),
        # when 客服 called the buyer (货到付款 orders: within 30 minutes of ordering; shopbook today)
        Column("联系时间", ("联系买家时间", "电话联系时间"), DATETIME, per_group=True),
    ),
)
REFUND_STATES = ("无", "退款中", "已退款")

# mobile 1[3-9]+9 digits (optional +86/86, grouping dashes, a privacy-number extension -1234);
# landline 0 + area code + 7–8 digits (optional extension)
_PHONE = (r"^(?:(?:\+?86-?)?1[3-9]\d-?\d{4}-?\d{4}|0\d{2,3}-?\d{7,8})(?:(?:-|转|ext)\d{1,6})?$")
_MASKED_PHONE = r"^(?:\+?86-?)?1[3-9]\d[*＊xX]{4}\d{4}$"


def _compact(phones: pd.Series) -> pd.Series:
    return phones.astype("string").str.replace(r"[\s()（）]", "", regex=True)


def valid_phone(phones: pd.Series) -> pd.Series:
    return _compact(phones).str.match(_PHONE).fillna(False).astype(bool)


def clean_phone(phones: pd.Series) -> pd.Series:
    """The phone as digits only, without the 86 prefix (to compare two spellings of one number)."""
    digits = _compact(phones).str.replace(r"[^0-9]", "", regex=True)
    return digits.str.replace(r"^86(1[3-9]\d{9})", r"\1", regex=True)


def paid_mask(data: pd.DataFrame) -> pd.Series:
    """Paid = a 付款时间, or 货到付款 (counts as paid for chasing, shipping and picking)."""
    paid = data["付款时间"].notna() if "付款时间" in data else pd.Series(False, index=data.index)
    if "付款方式" in data:
        paid |= data["付款方式"] == COD
    if "状态" in data:
        paid &= data["状态"] != "待付款"
    return paid.fillna(False).astype(bool)


_NO_REFUND_WORDS = ("关闭", "撤销", "拒绝", "失败", "取消", "没有", "无", "换货")
_REFUND_DONE_WORDS = ("成功", "已退款", "完成")
_REFUND_OPEN_WORDS = ("申请", "等待", "处理", "退款中", "售后中", "待")


def refund_word(text) -> tuple[str | None, bool]:
    """(refund state 无/退款中/已退款 or None for blank, whether the word was understood) of a
    退款状态/售后状态 cell. The platforms' exact words are mapped by their profiles before this;
    other words are read by their key words (关闭/撤销/拒绝 … = no refund, 成功 = refunded,
    申请/等待/处理中 = in progress); a word none of these fit counts as in progress."""
    if not isinstance(text, str) or not text.strip():
        return None, True
    text = text.strip()
    if text in REFUND_STATES:
        return text, True
    if any(w in text for w in _NO_REFUND_WORDS):
        return "无", True
    if any(w in text for w in _REFUND_DONE_WORDS):
        return "已退款", True
    if any(w in text for w in _REFUND_OPEN_WORDS):
        return "退款中", True
    return "退款中", False


def refund_state(data: pd.DataFrame) -> pd.Series:
    """Each line's refund state (无/退款中/已退款, None when the sheet does not say): from
    退款状态/售后状态, and a 退款金额 above 0 counts as refunded unless the state says 无."""
    state = pd.Series(None, index=data.index, dtype=object)
    if "退款状态" in data:
        state = pd.Series(per_value(data["退款状态"], lambda v: refund_word(v)[0]), index=data.index, dtype=object)
    if "退款金额" in data:
        refunded = (data["退款金额"].fillna(0) > 0).astype(bool) & (state != "无")
        state = state.where(~refunded, "已退款")
    return state


def blocked_reason(data: pd.DataFrame) -> pd.Series:
    """Why an order must not be shipped or picked (绿/蓝 flag, 退款中, 已关闭, a refund or
    after-sale in progress or done before the goods left), else None."""
    reason = pd.Series(None, index=data.index, dtype=object)
    if "状态" in data:
        reason = reason.where(~data["状态"].isin(["已关闭"]), "已关闭")
        reason = reason.where(data["状态"] != "退款中", "处于退款中")
    if "退款状态" in data or "退款金额" in data:
        # a refund after the parcel left is a return, not a reason to stop shipping
        unshipped = ~data["状态"].isin(["已发货", "已完成"]) if "状态" in data else True
        refund = refund_state(data)
        free = reason.isna() & unshipped
        reason = reason.where(~(free & (refund == "退款中")), "处于退款中(售后处理中)")
        reason = reason.where(~(free & (refund == "已退款")), "已退款")
    if "旗帜" in data:
        reason = reason.where(data["旗帜"] != "蓝", "标记为蓝旗(退款)")
        reason = reason.where(data["旗帜"] != "绿", "标记为绿旗(异常订单)")
    return reason


def province_of(data: pd.DataFrame, by_city: bool = True) -> pd.Series:
    """The order's province (full name): the 省 column, else the start of 详细地址, else (with
    by_city) the province of the prefecture city 详细地址 starts with (深圳市… → 广东省)."""
    if "省" in data:
        prov = pd.Series(per_value(data["省"], canonical_province), index=data.index, dtype=object)
    else:
        prov = pd.Series(None, index=data.index, dtype=object)
    if "详细地址" in data:
        missing = prov.isna() & data["详细地址"].notna()
        if missing.any():
            prov[missing] = data.loc[missing, "详细地址"].map(province_at_start)
        missing = prov.isna() & data["详细地址"].notna()
        if by_city and missing.any():
            prov[missing] = province_by_city(data.loc[missing, "详细地址"])
    return prov


def province_invalid(t) -> pd.DataFrame | None:
    """A 省 cell that is none of the 34 divisions (with the province, when a city was typed)."""
    if "省" not in t.data:
        return None
    d = t.data
    bad = d["省"].notna() & pd.isna(per_value(d["省"], canonical_province))
    return t.at(bad, "省", "province-invalid", hint=_city_hint(d.loc[bad, "省"])) if bad.any() else None


def _city_hint(values: pd.Series) -> pd.Series:
    """For a city typed where the province belongs (广州): which province it is in."""
    cities = values.map(lambda v: v if str(v).endswith(("市", "自治州", "盟", "地区")) else f"{v}市")
    provinces = province_by_city(cities)
    return pd.Series([f"{v} 是{p}的城市,这里应写「{province_short(p)}」。" if p else ""
                      for v, p in zip(values, provinces)], index=values.index, dtype=object)


_ADMIN_ONLY = re.compile(r"^(\S{2,8}?(省|自治区|特别行政区))?(\S{1,8}?(市|自治州|地区|盟))?(\S{1,8}?(区|县|旗|市))?$")


def address_incomplete(data: pd.DataFrame) -> pd.Series:
    """详细地址 that is only province/city/district names (no street, no number)."""
    if "详细地址" not in data:
        return pd.Series(False, index=data.index)
    addr = data["详细地址"].astype("string").str.replace(r"\s+", "", regex=True)  # 浙江省 杭州市 … (one column, spaced)
    # a street, number or building marker means there is more than the admin names
    candidates = addr.notna() & ~addr.str.contains(r"[0-9路街道巷弄号村组栋楼室镇乡里院园厦苑]", regex=True).fillna(False)
    result = pd.Series(False, index=data.index)
    if not candidates.any():
        return result
    sub = data[candidates].assign(详细地址=addr[candidates])
    stripped = sub["详细地址"].map(lambda a: PROVINCE_PREFIX.sub("", a))
    for col in ("市", "区"):
        if col in sub:
            stripped = pd.Series([a.replace(n, "", 1) if isinstance(n, str) and n else a
                                  for a, n in zip(stripped, sub[col])], index=sub.index)
    short = stripped.str.len() < 3
    only_admin = sub["详细地址"].astype("string").str.fullmatch(_ADMIN_ONLY).fillna(False)
    result[sub.index] = (short | only_admin).astype(bool)
    return result


def on_promotion_day(data: pd.DataFrame, days) -> pd.Series:
    if not days or "下单时间" not in data:
        return pd.Series(False, index=data.index)
    return data["下单时间"].dt.date.isin(set(days)).fillna(False).astype(bool)


# --- checks ---------------------------------------------------------------------------
def check_amounts(s: Sheets):
    t = s.orders
    d = t.data
    if not all(c in d for c in ("数量", "单价", "实付金额")):
        return None
    if getattr(t, "profile", None) is not None and not t.profile.profile.amounts_checked:
        return None  # the format's 实付 holds freight, discounts or the whole order (source-recognised says so)
    discount = d["优惠"].fillna(0) if "优惠" in d else 0
    expected = d["数量"] * d["单价"] - discount
    tolerance = round(s.rules.amount_tolerance * 100)
    bad = (d["实付金额"] - expected).abs() > tolerance
    bad = bad.fillna(False).astype(bool)
    return t.at(bad, "实付金额", "amount-mismatch", expected=expected[bad].map(fen_text),
                discount=" − 优惠" if "优惠" in d else "", tolerance=f"{s.rules.amount_tolerance:g}")


def check_phone(s: Sheets):
    t = s.orders
    if "手机" not in t.data:
        return None
    phones = t.data["手机"]
    compact = _compact(phones)
    bad = phones.notna() & ~compact.str.match(_PHONE).fillna(False).astype(bool)
    # platform exports mask the middle digits (138****5678): not a typing error, but no number to call
    masked = bad & compact.str.match(_MASKED_PHONE).fillna(False).astype(bool)
    return [t.at(bad & ~masked, "手机", "phone-invalid"), t.at(masked, "手机", "phone-masked")]


def check_address(s: Sheets):
    t = s.orders
    d = t.data
    out = []
    out.append(province_invalid(t))
    prov = province_of(d)
    no_prov = prov.isna() & ~(d["省"].notna() if "省" in d else False)
    column = "省" if "省" in d else "详细地址"
    if "详细地址" in d or "省" in d:
        out.append(t.at(no_prov & (d["详细地址"].notna() if "详细地址" in d else True), column, "province-missing"))
    inferred = prov.notna() & province_of(d, by_city=False).isna()
    if inferred.any():  # one finding per column, as for normalised values
        first = inferred[inferred].index[0]
        out.append(fnd.sheet_level(t.sheet, "province-by-city", column=t.headers.get("详细地址"),
                                   count=int(inferred.sum()),
                                   example=f"{t.letters['详细地址']}{first} 「{d.at[first, '详细地址']}」→ {prov[first]}"))
    out.append(t.at(address_incomplete(d), "详细地址", "address-incomplete"))
    return out


def line_key(d: pd.DataFrame) -> pd.Series:
    """订单号 + 商品编码 (+颜色+尺码+规格 when present) as one string."""
    parts = [d["订单号"].fillna(""), d["商品编码"].fillna("")]
    parts += [d[c].fillna("") for c in ("颜色", "尺码", "规格", "子订单号") if c in d]
    key = parts[0].astype(str)
    for p in parts[1:]:
        key = key + "\x1f" + p.astype(str)
    return key


def check_duplicates(s: Sheets):
    t = s.orders
    d = t.data
    if "订单号" not in d or "商品编码" not in d:
        return None
    if getattr(t, "profile", None) is not None and t.profile.profile.repeated_lines:
        return None  # this format lists a repeated shipment as an identical line (聚水潭)
    valid = d["订单号"].notna() & d["商品编码"].notna()
    return t.at_repeats(line_key(d)[valid], "商品编码", "duplicate-order-line", order=d["订单号"], sku=d["商品编码"])


def unshipped_mask(s: Sheets) -> pd.Series:
    """Order lines not yet shipped: status says so and the register has no parcel for them."""
    d = s.orders.data
    mask = pd.Series(True, index=d.index)
    if "状态" in d:
        mask &= ~d["状态"].isin(["已发货", "已完成", "已关闭"])
    if s.shipping is not None and "订单号" in s.shipping.data:
        mask &= ~d["订单号"].isin(set(s.shipping.data["订单号"].dropna()))
    return mask


def merge_partners(s: Sheets) -> pd.DataFrame:
    """可合并发货: paid, unshipped, not blocked orders to the same 收件人 + 手机 (compared as digits)
    + 详细地址, one row per such order at its first line (Excel row): 订单号 and 合并 (the other
    orders' 订单号, a list). The one rule behind validate's can-merge-shipment and the pick list's
    合并发货 mark."""
    none = pd.DataFrame({"订单号": pd.Series(dtype=object), "合并": pd.Series(dtype=object)})
    d = s.orders.data
    need = ("订单号", "收件人", "手机", "详细地址")
    if not all(c in d for c in need):
        return none
    ready = paid_mask(d) & unshipped_mask(s) & blocked_reason(d).isna()
    sub = d.loc[ready, list(need)].dropna()
    if sub.empty:
        return none
    person = sub["收件人"] + "\x1f" + clean_phone(sub["手机"]).fillna("").astype(object) + "\x1f" + sub["详细地址"]
    orders = sub.assign(person=person).drop_duplicates("订单号")
    counts = orders.groupby("person")["订单号"].transform("count")
    many = orders[counts > 1]
    if many.empty:
        return none
    others_of = many.groupby("person")["订单号"].agg(list)
    others = [[o for o in others_of[p] if o != order] for p, order in zip(many["person"], many["订单号"])]
    return pd.DataFrame({"订单号": many["订单号"], "合并": pd.Series(others, index=many.index, dtype=object)})


def check_merge(s: Sheets):
    partners = merge_partners(s)
    if partners.empty:
        return None
    return s.orders.at(pd.Series(True, index=partners.index), "订单号", "can-merge-shipment",
                       order=partners["订单号"], others=partners["合并"].map(", ".join))


def check_flags(s: Sheets):
    t = s.orders
    d = t.data
    if "旗帜" not in d:
        return None
    first_line = ~d["订单号"].duplicated() if "订单号" in d else pd.Series(True, index=d.index)
    flagged = d["旗帜"].isin(list(FLAG_PATTERNS) + ["黄"]) & first_line
    promo = on_promotion_day(d, s.rules.promotion_days)
    known = known_agents(d, s.rules)
    remarks = d["备注"] if "备注" in d else pd.Series(None, index=d.index, dtype=object)
    rows, missing, flags = [], [], []
    public = []
    paid = paid_mask(d)
    for row in d.index[flagged]:
        flag = d.at[row, "旗帜"]
        remark = remarks.at[row]
        if flag == "黄":
            if paid.at[row] and not promo.at[row] and not remark_name(remark, known):
                public.append(row)
            continue
        parts = missing_remark_parts(flag, remark, known)
        if promo.at[row]:
            parts = [p for p in parts if p != "客服名字"]
        if parts:
            rows.append(row)
            missing.append("、".join(parts))
            flags.append(flag)
    column = "备注" if "备注" in d else "旗帜"
    out = [t.at(pd.Series(True, index=rows), column, "flag-remark-missing",
                flag=pd.Series(flags, index=rows), missing=pd.Series(missing, index=rows),
                pattern=pd.Series([FLAG_PATTERNS[f] for f in flags], index=rows))]
    out.append(t.at(pd.Series(True, index=public), "旗帜", "public-order", order=d.loc[public, "订单号"]))
    return out


def payment_cutoff(as_of: dt.datetime, cutoff: dt.time) -> dt.datetime:
    return dt.datetime.combine(as_of.date(), cutoff)


def check_payment_chase(s: Sheets):
    t = s.orders
    d = t.data
    if "下单时间" not in d:
        return None
    cutoff = payment_cutoff(s.as_of, s.rules.payment_cutoff)
    open_ = ~paid_mask(d)
    if "状态" in d:  # a status past 待付款 says the buyer paid, even when 付款时间 is blank
        open_ &= d["状态"].isna() | (d["状态"] == "待付款")
    due = open_ & (d["下单时间"] < pd.Timestamp(cutoff)) & (d["下单时间"] <= pd.Timestamp(s.as_of))
    if "订单号" in d:
        due &= ~d["订单号"].duplicated()
    due = due.fillna(False).astype(bool)
    return t.at(due, "付款时间" if "付款时间" in d else "下单时间", "payment-chase",
                order=d["订单号"], placed=d.loc[due, "下单时间"].dt.strftime("%Y-%m-%d %H:%M"),
                asof=s.as_of.strftime("%Y-%m-%d %H:%M"))


def check_cod(s: Sheets):
    t = s.orders
    d = t.data
    if "付款方式" not in d:
        return None
    cod = (d["付款方式"] == COD) & unshipped_mask(s)
    if "订单号" in d:
        cod &= ~d["订单号"].duplicated()
    return t.at(cod.fillna(False).astype(bool), "付款方式", "cod-reminder", order=d["订单号"])


def check_against_stock(s: Sheets):
    t = s.orders
    if s.stock is None or "商品编码" not in t.data:
        return None
    d = t.data
    stock = s.stock.data
    out = []
    known_skus = set(stock["商品编码"].dropna())
    unknown = d["商品编码"].notna() & ~d["商品编码"].isin(known_skus)
    out.append(t.at(unknown, "商品编码", "unknown-sku"))
    # ordered (paid or not, not yet shipped) against sellable stock, per stock key
    key = stock_sheet.order_stock_key(d, stock)
    sellable = stock_sheet.sellable_by_key(s.stock) if s.sellable is None else s.sellable
    open_lines = unshipped_mask(s) & blocked_reason(d).isna() & ~unknown & d["数量"].notna() if "数量" in d else None
    if open_lines is None:
        return out
    ordered = d.loc[open_lines, "数量"].groupby(key[open_lines]).sum()
    available = sellable.reindex(ordered.index)
    short = ordered[available.notna() & (ordered > available)]
    if len(short):
        rows = key[open_lines & key.isin(short.index)]
        first = rows[~rows.duplicated()]
        # the finding sits on the first line but names the total over every open order
        ids = d.loc[rows.index, "订单号"] if "订单号" in d else pd.Series(rows.index, index=rows.index)
        orders_of = ids.groupby(rows).nunique()
        out.append(t.at(pd.Series(True, index=first.index), "数量", "out-of-stock",
                        sku=first.map(lambda k: k.replace("\x1f", " ").strip()),
                        ordered=first.map(short), orders=first.map(orders_of), available=first.map(available)))
    return out


def check_times(s: Sheets):
    """下单时间 and 付款时间 not after the as-of time, and 付款 not before 下单: on an earlier day it
    is an error, by minutes on the same day a warning (two systems' clocks)."""
    t = s.orders
    d = t.data
    out = timeline.future_findings(t, ("下单时间", "付款时间"), s.as_of)
    if "下单时间" in d and "付款时间" in d:
        out += timeline.order_findings(t, "下单时间", "付款时间", "paid-before-placed", "placed",
                                       here=timeline.typed(t, "付款时间"))
    return out


def check_refund_words(s: Sheets):
    """A 退款状态/售后状态 word shopbook does not know: counted as in progress (not picked, not
    shipped), and said once per column."""
    t = s.orders
    if "退款状态" not in t.data:
        return None
    known = pd.Series(per_value(t.data["退款状态"], lambda v: refund_word(v)[1], blank=True), index=t.data.index)
    unknown = ~known.astype(bool)
    if not unknown.any():
        return None
    words = t.data.loc[unknown, "退款状态"].drop_duplicates().head(3)
    return fnd.sheet_level(t.sheet, "refund-word-unknown", column=t.headers.get("退款状态", "退款状态"),
                           count=int(unknown.sum()), words="、".join(words))


CHECKS = [check_amounts, check_phone, check_address, check_duplicates, check_merge, check_flags,
          check_payment_chase, check_cod, check_against_stock, check_times, check_refund_words]
