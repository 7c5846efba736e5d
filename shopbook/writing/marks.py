"""Which workbooks shopbook wrote itself: a custom document property on every result workbook.

Every result workbook (校验结果 copy, 拣货单, 对账结果, 工资结果, 月报) carries the custom
document property "shopbook-output" = the job that wrote it (docProps/custom.xml: Excel shows
it under 文件 > 信息 > 属性 > 高级属性 > 自定义). Readers that look through a folder for their
inputs (`shopbook month --in`, a folder of courier bills) skip marked workbooks whatever
their file name, and the timestamped backups of `--in-place` (name.备份-YYYYmmdd-HHMMSS.ext),
so a result left beside the inputs never counts twice.

A workbook marked in place (`validate --in-place`) is the user's own workbook: it carries no
mark (and loses a mark it had), so it is still read as input.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

PROPERTY = "shopbook-output"
CUSTOM_PART = "docProps/custom.xml"
_BACKUP_NAME = re.compile(r"\.备份-\d{8}-\d{6}(-\d+)?$")
_LOCK_PREFIXES = ("~$", ".~")


def mark_openpyxl(wb, job: str) -> None:
    """Mark an openpyxl workbook as the result of `job` (before saving it)."""
    from openpyxl.packaging.custom import StringProperty

    unmark_openpyxl(wb)
    wb.custom_doc_props.append(StringProperty(name=PROPERTY, value=job))


def unmark_openpyxl(wb) -> None:
    """Remove our mark: the workbook is the user's own (written in place)."""
    props = wb.custom_doc_props
    for prop in [p for p in props.props if p.name == PROPERTY]:
        props.props.remove(prop)


def mark_xlsxwriter(wb, job: str) -> None:
    """Mark an XlsxWriter workbook as the result of `job`."""
    wb.set_custom_property(PROPERTY, job)


def output_job(path: Path) -> str | None:
    """The job that wrote this workbook (its "shopbook-output" property), or None for a
    workbook of the user's (or one that cannot be read: the reader will say so). Reads only
    the zip's small docProps/custom.xml part."""
    if Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    try:
        if not Path(path).is_file():  # a pipe or device would block the zip reader
            return None
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(CUSTOM_PART)
            if info.file_size > 1024 * 1024:
                return None
            data = zf.read(info)
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return None
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException):
        return None
    for prop in root:
        if prop.get("name") == PROPERTY:
            return "".join(prop.itertext()).strip() or "?"
    return None


def is_backup(path: Path) -> bool:
    """A timestamped backup shopbook made before an in-place write (订单.备份-20261031-093000.xlsx)."""
    return bool(_BACKUP_NAME.search(Path(path).stem))


def is_lock_or_temp(path: Path) -> bool:
    """An office lock/owner file (~$name, .~lock.name#, .~name) or a temporary file of ours."""
    return Path(path).name.startswith(_LOCK_PREFIXES)


def not_an_input(path: Path) -> bool:
    """Files a folder scan leaves out: our own results, our backups, lock and temporary files."""
    return is_lock_or_temp(path) or is_backup(path) or output_job(path) is not None
