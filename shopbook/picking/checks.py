"""What stops an order from being picked: a column the pick list cannot do without, and the
error findings (the orders checks, unknown 商品编码/颜色/尺码, a bad stock row) that hold an order."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from shopbook.core import findings as fnd
from shopbook.core.codes import CODES
from shopbook.picking.result import HELD_COLUMNS, _empty
from shopbook.reading.tables import Table
from shopbook.rules import DEFAULT_RULES, Rules
from shopbook.sheets import orders as order_sheet
from shopbook.sheets import stock as stock_sheet
from shopbook.sheets.context import Sheets
from shopbook.sheets.validate import run_checks

# Order columns whose errors make picking unsafe: whether the order is paid and may ship, who
# receives the parcel, and what goes into it. Errors in 单价/实付金额/下单时间/客服… do not stop picking.
PICKING_COLUMNS = frozenset({"订单号", "付款时间", "付款方式", "状态", "旗帜", "收件人", "手机", "省", "市", "区",
                             "详细地址", "商品编码", "颜色", "尺码", "规格", "数量"})
# errors here leave it open whether the order is paid: such an order is held, not skipped as unpaid
PAYMENT_COLUMNS = ("付款时间", "付款方式", "状态")
# stock columns whose errors make the sellable quantity (or the stock key) unreliable
STOCK_COLUMNS = ("商品编码", "颜色", "尺码", "账面数量", "实盘数量", "残次数量")

# orders checks whose findings are only advice (info): they never hold an order, so picking skips them
ADVISORY = (order_sheet.check_merge, order_sheet.check_payment_chase, order_sheet.check_cod)


def unusable_reason(orders_table: Table, stock_table: Table, shipping_table: Table | None) -> str | None:
    """Why these tables cannot give a pick list at all (a column picking cannot do without)."""
    for table, needed in ((orders_table, ("订单号", "商品编码", "数量")), (stock_table, ("商品编码", "账面数量")),
                          (shipping_table, ("订单号",))):
        if table is None:
            continue
        missing = [c for c in needed if not table.has(c)]
        if missing:
            return f"「{table.sheet}」表缺少「{'」「'.join(missing)}」列,无法生成拣货单。"
    return None


# --- what stops an order from being picked ----------------------------------------------
def _canonical(table: Table, found: pd.DataFrame) -> pd.Series:
    inverse = {header: name for name, header in table.headers.items()}
    return found["column"].map(lambda h: inverse.get(h, h))


def _stock_problems(orders_table: Table, stock_table: Table, key: pd.Series, rules: Rules,
                    as_of: dt.datetime) -> pd.DataFrame:
    """Order lines whose stock row has an error (its sellable quantity cannot be trusted)."""
    found = run_checks(Sheets(stock=stock_table, rules=rules, as_of=as_of))
    found = found[(found["severity"] == "error") & found["row"].notna()
                  & _canonical(stock_table, found).isin(STOCK_COLUMNS)]
    if found.empty:
        return fnd.empty()
    found = found.drop_duplicates("row")
    stock_keys = stock_sheet.stock_key(stock_table.data)
    bad = pd.DataFrame({"key": stock_keys.reindex(found["row"].astype(int)).to_numpy(),
                        "cell": found["cell"].to_numpy(),
                        "problem": found["code"].map(lambda c: CODES[c].title).to_numpy()}).drop_duplicates("key")
    bad = bad.set_index("key")
    d = orders_table.data
    mask = key.isin(bad.index) & d["商品编码"].notna()
    return orders_table.at(mask, "商品编码", "pick-stock-row-invalid", sku=d["商品编码"],
                           stock_cell=key.map(bad["cell"]), problem=key.map(bad["problem"]))


def _variant_problems(orders_table: Table, stock_table: Table, key: pd.Series) -> pd.DataFrame:
    """Lines whose 商品编码 is in stock but not with this 颜色/尺码."""
    d, stock = orders_table.data, stock_table.data
    variants = stock_sheet.uses_variants(stock)
    if not variants:
        return fnd.empty()
    known_sku = d["商品编码"].isin(set(stock["商品编码"].dropna()))
    bad = d["商品编码"].notna() & known_sku & ~key.isin(set(stock_sheet.stock_key(stock)))
    if not bad.any():
        return fnd.empty()
    shown = pd.Series("", index=d.index)
    for c in variants:
        value = d[c] if c in d else pd.Series(None, index=d.index, dtype=object)
        shown = shown + f"{c} " + value.fillna("(空)").astype(str) + " "
    column = next((c for c in variants if c in d), "商品编码")
    return orders_table.at(bad, column, "pick-variant-unknown", sku=d["商品编码"], variant=shown.str.strip())


def picking_problems(orders_table: Table, stock_table: Table, key: pd.Series, rules: Rules = DEFAULT_RULES,
                     as_of: dt.datetime | None = None) -> pd.DataFrame:
    """Error findings on order lines that make picking unsafe (the orders checks, unknown
    商品编码/颜色/尺码, a bad stock row, a quantity not above 0), with their canonical column."""
    as_of = as_of or dt.datetime.now()
    d = orders_table.data
    with_stock = Sheets(orders=orders_table, stock=stock_table, rules=rules, as_of=as_of)
    found = fnd.combine([
        run_checks(Sheets(orders=orders_table, rules=rules, as_of=as_of), skip=ADVISORY),
        *(order_sheet.check_against_stock(with_stock) or []),
        _variant_problems(orders_table, stock_table, key),
        _stock_problems(orders_table, stock_table, key, rules, as_of),
        orders_table.at((d["数量"] <= 0).fillna(False).astype(bool), "数量", "not-positive"),
    ])
    found = found[found["severity"] == "error"]
    found = found.assign(canonical=_canonical(orders_table, found))
    found = found[found["canonical"].isin(PICKING_COLUMNS)]
    return found.drop_duplicates(["row", "cell", "code"]).reset_index(drop=True)

def _held_frame(problems: pd.DataFrame, group: pd.Series, held_orders: pd.DataFrame, whole_sheet: bool) -> pd.DataFrame:
    """One row per finding that stops a held order, orders in sheet order."""
    if held_orders.empty:
        return _empty(HELD_COLUMNS)
    row_level = problems[problems["row"].notna()]
    owner = group.reindex(row_level["row"].astype(int)).to_numpy()
    frames = [pd.DataFrame({"group": owner, "行": row_level["row"].astype(int).to_numpy(),
                            "单元格": row_level["cell"].to_numpy(), "代码": row_level["code"].to_numpy(),
                            "问题": row_level["message"].to_numpy()})]
    if whole_sheet:
        sheet_level = problems[problems["row"].isna()]
        frames += [pd.DataFrame({"group": g, "行": np.nan, "单元格": None, "代码": sheet_level["code"].to_numpy(),
                                 "问题": sheet_level["message"].to_numpy()}) for g in held_orders.index]
    held = pd.concat(frames, ignore_index=True)
    held = held[held["group"].isin(held_orders.index)]
    held = held.assign(_first=held["group"].map(held_orders["first_row"]))
    held = held.sort_values(["_first", "行"], kind="stable", na_position="first")
    held["订单号"] = held["group"].map(lambda g: None if str(g).startswith("\x00") else g)
    held["行"] = held["行"].map(lambda r: None if pd.isna(r) else int(r)).astype(object)
    return held[HELD_COLUMNS].reset_index(drop=True)
