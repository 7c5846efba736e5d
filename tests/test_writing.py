"""The writing layer (shopbook.writing) end to end: every result workbook is marked as ours,
no output replaces an input, a workbook openpyxl cannot fully read is never rewritten,
backups are verified, the user's own notes survive, lock files of every office program are
respected, text from the user's data never becomes a formula, the 问题 sheet."""
from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.comments import Comment

from conftest import write_book
from shopbook.cli import main
from shopbook.core.errors import UnusableInput
from shopbook.writing import cells, marks, notes, safe

H = ["订单号", "收件人", "手机", "省", "详细地址", "商品编码", "数量", "单价", "实付金额"]
GOOD = ["T1", "张三", "13812345678", "广东", "深圳市南山区科技园路1号", "S1", 1, 50, 50]
BAD = ["T2", "李四", "1381234567", "广东", "深圳市南山区科技园路2号", "S1", 1, 50, 50]  # C3: phone too short


def invoke(*args):
    return CliRunner().invoke(main, [*map(str, args)], catch_exceptions=False)


def validate(*args):
    return invoke("validate", *args, "--as-of", "2026-10-10 12:00")


def ledger(tmp_path, name="台账.xlsx", rows=(GOOD, BAD)) -> Path:
    return write_book(tmp_path / name, {"订单": [H, *rows]})


# --- 1. every result workbook is marked, and folder scans skip marked workbooks ---------------
def test_every_result_workbook_is_marked_with_its_job(tmp_path):
    from test_monthly import month_folder
    from test_payroll import ATT_HEADER, EMP_HEADER, emp, rows

    folder = month_folder(tmp_path / "10月", previous=False)
    out = tmp_path / "out"
    out.mkdir()
    src = folder / "ledger.xlsx"
    validate(src, "-o", out / "校验.xlsx")
    invoke("picklist", src, "-o", out / "拣货.xlsx", "--as-of", "2026-10-31 18:00")
    invoke("reconcile", folder / "zto.xlsx", src, "-o", out / "对账.xlsx", "--as-of", "2026-10-31 18:00")
    pay = write_book(tmp_path / "工资.xlsx", {"员工": rows(EMP_HEADER, [emp("E1", "文案编辑")]),
                                             "考勤": rows(ATT_HEADER, [{"工号": "E1", "应出勤天数": 21, "实出勤天数": 21}])})
    invoke("payroll", pay, "--month", "2026-10", "-o", out / "工资结果.xlsx")
    invoke("month", "--month", "2026-10", "--in", folder, "-o", out / "月报.xlsx", "--as-of", "2026-10-31 18:00")
    assert {p.name: marks.output_job(p) for p in out.iterdir()} == {
        "校验.xlsx": "validate", "拣货.xlsx": "picklist", "对账.xlsx": "reconcile", "工资结果.xlsx": "payroll",
        "月报.xlsx": "month"}
    # the user's workbooks carry no mark, and marking in place leaves none (it is still their ledger)
    assert marks.output_job(src) is None
    copy = shutil.copy(out / "校验.xlsx", tmp_path / "我的台账.xlsx")
    validate(copy, "--in-place")
    assert marks.output_job(Path(copy)) is None


def test_backups_and_lock_files_are_not_inputs(tmp_path):
    assert marks.is_backup(tmp_path / "台账.备份-20261031-093000.xlsx")
    assert marks.is_backup(tmp_path / "台账.备份-20261031-093000-2.xlsx")
    assert not marks.is_backup(tmp_path / "台账备份.xlsx")
    for name in ("~$台账.xlsx", ".~lock.台账.xlsx#", ".~台账.xlsx"):
        assert marks.not_an_input(tmp_path / name)
    assert not marks.not_an_input(ledger(tmp_path))


def test_a_marked_result_given_as_a_bill_is_refused(tmp_path):
    src = ledger(tmp_path)
    out = tmp_path / "标注.xlsx"
    validate(src, "-o", out)
    result = invoke("reconcile", out, src)
    assert result.exit_code == 2 and "shopbook 写出的结果" in result.stderr


# --- 15. no output replaces an input of the run or another of its outputs ---------------------
def test_rules_workbook_as_output_is_refused(tmp_path):
    src = ledger(tmp_path)
    rules = write_book(tmp_path / "规则.xlsx", {"参数": [["参数", "值"], ["发货截止时间", "16:00"]]})
    before = rules.read_bytes()
    result = validate(src, "--rules", rules, "-o", rules)
    assert result.exit_code == 2 and str(rules) in result.stderr and "输入文件" in result.stderr
    assert rules.read_bytes() == before


def test_output_that_becomes_the_input_once_made_xlsx_is_refused(tmp_path):
    src = ledger(tmp_path)
    before = src.read_bytes()
    result = validate(src, "-o", tmp_path / "台账.csv")  # written as 台账.xlsx: the input itself
    assert result.exit_code == 2 and src.read_bytes() == before


def test_month_output_into_its_own_folder_may_not_replace_an_input(tmp_path):
    from test_monthly import month_folder
    folder = month_folder(tmp_path / "10月", previous=False)
    before = (folder / "ledger.xlsx").read_bytes()
    result = invoke("month", "--month", "2026-10", "--in", folder, "-o", folder / "ledger.xlsx")
    assert result.exit_code == 2 and "ledger.xlsx" in result.stderr and "Traceback" not in result.output
    assert (folder / "ledger.xlsx").read_bytes() == before
    # a month workbook of our own in the folder may be written again
    args = ["month", "--month", "2026-10", "--in", folder, "-o", folder / "本月.xlsx", "--as-of", "2026-10-31 18:00"]
    assert invoke(*args).exit_code == 0
    assert invoke(*args).exit_code == 0


def test_payroll_outputs_may_not_meet(tmp_path):
    from test_payroll import ATT_HEADER, EMP_HEADER, emp, rows
    pay = write_book(tmp_path / "工资.xlsx", {"员工": rows(EMP_HEADER, [emp("E1", "文案编辑")]),
                                             "考勤": rows(ATT_HEADER, [{"工号": "E1", "应出勤天数": 21, "实出勤天数": 21}])})
    out = tmp_path / "结果.xlsx"
    result = invoke("payroll", pay, "--month", "2026-10", "-o", out, "--bank-csv", out)
    assert result.exit_code == 2 and "两个输出" in result.stderr and not out.exists()
    rules = write_book(tmp_path / "规则.xlsx", {"参数": [["参数", "值"]]})
    result = invoke("payroll", pay, "--month", "2026-10", "--rules", rules, "--bank-csv", rules)
    assert result.exit_code == 2 and "规则.xlsx" in result.stderr


def test_reconcile_output_may_not_replace_a_bill_of_its_folder(tmp_path):
    from test_monthly import month_folder
    folder = month_folder(tmp_path / "10月", previous=False)
    bills = tmp_path / "账单"
    bills.mkdir()
    shutil.copy(folder / "zto.xlsx", bills / "中通.xlsx")
    before = (bills / "中通.xlsx").read_bytes()
    result = invoke("reconcile", bills, folder / "ledger.xlsx", "-o", bills / "中通.xlsx")
    assert result.exit_code == 2 and "中通.xlsx" in result.stderr
    assert (bills / "中通.xlsx").read_bytes() == before
    # its own result in the folder is no bill and may be written again
    args = ["reconcile", bills, folder / "ledger.xlsx", "-o", bills / "对账.xlsx", "--json"]
    first = json.loads(invoke(*args).stdout)["summary"]
    assert json.loads(invoke(*args).stdout)["summary"] == first


def test_same_file_sees_through_links_and_dots(tmp_path):
    a = ledger(tmp_path)
    (tmp_path / "sub").mkdir()
    os.symlink(a, tmp_path / "link.xlsx")
    assert safe.same_file(tmp_path / "link.xlsx", a)
    assert safe.same_file(tmp_path / "sub" / ".." / "台账.xlsx", a)
    assert safe.same_file(tmp_path / "new.xlsx", tmp_path / "sub" / ".." / "new.xlsx")  # neither exists yet
    assert not safe.same_file(tmp_path / "new.xlsx", a)
    with pytest.raises(UnusableInput, match="输入文件"):
        safe.check_outputs([tmp_path], [tmp_path / "link.xlsx"])
    safe.check_outputs([tmp_path / "sub"], [tmp_path / "sub" / "new.xlsx", tmp_path / "new.xlsx"])


# --- 16. a workbook openpyxl cannot fully read is never rewritten ------------------------------
STRICT = {b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
          b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
              b"http://purl.oclc.org/ooxml/officeDocument/relationships"}


def strict_ooxml(source: Path, target: Path) -> Path:
    """The workbook saved as Excel's "Strict Open XML" would: the same parts, strict namespaces."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            for old, new in STRICT.items():
                data = data.replace(old, new)
            zout.writestr(item, data)
    return target


def test_strict_ooxml_workbook_is_not_rewritten(tmp_path):
    src = strict_ooxml(ledger(tmp_path, "plain.xlsx"), tmp_path / "strict.xlsx")
    assert "订单" in __import__("shopbook.reading.files", fromlist=["x"]).open_workbook(src).sheet_names
    before = src.read_bytes()
    result = validate(src, "--in-place")
    assert result.exit_code == 2 and "Strict Open XML" in result.stderr and "订单" in result.stderr
    assert src.read_bytes() == before
    assert not list(tmp_path.glob("strict.备份-*"))  # refused before the backup
    result = validate(src, "-o", tmp_path / "copy.xlsx")
    assert result.exit_code == 2 and not (tmp_path / "copy.xlsx").exists()
    assert validate(src).exit_code == 1  # reading it still works


# --- 17. the backup before an in-place write is atomic and verified -----------------------------
def test_backup_is_an_exact_copy_with_the_originals_time(tmp_path):
    src = ledger(tmp_path)
    os.utime(src, (1_700_000_000, 1_700_000_000))
    copy = safe.backup(src, dt.datetime(2026, 10, 31, 9, 30))
    assert copy.name == "台账.备份-20261031-093000.xlsx"
    assert copy.read_bytes() == src.read_bytes() and copy.stat().st_mtime == 1_700_000_000
    assert safe.backup(src, dt.datetime(2026, 10, 31, 9, 30)).name == "台账.备份-20261031-093000-1.xlsx"


def _half_copy(source, target):
    """A write that stops half-way without an error (what a full network drive can do)."""
    data = Path(source).read_bytes()
    Path(target).write_bytes(data[: len(data) // 2])
    import hashlib
    return len(data), hashlib.sha256(data).hexdigest()


def _disk_full(source, target):
    Path(target).write_bytes(b"PK")
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("copy", [_half_copy, _disk_full])
def test_a_failed_backup_leaves_nothing_and_stops_the_in_place_write(tmp_path, monkeypatch, copy):
    src = ledger(tmp_path)
    before = src.read_bytes()
    monkeypatch.setattr(safe, "_copy", copy)
    with pytest.raises(UnusableInput, match="原工作簿未改动"):
        safe.backup(src)
    result = validate(src, "--in-place")
    assert result.exit_code == 2 and "备份" in result.stderr
    assert src.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]  # no backup, no temporary file


# --- 18. the user's own note on a flagged cell is kept ------------------------------------------
def test_users_note_is_kept_and_given_back_exactly(tmp_path):
    src = ledger(tmp_path)
    wb = openpyxl.load_workbook(src)
    user_text = "顾客说这是座机\n别改"
    wb["订单"]["C3"].comment = Comment(user_text, "小王")
    wb.save(src)
    assert validate(src, "--in-place").exit_code == 1
    note = openpyxl.load_workbook(src)["订单"]["C3"].comment
    assert note.author == "小王"
    assert note.text.startswith(user_text + "\n" + notes.MARKER + "\n【错误】")
    assert "phone-invalid" in note.text
    assert validate(src, "--in-place").exit_code == 1  # a re-run does not stack our text twice
    assert openpyxl.load_workbook(src)["订单"]["C3"].comment.text.count(notes.MARKER) == 1
    wb = openpyxl.load_workbook(src)
    wb["订单"]["C3"] = "13912345678"  # the clerk fixes the phone
    wb.save(src)
    assert validate(src, "--in-place").exit_code == 0
    cell = openpyxl.load_workbook(src)["订单"]["C3"]
    assert cell.comment.text == user_text and cell.comment.author == "小王"
    assert cell.fill.fgColor.rgb != "FFFFC7CE"


class FakeNote:
    def __init__(self, text):
        self.text = text

    def delete(self):
        raise AssertionError("the clerk's note must not be deleted")


class FakeCell:
    def __init__(self, note=None):
        self.note = FakeNote(note) if note is not None else None
        self.color = None

    def add_note(self, text):
        self.note = FakeNote(text)


class FakeRange:
    def __init__(self, rows):
        self.value = rows

    def options(self, **_):
        return self


class FakeSheet:
    def __init__(self, name, cells=None, rows=None):
        self.name, self._cells = name, cells or {}
        self.used_range = FakeRange(rows)

    def __getitem__(self, address):
        return self._cells[address]


class FakeBook:
    def __init__(self, *sheets):
        self.sheets = list(sheets)


def test_excel_adapter_adds_ours_below_the_clerks_note_and_takes_it_off_again():
    import pandas as pd
    from shopbook.excel import results
    from shopbook.core.findings import FIELDS

    cell = FakeCell("顾客要求改地址")
    finding = pd.DataFrame([["订单", 3, "手机", "C3", "phone-invalid", "error", "手机号不对", "1381234567"]],
                           columns=FIELDS)
    done = results.mark_cells(FakeBook(FakeSheet("订单", {"C3": cell})), finding)
    assert done == {("订单", "C3"): "底色+附注"}
    assert cell.note.text == "顾客要求改地址\n" + notes.MARKER + "\n【错误】手机号不对(phone-invalid)"
    issues = FakeSheet(results.ISSUES_SHEET, rows=[["工作表", "单元格", results.MARK_HEADER], ["订单", "C3", "底色+附注"]])
    results.clear_previous_marks(FakeBook(issues, FakeSheet("订单", {"C3": cell})))
    assert cell.note.text == "顾客要求改地址" and cell.color is None


def test_note_text_logic():
    assert notes.with_our_note(None, "ours") == "ours"
    assert notes.with_our_note("  ", "ours") == "ours"
    both = notes.with_our_note("mine", "ours")
    assert notes.has_our_part(both) and notes.user_part(both) == "mine"
    assert not notes.has_our_part("mine") and not notes.has_our_part(None)


# --- 19. lock files of Excel, WPS and LibreOffice ------------------------------------------------
@pytest.mark.parametrize("lock, program", [("~$台账.xlsx", "Excel"), (".~lock.台账.xlsx#", "LibreOffice"),
                                           (".~台账.xlsx", "WPS")])
def test_a_workbook_open_in_any_office_program_is_not_written(tmp_path, lock, program):
    src = ledger(tmp_path)
    (tmp_path / lock).write_bytes(b"owner")
    before = src.read_bytes()
    result = validate(src, "--in-place")
    assert result.exit_code == 2 and program in result.stderr and lock in result.stderr
    assert src.read_bytes() == before


def test_short_names_are_not_blocked_by_a_stray_owner_file(tmp_path):
    (tmp_path / "~$.xlsx").write_bytes(b"stray")
    src = ledger(tmp_path, "ab.xlsx")
    assert validate(src, "--in-place").exit_code == 1
    names = [lock.name for lock, _ in safe.lock_files(tmp_path / "ab.xlsx")]
    assert "~$.xlsx" not in names and "~$ab.xlsx" in names


def test_long_names_also_respect_words_short_owner_file(tmp_path):
    assert ("~$cdefgh.xlsx" in [lock.name for lock, _ in safe.lock_files(tmp_path / "abcdefgh.xlsx")])
    assert ("~$bcdefg.xlsx" in [lock.name for lock, _ in safe.lock_files(tmp_path / "abcdefg.xlsx")])
    assert not any(lock.name.startswith("~$") and lock.name != "~$abcdef.xlsx"
                   for lock, _ in safe.lock_files(tmp_path / "abcdef.xlsx"))


# --- 20. text from the user's data is never a formula --------------------------------------------
FORMULAS = ["=HYPERLINK(\"http://x.example\",\"点这里\")", "+1+2", "-3+4", "@SUM(1,2)", "\t=1", "=1+1"]


def test_marked_copy_of_a_csv_keeps_formula_like_text_as_text(tmp_path):
    src = tmp_path / "订单.csv"
    lines = [",".join(H)] + [f"T{i},\"{v.replace(chr(34), chr(34) * 2)}\",13812345678,广东,深圳市南山区1号,S1,1,5,5"
                             for i, v in enumerate(FORMULAS, start=1)]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "标注.xlsx"
    validate(src, "-o", out)
    ws = openpyxl.load_workbook(out)["订单"]
    for row, text in enumerate(FORMULAS, start=2):
        assert ws.cell(row, 2).value == text and ws.cell(row, 2).data_type == "s"


def test_issues_sheet_value_that_looks_like_a_formula_stays_text(tmp_path):
    src = tmp_path / "订单.csv"
    src.write_text(",".join(H) + "\nT1,张三,=1+1,广东,深圳市南山区1号,S1,1,-5,-5\n", encoding="utf-8")
    out = tmp_path / "标注.xlsx"
    validate(src, "-o", out)
    issues = openpyxl.load_workbook(out)["问题"]
    values = {c.value: c.data_type for row in issues.iter_rows(min_row=2) for c in row if c.value is not None}
    assert values["=1+1"] == "s"
    assert not any(t == "f" for t in values.values())


def test_payroll_issues_sheet_keeps_formula_like_text_as_text(tmp_path):
    from test_payroll import ATT_HEADER, EMP_HEADER, emp, rows
    pay = write_book(tmp_path / "工资.xlsx", {"员工": rows(EMP_HEADER, [emp("E1", "文案编辑", base=3000)]),
                                             "考勤": rows(ATT_HEADER, [{"工号": "E1", "应出勤天数": 21, "实出勤天数": 21}])})
    wb = openpyxl.load_workbook(pay)
    cell = wb["员工"]["D2"]  # 底薪, typed as text after a quote
    cell.value, cell.data_type = "=2000+1000", "s"
    wb.save(pay)
    out = tmp_path / "结果.xlsx"
    invoke("payroll", pay, "--month", "2026-10", "-o", out)
    issues = openpyxl.load_workbook(out)["问题"]
    cells_ = [c for row in issues.iter_rows(min_row=2) for c in row if c.value == "=2000+1000"]
    assert cells_ and all(c.data_type == "s" for c in cells_)


def test_month_workbook_writes_names_as_text(tmp_path):
    from test_monthly import month_folder
    folder = month_folder(tmp_path / "10月", previous=False)
    (folder / "ledger.xlsx").rename(folder / "=1+2.xlsx")
    out = tmp_path / "月报.xlsx"
    invoke("month", "--month", "2026-10", "--in", folder, "-o", out, "--as-of", "2026-10-31 18:00")
    overview = openpyxl.load_workbook(out)["概览"]
    texts = [c for row in overview.iter_rows() for c in row if isinstance(c.value, str) and "=1+2" in c.value]
    assert texts and all(c.data_type == "s" and c.value.startswith("=1+2.xlsx") for c in texts)


def test_excel_adapter_types_formula_like_text_with_an_apostrophe():
    from shopbook.excel import results
    assert results._typed("=1+1", text_column=False) == "'=1+1"
    assert results._typed("@x", text_column=False) == "'@x"
    assert results._typed("=1+1", text_column=True) == "=1+1"  # a text-formatted cell keeps it as text
    assert results._typed(-5, text_column=False) == -5
    assert results._typed("张三", text_column=False) == "张三"


def test_openpyxl_helpers():
    wb = openpyxl.Workbook()
    ws = wb.active
    cells.append_row(ws, ["=1+1", "+1", -5, None, "a\x01b"])
    assert [c.data_type for c in ws[1]][:3] == ["s", "s", "n"]
    assert ws["E1"].value == "ab"  # a control character no .xlsx can hold
    assert cells.put(ws["A2"], "=SUM(A1)").data_type == "s"
    assert cells.typed_text("-x") == "'-x" and cells.typed_text(3) == 3


# --- polish: the 问题 sheet -------------------------------------------------------------------------
def test_issues_sheet_shows_title_wraps_and_numbers_as_excel_shows_them(tmp_path):
    src = write_book(tmp_path / "台账.xlsx", {"订单": [H, GOOD, [3706264606417998000, *BAD[1:]]]})
    out = tmp_path / "标注.xlsx"
    validate(src, "-o", out)
    ws = openpyxl.load_workbook(out)["问题"]
    header = [c.value for c in ws[1]]
    assert header == ["序号", "严重程度", "工作表", "行", "列", "单元格", "代码", "问题", "说明", "原值"]
    rows = [dict(zip(header, [c for c in r])) for r in ws.iter_rows(min_row=2)]
    lost = next(r for r in rows if r["代码"].value == "id-digits-lost")
    assert lost["问题"].value == "编号位数已丢失"
    assert lost["原值"].value == "3706264606417998000"
    assert lost["说明"].alignment.wrap_text


def test_shown_number_text():
    assert cells.shown_number_text("3.706264606417998e+18") == "3706264606417998000"
    assert cells.shown_number_text("12.0") == "12"
    assert cells.shown_number_text("12.5") == "12.5"
    assert cells.shown_number_text("1.5e-07") == "1.5e-07"
    assert cells.shown_number_text("007") == "007" and cells.shown_number_text("abc") == "abc"
    assert cells.shown_number_text("1e309") == "1e309"


def test_reconcile_issues_sheet_has_the_same_layout(tmp_path):
    from test_monthly import month_folder
    folder = month_folder(tmp_path / "10月", previous=False)
    bill = write_book(tmp_path / "账单.xlsx", {"中通": [["快递单号", "寄件日期", "目的省份", "计费重量", "运费"],
                                                     ["773123456789", dt.date(2026, 10, 2), "浙江", "一公斤", 9]]})
    out = tmp_path / "对账.xlsx"
    invoke("reconcile", bill, folder / "ledger.xlsx", "-o", out)
    ws = openpyxl.load_workbook(out)["问题"]
    assert [c.value for c in ws[1]] == ["序号", "严重程度", "工作表", "行", "列", "单元格", "代码", "问题", "说明", "原值"]
    assert ws["I2"].alignment.wrap_text and ws["H2"].value


# --- the streamed rows' cells, built in Arrow (shopbook.writing.rows) -------------------------
def test_streamed_text_is_escaped_as_xml_and_keeps_what_xml_can_hold():
    import pandas as pd
    from shopbook.writing.rows import arrow_text, xml_escaped

    values = pd.Series(["a&b", "<c>", 'say "x"', "bell\x07", "line\nbreak", "无\ufffe符", None, 12, True],
                       dtype=object)
    text = arrow_text(values)
    assert text.to_pylist()[-3:] == [None, "12", "True"]
    assert xml_escaped(text).to_pylist()[:6] == ["a&amp;b", "&lt;c&gt;", 'say "x"', "bell", "line\nbreak", "无符"]
    assert xml_escaped(text, quotes=True).to_pylist()[2] == "say &quot;x&quot;"
    assert arrow_text(pd.Series(["ok", "\ud800"], dtype=object)).to_pylist() == ["ok", "?"]


def test_streamed_numbers_and_dates_are_written_as_python_writes_them():
    import pandas as pd
    from shopbook.writing.rows import number_text, serial_text

    numbers = pd.Series([3.0, 59.9, 0.00001, 1e16, -2.5, 7], dtype=object)
    assert number_text(numbers).to_pylist() == ["3", "59.9", "1e-05", "10000000000000000", "-2.5", "7"]
    dates = pd.Series([dt.datetime(2026, 11, 5, 18), dt.datetime(2026, 11, 5, 18), dt.datetime(1900, 3, 1)])
    assert serial_text(dates).to_pylist() == [str((46331 + 0.75)), str(46331 + 0.75), "61.0"]


def test_streamed_cells_go_back_to_their_rows_and_chunks_are_their_bytes():
    import numpy as np
    import pyarrow as pa
    from shopbook.writing.rows import chunk_bytes, joined, spread

    present = np.array([True, False, True, False])
    assert spread(present, pa.array(["x", "y"])).to_pylist() == ["x", "", "y", ""]
    rows = joined("<row>", pa.array(["甲", "b", ""]), "</row>")
    assert bytes(chunk_bytes(rows.slice(1))) == "<row>b</row><row></row>".encode()
    assert bytes(chunk_bytes(rows)) == "<row>甲</row><row>b</row><row></row>".encode()
