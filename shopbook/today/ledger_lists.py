"""The 今日待办 lists the ledger drives: 截单 (订单 against the 拣货批次 record), 重拍, 货到付款待联系,
异常件 and 催评 (发货, with the registers that settle them), and 催付 / 超时未发货 — the orders
validate's own checks find (shopbook.sheets.orders.check_payment_chase, shopbook.sheets.shipping.check_overdue)."""
from __future__ import annotations

import pandas as pd

from shopbook.sheets import orders as order_sheet
from shopbook.picking import job as picking
from shopbook.sheets import shipping as shipping_sheet
from shopbook.sheets import complaints as complaint_sheet
from shopbook.sheets import contacts as contact_sheet
from shopbook.today.day import ABNORMAL_STATES, Day, col, empty_list, items, resend_parcels


def cut_off(day: Day) -> pd.DataFrame:
    """Orders on a pick batch still open that are now 绿/蓝 flagged, 退款中 or closed: the
    warehouse must pull them back before they ship (截单)."""
    records = day.t.batches
    if records is None or records.empty:
        return empty_list()
    done = picking.done_order_ids(day.t.orders, day.t.shipping)
    states = picking.batch_states(records, done)
    open_ids = states.index[states["状态"] == "未完成"]
    on_open = records[records["批次号"].isin(open_ids)].drop_duplicates("订单号").set_index("订单号")
    o = day.orders
    hit = o["订单号"].isin(on_open.index) & o["_blocked"].notna() & ~o["订单号"].isin(day.shipped())
    rows = o.index[hit]
    if not len(rows):
        return empty_list()
    sub = o.loc[rows]
    batch = on_open.reindex(sub["订单号"])
    reason = [f"{why},已在拣货批次 {b}({pd.Timestamp(at):%m-%d %H:%M} 拣货)中"
              for why, b, at in zip(sub["_blocked"], batch["批次号"], batch["拣货时间"])]
    column = "旗帜" if "旗帜" in sub else "状态"
    return items(day.t.orders, rows, column, order=sub["订单号"], buyer=col(sub, "买家"), who=day.agent(rows),
                 due=day.now, due_day=False, reason=pd.Series(reason, index=rows), detail=col(sub, "备注"), rank=0)


def reordered(day: Day) -> pd.DataFrame:
    """Unpaid orders whose buyer and address also have a paid order (重拍): close them with the
    buyer's consent instead of chasing payment."""
    o = day.orders
    status = col(o, "状态")
    if "买家" in o and "详细地址" in o:
        key = o["买家"] + "\x1f" + o["详细地址"]
    elif all(c in o for c in ("收件人", "手机", "详细地址")):
        key = o["收件人"] + "\x1f" + order_sheet.clean_phone(o["手机"]).astype(object) + "\x1f" + o["详细地址"]
    else:
        return empty_list()
    live = (status != "已关闭").fillna(True).astype(bool) & key.notna()
    unpaid = live & ~o["_paid"] & (status.isna() | (status == "待付款"))
    paid = live & o["_paid"]
    hit = unpaid & key.isin(set(key[paid]))
    rows = o.index[hit]
    if not len(rows):
        return empty_list()
    wanted = paid & key.isin(set(key[hit]))
    paid_orders = o.loc[wanted].groupby(key[wanted])["订单号"].agg(list)
    sub = o.loc[rows]
    reason = [f"买家已重拍并付款(订单 {'、'.join(paid_orders[k])}),本单征得同意后关闭"
              for k in key[rows]]
    return items(day.t.orders, rows, "付款时间" if "付款时间" in o else "订单号", order=sub["订单号"],
                 buyer=col(sub, "买家"), who=day.agent(rows), due=day.now, due_day=False,
                 reason=pd.Series(reason, index=rows), detail=None, rank=0)


def cod(day: Day) -> pd.DataFrame:
    """货到付款 orders not yet contacted (联系时间 on 订单, or a 货到付款 row in 联系记录); the call
    is due within cod_contact_minutes of ordering."""
    o = day.orders
    if "付款方式" not in o:
        return empty_list()
    waiting = (o["付款方式"] == order_sheet.COD).fillna(False).astype(bool) & ~o["订单号"].isin(day.shipped())
    waiting &= ~col(o, "状态").isin(["已关闭"])
    contacted = col(o, "联系时间").notna() | o["订单号"].isin(day.contact_orders(contact_sheet.COD))
    rows = o.index[waiting & ~contacted]
    if not len(rows):
        return empty_list()
    sub = o.loc[rows]
    placed = col(sub, "下单时间")
    placed = placed if pd.api.types.is_datetime64_any_dtype(placed) else pd.Series(pd.NaT, index=rows)
    due = (placed + pd.Timedelta(minutes=day.rules.cod_contact_minutes)).fillna(day.now)
    minutes = day.rules.cod_contact_minutes
    reason = [f"{p:%m-%d %H:%M} 下单,已超过 {minutes} 分钟没有联系" if pd.notna(p) and d < day.now else
              f"{p:%m-%d %H:%M} 下单,{d:%H:%M} 前联系" if pd.notna(p) else "没有下单时间,尽快联系"
              for p, d in zip(placed, due)]
    return items(day.t.orders, rows, "付款方式", order=sub["订单号"], buyer=col(sub, "买家"), who=day.agent(rows),
                 due=due, due_day=False, reason=pd.Series(reason, index=rows), detail=col(sub, "手机"), rank=0)


def abnormal(day: Day) -> pd.DataFrame:
    """丢件/破损/拒收/无法送达 parcels with no follow-up: no 处理结果, no later 补发 parcel, no
    退换货 row and no closed complaint for the order."""
    t = day.t.shipping
    s = t.data
    if "状态" not in s:
        return empty_list()
    bad = s["状态"].isin(ABNORMAL_STATES).fillna(False).astype(bool)
    if not bad.any():
        return empty_list()
    followed = col(s, "处理结果").notna()
    resends = resend_parcels(day)
    if len(resends) and "发货日期" in s:
        later = s.loc[bad, ["订单号", "发货日期"]].reset_index().merge(resends, on="订单号", suffixes=("", "_补发"))
        later = later[later["发货日期_补发"] >= later["发货日期"]]
        followed |= s.index.isin(later["index"])
    if day.t.returns is not None and "订单号" in day.t.returns.data:
        followed |= s["订单号"].isin(set(day.t.returns.data["订单号"].dropna()))
    c = day.t.complaints
    if c is not None and "订单号" in c.data:
        followed |= s["订单号"].isin(set(c.data.loc[complaint_sheet.closed(c.data), "订单号"].dropna()))
    rows = s.index[bad & ~followed]
    if not len(rows):
        return empty_list()
    sub = s.loc[rows]
    sent = col(sub, "发货日期")
    cause = col(sub, "原因")
    reason = [f"{state}" + (f"({c})" if isinstance(c, str) else "") +
              (f",{d:%m-%d} 发出" if pd.notna(d) else "") + ",还没有处理结果"
              for state, c, d in zip(sub["状态"], cause, sent)]
    buyer = day.order_of(sub["订单号"]).get("买家") if day.t.orders is not None else None
    rank = -(day.today - sent).dt.days.fillna(0) if pd.api.types.is_datetime64_any_dtype(sent) else 0
    return items(t, rows, "状态", order=sub["订单号"], buyer=buyer, who=None, due=day.today, due_day=True,
                 reason=pd.Series(reason, index=rows), detail=col(sub, "快递单号"), rank=rank)


def chase(day: Day) -> pd.DataFrame:
    """Parcels signed review_chase_days ago or more (but within review_period_days, while the buyer
    can still review) whose order has no review recorded and was not chased yet."""
    t = day.t.shipping
    s = t.data
    if "签收日期" not in s:
        return empty_list()
    ok = ~shipping_sheet.is_resend(s) & s["签收日期"].notna() & s["订单号"].notna()
    if "状态" in s:
        ok &= s["状态"].isna() | (s["状态"] == "正常")
    parcels = s.loc[ok].sort_values("签收日期", kind="stable")
    parcels = parcels[~parcels["订单号"].duplicated(keep="last")]
    days = (day.today - parcels["签收日期"].dt.normalize()).dt.days
    due = (days >= day.rules.review_chase_days) & (days <= day.rules.review_period_days)
    parcels, days = parcels[due], days[due]
    skip = set(day.contact_orders(contact_sheet.CHASE))
    for table in (day.t.reviews, day.t.returns):
        if table is not None and "订单号" in table.data:
            skip |= set(table.data["订单号"].dropna())
    if day.t.orders is not None:
        o = day.orders
        skip |= set(o.loc[o["_blocked"].notna(), "订单号"])
    keep = ~parcels["订单号"].isin(skip)
    parcels, days = parcels[keep], days[keep]
    if parcels.empty:
        return empty_list()
    rows = parcels.index
    signed = parcels["签收日期"].dt.normalize()
    last = signed + pd.Timedelta(days=day.rules.review_period_days)
    reason = pd.Series([f"{s:%m-%d} 签收,{n} 天还没有评价"
                        for s, n in zip(signed, days)], index=rows)
    buyer = day.order_of(parcels["订单号"]).get("买家") if day.t.orders is not None else None
    return items(t, rows, "签收日期", order=parcels["订单号"], buyer=buyer, who=None, due=last, due_day=True,
                 reason=reason, detail=None, rank=0)


def payment(day: Day, skip: set) -> pd.DataFrame:
    """催付: the unpaid orders validate's check_payment_chase lists (重拍 orders are closed instead)."""
    found = order_sheet.check_payment_chase(day.sheets())
    if found is None or found.empty:
        return empty_list()
    d = day.t.orders.data
    rows = pd.Index(found["row"].astype(int))
    sub = d.loc[rows]
    rows = rows[~sub["订单号"].isin(skip).to_numpy()]
    if not len(rows):
        return empty_list()
    sub = d.loc[rows]
    cutoff = pd.Timestamp(order_sheet.payment_cutoff(day.as_of, day.rules.payment_cutoff))
    reason = pd.Series([f"{p:%m-%d %H:%M} 下单,至今未付款"
                        for p in sub["下单时间"]], index=rows)
    return items(day.t.orders, rows, "付款时间" if "付款时间" in d else "下单时间", order=sub["订单号"],
                 buyer=col(sub, "买家"), who=day.agent(rows), due=cutoff, due_day=False, reason=reason,
                 detail=col(sub, "备注"), rank=0)


def overdue(day: Day) -> pd.DataFrame:
    """超时未发货: the paid orders validate's check_overdue finds unshipped after their shipping day."""
    found = shipping_sheet.check_overdue(day.sheets())
    if found is None or found.empty:
        return empty_list()
    d = day.t.orders.data
    rows = pd.Index(found["row"].astype(int))
    sub = d.loc[rows]
    deadline = shipping_sheet.ship_deadline(sub["付款时间"], day.rules.shipping_cutoff)
    reason = pd.Series([f"{p:%m-%d %H:%M} 付款,应在 {dl:%m-%d} 发货"
                        for p, dl in zip(sub["付款时间"], deadline)], index=rows)
    return items(day.t.orders, rows, "付款时间", order=sub["订单号"], buyer=col(sub, "买家"), who=day.agent(rows),
                 due=deadline, due_day=True, reason=reason, detail=col(sub, "备注"), rank=0)
