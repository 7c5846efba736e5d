"""The shop's words the jobs act on, kept as rule data beside the Rules object: order states,
return kinds and the words that undo a register row, and the names the rules workbook's own tables
go by. One place to change when a platform or the shop words them differently."""
from __future__ import annotations

SHIPPED_STATES = ("已发货", "已完成")  # the goods have left: nothing more to ship
NOT_SOLD_STATES = ("待付款", "已关闭")  # no sale (read when an order sheet has no 付款时间 column)
REFUND_KINDS = ("退货", "仅退款")  # 退换货 类型 that give money back (换货 does not)
UNDONE_WORDS = ("拒", "取消", "撤销", "驳回")  # a 退换货 状态 with one of these: the refund did not happen

# the rules workbook's tables, by the names a shop gives them
ROSTER_SHEETS = ("排班", "排班表", "值班表")
PROMOTION_COST_NAMES = ("推广费用", "推广费", "推广花费", "广告费用", "推广费用元")
# a workbook with a 参数 sheet and one of these is the rules workbook, not an input of the month
RULES_SHEETS = ("活动日", "排班", "快递价格", "快递单号规则", "岗位薪酬", "退换货排除", "推广费用")
