"""绩效 counts from the 客服 registers (issue 18, item 1): used where 绩效 is blank, a typed figure
that differs is a finding, the source is in the 说明."""
from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from shopbook.cli import main
from shopbook.payroll.job import compute_payroll
from shopbook.payroll.months import parse_month
from shopbook.payroll.run import memory_book, read_payroll_book
from shopbook.rules.pay import DEFAULT_SCHEME
from test_payroll import ATT_HEADER, EMP_HEADER, codes, emp, rows

DEMO = Path(__file__).resolve().parent.parent / "shopbook" / "data" / "demo"


def counted(*records):
    return pd.DataFrame([{"姓名": n, "项目": i, "数量": c, "来源": "客服.xlsx 投诉表"} for n, i, c in records])


def run(employees, performance, counts):
    sheets = {"员工": rows(EMP_HEADER, employees),
              "考勤": rows(ATT_HEADER, [{"工号": e["工号"], "应出勤天数": 21, "实出勤天数": 21} for e in employees]),
              "绩效": rows(["工号"], performance)}
    tables = read_payroll_book(memory_book(sheets))
    tables.counted = counts
    result, findings = compute_payroll(tables, DEFAULT_SCHEME, parse_month("2026-10"))
    return findings, {s.id: s for s in result.slips}


def test_blank_counts_come_from_the_registers_with_their_source():
    people = [emp("E1", "售后客服", name="吴思琪")]
    perf = [{"工号": "E1", "投诉处理数": None, "差评改好数": 3, "催评数": None, "差评数": 0}]
    findings, s = run(people, perf, counted(("吴思琪", "投诉处理数", 4), ("吴思琪", "差评改好数", 3),
                                            ("吴思琪", "催评数", 93)))
    assert s["E1"].piece_pay == D(4 * 2 + 3 * 5 + 93 * 1)
    assert "处理投诉 4 次(来自 客服.xlsx 投诉表) × 2 元" in s["E1"].explanation
    assert codes(findings, "piece-count-missing") == [] and codes(findings, "count-differs-from-register") == []


def test_a_typed_count_that_differs_is_a_finding_and_the_typed_one_is_paid():
    people = [emp("E1", "售后客服", name="吴思琪")]
    perf = [{"工号": "E1", "投诉处理数": 36, "差评改好数": 3, "催评数": 93, "差评数": 0}]
    findings, s = run(people, perf, counted(("吴思琪", "投诉处理数", 4)))
    assert s["E1"].piece_pay == D(36 * 2 + 3 * 5 + 93)
    found = findings[findings["code"] == "count-differs-from-register"]
    assert len(found) == 1 and found["severity"].iloc[0] == "warning"
    assert "填写 36,按 客服.xlsx 投诉表 统计为 4" in found["message"].iloc[0]


def test_a_name_two_employees_share_is_not_placed():
    people = [emp("E1", "售后客服", name="王芳"), emp("E2", "售后客服", name="王芳")]
    perf = [{"工号": p, "投诉处理数": None, "差评改好数": 0, "催评数": 0, "差评数": 0} for p in ("E1", "E2")]
    findings, s = run(people, perf, counted(("王芳", "投诉处理数", 4)))
    assert codes(findings, "piece-count-missing") == ["piece-count-missing", "piece-count-missing"]


def test_shop_bad_reviews_from_the_registers_when_nobody_typed_them():
    people = [emp("E1", "售后客服", name="吴思琪")]
    perf = [{"工号": "E1", "投诉处理数": 0, "差评改好数": 0, "催评数": 0}]
    findings, s = run(people, perf, counted(("吴思琪", "差评数", 2), ("(未填)", "差评数", 1)))
    assert s["E1"].bonus == 0 and "本月全店差评 3 条" in s["E1"].explanation
    assert codes(findings, "shop-count-missing") == []


def test_cli_registers_option_on_the_demo(tmp_path):
    result = CliRunner().invoke(main, ["payroll", str(DEMO / "工资.xlsx"), "--month", "2026-10", "-o",
                                       str(tmp_path / "o.xlsx"), "--registers", str(DEMO / "客服.xlsx"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    differs = [f for f in data["findings"] if f["code"] == "count-differs-from-register"]
    # the demo's 绩效 was typed by hand: its 售后客服 counts disagree with the registers
    assert {f["value"] for f in differs} and all("客服.xlsx" in f["message"] for f in differs)
    missing = CliRunner().invoke(main, ["payroll", str(DEMO / "工资.xlsx"), "--month", "2026-10", "-o",
                                        str(tmp_path / "p.xlsx"), "--registers", str(tmp_path / "无.xlsx")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output
