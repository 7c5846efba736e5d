"""Build workbooks/*.xlsm: the templates with their buttons placed and wired to the macros.

    python scripts/make_xlsm.py            # every template in workbooks/ that has buttons
    python scripts/make_xlsm.py --check    # exit 1 when a built .xlsm is out of date

Both refuse (exit 1) when the installed xlwings is not the `xlwings==` pin of
pyproject.toml; --check also when a built .xlsm embeds another version (xlwings64-<v>.dll).

For each template workbooks/<name>.xlsx (written by scripts/make_workbooks.py) this writes
workbooks/<name>.xlsm with the same sheets, formats, drop-downs and notes, plus:
- a VBA project (xl/vbaProject.bin) holding macros/shopbook.bas, the xlwings VBA module
  (standalone: no add-in needed) and one document module per sheet. It is written by
  scripts/vbaproject.py from the project inside xlwings' own quickstart_standalone.xlsm,
  so the xlwings module always matches the installed xlwings;
- a first sheet 操作 (opened first) with one Form Control button per job (legacy VML, as
  Excel and XlsxWriter's insert_button write them), each calling one sub of
  macros/shopbook.bas, and a few lines on what each button does. A sheet of its own keeps
  the buttons in sight however wide the data sheet is, and off the clerk's cells.

The .xlsx is edited as a package (its parts are kept byte for byte where nothing changes),
so whatever the template holds survives. The output is deterministic: fixed zip times
and a VBA project without timestamps, so a rebuild gives identical bytes.
"""
from __future__ import annotations

import argparse
import html
import inspect
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import xlwings

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_workbooks as mw  # noqa: E402
import vbaproject  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = ROOT / "workbooks"
MACROS = ROOT / "macros" / "shopbook.bas"
XLWINGS_TEMPLATE = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"


@dataclass(frozen=True)
class Button:
    caption: str
    macro: str  # a Sub in macros/shopbook.bas
    help: str = ""  # one line on the 操作 sheet


VALIDATE = Button("校验", "SbValidate",
                  "校验:检查本工作簿的订单/发货/退换货/库存表,有问题的单元格标色并加批注,全部问题列在「问题」表(带链接)。")
PICKLIST = Button("生成拣货单", "SbPicklist",
                  "生成拣货单:已付款未发货的订单整单配货,写出「汇总拣货单」「按单拣货单」「缺货」「暂缓拣货」「拣货批次」。"
                  "库存表不在本工作簿时,读取同一文件夹的 库存.xlsx/.xlsm 或 台账.xlsx(发货表同理)。")
RECONCILE = Button("快递对账", "SbReconcile",
                   "快递对账:把月结账单粘贴到「快递账单」表(粘贴为值),与同一文件夹的 发货.xlsx(或 台账.xlsx)核对,"
                   "写出「对账汇总」「争议明细」「未计费」。")
PAYROLL = Button("计算工资", "SbPayroll",
                 "计算工资:按「个税累计」中已算到的月份的下一个月计算,写出「工资表」「工资条」「银行代发」;"
                 "下月要用的数字在「下月个税累计」「下月责任金台账」,下月计算前复制到「个税累计」「责任金台账」。")
HANDOVER = Button("打印交接单", "SbHandover",
                  "打印交接单:按本工作簿的发货表写出当天每家快递一张「交接单」(最近一个有发货的日子),与「快递交接」表"
                  "(本工作簿的,或同一文件夹的 快递交接.xlsx)核对件数、签字、底单,另写「交接核对」「今日发货清单」「底单归档」。")
TODAY = Button("今日待办", "SbToday",
               "今日待办:按本工作簿的评价、投诉、交接班、联系记录表和同一文件夹的 台账.xlsx(或 订单/发货/退换货.xlsx),"
               "写出「今日概览」和每张清单(「待办-待联系评价」「待办-即将锁定」……,按期限排序)以及「客服绩效」。")
CONTROL_SHEET = "操作"
CONTROL_WIDTH = 84  # text units per line: six of the sheet's 14-wide columns, within a portrait A4 page
CONTROL_LINES = (
    "按下按钮,在本工作簿运行 shopbook(与终端命令 shopbook validate/picklist/reconcile/payroll/handover/today 相同)。",
    "按钮只会标色、加批注、重写它生成的表,不会修改您填写的数据。生成的表每次重新写出,请不要在里面输入。",
    "规则(价格表、容差、岗位薪酬等)取自同一文件夹的 规则.xlsx,没有时用内置默认值。",
    "第一次使用前需要在电脑上安装 Python 和 shopbook(在 shopbook 文件夹运行 pip install \".[excel]\","
    "再运行 xlwings config create)。从网上或压缩包得到的工作簿:先右键 → 属性 → 勾选「解除锁定」,"
    "打开后再点「启用内容」。详见 docs/excel.md。",
)

# template name -> (the template's main sheet, the buttons of its 操作 sheet). The 订单
# workbook can hold 库存 (and 发货) sheets too, or find them beside it, so it gets the pick list.
BUTTONS: dict[str, tuple[str, tuple[Button, ...]]] = {
    "订单": ("订单", (VALIDATE, PICKLIST)),
    "发货": ("发货", (VALIDATE, HANDOVER)),
    "退换货": ("退换货", (VALIDATE,)),
    "库存": ("库存", (VALIDATE,)),
    "快递对账": ("快递账单", (RECONCILE,)),
    "工资": ("员工", (PAYROLL,)),
    "客服": ("评价", (TODAY,)),
}

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
REL_VML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"
REL_SHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
# worksheet children that must come after <legacyDrawing> (ECMA-376 CT_Worksheet order)
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                 "webPublishItems", "tableParts", "extLst")


def macro_names(source: str) -> list[str]:
    """The public Subs of a VBA module, the names a button can call."""
    return re.findall(r"^(?:Public\s+)?Sub\s+(\w+)\s*\(", source, re.MULTILINE | re.IGNORECASE)


# --- the package parts -----------------------------------------------------------------

def _rels_path(part: str) -> str:
    folder, name = part.rsplit("/", 1)
    return f"{folder}/_rels/{name}.rels"


def _relationships(xml: str) -> list[dict]:
    return [dict(re.findall(r'(\w+)="([^"]*)"', m)) for m in re.findall(r"<Relationship\b([^>]*)/?>", xml)]


def _add_relationship(xml: str | None, rel_type: str, target: str) -> tuple[str, str]:
    """The rels part with one more relationship, and its new id."""
    if xml is None:
        xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '</Relationships>')
    used = {r.get("Id") for r in _relationships(xml)}
    n = 1
    while f"rId{n}" in used:
        n += 1
    rid = f"rId{n}"
    xml = xml.replace("</Relationships>",
                      f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"/></Relationships>')
    return xml, rid


def _resolve(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    parts = base_part.rsplit("/", 1)[0].split("/")
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _set_attribute(tag: str, name: str, value: str) -> str:
    """An XML start tag with attribute `name` set (replacing a value already there)."""
    if re.search(rf'\s{name}="[^"]*"', tag):
        return re.sub(rf'(\s{name}=")[^"]*(")', rf"\g<1>{value}\g<2>", tag)
    end = -2 if tag.endswith("/>") else -1
    return f'{tag[:end].rstrip()} {name}="{value}"{tag[end:]}'


def with_code_name(xml: str, element: str, code_name: str, after: tuple[str, ...] = ()) -> str:
    """Give the <workbookPr>/<sheetPr> element a codeName (creating the element if needed:
    after the elements named in `after`, else first in its parent)."""
    m = re.search(rf"<{element}\b[^>]*?/?>", xml)
    if m:
        return xml[:m.start()] + _set_attribute(m.group(0), "codeName", code_name) + xml[m.end():]
    new = f'<{element} codeName="{code_name}"/>'
    for name in reversed(after):
        m = re.search(rf"<{name}\b[^>]*?/>|<{name}\b.*?</{name}>", xml, re.DOTALL)
        if m:
            return xml[:m.end()] + new + xml[m.end():]
    root = re.search(r"<(workbook|worksheet)\b[^>]*>", xml)
    return xml[:root.end()] + new + xml[root.end():]


REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def with_legacy_drawing(sheet_xml: str, rid: str) -> str:
    tag = f'<legacyDrawing r:id="{rid}"/>'
    root = re.search(r"<worksheet\b[^>]*>", sheet_xml)
    if "xmlns:r=" not in root.group(0):  # openpyxl leaves it out of a sheet without relationships
        sheet_xml = sheet_xml[:root.end() - 1] + f' xmlns:r="{REL_NS}">' + sheet_xml[root.end():]
    for name in _AFTER_LEGACY:
        m = re.search(rf"<{name}\b", sheet_xml)
        if m:
            return sheet_xml[:m.start()] + tag + sheet_xml[m.start():]
    return sheet_xml.replace("</worksheet>", tag + "</worksheet>")


# --- buttons (legacy VML form controls) -------------------------------------------------

VML_NAMESPACES = {"v": "urn:schemas-microsoft-com:vml", "o": "urn:schemas-microsoft-com:office:office",
                  "x": "urn:schemas-microsoft-com:office:excel"}
_SHAPETYPE = ('<v:shapetype id="_x0000_t201" coordsize="21600,21600" o:spt="201" '
              'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
              '<v:path shadowok="f" o:extrusionok="f" strokeok="f" fillok="f" o:connecttype="rect"/>'
              '<o:lock v:ext="edit" shapetype="t"/></v:shapetype>')


def button_shape(shape_id: int, button: Button, column: int, z_index: int, row: int = 0) -> str:
    """One button, two columns wide over two rows from 0-based `row`, starting at 0-based `column`."""
    caption = html.escape(button.caption)
    return (f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t201" style="position:absolute;'
            f'margin-left:{column * 48}pt;margin-top:{row * 15}pt;width:96pt;height:30pt;z-index:{z_index};'
            f'mso-wrap-style:tight" o:button="t" fillcolor="buttonFace [67]" strokecolor="windowText [64]" '
            f'o:insetmode="auto"><v:fill color2="buttonFace [67]" o:detectmouseclick="t"/>'
            f'<o:lock v:ext="edit" rotation="t"/><v:textbox style="mso-direction-alt:auto" o:singleclick="f">'
            f'<div style="text-align:center"><font face="Calibri" size="220" color="#000000">{caption}</font>'
            f'</div></v:textbox><x:ClientData ObjectType="Button">'
            f'<x:Anchor>{column}, 4, {row}, 2, {column + 2}, 0, {row + 2}, 0</x:Anchor>'
            f'<x:PrintObject>False</x:PrintObject><x:AutoFill>False</x:AutoFill>'
            f'<x:FmlaMacro>[0]!{button.macro}</x:FmlaMacro>'
            f'<x:TextHAlign>Center</x:TextHAlign><x:TextVAlign>Center</x:TextVAlign></x:ClientData></v:shape>')


def vml_with_buttons(vml: str | None, buttons: tuple[Button, ...], first_column: int, id_block: int,
                     row: int = 0, step: int = 2) -> str:
    """A VML drawing part holding the buttons (added to the sheet's existing one, e.g. its
    notes, when there is one)."""
    if vml is None:
        vml = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
               'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit">'
               f'<o:idmap v:ext="edit" data="{id_block}"/></o:shapelayout></xml>')
    root = re.search(r"<xml\b[^>]*>", vml)
    declared = root.group(0)
    for prefix, uri in VML_NAMESPACES.items():  # other writers may use other prefixes
        if f"xmlns:{prefix}=" not in declared:
            declared = declared[:-1] + f' xmlns:{prefix}="{uri}">'
    vml = vml[:root.start()] + declared + vml[root.end():]
    ids = [int(i) for i in re.findall(r'id="_x0000_s(\d+)"', vml)]
    block = re.search(r'<\w+:idmap\b[^>]*data="(\d+)', vml)
    next_id = max(ids + [int(block.group(1)) * 1024 if block else 1024]) + 1
    shapes = "" if re.search(r':spt="201"', vml) else _SHAPETYPE
    z = len(ids) + 1
    for i, button in enumerate(buttons):
        shapes += button_shape(next_id + i, button, first_column + step * i, z + i, row)
    return vml.replace("</xml>", shapes + "</xml>")


def control_sheet_xml(buttons: tuple[Button, ...]) -> str:
    """The 操作 sheet: a title, two rows for the buttons, a line per button and the setup notes
    (inline strings, so the shared string table is left alone)."""
    def row(number: int, text: str) -> str:
        return (f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>{html.escape(text, quote=False)}</t></is>'
                '</c></row>')
    lines = [row(1, "shopbook 按钮")]
    number = 6
    for paragraph in [b.help for b in buttons] + [None] + list(CONTROL_LINES):
        if paragraph is None:  # a blank row between the buttons' lines and the setup notes
            number += 1
            continue
        for text in mw.wrap_lines(paragraph, CONTROL_WIDTH):  # within the printed width
            lines.append(row(number, text))
            number += 1
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'xmlns:r="{REL_NS}"><sheetPr codeName="Sheet0"><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<dimension ref="A1:A{number - 1}"/>'
            '<sheetViews><sheetView tabSelected="1" showGridLines="0" workbookViewId="0"/></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="12" width="14" customWidth="1"/></cols>'
            f'<sheetData>{"".join(lines)}</sheetData>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="portrait" fitToWidth="1" fitToHeight="0"/>'
            '</worksheet>')


def with_control_sheet(text: dict, names: list, sheet_parts: list) -> str:
    """Add the 操作 sheet part first in the workbook and make it the open sheet; returns its part."""
    workbook_part = "xl/workbook.xml"
    number = 1
    while f"xl/worksheets/sheet{number}.xml" in text or f"xl/worksheets/sheet{number}.xml" in names:
        number += 1
    part = f"xl/worksheets/sheet{number}.xml"
    text[_rels_path(workbook_part)], rid = _add_relationship(
        text[_rels_path(workbook_part)], REL_SHEET, f"worksheets/sheet{number}.xml")
    wb = text[workbook_part]
    sheet_id = max([int(i) for i in re.findall(r'<sheet\b[^>]*\ssheetId="(\d+)"', wb)] + [0]) + 1
    wb = re.sub(r"<sheets>", f'<sheets><sheet name="{CONTROL_SHEET}" sheetId="{sheet_id}" r:id="{rid}"/>', wb, count=1)
    # names scoped to a sheet point at it by position: every position moves one up
    wb = re.sub(r'localSheetId="(\d+)"', lambda m: f'localSheetId="{int(m.group(1)) + 1}"', wb)
    view = re.search(r"<workbookView\b[^>]*?/?>", wb)
    if view:
        tag = _set_attribute(_set_attribute(view.group(0), "activeTab", "0"), "firstSheet", "0")
        wb = wb[:view.start()] + tag + wb[view.end():]
    text[workbook_part] = wb
    for _, sheet in sheet_parts:  # only the 操作 sheet is selected (several selected = grouped sheets)
        text[sheet] = re.sub(r'\stabSelected="(1|true)"', "", text[sheet])
    text["[Content_Types].xml"] = text["[Content_Types].xml"].replace(
        "</Types>", f'<Override PartName="/{part}" ContentType="{CT_SHEET}"/></Types>')
    names.append(part)
    sheet_parts.insert(0, (CONTROL_SHEET, part))
    return part


# --- worksheet functions ---------------------------------------------------------------

def udf_wrappers(module_name: str, functions) -> str:
    """The VBA wrappers of Python UDFs, as xlwings' "Import Functions" writes them into the
    xlwings_udfs module: each calls the Python function through the xlwings DLL. The
    hidden `caller` argument is passed as Nothing and replaced by the calling cell."""
    lines = ['Attribute VB_Name = "xlwings_udfs"',
             "'Generated by scripts/make_xlsm.py from " + module_name + " (as xlwings' Import Functions does)",
             "#Const App = \"Microsoft Excel\" 'Adjust when using outside of Excel", ""]
    for f in functions:
        signature = inspect.signature(f).parameters
        params = list(signature)
        visible = [("Optional " if signature[p].default is not inspect.Parameter.empty else "") + p
                   for p in params if p != "caller"]  # a missing optional argument gets its Python default
        args = ", ".join("Nothing" if p == "caller" else p for p in params)
        call = f'XLPy.CallUDF("{module_name}", "{f.__name__}", Array({args})'
        lines += [f"Function {f.__name__}({', '.join(visible)})",
                  '    #If App = "Microsoft Excel" Then',
                  "        If TypeOf Application.Caller Is Range Then On Error GoTo failed",
                  f"        {f.__name__} = {call}, ThisWorkbook, Application.Caller)",
                  "        Exit Function",
                  "    #Else",
                  f"        {f.__name__} = {call})",
                  "        Exit Function",
                  "    #End If",
                  "failed:",
                  f"    {f.__name__} = Err.Description",
                  "End Function", ""]
    return "\n".join(lines)


# --- putting it together ---------------------------------------------------------------

def build_vba(sheet_count: int, module_source: str) -> bytes:
    from shopbook.excel import udfs

    template = vbaproject.template_from_xlsm(XLWINGS_TEMPLATE)
    modules = [vbaproject.document_module(template, "ThisWorkbook", "ThisWorkbook")]
    modules += [vbaproject.document_module(template, f"Sheet{i}", "Sheet1") for i in range(1, sheet_count + 1)]
    modules += [template.modules["xlwings"],
                vbaproject.Module("shopbook", vbaproject.PROCEDURAL, module_source),
                vbaproject.Module("xlwings_udfs", vbaproject.PROCEDURAL, udf_wrappers(udfs.__name__, udfs.UDFS)),
                template.modules["Dictionary"]]  # xlwings needs it on macOS
    return vbaproject.build(template, modules)


def to_xlsm(xlsx: Path, target: Path, sheet: str, buttons: tuple[Button, ...], module_source: str) -> None:
    with zipfile.ZipFile(xlsx) as zf:
        names = zf.namelist()
        parts = {n: zf.read(n) for n in names}
    text = {n: parts[n].decode("utf-8") for n in names if n.endswith((".xml", ".rels", ".vml"))}

    available = set(macro_names(module_source))
    missing = [b.macro for b in buttons if b.macro not in available]
    if missing:
        raise SystemExit(f"{MACROS.name} has no Sub {', '.join(missing)}")

    workbook_part = "xl/workbook.xml"
    rels = {r["Id"]: _resolve(workbook_part, r["Target"]) for r in _relationships(text[_rels_path(workbook_part)])}
    sheets = [dict(re.findall(r'([\w:]+)="([^"]*)"', attrs))
              for attrs in re.findall(r"<sheet\b([^>]*?)/?>", text[workbook_part])]
    sheet_parts = [(html.unescape(s["name"]), rels[s["r:id"]]) for s in sheets]
    if sheet not in dict(sheet_parts):
        raise SystemExit(f"{xlsx.name} has no sheet {sheet}")

    # the macro-enabled package: content type, the VBA part and its relationship, codeNames
    types = text["[Content_Types].xml"].replace(CT_XLSX, CT_XLSM)
    for ext, ctype in (("bin", "application/vnd.ms-office.vbaProject"),
                       ("vml", "application/vnd.openxmlformats-officedocument.vmlDrawing")):
        if f'Extension="{ext}"' not in types:
            types = types.replace("<Override ", f'<Default Extension="{ext}" ContentType="{ctype}"/><Override ', 1)
    text["[Content_Types].xml"] = types
    text[_rels_path(workbook_part)], _ = _add_relationship(text[_rels_path(workbook_part)], REL_VBA, "vbaProject.bin")
    text[workbook_part] = with_code_name(text[workbook_part], "workbookPr", "ThisWorkbook",
                                         after=("fileVersion", "fileSharing"))
    part = with_control_sheet(text, names, sheet_parts)
    text[part] = control_sheet_xml(buttons)
    for i, (_, part) in enumerate(sheet_parts, start=1):
        text[part] = with_code_name(text[part], "sheetPr", f"Sheet{i}")

    # the buttons on the 操作 sheet, over rows 3-4, a column apart
    part = dict(sheet_parts)[CONTROL_SHEET]
    rels_part = _rels_path(part)
    sheet_rels = text.get(rels_part)
    existing = [r for r in _relationships(sheet_rels or "") if r.get("Type") == REL_VML]
    if existing:
        vml_part = _resolve(part, existing[0]["Target"])
    else:
        number = 1
        while f"xl/drawings/vmlDrawing{number}.vml" in parts:
            number += 1
        vml_part = f"xl/drawings/vmlDrawing{number}.vml"
        text[rels_part], rid = _add_relationship(sheet_rels, REL_VML, "../drawings/" + vml_part.rsplit("/", 1)[1])
        text[part] = with_legacy_drawing(text[part], rid)
        names += [n for n in (rels_part,) if n not in names]
    blocks = [int(b) for n, t in text.items() if n.endswith(".vml")
              for b in re.findall(r'<\w+:idmap\b[^>]*data="(\d+)', t)]
    text[vml_part] = vml_with_buttons(text.get(vml_part), buttons, 0, max(blocks, default=0) + 1, row=2, step=3)
    if vml_part not in names:
        names.append(vml_part)

    parts.update({n: t.encode("utf-8") for n, t in text.items()})
    parts["xl/vbaProject.bin"] = build_vba(len(sheet_parts), module_source)
    names.append("xl/vbaProject.bin")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            out.writestr(info, parts[name])
    tmp.replace(target)


def build_all(folder: Path = WORKBOOKS, out: Path | None = None) -> list[Path]:
    """Write every .xlsm whose template exists; returns the files written."""
    source = MACROS.read_text(encoding="ascii")
    written = []
    for name, (sheet, buttons) in BUTTONS.items():
        template = folder / f"{name}.xlsx"
        if not template.exists():
            print(f"跳过 {name}: 没有模板 {template}", file=sys.stderr)
            continue
        target = (out or folder) / f"{name}.xlsm"
        to_xlsm(template, target, sheet, buttons, source)
        written.append(target)
    return written


# --- the xlwings version: pyproject's pin = the installed xlwings = what the .xlsm embed ---

PYPROJECT = ROOT / "pyproject.toml"
XLWINGS_IN_VBA = re.compile(r'xlwings(?:32|64)-([0-9][0-9A-Za-z.]*)\.dll|XLWINGS_VERSION As String = "([^"]+)"')


def pinned_xlwings(pyproject: Path | None = None) -> set[str]:
    """The xlwings versions pinned (==) in pyproject's extras (one, when they agree)."""
    pyproject = pyproject or PYPROJECT
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    extras = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    pins = set()
    for requirements in extras.values():
        for requirement in requirements:
            m = re.match(r"^xlwings\s*(==)?\s*([^;\s]*)", requirement)
            if m:
                pins.add(m[2] if m[1] else f"(未固定:{requirement})")
    return pins


def embedded_xlwings(path: Path) -> set[str]:
    """The xlwings versions a built .xlsm's xlwings VBA module names (DLLs, XLWINGS_VERSION)."""
    source = vbaproject.template_from_xlsm(path).modules["xlwings"].source
    return {a or b for a, b in XLWINGS_IN_VBA.findall(source)}


def version_problems(folder: Path | None = WORKBOOKS, pyproject: Path | None = None,
                     installed: str = xlwings.__version__) -> list[str]:
    """What disagrees among the pin, the installed xlwings and the shipped .xlsm in `folder`
    (None: the .xlsm are not looked at, as before a rebuild), in Chinese."""
    pins = pinned_xlwings(pyproject)
    if len(pins) != 1:
        return [f"pyproject.toml 中 xlwings 的版本要固定为同一个(xlwings==x.y.z),现在是:{'、'.join(sorted(pins)) or '没有'}"]
    pin = pins.pop()
    problems = []
    if installed != pin:
        problems.append(f"已安装的 xlwings 是 {installed},pyproject.toml 固定的是 {pin}:请安装 xlwings=={pin}"
                        "(或同时改固定版本并重建工作簿)")
    for name in BUTTONS if folder is not None else ():
        path = folder / f"{name}.xlsm"
        if path.exists() and (found := embedded_xlwings(path)) != {pin}:
            problems.append(f"{path.name} 内嵌的 xlwings 是 {'、'.join(sorted(found)) or '没有'},"
                            f"pyproject.toml 固定的是 {pin}")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the .xlsm files are up to date")
    args = parser.parse_args(argv)
    problems = version_problems(WORKBOOKS if args.check else None)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    if args.check:
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            fresh = build_all(out=Path(tmp))
            stale = [p.name for p in fresh if not (WORKBOOKS / p.name).exists()
                     or (WORKBOOKS / p.name).read_bytes() != p.read_bytes()]
        if stale:
            print("过期,请运行 python scripts/make_xlsm.py: " + "、".join(stale), file=sys.stderr)
            return 1
        return 0
    for path in build_all():
        print(f"已写出 {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
