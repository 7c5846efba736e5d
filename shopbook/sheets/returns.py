"""退换货 — the returns/exchange register (SPEC §Returns): 7 天无理由 and the shop's exclusions."""
from __future__ import annotations

import pandas as pd

from shopbook.sheets import timeline
from shopbook.sheets.context import Sheets
from shopbook.reading.schema import CHOICE, DATE, ID, INT, MONEY, TEXT, Column, SheetKind

YES_NO = {"是": "是", "否": "否", "y": "是", "n": "否", "yes": "是", "no": "否", "有": "是", "无": "否",
          "√": "是", "×": "否", "true": "是", "false": "否"}
RETURNS = SheetKind(
    name="退换货",
    sheet_aliases=("退换货登记", "退货", "退货登记", "售后", "售后登记", "returns"),
    columns=(
        Column("登记日期", ("日期", "登记时间"), DATE),
        Column("订单号", ("订单编号", "order_id", "订单号码", "原订单号"), ID, required=True),
        Column("类型", ("退换类型", "售后类型", "退换货类型", "售后方式"), CHOICE, required=True, choices=("退货", "换货", "仅退款"),
               synonyms={"退货退款": "退货", "退款": "仅退款", "换": "换货", "退": "退货"}),
        Column("原因", ("退换原因", "退货原因", "售后原因", "退款原因", "申请原因"), TEXT),
        Column("签收日期", ("签收时间", "买家签收时间"), DATE),
        Column("申请日期", ("申请时间", "售后申请时间", "退款申请时间"), DATE),
        Column("商品编码", ("sku", "商家编码"), ID),
        Column("数量", ("退货数量",), INT, minimum=0),
        Column("商品状态", ("货品状态", "商品情况", "验货结果"), TEXT),
        Column("商品类别", ("类别", "品类"), TEXT),
        Column("是否特价", ("特价",), CHOICE, choices=("是", "否"), synonyms=YES_NO),
        Column("是否赠品", ("赠品",), CHOICE, choices=("是", "否"), synonyms=YES_NO),
        Column("退回快递单号", ("退货单号", "退回单号", "寄回单号", "退货快递单号", "退回运单号", "寄回快递单号"), ID),
        Column("退回方式", ("寄回方式",), CHOICE, choices=("寄付", "到付"),
               synonyms={"现付": "寄付", "预付": "寄付", "运费到付": "到付"}),
        Column("运费承担", ("运费承担方",), CHOICE, choices=("店铺", "买家"),
               synonyms={"卖家": "店铺", "商家": "店铺", "本店": "店铺", "顾客": "买家", "客户": "买家"}),
        Column("退款金额", ("退款", "申请退款金额", "退款额"), MONEY, minimum=0),
        Column("附件齐全", ("附件是否齐全", "配件齐全"), CHOICE, choices=("是", "否"), synonyms=YES_NO),
        Column("状态", ("处理状态", "进度"), TEXT),
        Column("处理人", ("经办人", "处理客服", "负责人"), TEXT),
        # the day the goods came back, and (for the stock ledger) the day they were put back on
        # the shelf (商品状态 完好) or into the 残次库
        Column("收货日期", ("退货收货日期", "仓库收货日期", "退回收货日期", "到货日期", "收到日期"), DATE),
        Column("归位日期", ("上架日期", "入库日期", "归还库位日期"), DATE),
    ),
)

DONE_REFUND = ("已退款", "退款完成", "已完成", "完成")
SENT_BACK = ("已寄回", "已收货", "已入库", "已退款", "已换货", "已完成", "完成", "退款完成", "已收到")


def is_quality(reasons: pd.Series, quality: tuple[str, ...]) -> pd.Series:
    pattern = "|".join(quality)
    return reasons.astype("string").str.contains(pattern, regex=True).fillna(False).astype(bool)


def check_freight_payer(s: Sheets):
    t = s.returns
    d = t.data
    out = [t.at(d["原因"].isna(), "原因", "reason-required")] if "原因" in d else []
    if "原因" not in d or "运费承担" not in d:
        return out
    quality = is_quality(d["原因"], s.rules.quality_reasons)
    expected = quality.map({True: "店铺", False: "买家"})
    wrong = d["原因"].notna() & d["运费承担"].notna() & (d["运费承担"] != expected)
    out.append(t.at(wrong, "运费承担", "freight-payer-wrong", reason=d["原因"], expected=expected))
    return out


def _non_quality(s: Sheets) -> pd.Series:
    d = s.returns.data
    if "原因" not in d:
        return pd.Series(False, index=d.index)
    return d["原因"].notna() & ~is_quality(d["原因"], s.rules.quality_reasons)


def check_window(s: Sheets):
    t = s.returns
    d = t.data
    if "签收日期" not in d:
        return None
    applied = d["申请日期"] if "申请日期" in d else d.get("登记日期")
    if applied is None:
        return None
    # 7 days counted from the day after 签收: signed 10-01 -> last day 10-08
    days = (applied.dt.normalize() - d["签收日期"].dt.normalize()).dt.days
    late = (_non_quality(s) & (d["类型"] != "仅退款") & (days > s.rules.return_days)).fillna(False).astype(bool)
    column = "申请日期" if "申请日期" in d else "登记日期"
    return t.at(late, column, "return-window-exceeded", signed=d["签收日期"].dt.strftime("%Y-%m-%d"),
                applied=applied.dt.strftime("%Y-%m-%d"), days=s.rules.return_days)


def check_excluded(s: Sheets):
    t = s.returns
    d = t.data
    nq = _non_quality(s) & d["类型"].isin(["退货", "换货"])
    out = []
    if "商品状态" in d:
        pattern = "|".join(s.rules.excluded_conditions)
        bad = nq & d["商品状态"].astype("string").str.contains(pattern).fillna(False)
        out.append(t.at(bad.astype(bool), "商品状态", "return-excluded-goods",
                        what=d["商品状态"].map(lambda v: f"商品状态为「{v}」")))
    category_cols = [c for c in ("商品类别", "商品名称") if c in d]
    if category_cols:
        pattern = "|".join(s.rules.excluded_categories)
        hit = pd.Series(False, index=d.index)
        for c in category_cols:
            hit |= d[c].astype("string").str.contains(pattern).fillna(False)
        out.append(t.at((nq & hit).astype(bool), category_cols[0], "return-excluded-goods",
                        what="贴身衣物(内裤等)"))
    for col, what in (("是否特价", "特价商品"), ("是否赠品", "赠品")):
        if col in d:
            out.append(t.at((nq & (d[col] == "是")).fillna(False).astype(bool), col, "return-excluded-goods", what=what))
    return out


def check_flags(s: Sheets):
    if s.orders is None or "旗帜" not in s.orders.data:
        return None
    t = s.returns
    d = t.data
    o = s.orders.data
    flag_of = o[o["订单号"].notna()].drop_duplicates("订单号").set_index("订单号")["旗帜"]
    flag = d["订单号"].map(flag_of)
    known = d["订单号"].isin(flag_of.index)  # an order with no flag at all is a mismatch too
    exchange = known & (d["类型"] == "换货") & (flag != "紫")
    refund = known & d["类型"].isin(["退货", "仅退款"]) & (flag != "蓝")
    return [t.at(exchange, "类型", "return-flag-mismatch", kind="换货", order=d["订单号"], flag="紫"),
            t.at(refund, "类型", "return-flag-mismatch", kind=d["类型"], order=d["订单号"], flag="蓝")]


def check_sent_back(s: Sheets):
    t = s.returns
    d = t.data
    out = []
    status = d["状态"] if "状态" in d else pd.Series(None, index=d.index, dtype=object)
    goods_back = d["类型"].isin(["退货", "换货"])
    if "退回快递单号" in d:
        sent = status.astype("string").str.contains("|".join(SENT_BACK)).fillna(False).astype(bool)
        out.append(t.at(goods_back & sent & d["退回快递单号"].isna(), "退回快递单号", "return-waybill-missing",
                        kind=d["类型"], status=status))
    if "退回方式" in d:
        out.append(t.at(goods_back & (d["退回方式"] == "到付"), "退回方式", "return-freight-collect"))
    return out


def check_refund(s: Sheets):
    t = s.returns
    d = t.data
    out = []
    if "退款金额" not in d:
        return None
    if s.orders is not None and "实付金额" in s.orders.data:
        o = s.orders.data
        if "商品编码" in d and "商品编码" in o:
            paid_line = o.groupby([o["订单号"], o["商品编码"]])["实付金额"].sum()
            paid_order = o.groupby(o["订单号"])["实付金额"].sum()
            keys = list(zip(d["订单号"], d["商品编码"]))
            by_line = pd.Series([paid_line.get(k) for k in keys], index=d.index, dtype="Int64")
            limit = by_line.fillna(d["订单号"].map(paid_order).astype("Int64"))
        else:
            limit = d["订单号"].map(o.groupby(o["订单号"])["实付金额"].sum()).astype("Int64")
        over = (d["退款金额"] > limit).fillna(False).astype(bool)
        out.append(t.at(over, "退款金额", "refund-exceeds-paid",
                        paid=limit.map(lambda f: "" if pd.isna(f) else f"{int(f) / 100:.2f}")))
    if "附件齐全" in d and "状态" in d:
        done = d["状态"].astype("string").str.contains("|".join(DONE_REFUND)).fillna(False).astype(bool)
        out.append(t.at(done & (d["附件齐全"] == "否"), "附件齐全", "refund-attachments-missing"))
    return out


def check_dates(s: Sheets):
    """No date after the as-of time, and the goods not back (收货日期) before the order's first
    parcel left (cross-sheet, when the register is present) nor before the buyer signed for it;
    the buyer cannot have signed (签收日期) before the parcel left either."""
    t = s.returns
    d = t.data
    out = timeline.future_findings(t, ("登记日期", "签收日期", "申请日期", "收货日期"), s.as_of)
    shipped = pd.Series(pd.NaT, index=d.index, dtype="datetime64[ns]")
    register = s.shipping.data if s.shipping is not None else None
    if register is not None and "发货日期" in register and "订单号" in register:
        first_parcel = register[register["订单号"].notna()].groupby("订单号")["发货日期"].min()
        shipped = d["订单号"].map(first_parcel).astype("datetime64[ns]")
        if "签收日期" in d:
            signed_early, _ = timeline.out_of_order(shipped, d["签收日期"])
            out.append(t.at(signed_early & timeline.typed(t, "签收日期"), "签收日期", "signed-before-shipped",
                            order=d["订单号"], shipped=timeline.shown(shipped)))
    if "收货日期" in d:
        received = d["收货日期"]
        before_shipping, _ = timeline.out_of_order(shipped, received)
        out.append(t.at(before_shipping, "收货日期", "return-received-too-early", order=d["订单号"],
                        event="发货日期", other=timeline.shown(shipped), what="发出"))
        if "签收日期" in d:
            before_signing, _ = timeline.out_of_order(d["签收日期"], received)
            out.append(t.at(before_signing & ~before_shipping, "收货日期", "return-received-too-early",
                            order=d["订单号"], event="签收日期", other=timeline.shown(d["签收日期"]), what="签收"))
    return out


CHECKS = [check_freight_payer, check_window, check_excluded, check_flags, check_sent_back, check_refund, check_dates]
