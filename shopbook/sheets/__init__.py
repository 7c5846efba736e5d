"""Sheet kinds: what each register holds (its columns and header aliases) and its per-sheet checks.

The stock ledger's registers live here (入库, 采购清单, 库存调整, 期初); the older kinds
(orders, shipping, returns, stock) move here with the reorganisation of issue 14.
"""
