"""快递交接 — the courier handover record: one row per pickup (a courier company's 快递员
taking the day's parcels), kept by the warehouse as the shop's regulations say (物流管理制度
第6–9条): the courier counts the parcels against the register and signs, leaves the 底单 (his
copies of the slips) with the shop, and the 底单 are archived after 15 days.

This module declares the sheet and the checks that need only this sheet (signature, 底单,
archive); the checks against the shipping register are the handover job's (shopbook.handover).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from shopbook.sheets.context import Sheets
from shopbook.reading.cells import per_value
from shopbook.reading.schema import CHOICE, DATE, INT, MONEY, NUMBER, TEXT, Column, SheetKind

YES, NO = "是", "否"
YES_NO = {"是": YES, "否": NO, "y": YES, "n": NO, "yes": YES, "no": NO, "有": YES, "无": NO, "没有": NO,
          "√": YES, "✓": YES, "✔": YES, "×": NO, "✗": NO, "x": NO, "true": YES, "false": NO, "1": YES, "0": NO,
          "已收": YES, "收到": YES, "已收回": YES, "未收": NO, "没收": NO, "未收回": NO}
# 快递员签字: 是/否, or the courier's own name written in the cell (that is a signature too)
SIGNED_WORDS = {"是", "y", "yes", "有", "√", "✓", "✔", "true", "1", "已签", "已签字", "签了", "已签名"}
UNSIGNED_WORDS = {"否", "n", "no", "无", "没有", "×", "✗", "x", "false", "0", "未签", "未签字", "没签", "没签字",
                  "未签名"}

COURIER_HANDOVER = SheetKind(
    name="快递交接",
    sheet_aliases=("交接", "快递交接记录", "交接记录", "快递交接登记", "交接登记", "揽收交接", "揽收记录", "底单登记",
                   "handover"),
    columns=(
        Column("日期", ("交接日期", "揽收日期", "揽件日期", "收件日期", "交接时间", "揽收时间"), DATE, required=True),
        Column("快递公司", ("快递", "物流公司", "承运商", "快递名称"), TEXT, required=True),
        Column("快递员", ("揽件员", "揽收员", "收件员", "快递员姓名", "快递小哥"), TEXT),
        Column("交接件数", ("揽收件数", "交接数量", "交接件", "底单数", "底单张数", "底单数量", "件数合计"), INT,
               required=True, minimum=0),
        Column("快递员称重", ("快递称重", "快递员重量", "揽收重量", "称重合计", "快递员称重kg"), NUMBER, minimum=0),
        Column("快递员报价", ("快递报价", "快递员运费", "揽收运费", "运费合计", "快递员报价元"), MONEY, minimum=0),
        Column("发货员", ("发货人", "交接人", "经手人", "仓库交接人"), TEXT),
        Column("快递员签字", ("签字", "快递员签名", "快递签字", "是否签字", "已签字"), TEXT),
        Column("底单已收", ("底单", "底单收回", "已收底单", "底单是否收回", "收到底单", "底单已留"), CHOICE,
               choices=(YES, NO), synonyms=YES_NO),
        Column("归档日期", ("归档", "归档时间", "底单归档日期"), DATE),
        Column("备注", ("说明",), TEXT),
    ),
    # a shift-handover 交接 (班次/交出人/接手人/事项) shares 日期 and 备注 only: never taken for this one
    signature=("快递员", "交接件数", "快递员签字", "底单已收"), signature_min=1,
)


def signed(values: pd.Series) -> pd.Series:
    """快递员签字 as True (是, 已签, or a name written), False (否, 未签…) or None (blank)."""
    def one(text):
        key = str(text).strip().lower()
        if key in UNSIGNED_WORDS:
            return False
        return True
    out = pd.Series(per_value(values, one), index=values.index, dtype=object)
    return out.where(values.notna(), None)


def has_parcels(d: pd.DataFrame) -> pd.Series:
    """Rows recording a pickup of at least one parcel (a 0 count: the courier came, nothing to take)."""
    count = d["交接件数"] if "交接件数" in d else pd.Series(pd.NA, index=d.index, dtype="Int64")
    return ~(count == 0).fillna(False).astype(bool)


def check_signature(s: Sheets):
    """Every pickup is signed by the courier (第6条: 每单快递人员均需要签上本人名字)."""
    t = s.handover
    d = t.data
    if "快递员签字" not in d:
        return None
    sign = signed(d["快递员签字"])
    missing = sign.map(lambda v: v is not True).astype(bool) & has_parcels(d)
    return t.at(missing, "快递员签字", "handover-unsigned", date=_day(d), courier=d["快递公司"])


def check_slips(s: Sheets):
    """The courier leaves the 底单 with the shop (第6条: 都需要留一份底单给我们保存)."""
    t = s.handover
    d = t.data
    if "底单已收" not in d:
        return None
    missing = (d["底单已收"] != YES).fillna(True).astype(bool) & has_parcels(d)
    return t.at(missing, "底单已收", "handover-slips-missing", date=_day(d), courier=d["快递公司"])


def archive_due(days: pd.Series, archive_days: int) -> pd.Series:
    """The day a pickup's 底单 must be archived by: its date + the archive period."""
    return days + pd.Timedelta(days=archive_days)


def not_archived(d: pd.DataFrame, as_of: dt.datetime, archive_days: int) -> pd.Series:
    """Pickups whose 底单 are past the archive period with no 归档日期 (第7条: 15天后必须归档)."""
    if "日期" not in d:
        return pd.Series(False, index=d.index)
    archived = d["归档日期"].notna() if "归档日期" in d else pd.Series(False, index=d.index)
    today = pd.Timestamp(as_of).normalize()
    late = d["日期"].notna() & (archive_due(d["日期"].dt.normalize(), archive_days) < today) & ~archived
    return (late & has_parcels(d)).fillna(False).astype(bool)


def check_archive(s: Sheets):
    t = s.handover
    d = t.data
    out = []
    late = not_archived(d, s.as_of, s.rules.archive_days)
    if late.any():
        age = (pd.Timestamp(s.as_of).normalize() - d["日期"].dt.normalize()).dt.days
        column = "归档日期" if "归档日期" in d else "日期"
        out.append(t.at(late, column, "handover-not-archived", date=_day(d), courier=d["快递公司"], days=age,
                        limit=s.rules.archive_days))
    if "归档日期" in d and "日期" in d:
        early = (d["归档日期"].notna() & d["日期"].notna() & (d["归档日期"] < d["日期"].dt.normalize()))
        out.append(t.at(early.fillna(False).astype(bool), "归档日期", "handover-archive-before-date", date=_day(d)))
    return out


def _day(d: pd.DataFrame) -> pd.Series:
    days = d["日期"] if "日期" in d else pd.Series(pd.NaT, index=d.index)
    return pd.Series(np.where(days.notna(), days.dt.strftime("%Y-%m-%d"), None), index=d.index, dtype=object)


CHECKS = [check_signature, check_slips, check_archive]
