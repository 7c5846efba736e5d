"""发货 — the shipping register, one row per parcel (SPEC §Shipping)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from shopbook.sheets import orders as order_sheet
from shopbook.sheets import remarks
from shopbook.sheets import timeline
from shopbook.sheets.context import Sheets
from shopbook.reading.cells import per_value
from shopbook.reading.schema import CHOICE, DATE, ID, INT, MONEY, NUMBER, TEXT, Column, SheetKind
from shopbook.core.places import canonical_province
from shopbook.rules import describe_pattern

PARCEL_STATES = ("正常", "丢件", "破损", "无法送达", "拒收")
SHIPPING = SheetKind(
    name="发货",
    sheet_aliases=("发货报表", "发货登记", "发货表", "发货记录", "shipping", "shipments"),
    columns=(
        Column("发货日期", ("发货时间", "寄件日期", "日期", "发货日"), DATE, required=True),
        Column("订单号", ("订单编号", "order_id", "订单号码", "主订单编号", "平台订单号"), ID, required=True),
        Column("快递公司", ("快递", "物流公司", "承运商", "快递名称", "物流", "配送公司"), TEXT, required=True),
        Column("快递单号", ("运单号", "物流单号", "waybill", "面单号", "快递号", "运单编号"), ID, required=True),
        Column("重量", ("重量kg", "包裹重量", "实际重量", "称重"), NUMBER),
        Column("件数", ("包裹数", "包裹数量", "箱数"), INT, minimum=1),
        Column("长", ("长cm",), NUMBER),
        Column("宽", ("宽cm",), NUMBER),
        Column("高", ("高cm",), NUMBER),
        Column("收件人", ("收货人",), TEXT),
        Column("手机", ("电话", "联系电话", "收件人手机"), ID),
        Column("省", ("省份", "目的省份"), TEXT),
        Column("商品编码", ("sku", "商家编码"), ID),
        Column("数量", ("发货数量",), INT, minimum=0),
        Column("颜色", ("颜色分类",), TEXT),  # what a 补发/换货 parcel held, for the stock ledger
        Column("尺码", ("尺寸",), TEXT),
        Column("包装人", ("打包人", "打包员", "包装员", "打包", "包装"), TEXT),
        Column("运费", ("快递费", "快递费用"), MONEY, minimum=0),
        Column("保价金额", ("保价",), MONEY, minimum=0),
        Column("类型", ("发货类型",), CHOICE, choices=("正常", "补发", "换货"),
               synonyms={"补寄": "补发", "重发": "补发", "换货发出": "换货", "换发": "换货"}),
        Column("状态", ("包裹状态", "物流状态"), CHOICE, choices=PARCEL_STATES,
               synonyms={"丢失": "丢件", "遗失": "丢件", "损坏": "破损", "退回": "拒收", "无法派送": "无法送达"}),
        Column("原因", ("异常原因", "说明"), TEXT),
        Column("签收日期", ("签收时间", "签收日"), DATE),
        # how a 丢件/破损/拒收/无法送达 parcel was settled (补发, 退款, 快递赔付…; shopbook today)
        Column("处理结果", ("跟进结果", "处理情况"), TEXT),
    ),
)


def is_resend(d: pd.DataFrame) -> pd.Series:
    """补发 (resent missing/lost items) and 换货 (an exchange's replacement) parcels: exempt from the
    duplicate-shipment checks."""
    return d["类型"].isin(["补发", "换货"]).astype(bool) if "类型" in d else pd.Series(False, index=d.index)


def check_waybill_pattern(s: Sheets):
    t = s.shipping
    d = t.data
    if "快递单号" not in d or "快递公司" not in d:
        return None
    rows, patterns, couriers = [], [], []
    names = pd.Series(per_value(d["快递公司"], s.rules.courier), index=d.index, dtype=object)
    for courier in s.rules.couriers:
        mine = (names.map(lambda c: c is not None and c.name == courier.name)) & d["快递单号"].notna()
        if not mine.any():
            continue
        ok = d.loc[mine, "快递单号"].str.upper().str.match(courier.pattern)
        bad = ok[~ok].index
        rows += list(bad)
        patterns += [describe_pattern(courier.pattern)] * len(bad)
        couriers += [courier.name] * len(bad)
    return t.at(pd.Series(True, index=rows), "快递单号", "waybill-pattern",
                courier=pd.Series(couriers, index=rows), pattern=pd.Series(patterns, index=rows))


def check_duplicate_waybill(s: Sheets):
    t = s.shipping
    d = t.data
    if "快递单号" not in d:
        return None
    sub = d[d["快递单号"].notna() & ~is_resend(d)]
    # the same multi-parcel order marked with 件数 may repeat its waybill
    same_order = sub.groupby("快递单号")["订单号"].transform("nunique") == 1 if "订单号" in sub else False
    multi = (sub["件数"].fillna(1) > 1) if "件数" in sub else pd.Series(False, index=sub.index)
    multi_ok = same_order & multi.groupby(sub["快递单号"]).transform("any")
    return t.at_repeats(sub["快递单号"], "快递单号", "duplicate-waybill", exempt=multi_ok)


def _order_frame(s: Sheets) -> pd.DataFrame | None:
    """One row per order (first line) with what shipping needs."""
    if s.orders is None or "订单号" not in s.orders.data:
        return None
    d = s.orders.data
    first = d[d["订单号"].notna() & ~d["订单号"].duplicated()]
    frame = pd.DataFrame({
        "paid": order_sheet.paid_mask(d)[first.index],
        "blocked": order_sheet.blocked_reason(d)[first.index],
        "flagged_on": (remarks.remark_dates(first["备注"], s.as_of.year) if "备注" in first
                       else pd.Series(pd.NaT, index=first.index)),
        "province": order_sheet.province_of(d)[first.index],
    })
    for col in ("收件人", "快递公司", "付款时间", "付款方式"):
        if col in d:
            frame[col] = first[col]
    frame.index = first["订单号"]
    return frame


def check_against_orders(s: Sheets):
    t = s.shipping
    d = t.data
    orders = _order_frame(s)
    if orders is None or "订单号" not in d:
        return None
    out = []
    known = d["订单号"].notna() & d["订单号"].isin(orders.index)
    out.append(t.at(d["订单号"].notna() & ~known, "订单号", "order-not-found"))
    resend = is_resend(d)
    od = orders.reindex(d["订单号"])
    od.index = d.index
    unpaid = known & ~od["paid"].fillna(False).astype(bool) & ~resend
    out.append(t.at(unpaid, "订单号", "ship-unpaid"))
    # the sheets hold today's flag, not its history: a refund or problem flagged after the parcel
    # left (the remark's date is later, or the order is in the returns register) is no shipping error
    flagged_later = od["flagged_on"].notna() & d["发货日期"].notna() & (od["flagged_on"] > d["发货日期"]) \
        if "发货日期" in d else pd.Series(False, index=d.index)
    returned = d["订单号"].isin(s.returns.data["订单号"].dropna()) \
        if s.returns is not None and "订单号" in s.returns.data else pd.Series(False, index=d.index)
    blocked = known & od["blocked"].notna() & ~flagged_later.astype(bool) & ~returned
    out.append(t.at(blocked, "订单号", "ship-blocked-order", reason=od["blocked"]))
    for col, label in (("快递公司", "快递公司"), ("收件人", "收件人")):
        if col in d and col in od:
            mine = d[col] if col != "快递公司" else pd.Series(per_value(d[col], s.rules.courier_name), index=d.index)
            theirs = od[col] if col != "快递公司" else od[col].map(s.rules.courier_name)
            differs = known & mine.notna() & theirs.notna() & (mine != theirs)
            out.append(t.at(differs.fillna(False).astype(bool), col, "ship-differs-from-order", expected=od[col]))
    if "省" in d:
        mine = pd.Series(per_value(d["省"], canonical_province), index=d.index, dtype=object)
        differs = known & mine.notna() & od["province"].notna() & (mine != od["province"])
        out.append(t.at(differs.fillna(False).astype(bool), "省", "ship-differs-from-order", expected=od["province"]))
    out.append(_over_shipped(s))
    return out


def _over_shipped(s: Sheets):
    t = s.shipping
    d = t.data
    if not all(c in d for c in ("商品编码", "数量")) or s.orders is None:
        return None
    o = s.orders.data
    if "商品编码" not in o or "数量" not in o:
        return None
    sent = d[~is_resend(d) & d["商品编码"].notna()]
    shipped = sent.groupby([sent["订单号"], sent["商品编码"]])["数量"].sum()
    ordered = o.groupby([o["订单号"], o["商品编码"]])["数量"].sum()
    over = shipped[shipped > ordered.reindex(shipped.index).fillna(0)]
    if over.empty:
        return None
    keys = list(zip(sent["订单号"], sent["商品编码"]))
    over_keys = set(over.index)
    rows = [r for r, k in zip(sent.index, keys) if k in over_keys]
    last = pd.Series(rows, index=rows).groupby([sent.loc[rows, "订单号"], sent.loc[rows, "商品编码"]]).max()
    rows = list(last.values)
    return t.at(pd.Series(True, index=rows), "数量", "over-shipped",
                order=d.loc[rows, "订单号"], sku=d.loc[rows, "商品编码"],
                shipped=[int(over[(d.at[r, "订单号"], d.at[r, "商品编码"])]) for r in rows],
                ordered=[int(ordered.get((d.at[r, "订单号"], d.at[r, "商品编码"]), 0)) for r in rows])


def check_province(s: Sheets):
    return order_sheet.province_invalid(s.shipping)


def check_weight_packer(s: Sheets):
    t = s.shipping
    d = t.data
    out = []
    if "重量" in d:
        w = d["重量"]
        bad = w.notna() & ((w <= 0) | (w > s.rules.max_weight_kg))
        out.append(t.at(bad, "重量", "weight-implausible", maximum=f"{s.rules.max_weight_kg:g}"))
    if "包装人" in d:
        out.append(t.at(d["包装人"].isna() & d["快递单号"].notna() if "快递单号" in d else d["包装人"].isna(),
                        "包装人", "packer-missing"))
    return out


def check_weight_fee_missing(s: Sheets):
    """A shipped parcel (快递单号 filled) with a blank 重量 or 运费: the courier writes both on every
    slip. Only blank cells: a value that is not a number is reported by the reader already."""
    t = s.shipping
    d = t.data
    if "快递单号" not in d:
        return None
    shipped = d["快递单号"].notna()
    return [t.at(shipped & t.raw[column].isna(), column, code, waybill=d["快递单号"])
            for column, code in (("重量", "weight-missing"), ("运费", "fee-missing")) if column in t.raw]


def check_state_reason(s: Sheets):
    t = s.shipping
    d = t.data
    if "状态" not in d:
        return None
    need = d["状态"].isin(["拒收", "无法送达"])
    reason = d["原因"] if "原因" in d else pd.Series(None, index=d.index, dtype=object)
    return t.at(need & reason.isna(), "原因" if "原因" in d else "状态", "reason-missing", status=d["状态"])


def ship_deadline(paid: pd.Series, cutoff: dt.time) -> pd.Series:
    """The day an order must ship: its payment day when paid before the cut-off, else the next day."""
    cut = cutoff.hour * 3600 + cutoff.minute * 60
    seconds = paid.dt.hour * 3600 + paid.dt.minute * 60 + paid.dt.second
    return paid.dt.normalize() + pd.to_timedelta((seconds >= cut).astype(int), unit="D")


def check_overdue(s: Sheets):
    """Paid orders with no parcel once their shipping day is over: paid before the cut-off
    (16:00) ships that day, paid later ships the next day."""
    if s.orders is None or "付款时间" not in s.orders.data:
        return None
    o = s.orders
    d = o.data
    shipped = set(s.shipping.data["订单号"].dropna()) if "订单号" in s.shipping.data else set()
    first = ~d["订单号"].duplicated() & d["订单号"].notna()
    waiting = first & order_sheet.paid_mask(d) & order_sheet.blocked_reason(d).isna() & ~d["订单号"].isin(shipped)
    if "状态" in d:
        waiting &= ~d["状态"].isin(["已发货", "已完成"])
    paid = d["付款时间"]
    ship_day = ship_deadline(paid, s.rules.shipping_cutoff)
    # "ship the same day": overdue once the shipping day has ended
    late = (waiting & (ship_day + pd.Timedelta(days=1) <= pd.Timestamp(s.as_of))).fillna(False).astype(bool)
    return o.at(late, "付款时间", "ship-overdue", order=d["订单号"],
                paid=paid[late].dt.strftime("%Y-%m-%d %H:%M"), deadline=ship_day[late].dt.strftime("%Y-%m-%d"),
                asof=s.as_of.strftime("%Y-%m-%d %H:%M"))


def check_unsigned(s: Sheets):
    t = s.shipping
    d = t.data
    if "签收日期" not in d or "发货日期" not in d:
        return None
    age = (pd.Timestamp(s.as_of).normalize() - d["发货日期"].dt.normalize()).dt.days
    state_ok = ~d["状态"].isin(["丢件", "破损", "无法送达", "拒收"]) if "状态" in d else True
    late = (d["签收日期"].isna() & (age > s.rules.unsigned_days) & state_ok).fillna(False).astype(bool)
    return t.at(late, "签收日期", "unsigned-parcel", waybill=d.get("快递单号"),
                shipped=d.loc[late, "发货日期"].dt.strftime("%Y-%m-%d"), days=age)


def check_dates(s: Sheets):
    """发货日期 and 签收日期 not after the as-of time, and no parcel signed for before it left."""
    t = s.shipping
    d = t.data
    out = timeline.future_findings(t, ("发货日期", "签收日期"), s.as_of)
    if "发货日期" in d and "签收日期" in d:
        out += timeline.order_findings(t, "发货日期", "签收日期", "signed-before-shipped", "shipped",
                                       order=d["订单号"] if "订单号" in d else "")
    return out


def check_shipped_before_paid(s: Sheets):
    """A parcel that left before its order was paid (cross-sheet: the register against 订单).
    货到付款 orders are exempt: their 付款时间 is when the courier collected, after shipping."""
    t = s.shipping
    d = t.data
    orders = _order_frame(s)
    if orders is None or "付款时间" not in orders or "发货日期" not in d or "订单号" not in d:
        return None
    od = orders.reindex(d["订单号"])
    od.index = d.index
    online = (od["付款方式"] != order_sheet.COD) if "付款方式" in od else pd.Series(True, index=d.index)
    paid = od["付款时间"].where(online.astype(bool))
    shipped = d["发货日期"]
    wrong_day, slip = timeline.out_of_order(paid, shipped)
    return [t.at(wrong_day, "发货日期", "shipped-before-paid", order=d["订单号"], paid=timeline.shown(paid[wrong_day])),
            t.at(slip, "发货日期", "time-order-slip",
                 other_column=d.loc[slip, "订单号"].map(lambda o: f"订单 {o} 的付款时间"),
                 other=timeline.shown(paid[slip]), gap=timeline.gap_text(paid[slip], shipped[slip]))]


CHECKS = [check_waybill_pattern, check_duplicate_waybill, check_against_orders, check_province, check_weight_packer,
          check_state_reason, check_overdue, check_unsigned, check_dates, check_shipped_before_paid, check_weight_fee_missing]

