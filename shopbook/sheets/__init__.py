"""Sheet kinds: one module per register the shop keeps (its columns with their Chinese header
aliases, and its own checks). The ledger sheets (订单, 发货, 退换货, 库存) move here later."""
