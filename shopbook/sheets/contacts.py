"""联系记录 — the contact log: each call or message to a buyer that no other register holds —
a review chased (催评, 1 元 each for 售后客服, seed 004), a COD order confirmed (货到付款: the buyer
is called within 30 minutes, seed 002 第 8 条), a payment chased, a short shipment arranged."""
from __future__ import annotations

from shopbook.reading.schema import CHOICE, DATETIME, ID, TEXT, Column, SheetKind
from shopbook.sheets.reviews import METHODS, PHONE, SMS, WANGWANG

CHASE, COD, PAYMENT, SHORT, VISIT, OTHER = "催评", "货到付款", "催付", "少发", "回访", "其他"
REASONS = (CHASE, COD, PAYMENT, SHORT, VISIT, OTHER)

CONTACTS = SheetKind(
    name="联系记录",
    sheet_aliases=("联系登记", "客户联系", "联系客户记录", "回访记录", "催评记录", "催评", "contacts"),
    columns=(
        Column("联系时间", ("时间", "日期", "联系日期"), DATETIME, required=True),
        Column("订单号", ("订单编号", "订单号码", "order_id", "平台订单号"), ID, required=True),
        Column("事由", ("联系事由", "类型", "联系类型"), CHOICE, required=True, choices=REASONS,
               synonyms={"邀评": CHASE, "催好评": CHASE, "邀请评价": CHASE, "敦促评价": CHASE, "评价": CHASE,
                         "到付": COD, "货到付款确认": COD, "cod": COD, "催款": PAYMENT, "催单": PAYMENT,
                         "漏发": SHORT, "补发": SHORT, "体验调查": VISIT}),
        Column("客服", ("联系人", "经办人", "经办客服"), TEXT, required=True),
        Column("方式", ("联系方式",), CHOICE, choices=METHODS,
               synonyms={"打电话": PHONE, "电联": PHONE, "阿里旺旺": WANGWANG, "千牛": WANGWANG, "信息": SMS}),
        Column("结果", ("联系结果",), TEXT),
    ),
)

CHECKS: list = []
