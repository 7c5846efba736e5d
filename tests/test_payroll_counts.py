"""The month's 绩效 figures counted from the shop's records (issue 18, item 1): 拣货单数 from the
拣货批次 record, 发货单数 from the shipping register's 包装人, 个人销售额 from the month's order
attribution — small inline tables, shopbook.payroll.counts."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pandas as pd

from shopbook.payroll import counts
from shopbook.reading.files import open_workbook
from shopbook.reading.tables import read_table
from shopbook.rules import DEFAULT_RULES
from shopbook.sheets.orders import ORDERS
from shopbook.sheets.shipping import SHIPPING
from shopbook.today.day import TodayTables

OCT = dt.date(2026, 10, 1)


def batch(batch_id, order, when, picker=None):
    return {"批次号": batch_id, "拣货时间": pd.Timestamp(when), "订单号": order, "拣货人": picker}


def as_rows(frame):
    return [tuple(r) for r in frame.itertuples(index=False)]


def test_picks_count_each_batch_order_once_by_picker_in_the_month():
    records = pd.DataFrame([
        batch("JH20261001-01", "T1", "2026-10-01 09:00", "马小军"),
        batch("JH20261001-01", "T1", "2026-10-01 09:00", "马小军"),  # a second line of T1
        batch("JH20261001-01", "T2", "2026-10-01 09:00", None),  # blank: the batch's only name
        batch("JH20261002-01", "T3", "2026-10-02 09:00", "马小军"),
        batch("JH20261002-01", "T4", "2026-10-02 09:00", "李娜"),  # two pickers shared the batch
        batch("JH20261002-01", "T5", "2026-10-02 09:00", None),  # … so a blank line is nobody's
        batch("JH20260930-01", "T0", "2026-09-30 09:00", "马小军"),  # September
        batch("JH20261101-01", "T9", "2026-11-01 09:00", "马小军"),  # November
    ])
    got = as_rows(counts.pick_counts(records, OCT, "拣货单.xlsx 拣货批次"))
    assert got == [("(未填)", "拣货单数", 1, "拣货单.xlsx 拣货批次 JH20261002-01"),
                   ("李娜", "拣货单数", 1, "拣货单.xlsx 拣货批次 JH20261002-01"),
                   ("马小军", "拣货单数", 3, "拣货单.xlsx 拣货批次 JH20261001-01、JH20261002-01")]


def test_a_record_without_the_picker_column_counts_nobody_by_name():
    records = pd.DataFrame([{"批次号": "JH20261001-01", "拣货时间": pd.Timestamp("2026-10-01"), "订单号": "T1"}])
    assert as_rows(counts.pick_counts(records, OCT)) == [("(未填)", "拣货单数", 1, "拣货批次 JH20261001-01")]


def test_many_batches_are_named_by_the_first_and_last():
    assert counts.batch_span(["JH20261003-01", "JH20261001-01", "JH20261002-01", "JH20261031-02"]) == \
        "JH20261001-01…JH20261031-02 共 4 批"


def test_packs_count_parcels_sent_in_the_month_by_packer(book):
    wb = open_workbook(book({"发货": [["发货日期", "订单号", "快递公司", "快递单号", "包装人"],
                                    [dt.datetime(2026, 10, 3), "T1", "中通", "ZT100000001", "黄立强"],
                                    [dt.datetime(2026, 10, 3), "T1", "中通", "ZT100000001", "黄立强"],  # same parcel
                                    [dt.datetime(2026, 10, 4), "T2", "中通", "ZT100000002", "黄立强"],
                                    [dt.datetime(2026, 10, 4), "T3", "中通", "ZT100000003", None],
                                    [dt.datetime(2026, 9, 30), "T0", "中通", "ZT100000000", "黄立强"]]}))
    shipping = read_table(wb, SHIPPING)
    got = as_rows(counts.pack_counts(shipping, OCT, "台账.xlsx 发货表"))
    assert got == [("(未填)", "发货单数", 1, "台账.xlsx 发货表 包装人"), ("黄立强", "发货单数", 2, "台账.xlsx 发货表 包装人")]


def test_a_register_without_packers_gives_no_pack_counts(book):
    wb = open_workbook(book({"发货": [["发货日期", "订单号", "快递公司", "快递单号"],
                                    [dt.datetime(2026, 10, 3), "T1", "中通", "ZT100000001"]]}))
    assert counts.pack_counts(read_table(wb, SHIPPING), OCT).empty


def test_sales_follow_the_months_attribution(book):
    header = ["订单号", "付款时间", "商品编码", "数量", "单价", "实付金额", "旗帜", "备注", "客服", "归属客服", "状态"]
    wb = open_workbook(book({"订单": [header,
                                    ["T1", dt.datetime(2026, 10, 2, 10), "S1", 1, 100, 100, "红", "赵雨晴:送小样", "赵雨晴", None, "已发货"],
                                    ["T2", dt.datetime(2026, 10, 3, 10), "S1", 2, 100, 180.5, None, None, "孙佳怡", "孙佳怡", "已发货"],
                                    ["T3", dt.datetime(2026, 10, 4, 10), "S1", 1, 50, 50, None, None, "赵雨晴", None, "已发货"],
                                    ["T4", dt.datetime(2026, 9, 30, 10), "S1", 1, 70, 70, None, None, "赵雨晴", "赵雨晴", "已发货"]]}))
    got = as_rows(counts.sales_figures(read_table(wb, ORDERS), DEFAULT_RULES, OCT, "台账.xlsx 订单表"))
    # T1 by its 红旗 remark, T2 by 归属客服, T3 nobody's (公共订单), T4 is September's
    assert got == [("孙佳怡", "个人销售额", D("180.5"), "台账.xlsx 订单表,按月报的客服归属"),
                   ("赵雨晴", "个人销售额", D("100"), "台账.xlsx 订单表,按月报的客服归属")]


def test_derived_counts_put_every_record_together():
    records = pd.DataFrame([batch("JH20261001-01", "T1", "2026-10-01 09:00", "马小军")])
    got = counts.derived_counts(TodayTables(batches=records), DEFAULT_RULES, OCT, {"batches": "拣货单.xlsx 拣货批次"})
    assert as_rows(got) == [("马小军", "拣货单数", 1, "拣货单.xlsx 拣货批次 JH20261001-01")]
