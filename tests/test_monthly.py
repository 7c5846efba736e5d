"""月报 (shopbook.monthly.job): each figure and each attribution rule on small inline tables, and
the workbook / CLI end to end on a small month folder."""
from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import write_book

from shopbook.monthly import figures, job
from shopbook.sheets.orders import ORDERS
from shopbook.reading.files import open_workbook
from shopbook.reading.tables import read_table
from shopbook.sheets.returns import RETURNS
from shopbook.rules import DEFAULT_RULES
from shopbook.sheets.shipping import SHIPPING
from shopbook.sheets.stock import STOCK

T = dt.datetime
D = dt.date
OCT = D(2026, 10, 1)
AS_OF = T(2026, 10, 31, 18, 0)
ORDER_HEAD = ["订单号", "下单时间", "付款时间", "收件人", "手机", "详细地址", "商品编码", "商品名称", "数量", "单价",
              "实付金额", "付款方式", "旗帜", "备注", "归属客服", "状态"]


def order(no, paid, amount, flag=None, remark=None, owner=None, status="已发货", placed=None, sku="SKU1", qty=1,
          price=None, method="在线支付"):
    placed = placed or (paid - dt.timedelta(minutes=5) if paid else T(2026, 10, 5, 9))
    return [no, placed, paid, "张三", "13812345678", "浙江省杭州市西湖区文三路1号", sku, "文胸", qty,
            price if price is not None else amount, amount, method, flag, remark, owner, status]


def table(tmp_path, kind, rows, name="t.xlsx"):
    path = write_book(tmp_path / name, {kind.name: rows})
    return read_table(open_workbook(path), kind)


def rules(promotion_days=(), roster=()):
    frame = None
    if roster:
        import pandas as pd
        frame = pd.DataFrame(list(roster), columns=["日期", "客服"], dtype=object)
    from dataclasses import replace
    return replace(DEFAULT_RULES, promotion_days=tuple(promotion_days),
                   tables={"排班": frame} if frame is not None else {})


def month(tmp_path, orders, rule_set=DEFAULT_RULES, **tables):
    inputs = job.MonthInputs(OCT, rule_set, AS_OF, orders=table(tmp_path, ORDERS, [ORDER_HEAD] + orders, "o.xlsx"))
    for attr, (kind, rows) in tables.items():
        setattr(inputs, attr, table(tmp_path, kind, rows, f"{attr}.xlsx"))
    return job.compute_month(inputs)


def agents(report) -> dict:
    return {r["客服"]: r["销售额"] for r in report.agents.to_dict("records")}


# --- orders, sales, average order value --------------------------------------------------------
def test_orders_are_those_paid_in_the_month(tmp_path):
    r = month(tmp_path, [
        order("A1", T(2026, 10, 1, 9), 100),
        order("A2", T(2026, 9, 30, 23, 59), 50),  # paid last month
        order("A3", None, 70, status="待付款"),  # unpaid
        order("A4", None, 30, method="货到付款", placed=T(2026, 10, 31, 20)),  # COD: counts by 下单时间
        order("A5", T(2026, 11, 1, 0, 0), 40),
    ])
    assert r.figures["orders"] == 2
    assert r.figures["sales"] == 13000


def test_sales_sum_lines_and_fall_back_to_quantity_times_price(tmp_path):
    rows = [order("A1", T(2026, 10, 1, 9), 100), order("A1", T(2026, 10, 1, 9), None, sku="SKU2", qty=2, price=19.99)]
    r = month(tmp_path, rows)
    assert (r.figures["orders"], r.figures["sales"]) == (1, 13998)


def test_line_without_any_amount_is_an_error_finding(tmp_path):
    rows = [order("A1", T(2026, 10, 1, 9), 100)]
    bad = order("A2", T(2026, 10, 2, 9), None)
    bad[9] = None  # no 单价 either
    r = month(tmp_path, rows + [bad])
    assert r.figures["sales"] == 10000
    found = r.findings[r.findings["code"] == "month-amount-missing"]
    assert list(found["cell"]) == ["K3"] and "A2" in found["message"].iloc[0]


def test_average_order_value_is_half_up_to_the_fen(tmp_path):
    r = month(tmp_path, [order("A1", T(2026, 10, 1, 9), 0.01), order("A2", T(2026, 10, 1, 9), 0.02)])
    assert r.figures["avg_order_value"] == 2  # 0.015 -> 0.02


# --- attribution ---------------------------------------------------------------------------------
def test_red_and_yellow_remarks_name_the_agent_unflagged_is_public(tmp_path):
    r = month(tmp_path, [
        order("A1", T(2026, 10, 1, 9), 100, "红", "小王:要顺丰"),
        order("A2", T(2026, 10, 1, 9), 60, "黄", "10/1 催付 小李"),
        order("A3", T(2026, 10, 1, 9), 10),
        order("A4", T(2026, 10, 1, 9), 20, "红", ""),  # red without a name
        order("A5", T(2026, 10, 1, 9), 30, "绿", "10/5 快递截单 小王"),  # only 红/黄 credit a 客服
    ])
    assert agents(r) == {"小王": 10000, "小李": 6000, job.PUBLIC: 6000}
    assert list(r.agents["客服"])[-1] == job.PUBLIC


def test_owner_column_overrides_the_remark(tmp_path):
    r = month(tmp_path, [order("A1", T(2026, 10, 1, 9), 100, "红", "小王:加急", owner="小李")])
    assert agents(r) == {"小李": 10000}
    assert set(r.shares["_basis"]) == {job.BY_OVERRIDE}


def test_promotion_day_orders_are_shared_to_the_fen_among_those_on_duty(tmp_path):
    promo = rules([D(2026, 10, 11)], [(D(2026, 10, 11), "小王、小李"), (D(2026, 10, 11), "小张")])
    r = month(tmp_path, [
        order("P1", T(2026, 10, 11, 10), 100.01, "红", "小王:送赠品"),  # remark does not matter on a promotion day
        order("P2", T(2026, 10, 11, 11), 0.02),
        order("A1", T(2026, 10, 12, 10), 5, "红", "小张:急"),
    ], promo)
    # P1: 10001 fen = 3333 × 3 + 2 -> 小王, 小李 get the extra fen; P2: 2 fen -> 小张, then 小王
    assert agents(r) == {"小王": 3334 + 1, "小李": 3334, "小张": 3333 + 1 + 500}
    assert sum(agents(r).values()) == r.figures["sales"]
    row = r.agents.set_index("客服").loc["小张"]
    assert row["订单数"] == pytest.approx(1 + 2 / 3, abs=1e-4)
    assert row["其中活动日分摊金额"] == 3334


def test_owner_overrides_promotion_sharing(tmp_path):
    promo = rules([D(2026, 10, 11)], [(D(2026, 10, 11), "小王、小李")])
    r = month(tmp_path, [order("P1", T(2026, 10, 11, 10), 100, owner="小李")], promo)
    assert agents(r) == {"小李": 10000}


def test_promotion_day_without_roster_stays_public_with_an_error(tmp_path):
    promo = rules([D(2026, 10, 11)], [(D(2026, 10, 12), "小王")])
    r = month(tmp_path, [order("P1", T(2026, 10, 11, 10), 100, "红", "小王:急")], promo)
    assert agents(r) == {job.PUBLIC: 10000}
    assert list(r.findings["code"]) == ["month-no-duty-roster"]


def test_daily_table_splits_each_day_per_agent(tmp_path):
    r = month(tmp_path, [order("A1", T(2026, 10, 1, 9), 100, "红", "小王:急"), order("A2", T(2026, 10, 3, 9), 20)])
    d = r.daily.set_index("日期")
    assert len(d) == 31
    assert d.loc["2026-10-01", "小王"] == 10000 and d.loc["2026-10-03", job.PUBLIC] == 2000
    assert d.loc["2026-10-01", "订单数"] == 1 and int(d["销售额"].sum()) == 12000


# --- refunds ----------------------------------------------------------------------------------------
RETURN_HEAD = ["登记日期", "订单号", "类型", "原因", "商品编码", "数量", "退款金额", "状态"]


def test_refund_rate_counts_month_orders_with_a_refund_not_refused(tmp_path):
    orders = [order(f"A{i}", T(2026, 10, 1, 9), 100) for i in range(1, 6)]
    returns = [RETURN_HEAD,
               [D(2026, 10, 5), "A1", "退货", "尺码不合适", "SKU1", 1, 100, "已退款"],
               [D(2026, 10, 5), "A2", "仅退款", "质量问题", "SKU1", 1, 20, "已退款"],
               [D(2026, 10, 5), "A2", "仅退款", "质量问题", "SKU1", 1, 5, "已退款"],
               [D(2026, 10, 5), "A3", "换货", "尺码不合适", "SKU1", 1, None, "已换货"],
               [D(2026, 10, 5), "A4", "退货", "不喜欢", "SKU1", 1, 100, "已拒绝"],
               [D(2026, 10, 5), "X9", "退货", "不喜欢", "SKU1", 1, 100, "已退款"]]  # not this month's order
    r = month(tmp_path, orders, returns=(RETURNS, returns))
    assert (r.figures["refund_orders"], r.figures["refund_amount"], r.figures["refund_rate"]) == (2, 12500, 0.4)


def test_returns_by_reason_and_item_use_the_registration_month(tmp_path):
    returns = [RETURN_HEAD,
               [D(2026, 10, 5), "A1", "退货", "尺码不合适", "SKU1", 2, 100, "已退款"],
               [D(2026, 10, 6), "A2", "换货", "尺码不合适", "SKU2", 1, None, "已换货"],
               [D(2026, 10, 7), "A3", "仅退款", None, "SKU1", None, 30, "已退款"],
               [D(2026, 9, 28), "A0", "退货", "质量问题", "SKU1", 1, 50, "已退款"]]  # last month's
    r = month(tmp_path, [order("A1", T(2026, 10, 1, 9), 100, qty=4)], returns=(RETURNS, returns))
    reasons = r.returns_by_reason.set_index("原因")
    assert list(reasons.index) == ["尺码不合适", figures.NO_REASON]
    assert reasons.loc["尺码不合适", ["退货", "换货", "合计单数", "件数", "退款金额"]].tolist() == [1, 1, 2, 3, 10000]
    assert reasons.loc["尺码不合适", "占比"] == pytest.approx(0.6667)
    items = r.returns_by_item.set_index("商品编码")
    assert items.loc["SKU1", ["退换件数", "退款金额", "本月销量"]].tolist() == [3, 13000, 4]
    assert items.loc["SKU1", "退换率"] == 0.75 and items.loc["SKU1", "商品名称"] == "文胸"


# --- on-time shipping ---------------------------------------------------------------------------------
SHIP_HEAD = ["发货日期", "订单号", "快递公司", "快递单号", "包装人"]


def test_on_time_rate_follows_the_cut_off(tmp_path):
    orders = [order("A1", T(2026, 10, 1, 15, 59), 10),  # before 16:00, shipped the same day: on time
              order("A2", T(2026, 10, 1, 16, 0), 10),  # after the cut-off, shipped next day: on time
              order("A3", T(2026, 10, 1, 9), 10),  # shipped next day: late
              order("A4", T(2026, 10, 2, 9), 10, status="待发货"),  # never shipped, overdue: late
              order("A5", T(2026, 10, 31, 17), 10, status="待发货"),  # not due yet (as of 31st 18:00)
              order("A6", T(2026, 10, 2, 9), 10, "蓝", "10/2 不要了 运费买家 小王", status="退款中"),  # blocked
              order("A7", T(2026, 10, 2, 9), 10, status="已完成")]  # done but no register row: unknown
    ship = [SHIP_HEAD, [D(2026, 10, 1), "A1", "中通", "773123456789", "老张"],
            [D(2026, 10, 2), "A2", "中通", "773123456790", "老张"],
            [D(2026, 10, 2), "A3", "中通", "773123456791", "老张"]]
    r = month(tmp_path, orders, shipping=(SHIPPING, ship))
    assert (r.figures["shipped_on_time"], r.figures["ship_due"], r.figures["on_time_rate"]) == (2, 4, 0.5)


def test_cut_off_comes_from_the_rules(tmp_path):
    from dataclasses import replace
    ship = [SHIP_HEAD, [D(2026, 10, 2), "A1", "中通", "773123456789", "老张"]]
    early = replace(DEFAULT_RULES, shipping_cutoff=dt.time(12, 0))
    r = month(tmp_path, [order("A1", T(2026, 10, 1, 13), 10)], early, shipping=(SHIPPING, ship))
    assert r.figures["on_time_rate"] == 1.0


# --- stock -----------------------------------------------------------------------------------------------
def test_stock_alerts_list_out_of_stock_then_low_with_a_suggestion(tmp_path):
    stock = [["商品编码", "商品名称", "库位", "账面数量", "实盘数量", "残次数量", "安全库存"],
             ["SKU1", "文胸", "A-01-01", 12, 8, 1, 10],  # sellable 7 < 10
             ["SKU2", "内裤", "A-01-02", 0, None, 0, None],  # out of stock
             ["SKU3", "睡衣", "A-01-03", 50, None, 0, 3]]
    r = month(tmp_path, [order("A1", T(2026, 10, 1, 9), 10, qty=15)], stock=(STOCK, stock))
    a = r.stock_alerts
    assert a[["状态", "商品编码", "可售数量", "本月销量", "建议补货"]].values.tolist() == [
        ["缺货", "SKU2", 0, 0, 0], ["补货预警", "SKU1", 7, 15, 8]]


# --- ROI, JSON ---------------------------------------------------------------------------------------------
def test_roi_is_sales_over_promotion_cost(tmp_path):
    inputs = job.MonthInputs(OCT, DEFAULT_RULES, AS_OF,
                             orders=table(tmp_path, ORDERS, [ORDER_HEAD, order("A1", T(2026, 10, 1, 9), 1000)]),
                             promotion_cost=30000)
    r = job.compute_month(inputs)
    assert r.figures["roi"] == 3.33
    data = job.report_json(r)
    assert data["figures"]["sales"] == "1000.00" and data["figures"]["promotion_cost"] == "300.00"
    assert data["agents"][0]["sales"] == "1000.00"


def test_missing_sections_give_no_figures(tmp_path):
    r = month(tmp_path, [order("A1", T(2026, 10, 1, 9), 10)])
    assert r.figures["refund_rate"] is None and r.figures["on_time_rate"] is None
    assert r.figures["courier_overcharge"] is None and r.figures["payroll_gross"] is None
    assert r.returns_by_reason is None and r.stock_alerts is None


# --- end to end: folder, workbook, CLI ------------------------------------------------------------------------
def month_folder(folder: Path, *, previous: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    orders = [ORDER_HEAD,
              order("A1", T(2026, 10, 1, 9), 100, "红", "小王:要顺丰"),
              order("A2", T(2026, 10, 1, 17), 60, "黄", "10/1 催付 小李"),
              order("A3", T(2026, 10, 2, 10), 100),
              order("A4", T(2026, 10, 11, 10), 100.01)]
    ship = [SHIP_HEAD + ["重量", "省"],
            [D(2026, 10, 1), "A1", "顺丰", "SF1234567890123", "老张", 0.5, "浙江"],
            [D(2026, 10, 2), "A2", "中通", "773123456789", "老张", 0.5, "浙江"],
            [D(2026, 10, 3), "A3", "中通", "773123456790", "老张", 0.5, "浙江"]]
    returns = [RETURN_HEAD, [D(2026, 10, 5), "A1", "退货", "尺码不合适", "SKU1", 1, 100, "已退款"]]
    stock = [["商品编码", "商品名称", "库位", "账面数量", "安全库存"], ["SKU1", "文胸", "A-01-01", 2, 10]]
    # the file names say nothing: sheets are found by their names and headers
    write_book(folder / "ledger.xlsx", {"订单": orders, "发货": ship, "退换货": returns, "库存": stock})
    write_book(folder / "rules.xlsx", {"参数": [["参数", "值"], ["推广费用", 120]],
                                       "活动日": [["日期"], [D(2026, 10, 11)]],
                                       "排班": [["日期", "客服"], [D(2026, 10, 11), "小王、小李"]]})
    bill = [["快递单号", "寄件日期", "目的省份", "计费重量", "运费"],
            ["773123456789", D(2026, 10, 2), "浙江", 1.5, 9], ["773123456790", D(2026, 10, 3), "浙江", 0.5, 5],
            ["999999999999", D(2026, 10, 3), "浙江", 0.5, 5]]
    write_book(folder / "zto.xlsx", {"中通": bill, "中通2": bill[:1] + [["773123456791", D(2026, 10, 4), "浙江", 1, 6]]})
    if previous:
        last = folder / "上月"
        last.mkdir(exist_ok=True)
        write_book(last / "old.xlsx", {"订单": [ORDER_HEAD, order("S1", T(2026, 9, 3, 9), 80, "红", "小王:急"),
                                               order("S2", T(2026, 9, 4, 9), 20)]})
    return folder


def run_cli(*args):
    from shopbook.cli import main
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_month_command_end_to_end(tmp_path):
    folder = month_folder(tmp_path / "10月")
    out = tmp_path / "月报.xlsx"
    result = run_cli("month", "--month", "2026-10", "--in", str(folder), "-o", str(out), "--as-of", "2026-10-31 18:00",
                     "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    f = data["figures"]
    assert (f["orders"], f["sales"], f["refund_orders"], f["promotion_cost"]) == (4, "360.01", 1, "120.00")
    assert f["courier_bill"] == "25.00" and f["payroll_gross"] is None
    assert data["previous"]["orders"] == 2 and data["previous"]["sales"] == "100.00"
    by_name = {a["name"]: a for a in data["agents"]}
    assert by_name["小王"]["sales"] == "150.01" and by_name["小王"]["previous_sales"] == "80.00"
    assert by_name["小李"]["sales"] == "110.00"
    assert [x["code"] for x in data["findings"]] == ["month-section-missing"] * 2  # no payroll, no 评价 register
    assert {s["what"] for s in data["sources"]} >= {"订单表", "发货表", "快递账单", "规则"}

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["概览", "客服业绩", "客服日报", "退换货分析", "库存预警", "快递对账"]
    for ws in wb.worksheets:  # every figure is a stored value
        assert not any(isinstance(c.value, str) and c.value.startswith("=") for row in ws.iter_rows() for c in row)
    overview = wb["概览"]
    assert overview.freeze_panes == "B5"
    labels = {overview.cell(r, 1).value: r for r in range(5, 21)}
    assert overview.cell(labels["销售额"], 2).value == 360.01
    assert overview.cell(labels["销售额"], 2).number_format == "#,##0.00"
    assert overview.cell(labels["销售额"], 3).value == 100.0  # last month
    assert overview.cell(labels["退款率"], 2).number_format == "0.00%"
    assert wb["客服业绩"].freeze_panes == "B2" and wb["客服业绩"]["A1"].value == "客服"
    assert wb["快递对账"]["A2"].value == "中通" and wb["快递对账"]["B2"].value == 4  # both courier sheets
    with zipfile.ZipFile(out) as z:
        assert len([n for n in z.namelist() if n.startswith("xl/charts/chart")]) == 5


def test_text_report_and_promotion_cost_option(tmp_path):
    folder = month_folder(tmp_path / "m", previous=False)
    result = run_cli("month", "--month", "2026-10", "--in", str(folder), "-o", str(tmp_path / "o.xlsx"),
                     "--promotion-cost", "3600.03", "--as-of", "2026-10-31 18:00")
    assert result.exit_code == 0
    assert "ROI: 0.10" in result.output and "推广费用: 3600.03" in result.output
    assert "工资汇总" in result.output


def test_exit_1_when_the_manager_must_act(tmp_path):
    folder = month_folder(tmp_path / "m", previous=False)
    (folder / "broken.xlsx").write_bytes(b"PK not a zip")
    result = run_cli("month", "--month", "2026-10", "--in", str(folder), "-o", str(tmp_path / "o.xlsx"), "--json")
    assert result.exit_code == 1
    assert "month-section-unusable" in {x["code"] for x in json.loads(result.output)["findings"]}


def test_exit_2_for_no_folder_or_no_orders(tmp_path):
    result = run_cli("month", "--month", "2026-10", "--in", str(tmp_path / "nope"))
    assert result.exit_code == 2 and "文件夹不存在" in result.output
    (tmp_path / "empty").mkdir()
    result = run_cli("month", "--month", "2026-10", "--in", str(tmp_path / "empty"))
    assert result.exit_code == 2 and "找不到订单表" in result.output
    result = run_cli("month", "--month", "2026-13", "--in", str(tmp_path / "empty"))
    assert result.exit_code == 2


def test_payroll_section_from_a_payroll_workbook(tmp_path):
    folder = month_folder(tmp_path / "m", previous=False)
    write_book(folder / "pay.xlsx", {
        "员工": [["工号", "姓名", "岗位", "底薪", "身份证号", "银行账号"],
                ["E1", "陈一", "视觉编辑", 5000, "11010519491231002X", "6222020023757000007"],
                ["E2", "林二", "文案编辑", 3200, "11010519491231002X", "6222020023757000007"]],
        "考勤": [["工号", "应出勤天数", "实出勤天数"], ["E1", 20, 20], ["E2", 20, 10]]})
    from shopbook.monthly.run import run_month
    run = run_month(folder, OCT, None, AS_OF, output=tmp_path / "o.xlsx")
    p = run.report.payroll
    assert p["姓名"].tolist() == ["陈一", "林二"]
    assert p["应发工资"].tolist() == [500000, 160000]
    assert run.report.figures["payroll_gross"] == 660000
    assert "工资汇总" in openpyxl.load_workbook(tmp_path / "o.xlsx").sheetnames


def test_promotion_cost_sheet_by_month(tmp_path):
    from shopbook.monthly.job import promotion_cost
    from dataclasses import replace
    import pandas as pd
    frame = pd.DataFrame([["2026-09", 100], ["2026-10", "1,234.5"]], columns=["月份", "推广费用"], dtype=object)
    assert promotion_cost(replace(DEFAULT_RULES, tables={"推广费用": frame}), OCT) == 123450
    assert promotion_cost(DEFAULT_RULES, OCT) is None


def test_sheet_without_payment_time_is_dated_by_order_time(tmp_path):
    head = ["订单号", "下单时间", "收件人", "手机", "详细地址", "商品编码", "数量", "实付金额", "状态"]
    rows = [head, ["A1", T(2026, 10, 3, 9), "张三", "13812345678", "浙江省杭州市文三路1号", "SKU1", 1, 10, "已发货"],
            ["A2", T(2026, 10, 3, 9), "张三", "13812345678", "浙江省杭州市文三路1号", "SKU1", 1, 20, "待付款"]]
    inputs = job.MonthInputs(OCT, DEFAULT_RULES, AS_OF, orders=table(tmp_path, ORDERS, rows))
    assert job.compute_month(inputs).figures["sales"] == 1000


def test_previous_option_names_last_months_folder(tmp_path):
    folder = month_folder(tmp_path / "m", previous=False)
    last = tmp_path / "九月"
    last.mkdir()
    write_book(last / "x.xlsx", {"订单": [ORDER_HEAD, order("S1", T(2026, 9, 3, 9), 50)]})
    result = run_cli("month", "--month", "2026-10", "--in", str(folder), "--previous", str(last),
                     "-o", str(tmp_path / "o.xlsx"), "--json")
    assert json.loads(result.output)["previous"]["sales"] == "50.00"
    result = run_cli("month", "--month", "2026-10", "--in", str(folder), "--previous", str(tmp_path / "无"))
    assert result.exit_code == 2


def test_demo_step_writes_the_month(tmp_path):
    from shopbook.demo import DEMO_AS_OF, demo_dir, month_step
    src = demo_dir()
    if not (src / "台账.xlsx").exists():
        pytest.skip("demo data not built")
    lines = []
    month_step(src, tmp_path, src / "规则.xlsx", DEMO_AS_OF, lines.append)
    assert (tmp_path / "月报-2026-10.xlsx").exists() and lines[0].startswith("月报 2026-10")


def test_a_month_with_nothing_of_it_is_unusable_input(tmp_path):
    """--month 2026-08 on October's folder: no figure of another month is shown as August's."""
    folder = month_folder(tmp_path / "m", previous=False)
    result = run_cli("month", "--month", "2026-08", "--in", str(folder), "-o", str(tmp_path / "o.xlsx"), "--json")
    assert result.exit_code == 2 and not (tmp_path / "o.xlsx").exists()
    message = result.stderr.strip()
    assert "没有 2026-08 的数据(订单表的付款时间在 2026-10-01 至 2026-10-11" in message
    assert "快递账单 zto.xlsx「中通」 是 2026-10 的" in message and "请检查月份是否写对" in message


def _stamped_payroll(folder: Path, year: int, month: int) -> None:
    """A payroll workbook whose 个税累计 is stamped with the month before the one it is for."""
    write_book(folder / "pay.xlsx", {
        "员工": [["工号", "姓名", "岗位", "底薪", "身份证号", "银行账号"],
                ["E1", "陈一", "视觉编辑", 5000, "11010519491231002X", "6222020023757000007"]],
        "考勤": [["工号", "应出勤天数", "实出勤天数"], ["E1", 20, 20]],
        "个税累计": [["工号", "累计月数", "累计收入", "累计专项扣除", "累计专项附加扣除", "累计已预扣税额", "年份", "截至月份"],
                 ["E1", month, 5000 * month, 0, 0, 0, year, month]]})


def test_a_month_without_orders_but_with_its_payroll_is_an_error_finding(tmp_path):
    folder = month_folder(tmp_path / "m", previous=False)
    _stamped_payroll(folder, 2026, 10)  # for 2026-11
    result = run_cli("month", "--month", "2026-11", "--in", str(folder), "-o", str(tmp_path / "o.xlsx"), "--json",
                     "--as-of", "2026-12-01")
    data = json.loads(result.output)
    assert result.exit_code == 1 and data["figures"]["orders"] == 0 and data["agents"] == []
    codes = [(x["code"], x["severity"]) for x in data["findings"]]
    assert ("month-no-orders", "error") in codes
    # October's bill is not November's: left out and said, no 快递对账 figure
    assert data["figures"]["courier_bill"] is None and data["figures"]["payroll_gross"] == "5000.00"
    other = [x["message"] for x in data["findings"] if x["code"] == "month-input-other-month"]
    assert other == ["快递账单 zto.xlsx「中通」 是 2026-10 的数据,不是 2026-11 的,没有计入月报,月报不含「快递对账」。"
                     "请把 2026-11 的快递账单放进文件夹。",
                     "快递账单 zto.xlsx「中通2」 是 2026-10 的数据,不是 2026-11 的,没有计入月报,月报不含「快递对账」。"
                     "请把 2026-11 的快递账单放进文件夹。"]
    assert openpyxl.load_workbook(tmp_path / "o.xlsx")["客服日报"].max_row == 32  # header, 30 days, 合计


def test_a_payroll_workbook_of_another_month_is_left_out(tmp_path):
    folder = month_folder(tmp_path / "m", previous=False)
    _stamped_payroll(folder, 2026, 10)  # November's workbook in October's folder
    data = json.loads(run_cli("month", "--month", "2026-10", "--in", str(folder), "-o", str(tmp_path / "o.xlsx"),
                              "--json", "--as-of", "2026-10-31 18:00").output)
    assert data["figures"]["payroll_gross"] is None
    notes = [x for x in data["findings"] if x["code"] == "month-input-other-month"]
    assert [x["value"] for x in notes] == [None] and "工资工作簿(员工表) pay.xlsx 是 2026-11 的数据" in notes[0]["message"]


def test_a_previous_folder_of_another_month_gives_no_comparison(tmp_path):
    folder = month_folder(tmp_path / "m", previous=False)
    last = tmp_path / "八月"
    last.mkdir()
    write_book(last / "x.xlsx", {"订单": [ORDER_HEAD, order("S1", T(2026, 8, 3, 9), 50)]})
    data = json.loads(run_cli("month", "--month", "2026-10", "--in", str(folder), "--previous", str(last),
                              "-o", str(tmp_path / "o.xlsx"), "--json", "--as-of", "2026-10-31 18:00").output)
    assert data["previous"] is None
    note = next(x for x in data["findings"] if x["code"] == "month-previous-empty")
    assert "上月文件夹 八月 中没有 2026-09 的订单(订单表的付款时间在 2026-08-03 至 2026-08-03)" in note["message"]


def test_a_past_month_is_seen_from_its_end_without_as_of(tmp_path):
    """Without --as-of the on-time rate of a month that is over does not depend on today."""
    folder = tmp_path / "2020-03"
    folder.mkdir()
    orders = [ORDER_HEAD, order("A1", T(2020, 3, 2, 9), 10), order("A2", T(2020, 3, 31, 10), 10, status="待发货")]
    ship = [SHIP_HEAD, [D(2020, 3, 2), "A1", "中通", "773123456789", "老张"]]
    write_book(folder / "ledger.xlsx", {"订单": orders, "发货": ship})
    data = json.loads(run_cli("month", "--month", "2020-03", "--in", str(folder), "-o", str(tmp_path / "o.xlsx"),
                              "--json").output)
    # A2's deadline (31 March) had not passed by the month's end: not yet due, so not late
    f = data["figures"]
    assert (f["shipped_on_time"], f["ship_due"], f["on_time_rate"]) == (1, 1, 1.0)
    assert figures.default_as_of(D(2020, 3, 1), T(2026, 1, 1)) == T(2020, 3, 31, 23, 59, 59)
    assert figures.default_as_of(D(2026, 10, 1), T(2026, 10, 5, 12)) == T(2026, 10, 5, 12)


def test_order_lines_without_order_number_count_as_orders_of_their_own(tmp_path):
    rows = [order(None, T(2026, 10, 1, 9), 10), order(None, T(2026, 10, 1, 9), 20), order("A1", T(2026, 10, 1, 9), 5)]
    r = month(tmp_path, rows)
    assert (r.figures["orders"], r.figures["sales"]) == (3, 3500)


def test_several_order_sheets_use_the_named_one_and_say_so(tmp_path):
    from shopbook.monthly.run import load_month
    folder = month_folder(tmp_path / "m", previous=False)
    write_book(folder / "b.xlsx", {"订单明细": [ORDER_HEAD, order("Z1", T(2026, 10, 1, 9), 1)]})
    loaded = load_month(folder, OCT, None, AS_OF)
    notes = loaded.findings[loaded.findings["code"] == "month-several-sources"]
    assert len(notes) == 1 and notes["message"].iloc[0].endswith("月报使用 ledger.xlsx「订单」。")
    assert loaded.inputs.orders.sheet == "订单"


def test_workbook_words_counts_and_changes_read_as_the_manager_expects(tmp_path, monkeypatch):
    import re

    folder = month_folder(tmp_path / "10月")
    write_book(folder / "上月" / "old.xlsx", {
        "订单": [ORDER_HEAD, order("S1", T(2026, 9, 3, 9), 80, "红", "小王:急"), order("S2", T(2026, 9, 4, 9), 20)],
        "退换货": [RETURN_HEAD, [D(2026, 9, 6), "S1", "退货", "尺码不合适", "SKU1", 1, 80, "已退款"]]})
    monkeypatch.chdir(folder)  # `--in .`: the folder still has a name in the subtitle
    result = run_cli("month", "--month", "2026-10", "--in", ".", "-o", str(tmp_path / "o.xlsx"),
                     "--as-of", "2026-10-31 18:00")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(tmp_path / "o.xlsx")
    overview = wb["概览"]
    assert "数据文件夹「10月」" in overview["A2"].value and "上月数据取自「10月/上月」" in overview["A2"].value
    labels = {overview.cell(r, 1).value: r for r in range(5, 21)}
    change = overview.cell(labels["退款率"], 4)  # 25% this month, 50% last month
    assert change.value == -25 and "个百分点" in change.number_format
    agents = wb["客服业绩"]
    counts = {agents.cell(r, 1).value: agents.cell(r, 2) for r in range(2, agents.max_row + 1)}
    assert counts["小李"].value == 1.5 and counts["小李"].number_format == "#,##0.00"  # half of a shared order
    assert counts["公共订单"].value == 1 and counts["公共订单"].number_format == "#,##0"
    assert counts["合计"].number_format == "#,##0"
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if re.search(r"--[a-z]", t)]  # no command-line option names


def test_page_headers_print_the_as_of_date_as_text(tmp_path):
    # Excel's &D field prints in the viewer's locale (10/31/2026): the header holds the date itself
    folder = month_folder(tmp_path / "m", previous=False)
    run_cli("month", "--month", "2026-10", "--in", str(folder), "-o", str(tmp_path / "o.xlsx"),
            "--as-of", "2026-10-31 18:00")
    wb = openpyxl.load_workbook(tmp_path / "o.xlsx")
    assert [ws.oddHeader.right.text for ws in wb.worksheets] == ["2026-10-31"] * len(wb.worksheets)


def test_results_left_in_the_month_folder_change_nothing(tmp_path):
    """Every workbook shopbook writes is marked as its own and skipped, whatever its name;
    so are the backups of --in-place."""
    import shutil
    folder = month_folder(tmp_path / "10月", previous=False)
    args = ["month", "--month", "2026-10", "--in", str(folder), "-o", str(tmp_path / "o.xlsx"),
            "--as-of", "2026-10-31 18:00", "--json"]
    before = json.loads(run_cli(*args).output)
    ledger, as_of = str(folder / "ledger.xlsx"), ["--as-of", "2026-10-31 18:00"]
    run_cli("reconcile", str(folder / "zto.xlsx"), ledger, "-o", str(folder / "a.xlsx"), *as_of)
    run_cli("validate", ledger, "-o", str(folder / "b.xlsx"), *as_of)
    run_cli("picklist", ledger, "-o", str(folder / "c.xlsx"), *as_of)
    run_cli("month", "--month", "2026-10", "--in", str(folder), "-o", str(folder / "d.xlsx"), *as_of)
    shutil.copy(folder / "zto.xlsx", folder / "zto.备份-20261031-093000.xlsx")
    shutil.copy(folder / "ledger.xlsx", folder / "ledger.备份-20261031-093000.xlsx")
    after = json.loads(run_cli(*args).output)
    assert after["figures"] == before["figures"]
    assert after["findings"] == before["findings"] and after["sources"] == before["sources"]


def test_platform_order_list_and_item_list_are_joined_for_the_month(tmp_path):
    """淘宝 ExportOrderList + ExportOrderDetailList in the month folder: one order table, each order's
    payment shared over its lines (the sales add up to what the buyers paid, once per order)."""
    import shutil
    fixtures = Path(__file__).parent / "fixtures" / "formats" / "taobao"
    folder = tmp_path / "10月"
    folder.mkdir()
    for name in ("ExportOrderList202610101800.csv", "ExportOrderDetailList202610101800.csv"):
        shutil.copy(fixtures / name, folder / name)
    result = run_cli("month", "--month", "2026-10", "--in", str(folder), "-o", str(tmp_path / "o.xlsx"),
                     "--as-of", "2026-10-31 18:00", "--json")
    data = json.loads(result.output)
    assert (data["figures"]["orders"], data["figures"]["sales"]) == (7, "552.00")
    assert "ExportOrderList" in data["sources"][0]["file"] and "ExportOrderDetailList" in data["sources"][0]["file"]


def test_the_folder_reads_xlsx_as_text_with_the_general_readers_values(tmp_path):
    """The month reads an .xlsx of its folder once, as text (fastexcel): an order's later lines
    without 付款时间 take its first line's, an order number stored as a number, amounts typed as
    text and a 合计 row give the same figures and attribution as the general reader."""
    from shopbook.monthly.run import load_month

    rows = [ORDER_HEAD,
            order(380000000000001, T(2026, 10, 1, 9), 100, "红", "小王:要顺丰"),
            order(380000000000001, None, "59.90", sku="SKU2")[:2] + [None] + order(
                380000000000001, None, "59.90", sku="SKU2")[3:],
            order("A2", T(2026, 10, 2, 10), "¥1,200.50", "黄", "10/2 小李"),
            ["合计"] + [None] * (len(ORDER_HEAD) - 2) + [None]]
    rows[2][1] = None  # 下单时间 too: only on the order's first line
    folder = tmp_path / "10月"
    folder.mkdir()
    write_book(folder / "ledger.xlsx", {"订单": rows})
    loaded = load_month(folder, OCT, None, AS_OF)
    text = job.compute_month(loaded.inputs)
    general = month(tmp_path, rows[1:])
    assert text.figures == general.figures
    assert text.figures["orders"] == 2 and text.figures["sales"] == 10000 + 5990 + 120050
    assert agents(text) == agents(general) == {"小王": 15990, "小李": 120050}


# --- 好评改善 (issue 16 item 4) -----------------------------------------------------------------
REVIEW_HEAD = ["订单号", "评价日期", "评价类型", "责任客服", "状态", "改好日期"]


def test_review_improvement_per_agent(tmp_path):
    """差评数 (差评 of the month), 差评改好数 (中/差评 turned good in the month, each review once) and
    改善率 = 改好 ÷ 差评, as today and payroll count them; nobody without either is listed."""
    from shopbook.sheets.reviews import REVIEWS

    reviews = [REVIEW_HEAD,
               ["R1", T(2026, 10, 2, 9), "差评", "吴思琪", "已改好", D(2026, 10, 4)],
               ["R1", T(2026, 10, 2, 9), "差评", "吴思琪", "已改好", D(2026, 10, 4)],  # entered twice: once
               ["R2", T(2026, 10, 3, 9), "差评", "吴思琪", "跟进中", None],
               ["R3", T(2026, 9, 28, 9), "中评", "郑凯文", "已改好", D(2026, 10, 1)],  # last month's, turned now
               ["R4", T(2026, 10, 5, 9), "差评", "郑凯文", "待联系", None],
               ["R5", T(2026, 9, 5, 9), "差评", "周敏", "已改好", D(2026, 9, 8)],  # all of last month
               ["R6", T(2026, 10, 6, 9), "好评", None, None, None]]
    r = month(tmp_path, [order("A1", T(2026, 10, 1, 9), 100)], reviews=(REVIEWS, reviews))
    assert r.reviews.to_dict("records") == [
        {"客服": "吴思琪", "差评数": 2, "差评改好数": 1, "改善率": 0.5},
        {"客服": "郑凯文", "差评数": 1, "差评改好数": 1, "改善率": 1.0}]
    assert job.report_json(r)["reviews"][0] == {"name": "吴思琪", "bad_reviews": 2, "turned_good": 1,
                                                "improvement_rate": 0.5}
    assert r.sections["评价"] is True
    assert month(tmp_path, [order("A1", T(2026, 10, 1, 9), 100)]).reviews is None


def test_month_folder_reads_the_review_register(tmp_path):
    """The 客服 workbook in the month's folder gives 客服业绩 its 好评改善 table (sheet, JSON, report);
    a 评价 register never takes a sheet from the month's other kinds."""
    folder = month_folder(tmp_path / "10月", previous=False)
    write_book(folder / "客服.xlsx", {"评价": [REVIEW_HEAD, ["A1", T(2026, 10, 2, 9), "差评", "吴思琪", "已改好", D(2026, 10, 4)],
                                             ["A3", T(2026, 10, 3, 9), "差评", "吴思琪", "跟进中", None]]})
    out = tmp_path / "月报.xlsx"
    result = run_cli("month", "--month", "2026-10", "--in", str(folder), "-o", str(out), "--as-of", "2026-10-31 18:00",
                     "--json")
    data = json.loads(result.output)
    assert data["reviews"] == [{"name": "吴思琪", "bad_reviews": 2, "turned_good": 1, "improvement_rate": 0.5}]
    assert {"what": "评价登记表", "file": "客服.xlsx「评价」"} in data["sources"]
    assert data["figures"]["orders"] == 4 and data["sections"]["评价"] is True
    ws = openpyxl.load_workbook(out)["客服业绩"]
    cells = [[c.value for c in row] for row in ws.iter_rows(max_col=4)]
    at = next(i for i, row in enumerate(cells) if row[0] == "好评改善(评价登记表)")
    assert cells[at + 1] == ["客服", "差评数", "差评改好数", "改善率"]
    assert cells[at + 2] == ["吴思琪", 2, 1, 0.5] and cells[at + 3] == ["合计", 2, 1, 0.5]
    text = run_cli("month", "--month", "2026-10", "--in", str(folder), "-o", str(out), "--as-of", "2026-10-31 18:00")
    assert "好评改善:\n  吴思琪: 差评 2,改好 1,改善率 50.00%" in text.output


def test_compute_has_the_job_shape(tmp_path):
    """job.compute(tables, rules, as_of) -> (report, findings), the rules and as-of given apply."""
    inputs = job.MonthInputs(OCT, DEFAULT_RULES, T(2026, 10, 1),
                             orders=table(tmp_path, ORDERS, [ORDER_HEAD, order("A1", T(2026, 10, 11, 9), 100)]))
    report, findings = job.compute(inputs, rules(promotion_days=[D(2026, 10, 11)]), AS_OF)
    assert report.figures["orders"] == 1 and list(findings["code"]) == ["month-no-duty-roster"]


@pytest.mark.parametrize("state", ["已拒绝", "买家取消", "已撤销", "平台驳回"])
def test_refund_undone_by_any_of_the_rules_words(tmp_path, state):
    """A 退换货 状态 with one of shopbook.rules.words.UNDONE_WORDS is no refund."""
    from shopbook.rules.words import UNDONE_WORDS

    assert any(w in state for w in UNDONE_WORDS)
    returns = [RETURN_HEAD, [D(2026, 10, 5), "A1", "退货", "不喜欢", "SKU1", 1, 100, state]]
    r = month(tmp_path, [order("A1", T(2026, 10, 1, 9), 100)], returns=(RETURNS, returns))
    assert (r.figures["refund_orders"], r.figures["refund_amount"]) == (0, 0)
