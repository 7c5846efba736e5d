"""The generated sheets of a pick list, from a PickResult: 汇总拣货单, 按单拣货单, 缺货, 暂缓拣货 and
the 拣货批次 record — each a `Listing` (title, info line, columns with their kinds, the frame).
Both the workbook writer (shopbook.picking.xlsx) and the Excel button write these."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from shopbook.picking.job import BATCH_SHEET, BATCHES
from shopbook.picking.result import PickResult
from shopbook.sheets.orders import COD
from shopbook.writing.listing import Col

WAVE_SHEET, ORDER_SHEET, SHORTAGE_SHEET, HELD_SHEET = "汇总拣货单", "按单拣货单", "缺货", "暂缓拣货"
GENERATED = (WAVE_SHEET, ORDER_SHEET, SHORTAGE_SHEET, HELD_SHEET, BATCH_SHEET)


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
        values = (self.frame[col.key].reset_index(drop=True) if col.key in self.frame
                  else pd.Series(None, index=range(len(self.frame)), dtype=object))
        if self.blank_continued is not None and col.key in ORDER_LEVEL:
            values = values.astype(object).where(~self.blank_continued, None)
        return values

    def table(self) -> pd.DataFrame:
        """The rows under the header as a frame: one column per Col, named by its header; blanks None."""
        return pd.DataFrame({c.header: self.column(c).astype(object).where(self.column(c).notna(), None)
                             for c in self.columns}, index=range(len(self.frame)))

    def rows(self):
        """Cell values row by row (None = blank), Python types only."""
        columns = [_column_values(self.column(c)) for c in self.columns]
        yield from zip(*columns)

    def heights(self) -> pd.Series:
        """Row heights (points) where a wrapped cell needs more than one line, else NaN: readers rarely
        fit rows to wrapped text themselves. CJK characters count two character widths."""
        lines = pd.Series(1, index=range(len(self.frame)), dtype="int64")
        for col in self.columns:
            if col.kind != "wrap" or col.key not in self.frame:
                continue
            text = self.column(col).astype("string")
            width = (text.str.len() + text.str.count(_WIDE)).fillna(0).astype("int64")
            lines = np.maximum(lines, -(-width // max(int(col.width) - 1, 1)))
        return (lines * LINE_HEIGHT).where(lines > 1)

    def footer(self) -> tuple[str, str, str]:
        if self.signatures:
            return "拣货人:______________", "第 &P 页 / 共 &N 页", "复核人:______________"
        return "", "第 &P 页 / 共 &N 页", ""


LINE_HEIGHT = 15.0  # points per line of 11 pt text (CJK included)

_WIDE = r"[^\x00-\u2e7f]"  # characters two widths wide (CJK, full-width)

WAVE_COLUMNS = (Col("序号", 5, "int"), Col("库位", 10), Col("商品编码", 16, "id"),
                Col("商品名称", 26, "wrap"), Col("颜色", 8), Col("尺码", 6),
                Col("规格", 12), Col("数量", 6, "int"), Col("订单数", 7, "int"),
                Col("已拣", 6, "check"))
ORDER_COLUMNS = (Col("序号", 5, "int"), Col("订单号", 20, "id"), Col("付款时间", 16, "time"),
                 Col("收件人", 9), Col("快递公司", 9), Col("库位", 9),
                 Col("商品编码", 14, "id"), Col("商品名称", 22, "wrap"), Col("颜色", 7),
                 Col("尺码", 6), Col("规格", 12), Col("数量", 6, "int"), Col("赠品", 6),
                 Col("顾客要求", 26, "wrap"), Col("合并发货", 12, "wrap"),
                 Col("核对", 6, "check"))
ORDER_LEVEL = ("序号", "订单号", "付款时间", "收件人", "快递公司", "顾客要求", "合并发货")
SHORTAGE_COLUMNS = (Col("序号", 5, "int"), Col("订单号", 20, "id"), Col("付款时间", 16, "time"),
                    Col("买家", 12), Col("收件人", 9), Col("客服", 8),
                    Col("商品编码", 14, "id"), Col("商品名称", 22, "wrap"), Col("颜色", 7),
                    Col("尺码", 6), Col("规格", 12), Col("订购数量", 8, "int"),
                    Col("可用数量", 8, "int"))
HELD_COLUMNS = (Col("序号", 5, "int"), Col("订单号", 20, "id"), Col("行", 6, "int"),
                Col("单元格", 8), Col("代码", 22), Col("问题", 70, "wrap"))
BATCH_COLUMNS = tuple(Col(c.name, w, k) for c, (w, k) in zip(BATCHES.columns, (
    (15, "id"), (16, "time"), (20, "id"), (16, "time"), (9, "text"), (9, "text"), (9, "text"), (14, "id"),
    (22, "text"), (7, "text"), (6, "text"), (10, "text"), (9, "text"), (6, "int"), (6, "text"), (26, "text"),
    (14, "text"), (8, "text"), (9, "text"))))

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
    return tuple(c for c in columns if c.key != "规格" or (c.key in frame and frame[c.key].notna().any()))


def _column_values(s: pd.Series) -> list:
    """A column as Python values (datetime, int, float, str), None for blanks."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return pd.Series(s.dt.to_pydatetime(), index=s.index, dtype=object).where(s.notna(), None).tolist()
    values = s.astype(object).where(s.notna(), None).tolist()
    if s.dtype == object:  # mixed columns (付款时间 with 货到付款, 行 with blanks): Timestamps, numpy scalars
        values = [v.to_pydatetime() if isinstance(v, pd.Timestamp) else
                  v.item() if isinstance(v, np.generic) else v for v in values]
    return values


def listings(result: PickResult, records: pd.DataFrame | None, states: pd.DataFrame | None,
             only: tuple[str, ...] = GENERATED) -> dict[str, Listing]:
    """The generated sheets `only` of a run, by sheet name in workbook order: what the workbook
    writer (shopbook.picking.xlsx) and the Excel button both write."""
    return {name: make(result, records, states) for name, make in _LISTINGS.items() if name in only}
