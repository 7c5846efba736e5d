"""File adapter of the pick list: read 订单/库存/发货, read and update the 拣货批次 record,
write the print-ready workbook (汇总拣货单, 按单拣货单, 缺货, 暂缓拣货, 拣货批次).

The job itself is shopbook.picking.job.pick (no file I/O there); the generated sheets are
shopbook.picking.lists, the workbook writer shopbook.picking.xlsx.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from shopbook.picking.result import SKIP_REASONS
from shopbook.picking.checks import unusable_reason
from shopbook.core import report
from shopbook.core import findings as fnd
from shopbook.picking import job as picking
from shopbook.sheets.run import progress
from shopbook.sheets.orders import ORDERS
from shopbook.picking.job import BATCH_SHEET, BATCHES
from shopbook.picking.result import PickResult
from shopbook.picking.lists import ORDER_SHEET, WAVE_SHEET
from shopbook.picking.xlsx import write_picklist
from shopbook.core.errors import UnusableInput
from shopbook.reading.files import open_workbook
from shopbook.reading.tables import Table, read_table, require
from shopbook.rules import Rules, load_rules
from shopbook.sheets.shipping import SHIPPING
from shopbook.sheets.stock import STOCK
from shopbook.sheets.exports import JoinedTable
from shopbook.sheets.validate import load_books, load_sheets
from shopbook.core.report import SEVERITY_ZH
from shopbook.writing.safe import check_outputs, refuse_if_open

DEFAULT_OUTPUT = "拣货单.xlsx"


# --- reading ----------------------------------------------------------------------------
def read_inputs(workbook: Path | None, orders: Path | list[Path] | None, stock: Path | None, shipping: Path | None,
                rules: Rules, as_of: dt.datetime) -> tuple[Table, Table, Table | None]:
    """订单, 库存 and (when kept) 发货 from WORKBOOK; --orders/--stock/--shipping files take precedence."""
    found: dict[str, Table | None] = {"orders": None, "stock": None, "shipping": None}
    book = None
    if workbook is not None:
        book = open_workbook(workbook)
        sheets = load_sheets(book, rules, as_of)
        found = {"orders": sheets.orders, "stock": sheets.stock, "shipping": sheets.shipping}
    if isinstance(orders, (list, tuple)):  # several order files: a platform's order list and item list
        orders = list(orders)
        if len(orders) == 1:
            orders = orders[0]
        else:
            books = [open_workbook(p) for p in orders]
            found["orders"] = require(load_books(books, rules, as_of)[0].orders, books[0], ORDERS)
            orders = None
    for name, path, kind in (("orders", orders, ORDERS), ("stock", stock, STOCK), ("shipping", shipping, SHIPPING)):
        if path is not None:
            own = open_workbook(path)
            found[name] = require(read_table(own, kind, profiles=rules.profiles), own, kind)
    for name, kind in (("orders", ORDERS), ("stock", STOCK)):
        if found[name] is None:
            if book is None:
                raise UnusableInput(f"没有「{kind.name}」表:请给出包含它的工作簿,或用 --{name} 指定文件。")
            require(None, book, kind)
    table = found["orders"]
    if isinstance(table, JoinedTable):
        table.route_to_orders = False  # a held order is found by its lines
    elif table.profile is not None and table.profile.profile.level == "order":
        raise UnusableInput(f"「{table.sheet}」是{table.profile.label},一行一个订单,没有商品行,无法拣货。"
                            "请同时给出宝贝报表(ExportOrderDetailList),例如 --orders 订单报表.csv --orders 宝贝报表.csv。")
    return table, found["stock"], found["shipping"]


def read_batches(path: Path) -> pd.DataFrame:
    """The 拣货批次 record of an earlier output workbook (RECORD_COLUMNS + 批次状态); empty when none."""
    if not path.exists():
        return picking.empty_records()
    book = open_workbook(path)
    table = read_table(book, BATCHES, fallback=False)
    if table is None:
        return picking.empty_records()
    errors = table.findings[table.findings["severity"] == "error"]
    if len(errors):
        first = errors.iloc[0]
        where = f"{first['cell']}" if first["cell"] else f"「{first['column']}」列"
        raise UnusableInput(f"{path}: 「{BATCH_SHEET}」表 {where}: {first['message']}"
                            f"(这张表记录已拣的批次,请更正或删除有误的行)")
    data = table.data.copy()
    for column in BATCHES.columns:
        if column.name not in data:
            data[column.name] = None
    for column in ("拣货时间", "付款时间"):
        data[column] = pd.to_datetime(data[column]).dt.round("s")
    data["数量"] = data["数量"].astype("int64")
    return data[[c.name for c in BATCHES.columns]].reset_index(drop=True)


# --- the run ----------------------------------------------------------------------------
@dataclass
class PicklistRun:
    result: PickResult
    output: Path
    findings: pd.DataFrame = field(default_factory=fnd.empty)  # the rules workbook's findings

    @property
    def exit_code(self) -> int:
        return report.exit_code(self.findings, to_do=bool(self.result.exit_code))

    def as_json(self) -> dict:
        return {**self.result.as_json(), "findings": fnd.records(self.findings), "output": str(self.output)}

    def report(self, limit: int = 50) -> str:
        r = self.result
        lines = []
        if r.batch_id:
            pieces = int(r.lines["数量"].sum())
            verb = "重印批次" if r.reprint else "拣货批次"
            lines.append(f"{verb} {r.batch_id}(拣货时间 {r.picked_at:%Y-%m-%d %H:%M}): {r.order_count} 单,"
                         f"{pieces} 件,{len(r.wave)} 个拣货行。")
        else:
            lines.append("没有新的可拣订单。")
        if r.open_batches and not r.reprint:
            lines.append(f"未完成的批次(其订单不再重复拣货): {'、'.join(r.open_batches)};重印请用 --batch 批次号。")
        if len(r.shortages):
            lines.append(f"\n缺货 {r.shortages['订单号'].nunique()} 单(整单未拣,不占用库存,请客服告知买家):")
            for s in r.shortages.head(limit).itertuples(index=False):
                variant = " ".join(v for v in (s.颜色, s.尺码, s.规格) if v)
                lines.append(f"  {s.订单号}  {s.商品编码} {variant}: 订购 {s.订购数量},可用 {s.可用数量}")
        if len(r.held):
            lines.append(f"\n暂缓拣货 {r.held['订单号'].nunique(dropna=False)} 单(数据有问题,改正后再拣):")
            for h in r.held.head(limit).itertuples(index=False):
                lines.append(f"  {h.订单号 or '(无订单号)'}  {h.单元格 or ''} {h.代码}: {h.问题}")
        skipped = [f"{SKIP_REASONS[k]} {n} 单" for k, n in r.skipped.items() if n]
        if skipped:
            lines.append("\n未列入本次拣货: " + ",".join(skipped) + "。")
        if len(self.findings):
            lines.append("\n问题:")
            for f in self.findings.itertuples(index=False):
                lines.append(f"  {f.sheet} {f.cell or '(整表)'} {SEVERITY_ZH[f.severity]} {f.code}: {f.message}")
        lines.append(f"已写出拣货单: {self.output}")
        return "\n".join(lines)


def default_output(workbook: Path | None, orders: Path | None) -> Path:
    """拣货单.xlsx beside the orders workbook."""
    return (workbook or orders).parent / DEFAULT_OUTPUT


def _check_output(output: Path) -> None:
    if output.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UnusableInput(f"{output}: 拣货单只能写成 .xlsx 或 .xlsm 工作簿。")
    refuse_if_open(output)


def run_picklist(workbook: Path | None, *, orders: Path | list[Path] | None = None, stock: Path | None = None,
                 shipping: Path | None = None, rules_path: Path | None = None, as_of: dt.datetime,
                 output: Path | None = None, show_progress: bool = False,
                 movements: Path | None = None, picker: str | None = None) -> PicklistRun:
    """Read the inputs and the earlier batches, pick the next batch, write the workbook. With
    `movements` (the warehouse workbook: 入库, 库存调整…) stock is the ledger's computed 可售;
    `picker` is recorded as the new batch's 拣货人."""
    order_files = list(orders) if isinstance(orders, (list, tuple)) else [orders]
    output = output or default_output(workbook, order_files[0])
    _check_output(output)
    check_outputs([workbook, *order_files, stock, shipping, rules_path, movements], [output])
    rules, rule_findings = load_rules(rules_path)
    with progress("正在生成拣货单 …", show_progress):
        orders_t, stock_t, shipping_t = read_inputs(workbook, orders, stock, shipping, rules, as_of)
        reason = unusable_reason(orders_t, stock_t, shipping_t)
        if reason:
            raise UnusableInput(reason)
        computed = None
        if movements is not None:
            from shopbook.stockbook.run import sellable_for
            computed = sellable_for([workbook, *order_files, stock, shipping, movements], rules, as_of)
            if computed is None:
                raise UnusableInput(f"{movements}: 找不到「入库」或「库存调整」表,无法按库存流水计算可售。")
        result, records, states = picking.next_batch(orders_t, stock_t, shipping_t, read_batches(output), rules,
                                                     as_of, computed, picker)
        write_picklist(output, result, records, states)
    return PicklistRun(result, output, rule_findings)


def reprint_batch(output: Path, batch_id: str, show_progress: bool = False) -> PicklistRun:
    """Rewrite 汇总拣货单 and 按单拣货单 of a recorded batch exactly as first printed."""
    _check_output(output)
    if not output.exists():
        raise UnusableInput(f"{output}: 文件不存在,找不到拣货批次记录。请用 -o 指向之前生成的拣货单工作簿。")
    with progress(f"正在重印批次 {batch_id} …", show_progress):
        records = read_batches(output)
        result = picking.batch_result(records, batch_id)
        if result is None:
            known = "、".join(dict.fromkeys(records["批次号"])) or "(无)"
            raise UnusableInput(f"{output}: 「{BATCH_SHEET}」表中没有批次 {batch_id}。已记录的批次: {known}。")
        write_picklist(output, result, None, None, only=(WAVE_SHEET, ORDER_SHEET))
    return PicklistRun(result, output)
