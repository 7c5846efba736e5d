"""快递对账 (SPEC §Courier reconciliation): categories, precedence, amounts, the price formula,
tolerances, bill formats and the result workbook, on small inline workbooks.

Prices are the built-in table unless a test gives a rules workbook: 中通 江浙沪 首重 1 kg 3.00 +
1.00 per kg, 中通 广东 (一区) 4.00 + 2.00 per kg, 极兔 江浙沪 2.60 + 0.50 per 0.5 kg, 顺丰 广东
15.00 + 5.00 per kg with 抛比 6000.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from shopbook.courier import job
from shopbook.courier.lists import mask_phone
from shopbook.courier.run import run_reconcile
from shopbook.core.errors import UnusableInput

from conftest import write_book

AS_OF = dt.datetime(2026, 11, 5, 9, 0)
D = dt.date(2026, 10, 5)
REG_HEADER = ["发货日期", "订单号", "快递公司", "快递单号", "重量(kg)", "件数", "收件人", "手机", "省", "地址", "状态",
              "保价金额"]
BILL_HEADER = ["快递单号", "寄件日期", "目的省份", "计费重量", "运费", "快递公司"]


def parcel(waybill, weight=1.0, province="广东省", state="正常", courier="中通", date=D, insured=None, pieces=None,
           phone="13812345678"):
    return [date, f"O-{waybill}", courier, waybill, weight, pieces, "张三", phone, province, "广州市天河路1号",
            state, insured]


def line(waybill, weight=1.0, fee=4.00, province="广东", courier="中通", date=D):
    return [waybill, date, province, weight, fee, courier]


@pytest.fixture
def recon(tmp_path):
    """Reconcile inline bill rows against inline register rows; returns the ReconcileResult."""
    counter = {"n": 0}

    def run(bill_rows, register_rows, *, rules=None, output=None, full=False, bill_header=BILL_HEADER,
            reg_header=REG_HEADER):
        counter["n"] += 1
        n = counter["n"]
        bill = write_book(tmp_path / f"bill{n}.xlsx", {"账单": [bill_header, *bill_rows]})
        reg = write_book(tmp_path / f"reg{n}.xlsx", {"发货": [reg_header, *register_rows]})
        rules_path = write_book(tmp_path / f"rules{n}.xlsx", rules) if rules else None
        return run_reconcile(bill, reg, rules_path, AS_OF, output=output, full=full)
    return run


def cats(res) -> list[str]:
    return list(res.result.lines["category"].astype(str))


def by_waybill(res) -> dict:
    lines = res.result.lines
    return {w: r for w, r in zip(lines["waybill"], lines.astype(object).to_dict("records"))}


def amounts(res) -> list:
    return [None if v is None or v is np.nan or str(v) == "<NA>" else int(v)
            for v in res.result.lines["amount"].astype(object)]


# --- the price formula ------------------------------------------------------------------
@pytest.mark.parametrize("grams, fen", [
    (1, 400), (999, 400), (1000, 400),            # up to and exactly 首重: 首重价格
    (1001, 600), (1999, 600), (2000, 600),        # just above: one 续重 step
    (2001, 800), (3000, 800), (3500, 1000), (10000, 2200),  # several steps
])
def test_fee_formula_one_kg_steps(grams, fen):
    assert int(job.fee_for_weight(grams, 1000, 400, 1000, 200)) == fen


@pytest.mark.parametrize("grams, fen", [
    (1000, 260), (1001, 310), (1500, 310), (1501, 360), (2000, 360), (2001, 410), (3000, 460),
])
def test_fee_formula_half_kg_steps(grams, fen):
    assert int(job.fee_for_weight(grams, 1000, 260, 500, 50)) == fen


def test_fee_formula_vectorised():
    fees = job.fee_for_weight(np.array([500, 1000, 1001, 2500]), 1000, 300, 1000, 100)
    assert list(fees) == [300, 300, 400, 500]


def test_price_steps_through_files(recon):
    """Bill weights at the step edges, each charged what the table says: every line matches."""
    bill = [line("A1", 1.0, 4.00), line("A2", 1.01, 6.00), line("A3", 3.0, 8.00), line("A4", 3.2, 10.00),
            line("J1", 1.0, 2.60, "浙江", "极兔"), line("J2", 1.5, 3.10, "浙江", "极兔"),
            line("J3", 1.6, 3.60, "浙江", "极兔")]
    reg = [parcel("A1", 1.0), parcel("A2", 1.01), parcel("A3", 3.0), parcel("A4", 3.2),
           parcel("J1", 1.0, "浙江省", courier="极兔"), parcel("J2", 1.5, "浙江省", courier="极兔"),
           parcel("J3", 1.6, "浙江省", courier="极兔")]
    res = recon(bill, reg)
    assert cats(res) == ["match"] * 7
    assert res.exit_code == 0
    assert list(res.result.lines["expected_fee"].astype(int)) == [400, 600, 800, 1000, 260, 310, 360]


# --- every category, its amount -------------------------------------------------------------
def test_every_category_and_amount(recon):
    bill = [line("M1"), line("D1"), line("D1"), line("X1"), line("C1"), line("C2"), line("U1"),
            line("W1", 2.5, 8.00), line("F1", 1.0, 5.00), line("F2", 1.0, 3.50)]
    reg = [parcel("M1"), parcel("D1"), parcel("C1", state="丢件"), parcel("C2", state="破损", insured=200),
           parcel("U1", state="无法送达"), parcel("W1", 1.0), parcel("F1"), parcel("F2"), parcel("NB")]
    res = recon(bill, reg)
    assert cats(res) == ["match", "match", "duplicate", "not-shipped", "claim", "claim", "undelivered",
                         "overweight", "fee-mismatch", "fee-mismatch"]
    # duplicate, not-shipped: billed fee; claim: fee × 3 or 保价; undelivered: fee;
    # overweight: billed − fee at shop weight; fee-mismatch: billed − table fee (negative = undercharge)
    assert amounts(res) == [0, 0, 400, 400, 1200, 20000, 400, 400, 100, -50]
    nb = res.result.not_billed
    assert list(nb["waybill"]) == ["NB"]
    s = res.result.summary
    assert s["bill_total"] == 400 * 7 + 800 + 500 + 350
    assert s["overcharge_total"] == 400 + 400 + 400 + 100 - 50
    assert s["claims_total"] == 21200
    assert s["offsets_total"] == 400
    assert s["net_payable"] == s["bill_total"] - s["overcharge_total"] - s["claims_total"] - s["offsets_total"]
    assert s["counts"] == {"match": 2, "not-shipped": 1, "duplicate": 1, "overweight": 1, "fee-mismatch": 2,
                           "claim": 2, "undelivered": 1, "not-billed": 1}
    assert res.exit_code == 1
    w = by_waybill(res)
    assert w["W1"]["expected_fee"] == 400 and w["F1"]["expected_fee"] == 400 and w["F2"]["expected_fee"] == 400


def test_claim_multiple_from_rules(recon):
    rules = {"参数": [["参数", "值"], ["丢件赔付倍数", 2.5]]}
    res = recon([line("C1", fee=4.33)], [parcel("C1", state="丢件")], rules=rules)
    assert cats(res) == ["claim"]
    assert amounts(res) == [1083]  # 4.33 × 2.5 = 10.825 -> 10.83 half-up


# --- precedence -----------------------------------------------------------------------------
def test_duplicate_beats_not_shipped_and_claim(recon):
    bill = [line("X1"), line("X1"), line("C1"), line("C1")]
    res = recon(bill, [parcel("C1", state="丢件")])
    assert cats(res) == ["not-shipped", "duplicate", "claim", "duplicate"]
    assert amounts(res) == [400, 400, 1200, 400]


def test_claim_beats_undelivered_and_overweight(recon):
    # two parcels of one waybill, one lost, one undelivered: claim wins; billed far too heavy
    bill = [line("C1", 5.0, 12.00), line("U1", 5.0, 12.00)]
    reg = [parcel("C1", 0.5, state="丢件", pieces=2), parcel("C1", 0.5, state="无法送达", pieces=2),
           parcel("U1", 1.0, state="无法送达")]
    res = recon(bill, reg)
    assert cats(res) == ["claim", "undelivered"]
    assert amounts(res) == [3600, 1200]


def test_overweight_beats_fee_mismatch(recon):
    # billed 3 kg (table 8.00) at 9.00: both overweight and fee-mismatch apply; overweight wins
    res = recon([line("W1", 3.0, 9.00)], [parcel("W1", 1.0)])
    assert cats(res) == ["overweight"]
    assert amounts(res) == [500]


def test_not_shipped_beats_everything_but_duplicate(recon):
    res = recon([line("X1", 9.0, 99.00)], [parcel("OTHER")])
    assert cats(res) == ["not-shipped"]
    assert amounts(res) == [9900]


# --- tolerances -----------------------------------------------------------------------------
def test_weight_tolerance_edge(recon):
    bill = [line("T1", 1.2, 6.00), line("T2", 1.21, 6.00), line("T3", 1.9, 6.00)]
    reg = [parcel("T1", 1.0), parcel("T2", 1.0), parcel("T3", 1.3)]
    res = recon(bill, reg)
    # 1.2 is not above 1.0 + 0.2; 1.21 is, and costs 2.00 more; 1.9 vs 1.3 costs nothing more
    assert cats(res) == ["match", "overweight", "match"]
    assert amounts(res) == [0, 200, 0]


def test_overweight_needs_a_fee_difference_above_tolerance(recon):
    # weight far above, but the fee is what the shop's weight costs: not a dispute
    res = recon([line("T1", 1.9, 4.00)], [parcel("T1", 1.0)])
    # the fee at the billed weight (6.00) is 2.00 more than billed: an undercharge
    assert cats(res) == ["fee-mismatch"]
    assert amounts(res) == [-200]


def test_fee_tolerance_edge(recon):
    bill = [line("F1", fee=4.01), line("F2", fee=4.02), line("F3", fee=3.99), line("F4", fee=3.98)]
    res = recon(bill, [parcel(w) for w in ("F1", "F2", "F3", "F4")])
    assert cats(res) == ["match", "fee-mismatch", "match", "fee-mismatch"]
    assert amounts(res) == [0, 2, 0, -2]


def test_tolerances_from_rules(recon):
    rules = {"参数": [["参数", "值"], ["重量容差(kg)", 0.5], ["金额容差(元)", 0.5]]}
    bill = [line("T1", 1.5, 6.00), line("T2", 1.6, 6.00), line("F1", fee=4.50), line("F2", fee=4.51)]
    res = recon(bill, [parcel("T1"), parcel("T2"), parcel("F1"), parcel("F2")], rules=rules)
    assert cats(res) == ["match", "overweight", "match", "fee-mismatch"]
    assert res.result.tolerances["weight_g"] == 500 and res.result.tolerances["fee_fen"] == 50


# --- register details -------------------------------------------------------------------------
def test_multi_parcel_weights_added(recon):
    reg = [parcel("P1", 0.6, pieces=2), parcel("P1", 0.7, pieces=2)]
    res = recon([line("P1", 1.3, 6.00)], reg)
    assert cats(res) == ["match"]
    assert by_waybill(res)["P1"]["shop_weight_g"] == 1300
    res = recon([line("P1", 1.6, 6.00)], reg)  # 1.6 > 1.3 + 0.2 but costs the same
    assert cats(res) == ["match"]


def test_volumetric_weight(recon):
    header = REG_HEADER + ["长", "宽", "高"]
    reg = [parcel("SF1", 1.0, courier="顺丰") + [40, 30, 20],   # 24000 cm³ / 6000 = 4 kg
           parcel("SF2", 1.0, courier="顺丰") + [40, 30, 20]]
    bill = [line("SF1", 4.0, 30.00, courier="顺丰速运"), line("SF2", 5.0, 35.00, courier="顺丰速运")]
    res = recon(bill, reg, reg_header=header)
    assert cats(res) == ["match", "overweight"]
    assert amounts(res) == [0, 500]
    w = by_waybill(res)
    assert w["SF1"]["shop_weight_g"] == 4000 and w["SF1"]["courier"] == "顺丰"


def test_dated_tariffs(recon):
    rules = {"快递价格": [
        ["快递公司", "省份", "首重(kg)", "首重价格", "续重单位(kg)", "续重单价", "生效日期", "失效日期"],
        ["中通", "广东、广西", 1, 4.00, 1, 2.00, dt.date(2026, 1, 1), dt.date(2026, 10, 15)],
        ["中通快递", "广东省,广西", 1, 5.00, 1, 2.50, dt.date(2026, 10, 16), None],
    ]}
    bill = [line("A1", 2.0, 6.00, date=dt.date(2026, 10, 15)), line("A2", 2.0, 7.50, date=dt.date(2026, 10, 16)),
            line("A3", 2.0, 6.00, date=dt.date(2026, 10, 20))]
    reg = [parcel("A1", 2.0, date=dt.date(2026, 10, 15)), parcel("A2", 2.0, date=dt.date(2026, 10, 16)),
           parcel("A3", 2.0, date=dt.date(2026, 10, 20))]
    res = recon(bill, reg, rules=rules)
    assert cats(res) == ["match", "match", "fee-mismatch"]
    assert amounts(res) == [0, 0, -150]


def test_price_table_rows_and_any_province(recon):
    rules = {"快递价格": [
        ["快递公司", "省份", "首重", "首重价格", "续重单位", "续重单价"],
        ["中通", "其他", 1, 10.00, 1, 5.00],
        ["中通", "浙江、江苏、上海", 1, 3.00, 1, 1.00],
        ["中通", "火星", 1, 3.00, 1, 1.00],  # unknown province: a finding, row not used
    ]}
    bill = [line("Z1", 1.0, 3.00, "浙江"), line("Z2", 2.0, 15.00, "新疆")]
    res = recon(bill, [parcel("Z1", province="浙江省"), parcel("Z2", 2.0, province="新疆维吾尔自治区")],
                rules=rules)
    assert cats(res) == ["match", "match"]
    assert "price-row-invalid" in set(res.findings["code"])


def test_missing_price_or_shop_weight(recon):
    bill = [line("E1", 1.0, 9.00, courier="邮政"), line("N1", 1.0, 4.00)]
    reg = [parcel("E1", courier="邮政"), parcel("N1", None)]
    res = recon(bill, reg)
    assert cats(res) == ["match", "match"]
    assert res.result.lines["expected_fee"].isna().all()
    codes = list(res.findings["code"])
    assert "bill-price-missing" in codes and "bill-shop-weight-missing" in codes
    missing = res.findings[res.findings["code"] == "bill-price-missing"].iloc[0]
    assert missing["severity"] == "warning" and missing["cell"] == "C2"


def test_courier_aliases_and_province_short_forms(recon):
    bill = [line("Y1", 1.0, 5.20, "四川", "圆通速递"), line("Y2", 1.0, 3.00, "上海", "YTO")]
    reg = [parcel("Y1", province="四川省", courier="圆通"), parcel("Y2", province="上海市", courier="圆通快递")]
    res = recon(bill, reg)
    assert cats(res) == ["match", "match"]
    assert set(res.result.lines["courier"]) == {"圆通"}


# --- bill formats ------------------------------------------------------------------------------
def test_waybills_stored_as_numbers(recon):
    bill = [line(773012345678901, 1.0, 4.00), line("773012345678902", 1.0, 4.00)]
    reg = [parcel("773012345678901"), parcel(773012345678902)]
    res = recon(bill, reg)
    assert cats(res) == ["match", "match"]
    assert list(res.result.lines["waybill"]) == ["773012345678901", "773012345678902"]


def test_waybills_written_as_floats_in_a_csv(tmp_path):
    bill = tmp_path / "bill.csv"
    bill.write_text("快递单号,寄件日期,目的省份,计费重量,运费,快递公司\n"
                    "773012345678901.0,2026-10-05,广东,1,4.00,中通\n"
                    " zt5 ,2026-10-05,广东省广州市天河区,1,¥4.00,中通快递\n", encoding="utf-8")
    reg = write_book(tmp_path / "发货.xlsx", {"发货": [REG_HEADER, parcel("773012345678901"), parcel("ZT5")]})
    res = run_reconcile(bill, reg, None, AS_OF)
    assert cats(res) == ["match", "match"]


def test_total_row_skipped(recon):
    bill = [["月结账单 2026年10月"], BILL_HEADER, line("M1"), line("M2"), ["合计", None, None, None, 8.00, None]]
    res = recon(bill, [parcel("M1"), parcel("M2")], bill_header=["中通快递"])
    assert len(res.result.lines) == 2
    assert res.result.summary["bill_total"] == 800
    assert res.exit_code == 0
    assert "bill-total-mismatch" not in set(res.findings["code"])


def test_a_stated_total_that_disagrees_with_the_lines_is_reported(recon):
    # the shop's rule: the bill's 合计 must agree with its lines; 小计 rows are not compared
    bill = [BILL_HEADER, line("M1"), ["小计", None, None, None, 4.00, None], line("M2"),
            ["合计:", None, None, None, "¥9.00", None]]
    res = recon(bill, [parcel("M1"), parcel("M2")])
    found = res.findings[res.findings["code"] == "bill-total-mismatch"]
    assert list(found["cell"]) == ["E6"]
    assert "9.00 元" in found["message"].iloc[0] and "8.00 元" in found["message"].iloc[0]
    assert "差 1.00 元" in found["message"].iloc[0]
    assert res.result.summary["bill_total"] == 800  # the lines count, not the stated total


CSV_ROWS = ["中通快递 月结对账单,2026-10", "运单号,揽收日期,目的地,结算重量,应付金额",
            "ZT1,2026/10/05,广东,1,4.00", "ZT2,2026/10/05,广东省,2.5,8.00", "合计,,,,12.00"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    bill = tmp_path / "快递账单-中通.csv"
    bill.write_bytes("\r\n".join(CSV_ROWS).encode(encoding))
    reg = write_book(tmp_path / "发货.xlsx", {"发货": [REG_HEADER, parcel("ZT1"), parcel("ZT2")]})
    res = run_reconcile(bill, reg, None, AS_OF)
    assert cats(res) == ["match", "overweight"]
    assert set(res.result.lines["courier"]) == {"中通"}  # from the file name
    assert res.result.summary["bill_total"] == 1200


def test_csv_digits_lost_is_not_shipped_with_a_finding(tmp_path):
    bill = tmp_path / "bill.csv"
    bill.write_text("快递单号,寄件日期,目的省份,计费重量,运费,快递公司\n7.73012E+14,2026-10-05,广东,1,4.00,中通\n",
                    encoding="utf-8")
    reg = write_book(tmp_path / "发货.xlsx", {"发货": [REG_HEADER, parcel("773012345678901")]})
    res = run_reconcile(bill, reg, None, AS_OF)
    assert cats(res) == ["not-shipped"]
    assert "id-digits-lost" in set(res.findings["code"])
    assert "位数已丢失" in job.explain(res.result.lines, res.result.tolerances).iloc[0]


def test_folder_of_bills_several_couriers(tmp_path):
    folder = tmp_path / "bills"
    folder.mkdir()
    (folder / "快递账单-中通.csv").write_bytes("\r\n".join(CSV_ROWS[1:4]).encode("gbk"))
    write_book(folder / "顺丰.xlsx", {"Sheet1": [BILL_HEADER, line("SF1", 1.0, 15.00, courier="顺丰速运"),
                                                 line("SF9", 1.0, 15.00, courier="SF")]})
    (folder / "说明.txt").write_text("not a bill")
    reg = write_book(tmp_path / "发货.xlsx", {"发货": [
        REG_HEADER, parcel("ZT1"), parcel("ZT2"), parcel("SF1", courier="顺丰"),
        parcel("SF2", courier="顺丰"),                                   # not billed, in range
        parcel("SF3", courier="顺丰", date=dt.date(2026, 11, 2)),        # after the bill's last day
        parcel("SF4", courier="顺丰", date=dt.date(2026, 10, 4)),        # before the bill's first day
        parcel("YT1", courier="圆通")]})                                  # courier not on the bill
    res = run_reconcile(folder, reg, None, AS_OF)
    assert cats(res) == ["match", "overweight", "match", "not-shipped"]
    assert list(res.result.not_billed["waybill"]) == ["SF2"]
    s = res.result.summary
    assert set(s["by_courier"]) == {"中通", "顺丰"}
    zt, sf = s["by_courier"]["中通"], s["by_courier"]["顺丰"]
    assert (zt["bill_total"], zt["overcharge_total"], zt["net_payable"]) == (1200, 400, 800)
    assert (sf["bill_total"], sf["overcharge_total"], sf["net_payable"]) == (3000, 1500, 1500)
    assert sf["counts"]["not-billed"] == 1 and zt["counts"]["not-billed"] == 0
    for key in job.FIGURES:
        assert s[key] == zt[key] + sf[key]


def test_bill_without_required_columns_is_unusable(tmp_path):
    bill = write_book(tmp_path / "bill.xlsx", {"账单": [["快递单号", "寄件日期"], ["A1", D]]})
    reg = write_book(tmp_path / "发货.xlsx", {"发货": [REG_HEADER, parcel("A1")]})
    with pytest.raises(UnusableInput):
        run_reconcile(bill, reg, None, AS_OF)


# --- the result workbook -------------------------------------------------------------------------
def test_result_workbook(recon, tmp_path):
    bill = [line("M1"), line("X1"), line("W1", 2.5, 8.00), line("C1")]
    reg = [parcel("M1"), parcel("W1", 1.0, phone="+86 139-1234-5678"), parcel("C1", state="破损"), parcel("NB")]
    out = tmp_path / "对账结果.xlsx"
    res = recon(bill, reg, output=out)
    assert res.written == out
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == ["对账汇总", "争议明细", "未计费"]
    assert "对账明细" not in wb.sheetnames
    rows = list(wb["争议明细"].values)
    header = rows[0]
    assert "地址" not in header and "收件地址" not in header
    text = repr(rows)
    assert "广州市天河路" not in text and "13912345678" not in text and "13812345678" not in text
    phones = [r[header.index("手机")] for r in rows[1:]]
    assert "139****5678" in phones
    assert [r[header.index("快递单号")] for r in rows[1:]] == ["X1", "C1", "W1"]  # by precedence
    assert [r[0] for r in list(wb["未计费"].values)[1:]] == ["中通"]
    with zipfile.ZipFile(out) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())
    res = recon(bill, reg, output=tmp_path / "full.xlsx", full=True)
    wb = openpyxl.load_workbook(tmp_path / "full.xlsx")
    assert len(list(wb["对账明细"].values)) == 5


@pytest.mark.parametrize("raw, masked", [
    ("13812345678", "138****5678"), ("+86 138-1234-5678", "138****5678"), ("8613812345678", "138****5678"),
    ("13812345678-1234", "138****5678-1234"), ("0571-88123456", "057****3456"), ("123", "****"), (None, None),
])
def test_mask_phone(raw, masked):
    assert mask_phone(raw) == masked


def test_folder_rerun_ignores_earlier_results(tmp_path):
    """A result workbook written into the bill folder is not read as a bill on the next run
    (its 争议明细 has bill-like headers), and is refused when given as BILL."""
    folder = tmp_path / "bills"
    folder.mkdir()
    write_book(folder / "中通.xlsx", {"账单": [BILL_HEADER, line("X1"), line("M1")]})
    reg = write_book(folder / "发货.xlsx", {"发货": [REG_HEADER, parcel("M1")]})
    first = run_reconcile(folder, reg, None, AS_OF, output=folder / "对账结果.xlsx")
    again = run_reconcile(folder, reg, None, AS_OF, output=folder / "对账结果2.xlsx")
    assert cats(first) == cats(again) == ["not-shipped", "match"]
    assert again.bills.files == [folder / "中通.xlsx"]
    with pytest.raises(UnusableInput, match="对账结果"):
        run_reconcile(folder / "对账结果.xlsx", reg, None, AS_OF)


def test_folder_skips_marked_workbooks_and_backups(tmp_path):
    """Whatever their names: a workbook shopbook wrote (marked) and the backup of a bill."""
    import shutil
    from shopbook.writing import marks
    folder = tmp_path / "bills"
    folder.mkdir()
    write_book(folder / "中通.xlsx", {"账单": [BILL_HEADER, line("X1"), line("M1")]})
    shutil.copy(folder / "中通.xlsx", folder / "中通.备份-20261031-093000.xlsx")
    ours = write_book(folder / "汇总.xlsx", {"账单": [BILL_HEADER, line("X2")]})
    wb = openpyxl.load_workbook(ours)
    marks.mark_openpyxl(wb, "validate")
    wb.save(ours)
    reg = write_book(tmp_path / "发货.xlsx", {"发货": [REG_HEADER, parcel("M1")]})
    res = run_reconcile(folder, reg, None, AS_OF)
    assert res.bills.files == [folder / "中通.xlsx"] and cats(res) == ["not-shipped", "match"]


def test_blank_waybills_and_fees(recon):
    """A bill line without a waybill cannot be checked (not-shipped, its fee withheld); a
    register row without a waybill (not yet shipped) is ignored; a blank fee is an error finding."""
    bill = [line("M1"), line(None, fee=5.00), line("M2", fee=None)]
    reg = [parcel("M1"), parcel(None), parcel("M2")]
    res = recon(bill, reg)
    assert cats(res) == ["match", "not-shipped", "match"]
    assert amounts(res)[1] == 500
    assert "required-missing" in set(res.findings["code"])


def test_phones_come_from_the_ledgers_orders_sheet(tmp_path):
    """A ledger's 发货 sheet has no 手机: the dispute sheet takes it (masked) from 订单 by 订单号."""
    ledger = write_book(tmp_path / "台账.xlsx", {
        "订单": [["订单号", "收件人", "手机", "省", "详细地址", "商品编码", "数量", "单价", "实付金额"],
                 ["O-C1", "张三", "13912345678", "广东", "广州市天河路1号", "S1", 1, 50, 50]],
        "发货": [["发货日期", "订单号", "快递公司", "快递单号", "重量", "省", "状态"],
                 [D, "O-C1", "中通", "C1", 1.0, "广东", "丢件"]]})
    bill = write_book(tmp_path / "bill.xlsx", {"账单": [BILL_HEADER, line("C1")]})
    out = tmp_path / "out.xlsx"
    res = run_reconcile(bill, ledger, None, AS_OF, output=out)
    assert cats(res) == ["claim"]
    rows = list(openpyxl.load_workbook(out)["争议明细"].values)
    assert rows[1][rows[0].index("手机")] == "139****5678"


def test_one_sheet_per_courier(tmp_path):
    """A workbook with one bill sheet per courier and no 快递公司 column: the sheet name says it."""
    header = ["运单号", "寄件日期", "目的地", "结算重量", "应付金额"]
    bill = write_book(tmp_path / "账单.xlsx", {
        "顺丰": [header, ["SF1", D, "广东", 1, 15.00]],
        "中通快递": [header, ["ZT1", D, "广东", 1, 4.00], ["ZT1", D, "广东", 1, 4.00]],
        "说明": [["本账单为月结账单"]]})
    reg = write_book(tmp_path / "发货.xlsx", {"发货": [REG_HEADER, parcel("SF1", courier="顺丰"), parcel("ZT1")]})
    res = run_reconcile(bill, reg, None, AS_OF)
    assert cats(res) == ["match", "match", "duplicate"]
    assert list(res.result.lines["courier"]) == ["顺丰", "中通", "中通"]
    assert list(res.result.lines["source"]) == ["账单.xlsx:顺丰", "账单.xlsx:中通快递", "账单.xlsx:中通快递"]
    assert set(res.result.summary["by_courier"]) == {"顺丰", "中通"}


def test_duplicate_across_files_names_the_first(tmp_path):
    folder = tmp_path / "bills"
    folder.mkdir()
    write_book(folder / "a.xlsx", {"账单": [BILL_HEADER, line("M1"), line("M2")]})
    write_book(folder / "b.xlsx", {"账单": [BILL_HEADER, line("M2"), line("M1"), line("M1")]})
    reg = write_book(tmp_path / "发货.xlsx", {"发货": [REG_HEADER, parcel("M1"), parcel("M2")]})
    res = run_reconcile(folder, reg, None, AS_OF)
    assert cats(res) == ["match", "match", "duplicate", "duplicate", "duplicate"]
    texts = list(job.explain(res.result.lines, res.result.tolerances))
    assert "已在「a.xlsx:账单」第 3 行计费" in texts[2] and "已在「a.xlsx:账单」第 2 行计费" in texts[4]


def test_unusable_cells_are_findings_not_guesses(recon):
    """A negative bill weight, a fee that is not money, a register weight that is not a number:
    each an error finding at its cell; the line is not priced, nothing is guessed."""
    bill = [line("A1", -2, 4.00), line("A2", 1.0, "四元"), line("A3", "1.2kg", "¥6.00")]
    reg = [parcel("A1"), parcel("A2"), parcel("A3", "约1.1")]
    res = recon(bill, reg)
    assert cats(res) == ["match", "match", "match"]
    found = set(zip(res.findings["cell"], res.findings["code"]))
    assert {("D2", "negative-value"), ("E3", "money-invalid"), ("E4", "not-a-number"),
            ("A4", "bill-shop-weight-missing")} <= found
    assert res.exit_code == 1


# --- the couriers' own layouts (shopbook.courier.formats) ------------------------------------
def test_weights_in_grams_are_converted_and_said(recon):
    header = ["快递单号", "寄件日期", "目的省份", "计费重量(g)", "运费", "快递公司"]
    res = recon([["M1", D, "广东", 1000, 4.00, "中通"], ["M2", D, "广东", 2600, 8.00, "中通"]],
                [parcel("M1", 1.0), parcel("M2", 2.6)], bill_header=header)
    assert cats(res) == ["match", "match"]
    assert list(res.result.lines["billed_weight_g"]) == [1000, 2600]
    found = res.findings.set_index("code")
    assert "1000 g → 1 kg" in found.loc["bill-weight-grams", "message"]
    assert any("按克换算" in text for _, text in res.bills.formats)


def test_weights_that_look_like_grams_are_a_warning(recon):
    res = recon([line("M1", 800), line("M2", 1200), line("M3", 900)], [parcel("M1"), parcel("M2"), parcel("M3")])
    assert "bill-weight-unit-suspect" in set(res.findings["code"])


def test_dates_without_a_year_take_the_bill_period(recon):
    res = recon([["2026年10月 中通月结账单"], BILL_HEADER, ["M1", "10-05", "广东", 1, 4.00, "中通"],
                 ["M2", "10月6日", "广东", 1, 4.00, "中通"]], [parcel("M1"), parcel("M2")], bill_header=["中通"])
    assert [d.strftime("%Y-%m-%d") for d in res.result.lines["date"]] == ["2026-10-05", "2026-10-06"]
    assert "bill-date-year-added" in set(res.findings["code"])
    assert "date-ambiguous" not in set(res.findings["code"])


def test_summary_rows_are_checked_and_never_billed(recon):
    bill = [line("M1"), line("M2"), ["件量", 3], ["优惠", -1.00], ["剩余应收", 8.00]]
    res = recon(bill, [parcel("M1"), parcel("M2")])
    assert cats(res) == ["match", "match"] and res.result.summary["bill_total"] == 800
    found = res.findings.set_index("code")
    assert "件量 3,明细共有 2 个运单" in found.loc["bill-count-mismatch", "message"]
    assert "按明细算出 7.00 元" in found.loc["bill-summary-mismatch", "message"]  # 8.00 − 1.00
    assert "bill-footer-rows" in found.index


def test_a_layout_only_the_common_names_fit_is_read(recon):
    header = ["邮件号", "收寄日期", "收件省份", "收费重量", "账单金额"]
    res = recon([["M1", D, "广东", 1, 4.00], ["M9", D, "广东", 1, 4.00]], [parcel("M1")], bill_header=header)
    assert cats(res) == ["match", "not-shipped"]
    assert "bill-generic" in set(res.findings["value"])


def test_extra_charges_count_in_the_bill_and_a_dispute(tmp_path):
    """An extra-service row of a waybill is an extra charge on that parcel, not a duplicate; a
    not-shipped parcel is disputed with its extras."""
    header = ["运单号码", "寄件时间", "目的地", "计费重量", "增值费用", "应付金额"]
    bill = write_book(tmp_path / "顺丰账单.xlsx", {"Sheet0": [
        header, ["SF1", D, "广东", 1, "", 15.00], ["SF1", D, "广东", "", "保价", 2.00], ["SF2", D, "广东", 1, "", 15.00],
        ["SF2", D, "广东", "", "签回单", 1.00], ["SF3", D, "广东", "", "转寄退回", 3.00]]})
    reg = write_book(tmp_path / "发货.xlsx", {"发货": [REG_HEADER, parcel("SF1", courier="顺丰"), parcel("SF3", courier="顺丰")]})
    res = run_reconcile(bill, reg, None, AS_OF)
    lines = by_waybill(res)
    assert cats(res) == ["match", "not-shipped", "match"]
    assert lines["SF2"]["amount"] == 1600 and lines["SF1"]["extra_fee"] == 200
    assert res.result.summary["bill_total"] == 3600
    assert {"bill-extra-services", "bill-extra-without-base"} <= set(res.findings["code"])
    data = res.as_json()
    assert [l["extra_fee"] for l in data["lines"]] == ["2.00", "1.00", "0.00"]


def test_a_file_in_a_folder_that_is_no_bill_is_named(tmp_path):
    folder = tmp_path / "账单"
    folder.mkdir()
    write_book(folder / "中通.xlsx", {"账单": [BILL_HEADER, line("M1")]})
    write_book(folder / "备忘.xlsx", {"备忘": [["事项", "说明"], ["对账", "月底"]]})
    reg = write_book(tmp_path / "发货.xlsx", {"发货": [REG_HEADER, parcel("M1")]})
    res = run_reconcile(folder, reg, None, AS_OF)
    assert [p.name for p, _ in res.bills.unread] == ["备忘.xlsx"]
    assert res.exit_code == 1 and "未能对账的文件 1 个: 备忘.xlsx" in res.report()
    assert res.as_json()["summary"]["not_reconciled"][0]["file"] == "备忘.xlsx"


def test_the_payable_amount_is_read_not_the_list_price(recon):
    """A bill with both 运费 (list price) and 应付金额 (after discount): the payable one is the fee,
    whatever their order; extra-service rows of such a bill are extras, not duplicates."""
    header = ["运单号", "寄件日期", "目的省份", "计费重量", "运费", "折扣", "应付金额", "增值服务"]
    res = recon([["M1", D, "广东", 1, 5.00, 0.8, 4.00, ""], ["M1", D, "广东", "", 1.00, 1, 1.00, "保价"]],
                [parcel("M1")], bill_header=header)
    assert cats(res) == ["match"] and res.result.summary["bill_total"] == 500
    assert "duplicate-header" not in set(res.findings["code"])


def test_a_warehouse_shipping_export_is_the_register(tmp_path):
    """旺店通 WMS 销售出库单 as the register: 物流单号, 物流公司, 实际重量, 原始单号 read by its profile."""
    header = ["货主", "收件人", "物流公司", "物流单号", "收件人地址", "实际重量", "发货时间", "原始单号", "店铺", "省"]
    reg = write_book(tmp_path / "出库单.xlsx", {"出库单": [header, ["店", "张三", "中通快递(菜鸟)", "M1", "广东省广州市", "1.00",
                                                              "2026-10-05 15:00:00", "T1", "店铺", "广东省"]]})
    bill = write_book(tmp_path / "bill.xlsx", {"账单": [BILL_HEADER, line("M1")]})
    res = run_reconcile(bill, reg, None, AS_OF)
    assert cats(res) == ["match"]
    assert "missing-column" not in set(res.findings["code"])
    assert "wdt-wms-outbound" in set(res.findings["value"])


def test_the_bills_keys_made_beside_the_register_read_code_waybills_as_one_factorisation():
    """steps.bill_keys + register_codes give the codes of factorising the bill's keys and then the
    register's: the job's result is the same with the keys made by the caller or by itself."""
    import numpy as np
    import pandas as pd
    from shopbook.courier.steps import _waybill_key, bill_keys, register_codes
    from shopbook.rules import DEFAULT_RULES

    bill = pd.DataFrame({"快递单号": ["ZT1", " zt2", None, "773012345678901.0", "ZT1", ""],
                         "快递公司": ["中通"] * 6, "目的省份": ["浙江"] * 6}, dtype=object)
    ship = pd.Series(["ZT9", "773012345678901", None, "ZT2", "YT5", "ZT9", " "], dtype=object)
    keys = bill_keys(bill, DEFAULT_RULES)
    codes, uniques = register_codes(keys, ship)
    joint, joint_uniques = pd.factorize(pd.concat([_waybill_key(bill["快递单号"]), _waybill_key(ship)],
                                                  ignore_index=True), use_na_sentinel=True)
    assert list(np.concatenate([keys.codes, codes])) == list(joint)
    assert list(uniques) == list(joint_uniques)
