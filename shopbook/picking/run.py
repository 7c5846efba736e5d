"""File adapter of the pick list: read 订单/库存/发货, read and update the 拣货批次 record,
write the print-ready workbook (汇总拣货单, 按单拣货单, 缺货, 暂缓拣货, 拣货批次).

The job itself is shopbook.picking.job.pick (no file I/O there).
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from shopbook.core import findings as fnd
from shopbook.picking import job as picking
from shopbook.sheets.run import progress
from shopbook.sheets.orders import COD, ORDERS
from shopbook.picking.job import BATCH_SHEET, BATCHES, PickResult
from shopbook.reading.files import UnusableInput, open_workbook
from shopbook.reading.tables import Table, read_table, require
from shopbook.rules import Rules, load_rules
from shopbook.sheets.shipping import SHIPPING
from shopbook.sheets.stock import STOCK
from shopbook.reading.exports import JoinedTable
from shopbook.sheets.validate import load_books, load_sheets
from shopbook.writing import cells, marks
from shopbook.writing.annotate import SEVERITY_ZH
from shopbook.writing.preserve import load_for_rewrite, refuse_if_sheets_lost, unsupported_parts
from shopbook.writing.safe import atomic_path, check_outputs, refuse_if_open

WAVE_SHEET, ORDER_SHEET, SHORTAGE_SHEET, HELD_SHEET = "汇总拣货单", "按单拣货单", "缺货", "暂缓拣货"
GENERATED = (WAVE_SHEET, ORDER_SHEET, SHORTAGE_SHEET, HELD_SHEET, BATCH_SHEET)
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
        errors = bool(len(self.findings) and (self.findings["severity"] == "error").any())
        return max(self.result.exit_code, 1 if errors else 0)

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
        skipped = [f"{picking.SKIP_REASONS[k]} {n} 单" for k, n in r.skipped.items() if n]
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
        reason = picking.unusable_reason(orders_t, stock_t, shipping_t)
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


# --- writing ----------------------------------------------------------------------------
# A fresh output (the usual case: 拣货单.xlsx holds only the generated sheets) is laid out by
# xlsxwriter, its data rows built column-wise as XML and streamed in (_rows_xml, _splice_rows);
# when the target keeps other sheets (the user's own, or an input workbook written in place)
# openpyxl rewrites it cell by cell. Both render the same Listing, so the two look alike.
@dataclass(frozen=True)
class Col:
    header: str
    source: str
    width: float
    kind: str = "text"  # text | id (text-formatted) | time | int | check (an empty box to tick) | wrap


@dataclass
class Listing:
    """One generated sheet: a print-ready list (title, info line, header; A4, header rows repeated,
    page header with the batch, optional 拣货人/复核人 footer) or, when not `printable`, a plain
    record with only a header row (read back by the next run), set up for printing all the same."""
    title: str
    info: str
    columns: tuple[Col, ...]
    frame: pd.DataFrame
    page_header: tuple[str, str, str] = ("", "", "")
    signatures: bool = False
    landscape: bool = False
    printable: bool = True
    blank_continued: np.ndarray | None = None  # rows whose order-level cells repeat the order above

    @property
    def header_row(self) -> int:
        return 2 if self.printable else 0  # 0-based: title and info above the header when printable

    def column(self, col: Col) -> pd.Series:
        """One column's values (positional index), blank where an order's line repeats the order."""
        values = (self.frame[col.source].reset_index(drop=True) if col.source in self.frame
                  else pd.Series(None, index=range(len(self.frame)), dtype=object))
        if self.blank_continued is not None and col.source in ORDER_LEVEL:
            values = values.astype(object).where(~self.blank_continued, None)
        return values

    def rows(self):
        """Cell values row by row (None = blank), Python types only."""
        columns = [_column_values(self.column(c)) for c in self.columns]
        yield from zip(*columns)

    def heights(self) -> pd.Series:
        """Row heights (points) where a wrapped cell needs more than one line, else NaN: readers rarely
        fit rows to wrapped text themselves. CJK characters count two character widths."""
        lines = pd.Series(1, index=range(len(self.frame)), dtype="int64")
        for col in self.columns:
            if col.kind != "wrap" or col.source not in self.frame:
                continue
            text = self.column(col).astype("string")
            width = (text.str.len() + text.str.count(_WIDE)).fillna(0).astype("int64")
            lines = np.maximum(lines, -(-width // max(int(col.width) - 1, 1)))
        return (lines * LINE_HEIGHT).where(lines > 1)

    def footer(self) -> tuple[str, str, str]:
        if self.signatures:
            return "拣货人:______________", "第 &P 页 / 共 &N 页", "复核人:______________"
        return "", "第 &P 页 / 共 &N 页", ""


A4 = 9
TIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FILL = "#D9E1F2"
LINE_HEIGHT = 15.0  # points per line of 11 pt text (CJK included)

WAVE_COLUMNS = (Col("序号", "序号", 5, "int"), Col("库位", "库位", 10), Col("商品编码", "商品编码", 16, "id"),
                Col("商品名称", "商品名称", 26, "wrap"), Col("颜色", "颜色", 8), Col("尺码", "尺码", 6),
                Col("规格", "规格", 12), Col("数量", "数量", 6, "int"), Col("订单数", "订单数", 7, "int"),
                Col("已拣", "已拣", 6, "check"))
ORDER_COLUMNS = (Col("序号", "序号", 5, "int"), Col("订单号", "订单号", 20, "id"), Col("付款时间", "付款时间", 16, "time"),
                 Col("收件人", "收件人", 9), Col("快递公司", "快递公司", 9), Col("库位", "库位", 9),
                 Col("商品编码", "商品编码", 14, "id"), Col("商品名称", "商品名称", 22, "wrap"), Col("颜色", "颜色", 7),
                 Col("尺码", "尺码", 6), Col("规格", "规格", 12), Col("数量", "数量", 6, "int"), Col("赠品", "赠品", 6),
                 Col("顾客要求", "顾客要求", 26, "wrap"), Col("合并发货", "合并发货", 12, "wrap"),
                 Col("核对", "核对", 6, "check"))
ORDER_LEVEL = ("序号", "订单号", "付款时间", "收件人", "快递公司", "顾客要求", "合并发货")
SHORTAGE_COLUMNS = (Col("序号", "序号", 5, "int"), Col("订单号", "订单号", 20, "id"), Col("付款时间", "付款时间", 16, "time"),
                    Col("买家", "买家", 12), Col("收件人", "收件人", 9), Col("客服", "客服", 8),
                    Col("商品编码", "商品编码", 14, "id"), Col("商品名称", "商品名称", 22, "wrap"), Col("颜色", "颜色", 7),
                    Col("尺码", "尺码", 6), Col("规格", "规格", 12), Col("订购数量", "订购数量", 8, "int"),
                    Col("可用数量", "可用数量", 8, "int"))
HELD_COLUMNS = (Col("序号", "序号", 5, "int"), Col("订单号", "订单号", 20, "id"), Col("行", "行", 6, "int"),
                Col("单元格", "单元格", 8), Col("代码", "代码", 22), Col("问题", "问题", 70, "wrap"))
BATCH_COLUMNS = tuple(Col(c.name, c.name, w, k) for c, (w, k) in zip(BATCHES.columns, (
    (15, "id"), (16, "time"), (20, "id"), (16, "time"), (9, "text"), (9, "text"), (9, "text"), (14, "id"),
    (22, "text"), (7, "text"), (6, "text"), (10, "text"), (9, "text"), (6, "int"), (6, "text"), (26, "text"),
    (14, "text"), (8, "text"), (9, "text"))))


def write_picklist(target: Path, result: PickResult, records: pd.DataFrame | None, states: pd.DataFrame | None,
                   only: tuple[str, ...] = GENERATED) -> None:
    """Write the generated sheets `only` into `target` (atomically); its other sheets are kept.
    A workbook of only generated sheets is marked as the pick list's (shopbook.writing.marks);
    one that keeps other sheets of the user's keeps whatever mark it had."""
    listings = {name: make(result, records, states) for name, make in _LISTINGS.items() if name in only}
    names = open_workbook(target).sheet_names if target.exists() else []
    keep = [n for n in names if n not in only]
    with atomic_path(target) as tmp:
        if keep:
            _refuse_if_lossy(target)
            _write_openpyxl(target, tmp, listings, names)
        else:  # nothing to keep: stream a fresh workbook (fast and lean on big batches)
            _write_xlsxwriter(tmp, listings)


def _refuse_if_lossy(path: Path) -> None:
    lost = unsupported_parts(path)
    if lost:
        raise UnusableInput(f"{path}: 工作簿含有{'、'.join(lost)},写入拣货单会丢失它们。"
                            f"请用 -o 指定一个单独的拣货单工作簿。")


def _stamp(result: PickResult) -> tuple[str, str]:
    batch = f"批次 {result.batch_id}" if result.batch_id else "无新批次"
    return batch, f"{result.picked_at:%Y-%m-%d %H:%M}"


def _page_header(title: str, result: PickResult) -> tuple[str, str, str]:
    return (title, *_stamp(result))


def _wave_listing(result: PickResult, records, states) -> Listing:
    wave = result.wave
    wave.insert(0, "序号", range(1, len(wave) + 1))
    batch, when = _stamp(result)
    info = (f"{batch}    拣货时间 {when}    订单 {result.order_count} 单    商品 {int(wave['数量'].sum())} 件    "
            f"{len(wave)} 行,按库位顺序排列,一趟拣完") if len(wave) else _nothing_picked(result)
    return Listing("汇总拣货单", info, _present(WAVE_COLUMNS, wave), wave, _page_header("汇总拣货单", result),
                   signatures=True)


def _order_listing(result: PickResult, records, states) -> Listing:
    lines = result.lines.copy()
    first = ~lines["订单号"].duplicated()
    lines.insert(0, "序号", first.cumsum())
    cod = lines["付款时间"].isna() & (lines["付款方式"] == COD)
    lines["付款时间"] = lines["付款时间"].astype(object).where(~cod, COD)
    batch, when = _stamp(result)
    info = (f"{batch}    拣货时间 {when}    订单 {result.order_count} 单    商品 {int(lines['数量'].sum())} 件    "
            f"按付款先后排列") if len(lines) else _nothing_picked(result)
    return Listing("按单拣货单", info, _present(ORDER_COLUMNS, lines), lines, _page_header("按单拣货单", result),
                   signatures=True, landscape=True, blank_continued=~first.to_numpy())


def _shortage_listing(result: PickResult, records, states) -> Listing:
    short = result.shortages.copy()
    short.insert(0, "序号", range(1, len(short) + 1))
    batch, when = _stamp(result)
    info = (f"{batch}    生成时间 {when}    缺货 {short['订单号'].nunique()} 单:整单未拣、不占用库存,请客服告知买家"
            if len(short) else f"{batch}    生成时间 {when}    没有缺货订单")
    return Listing("缺货订单", info, _present(SHORTAGE_COLUMNS, short), short, _page_header("缺货订单", result),
                   landscape=True)


def _held_listing(result: PickResult, records, states) -> Listing:
    held = result.held.copy()
    held.insert(0, "序号", range(1, len(held) + 1))
    batch, when = _stamp(result)
    info = (f"{batch}    生成时间 {when}    {held['订单号'].nunique(dropna=False)} 单数据有问题,暂不拣货;"
            f"请按说明改正订单表/库存表后重新生成" if len(held) else f"{batch}    生成时间 {when}    没有暂缓的订单")
    return Listing("暂缓拣货的订单", info, HELD_COLUMNS, held, _page_header("暂缓拣货的订单", result), landscape=True)


def _batch_listing(result: PickResult, records: pd.DataFrame, states: pd.DataFrame) -> Listing:
    """The record of every batch (one row per picked order line) with its current state."""
    records = records.assign(批次状态=records["批次号"].map(states["状态"]) if len(records) else None)
    return Listing(BATCH_SHEET, "", BATCH_COLUMNS, records, _page_header("拣货批次记录", result), landscape=True,
                   printable=False)


_LISTINGS = {WAVE_SHEET: _wave_listing, ORDER_SHEET: _order_listing, SHORTAGE_SHEET: _shortage_listing,
             HELD_SHEET: _held_listing, BATCH_SHEET: _batch_listing}


def _nothing_picked(result: PickResult) -> str:
    text = f"拣货时间 {result.picked_at:%Y-%m-%d %H:%M}    没有新的可拣订单"
    if result.open_batches:
        text += f"。未完成的批次: {'、'.join(result.open_batches)}(重印: shopbook picklist --batch 批次号)"
    return text


def _present(columns: tuple[Col, ...], frame: pd.DataFrame) -> tuple[Col, ...]:
    """规格 only when some line has one (most shops key stock on 颜色+尺码)."""
    return tuple(c for c in columns if c.source != "规格" or (c.source in frame and frame[c.source].notna().any()))


def _column_values(s: pd.Series) -> list:
    """A column as Python values (datetime, int, float, str), None for blanks."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return pd.Series(s.dt.to_pydatetime(), index=s.index, dtype=object).where(s.notna(), None).tolist()
    values = s.astype(object).where(s.notna(), None).tolist()
    if s.dtype == object:  # mixed columns (付款时间 with 货到付款, 行 with blanks): Timestamps, numpy scalars
        values = [v.to_pydatetime() if isinstance(v, pd.Timestamp) else
                  v.item() if isinstance(v, np.generic) else v for v in values]
    return values


def _write_xlsxwriter(path: Path, listings: dict[str, Listing]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    marks.mark_xlsxwriter(wb, "picklist")
    # data cells carry no borders: the printed grid draws them (a bordered blank cell costs as much as a value)
    middle = {"valign": "vcenter"}
    formats = {
        "title": wb.add_format({"bold": True, "font_size": 14, **middle}),
        "info": wb.add_format(middle),
        "head": wb.add_format({"border": 1, "bold": True, "bg_color": HEADER_FILL, "align": "center",
                               "text_wrap": True, **middle}),
        "text": wb.add_format(middle), "int": wb.add_format(middle), "check": wb.add_format(middle),
        "id": wb.add_format({"num_format": "@", **middle}),
        "time": wb.add_format({"num_format": TIME_FORMAT, "align": "left", **middle}),
        "wrap": wb.add_format({"text_wrap": True, **middle}),
    }
    rows = {}  # sheet part -> (listing, first data row, style per column): spliced in after closing
    for number, (name, listing) in enumerate(listings.items(), start=1):
        ws = wb.add_worksheet(name)
        cols = listing.columns
        for i, col in enumerate(cols):
            ws.set_column(i, i, col.width)
        top = listing.header_row
        ws.freeze_panes(top + 1, 0)
        # every sheet prints (the batch record too): A4, one page wide, header rows repeated
        ws.set_paper(A4)
        if listing.landscape:
            ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        ws.hide_gridlines(0)  # printed grid
        ws.set_margins(left=0.5, right=0.5, top=0.8, bottom=0.8)
        ws.repeat_rows(0, top)
        ws.set_header(_header_footer([_escape(t) for t in listing.page_header]))
        ws.set_footer(_header_footer(listing.footer()))
        if listing.printable:
            ws.set_row(0, 24)
            ws.merge_range(0, 0, 0, len(cols) - 1, listing.title, formats["title"])
            ws.merge_range(1, 0, 1, len(cols) - 1, listing.info, formats["info"])
        ws.set_row(top, 20)
        for i, col in enumerate(cols):
            ws.write_string(top, i, col.header, formats["head"])
        if listing.frame.empty and listing.printable:
            ws.write_string(top + 1, 0, "(无)")
        elif len(listing.frame):
            styles = [formats[c.kind]._get_xf_index() for c in cols]  # registers the format, as write_* does
            rows[f"xl/worksheets/sheet{number}.xml"] = (listing, top + 2, styles)
    wb.close()
    _splice_rows(path, rows)


ROWS_PER_CHUNK = 20_000
_EPOCH = pd.Timestamp("1899-12-30")
_WIDE = r"[^\x00-\u2e7f]"  # characters two widths wide (CJK, full-width)
_NOT_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
_ESCAPE = r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"


def _rows_xml(listing: Listing, first_row: int, styles: list[int]):
    """The sheet's data rows as <row> XML, chunk by chunk, built column-wise with pandas string
    operations (per-cell calls into a writer cost ~10 times more on big batches)."""
    heights = listing.heights()
    columns = [listing.column(c) for c in listing.columns]
    for start in range(0, len(listing.frame), ROWS_PER_CHUNK):
        part = slice(start, start + ROWS_PER_CHUNK)
        numbers = pd.Series(np.arange(first_row + start, first_row + start + len(heights[part])),
                            index=heights.index[part]).astype(str)
        height = heights[part]
        opening = ('<row r="' + numbers + '"'
                   + pd.Series(np.where(height.notna(), ' ht="' + height.astype(str) + '" customHeight="1"', ""),
                               index=numbers.index) + ">")
        cells = [_cells_xml(values[part], numbers, get_column_letter(i), style, col.kind)
                 for i, (col, values, style) in enumerate(zip(listing.columns, columns, styles), start=1)]
        yield "".join(opening.str.cat(cells + [pd.Series("</row>", index=numbers.index)]).tolist())


def _cells_xml(values: pd.Series, numbers: pd.Series, letter: str, style: int, kind: str) -> pd.Series:
    """One column's <c> elements ('' for blanks): text inline, numbers and date serials as values."""
    out = pd.Series("", index=values.index, dtype=object)
    present = values.notna()
    if not present.any():
        return out
    v = values[present]
    head = f'<c r="{letter}' + numbers[present] + f'" s="{style}"'
    if pd.api.types.is_datetime64_any_dtype(v):
        kinds = pd.Series("time", index=v.index)
    elif pd.api.types.is_numeric_dtype(v) and not pd.api.types.is_bool_dtype(v):
        kinds = pd.Series("number", index=v.index)
    elif kind == "id" or pd.api.types.infer_dtype(v, skipna=True) in ("string", "empty"):
        kinds = pd.Series("text", index=v.index)
    else:  # mixed: 付款时间 with 货到付款, 行 with blanks
        types = v.map(type)
        kinds = pd.Series("text", index=v.index).mask(types.map(lambda t: issubclass(t, dt.datetime)), "time")
        kinds = kinds.mask(types.map(lambda t: issubclass(t, (int, float, np.number)) and t is not bool), "number")
    if kind == "id":
        kinds[:] = "text"
    text = kinds == "text"
    if text.any():
        t = v[text].astype(str)
        if t.str.contains(_ESCAPE, regex=True).any():
            t = (t.str.replace(_NOT_XML, "", regex=True).str.replace("&", "&amp;", regex=False)
                 .str.replace("<", "&lt;", regex=False).str.replace(">", "&gt;", regex=False))
        out[t.index] = head[text] + ' t="inlineStr"><is><t xml:space="preserve">' + t + "</t></is></c>"
    number = kinds == "number"
    if number.any():
        n = pd.to_numeric(v[number]).astype("float64")
        whole = n == np.floor(n)
        shown = n.astype(str).where(~whole, n.where(whole, 0).astype("int64").astype(str))
        out[n.index] = head[number] + "><v>" + shown + "</v></c>"
    time = kinds == "time"
    if time.any():
        serial = (pd.to_datetime(v[time]) - _EPOCH) / pd.Timedelta(days=1)
        out[serial.index] = head[time] + "><v>" + serial.astype(str) + "</v></c>"
    return out


def _splice_rows(path: Path, rows: dict) -> None:
    """Put the data rows into the sheets xlsxwriter wrote (after their header rows), streaming."""
    splice_parts(path, {part: (f"{get_column_letter(len(listing.columns))}{first_row + len(listing.frame) - 1}",
                               len(listing.frame) * len(listing.columns), _rows_xml(listing, first_row, styles))
                        for part, (listing, first_row, styles) in rows.items()})


def splice_parts(path: Path, parts: dict) -> None:
    """Stream row XML into sheets xlsxwriter wrote: {sheet part: (last cell, cell count, chunks)} —
    the chunks (str) go before </sheetData>, the dimension becomes A1:last cell."""
    if not parts:
        return
    spliced = path.with_name(path.name + ".rows")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(spliced, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename not in parts:
                zout.writestr(item, data)
                continue
            last, cells, chunks = parts[item.filename]
            if b"</sheetData>" not in data:  # a sheet with no cell of its own
                data = data.replace(b"<sheetData/>", b"<sheetData></sheetData>", 1)
            head, tail = data.split(b"</sheetData>", 1)
            head = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>'.encode(), head, count=1)
            target = zipfile.ZipInfo(item.filename, date_time=item.date_time)
            target.compress_type = zipfile.ZIP_DEFLATED
            # zip64 only when the part may pass 2 GB (some readers dislike it on ordinary files)
            with zout.open(target, "w", force_zip64=cells > 10_000_000) as out:
                out.write(head)
                for chunk in chunks:
                    out.write(chunk.encode("utf-8"))
                out.write(b"</sheetData>" + tail)
    spliced.replace(path)


def _escape(text: str) -> str:
    return text.replace("&", "&&")


def _header_footer(parts) -> str:
    """Left, centre, right texts as an Excel header/footer string (empty parts left out)."""
    return "".join(f"{code}{text}" for code, text in zip(("&L", "&C", "&R"), parts) if text)


def _write_openpyxl(source: Path, path: Path, listings: dict[str, Listing], names: list[str]) -> None:
    """Replace the listed sheets of `source` (same place in the sheet order), keep the others
    (`names`: every sheet the fast reader found; refused when openpyxl cannot read them all)."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.properties import PageSetupProperties

    wb = load_for_rewrite(source, keep_vba=source.suffix.lower() == ".xlsm")
    refuse_if_sheets_lost(source, names, wb)
    side = Side(style="thin")
    middle = Alignment(vertical="center")
    styles = {
        "title": dict(font=Font(bold=True, size=14), alignment=middle),
        "info": dict(alignment=middle),
        "head": dict(font=Font(bold=True), fill=PatternFill("solid", fgColor="FF" + HEADER_FILL[1:]),
                     border=Border(left=side, right=side, top=side, bottom=side),
                     alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
        "text": dict(alignment=middle), "int": dict(alignment=middle), "check": dict(alignment=middle),
        "id": dict(alignment=middle, number_format="@"),
        "time": dict(alignment=Alignment(horizontal="left", vertical="center"), number_format=TIME_FORMAT),
        "wrap": dict(alignment=Alignment(vertical="center", wrap_text=True)),
    }

    def put(ws, row, column, value, style):
        cell = cells.put(ws.cell(row=row, column=column), value)  # text that starts with '=' stays text
        for attribute, v in styles[style].items():
            setattr(cell, attribute, v)

    for name in GENERATED:
        if name not in listings:
            continue
        listing = listings[name]
        position = None
        if name in wb.sheetnames:
            position = wb.sheetnames.index(name)
            del wb[name]
        ws = wb.create_sheet(name, position)
        cols = listing.columns
        for i, col in enumerate(cols, start=1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        top = listing.header_row + 1  # 1-based
        ws.freeze_panes = f"A{top + 1}"
        ws.print_title_rows = f"1:{top}"
        ws.page_setup.paperSize = A4
        ws.page_setup.orientation = "landscape" if listing.landscape else "portrait"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.8
        ws.print_options.horizontalCentered = True
        ws.print_options.gridLines = True  # printed grid
        for part, text in zip((ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right), listing.page_header):
            part.text = _escape(text) or None
        for part, text in zip((ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right), listing.footer()):
            part.text = text or None
        if listing.printable:
            ws.row_dimensions[1].height = 24
            put(ws, 1, 1, listing.title, "title")
            put(ws, 2, 1, listing.info, "info")
            last = get_column_letter(len(cols))
            ws.merge_cells(f"A1:{last}1")
            ws.merge_cells(f"A2:{last}2")
        ws.row_dimensions[top].height = 20
        for i, col in enumerate(cols, start=1):
            put(ws, top, i, col.header, "head")
        heights = listing.heights().tolist()
        for r, (values, height) in enumerate(zip(listing.rows(), heights), start=top + 1):
            if height == height:  # not NaN
                ws.row_dimensions[r].height = height
            for i, (col, v) in enumerate(zip(cols, values), start=1):
                if v is not None:
                    put(ws, r, i, str(v) if col.kind == "id" else v, col.kind)
        if listing.frame.empty and listing.printable:
            ws.cell(row=top + 1, column=1, value="(无)")
    wb.save(path)
