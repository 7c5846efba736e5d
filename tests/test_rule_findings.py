"""Every job reports every finding it was given: a bad value in the rules workbook (and, for
the month, the payroll's and the reconciliation's findings) shows in each job's --json."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from conftest import write_book
from shopbook.cli import main
from test_payroll import ATT_HEADER, EMP_HEADER, emp, rows
from test_picking_golden import ORDERS, SHIPPING, STOCK

AS_OF = "2026-10-31 18:00"


@pytest.fixture
def bad_rules(tmp_path):
    """A rules workbook whose 发货截止时间 cannot be read (rule-invalid, error)."""
    return write_book(tmp_path / "规则.xlsx", {"参数": [["参数", "值"], ["发货截止时间", "下午四点"]]})


def run(*args) -> tuple[int, dict]:
    result = CliRunner().invoke(main, [*map(str, args), "--json"], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


def rule_findings(data) -> list[tuple[str, str]]:
    return [(f["sheet"], f["value"]) for f in data["findings"] if f["code"] == "rule-invalid"]


def test_validate(tmp_path, bad_rules):
    ledger = write_book(tmp_path / "台账.xlsx", {"订单": ORDERS, "库存": STOCK})
    code, data = run("validate", ledger, "--rules", bad_rules, "--as-of", AS_OF)
    assert rule_findings(data) == [("参数", "发货截止时间=下午四点")] and code == 1


def test_picklist(tmp_path, bad_rules):
    ledger = write_book(tmp_path / "台账.xlsx", {"订单": ORDERS, "库存": STOCK, "发货": SHIPPING})
    code, data = run("picklist", ledger, "--rules", bad_rules, "-o", tmp_path / "拣货单.xlsx", "--as-of", AS_OF)
    assert rule_findings(data) == [("参数", "发货截止时间=下午四点")] and code == 1


def test_reconcile(tmp_path, bad_rules):
    d = dt.date(2026, 10, 5)
    register = write_book(tmp_path / "发货.xlsx", {"发货": [["发货日期", "订单号", "快递公司", "快递单号", "重量"],
                                                         [d, "O1", "中通", "ZT1", 1.0]]})
    bill = write_book(tmp_path / "账单.xlsx", {"账单": [["运单号", "揽收日期", "目的地", "结算重量", "应付金额"],
                                                    ["ZT1", d, "广东", 1, 4]]})
    code, data = run("reconcile", bill, register, "--rules", bad_rules, "--as-of", AS_OF)
    assert rule_findings(data) == [("参数", "发货截止时间=下午四点")] and code == 1


def test_payroll(tmp_path, bad_rules):
    people = [emp("E1", "文案编辑", name="韩雪")]
    book = write_book(tmp_path / "工资.xlsx", {"员工": rows(EMP_HEADER, people), "考勤": rows(
        ATT_HEADER, [{"工号": "E1", "应出勤天数": 21, "实出勤天数": 21}])})
    code, data = run("payroll", book, "--month", "2026-10", "--rules", bad_rules, "-o", tmp_path / "结果.xlsx")
    assert rule_findings(data) == [("参数", "发货截止时间=下午四点")] and code == 1


def test_month_reports_the_rules_the_payroll_and_the_bill_findings(tmp_path, bad_rules):
    from test_monthly import month_folder

    folder = month_folder(tmp_path / "10月", previous=False)
    people = [emp("E1", "文案编辑", name="韩雪", account="6222020023757000008")]  # fails the Luhn check
    write_book(folder / "工资.xlsx", {"员工": rows(EMP_HEADER, people), "考勤": rows(
        ATT_HEADER, [{"工号": "E1", "应出勤天数": 21, "实出勤天数": 21}])})
    write_book(folder / "zto.xlsx", {"中通": [["快递单号", "寄件日期", "目的省份", "计费重量", "运费"],
                                             ["773123456789", dt.date(2026, 10, 2), "浙江", 1.5, "九元"]]})
    code, data = run("month", "--month", "2026-10", "--in", folder, "--rules", bad_rules,
                     "-o", tmp_path / "月报.xlsx", "--as-of", AS_OF)
    assert rule_findings(data) == [("参数", "发货截止时间=下午四点")] and code == 1
    by_code = {f["code"]: f for f in data["findings"]}
    assert by_code["bank-account-luhn"]["sheet"] == "工资.xlsx:员工" and by_code["bank-account-luhn"]["cell"]
    bad_fee = by_code["money-invalid"]
    assert (bad_fee["sheet"], bad_fee["cell"], bad_fee["value"]) == ("zto.xlsx:中通", "E2", "九元")
