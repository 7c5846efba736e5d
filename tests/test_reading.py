"""The reading layer (SPEC §Reading sheets) on messy sheets."""
import datetime as dt

import openpyxl
import pandas as pd
import pytest

from shopbook.sheets.orders import ORDERS
from shopbook.reading import cells
from shopbook.reading.files import open_workbook
from shopbook.reading.tables import read_table

HEADER = ["订单编号", "收货人", "联系电话", "收货地址", "商家编码", "购买数量", "实付"]


def table_of(book, rows, sheet="订单"):
    return read_table(open_workbook(book({sheet: rows})), ORDERS)


def codes_at(table):
    f = table.findings
    return sorted(zip(f["cell"].fillna("-"), f["code"]))


def test_header_below_merged_title_and_aliases(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["某某旗舰店 2026年10月订单明细"])
    ws.merge_cells("A1:G1")
    ws.append([])
    ws.append(HEADER)
    ws.append(["T1", "张三", "13812345678", "广东省深圳市南山区科技园1号", "SKU1", 1, 59.9])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    t = read_table(open_workbook(path), ORDERS)
    assert t.sheet == "Sheet1" and t.header_row == 3
    assert list(t.data.index) == [4]
    assert t.headers["手机"] == "联系电话" and t.letters["手机"] == "C"
    assert t.data.loc[4, "实付金额"] == 5990


def test_ids_stored_as_numbers(book):
    t = table_of(book, [HEADER,
                        ["000123", "a", "13812345678", "x", "S1", 1, 1],
                        [773123456789012, "a", "13812345678", "x", "S1", 1, 1],
                        [123456789012345678, "a", "13812345678", "x", "S1", 1, 1],
                        [123, "a", "13812345678", "x", "S1", 1, 1],
                        ["000124", "a", "13812345678", "x", "S1", 1, 1]])
    found = codes_at(t)
    assert ("A3", "id-stored-as-number") in found
    assert ("A4", "id-digits-lost") in found
    assert ("A5", "id-leading-zeros-lost") in found
    assert t.data.loc[3, "订单号"] == "773123456789012"
    assert t.data.loc[4, "订单号"] is None  # lost digits are never guessed
    msg = t.findings.set_index("cell").loc["A4", "message"]
    assert "1.23457E+17" in msg


def test_full_width_digits_normalised_once_per_column(book):
    t = table_of(book, [HEADER,
                        ["T1", "张三", "１３８１２３４５６７８", "x", "S1", "２", 1],
                        ["T2", "张三", "１３９１２３４５６７８", "x", "S1", 1, 1]])
    assert t.data.loc[2, "手机"] == "13812345678"
    assert t.data.loc[2, "数量"] == 2
    normalised = t.findings[t.findings["code"] == "normalised"]
    assert list(normalised["column"]) == ["联系电话"]
    assert "2 个值" in normalised["message"].iloc[0]


@pytest.mark.parametrize("value, expected", [
    (dt.datetime(2026, 10, 5, 9, 30), "2026-10-05 09:30"),
    ("2026-10-05", "2026-10-05 00:00"),
    ("2026/10/5", "2026-10-05 00:00"),
    ("2026.10.5", "2026-10-05 00:00"),
    ("2026年10月5日", "2026-10-05 00:00"),
    ("20261005", "2026-10-05 00:00"),
    ("2026-10-05 14:03:07", "2026-10-05 14:03"),
    (46300.5, "2026-10-05 12:00"),
    ("２０２６－１０－０５", "2026-10-05 00:00"),
])
def test_date_forms(value, expected):
    parsed, problems = cells.parse_date(pd.Series([value], index=[2], dtype=object))
    assert parsed[2].strftime("%Y-%m-%d %H:%M") == expected
    assert not any(mask.any() for mask, _ in problems.values())


@pytest.mark.parametrize("value, code", [("2026-02-30", "date-invalid"), ("昨天", "date-invalid"),
                                         ("10/5", "date-ambiguous"), ("5/10/26", "date-ambiguous"),
                                         ("2026-13-01", "date-invalid"), ("2026-10-05 25:00", "date-invalid")])
def test_bad_dates(value, code):
    parsed, problems = cells.parse_date(pd.Series([value], index=[7], dtype=object))
    assert pd.isna(parsed[7])
    assert problems[code][0][7]


@pytest.mark.parametrize("value, fen", [(59.9, 5990), ("¥1,234.50", 123450), ("￥12", 1200), (1.005, 101),
                                        ("1.005", 101), ("2.675元", 268), (119.80000000000001, 11980),
                                        ("-3.5", -350), (0, 0)])
def test_money_to_exact_fen_half_up(value, fen):
    parsed, problems = cells.parse_money(pd.Series([value], dtype=object))
    assert parsed[0] == fen
    assert not problems["money-invalid"][0].any()


def test_money_invalid():
    parsed, problems = cells.parse_money(pd.Series(["abc", None], dtype=object))
    assert problems["money-invalid"][0].tolist() == [True, False]


def test_total_rows_and_blank_rows_skipped(book):
    t = table_of(book, [HEADER,
                        ["T1", "张三", "13812345678", "x", "S1", 1, 10],
                        [None] * 7,
                        ["T2", "张三", "13812345678", "x", "S1", 1, 10],
                        ["合计", None, None, None, None, 2, 20],
                        [None, "小计:", None, None, None, 2, 20]])
    assert list(t.data.index) == [2, 4]


def test_sheet_found_by_header_when_name_unknown(book):
    t = table_of(book, [HEADER, ["T1", "张三", "13812345678", "x", "S1", 1, 10]], sheet="Sheet3")
    assert t is not None and t.sheet == "Sheet3"


def test_order_level_fields_filled_from_first_line(book):
    t = table_of(book, [HEADER,
                        ["T1", "张三", "13812345678", "广东省深圳市南山区科技园1号", "S1", 1, 10],
                        ["T1", None, None, None, "S2", 1, 10]])
    assert t.data.loc[3, "收件人"] == "张三"
    assert "required-missing" not in set(t.findings["code"])


def test_missing_required_column_is_sheet_level(book):
    t = table_of(book, [["订单编号", "收货人", "商家编码", "购买数量"], ["T1", "a", "S1", 1]])
    missing = t.findings[t.findings["code"] == "missing-column"]
    assert set(missing["column"]) == {"手机", "详细地址"}
    assert missing["row"].isna().all() and missing["cell"].isna().all()


def test_export_wrappers_around_text_ids_are_removed(tmp_path):
    # a Taobao csv export keeps long IDs as ="…"; people type a leading ' ; some exports add a tab
    path = tmp_path / "export.csv"
    path.write_text(",".join(HEADER) + "\n"
                    + '"=""3912345678901234567""",张三,\'13812345678,广东省深圳市南山区科技园1号,\tWX-001,1,59.9\n',
                    encoding="utf-8-sig")
    t = read_table(open_workbook(path), ORDERS)
    assert t.data.loc[2, "订单号"] == "3912345678901234567"
    assert t.data.loc[2, "手机"] == "13812345678"
    assert t.data.loc[2, "商品编码"] == "WX-001"
    assert "phone-invalid" not in set(t.findings["code"])


@pytest.mark.parametrize("text, status", [
    ("买家已付款，等待卖家发货", "待发货"), ("卖家已发货，等待买家确认", "已发货"), ("交易成功", "已完成"),
    ("等待买家付款", "待付款"), ("付款以后用户退款成功，交易自动关闭", "已关闭"), ("等待出库", "待发货"),
    ("待发货", "待发货")])
def test_platform_order_statuses_are_understood(book, text, status):
    t = table_of(book, [HEADER + ["订单状态"], ["T1", "张三", "13812345678", "广东省深圳市南山区科技园1号", "S1", 1, 9, text]])
    assert t.data.loc[2, "状态"] == status
    assert "value-not-allowed" not in set(t.findings["code"])


def test_formula_errors_are_reported_not_read_as_blank(book, tmp_path):
    # openpyxl stores "#N/A" as an Excel error cell (t="e"), as a broken VLOOKUP leaves it
    rows = [HEADER + ["付款时间"],
            ["T1", "张三", "13812345678", "广东省深圳市南山区科技园1号", "#N/A", 1, 59.9, "#VALUE!"],
            ["T2", "李四", "13812345678", "广东省深圳市南山区科技园1号", "S2", 1, 59.9, "2026-10-05 10:00"]]
    t = table_of(book, rows)
    assert ("E2", "formula-error") in codes_at(t) and ("H2", "formula-error") in codes_at(t)
    assert ("E2", "required-missing") not in codes_at(t)
    assert t.data.loc[2, "商品编码"] is None and pd.isna(t.data.loc[2, "付款时间"])
    # a csv export keeps the error as text: the same finding
    path = tmp_path / "x.csv"
    path.write_text(",".join(HEADER) + "\nT1,张三,13812345678,广东省深圳市南山区科技园1号,#N/A,1,59.9\n", encoding="utf-8")
    assert ("E2", "formula-error") in codes_at(read_table(open_workbook(path), ORDERS))


def test_absurdly_large_numbers_are_findings_not_crashes(book):
    rows = [HEADER, ["T1", "张三", "13812345678", "广东省深圳市南山区科技园1号", "S1", 10 ** 20, 1e300],
            ["T2", "张三", "13812345678", "广东省深圳市南山区科技园1号", "S1", 1, "¥99999999999999"]]
    t = table_of(book, rows)
    assert [c for c in codes_at(t) if c[1] == "value-too-large"] == [("F2", "value-too-large"),
                                                                      ("G2", "value-too-large"),
                                                                      ("G3", "value-too-large")]
    assert pd.isna(t.data.loc[2, "数量"]) and pd.isna(t.data.loc[2, "实付金额"])


@pytest.mark.parametrize("value", [dt.datetime(3026, 10, 5, 9, 0), dt.date(9999, 12, 31), "3026-10-05 09:00",
                                   "3026年10月5日", "30261005", 30261005, 200000.0, 132321, dt.datetime(1, 1, 1),
                                   "0001-01-01", dt.date(1899, 12, 31), "1899-12-31", float("inf")])
def test_dates_outside_1900_to_2099_are_invalid_not_a_crash(value):
    # 3026 typed for 2026 once raised OutOfBoundsDatetime (datetime64[ns] ends in 2262) in every command
    parsed, problems = cells.parse_date(pd.Series([value, "2026-10-05"], index=[7, 8], dtype=object))
    assert pd.isna(parsed[7]) and parsed[8] == pd.Timestamp("2026-10-05")
    assert problems["date-invalid"][0].tolist() == [True, False]


def test_out_of_range_dates_through_the_fast_reader():
    from shopbook.reading import fast
    raw = pd.Series(["3026-10-05 00:00:00", "2026-10-05 00:00:00", "0001-01-01 00:00:00", "200000"],
                    index=[2, 3, 4, 5], dtype="str")
    parsed, problems = fast.parse_date_text(raw)
    assert parsed.dtype == "datetime64[ns]" and parsed.isna().tolist() == [True, False, True, True]
    assert problems["date-invalid"][0].tolist() == [True, False, True, True]


@pytest.mark.parametrize("text", ["1e309", "1" * 29, "1e999999999999", "-1" + "0" * 40])
def test_money_text_too_large_for_decimal_is_a_finding(text):
    # once decimal.InvalidOperation from quantize (Decimal keeps 28 digits)
    parsed, problems = cells.parse_money(pd.Series([text, "12.50"], dtype=object))
    assert pd.isna(parsed[0]) and parsed[1] == 1250
    assert problems["value-too-large"][0].tolist() == [True, False]
    assert not problems["money-invalid"][0].any()


def test_excel_error_values_in_the_fast_reader_are_formula_errors(tmp_path):
    # fastexcel cannot render #N/A/#REF! as text: once KeyError 'cell-unreadable' (a code never defined)
    from shopbook.courier.job import COURIER_BILL
    from shopbook.reading import fast
    from conftest import write_book
    path = write_book(tmp_path / "bill.xlsx", {"账单": [["快递单号", "计费重量", "运费"], ["ZT1", "#N/A", "#REF!"],
                                                        ["ZT2", 1, 2], ["#NAME?", 1, 2]]})
    (table,) = fast.read_sheets(path, COURIER_BILL)
    found = sorted(zip(table.findings["cell"], table.findings["code"], table.findings["value"]))
    assert found == [("A4", "formula-error", "#NAME?"), ("B2", "formula-error", "#N/A"),
                     ("C2", "formula-error", "#REF!")]
    assert pd.isna(table.data.loc[2, "运费"]) and table.data.loc[3, "运费"] == 200


def test_fast_total_rows_match_the_general_hint():
    """The fast path finds total labels in one pyarrow pass: the same rows as Python's regex,
    also behind a full-width or no-break space, and a cell that is not text falls back."""
    from shopbook.reading import cells, fast

    values = ["合计", "\u3000Total:", "\xa0ｓｕｍ", " 小计", "总额", "SKU001", "tb123", None, "x合计", "abc"]
    body = pd.DataFrame({0: pd.Series(values, dtype="str"), 1: pd.Series(values, dtype=object)})
    expected = [cells.is_total_label(v) for v in values]
    assert fast.total_rows(body).tolist() == expected == [True, True, True, True, True] + [False] * 5
    mixed = pd.DataFrame({0: pd.Series(["合计", 3, None], dtype=object)})
    assert fast.total_rows(mixed).tolist() == [True, False, False]


def test_fast_total_hint_is_a_superset_of_the_labels():
    """Every cell is_total_label takes is a candidate of the fast hint; ordinary data is not."""
    from shopbook.reading import cells, fast

    labels = ["total", "TOTAL:", "Sum：", "ｔｏｔａｌ", " \u3000sum ", "合计", "小 计", "总额："]
    data = ["tb12345", "SKU00012", "sunny_lily", "2026-10-01 09:00:00", "3800000000000001", "S", "黑"]
    hint = fast.contains(pd.Series(labels + data, dtype="str"), fast._TOTAL_HINT_RE2)
    assert all(cells.is_total_label(v) for v in labels)
    assert hint.tolist() == [True] * len(labels) + [False, False, False, False, False, True, False]


def test_date_cells_vectorised_keep_range_and_wall_time():
    """Native date cells are converted in one pass: out-of-range years are date-invalid, a date is
    its midnight, and a cell with a time zone keeps its wall time."""
    raw = pd.Series([dt.datetime(2026, 10, 5, 9, 30), dt.date(2026, 10, 6), dt.datetime(2100, 1, 1),
                     dt.datetime(1899, 12, 31), dt.datetime(2099, 12, 31, 23, 59, 59)], index=range(2, 7), dtype=object)
    parsed, problems = cells.parse_date(raw)
    assert parsed.tolist()[:2] == [pd.Timestamp("2026-10-05 09:30"), pd.Timestamp("2026-10-06")]
    assert problems["date-invalid"][0].tolist() == [False, False, True, True, False]
    zoned = pd.Series([dt.datetime(2026, 10, 5, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))], dtype=object)
    assert cells.parse_date(zoned)[0].tolist() == [pd.Timestamp("2026-10-05 09:30")]
