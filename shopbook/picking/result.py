"""What one pick-list run gives: the PickResult (the batch's lines, 缺货, held orders) with its
JSON, and the wave list derived from the lines."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from shopbook.picking.requests import GIFT_WORD
from shopbook.sheets import stock as stock_sheet

SHORTAGE_COLUMNS = ["订单号", "付款时间", "买家", "收件人", "客服", "商品编码", "商品名称", "颜色", "尺码", "规格",
                    "订购数量", "可用数量"]
HELD_COLUMNS = ["订单号", "行", "单元格", "代码", "问题"]
WAVE_COLUMNS = ["库位", "商品编码", "商品名称", "颜色", "尺码", "规格", "数量", "订单数"]
VARIANTS = ("颜色", "尺码", "规格")

# why an order is not considered for this batch (first match wins, in this order)
SKIP_REASONS = {
    "shipped": "已发货",
    "blocked": "绿旗/蓝旗/退款中/已关闭",
    "open_batch": "已在未完成的批次中",
    "unpaid": "未付款",
    "later": "付款晚于本次拣货时间",
}

@dataclass
class PickResult:
    """One run of the pick list: the new batch's lines, the 缺货 and held orders.

    `lines` (RECORD_COLUMNS) is the batch as recorded in 拣货批次, in pick order; the wave
    and per-order lists are derived from it, so a reprint from the record is identical.
    """

    batch_id: str | None  # None when no order could be picked
    picked_at: dt.datetime
    lines: pd.DataFrame
    shortages: pd.DataFrame
    held: pd.DataFrame
    skipped: dict[str, int] = field(default_factory=dict)
    open_batches: list[str] = field(default_factory=list)
    reprint: bool = False

    @property
    def wave(self) -> pd.DataFrame:
        return wave_list(self.lines)

    @property
    def order_count(self) -> int:
        return int(self.lines["订单号"].nunique())

    @property
    def exit_code(self) -> int:
        return 1 if len(self.shortages) or len(self.held) else 0

    def as_json(self) -> dict:
        orders = []
        for order_id, group in self.lines.groupby("订单号", sort=False):
            first = group.iloc[0]
            orders.append({
                "order_id": order_id, "paid_time": _time_text(first["付款时间"]),
                "payment": _text(first["付款方式"]), "receiver": _text(first["收件人"]),
                "courier": _text(first["快递公司"]), "remark": _text(first["顾客要求"]),
                "merge": _text(first["合并发货"]),
                "lines": [{"sku": r.商品编码, "name": _text(r.商品名称), "color": _text(r.颜色), "size": _text(r.尺码),
                           "spec": _text(r.规格), "qty": int(r.数量), "location": _text(r.库位),
                           "gift": r.赠品 == GIFT_WORD} for r in group.itertuples(index=False)],
            })
        wave = [{"sku": r.商品编码, "name": _text(r.商品名称), "color": _text(r.颜色), "size": _text(r.尺码),
                 "spec": _text(r.规格), "location": _text(r.库位), "qty": int(r.数量), "orders": int(r.订单数)}
                for r in self.wave.itertuples(index=False)]
        shortages = [{"order_id": r.订单号, "sku": r.商品编码, "name": _text(r.商品名称), "color": _text(r.颜色),
                      "size": _text(r.尺码), "spec": _text(r.规格), "ordered": int(r.订购数量),
                      "available": int(r.可用数量)} for r in self.shortages.itertuples(index=False)]
        held = [{"order_id": _text(r.订单号), "row": None if pd.isna(r.行) else int(r.行), "cell": _text(r.单元格),
                 "code": r.代码, "message": r.问题} for r in self.held.itertuples(index=False)]
        return {"batch": self.batch_id, "date": _time_text(self.picked_at), "reprint": self.reprint,
                "wave": wave, "orders": orders, "shortages": shortages, "held": held,
                "skipped": {SKIP_REASONS[k]: v for k, v in self.skipped.items()}, "open_batches": self.open_batches}


def _text(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


def _time_text(value) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d %H:%M:%S")

def _empty(columns) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})

def wave_list(lines: pd.DataFrame) -> pd.DataFrame:
    """汇总拣货: one line per 商品编码+颜色+尺码(+规格) with the total quantity, in 库位 order."""
    if lines.empty:
        return _empty(WAVE_COLUMNS)
    keys = ["商品编码", *VARIANTS]
    g = lines.groupby(keys, dropna=False, sort=False)
    wave = g.agg(库位=("库位", "first"), 商品名称=("商品名称", "first"), 数量=("数量", "sum"),
                 订单数=("订单号", "nunique")).reset_index()
    walk = _walk(wave["库位"])
    wave = pd.concat([wave, walk], axis=1)
    wave = wave.sort_values(["zone", "shelf", "layer", "text", *keys], kind="stable", na_position="first")
    return wave[WAVE_COLUMNS].reset_index(drop=True)


def _walk(locations: pd.Series) -> pd.DataFrame:
    """The 库位 sort keys (zone, shelf, layer, text), parsed once per distinct location."""
    codes, distinct = pd.factorize(locations.astype(object), use_na_sentinel=False)
    keys = stock_sheet.location_order(pd.Series(distinct, dtype=object))
    return keys.iloc[codes].set_axis(locations.index)
