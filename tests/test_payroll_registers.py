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
from shopbook.core.months import parse_month
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
                                       str(tmp_path / "o.xlsx"), "--registers", str(DEMO / "客服.xlsx"),
                                       "--registers", str(DEMO / "台账.xlsx"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # the demo's 绩效 leaves the 售后客服 counts blank: they come from the registers
    people = {e["id"]: e for e in data["employees"]}
    assert "处理投诉 4 次(来自 客服.xlsx 投诉表) × 2 元" in people["E007"]["explanation"]
    assert not [f for f in data["findings"] if f["code"] == "count-differs-from-register"]
    missing = CliRunner().invoke(main, ["payroll", str(DEMO / "工资.xlsx"), "--month", "2026-10", "-o",
                                        str(tmp_path / "p.xlsx"), "--registers", str(tmp_path / "无.xlsx")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def derived(*records):
    return pd.DataFrame([{"姓名": n, "项目": i, "数量": c, "来源": src} for n, i, c, src in records])


def test_picks_packs_and_sales_come_from_the_records_by_name_or_nickname():
    people = [emp("E1", "捡单员", name="马小军"), {**emp("E2", "发货员", name="黄立强"), "花名": "老周"},
              {**emp("E3", "销售客服", 1800, name="赵雨晴"), "花名": "小美、美美"}]
    perf = [{"工号": "E1", "拣货单数": None}, {"工号": "E2", "发货单数": None},
            {"工号": "E3", "个人销售额": None, "个人销售目标": 50000}]
    batches = "拣货单.xlsx 拣货批次 JH20261001-01…JH20261031-01 共 31 批"
    findings, s = run(people, perf, derived(("马小军", "拣货单数", 812, batches),
                                            ("老周", "发货单数", 798, "台账.xlsx 发货表 包装人"),
                                            ("小美", "个人销售额", D("58600.50"), "台账.xlsx 订单表,按月报的客服归属")))
    assert s["E1"].piece_pay == D(1624)
    assert f"拣货 812 单(来自 {batches}) × 2 元" in s["E1"].explanation
    assert s["E2"].piece_pay == D(1596) and "(来自 台账.xlsx 发货表 包装人)" in s["E2"].explanation
    assert s["E3"].bonus == D("586.01")
    assert "个人销售额 58600.5(来自 台账.xlsx 订单表,按月报的客服归属)" in s["E3"].explanation
    assert codes(findings, "piece-count-missing") == [] and codes(findings, "sales-figure-missing") == []


def test_a_typed_sales_figure_that_differs_is_a_finding():
    people = [emp("E3", "销售客服", 1800, name="赵雨晴")]
    perf = [{"工号": "E3", "个人销售额": 50000, "个人销售目标": 50000}]
    findings, s = run(people, perf, derived(("赵雨晴", "个人销售额", D("49000"), "台账.xlsx 订单表")))
    assert s["E3"].bonus == D(500)  # the typed figure is paid
    found = findings[findings["code"] == "count-differs-from-register"]
    assert list(found["column"]) == ["个人销售额"] and "统计为 49000" in found["message"].iloc[0]


def test_figures_nobody_can_be_found_for_are_findings():
    people = [emp("E1", "发货员", name="黄立强"), emp("E2", "捡单员", name="王芳"), emp("E3", "捡单员", name="王芳")]
    perf = [{"工号": "E1", "发货单数": 10}, {"工号": "E2", "拣货单数": 1}, {"工号": "E3", "拣货单数": 1}]
    findings, _ = run(people, perf, derived(("阿强", "发货单数", 12, "台账.xlsx 发货表 包装人"),
                                            ("(未填)", "发货单数", 3, "台账.xlsx 发货表 包装人"),
                                            ("王芳", "拣货单数", 5, "拣货单.xlsx 拣货批次 JH20261001-01"),
                                            ("小王", "差评数", 2, "客服.xlsx 评价表")))  # not a piece count: no finding
    got = findings[findings["code"].isin(["count-name-unknown", "count-unassigned", "count-name-shared"])]
    assert sorted(zip(got["code"], got["value"])) == [("count-name-shared", "王芳"), ("count-name-unknown", "阿强"),
                                                      ("count-unassigned", "(未填)")]
    assert "员工表中没有这个姓名或花名" in got.loc[got["code"] == "count-name-unknown", "message"].iloc[0]


def _shop_folder(tmp_path):
    """工资.xlsx (counts blank), 台账.xlsx (发货 with 包装人) and 拣货单.xlsx (拣货批次 with 拣货人)."""
    from conftest import write_book
    import datetime as dt
    staff = {"员工": rows(EMP_HEADER + ["花名"], [{**emp("E1", "捡单员", name="马小军"), "花名": None},
                                                 {**emp("E2", "发货员", name="黄立强"), "花名": "老周"}]),
             "考勤": rows(ATT_HEADER, [{"工号": p, "应出勤天数": 21, "实出勤天数": 21} for p in ("E1", "E2")]),
             "绩效": rows(["工号", "拣货单数", "发货单数"], [{"工号": "E1"}, {"工号": "E2"}])}
    pay = write_book(tmp_path / "工资.xlsx", staff)
    ledger = write_book(tmp_path / "台账.xlsx", {"发货": [
        ["发货日期", "订单号", "快递公司", "快递单号", "重量(kg)", "件数", "收件人", "包装人"],
        [dt.datetime(2026, 10, 2), "T1", "中通", "ZT100000001", 0.5, 1, "张三", "老周"],
        [dt.datetime(2026, 10, 3), "T2", "中通", "ZT100000002", 0.5, 1, "李四", "老周"]]})
    picks = write_book(tmp_path / "拣货单.xlsx", {"拣货批次": [
        ["批次号", "拣货时间", "订单号", "商品编码", "数量", "拣货人", "批次状态"],
        ["JH20261002-01", dt.datetime(2026, 10, 2, 9), "T1", "S1", 1, "马小军", "已完成"],
        ["JH20261002-01", dt.datetime(2026, 10, 2, 9), "T2", "S1", 1, "马小军", "已完成"]]})
    return pay, ledger, picks


def test_cli_registers_recognise_the_ledger_and_the_pick_list(tmp_path):
    pay, ledger, picks = _shop_folder(tmp_path)
    result = CliRunner().invoke(main, ["payroll", str(pay), "--month", "2026-10", "-o", str(tmp_path / "o.xlsx"),
                                       "--registers", str(ledger), "--registers", str(picks), "--json"])
    assert result.exit_code == 0, result.output
    people = {e["id"]: e for e in json.loads(result.output)["employees"]}
    assert people["E1"]["piece_pay"] == "4.00" and "拣货单.xlsx 拣货批次 JH20261002-01" in people["E1"]["explanation"]
    assert people["E2"]["piece_pay"] == "4.00" and "台账.xlsx 发货表 包装人" in people["E2"]["explanation"]


def test_the_workbooks_beside_the_payroll_give_the_same_figures(tmp_path):
    """What the month report and the 计算工资 button use: the folder's other input workbooks."""
    from shopbook.payroll.run import attach_records, folder_records, read_payroll
    from shopbook.rules import DEFAULT_RULES
    pay, ledger, picks = _shop_folder(tmp_path)
    (tmp_path / "~$台账.xlsx").write_bytes(b"lock")
    assert folder_records(tmp_path, pay) == sorted([ledger, picks])
    tables = read_payroll(pay)
    attach_records(tables, folder_records(tmp_path, pay), DEFAULT_RULES, parse_month("2026-10"))
    result, findings = compute_payroll(tables, DEFAULT_SCHEME, parse_month("2026-10"))
    assert [s.piece_pay for s in result.slips] == [D(4), D(4)]
    assert not (findings["severity"] == "error").any()


def test_the_month_counts_from_the_sheets_it_parsed_already(tmp_path, monkeypatch):
    """The month parses 订单 and 发货 for itself; payroll's 绩效 counts take theirs from that parse
    (monthly.folder.TextBook), and count what they count from the files."""
    from shopbook.monthly import folder as month_folder
    from shopbook.payroll.run import attach_records, folder_records, read_payroll
    from shopbook.rules import DEFAULT_RULES
    from shopbook.sheets.shipping import SHIPPING
    pay, ledger, picks = _shop_folder(tmp_path)
    month = parse_month("2026-10")
    from_files = read_payroll(pay)
    attach_records(from_files, folder_records(tmp_path, pay), DEFAULT_RULES, month)

    parsed = []
    real = month_folder._text_table
    monkeypatch.setattr(month_folder, "_text_table", lambda frame, problems, hit, kind, columns:
                        parsed.append((hit.sheet, kind.name)) or real(frame, problems, hit, kind, columns))
    scanned = month_folder.scan_folder(tmp_path)
    hit = scanned.sheets[SHIPPING.name][0]
    month_folder.read_table(scanned, hit, SHIPPING, None, month_folder.SHIPPING_COLUMNS)
    tables = read_payroll(pay)
    attach_records(tables, [scanned.books.get(p, p) for p in folder_records(tmp_path, pay)], DEFAULT_RULES, month)
    assert parsed.count((hit.sheet, SHIPPING.name)) == 1  # the counts' 发货 came from the month's parse
    pd.testing.assert_frame_equal(tables.counted.reset_index(drop=True), from_files.counted.reset_index(drop=True))
