"""What openpyxl would drop from a workbook it rewrites: charts, pictures, shapes, buttons…

openpyxl keeps values, styles, drop-downs, notes and (with keep_vba) the VBA project, but not
drawings (charts lose their formatting, pictures need Pillow, shapes are dropped), form
controls and ActiveX buttons, pivot tables, slicers or embedded objects. Before rewriting a
user's workbook in place we look for those parts; when there are any, the results go to a
separate workbook instead (SPEC §Non-negotiables).
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

_PARTS = (
    (re.compile(r"^xl/charts/"), "图表"),
    (re.compile(r"^xl/media/"), "图片"),
    (re.compile(r"^xl/drawings/drawing\d+\.xml$"), "图形"),
    (re.compile(r"^xl/ctrlProps/"), "按钮/表单控件"),
    (re.compile(r"^xl/activeX/"), "ActiveX 控件"),
    (re.compile(r"^xl/pivotTables/"), "数据透视表"),
    (re.compile(r"^xl/slicers/"), "切片器"),
    (re.compile(r"^xl/embeddings/"), "嵌入对象"),
)
_VML_CONTROL = re.compile(rb'ObjectType="(?!Note")')


def unsupported_parts(path: Path) -> list[str]:
    """Kinds of content in the workbook that a rewrite through openpyxl would lose."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    found: list[str] = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            for pattern, label in _PARTS:
                if pattern.search(name) and label not in found:
                    found.append(label)
            if name.startswith("xl/drawings/") and name.endswith(".vml") and "按钮/表单控件" not in found:
                with zf.open(name) as part:
                    if _VML_CONTROL.search(part.read(1024 * 1024)):
                        found.append("按钮/表单控件")
    return found


def refuse_if_sheets_lost(path: Path, expected: list[str], wb) -> None:
    """Refuse (UnusableInput) to rewrite `path` through openpyxl when openpyxl did not read
    every sheet the fast reader found (`expected`): e.g. a Strict Open XML workbook, which
    openpyxl opens as a workbook without sheets, so a rewrite would keep only what we add."""
    from shopbook.core.errors import UnusableInput

    lost = [name for name in expected if name not in wb.sheetnames]
    if lost:
        raise UnusableInput(f"{path}: 无法改写这个工作簿:工作表 {'、'.join(lost)} 读不出来"
                            f"(可能是「Strict Open XML」格式),改写会丢失它们,原文件未改动。"
                            f"请在 Excel 中另存为「Excel 工作簿(*.xlsx)」后再试。")


def load_for_rewrite(path: Path, keep_vba: bool = False):
    """openpyxl's workbook of `path` for a rewrite (values, styles, notes; macros with
    keep_vba). openpyxl's own warnings (English, about parts it drops) are not shown: what
    matters is checked by unsupported_parts and refuse_if_sheets_lost, in Chinese."""
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(path, keep_vba=keep_vba, rich_text=True)
