"""奖罚登记 (issue 18, item 2): the register's checks, attendance points and the 奖罚评分表 of the
payroll result, with the warning when it is made after the day before payday."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

import openpyxl
from click.testing import CliRunner

from conftest import write_book
from shopbook.cli import main
from shopbook.rules.pay import DEFAULT_SCHEME
from shopbook.payroll.job import compute_payroll
from shopbook.core.months import parse_month
from shopbook.payroll.run import memory_book, read_payroll_book
from shopbook.payroll.scores import payday
from test_payroll import ATT_HEADER, EMP_HEADER, emp, rows

RH = ["日期", "工号", "姓名", "事由", "奖/罚", "金额", "分值", "批准人", "关联订单/评价"]
IH = ["日期", "订单号", "责任人", "经过"]
OCT = dt.datetime(2026, 10, 1)


def reward(day, pid, reason, kind, amount=None, points=None, approver="王海峰", linked=None):
    return [dt.datetime(2026, 10, day), pid, None, reason, kind, amount, points, approver, linked]


def run(entries, incidents=None, attendance=None, as_of=dt.date(2026, 11, 5)):
    people = [emp("E1", "捡单员", name="马小军"), emp("E2", "售后客服", name="吴思琪")]
    sheets = {"员工": rows(EMP_HEADER, people),
              "考勤": rows(ATT_HEADER + ["请假次数"], attendance or [
                  {"工号": "E1", "应出勤天数": 21, "实出勤天数": 21, "迟到早退次数": 2, "请假次数": 1},
                  {"工号": "E2", "应出勤天数": 21, "实出勤天数": 21}]),
              "绩效": rows(["工号", "拣货单数", "投诉处理数", "差评改好数", "催评数", "差评数"],
                         [{"工号": "E1", "拣货单数": 10}, {"工号": "E2", "投诉处理数": 0, "差评改好数": 0, "催评数": 0,
                                                          "差评数": 0}]),
              "奖罚登记": [RH, *entries]}
    if incidents is not None:
        sheets["仓库事故"] = [IH, *incidents]
    tables = read_payroll_book(memory_book(sheets))
    result, findings = compute_payroll(tables, DEFAULT_SCHEME, parse_month("2026-10"), as_of=as_of)
    return result, findings


def found(findings, prefix=("reward-", "score-")):
    f = findings[findings["code"].str.startswith(prefix)]
    return sorted(zip(f["code"], f["row"].fillna(0).astype(int)))


def test_the_score_sheet_adds_points_and_amounts_per_person():
    result, findings = run([reward(3, "E2", "好评改善", "奖", 50, 2), reward(8, "E2", "客户投诉", "罚", 100, -3),
                            reward(9, "E2", "发错货", "罚", 50, 1),  # a penalty's points count down whatever the sign
                            [dt.datetime(2026, 9, 30), "E2", None, "上月的", "奖", 100, 5, "王海峰", None]])
    by_id = {r["工号"]: r for r in result.scores.to_dict("records")}
    assert by_id["E2"]["奖励分"] == 2 and by_id["E2"]["处罚分"] == -4 and by_id["E2"]["合计分"] == -2
    assert by_id["E2"]["奖励金额"] == D("50.00") and by_id["E2"]["罚款金额"] == D("150.00")
    assert "10-03 奖:好评改善 50 元 +2 分" in by_id["E2"]["说明"]
    # attendance: 2 late × −2, 1 leave × −1
    assert by_id["E1"]["考勤扣分"] == -5 and by_id["E1"]["合计分"] == -5
    assert "迟到早退 2 次 × −2 分;请假 1 次 × −1 分" == by_id["E1"]["说明"]
    assert found(findings) == []
    assert result.scored_on == dt.date(2026, 11, 5)


def test_register_checks():
    result, findings = run([reward(3, "E2", "客户投诉", "罚", 300, 1),  # over 200
                            reward(4, "E2", "客户投诉", "罚", 20, 1),  # under 50
                            reward(5, "E2", None, "罚", 100, 1),  # no reason
                            reward(6, "E2", "好评改善", "奖", 50, 1, approver=None),  # no approver
                            reward(7, "E1", "仓库事故:发错色", "罚", 100, 2, linked="T1"),  # its incident exists
                            reward(8, "E1", "仓库事故", "罚", 100, 2),  # an incident on the same day
                            reward(9, "E1", "仓库事故", "罚", 100, 2, linked="T9"),  # no such incident
                            reward(9, "E9", "好评改善", "奖", 10, 1)],  # not on the payroll
                           incidents=[[dt.datetime(2026, 10, 7), "T1", "马小军", "发错颜色"],
                                      [dt.datetime(2026, 10, 8), None, "马小军", "摔坏一箱"]])
    assert found(findings) == [("reward-approver-missing", 5), ("reward-incident-missing", 8),
                               ("reward-penalty-out-of-range", 2), ("reward-penalty-out-of-range", 3),
                               ("reward-person-unknown", 9), ("reward-reason-missing", 4)]
    message = findings.loc[findings["code"] == "reward-penalty-out-of-range", "message"].iloc[0]
    assert "50–200" in message


def test_an_incident_penalty_without_the_incident_sheet():
    _, findings = run([reward(7, "E1", "仓库事故", "罚", 100, 2)])
    f = findings[findings["code"] == "reward-incident-missing"]
    assert len(f) == 1 and "没有「仓库事故」表" in f["message"].iloc[0]


def test_payday_and_the_late_warning():
    assert payday(dt.date(2026, 10, 1), DEFAULT_SCHEME) == dt.date(2026, 11, 10)
    assert payday(dt.date(2026, 12, 1), DEFAULT_SCHEME) == dt.date(2027, 1, 10)
    _, on_time = run([], as_of=dt.date(2026, 11, 9))
    assert found(on_time) == []
    _, late = run([], as_of=dt.date(2026, 11, 10))
    assert found(late) == [("score-sheet-late", 0)]
    assert "2026-11-09" in late.loc[late["code"] == "score-sheet-late", "message"].iloc[0]


def test_no_register_no_score_sheet():
    people = [emp("E1", "捡单员", name="马小军")]
    tables = read_payroll_book(memory_book({"员工": rows(EMP_HEADER, people),
                                            "考勤": rows(ATT_HEADER, [{"工号": "E1", "应出勤天数": 21, "实出勤天数": 21}]),
                                            "绩效": rows(["工号", "拣货单数"], [{"工号": "E1", "拣货单数": 1}])}))
    result, findings = compute_payroll(tables, DEFAULT_SCHEME, parse_month("2026-10"), as_of=dt.date(2027, 1, 1))
    assert result.scores is None and "score-sheet-late" not in set(findings["code"])


def test_cli_writes_the_score_sheet_from_a_registers_workbook(tmp_path):
    people = [emp("E1", "捡单员", name="马小军")]
    pay = write_book(tmp_path / "工资.xlsx", {
        "员工": rows(EMP_HEADER, people),
        "考勤": rows(ATT_HEADER, [{"工号": "E1", "应出勤天数": 21, "实出勤天数": 21, "迟到早退次数": 1}]),
        "绩效": rows(["工号", "拣货单数"], [{"工号": "E1", "拣货单数": 1}])})
    book = write_book(tmp_path / "奖罚登记.xlsx", {"奖罚登记": [RH, reward(3, "E1", "超额完成", "奖", 100, 3)]})
    out = tmp_path / "结果.xlsx"
    result = CliRunner().invoke(main, ["payroll", str(pay), "--month", "2026-10", "-o", str(out), "--registers",
                                       str(book), "--as-of", "2026-11-12", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert "score-sheet-late" in [f["code"] for f in data["findings"]]
    assert data["scores"] == {"date": "2026-11-12", "people": [
        {"id": "E1", "name": "马小军", "reward_points": "3", "penalty_points": "0", "attendance_points": "-2",
         "points": "1", "reward": "100.00", "penalty": "0.00", "entries": "10-03 奖:超额完成 100 元 +3 分;迟到早退 1 次 × −2 分"}]}
    ws = openpyxl.load_workbook(out)["奖罚评分表"]
    assert ws["A1"].value == "2026 年 10 月 奖罚评分表    制表日期 2026-11-12"
    assert [c.value for c in ws[2]][:8] == ["序号", "工号", "姓名", "岗位", "奖励分", "处罚分", "考勤扣分", "合计分"]
    assert [c.value for c in ws[3]][4:8] == [3, 0, -2, 1]
    assert int(ws.page_setup.paperSize) == 9 and ws.print_title_rows == "$2:$2"  # A4
