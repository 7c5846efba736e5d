"""The rules workbook: 参数 values checked and converted; a bad value is a finding and the default stays."""
import datetime as dt

import openpyxl

from shopbook.rules import DEFAULT_RULES, load_rules


def rules_book(tmp_path, rows, extra=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "参数"
    ws.append(["参数", "值", "说明"])
    for row in rows:
        ws.append(list(row))
    for name, table in (extra or {}).items():
        sheet = wb.create_sheet(name)
        for row in table:
            sheet.append(list(row))
    path = tmp_path / "规则.xlsx"
    wb.save(path)
    return path


def test_values_in_every_form_a_manager_types(tmp_path):
    path = rules_book(tmp_path, [
        ("发货截止时间", "17：30"),          # full-width colon
        ("催付截止时间", dt.time(15, 0)),    # a real time cell
        ("无理由退换天数", "１５"),           # full-width digits
        ("实付容差(元)", 0.05),
        ("库位格式", r"^[A-Z]-\d{2}$"),
        ("不认识的参数", "随便"),              # ignored, not an error
    ])
    rules, findings = load_rules(path)
    assert findings.empty
    assert rules.shipping_cutoff == dt.time(17, 30)
    assert rules.payment_cutoff == dt.time(15, 0)
    assert rules.return_days == 15
    assert rules.amount_tolerance == 0.05
    assert rules.location_pattern == r"^[A-Z]-\d{2}$"
    assert rules.stocktake_days == DEFAULT_RULES.stocktake_days


def test_bad_values_are_findings_and_defaults_stay(tmp_path):
    path = rules_book(tmp_path, [
        ("发货截止时间", "下午四点"),
        ("无理由退换天数", 7.5),
        ("实付容差(元)", -1),
        ("库位格式", "[A-"),
    ])
    rules, findings = load_rules(path)
    assert list(findings["code"]) == ["rule-invalid"] * 4
    messages = " ".join(findings["message"])
    for reason in ("16:00 这样的时间", "整数", "不小于 0", "正则表达式"):
        assert reason in messages
    assert rules.shipping_cutoff == DEFAULT_RULES.shipping_cutoff
    assert rules.return_days == DEFAULT_RULES.return_days
    assert rules.location_pattern == DEFAULT_RULES.location_pattern


def test_promotion_days_and_courier_patterns(tmp_path):
    path = rules_book(tmp_path, [], extra={
        "活动日": [("日期",), ("2026-10-01",), (dt.datetime(2026, 10, 11),)],
        "快递单号规则": [("快递公司", "单号格式", "别名"), ("顺丰", r"^SF\d{12}$", "顺丰速运、SF"), ("坏的", "([", "")],
    })
    rules, findings = load_rules(path)
    assert rules.promotion_days == (dt.date(2026, 10, 1), dt.date(2026, 10, 11))
    assert rules.courier("顺丰速运").pattern == r"^SF\d{12}$"
    assert rules.courier("中通") is not None  # couriers not listed keep their defaults
    assert list(findings["code"]) == ["rule-invalid"]


def test_patterns_are_described_for_a_clerk():
    from shopbook.rules import describe_pattern
    assert describe_pattern(r"^SF\d{12,13}$") == "SF + 12–13 位数字"
    assert describe_pattern(r"^[A-Za-z]{1,2}-\d{1,3}-\d{1,3}$") == "1–2 个字母 + 「-」 + 1–3 位数字 + 「-」 + 1–3 位数字"
    assert describe_pattern(r"^([A-Z]{2}\d{9}[A-Z]{2}|\d{13})$") == "2 个大写字母 + 9 位数字 + 2 个大写字母 或 13 位数字"
    assert describe_pattern(r"^SF(\d+)x?$") == r"^SF(\d+)x?$"  # beyond words: shown as written


def test_a_workbook_without_any_rules_sheet_is_unusable(tmp_path):
    """--rules naming 工资.xlsx or 台账.xlsx is a mistake, never silently the defaults."""
    import pytest
    from shopbook.core.errors import UnusableInput

    path = tmp_path / "工资.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "员工"
    wb.create_sheet("考勤")
    wb.save(path)
    with pytest.raises(UnusableInput) as exc:
        load_rules(path)
    message = str(exc.value)
    assert "工资.xlsx" in message and "不是规则工作簿" in message
    assert "参数、快递单号规则、快递价格" in message and "员工、考勤" in message


def test_a_rules_workbook_with_only_a_table_sheet_is_read(tmp_path):
    path = tmp_path / "规则.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "活动日"
    wb.active.append(["日期"])
    wb.active.append([dt.date(2026, 11, 11)])
    wb.save(path)
    rules, findings = load_rules(path)
    assert rules.promotion_days == (dt.date(2026, 11, 11),) and findings.empty


def test_cli_rules_naming_a_ledger_exits_2(tmp_path):
    from click.testing import CliRunner
    from conftest import write_book
    from shopbook.cli import main

    ledger = write_book(tmp_path / "台账.xlsx", {"订单": [["订单号", "收件人"], ["A1", "张三"]]})
    result = CliRunner().invoke(main, ["validate", str(ledger), "--rules", str(ledger)])
    assert result.exit_code == 2 and "台账.xlsx" in result.output and "不是规则工作簿" in result.output
    assert "Traceback" not in result.output


def test_a_promotion_day_or_roster_day_that_is_no_date_is_a_finding_on_its_cell(tmp_path):
    path = rules_book(tmp_path, [], extra={"活动日": [["日期"], [dt.date(2026, 11, 11)], ["双十一"]],
                                           "排班": [["日期", "客服"], [dt.date(2026, 11, 11), "小王"],
                                                  ["11月32日", "小李"]]})
    rules, findings = load_rules(path)
    assert rules.promotion_days == (dt.date(2026, 11, 11),)
    got = list(zip(findings["sheet"], findings["cell"], findings["code"], findings["value"]))
    assert got == [("活动日", "A3", "rule-date-invalid", "双十一"), ("排班", "A3", "rule-date-invalid", "11月32日")]
    assert "规则表「活动日」的 双十一 不是日期" in findings["message"].iloc[0]


def test_stock_ledger_rules_and_the_category_table(tmp_path):
    path = rules_book(tmp_path, [("退货归位天数", 3), ("补货参考天数", "14")],
                      extra={"商品类别": [["商品编码", "类别"], ["WX", "文胸"], ["WX1009", "运动文胸"], [None, "空"]]})
    rules, findings = load_rules(path)
    assert findings.empty
    assert (rules.return_putback_days, rules.reorder_cover_days) == (3, 14)
    assert rules.categories == (("WX1009", "运动文胸"), ("WX", "文胸"))  # the longest code first


def test_a_category_table_without_its_columns_is_a_rule_finding(tmp_path):
    path = rules_book(tmp_path, [], extra={"商品类别": [["编号", "名字"], ["WX", "文胸"]]})
    rules, findings = load_rules(path)
    assert list(findings["code"]) == ["rule-invalid"] and rules.categories == ()


def test_the_service_deadlines_are_parameters(tmp_path):
    path = rules_book(tmp_path, [("中差评生效天数", 2), ("中差评修改期限(天)", "45"), ("评价锁定提醒天数", 5),
                                 ("心情评价回访(天)", 2), ("货到付款联系时限(分钟)", 20), ("催评天数", 5),
                                 ("评价期限(天)", 14), ("投诉处理期限(天)", 1)])
    rules, findings = load_rules(path)
    assert findings.empty
    assert (rules.review_effect_days, rules.review_window_days, rules.review_warn_days, rules.mood_callback_days,
            rules.cod_contact_minutes, rules.review_chase_days, rules.review_period_days,
            rules.complaint_days) == (2, 45, 5, 2, 20, 5, 14, 1)


def test_shifts_sheet(tmp_path):
    from shopbook.rules import DEFAULT_SHIFTS, Shift
    path = rules_book(tmp_path, [], extra={"班次": [("班次", "开始时间"), ("晚班", "18:00"), ("早班", dt.time(8))]})
    rules, findings = load_rules(path)
    assert findings.empty
    assert rules.shifts == (Shift("早班", dt.time(8)), Shift("晚班", dt.time(18)))  # in the order of their start
    for table in ([("班次", "开始时间"), ("早班", "八点")], [("班次", "开始时间"), ("早班", "8:00"), ("早班", "9:00")],
                  [("名字", "时间"), ("早班", "8:00")]):
        rules, findings = load_rules(rules_book(tmp_path, [], extra={"班次": table}))
        assert list(findings["code"]) == ["rule-invalid"] and findings["sheet"].iloc[0] == "班次"
        assert rules.shifts == DEFAULT_SHIFTS
