"""`shopbook payroll` end to end: exit codes, --json, the result workbook (工资表, 工资条,
银行代发), the bank csv and its formula-injection safety, the demo step."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import needs_tools, write_book
from shopbook.cli import main
from shopbook.payroll.xlsx import csv_safe
from test_payroll import ATT_HEADER, EMP_HEADER, card, emp, id_card, rows

DEMO = Path(__file__).resolve().parent.parent / "shopbook" / "data" / "demo" / "工资.xlsx"


def invoke(*args):
    return CliRunner().invoke(main, ["payroll", *args], catch_exceptions=False)


def payroll_book(tmp_path, people, performance=None, name="工资.xlsx", **sheets):
    data = {"员工": rows(EMP_HEADER, people),
            "考勤": rows(ATT_HEADER, [{"工号": p["工号"], "应出勤天数": 21, "实出勤天数": 21} for p in people])}
    if performance:
        data["绩效"] = rows(["工号"], performance)
    data.update(sheets)
    return write_book(tmp_path / name, data)


@pytest.fixture
def clean(tmp_path):
    people = [emp("E1", "捡单员", name="马小军", si=4462, fund="5%"), emp("E2", "文案编辑", name="韩雪"),
              emp("E3", "发货员", name="黄立强")]
    perf = [{"工号": "E1", "拣货单数": 812}, {"工号": "E3", "发货单数": 798, "罚款": "100+50"}]
    return payroll_book(tmp_path, people, perf)


def test_json_and_exit_0(clean, tmp_path):
    out, bank = tmp_path / "结果.xlsx", tmp_path / "代发.csv"
    r = invoke(str(clean), "--month", "2026-10", "-o", str(out), "--bank-csv", str(bank), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["month"] == "2026-10"
    e1 = data["employees"][0]
    assert {k for k in ("id", "name", "position", "base", "absence_deduction", "piece_pay", "bonus", "reward",
                        "penalty", "gross", "social_insurance", "housing_fund", "special_deduction", "iit",
                        "annual_bonus_tax", "net", "explanation")} <= set(e1)
    # E1: 1500 + 812 × 2 = 3124.00; 社保 4462 × 10.5% = 468.51; 公积金 223.10; net 2432.39
    assert (e1["gross"], e1["social_insurance"], e1["housing_fund"], e1["net"]) == (
        "3124.00", "468.51", "223.10", "2432.39")
    assert "拣货 812 单 × 2 元" in e1["explanation"]
    # E3: 1500 + 798 × 2 − (100 + 50) = 2946.00
    assert data["employees"][2]["penalty"] == "150.00" and data["employees"][2]["net"] == "2946.00"
    # totals: 2432.39 + 3200.00 + 2946.00 = 8578.39
    assert data["totals"]["net"] == "8578.39" and data["bank"]["total"] == "8578.39"
    assert isinstance(data["findings"], list)
    assert out.exists() and bank.exists()


def test_exit_1_lists_the_affected_people(tmp_path):
    people = [emp("E1", "捡单员", name="马小军"), emp("E2", "销售客服", name="赵雨晴")]  # no counts, no 底薪
    path = payroll_book(tmp_path, people, [{"工号": "E2", "个人销售额": 100, "个人销售目标": 50}])
    r = invoke(str(path), "--month", "2026-10", "--json")
    assert r.exit_code == 1
    data = json.loads(r.output)
    assert {a["id"]: a["codes"] for a in data["affected"]} == {"E1": ["piece-count-missing"], "E2": ["base-missing"]}
    r = invoke(str(path), "--month", "2026-10")
    assert r.exit_code == 1 and "马小军(E1)" in r.output and "请勿直接提交银行" in r.output


def test_unusable_input_exits_2(tmp_path, clean):
    assert invoke(str(tmp_path / "没有.xlsx"), "--month", "2026-10").exit_code == 2
    assert invoke(str(clean), "--month", "2026-13").exit_code == 2
    assert invoke(str(clean)).exit_code == 2  # --month is required
    no_roster = write_book(tmp_path / "无员工.xlsx", {"杂项": [["a", "b"], [1, 2]]})
    r = invoke(str(no_roster), "--month", "2026-10")
    assert r.exit_code == 2 and "员工" in r.output and "Traceback" not in r.output
    broken = tmp_path / "坏文件.xlsx"
    broken.write_bytes(b"not a zip")
    assert invoke(str(broken), "--month", "2026-10").exit_code == 2
    # the 个税累计 already holds October: applying the same month twice is refused
    twice = payroll_book(tmp_path, [emp("E1", "文案编辑")], name="两次.xlsx", 个税累计=[
        ["工号", "累计月数", "累计收入", "累计已预扣税额", "年份", "截至月份"], ["E1", 10, 32000, 0, 2026, 10]])
    r = invoke(str(twice), "--month", "2026-10")
    assert r.exit_code == 2 and "同一个月不能应用两次" in r.output
    # the output may not overwrite the input
    assert invoke(str(clean), "--month", "2026-10", "-o", str(clean)).exit_code == 2


def sheet_rows(path, sheet):
    return [list(r) for r in openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True)]


def test_result_workbook(clean, tmp_path):
    out = tmp_path / "结果.xlsx"
    assert invoke(str(clean), "--month", "2026-10", "-o", str(out)).exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == ["工资表", "工资条", "银行代发"] and "个税累计" in wb.sheetnames
    assert "责任金台账" in wb.sheetnames and wb.sheetnames[-1] == "问题"

    pay = sheet_rows(out, "工资表")
    header = pay[1]
    assert header[:3] == ["序号", "工号", "姓名"] and "说明" in header and "实发工资" in header
    assert pay[2][header.index("实发工资")] == pytest.approx(2432.39)
    assert pay[-1][0] == "合计" and pay[-1][header.index("实发工资")] == pytest.approx(8578.39)

    # 工资条: per person its own header, its row, the explanation, then a blank row
    ws = wb["工资条"]
    strips = sheet_rows(out, "工资条")
    assert strips[0][0] == "2026 年 10 月 工资条"
    headers = strips[2]
    assert headers[0] == "工号" and headers[-1] == "实发工资"
    for n, pid in enumerate(("E1", "E2", "E3")):
        top = 2 + 4 * n
        assert strips[top] == headers  # a copy of the header for each person
        assert strips[top + 1][0] == pid
        assert strips[top + 2][0].startswith("说明(2026 年 10 月):")
        if n < 2:
            assert all(v is None for v in strips[top + 3])  # the blank row between strips
    assert len(strips) == 2 + 4 * 3 - 1
    e1 = dict(zip(headers, strips[3]))
    assert e1["身份证号"] == "*" * 14 + id_card(1)[-4:]  # masked except the last four
    assert e1["银行账号"] == "*" * 15 + card(1)[-4:]
    assert id_card(1) not in str(strips) and card(1) not in str(strips)
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1

    # 银行代发: 账号 text, 户名, 金额 two decimals, no total row
    bank = wb["银行代发"]
    assert [c.value for c in bank[1]][:3] == ["账号", "户名", "金额"]
    assert bank["A2"].value == card(1) and bank["A2"].data_type == "s" and bank["A2"].number_format == "@"
    assert bank["C2"].number_format == "#,##0.00"
    assert [bank.cell(r, 2).value for r in range(2, bank.max_row + 1)] == ["马小军", "韩雪", "黄立强"]

    # next month's 个税累计 stamped with year and month
    ytd = sheet_rows(out, "个税累计")
    assert ytd[0][-2:] == ["年份", "截至月份"] and all(r[-2:] == [2026, 10] for r in ytd[1:])


@pytest.fixture
def with_errors(tmp_path):
    people = [emp("E1", "捡单员", name="马小军"), emp("E2", "文案编辑", name="韩雪")]  # E1: no 拣货单数
    return payroll_book(tmp_path, people)


def test_errors_withhold_the_bank_csv_and_say_why(with_errors, tmp_path):
    out, bank = tmp_path / "结果.xlsx", tmp_path / "代发.csv"
    args = [str(with_errors), "--month", "2026-10", "-o", str(out), "--bank-csv", str(bank)]
    r = invoke(*args)
    assert r.exit_code == 1 and not bank.exists() and not (tmp_path / "代发-未核对.csv").exists()
    assert f"未写出银行代发文件 {bank}:有 1 个错误未改正(piece-count-missing" in r.output
    assert "加 --force-bank" in r.output and "已写出银行代发文件" not in r.output
    data = json.loads(invoke(*args, "--json").output)
    assert data["outputs"]["bank_csv"] is None and data["outputs"]["bank_csv_withheld"] == str(bank)
    assert "piece-count-missing" in data["outputs"]["bank_note"]
    # the 银行代发 sheet stays for checking, under a red banner that stops an upload as it is
    ws = openpyxl.load_workbook(out)["银行代发"]
    assert ws["A1"].value.startswith("有错误未核对,不可直接上传银行(错误 1 个")
    assert ws["A1"].fill.fgColor.rgb == "FFC00000"
    assert [c.value for c in ws[2]][:3] == ["账号", "户名", "金额"] and ws.freeze_panes == "A3"


def test_force_bank_writes_the_unchecked_file_and_says_so(with_errors, tmp_path):
    bank = tmp_path / "代发.csv"
    r = invoke(str(with_errors), "--month", "2026-10", "-o", str(tmp_path / "结果.xlsx"), "--bank-csv", str(bank),
               "--force-bank")
    unchecked = tmp_path / "代发-未核对.csv"
    assert r.exit_code == 1 and unchecked.exists() and not bank.exists()
    assert f"银行代发文件写成了 {unchecked}(--force-bank):有 1 个错误未改正" in r.output
    assert "不可直接上传银行" in r.output


def test_force_bank_without_errors_keeps_the_name(clean, tmp_path):
    bank = tmp_path / "代发.csv"
    r = invoke(str(clean), "--month", "2026-10", "-o", str(tmp_path / "结果.xlsx"), "--bank-csv", str(bank),
               "--force-bank", "--json")
    assert r.exit_code == 0 and bank.exists() and json.loads(r.output)["outputs"]["bank_note"] is None
    ws = openpyxl.load_workbook(tmp_path / "结果.xlsx")["银行代发"]
    assert ws["A1"].value == "账号"  # no banner when nothing is wrong


def test_bank_csv_is_safe_against_formula_injection(tmp_path):
    people = [emp("E1", "文案编辑", name="=HYPERLINK(\"http://x\")"), emp("E2", "文案编辑", name="+张三"),
              emp("E3", "文案编辑", name="-李四"), emp("E4", "文案编辑", name="@王五"), emp("E5", "文案编辑", name="赵六")]
    path = payroll_book(tmp_path, people)
    wb = openpyxl.load_workbook(path)  # a name typed as text, not a formula (openpyxl took "=…" as one)
    for cell in wb["员工"]["B"]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"
    wb.save(path)
    bank = tmp_path / "代发.csv"
    assert invoke(str(path), "--month", "2026-10", "--bank-csv", str(bank)).exit_code == 0
    raw = bank.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0][:3] == ["账号", "户名", "金额"]
    names = [r[1] for r in table[1:]]
    assert names == ["'=HYPERLINK(\"http://x\")", "'+张三", "'-李四", "'@王五", "赵六"]
    assert all(not r[1].startswith(("=", "+", "-", "@")) for r in table[1:])
    assert [r[2] for r in table[1:]] == ["3200.00"] * 5  # numbers stay numbers
    assert [r[0] for r in table[1:]] == [card(n) for n in range(1, 6)]
    assert len(table) == 6  # no total row
    total = sum(D(r[2]) for r in table[1:])
    assert total == D("16000.00")


def test_csv_safe():
    assert csv_safe("=1+1") == "'=1+1" and csv_safe("\t=x") == "'\t=x" and csv_safe("张三") == "张三"
    assert csv_safe(D("-12.5")) == "-12.50" and csv_safe(None) == ""


def test_report_names_people_left_out_of_the_bank_file(tmp_path):
    path = payroll_book(tmp_path, [emp("E1", "文案编辑", name="韩雪", account=None), emp("E2", "文案编辑")])
    r = invoke(str(path), "--month", "2026-10")
    assert r.exit_code == 0  # a missing account is a warning
    assert "未列入银行代发: 韩雪(E1)" in r.output


@pytest.mark.skipif(not DEMO.exists(), reason="demo workbook not built")
def test_demo_step(tmp_path):
    from shopbook.demo import payroll_step as demo_step
    lines = []
    demo_step(DEMO.parent, tmp_path, None, dt.datetime(2026, 10, 31, 18), lines.append)
    assert lines and "14 人" in lines[0] and "错误 0" in lines[0]
    # golden figure: the sum of the fourteen nets, each checked against its explanation, the counts
    # taken from the demo's records (e.g. 马小军 1500 + 275 单 × 2 = 2050.00 − 468.51 − 223.10 = 1358.39;
    # 陈志远 10000 − 1050 − 1200 − 52.50 = 7697.50)
    assert "实发合计 38867.27" in lines[0]
    assert (tmp_path / "工资结果.xlsx").exists() and (tmp_path / "银行代发.csv").exists()
    # the demo's 司库 is paid Q3's 责任金 (2 months without incident × 1500) with October's wages
    pay = sheet_rows(tmp_path / "工资结果.xlsx", "工资表")
    header = pay[1]
    keeper = next(r for r in pay[2:] if r[header.index("岗位")] == "司库")
    assert keeper[header.index("奖金")] == pytest.approx(3000)


@needs_tools("soffice", "pdftotext")
def test_payslips_render_with_libreoffice(clean, tmp_path):
    out = tmp_path / "结果.xlsx"
    invoke(str(clean), "--month", "2026-10", "-o", str(out))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "结果.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    slips = [p for p in pages if "工资条" in p]
    assert slips and "*" * 15 + card(1)[-4:] in slips[0]  # the masked account is printed
    assert all(card(1) not in p for p in slips)  # the full account only on the bank sheet


def test_account_stored_as_a_number_is_left_out_not_guessed(tmp_path):
    people = [emp("E1", "文案编辑", name="张三", account=6222020000000000011), emp("E2", "文案编辑")]
    path = payroll_book(tmp_path, people)
    r = invoke(str(path), "--month", "2026-10", "--json")
    assert r.exit_code == 1  # digits lost (Excel keeps 15) is an error
    data = json.loads(r.output)
    codes = [f["code"] for f in data["findings"]]
    assert "id-digits-lost" in codes and "bank-account-missing" not in codes
    assert data["bank"]["left_out"] == [{"id": "E1", "name": "张三", "net": "3200.00", "reason": "银行账号无效"}]
    assert data["bank"]["count"] == 1


def test_carried_sheets_and_bank_list_print(clean, tmp_path):
    # 个税累计 and 责任金台账 are printed and filed with the month's payroll; landscape when wide
    out = tmp_path / "结果.xlsx"
    invoke(str(clean), "--month", "2026-10", "-o", str(out))
    wb = openpyxl.load_workbook(out)
    for name, orientation in (("个税累计", "landscape"), ("责任金台账", "portrait"), ("银行代发", "portrait")):
        ws = wb[name]
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.page_setup.orientation == orientation, name
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0, name
        assert ws.print_title_rows == "$1:$1" and ws.oddFooter.center.text == "第 &P 页 / 共 &N 页", name
    assert wb["个税累计"].oddHeader.center.text == "个税累计(截至 2026 年 10 月)"
    # the demo's ledger has a 司库 row with its 说明: narrowed to its text, and then too wide for portrait
    invoke(str(DEMO), "--month", "2026-10", "-o", str(tmp_path / "demo.xlsx"))
    ledger = openpyxl.load_workbook(tmp_path / "demo.xlsx")["责任金台账"]
    assert ledger.page_setup.orientation == "landscape" and ledger.column_dimensions["I"].width < 100


def test_payslips_leave_setup_notes_to_the_issues_sheet_and_summaries_speak_chinese(tmp_path):
    # 电商总监's 营业额奖金 rate is unset (0 until the manager sets it); E2 has no 考勤 row
    people = [emp("E1", "电商总监", name="陈志远"), emp("E2", "文案编辑", name="韩雪")]
    path = write_book(tmp_path / "工资.xlsx", {
        "员工": rows(EMP_HEADER, people),
        "考勤": rows(ATT_HEADER, [{"工号": "E1", "应出勤天数": 21, "实出勤天数": 21}])})
    out = tmp_path / "结果.xlsx"
    result = invoke(str(path), "--month", "2026-10", "-o", str(out))
    strips = [r[0] for r in sheet_rows(out, "工资条") if r[0] and str(r[0]).startswith("说明")]
    assert strips and not any("未设定" in s for s in strips)  # the employee is not told about setup
    pay = sheet_rows(out, "工资表")
    header = pay[1]
    by_id = {r[header.index("工号")]: r for r in pay[2:] if r[0] != "合计"}
    assert "奖金比例未设定" in by_id["E1"][header.index("说明")]  # finance still sees why it is 0
    assert by_id["E2"][header.index("问题")] == "没有考勤"  # the title, not attendance-missing
    issues = sheet_rows(out, "问题")
    assert any("bonus-unset" in map(str, r) and any("电商总监" in str(v) for v in r) for r in issues)
    assert "韩雪(E2): 没有考勤" in result.output and "attendance-missing" not in result.output.split("有错误")[-1]


def test_invalid_id_card_and_account_are_masked_everywhere(tmp_path):
    """The 问题 sheet, the report and --json show 身份证号 and 银行账号 as the 工资条 does."""
    bad_card, bad_account = "330106198503011231", "62220200237-57x"
    people = [emp("E1", "文案编辑", name="韩雪", id_no=bad_card, account=bad_account)]
    path = payroll_book(tmp_path, people)
    out = tmp_path / "结果.xlsx"
    data = json.loads(invoke(str(path), "--month", "2026-10", "-o", str(out), "--json").output)
    found = {f["code"]: f for f in data["findings"]}
    assert found["id-card-invalid"]["value"] == "*" * 14 + "1231"
    assert found["bank-account-invalid"]["value"] == "*" * 11 + "-57x"
    report = invoke(str(path), "--month", "2026-10").output
    wb = openpyxl.load_workbook(out)
    issues = " ".join(str(c.value) for row in wb["问题"].iter_rows() for c in row if c.value is not None)
    for text in (json.dumps(data["findings"], ensure_ascii=False), report, issues):
        assert bad_card not in text and bad_account not in text
        assert "*" * 14 + "1231" in text
