"""The 今日待办 lists the 客服 registers drive: 待联系评价, 即将锁定 (评价), 交接 (交接班), 退款维权
(订单 退款中 and 投诉 维权) and 少发补发 (投诉/退换货 against the 补发 parcels of 发货)."""
from __future__ import annotations

import pandas as pd

from shopbook.sheets import remarks
from shopbook.sheets import complaints as complaint_sheet
from shopbook.sheets import reviews as review_sheet
from shopbook.sheets import shift_handover as handover_sheet
from shopbook.today.day import REFUND_DONE, Day, col, concat, dates, empty_list, items, moments, resend_parcels


def reviews_due(day: Day) -> pd.DataFrame:
    """New 中/差评 not yet phoned (心情 ones from the next day), and follow-ups whose 下次联系时间 has come."""
    t = day.t.reviews
    d = t.data
    r = review_sheet
    if "评价日期" not in d:
        return empty_list()
    case = r.negative(d) & r.still_open(d)
    mood = (col(d, "原因类别") == r.MOOD).fillna(False).astype(bool)
    mood_day = r.review_day(d) + pd.Timedelta(days=day.rules.mood_callback_days)
    new = case & ~r.phoned(d) & (~mood | (mood_day <= day.today)).fillna(False)
    new_due = r.effect_day(d, day.rules).where(~mood, mood_day)
    nxt = col(d, "下次联系时间")
    nxt = nxt if pd.api.types.is_datetime64_any_dtype(nxt) else pd.Series(pd.NaT, index=d.index)
    follow = case & (nxt <= day.now).fillna(False)
    listed = (new | follow) & d["评价日期"].notna()
    if not listed.any():
        return empty_list()
    rows = d.index[listed]
    sub = d.loc[rows]
    use_next = follow[rows] & (~new[rows] | (nxt[rows] < new_due[rows]))
    due = new_due[rows].where(~use_next, nxt[rows])
    due_day = ~use_next | (nxt[rows].dt.normalize() == nxt[rows]).fillna(True)
    made = r.contacts_made(d)[rows]
    reasons = []
    for row in rows:
        kind, cause = sub.at[row, "评价类型"], sub.at[row, "原因类别"] if "原因类别" in sub else None
        parts = []
        if new[row]:
            if mood[row]:
                parts.append(f"心情{kind}:今天联系,先了解情况再解决")
            else:
                label = f"{kind}({cause})" if isinstance(cause, str) else kind
                if new_due[row] < day.today:
                    parts.append(f"{label}已于 {new_due[row]:%m-%d} 生效,还没有电话联系:尽快打电话问明原因")
                else:
                    parts.append(f"{label}还没有电话联系:{new_due[row]:%m-%d} 生效前打电话问明原因")
        if follow[row]:
            when = f"{nxt[row]:%m-%d %H:%M}".replace(" 00:00", "")
            parts.append(f"约好 {when} 再联系(已跟进 {made[row]} 次)")
        reasons.append(";".join(parts))
    return items(t, rows, "评价日期", order=sub["订单号"], buyer=col(sub, "买家"), who=col(sub, "责任客服"),
                 due=due, due_day=due_day, reason=pd.Series(reasons, index=rows), detail=_review_detail(sub),
                 rank=0)


def _review_detail(sub: pd.DataFrame) -> pd.Series:
    """The review's words and the last follow-up's result."""
    out = []
    results = review_sheet.rounds(sub, 2)
    for row in sub.index:
        text = sub.at[row, "评价内容"] if "评价内容" in sub else None
        last = next((c[row] for c in reversed(results) if isinstance(c[row], str)), None)
        parts = ([f"「{text}」"] if isinstance(text, str) else []) + ([f"上次跟进:{last}"] if last else [])
        out.append(" ".join(parts) or None)
    return pd.Series(out, index=sub.index, dtype=object)


def locking(day: Day) -> pd.DataFrame:
    """Reviews whose window ends within review_warn_days, with the last day to explain."""
    t = day.t.reviews
    d = t.data
    r = review_sheet
    if "评价日期" not in d:
        return empty_list()
    last = r.last_day(d, day.rules)
    left = (last - day.today).dt.days
    listed = (r.negative(d) & ~r.settled(d) & (left >= 0) & (left <= day.rules.review_warn_days)).fillna(False)
    rows = d.index[listed.astype(bool)]
    if not len(rows):
        return empty_list()
    sub = d.loc[rows]
    reason = pd.Series([f"今天是最后一天:还没改好就今天写解释" if n == 0 else f"还剩 {n} 天({l:%m-%d} 是最后一天)"
                        for n, l in zip(left[rows], last[rows])], index=rows)
    return items(t, rows, "评价日期", order=sub["订单号"], buyer=col(sub, "买家"), who=col(sub, "责任客服"),
                 due=last[rows], due_day=True, reason=reason, detail=_review_detail(sub), rank=0)


def handovers(day: Day) -> pd.DataFrame:
    """Items of shifts already over that nobody has taken over (接手人 blank, not done)."""
    t = day.t.handovers
    d = t.data
    h = handover_sheet
    if "交接日期" not in d:
        return empty_list()
    due = h.shift_start(d["交接日期"], h.shift_index(d, day.rules), day.rules, later=1)
    listed = (h.untaken(d) & (due <= day.now)).fillna(False).astype(bool)
    rows = d.index[listed]
    if not len(rows):
        return empty_list()
    sub = d.loc[rows]
    shift = col(sub, "班次").fillna("")
    reason = (dates(sub["交接日期"]) + " " + shift + " " + col(sub, "交出人").fillna("") + " 交接:"
              + col(sub, "事项").fillna("")).str.replace("  ", " ", regex=False)
    return items(t, rows, "接手人" if "接手人" in d else "事项", order=col(sub, "关联订单"), buyer=None,
                 who=col(sub, "交出人"), due=due[rows], due_day=False, reason=reason, detail=None, rank=0)


def refunds(day: Day) -> pd.DataFrame:
    """退款中 orders (with the age of their refund request) and open 维权 complaints, oldest first."""
    frames = []
    disputed: dict = {}
    c = day.t.complaints
    if c is not None and "投诉日期" in c.data:
        d = c.data
        open_ = complaint_sheet.of_type(d, (complaint_sheet.PLATFORM_DISPUTE,)) & ~complaint_sheet.closed(d)
        rows = d.index[open_]
        if len(rows):
            sub = d.loc[rows]
            age = complaint_sheet.age_days(sub, day.as_of)
            disputed = dict(zip(col(sub, "订单号"), rows))
            refunding = set(day.orders.loc[day.orders["状态"] == "退款中", "订单号"]) \
                if day.t.orders is not None and "状态" in day.orders else set()
            reason = [(f"维权 {int(n)} 天({when:%m-%d} 起)" if pd.notna(when) else "维权")
                      + (",订单退款中" if o in refunding else "")
                      for n, when, o in zip(age, sub["投诉日期"], col(sub, "订单号"))]
            who = col(sub, "处理人").where(col(sub, "处理人").notna(), col(sub, "责任人"))
            frames.append(items(c, rows, "投诉日期", order=col(sub, "订单号"), buyer=col(sub, "买家"), who=who,
                                due=day.today, due_day=True, reason=pd.Series(reason, index=rows),
                                detail=col(sub, "内容"), rank=-age.fillna(0)))
    if day.t.orders is not None and "状态" in day.orders:
        o = day.orders
        hit = (o["状态"] == "退款中") & ~o["订单号"].isin(set(disputed))
        rows = o.index[hit.fillna(False).astype(bool)]
        if len(rows):
            sub = o.loc[rows]
            start, handler = _refund_requests(day, sub)
            age = (day.today - start).dt.days
            reason = [f"退款中 {int(n)} 天({s:%m-%d} 申请)" if pd.notna(n) else "退款中(退换货表没有这笔申请,请登记)"
                      for n, s in zip(age, start)]
            who = handler.where(handler.notna(), day.agent(rows))
            frames.append(items(day.t.orders, rows, "状态", order=sub["订单号"], buyer=col(sub, "买家"), who=who,
                                due=day.today, due_day=True, reason=pd.Series(reason, index=rows),
                                detail=col(sub, "备注"), rank=-age.fillna(0)))
    return concat(frames)


def _refund_requests(day: Day, sub: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """When each order's refund was asked for (退换货 申请日期/登记日期, else the 蓝旗 remark's date)
    and who handles it (退换货 处理人)."""
    start = pd.Series(pd.NaT, index=sub.index, dtype="datetime64[ns]")
    handler = pd.Series(None, index=sub.index, dtype=object)
    r = day.t.returns
    if r is not None and "订单号" in r.data:
        d = r.data
        first = moments(d, "申请日期", "登记日期").groupby(d["订单号"]).min()
        start = pd.to_datetime(sub["订单号"].map(first.to_dict()), errors="coerce").astype("datetime64[ns]")
        if "处理人" in d:
            handler = sub["订单号"].map(d.dropna(subset=["订单号"]).drop_duplicates("订单号", keep="last")
                                      .set_index("订单号")["处理人"])
    if "备注" in sub:
        remark = remarks.remark_dates(sub["备注"], day.as_of.year)
        start = start.fillna(remark.where(remark <= day.today))
    return start, handler


def short_shipments(day: Day) -> pd.DataFrame:
    """少发/漏发 cases (退换货 by its 原因 unless refunded instead, open 投诉 by its 投诉类型) with no
    补发 parcel in the shipping register since the case was registered; a resend later than
    the same day is a finding."""
    words = day.rules.short_ship_reasons
    resends = resend_parcels(day)
    frames, late = [], []
    seen: set = set()
    sources = []
    c = day.t.complaints
    if c is not None and "投诉日期" in c.data and "订单号" in c.data:
        d = c.data
        case = complaint_sheet.of_type(d, words) & ~complaint_sheet.closed(d) & col(d, "订单号").notna()
        sources.append((c, case, moments(d, "投诉日期"), col(d, "投诉类型"), col(d, "处理人"), "投诉日期"))
    r = day.t.returns
    if r is not None and "原因" in r.data:
        d = r.data
        reason = d["原因"].astype("string")
        case = reason.str.contains("|".join(words), regex=True).fillna(False).astype(bool) & d["订单号"].notna()
        case &= ~(col(d, "类型") == "仅退款").fillna(False).astype(bool)
        case &= ~col(d, "状态").astype("string").str.contains("|".join(REFUND_DONE)).fillna(False).astype(bool)
        when = moments(d, "申请日期", "登记日期")
        column = "申请日期" if "申请日期" in d else "登记日期" if "登记日期" in d else "原因"
        sources.append((r, case, when, d["原因"], col(d, "处理人"), column))
    for t, case, when, what, handler, column in sources:
        d = t.data
        case = case & ~d["订单号"].isin(seen)
        seen |= set(d.loc[case, "订单号"])
        if not case.any():
            continue
        sub = d.loc[case]
        start = when[case].dt.normalize()
        first_resend = []
        for order, s in zip(sub["订单号"], start):
            sent = resends.loc[(resends["订单号"] == order) & (resends["发货日期"] >= s if pd.notna(s) else True),
                               "发货日期"]
            first_resend.append(sent.min() if len(sent) else pd.NaT)
        first_resend = pd.Series(first_resend, index=sub.index, dtype="datetime64[ns]")
        missing = first_resend.isna()
        is_late = first_resend.notna() & start.notna() & (first_resend > start)
        if is_late.any():
            late.append(t.at(is_late, column, "short-resend-late", order=sub["订单号"], day=dates(start, "%Y-%m-%d"),
                             resent=dates(first_resend, "%Y-%m-%d")))
        rows = sub.index[missing]
        if not len(rows):
            continue
        due = start[rows].fillna(day.today)
        text = [f"{w}:{s:%m-%d} 登记,还没有补发" if pd.notna(s) else f"{w}:还没有补发"
                for w, s in zip(what[rows], start[rows])]
        frames.append(items(t, rows, column, order=sub.loc[rows, "订单号"], buyer=col(sub, "买家"),
                            who=handler, due=due, due_day=True, reason=pd.Series(text, index=rows),
                            detail=col(sub, "内容") if "内容" in sub else None, rank=0))
    day.findings.extend(late)
    return concat(frames)
