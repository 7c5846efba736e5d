"""The 今日待办 run: find the sheets in the given workbooks (by name, alias or header row), read the
拣货批次 record of a pick-list workbook, call the pure job, write 今日待办.xlsx; the run object
gives the exit code, the JSON and the terminal report."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from shopbook.core import report
from shopbook.core import findings as fnd
from shopbook.sheets.run import progress
from shopbook.sheets.orders import ORDERS
from shopbook.picking.job import BATCHES
from shopbook.core.errors import UnusableInput
from shopbook.reading.files import Workbook, as_workbook
from shopbook.reading.schema import SheetKind, normalise_header
from shopbook.reading.tables import assign_sheets, sheet_table
from shopbook.sheets.returns import RETURNS
from shopbook.rules import Rules, load_rules
from shopbook.sheets.complaints import COMPLAINTS
from shopbook.sheets.contacts import CONTACTS
from shopbook.sheets.reviews import REVIEWS
from shopbook.sheets.shift_handover import HANDOVER
from shopbook.sheets.shipping import SHIPPING
from shopbook.sheets.stock import STOCK
from shopbook.today import job, lists
from shopbook.today.xlsx import write_today

DEFAULT_OUTPUT = "今日待办.xlsx"
PICKLIST_BOOK = "拣货单.xlsx"  # where `shopbook picklist` keeps its 拣货批次 record by default
# every kind a 客服 day reads (库存 is matched too, only so that a stock sheet is not taken for another kind)
KINDS = (ORDERS, SHIPPING, RETURNS, STOCK, REVIEWS, COMPLAINTS, HANDOVER, CONTACTS)
ATTR = {ORDERS.name: "orders", SHIPPING.name: "shipping", RETURNS.name: "returns", REVIEWS.name: "reviews",
        COMPLAINTS.name: "complaints", HANDOVER.name: "handovers", CONTACTS.name: "contacts"}
# the ledger columns the lists read (the rest of 订单/发货/退换货 is validate's business): a busy
# month's 订单 parses in a fraction of the time
LEDGER_COLUMNS = {
    ORDERS.name: ("订单号", "下单时间", "付款时间", "买家", "收件人", "手机", "详细地址", "付款方式", "旗帜", "备注", "客服",
                  "归属客服", "状态", "联系时间"),
    SHIPPING.name: ("发货日期", "订单号", "快递单号", "类型", "状态", "原因", "签收日期", "处理结果"),
    RETURNS.name: ("登记日期", "订单号", "类型", "原因", "申请日期", "状态", "处理人"),
}
WHAT = {ORDERS.name: "订单表", SHIPPING.name: "发货表", RETURNS.name: "退换货表", REVIEWS.name: "评价表",
        COMPLAINTS.name: "投诉表", HANDOVER.name: "交接班表", CONTACTS.name: "联系记录表"}


@dataclass
class Inputs:
    tables: job.TodayTables
    sources: dict  # sheet kind name and sheet name -> (file, sheet)
    findings: pd.DataFrame
    batch_files: list = field(default_factory=list)


def reading_kind(kind: SheetKind) -> SheetKind:
    """The kind as today parses it: a ledger kind with only the columns the lists read."""
    if kind.name not in LEDGER_COLUMNS:
        return kind
    return replace(kind, columns=tuple(c for c in kind.columns if c.name in LEDGER_COLUMNS[kind.name]))


def _named(sheet: str, kind) -> int:
    """0 = named as the kind, 1 = by an alias, 2 = found by its headers."""
    name = normalise_header(sheet)
    if name == normalise_header(kind.name):
        return 0
    return 1 if name in {normalise_header(a) for a in kind.sheet_aliases} else 2


def is_picklist(book: Workbook) -> bool:
    """A pick-list workbook (it keeps a 拣货批次 sheet): its lists look like orders, only its record counts."""
    wanted = {normalise_header(n) for n in (BATCHES.name, *BATCHES.sheet_aliases)}
    return any(normalise_header(n) in wanted for n in book.sheet_names)


def _path(given: Path | Workbook) -> Path:
    return given.path if hasattr(given, "sheet_names") else Path(given)


def keeps_orders(book: Workbook) -> bool:
    """A workbook with a sheet named 订单 beside its 拣货批次 (订单.xlsm after its 生成拣货单 button):
    its orders count as well as its record."""
    return normalise_header(ORDERS.name) in {normalise_header(n) for n in book.sheet_names}


def read_inputs(paths: list[Path | Workbook], rules: Rules, as_of: dt.datetime,
                whole: tuple[str, ...] = (), columns: dict | None = None) -> Inputs:
    """Each sheet kind from the first workbook that has it (a sheet named exactly as the kind first,
    then an alias, then by headers); the 拣货批次 record of the pick-list workbooks given, else of
    拣货单.xlsx beside the orders workbook. A path may be a workbook already open (the Excel
    button's own book). The kinds named in `whole` are parsed with all their columns (payroll
    needs the amounts of 订单 and the 包装人 of 发货); `columns` (kind name -> column names) narrows
    that for a book that parses only what is asked (the month's, shopbook.monthly.folder)."""
    from shopbook.picking.run import read_batches

    candidates: dict[str, list] = {}
    batch_files = []
    for order, path in enumerate(paths):
        book = as_workbook(path)
        path = book.path
        if is_picklist(book):
            if book.path.exists():
                batch_files.append(path)
            if not keeps_orders(book):
                continue
        for kind_name, (sheet, pos) in assign_sheets(book, list(KINDS)).items():
            if kind_name in ATTR:
                kind = next(k for k in KINDS if k.name == kind_name)
                candidates.setdefault(kind_name, []).append((_named(sheet, kind), order, path, book, sheet, pos))
    if not candidates and not batch_files:
        raise UnusableInput(f"{_path(paths[0])}: 没有找到评价、投诉、交接班、联系记录或订单、发货、退换货表(按工作表名或表头查找)。"
                            if len(paths) == 1 else
                            "给出的工作簿中没有找到评价、投诉、交接班、联系记录或订单、发货、退换货表(按工作表名或表头查找)。")
    tables = job.TodayTables()
    sources: dict = {}
    notes = []
    for kind in KINDS:
        found = sorted(candidates.get(kind.name, []), key=lambda c: c[:2])
        if not found:
            continue
        _, _, path, book, sheet, pos = found[0]
        setattr(tables, ATTR[kind.name], sheet_table(book, sheet, kind if kind.name in whole else reading_kind(kind),
                                                     pos, columns=(columns or {}).get(kind.name)))
        sources[kind.name] = sources[sheet] = (path, sheet)
        if len(found) > 1:
            notes.append(fnd.sheet_level(sheet, "today-several-sources", what=WHAT[kind.name],
                                         files="、".join(f"{c[2].name}「{c[4]}」" for c in found),
                                         used=f"{path.name}「{sheet}」"))
    if not batch_files and ORDERS.name in sources:
        beside = sources[ORDERS.name][0].parent / PICKLIST_BOOK
        if beside.exists() and beside.resolve() not in {_path(p).resolve() for p in paths}:
            batch_files.append(beside)
    if batch_files:
        records = [read_batches(p) for p in batch_files]
        tables.batches = pd.concat([r for r in records if len(r)] or records[:1], ignore_index=True)
    return Inputs(tables, sources, fnd.combine(notes), batch_files)


@dataclass
class TodayRun:
    result: job.TodayResult
    findings: pd.DataFrame
    output: Path
    inputs: Inputs

    @property
    def exit_code(self) -> int:
        """1 when there is something to do (any list item) or an error in a register; else 0."""
        return report.exit_code(self.findings, to_do=any(self.result.counts.values()))

    def as_json(self) -> dict:
        return {"as_of": f"{self.result.as_of:%Y-%m-%d %H:%M}",
                "lists": {name: item_records(self.result.lists[name]) for name in job.LISTS},
                "findings": fnd.records(self.findings),
                "counts": self.result.counts}

    def report(self) -> str:
        r = self.result
        day, shift = r.shift
        total, late = sum(r.counts.values()), sum(r.overdue.values())
        lines = [f"今日待办 {r.as_of:%Y-%m-%d %H:%M}(当前班次 {day:%m-%d} {shift}): 共 {total} 项,逾期 {late} 项"]
        width = max(len(n) for n in job.LISTS)
        for name in job.LISTS:
            if name in r.skipped:
                lines.append(f"  {name}{'　' * (width - len(name))}  未生成(没有{r.skipped[name]})")
                continue
            n, o = r.counts[name], r.overdue[name]
            lines.append(f"  {name}{'　' * (width - len(name))}  {n} 项" + (f",逾期 {o}" if o else ""))
        f = self.findings
        if len(f):
            lines.append(f"登记表问题: {report.counts_text(f)}(见「{lists.ISSUES}」表或 --json)")
        people = len(r.pay)
        lines.append(f"客服绩效 {r.month:%Y-%m}: {people} 人(见「{lists.PAY}」表)")
        lines.append(f"已写出今日待办: {self.output}")
        return "\n".join(lines)


def item_records(frame: pd.DataFrame) -> list[dict]:
    """A list's items as JSON: order, who, due ("YYYY-MM-DD", or "YYYY-MM-DD HH:MM" for a time),
    reason, sheet, row."""
    out = []
    for order, who, due, day, reason, sheet, row in zip(frame["order"], frame["who"], frame["due"],
                                                        frame["due_day"], frame["reason"], frame["sheet"],
                                                        frame["row"]):
        out.append({"order": order, "who": who,
                    "due": None if pd.isna(due) else f"{due:%Y-%m-%d}" if day else f"{due:%Y-%m-%d %H:%M}",
                    "reason": reason, "sheet": sheet, "row": int(row)})
    return out


def default_output(paths: list[Path]) -> Path:
    return paths[0].parent / DEFAULT_OUTPUT


def run_today(paths: list[Path], *, rules_path: Path | None = None, as_of: dt.datetime,
              month: dt.date | None = None, output: Path | None = None, show_progress: bool = False) -> TodayRun:
    """Read the workbooks, compute every list, write 今日待办.xlsx (never over an input)."""
    if not paths:
        raise UnusableInput("请给出至少一个工作簿(台账、客服登记表…)。")
    output = output or default_output(paths)
    if output.suffix.lower() != ".xlsx":
        raise UnusableInput(f"{output}: 今日待办只能写成 .xlsx 工作簿。")
    inputs_given = [p for p in (*paths, rules_path) if p is not None]
    if any(output.resolve() == p.resolve() for p in inputs_given):
        raise UnusableInput(f"{output}: 输出文件与输入相同,请用 -o 另给一个文件名。")
    rules, rule_findings = load_rules(rules_path)
    with progress("正在生成今日待办 …", show_progress):
        inputs = read_inputs(paths, rules, as_of)
        result, findings = job.compute(inputs.tables, rules, as_of, month)
        findings = fnd.combine([rule_findings, inputs.findings, findings])
        page = f"今日待办 {as_of:%Y-%m-%d %H:%M}"
        write_today(output, lists.sheets(result, findings, rules), inputs.sources, page)
    return TodayRun(result, findings, output, inputs)
