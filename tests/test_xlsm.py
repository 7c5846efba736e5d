"""The .xlsm workbooks with buttons (scripts/make_xlsm.py): the VBA read back with oletools'
olevba, every button wired to a sub that exists, every sub one RunPython call to an
existing entry point, the workbook still a good workbook (openpyxl, LibreOffice), and
the build reproducible byte for byte."""
import importlib.util
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import needs_tools
from oletools.olevba import VBA_Parser

from shopbook.excel import entry, udfs

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = ROOT / "workbooks"
MACROS = ROOT / "macros" / "shopbook.bas"
SUB = re.compile(r"^Sub (\w+)\(\)\s*\n(.*?)^End Sub", re.MULTILINE | re.DOTALL)
RUNPYTHON = re.compile(r'^\s*RunPython "import shopbook\.excel\.entry as e; e\.(\w+)\(\)"\s*$')


def load_make_xlsm():
    spec = importlib.util.spec_from_file_location("make_xlsm", ROOT / "scripts" / "make_xlsm.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_xlsm"] = module
    spec.loader.exec_module(module)
    return module


make_xlsm = load_make_xlsm()
BUILT = [name for name in make_xlsm.BUTTONS if (WORKBOOKS / f"{name}.xlsm").exists()]


def vba_modules(path: Path) -> dict[str, str]:
    """Module name -> source, as olevba reads the workbook's VBA project."""
    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code.replace("\r\n", "\n")
                for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def button_macros(path: Path) -> dict[str, str]:
    """Caption -> macro of each Form Control button in the workbook's VML drawings."""
    found = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.endswith(".vml"):
                vml = zf.read(name).decode("utf-8")
                for shape in re.findall(r"<v:shape\b.*?</v:shape>", vml, re.DOTALL):
                    macro = re.search(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", shape)
                    caption = re.search(r"<font[^>]*>(.*?)</font>", shape)
                    if macro:
                        found[caption.group(1)] = macro.group(1)
    return found


def check_subs(source: str) -> dict[str, str]:
    """Sub -> entry point; each sub must be exactly one RunPython call to an existing entry point."""
    subs = {}
    for name, body in SUB.findall(source):
        lines = [line for line in body.splitlines() if line.strip() and not line.strip().startswith("'")]
        assert len(lines) == 1, f"{name} is not one RunPython call"
        call = RUNPYTHON.match(lines[0])
        assert call, f"{name}: {lines[0]!r}"
        assert call.group(1) in entry.ENTRY_POINTS and callable(getattr(entry, call.group(1)))
        subs[name] = call.group(1)
    return subs


def test_the_buttons_sheet_is_never_read_as_input():
    from shopbook.excel.buttons import BUTTONS_SHEET, OUTPUT_SHEETS
    assert make_xlsm.CONTROL_SHEET == BUTTONS_SHEET and BUTTONS_SHEET in OUTPUT_SHEETS


def test_every_macro_is_one_runpython_call_to_an_entry_point():
    subs = check_subs(MACROS.read_text(encoding="ascii"))  # ASCII: the VBA project's code page
    assert set(subs.values()) == set(entry.ENTRY_POINTS)


@pytest.fixture(scope="module")
def small_xlsm(tmp_path_factory):
    """An .xlsm built from a small template with a note (its own VML drawing) on the button sheet."""
    from openpyxl.comments import Comment

    folder = tmp_path_factory.mktemp("xlsm")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订单"
    ws.append(["订单号", "手机"])
    ws["A1"].comment = Comment("每行一个商品", "模板")
    ws.print_title_rows = "1:1"  # a name scoped to this sheet by its position
    wb.create_sheet("库存").append(["商品编码"])
    wb.save(folder / "订单.xlsx")
    buttons = make_xlsm.BUTTONS["订单"][1]
    make_xlsm.to_xlsm(folder / "订单.xlsx", folder / "订单.xlsm", "订单", buttons, MACROS.read_text(encoding="ascii"))
    return folder / "订单.xlsm"


def test_a_built_workbook_holds_the_modules_and_wired_buttons(small_xlsm):
    modules = vba_modules(small_xlsm)
    assert {"ThisWorkbook", "Sheet1", "Sheet2", "xlwings", "shopbook", "xlwings_udfs", "Dictionary"} <= set(modules)
    assert modules["shopbook"].strip() == MACROS.read_text(encoding="ascii").replace("\r\n", "\n").strip()
    subs = check_subs(modules["shopbook"])
    assert button_macros(small_xlsm) == {"校验": "SbValidate", "生成拣货单": "SbPicklist"}
    assert set(button_macros(small_xlsm).values()) <= set(subs)
    assert "Sub RunPython(" in modules["xlwings"] or "Function RunPython(" in modules["xlwings"]


def test_the_udf_wrappers_declare_every_worksheet_function(small_xlsm):
    wrappers = vba_modules(small_xlsm)["xlwings_udfs"]
    for f in udfs.UDFS:
        assert re.search(rf"^Function {f.__name__}\(", wrappers, re.MULTILINE), f.__name__
    assert "Function SB_FREIGHT(courier, province, weight, Optional day)" in wrappers
    assert 'XLPy.CallUDF("shopbook.excel.udfs", "SB_PHONE", Array(phone, Nothing)' in wrappers


def test_a_built_workbook_keeps_the_template_and_opens_on_the_buttons_sheet(small_xlsm):
    wb = openpyxl.load_workbook(small_xlsm, keep_vba=True)
    assert wb.sheetnames == ["操作", "订单", "库存"]
    assert wb.active.title == "操作" and not wb["订单"].sheet_view.tabSelected
    assert wb["操作"]["A1"].value == "shopbook 按钮"
    assert any(str(c.value).startswith("生成拣货单:") for c in wb["操作"]["A"])
    assert wb["订单"]["A1"].value == "订单号" and wb["订单"]["A1"].comment.text == "每行一个商品"
    assert wb["订单"].print_title_rows == "$1:$1"  # still on 订单, not moved to 操作
    assert len({ws.sheet_properties.codeName for ws in wb}) == 3
    assert wb.vba_archive is not None
    with zipfile.ZipFile(small_xlsm) as zf:
        types = zf.read("[Content_Types].xml").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types


def test_the_build_is_reproducible(small_xlsm, tmp_path):
    again = tmp_path / "again.xlsm"
    make_xlsm.to_xlsm(small_xlsm.with_suffix(".xlsx"), again, "订单", make_xlsm.BUTTONS["订单"][1],
                      MACROS.read_text(encoding="ascii"))
    assert again.read_bytes() == small_xlsm.read_bytes()


@pytest.mark.parametrize("name", BUILT)
def test_each_shipped_workbook_has_its_buttons_wired(name):
    path = WORKBOOKS / f"{name}.xlsm"
    sheet, buttons = make_xlsm.BUTTONS[name]
    modules = vba_modules(path)
    subs = check_subs(modules["shopbook"])
    assert button_macros(path) == {b.caption: b.macro for b in buttons}
    assert all(b.macro in subs for b in buttons)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    template = openpyxl.load_workbook(WORKBOOKS / f"{name}.xlsx")
    assert wb.sheetnames == ["操作"] + template.sheetnames and sheet in wb.sheetnames
    assert [c.value for c in wb[sheet][1]] == [c.value for c in template[sheet][1]]
    assert wb.active.title == "操作"


@pytest.mark.skipif(not BUILT, reason="no .xlsm built yet")
def test_the_shipped_workbooks_are_up_to_date():
    """`python scripts/make_xlsm.py --check`: a rebuild gives the same bytes."""
    assert make_xlsm.main(["--check"]) == 0


@needs_tools("soffice")
def test_libreoffice_opens_a_built_workbook_and_sees_its_buttons(small_xlsm, tmp_path):
    profile = tmp_path / "profile"
    done = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "ods",
                           "--outdir", str(tmp_path), str(small_xlsm)], capture_output=True, timeout=180)
    converted = tmp_path / "订单.ods"
    assert done.returncode == 0 and converted.exists(), done.stderr.decode(errors="replace")
    with zipfile.ZipFile(converted) as zf:
        content = zf.read("content.xml").decode("utf-8")
    assert re.findall(r'<table:table table:name="([^"]+)"', content) == ["操作", "订单", "库存"]
    assert re.findall(r'<form:button [^>]*form:label="([^"]+)"', content) == ["校验", "生成拣货单"]
    assert "SbValidate" in content and "SbPicklist" in content


def test_the_buttons_sheet_text_stays_within_a_printed_page(small_xlsm):
    # long help lines are cut into rows that fit a portrait A4 page (a CJK character counts two)
    ws = openpyxl.load_workbook(small_xlsm, keep_vba=True)["操作"]
    texts = [c.value for c in ws["A"] if c.value]
    units = [sum(2 if ord(ch) >= 0x2E80 else 1 for ch in t) for t in texts]
    assert len(texts) > 2 + len(make_xlsm.CONTROL_LINES) and max(units) <= make_xlsm.CONTROL_WIDTH
    assert make_xlsm.CONTROL_WIDTH <= 6 * 14  # the sheet's columns are 14 wide
    assert "".join(texts[1:]).replace(" ", "") == "".join(
        [b.help for b in make_xlsm.BUTTONS["订单"][1]] + list(make_xlsm.CONTROL_LINES)).replace(" ", "")
    assert ws.page_setup.paperSize in ("9", 9) and ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight in ("0", 0)


# --- the xlwings version: the pin, the installed package and the embedded VBA agree ---------
DLL = re.compile(r'"(xlwings(?:32|64)-([0-9][0-9A-Za-z.]*)\.dll)"')


def test_pyproject_pins_xlwings_exactly_in_both_extras():
    import tomllib
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert [r for r in extras["excel"] if r.startswith("xlwings")] == \
        [r for r in extras["test"] if r.startswith("xlwings")] == [f"xlwings=={make_xlsm.pinned_xlwings().pop()}"]


@pytest.mark.parametrize("name", BUILT)
def test_each_shipped_workbook_loads_the_dll_of_the_pinned_xlwings(name):
    """The UDFs' Declare ... Lib "xlwings64-<v>.dll" (read with olevba) = the pinned version."""
    import xlwings
    versions = {v for _, v in DLL.findall(vba_modules(WORKBOOKS / f"{name}.xlsm")["xlwings"])}
    assert versions == make_xlsm.pinned_xlwings() == {xlwings.__version__}


def test_the_check_fails_when_the_pin_and_the_workbooks_diverge(tmp_path, capsys):
    pyproject = tmp_path / "pyproject.toml"
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pin = make_xlsm.pinned_xlwings().pop()
    pyproject.write_text(text.replace(f"xlwings=={pin}", "xlwings==9.9.9"), encoding="utf-8")
    problems = make_xlsm.version_problems(WORKBOOKS, pyproject)
    assert problems[0].startswith(f"已安装的 xlwings 是 {pin},pyproject.toml 固定的是 9.9.9")
    assert len(problems) == 1 + len(BUILT)
    assert make_xlsm.version_problems(None, pyproject, installed="9.9.9") == []  # a rebuild is allowed
    pyproject.write_text(text.replace(f'"xlwings=={pin}"', '"xlwings>=0.33"', 1), encoding="utf-8")
    assert "要固定为同一个" in make_xlsm.version_problems(WORKBOOKS, pyproject)[0]

    make_xlsm.PYPROJECT, saved = pyproject, make_xlsm.PYPROJECT
    try:
        assert make_xlsm.main(["--check"]) == 1
    finally:
        make_xlsm.PYPROJECT = saved
    assert "要固定为同一个" in capsys.readouterr().err
