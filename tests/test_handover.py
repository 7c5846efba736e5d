"""The handover job (shopbook.handover.job) and the 快递交接 sheet: each check on a small inline
register and handover record."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from conftest import write_book
from shopbook.courier import job as courier
from shopbook.handover import job
from shopbook.handover.evidence import Proof
from shopbook.handover.run import read_inputs
from shopbook.core.errors import UnusableInput
from shopbook.reading.files import open_workbook
from shopbook.reading.tables import read_table
from shopbook.rules import DEFAULT_RULES, Rules
from shopbook.sheets.courier_handover import COURIER_HANDOVER

D1, D2 = dt.datetime(2026, 10, 9), dt.datetime(2026, 10, 10)
AS_OF = dt.datetime(2026, 10, 10, 18, 0)
REG = ["发货日期", "订单号", "快递公司", "快递单号", "重量(kg)", "件数", "收件人", "省", "包装人", "运费", "状态", "原因"]
HAND = ["日期", "快递公司", "快递员", "交接件数", "快递员称重(kg)", "快递员报价", "发货员", "快递员签字", "底单已收",
        "归档日期", "备注"]


def parcel(waybill, courier="中通", day=D1, weight=1.0, n=None, prov="广东", packer="老周", fee=4, state="正常",
           reason=None, order=None):
    return [day, order or f"O{waybill}", courier, waybill, weight, n, "张三", prov, packer, fee, state, reason]


def pickup(day=D1, courier="中通", count=2, kg=None, quote=None, signed="是", slips="是", archived=None,
           who="陈师傅"):
    return [day, courier, who, count, kg, quote, "老周", signed, slips, archived, None]


def run(tmp_path, parcels, pickups=None, as_of=AS_OF, rules=DEFAULT_RULES, first=None, last=None, name="b.xlsx"):
    sheets = {"发货": [REG, *parcels]}
    if pickups is not None:
        sheets["快递交接"] = [HAND, *pickups]
    tables, _ = read_inputs(write_book(tmp_path / name, sheets))
    return job.compute(tables, rules, as_of, first=first, last=last)


def found(findings, code=None):
    return [(s, c, k) for s, c, k in zip(findings["sheet"], findings["cell"], findings["code"])
            if code is None or k == code]


TWO = [parcel("7801"), parcel("7802")]


def test_clean_handover(tmp_path):
    result, findings = run(tmp_path, TWO, [pickup(count=2, kg=2.0, quote=8)])
    assert found(findings) == []
    assert result.pickups["result"].tolist() == ["相符"]
    assert result.first == result.last == D1.date()  # the days the handover covers


def test_count_mismatch(tmp_path):
    _, findings = run(tmp_path, TWO + [parcel("7803")], [pickup(count=2)])
    assert found(findings) == [("快递交接", "D2", "handover-count-mismatch")]
    assert "交接 2 件" in findings["message"][0] and "有 3 件" in findings["message"][0] and "交接少 1 件" in \
        findings["message"][0]


def test_two_visits_of_one_courier_add_up(tmp_path):
    _, findings = run(tmp_path, TWO + [parcel("7803")], [pickup(count=2), pickup(count=1, who="王师傅")])
    assert found(findings) == []


def test_multi_parcel_waybill_counts_its_parcels(tmp_path):
    # one waybill, two rows marked 件数 2: two parcels, one line of the 交接单
    result, findings = run(tmp_path, [parcel("7801", n=2), parcel("7801", n=2, order="O7801")], [pickup(count=2)])
    assert found(findings, "handover-count-mismatch") == []
    assert result.lines["parcels"].tolist() == [2] and result.lines["grams"].tolist() == [2000]


def test_parcel_never_handed_over(tmp_path):
    # 圆通 shipped on the 9th, no 圆通 pickup that day: each of its waybills is a finding
    result, findings = run(tmp_path, TWO + [parcel("YT1234567890", courier="圆通")], [pickup(count=2)])
    assert found(findings) == [("发货", "D4", "handover-missing")]
    assert "YT1234567890" in findings["message"][0]
    assert result.pickups.set_index("courier").loc["圆通", "result"] == "没有交接记录"


def test_todays_parcels_wait_for_the_cut_off(tmp_path):
    today = [parcel("7801", day=D2)]
    before = dt.datetime(2026, 10, 10, 15, 0)
    result, findings = run(tmp_path, TWO + today, [pickup(count=2)], as_of=before, first=D1.date(), last=D2.date())
    assert found(findings, "handover-missing") == []
    assert "待交接" in result.pickups["result"].tolist()
    _, findings = run(tmp_path, TWO + today, [pickup(count=2)], as_of=AS_OF, first=D1.date(), last=D2.date(),
                      name="c.xlsx")
    assert found(findings, "handover-missing") == [("发货", "D4", "handover-missing")]


def test_pickup_of_parcels_the_register_does_not_have(tmp_path):
    _, findings = run(tmp_path, TWO, [pickup(count=2), pickup(courier="韵达", count=3)])
    assert found(findings) == [("快递交接", "D3", "handover-unregistered")]


def test_courier_weight_beyond_tolerance(tmp_path):
    # 2 parcels, tolerance 0.2 kg each: 0.4 kg allowed
    _, ok = run(tmp_path, TWO, [pickup(kg=2.4)])
    assert found(ok) == []
    _, off = run(tmp_path, TWO, [pickup(kg=2.5)], name="c.xlsx")
    assert found(off) == [("快递交接", "E2", "handover-weight-differs")]
    assert "2.5 kg" in off["message"][0] and "2 kg" in off["message"][0]
    loose = Rules(weight_tolerance_kg=0.5)
    _, ruled = run(tmp_path, TWO, [pickup(kg=2.5)], rules=loose, name="d.xlsx")
    assert found(ruled) == []


def test_courier_quote_against_the_price_table(tmp_path):
    # 中通 to 广东 (一区): 1 kg = 4.00 each in the default table
    _, ok = run(tmp_path, TWO, [pickup(quote=8)])
    assert found(ok) == []
    _, off = run(tmp_path, TWO, [pickup(quote=9)], name="c.xlsx")
    assert found(off) == [("快递交接", "F2", "handover-price-differs")]
    assert "9.00" in off["message"][0] and "8.00" in off["message"][0] and "多报 1.00" in off["message"][0]


def test_prices_are_the_reconciliations(tmp_path):
    """The 交接单 fee of each parcel is what reconcile expects for it (same table, weight, formula)."""
    parcels = [parcel("7801", weight=2.3, prov="新疆"), parcel("SF123456789012", courier="顺丰", weight=0.4, prov="浙江"),
               parcel("JT12345678901", courier="极兔", weight=1.6, prov="四川")]
    result, _ = run(tmp_path, parcels, [pickup(count=1), pickup(courier="顺丰", count=1), pickup(courier="极兔", count=1)])
    register = pd.DataFrame({"快递单号": [p[3] for p in parcels], "快递公司": [p[2] for p in parcels],
                             "发货日期": pd.to_datetime([p[0] for p in parcels]), "重量": [p[4] for p in parcels],
                             "省": [p[7] for p in parcels]})
    bill = pd.DataFrame({"快递单号": register["快递单号"], "计费重量": register["重量"],
                         "运费": pd.array([1, 1, 1], dtype="Int64"), "快递公司": register["快递公司"],
                         "寄件日期": register["发货日期"]})
    expected = courier.reconcile(bill, register, None, DEFAULT_RULES, as_of=AS_OF).lines
    fees = dict(zip(result.lines["waybill"], result.lines["fee"].astype(int)))
    assert fees == dict(zip(expected["waybill"], expected["expected_fee"].astype(int)))
    assert fees["7801"] == 1500 + 2 * 1200  # 新疆 首重 15.00 + 2 × 12.00


def test_signature_and_slips(tmp_path):
    _, findings = run(tmp_path, TWO + [parcel("SF1", courier="顺丰"), parcel("YT1", courier="圆通")],
                      [pickup(), pickup(courier="顺丰", count=1, signed="周涛"),  # a name written is a signature
                       pickup(courier="圆通", count=1, signed="否", slips=None)])
    assert found(findings) == [("快递交接", "H4", "handover-unsigned"), ("快递交接", "I4", "handover-slips-missing")]


def test_archive_after_fifteen_days(tmp_path):
    as_of = dt.datetime(2026, 10, 26, 9, 0)  # the 10th + 15 = the 25th: due yesterday
    pickups = [pickup(day=D1, archived=dt.datetime(2026, 10, 24)), pickup(day=D2, count=1),
               pickup(day=dt.datetime(2026, 10, 11), count=0)]
    parcels = TWO + [parcel("7803", day=D2)]
    result, findings = run(tmp_path, parcels, pickups, as_of=as_of)
    assert found(findings) == [("快递交接", "J3", "handover-not-archived")]
    assert "16 天" in findings["message"][0]
    assert result.archive["item"].tolist() == ["待归档"]
    _, fine = run(tmp_path, parcels, pickups, as_of=dt.datetime(2026, 10, 25, 9), name="c.xlsx")
    assert found(fine) == []
    _, longer = run(tmp_path, parcels, pickups, as_of=as_of, rules=Rules(archive_days=20), name="d.xlsx")
    assert found(longer) == []


def test_archive_date_before_the_pickup(tmp_path):
    _, findings = run(tmp_path, TWO, [pickup(archived=dt.datetime(2026, 10, 1))])
    assert found(findings) == [("快递交接", "J2", "handover-archive-before-date")]


def test_blank_weight_or_fee_on_a_shipped_parcel(tmp_path):
    result, findings = run(tmp_path, [parcel("7801", weight=None), parcel("7802", fee=None)], [pickup(kg=9)])
    assert found(findings) == [("发货", "E2", "weight-missing"), ("发货", "J3", "fee-missing")]
    # the day's weight total is unknown: the courier's weight is not compared, the 交接单 total is left blank
    assert result.pickups["result"].tolist() == ["相符"]


def test_lost_damaged_undelivered_slips_are_set_aside(tmp_path):
    parcels = [parcel("7801", state="丢件", reason="中转丢失"), parcel("7802", state="无法送达", reason="地址错"),
               parcel("7803", state="拒收", reason="买家拒收")]
    result, _ = run(tmp_path, parcels, [pickup(count=3)])
    a = result.archive
    assert a["item"].tolist() == ["单独存放(索赔)", "单独存放(月结抵扣)"]
    assert a["waybill"].tolist() == ["7801", "7802"] and "中转丢失" in a["note"][0]


def test_without_a_handover_record_only_the_lists(tmp_path):
    result, findings = run(tmp_path, TWO, None, as_of=dt.datetime(2026, 10, 9, 18))
    assert not result.has_handover and found(findings) == []
    assert result.first == result.last == D1.date()  # the as-of day
    assert len(result.lines) == 2 and int(result.lines["fee"].sum()) == 800


def test_period_limits_the_checks_but_not_the_archive(tmp_path):
    as_of = dt.datetime(2026, 10, 30, 18)
    pickups = [pickup(day=D1, count=1, signed="否"), pickup(day=D2, count=1)]
    result, findings = run(tmp_path, TWO, pickups, as_of=as_of, first=D2.date(), last=D2.date())
    codes = {k for _, _, k in found(findings)}
    assert "handover-count-mismatch" not in codes and "handover-unsigned" not in codes  # the 9th is out of the period
    assert "handover-unregistered" in codes  # the 10th: a pickup, nothing registered
    assert codes >= {"handover-not-archived"}  # the 9th's 底单 are overdue whatever the period


def test_shift_handover_sheet_named_jiaojie_is_not_taken(tmp_path):
    shift = [["日期", "班次", "交出人", "接手人", "事项", "备注"], [D1, "早班", "小美", "小丽", "订单 O1 待回复", None]]
    path = write_book(tmp_path / "b.xlsx", {"发货": [REG, *TWO], "交接": shift})
    tables, _ = read_inputs(path)
    assert tables.handover is None
    assert read_table(open_workbook(path), COURIER_HANDOVER) is None


def test_handover_found_by_alias_or_by_headers(tmp_path):
    for name in ("交接", "Sheet2"):
        path = write_book(tmp_path / f"{name}.xlsx", {"发货": [REG, *TWO], name: [["快递交接登记"], HAND, pickup()]})
        tables, _ = read_inputs(path)
        assert tables.handover is not None and tables.handover.sheet == name


def test_handover_in_a_workbook_of_its_own(tmp_path):
    register = write_book(tmp_path / "发货.xlsx", {"发货": [REG, *TWO]})
    handover = write_book(tmp_path / "交接.xlsx", {"Sheet1": [HAND, pickup(count=1)]})
    tables, sources = read_inputs(register, handover)
    result, findings = job.compute(tables, DEFAULT_RULES, AS_OF)
    assert found(findings) == [("Sheet1", "D2", "handover-count-mismatch")]
    assert sources["Sheet1"][0] == handover
    empty = write_book(tmp_path / "空.xlsx", {"Sheet1": [["别的", "表"]]})
    with pytest.raises(UnusableInput, match="快递交接"):
        read_inputs(register, empty)


def test_bad_cells_are_findings_not_crashes(tmp_path):
    _, findings = run(tmp_path, TWO + [["某天", "O9", "中通", "7809", "约1", None, "李四", "广东", "老周", 4, "正常", None]],
                      [pickup(count="两"), [None, "中通", None, 1, None, None, None, "是", "是", None, None]])
    codes = {k for _, _, k in found(findings)}
    assert {"date-invalid", "not-a-number", "required-missing"} <= codes


def test_proof_for_bill_lines(tmp_path):
    result, _ = run(tmp_path, TWO + [parcel("YT1", courier="圆通")],
                    [pickup(count=2), pickup(courier="圆通", count=1, signed="否")])
    tables, _ = read_inputs(tmp_path / "b.xlsx")
    register = tables.shipping.data
    proof = Proof.build(register, tables.handover.data, DEFAULT_RULES)
    lines = pd.DataFrame({"register_pos": [0, 2, -1, -1], "courier": ["中通", "圆通", "中通", "中通"],
                          "date": pd.to_datetime([D1, D1, D1, D2]),
                          "category": ["overweight", "claim", "not-shipped", "not-shipped"]})
    out = proof.for_lines(lines, register)
    assert out[0][:2] == (D1, "陈师傅 已签字") and "含此件" in out[0][2]
    assert out[1][0] is None and "没有签字" in out[1][2]
    assert out[2][0] == D1 and "此单号不在其中" in out[2][2]
    assert out[3] == (None, None, "10-10 中通 没有交接记录")


def test_register_lines_keep_register_order_and_first_row(tmp_path):
    lines = job.register_lines(pd.DataFrame({"发货日期": pd.to_datetime([D1, D1, D1]), "快递公司": ["中通快递", "中通", "ZTO"],
                                             "快递单号": ["7802", "7801", None], "重量": [1.0, None, 0.5]},
                                            index=[5, 6, 7]), DEFAULT_RULES)
    assert lines["row"].tolist() == [5, 6, 7] and set(lines["courier"]) == {"中通"}
    assert lines["unknown"].tolist() == [False, True, False] and lines["waybill"].tolist()[2] is None
    assert np.array_equal(lines["parcels"].to_numpy(), [1, 1, 1])


def test_courier_names_agree_across_the_two_sheets(tmp_path):
    # 中通快递 / ZTO are the rules' 中通; a company the rules do not know matches without its suffix
    _, findings = run(tmp_path, [parcel("7801", courier="中通快递"), parcel("BS1", courier="百世")],
                      [pickup(courier="ZTO", count=1), pickup(courier="百世快递", count=1)])
    assert found(findings) == []
