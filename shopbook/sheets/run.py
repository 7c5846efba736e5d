"""File adapters around the jobs: read the files, call the pure job, write the outputs.

The CLI and the demo call these; the Excel adapter reads through xlwings instead.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from shopbook.core import report
from shopbook.core import findings as fnd
from shopbook.core.errors import UnusableInput
from shopbook.reading.files import open_workbook
from shopbook.sheets.exports import describe
from shopbook.rules import load_rules
from shopbook.sheets.validate import Validation, validate
from shopbook.writing import marks
from shopbook.writing.annotate import marked_target, write_marked
from shopbook.writing.preserve import unsupported_parts
from shopbook.writing.safe import backup, check_outputs, refuse_if_open, same_file


@contextlib.contextmanager
def progress(message: str, enabled: bool):
    """A spinner on stderr for long jobs (not in --json mode, not when piped)."""
    if not enabled or not sys.stderr.isatty():
        yield
        return
    from rich.console import Console
    with Console(stderr=True).status(message):
        yield


@dataclass
class ValidateResult:
    path: Path
    validation: Validation
    written: Path | None = None
    backup: Path | None = None
    not_carried: list[str] = field(default_factory=list)  # workbook content the copy could not keep
    paths: list[Path] = field(default_factory=list)  # every file checked together (path is the first)

    @property
    def findings(self) -> pd.DataFrame:
        return self.validation.findings

    @property
    def exit_code(self) -> int:
        return report.exit_code(self.findings)

    def as_json(self) -> dict:
        summary = fnd.summary(self.findings)
        summary["rows_checked"] = self.validation.rows_checked
        sources = describe(self.validation.sheets)
        if sources:  # the platform export formats recognised
            summary["sources"] = sources
        if self.written:
            summary["output"] = str(self.written)
        if self.not_carried:
            summary["not_carried"] = self.not_carried
        return {"findings": fnd.records(self.findings), "summary": summary}

    def report(self, limit_per_sheet: int = 200) -> str:
        f = self.findings
        names = " + ".join(p.name for p in (self.paths or [self.path]))
        lines = [f"校验 {names}: " + ",".join(f"{sheet} {n} 行" for sheet, n in self.validation.rows_checked.items())]
        for source in describe(self.validation.sheets):
            lines.append(f"  {source['sheet']}: 识别为 {source['name']}")
        if not self.validation.rows_checked:
            lines.append("  没有找到订单/发货/退换货/库存表。")
        lines += report.by_sheet(f, limit_per_sheet, "见 --json 或 -o 输出的「问题」表。")
        lines.append(f"\n合计: {report.counts_text(f)}。")
        if self.backup:
            lines.append(f"已备份原文件: {self.backup}")
        if self.written:
            lines.append(f"已写出标注后的工作簿: {self.written}")
        if self.not_carried:
            kinds = "、".join(self.not_carried)
            lines.append(f"注意: 原工作簿含有{kinds},标注后的工作簿无法保留它们"
                         + (";原工作簿未改动。" if self.written != self.path else "。"))
        return "\n".join(lines)


VALIDATE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


def validate_books(books, rules, as_of: dt.datetime, rule_findings: pd.DataFrame | None = None) -> Validation:
    """The validation job on workbooks already open, sellable stock from the stock ledger when they
    keep its registers: what the CLI and the Excel button both run."""
    from shopbook.stockbook.job import sellable
    return validate(books, rules, as_of, rule_findings, ledger=sellable)


def input_files(paths: list[Path]) -> list[Path]:
    """The files given, a folder standing for the workbooks and csv files directly in it
    (not Office lock files, not results this tool wrote)."""
    out = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in VALIDATE_SUFFIXES
                            and not marks.not_an_input(p) and "校验结果" not in p.stem)
            if not inside:
                raise UnusableInput(f"{path}: 文件夹里没有 .xlsx/.xls/.csv 文件。")
            out += inside
        else:
            out.append(path)
    return out


def run_validate(path: Path | list[Path], rules_path: Path | None, as_of: dt.datetime, *,
                 output: Path | None = None, in_place: bool = False, show_progress: bool = False) -> ValidateResult:
    """Validate one workbook, or several files checked together (a platform's order list and
    item list, the shop's 订单 and a courier's returns export …; a folder stands for its files)."""
    paths = input_files(path if isinstance(path, list) else [path])
    if len(paths) > 1:
        return _run_validate_files(paths, rules_path, as_of, show_progress)
    path = paths[0]
    if output and same_file(marked_target(output), path):
        raise UnusableInput(f"{output}: 输出文件与输入相同;要在原文件上标注请用 --in-place。")
    check_outputs([path, rules_path], [marked_target(output) if output else None])
    rules, rule_findings = load_rules(rules_path)
    if in_place:
        if path.suffix.lower() not in (".xlsx", ".xlsm"):
            raise UnusableInput(f"{path}: 只有 .xlsx/.xlsm 工作簿可以就地标注,请用 -o 另存。")
        refuse_if_open(path)
    with progress(f"正在校验 {path.name} …", show_progress):
        book = open_workbook(path)
        result = ValidateResult(path, validate_books(book, rules, as_of, rule_findings))
        if not result.validation.rows_checked:
            raise UnusableInput(f"{path}: 没有找到订单、发货、退换货或库存表(按工作表名或表头查找;"
                                f"工作表: {'、'.join(book.sheet_names)})。请检查表头是否为 订单号、快递单号、商品编码 等。")
        kept_apart = unsupported_parts(path) if (in_place or output) else []
        if in_place and kept_apart:
            # rewriting would lose them: the marks go to a separate workbook beside it
            result.not_carried = kept_apart
            target = path.with_name(f"{path.stem}.校验结果.xlsx")
            check_outputs([path, rules_path], [target])
            result.written = write_marked(path, result.findings, target, book, keep_vba=False)
        elif in_place:
            def back_up() -> None:
                result.backup = backup(path)
            result.written = write_marked(path, result.findings, path, book, job=None, before_save=back_up)
        elif output:
            result.written = write_marked(path, result.findings, output, book)
            result.not_carried = kept_apart
    return result


def _run_validate_files(paths: list[Path], rules_path: Path | None, as_of: dt.datetime,
                        show_progress: bool) -> ValidateResult:
    rules, rule_findings = load_rules(rules_path)
    with progress(f"正在校验 {len(paths)} 个文件 …", show_progress):
        books = [open_workbook(p) for p in paths]
        result = ValidateResult(paths[0], validate_books(books, rules, as_of, rule_findings), paths=paths)
    if not result.validation.rows_checked:
        raise UnusableInput(f"{'、'.join(str(p) for p in paths)}: 没有找到订单、发货、退换货或库存表。")
    return result

