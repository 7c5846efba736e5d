"""The blank templates of workbooks/ (scripts/make_workbooks.py): headers, text IDs, drop-downs,
frozen header, notes; the rules workbook loads with no findings and gives the defaults."""
import datetime as dt
import re
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_workbooks as mw  # noqa: E402
from shopbook.rules.prices import parse_price_table  # noqa: E402
from shopbook.rules.pay import DEFAULT_SCHEME, load_pay_scheme  # noqa: E402
from shopbook.reading.files import open_workbook  # noqa: E402
from shopbook.reading.schema import CHOICE, ID, normalise_header  # noqa: E402
from shopbook.reading.tables import read_table  # noqa: E402
from shopbook.rules import DEFAULT_RULES, load_rules  # noqa: E402
from shopbook.sheets.run import validate_books as validate  # noqa: E402

SHEETS = list(mw.TEMPLATE_COLUMNS)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workbooks")
    mw.build_all(folder)
    return folder


@pytest.mark.parametrize("sheet", SHEETS)
def test_headers_are_the_declared_columns(built, sheet):
    kind = mw.KINDS[sheet]
    table = read_table(open_workbook(built / f"{sheet}.xlsx"), kind)
    assert table.sheet == sheet  # the main sheet has the canonical name
    assert table.header_row == 1
    assert list(table.letters) == mw.TEMPLATE_COLUMNS[sheet]
    assert not table.extra
    assert table.findings.empty
    assert all(c.name in table.letters for c in kind.columns if c.required)


@pytest.mark.parametrize("sheet", SHEETS)
def test_formats_dropdowns_frozen_header_and_notes(built, sheet):
    ws = openpyxl.load_workbook(built / f"{sheet}.xlsx")[sheet]
    kind = mw.KINDS[sheet]
    assert ws.freeze_panes == "A2"
    lookup = kind.header_lookup()
    validated = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            assert rng.min_row == 2 and rng.max_row >= 1000
            validated[rng.min_col] = dv.formula1
    for cell in ws[1]:
        col = kind.column(lookup[normalise_header(cell.value)])
        fmt = ws.column_dimensions[cell.column_letter].number_format
        if col.kind == ID:
            assert fmt == "@", (sheet, col.name)
        if col.kind == CHOICE:
            assert cell.column in validated, (sheet, col.name)
            assert all(choice in validated[cell.column] for choice in col.choices)
    assert any(cell.comment for cell in ws[1])


def test_notes_and_choices_come_from_the_declarations(built):
    ws = openpyxl.load_workbook(built / "订单.xlsx")["订单"]
    header = {c.value: c for c in ws[1]}
    from shopbook.sheets.remarks import FLAG_PATTERNS
    assert all(pattern in header["旗帜"].comment.text for pattern in FLAG_PATTERNS.values())
    ws = openpyxl.load_workbook(built / "库存.xlsx")["库存"]
    assert "A-01-03" in {c.value: c for c in ws[1]}["库位"].comment.text


@pytest.mark.parametrize("sheet", list(mw.SERVICE_COLUMNS))
def test_service_registers_template(built, sheet):
    """workbooks/客服.xlsx: one sheet per 客服 register, its declared headers, text IDs, drop-downs."""
    book = open_workbook(built / "客服.xlsx")
    assert book.sheet_names == list(mw.SERVICE_COLUMNS)
    table = read_table(book, mw.KINDS[sheet])
    assert table.sheet == sheet and table.header_row == 1 and table.findings.empty
    assert list(table.letters) == mw.SERVICE_COLUMNS[sheet]
    ws = openpyxl.load_workbook(built / "客服.xlsx")[sheet]
    assert ws.freeze_panes == "A2"
    validated = {rng.min_col for dv in ws.data_validations.dataValidation for rng in dv.sqref.ranges}
    for cell in ws[1]:
        col = mw.KINDS[sheet].column(cell.value)
        if col.kind == ID:
            assert ws.column_dimensions[cell.column_letter].number_format == "@"
        if col.kind == CHOICE:
            assert cell.column in validated, col.name


def test_blank_templates_validate_clean(built):
    for sheet in SHEETS:
        result = validate(open_workbook(built / f"{sheet}.xlsx"), DEFAULT_RULES, dt.datetime(2026, 10, 31, 18))
        assert result.findings.empty, sheet


def test_rules_workbook_loads_with_no_findings_and_gives_the_defaults(built):
    rules, findings = load_rules(built / "规则.xlsx")
    assert findings.empty
    for f in fields(rules):
        if f.name in ("tables", "couriers"):
            continue
        assert getattr(rules, f.name) == getattr(DEFAULT_RULES, f.name), f.name
    assert [(c.name, c.pattern, set(c.aliases)) for c in rules.couriers] == \
        [(c.name, c.pattern, set(c.aliases)) for c in DEFAULT_RULES.couriers]
    assert set(rules.tables) == {"参数", "快递单号规则", "快递价格", "活动日", "退换货排除", "岗位薪酬", "城市标准", "排班",
                                 "班次", "推广费用",
                                 "商品类别"}
    scheme, problems = load_pay_scheme(rules)
    assert problems.empty
    assert scheme == DEFAULT_SCHEME
    prices, problems = parse_price_table(rules.tables["快递价格"], rules)
    assert problems.empty
    default, _ = parse_price_table(None, rules)
    cols = ["courier", "province", "first_g", "first_fen", "step_g", "step_fen", "divisor"]
    assert prices[cols].reset_index(drop=True).equals(default[cols].reset_index(drop=True))


def test_every_parameter_is_listed_with_a_note(built):
    ws = openpyxl.load_workbook(built / "规则.xlsx")["参数"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=2, values_only=True)}
    from shopbook.rules.pay import PAYROLL_PARAMETERS
    from shopbook.rules import PARAMETERS
    assert set(PARAMETERS) | set(PAYROLL_PARAMETERS) == set(rows)
    assert all(note for _, note in rows.values())


def _cells(path: Path) -> dict:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_deterministic_and_the_committed_templates_are_current(built, tmp_path):
    again = mw.build_all(tmp_path)
    for path in again:
        assert path.read_bytes() == (built / path.name).read_bytes(), path.name
        committed = ROOT / "workbooks" / path.name
        assert committed.exists(), f"run scripts/make_workbooks.py ({path.name} missing)"
        assert _cells(committed) == _cells(path), f"workbooks/{path.name} is stale: run scripts/make_workbooks.py"


def _units(text: str) -> int:
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def test_wrap_lines_fit_the_width_and_keep_every_word():
    text = ("按下按钮,在本工作簿运行 shopbook(与终端命令 shopbook validate/picklist/reconcile/payroll 相同)。"
            "第一次使用前需要安装 Python 和 shopbook(pip install \"shopbook[excel]\"),详见 docs/excel.md。")
    lines = mw.wrap_lines(text, 40)
    assert len(lines) > 3 and all(_units(line) <= 40 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    words = set(re.findall(r"[A-Za-z./\[\]\"]+", text))
    assert all(w in words for line in lines for w in re.findall(r"[A-Za-z./\[\]\"]+", line))  # none cut
    assert not any(line.startswith((",", "。", ")", "」")) for line in lines)


def test_the_bill_templates_help_sheet_fits_a_printed_page():
    ws = openpyxl.load_workbook(ROOT / "workbooks" / "快递对账.xlsx")["说明"]
    texts = [c.value for c in ws["A"] if c.value]
    assert len(texts) > 3 and max(map(_units, texts)) <= mw.PRINT_WIDTH
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.paperSize in (9, "9")


PAYROLL_TEMPLATE = ROOT / "workbooks" / "工资.xlsx"


def test_the_payroll_template_styles_its_columns_not_hundreds_of_empty_rows():
    wb = openpyxl.load_workbook(PAYROLL_TEMPLATE)
    for ws in wb:
        assert ws.max_row == 1, ws.title  # only the header: nothing else prints
        assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
    header = {c.value: c.column_letter for c in wb["员工"][1]}
    assert wb["员工"].column_dimensions[header["身份证号"]].number_format == "@"  # typed IDs stay text
    assert wb["员工"].column_dimensions[header["底薪"]].number_format == "#,##0.00"


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="needs LibreOffice and poppler")
def test_the_payroll_template_prints_one_page_per_sheet(tmp_path):
    profile = f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}"
    subprocess.run(["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(PAYROLL_TEMPLATE)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "工资.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) == len(openpyxl.load_workbook(PAYROLL_TEMPLATE).sheetnames)
    assert all("工号" in p for p in pages)  # each its header row, whole (not split across pages)
