"""库存调整 — every change of stock that is neither a delivery, a shipment nor a return:
报损, 借出, 样品, 领用 (consumables), 盘点调整, and moves into or out of the 残次库. 数量 is
signed (+ in, − out); each adjustment names its 原因, who made it (经办人) and who approved
it (批准人)."""
from __future__ import annotations

import pandas as pd

from shopbook.sheets.context import Sheets
from shopbook.reading.schema import DATE, ID, INT, TEXT, Column, SheetKind
from shopbook.sheets.inbound import SKU_ALIASES

# the drop-down of the template; any other 原因 is accepted
REASONS = ("报损", "借出", "归还", "样品", "领用", "盘点调整", "转残次", "残次报损", "其他")

ADJUSTMENTS = SheetKind(
    name="库存调整",
    sheet_aliases=("库存调整单", "调整", "调整记录", "调整单", "报损", "报损单", "adjustments"),
    columns=(
        Column("日期", ("调整日期", "日期时间"), DATE, required=True),
        Column("调整单号", ("单号", "调整编号"), ID),
        Column("商品编码", SKU_ALIASES, ID, required=True),
        Column("商品名称", ("品名", "货品名称", "名称"), TEXT),
        Column("颜色", ("颜色分类", "色号"), TEXT),
        Column("尺码", ("尺寸", "码数"), TEXT),
        Column("数量", ("调整数量", "变动数量", "增减数量"), INT, required=True),
        Column("原因", ("调整原因", "调整类型", "类型"), TEXT),
        Column("经办人", ("操作人", "登记人", "经手人"), TEXT),
        Column("批准人", ("审批人", "批准", "审核人", "签批人"), TEXT),
        Column("备注", ("说明",), TEXT),
    ),
)


def check_reason_and_approver(s: Sheets):
    t = s.adjustments
    d = t.data
    booked = d["商品编码"].notna() if "商品编码" in d else pd.Series(True, index=d.index)
    out = []
    reason = d["原因"] if "原因" in d else pd.Series(None, index=d.index, dtype=object)
    out.append(t.at(booked & reason.isna(), "原因" if "原因" in d else "数量", "adjustment-reason-missing",
                    examples="、".join(REASONS[:6])))
    approver = d["批准人"] if "批准人" in d else pd.Series(None, index=d.index, dtype=object)
    out.append(t.at(booked & approver.isna(), "批准人" if "批准人" in d else "数量", "adjustment-approver-missing"))
    if "经办人" in d and "批准人" in d:
        same = (booked & d["批准人"].notna() & (d["批准人"] == d["经办人"])).fillna(False).astype(bool)
        out.append(t.at(same, "批准人", "adjustment-self-approved"))
    return out


CHECKS = [check_reason_and_approver]
