"""File adapter of the pick list: read 订单/库存/发货, read and update the 拣货批次 record,
write the print-ready workbook (汇总拣货单, 按单拣货单, 缺货, 暂缓拣货, 拣货批次).

The job itself is shopbook.picking.pick (no file I/O there).
"""
from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from shopbook import picking
from shopbook.jobs import progress
from shopbook.orders import COD, ORDERS
from shopbook.picking import BATCH_SHEET, BATCHES, RECORD_COLUMNS, PickResult
from shopbook.reading.files import UnusableInput, open_workbook
from shopbook.reading.tables import Table, read_table, require
from shopbook.rules import Rules, load_rules
from shopbook.shipping import SHIPPING
from shopbook.stock import STOCK
from shopbook.validate import load_sheets
from shopbook.writing.safe import atomic_path, backup, refuse_if_open

WAVE_SHEET, ORDER_SHEET, SHORTAGE_SHEET, HELD_SHEET = "汇总拣货单", "按单拣货单", "缺货", "暂缓拣货"
GENERATED = (WAVE_SHEET, ORDER_SHEET, SHORTAGE_SHEET, HELD_SHEET, BATCH_SHEET)
DEFAULT_OUTPUT = "拣货单.xlsx"
# parts openpyxl would drop when it rewrites a workbook (charts, pictures, buttons, embedded objects)
LOSSY_PARTS = ("xl/charts/", "xl/media/", "xl/ctrlProps/", "xl/activeX/", "xl/embeddings/", "xl/drawings/drawing")


# --- reading ----------------------------------------------------------------------------
def read_inputs(workbook: Path | None, orders: Path | None, stock: Path | None, shipping: Path | None,
                rules: Rules, as_of: dt.datetime) -> tuple[Table, Table, Table | None]:
    """订单, 库存 and (when kept) 发货 from WORKBOOK; --orders/--stock/--shipping files take precedence."""
    found: dict[str, Table | None] = {"orders": None, "stock": None, "shipping": None}
    book = None
    if workbook is not None:
        book = open_workbook(workbook)
        sheets = load_sheets(book, rules, as_of)
        found = {"orders": sheets.orders, "stock": sheets.stock, "shipping": sheets.shipping}
    for name, path, kind in (("orders", orders, ORDERS), ("stock", stock, STOCK), ("shipping", shipping, SHIPPING)):
        if path is not None:
            own = open_workbook(path)
            found[name] = require(read_table(own, kind), own, kind)
    for name, kind in (("orders", ORDERS), ("stock", STOCK)):
        if found[name] is None:
            if book is None:
                raise UnusableInput(f"没有「{kind.name}」表:请给出包含它的工作簿,或用 --{name} 指定文件。")
            require(None, book, kind)
    return found["orders"], found["stock"], found["shipping"]


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
    backup: Path | None = None

    @property
    def exit_code(self) -> int:
        return self.result.exit_code

    def as_json(self) -> dict:
        return {**self.result.as_json(), "output": str(self.output)}

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
        if self.backup:
            lines.append(f"已备份原文件: {self.backup}")
        lines.append(f"已写出拣货单: {self.output}")
        return "\n".join(lines)


def default_output(workbook: Path | None, orders: Path | None) -> Path:
    """拣货单.xlsx beside the orders workbook."""
    return (workbook or orders).parent / DEFAULT_OUTPUT


def _check_output(output: Path) -> None:
    if output.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UnusableInput(f"{output}: 拣货单只能写成 .xlsx 或 .xlsm 工作簿。")
    refuse_if_open(output)


def run_picklist(workbook: Path | None, *, orders: Path | None = None, stock: Path | None = None,
                 shipping: Path | None = None, rules_path: Path | None = None, as_of: dt.datetime,
                 output: Path | None = None, show_progress: bool = False) -> PicklistRun:
    """Read the inputs and the earlier batches, pick the next batch, write the workbook."""
    output = output or default_output(workbook, orders)
    _check_output(output)
    rules, _ = load_rules(rules_path)
    with progress("正在生成拣货单 …", show_progress):
        orders_t, stock_t, shipping_t = read_inputs(workbook, orders, stock, shipping, rules, as_of)
        reason = picking.unusable_reason(orders_t, stock_t, shipping_t)
        if reason:
            raise UnusableInput(reason)
        records = read_batches(output)
        done = picking.done_order_ids(orders_t, shipping_t)
        batch_id = picking.next_batch_id(records["批次号"].unique(), as_of)
        result = picking.pick(orders_t, stock_t, shipping_t, picking.open_batch_records(records, done),
                              rules, as_of, batch_id)
        records = pd.concat([records[RECORD_COLUMNS], result.lines], ignore_index=True) if len(result.lines) else \
            records[RECORD_COLUMNS]
        inputs = [p for p in (workbook, orders, stock, shipping, rules_path) if p is not None]
        saved = _backup_if_input(output, inputs)
        write_picklist(output, result, records, picking.batch_states(records, done))
    return PicklistRun(result, output, saved)


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


def _backup_if_input(output: Path, inputs: list[Path]) -> Path | None:
    """Writing into one of the input workbooks is in-place output: back it up first."""
    if output.exists() and any(output.resolve() == p.resolve() for p in inputs):
        return backup(output)
    return None


# --- writing ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Col:
    header: str
    source: str
    width: float
    kind: str = "text"  # text | id (text-formatted) | time | int | check (an empty box to tick) | wrap


A4 = 9
TIME_FORMAT = "yyyy-mm-dd hh:mm"
THIN = Side(style="thin", color="FF808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="FFD9E1F2")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)

WAVE_COLUMNS = (Col("序号", "序号", 5, "int"), Col("库位", "库位", 10), Col("商品编码", "商品编码", 16, "id"),
                Col("商品名称", "商品名称", 26, "wrap"), Col("颜色", "颜色", 8), Col("尺码", "尺码", 6),
                Col("规格", "规格", 12), Col("数量", "数量", 6, "int"), Col("订单数", "订单数", 7, "int"),
                Col("已拣", "已拣", 6, "check"))
ORDER_COLUMNS = (Col("序号", "序号", 5, "int"), Col("订单号", "订单号", 20, "id"), Col("付款时间", "付款时间", 16, "time"),
                 Col("收件人", "收件人", 9), Col("快递公司", "快递公司", 9), Col("库位", "库位", 9),
                 Col("商品编码", "商品编码", 14, "id"), Col("商品名称", "商品名称", 22, "wrap"), Col("颜色", "颜色", 7),
                 Col("尺码", "尺码", 6), Col("规格", "规格", 12), Col("数量", "数量", 6, "int"), Col("赠品", "赠品", 6),
                 Col("顾客要求", "顾客要求", 26, "wrap"), Col("核对", "核对", 6, "check"))
ORDER_LEVEL = ("序号", "订单号", "付款时间", "收件人", "快递公司", "顾客要求")
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
    (9, "text"))))


def write_picklist(target: Path, result: PickResult, records: pd.DataFrame | None, states: pd.DataFrame | None,
                   only: tuple[str, ...] = GENERATED) -> None:
    """Write the generated sheets `only` into `target` (atomically); its other sheets are kept."""
    keep = []
    if target.exists():
        keep = [n for n in open_workbook(target).sheet_names if n not in only]
    if keep:
        _refuse_if_lossy(target)
        wb = openpyxl.load_workbook(target, keep_vba=target.suffix.lower() == ".xlsm", rich_text=True)
    else:  # nothing to keep: stream a fresh workbook (fast and lean on big batches)
        wb = openpyxl.Workbook(write_only=True)
    writers = {
        WAVE_SHEET: lambda ws: _wave_sheet(ws, result),
        ORDER_SHEET: lambda ws: _order_sheet(ws, result),
        SHORTAGE_SHEET: lambda ws: _shortage_sheet(ws, result),
        HELD_SHEET: lambda ws: _held_sheet(ws, result),
        BATCH_SHEET: lambda ws: _batch_sheet(ws, records, states),
    }
    for name in GENERATED:
        if name not in only:
            continue
        position = None
        if not wb.write_only and name in wb.sheetnames:
            position = wb.sheetnames.index(name)
            del wb[name]
        writers[name](wb.create_sheet(name, position))
    with atomic_path(target) as tmp:
        wb.save(tmp)


def _refuse_if_lossy(path: Path) -> None:
    with zipfile.ZipFile(path) as zf:
        lossy = [n for n in zf.namelist() if n.startswith(LOSSY_PARTS)]
    if lossy:
        raise UnusableInput(f"{path}: 工作簿含有图表、图片或按钮,写入拣货单会丢失它们。"
                            f"请用 -o 指定一个单独的拣货单工作簿。")


def _stamp(result: PickResult) -> tuple[str, str]:
    batch = f"批次 {result.batch_id}" if result.batch_id else "无新批次"
    return batch, f"{result.picked_at:%Y-%m-%d %H:%M}"


def _wave_sheet(ws, result: PickResult) -> None:
    wave = result.wave
    wave.insert(0, "序号", range(1, len(wave) + 1))
    batch, when = _stamp(result)
    info = (f"{batch}    拣货时间 {when}    订单 {result.order_count} 单    商品 {int(wave['数量'].sum())} 件    "
            f"{len(wave)} 行,按库位顺序排列,一趟拣完") if len(wave) else _nothing_picked(result)
    _write_list(ws, "汇总拣货单", info, _present(WAVE_COLUMNS, wave), wave, result, signatures=True)


def _order_sheet(ws, result: PickResult) -> None:
    lines = result.lines.copy()
    first = ~lines["订单号"].duplicated()
    lines.insert(0, "序号", first.cumsum())
    cod = lines["付款时间"].isna() & (lines["付款方式"] == COD)
    lines["付款时间"] = lines["付款时间"].astype(object).where(~cod, COD)
    batch, when = _stamp(result)
    info = (f"{batch}    拣货时间 {when}    订单 {result.order_count} 单    商品 {int(lines['数量'].sum())} 件    "
            f"按付款先后排列") if len(lines) else _nothing_picked(result)
    _write_list(ws, "按单拣货单", info, _present(ORDER_COLUMNS, lines), lines, result, signatures=True,
                landscape=True, first_of_order=first.to_numpy())


def _shortage_sheet(ws, result: PickResult) -> None:
    short = result.shortages.copy()
    short.insert(0, "序号", range(1, len(short) + 1))
    batch, when = _stamp(result)
    info = (f"{batch}    生成时间 {when}    缺货 {short['订单号'].nunique()} 单:整单未拣、不占用库存,请客服告知买家"
            if len(short) else f"{batch}    生成时间 {when}    没有缺货订单")
    _write_list(ws, "缺货订单", info, _present(SHORTAGE_COLUMNS, short), short, result, landscape=True)


def _held_sheet(ws, result: PickResult) -> None:
    held = result.held.copy()
    held.insert(0, "序号", range(1, len(held) + 1))
    batch, when = _stamp(result)
    info = (f"{batch}    生成时间 {when}    {held['订单号'].nunique(dropna=False)} 单数据有问题,暂不拣货;"
            f"请按说明改正订单表/库存表后重新生成" if len(held) else f"{batch}    生成时间 {when}    没有暂缓的订单")
    _write_list(ws, "暂缓拣货的订单", info, HELD_COLUMNS, held, result, landscape=True)


def _nothing_picked(result: PickResult) -> str:
    text = f"拣货时间 {result.picked_at:%Y-%m-%d %H:%M}    没有新的可拣订单"
    if result.open_batches:
        text += f"。未完成的批次: {'、'.join(result.open_batches)}(重印: shopbook picklist --batch 批次号)"
    return text


def _present(columns: tuple[Col, ...], frame: pd.DataFrame) -> tuple[Col, ...]:
    """规格 only when some line has one (most shops key stock on 颜色+尺码)."""
    return tuple(c for c in columns if c.source != "规格" or (c.source in frame and frame[c.source].notna().any()))


def _write_list(ws, title: str, info: str, columns: tuple[Col, ...], frame: pd.DataFrame, result: PickResult, *,
                signatures: bool = False, landscape: bool = False, first_of_order=None) -> None:
    """A print-ready list: title, info line and header repeated on every page, A4 fitted to width,
    batch and time in the page header, 拣货人/复核人 lines in the footer."""
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "1:3"
    ws.page_setup.paperSize = A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.top, ws.page_margins.bottom = 0.8, 0.8
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = True  # printed grid instead of per-cell borders (much faster on big batches)
    batch, when = _stamp(result)
    ws.oddHeader.left.text = title
    ws.oddHeader.center.text = batch
    ws.oddHeader.right.text = when
    if signatures:
        ws.oddFooter.left.text = "拣货人:______________"
        ws.oddFooter.right.text = "复核人:______________"
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"

    ws.append([_styled(ws, title, font=TITLE_FONT)])
    ws.append([info])
    ws.append([_styled(ws, c.header, font=HEADER_FONT, fill=HEADER_FILL, border=BOX, alignment=CENTER) for c in columns])
    if frame.empty:
        ws.append(["(无)"])
        return
    values = [frame[c.source].to_numpy() if c.source in frame else [None] * len(frame) for c in columns]
    for i in range(len(frame)):
        continued = first_of_order is not None and not first_of_order[i]
        ws.append([None if continued and col.source in ORDER_LEVEL else _cell(ws, col, v[i])
                   for col, v in zip(columns, values)])


def _styled(ws, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    for name, v in style.items():
        setattr(cell, name, v)
    return cell


def _cell(ws, col: Col, value):
    """A value, styled only where it must be (styling every cell triples the writing time)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if col.kind == "id":
        return _styled(ws, str(value), number_format="@")
    if col.kind == "time" and not isinstance(value, str):
        return _styled(ws, _plain(value), number_format=TIME_FORMAT)
    if col.kind == "wrap":
        return _styled(ws, value, alignment=WRAP)
    return _plain(value)


def _plain(value):
    """Python values openpyxl writes as the user expects: datetimes, ints, text."""
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return value


def _batch_sheet(ws, records: pd.DataFrame, states: pd.DataFrame) -> None:
    """The record of every batch (one row per picked order line) with its current state."""
    for i, col in enumerate(BATCH_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A2"
    ws.append([_styled(ws, c.header, font=HEADER_FONT, fill=HEADER_FILL, border=BOX, alignment=CENTER)
               for c in BATCH_COLUMNS])
    records = records.assign(批次状态=records["批次号"].map(states["状态"]) if len(records) else None)
    values = [records[c.source].to_numpy() for c in BATCH_COLUMNS]
    for i in range(len(records)):
        ws.append([_cell(ws, col, v[i]) for col, v in zip(BATCH_COLUMNS, values)])
