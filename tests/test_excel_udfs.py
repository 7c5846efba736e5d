"""The worksheet functions (=SB_FREIGHT, =SB_PHONE, =SB_IDCARD, =SB_WAYBILL) as plain Python
functions: what a cell shows for each input, the same messages and prices as the jobs."""
import datetime as dt
from types import SimpleNamespace

import openpyxl
import pytest

from shopbook.excel import udfs
from shopbook.excel.udfs import SB_FREIGHT, SB_IDCARD, SB_PHONE, SB_WAYBILL


def caller_in(folder):
    """The hidden `caller` xlwings passes: the calling cell of a workbook saved in `folder`."""
    return SimpleNamespace(sheet=SimpleNamespace(book=SimpleNamespace(fullname=str(folder / "订单.xlsm"))))


@pytest.mark.parametrize("courier, province, weight, fee", [
    ("中通", "广东", 1.0, 4.0),  # 首重 only
    ("中通", "浙江", 3, 5.0),
    ("ZTO", "广东省", 2.5, 8.0),  # alias and full province name; 2 steps of 续重
    ("顺丰", "新疆", 1.2, 41.0),
])
def test_freight_from_the_built_in_price_table(courier, province, weight, fee):
    assert SB_FREIGHT(courier, province, weight) == fee


def test_freight_is_what_the_reconciliation_expects(tmp_path):
    """The same fee as a bill line's 应收运费 in 快递对账 (one price implementation)."""
    from shopbook.courier import job
    from shopbook.rules import DEFAULT_RULES

    import pandas as pd

    lines = pd.DataFrame({"快递单号": ["773100000001"], "寄件日期": [pd.Timestamp("2026-10-02")],
                          "目的省份": ["江苏"], "计费重量": [2.3], "运费": [999], "快递公司": ["中通"],
                          "_source": ["快递账单"], "_row": [2]})
    register = pd.DataFrame({"发货日期": [pd.Timestamp("2026-10-02")], "订单号": ["T1"], "快递公司": ["中通"],
                             "快递单号": ["773100000001"], "重量": [2.3], "_row": [2]})
    result = job.reconcile(lines, register, None, DEFAULT_RULES, as_of=dt.datetime(2026, 11, 1))
    assert SB_FREIGHT("中通", "江苏", 2.3) == int(result.lines["expected_fee"].iloc[0]) / 100


def test_freight_uses_the_price_table_of_the_rules_workbook_beside_the_book(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "快递价格"
    ws.append(["快递公司", "省份", "首重(kg)", "首重价格", "续重单位(kg)", "续重单价", "生效日期"])
    ws.append(["中通", "广东、广西", 1, 3, 1, 1, None])
    ws.append(["中通", "广东", 1, 3.5, 1, 1.5, dt.datetime(2026, 11, 1)])  # a dearer tariff from November
    wb.save(tmp_path / "规则.xlsx")
    caller = caller_in(tmp_path)
    assert SB_FREIGHT("中通", "广西", 2.2, caller=caller) == 5.0
    assert SB_FREIGHT("中通", "广东", 2.2, "2026-10-15", caller=caller) == 5.0
    assert SB_FREIGHT("中通", "广东", 2.2, dt.datetime(2026, 11, 2), caller=caller) == 6.5
    assert SB_FREIGHT("中通", "北京", 1, caller=caller) == "价格表中没有中通寄往北京市的价格(规则工作簿「快递价格」表)"


@pytest.mark.parametrize("courier, province, weight, expected", [
    ("", "广东", 1, "请填写快递公司"),
    ("中通", "火星", 1, "「省份」的值 火星 不是 34 个省级行政区之一"),
    ("中通", "广东", 0, "重量 0 不是大于 0 的数字(单位 kg)"),
    ("中通", "广东", "abc", "重量 abc 不是大于 0 的数字"),
    ("中通", "广东", None, "重量 (空) 不是大于 0 的数字"),
    ("火星快递", "广东", 1, "价格表中没有火星快递寄往广东省的价格"),
])
def test_freight_says_why_it_cannot_price_a_parcel(courier, province, weight, expected):
    assert SB_FREIGHT(courier, province, weight).startswith(expected)


@pytest.mark.parametrize("value, expected", [
    ("13812345678", ""),
    (13812345678.0, ""),  # a number typed into the cell: checked as its digits
    ("+86 138-1234-5678", ""),
    ("12345", "「手机」的值 12345 不是有效的手机号"),
    (None, ""),
])
def test_phone(value, expected):
    assert SB_PHONE(value).startswith(expected) and (expected or SB_PHONE(value) == "")


@pytest.mark.parametrize("value, expected", [
    ("330106198503121135", ""),
    ("330106198503121136", "身份证号 330106198503121136 无效:最后一位校验码不对"),
    ("33010619850312", "身份证号 33010619850312 无效:应为 18 位"),
])
def test_id_card(value, expected):
    result = SB_IDCARD(value)
    assert result.startswith(expected) and (expected or result == "")


def test_an_id_card_typed_as_a_number_says_its_digits_are_lost():
    """Excel keeps 15 significant digits: an 18-digit number typed into a General cell is gone."""
    assert SB_IDCARD(330106198503121135.0).startswith("「身份证号」以数字形式保存,显示为 3.30106E+17")


@pytest.mark.parametrize("courier, waybill, expected", [
    ("顺丰", "SF1234567890123", ""),
    ("顺丰", "123", "快递单号 123 不符合顺丰的单号格式"),
    ("中通", 773100000001.0, ""),
    ("不认识的快递", "123", ""),  # no pattern to check against
    ("中通", None, ""),
])
def test_waybill(courier, waybill, expected):
    result = SB_WAYBILL(courier, waybill)
    assert result.startswith(expected) and (expected or result == "")


def test_every_udf_is_declared_for_the_workbooks():
    assert {f.__name__ for f in udfs.UDFS} == {"SB_PHONE", "SB_IDCARD", "SB_WAYBILL", "SB_FREIGHT"}


# --- whatever a cell passes, the cell shows a Chinese text (never a traceback) ----------------
@pytest.mark.parametrize("udf", [SB_PHONE, SB_IDCARD])
@pytest.mark.parametrize("value, expected", [
    (True, "「{}」是逻辑值 TRUE,不是"),
    (False, "「{}」是逻辑值 FALSE,不是"),
    (["13812345678", "13812345679"], "「{}」只能引用一个单元格(例如 F2),不能是 2 个单元格的区域。"),
    ([[1.0, 2.0], [3.0, 4.0]], "「{}」只能引用一个单元格(例如 F2),不能是 4 个单元格的区域。"),
    ([], "「{}」只能引用一个单元格(例如 F2),不能是 0 个单元格的区域。"),
    (dt.datetime(2026, 10, 5), "「{}」是日期 2026-10-05,不是"),
    (object(), "「{}」的值无法识别(object)"),
    (None, ""), ("", ""), ("   ", ""),
])
def test_id_checks_refuse_what_is_not_one_id_with_a_message(udf, value, expected):
    column = {SB_PHONE: "手机", SB_IDCARD: "身份证号"}[udf]
    result = udf(value)
    assert result.startswith(expected.format(column)) and (expected or result == "")


def test_true_in_a_phone_cell_is_named_as_a_logical_value():
    assert SB_PHONE(True) == "「手机」是逻辑值 TRUE,不是手机号。请填写手机号。"


def test_a_one_cell_range_is_its_cell():
    assert SB_PHONE([["12345"]]) == SB_PHONE("12345") != ""
    assert SB_WAYBILL(["顺丰"], [["123"]]) == SB_WAYBILL("顺丰", "123") != ""
    assert SB_FREIGHT([["中通"]], ["广东"], [1.0]) == SB_FREIGHT("中通", "广东", 1.0) == 4.0


@pytest.mark.parametrize("args, expected", [
    ((True, "123"), "「快递公司」是逻辑值 TRUE"),
    (("顺丰", False), "「快递单号」是逻辑值 FALSE"),
    (("顺丰", ["1", "2", "3"]), "「快递单号」只能引用一个单元格"),
    ((["顺丰", "中通"], "123"), "「快递公司」只能引用一个单元格"),
    (("顺丰", dt.date(2026, 1, 2)), "「快递单号」是日期 2026-01-02"),
])
def test_waybill_arguments_that_are_not_one_value(args, expected):
    assert SB_WAYBILL(*args).startswith(expected)


@pytest.mark.parametrize("args, expected", [
    ((True, "广东", 1), "「快递公司」是逻辑值 TRUE"),
    (("中通", False, 1), "「省份」是逻辑值 FALSE"),
    (("中通", "广东", True), "「重量」是逻辑值 TRUE"),
    (("中通", "广东", [1, 2]), "「重量」只能引用一个单元格"),
    (("中通", [["广东"], ["浙江"]], 1), "「省份」只能引用一个单元格"),
    (("中通", "广东", 1, True), "「日期」是逻辑值 TRUE"),
    (("中通", "广东", 1, "下周"), "日期 下周 不是有效的日期"),
    (("中通", "广东", dt.datetime(2026, 1, 2)), "「重量」是日期 2026-01-02"),
    (("中通", "广东", object()), "「重量」的值无法识别"),
])
def test_freight_arguments_that_cannot_be_used(args, expected):
    assert SB_FREIGHT(*args).startswith(expected)


def test_an_unforeseen_error_is_one_line_in_the_cell(monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("首重")
    monkeypatch.setattr(udfs, "price_rows", broken)
    result = SB_FREIGHT("中通", "广东", 1.0)
    assert result.startswith("无法计算(KeyError:") and "\n" not in result and "Traceback" not in result


def test_the_guard_keeps_the_signature_xlwings_reads():
    import inspect
    assert list(inspect.signature(SB_FREIGHT).parameters) == ["courier", "province", "weight", "day", "caller"]
    assert SB_PHONE.__name__ == "SB_PHONE" and SB_PHONE.__doc__.startswith("手机检查")
