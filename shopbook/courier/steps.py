"""The steps of 快递对账 below the job (shopbook.courier.job.reconcile): exact conversions to
grams and fen, waybill keys, the register folded per waybill, the line warnings, the register
contacts of the lines shown, and the not-billed parcels. Pure: arrays and frames in and out.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from shopbook.core import findings as fnd
from shopbook.rules import Rules
from shopbook.core.places import province_of_text
from shopbook.core.money import half_up, yuan_to_fen

LOST_STATES, UNDELIVERED_STATES = ("丢件", "破损"), ("无法送达",)


def to_grams(kg: pd.Series) -> np.ndarray:
    """kg numbers (float/int/Decimal/None) -> int64 grams, half-up; NA -> -1 (see valid mask)."""
    values = pd.to_numeric(pd.Series(kg, copy=False), errors="coerce").astype("float64").to_numpy()
    grams = np.floor(np.abs(values) * 1000 + 0.5) * np.sign(values)
    return np.where(np.isnan(grams), -1, grams).astype(np.int64)


def tolerance_grams(kg: float) -> int:
    return int(half_up(Decimal(str(kg)) * 1000))


def tolerance_fen(yuan: float) -> int:
    return yuan_to_fen(Decimal(str(yuan)))


def multiply_fen(fen: np.ndarray, factor: float) -> np.ndarray:
    """fen × factor rounded half-up to the fen, exactly (factor as a decimal fraction)."""
    num, den = Decimal(str(factor)).as_integer_ratio()
    fen = np.asarray(fen, dtype=np.int64)
    product = fen * num
    return np.sign(product) * ((np.abs(product) * 2 + den) // (2 * den))



def _mapped(values: pd.Series, func) -> np.ndarray:
    """func applied once per distinct value (columns like province or courier repeat a lot)."""
    codes, uniques = pd.factorize(pd.Series(values, copy=False), use_na_sentinel=True)
    mapped = np.array([func(v) for v in uniques] + [None], dtype=object)
    return mapped[codes]


def _column(frame: pd.DataFrame, name: str, dtype=object) -> pd.Series:
    if name in frame:
        return frame[name]
    return pd.Series(None if dtype is object else pd.NA, index=frame.index, dtype=dtype)


def _int_or_na(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Int64-like column -> (int64 values with 0 for NA, known mask)."""
    s = pd.Series(values, copy=False)
    known = s.notna().to_numpy()
    return s.fillna(0).astype("int64").to_numpy(), known



def _waybill_key(values: pd.Series) -> pd.Series:
    """Waybills compared as text: stripped, ASCII letters upper-cased, blank -> NA; a number
    written out as a float ('773012345678901.0', a csv from a spreadsheet) counts as its digits."""
    s = pd.Series(values, copy=False).astype("string").str.strip().str.upper()
    if s.str.contains(".", regex=False).any():  # (the regex costs more than this look)
        s = s.str.replace(r"^(\d+)\.0+$", r"\1", regex=True)
    return s.where(s != "", pd.NA)


@dataclass(frozen=True)
class BillKeys:
    """What the job derives from the bill alone: its waybill keys factorised (codes, uniques) and
    each line's courier and province as the rules name them. A caller that reads the bill beside
    the register makes them while the register is still being read (shopbook.courier.run)."""

    codes: np.ndarray
    uniques: pd.Index
    courier: np.ndarray
    province: np.ndarray


def bill_keys(bill: pd.DataFrame, rules: Rules) -> BillKeys:
    codes, uniques = pd.factorize(_waybill_key(_column(bill, "快递单号")), use_na_sentinel=True)
    return BillKeys(codes, pd.Index(uniques), _mapped(_column(bill, "快递公司"), rules.courier_name),
                    _mapped(_column(bill, "目的省份"), province_of_text))


def _positions(values: pd.Series, uniques: pd.Index) -> np.ndarray:
    """Each value's position in `uniques`, -1 where absent: one hash lookup in Arrow (pandas'
    get_indexer on a million strings took four times as long)."""
    if not len(uniques):
        return np.full(len(values), -1, dtype=np.int64)
    try:
        arrays = [pa.array(x) for x in (values.array, uniques.array)]
        arrays = [a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a for a in arrays]
        found = pc.index_in(arrays[0], value_set=arrays[1])
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return np.asarray(uniques.get_indexer(values), dtype=np.int64)
    return found.fill_null(-1).to_numpy().astype(np.int64)


def register_codes(keys: BillKeys, ship_waybill: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """The register's waybills coded as the bill's (-1: blank); a waybill the bill lacks gets a
    code after the bill's: the codes and uniques of factorising the bill's keys and then the
    register's, in that order."""
    ship_key = _waybill_key(ship_waybill)
    codes = _positions(ship_key, keys.uniques)
    new = (codes < 0) & ship_key.notna().to_numpy()
    extra, more = pd.factorize(ship_key[new], use_na_sentinel=True)
    codes[new] = extra + len(keys.uniques)
    return codes, keys.uniques.append(pd.Index(more))


def _register_by_waybill(ship: pd.DataFrame, code: np.ndarray, size: int, rules: Rules) -> dict:
    """Per waybill code: present, summed grams (multi-parcel), volume, state, first row's fields."""
    valid = code >= 0
    c = code[valid]
    out: dict = {"present": np.zeros(size, dtype=bool)}
    out["present"][c] = True

    grams = to_grams(_column(ship, "重量"))[valid]
    known = grams >= 0
    out["grams"] = np.rint(np.bincount(c, weights=np.where(known, grams, 0), minlength=size)).astype(np.int64)
    out["grams_known"] = np.bincount(c, weights=~known, minlength=size) == 0

    dims = [_millimetres(ship[d])[valid] if d in ship else np.zeros(len(c), dtype=np.int64) for d in ("长", "宽", "高")]
    with_dims = (dims[0] > 0) & (dims[1] > 0) & (dims[2] > 0)
    volume = np.where(with_dims, dims[0] * dims[1] * dims[2], 0)
    out["volume_mm3"] = np.zeros(size, dtype=np.int64)
    np.add.at(out["volume_mm3"], c, volume)

    status = _column(ship, "状态").to_numpy(dtype=object)[valid]
    lost = np.isin(status, LOST_STATES)
    out["lost"] = np.bincount(c, weights=lost, minlength=size) > 0
    out["undelivered"] = np.bincount(c, weights=np.isin(status, UNDELIVERED_STATES), minlength=size) > 0
    insured, insured_known = _int_or_na(_column(ship, "保价金额", "Int64"))
    insured, insured_known = insured[valid], insured_known[valid] & lost
    out["insured"] = np.zeros(size, dtype=np.int64)
    np.add.at(out["insured"], c, np.where(insured_known, insured, 0))
    out["insured_known"] = np.bincount(c, weights=insured_known, minlength=size) > 0
    # the state shown for the waybill: a lost/damaged/undelivered row wins over 正常
    rank = np.where(lost, 2, np.where(np.isin(status, UNDELIVERED_STATES), 1, 0))
    order = np.lexsort((-rank, c))
    first_state = np.full(size, None, dtype=object)
    _, first_pos = np.unique(c[order], return_index=True)
    first_state[c[order][first_pos]] = status[order][first_pos]
    out["status"] = first_state

    _, first = np.unique(c, return_index=True)  # first register row of each waybill
    where = np.flatnonzero(valid)[first]
    keys = c[first]
    rows = (ship["_row"] if "_row" in ship else pd.Series(ship.index, index=ship.index)).to_numpy()
    couriers = _mapped(_column(ship, "快递公司"), rules.courier_name)
    provinces = _mapped(_column(ship, "省"), province_of_text)
    dates = pd.to_datetime(_column(ship, "发货日期", "datetime64[ns]")).to_numpy(dtype="datetime64[ns]")
    for name, values, empty in (("row", rows, 0), ("courier", couriers, None), ("province", provinces, None)):
        arr = np.full(size, empty, dtype=object if empty is None else np.int64)
        arr[keys] = values[where]
        out[name] = arr
    # position of the waybill's first register row: names, phones and order numbers are taken
    # from there only for the lines shown (contacts()), never for a million matching lines
    out["pos"] = np.full(size, -1, dtype=np.int64)
    out["pos"][keys] = where
    out["date"] = np.full(size, np.datetime64("NaT"), dtype="datetime64[ns]")
    out["date"][keys] = dates[where]
    return out


def _millimetres(cm: pd.Series) -> np.ndarray:
    values = pd.to_numeric(pd.Series(cm, copy=False), errors="coerce").astype("float64").to_numpy()
    mm = np.floor(values * 10 + 0.5)
    return np.where(np.isnan(mm) | (mm < 0), 0, mm).astype(np.int64)



def _first_positions(bill_code: np.ndarray, duplicate: np.ndarray) -> np.ndarray:
    """For each duplicate line, the position of the waybill's first bill line."""
    codes, first = np.unique(bill_code, return_index=True)
    return first[np.searchsorted(codes, bill_code[duplicate])]


def _line_findings(lines: pd.DataFrame, both, has_price, shop_known, bill_courier, reg, safe) -> pd.DataFrame:
    """Warnings on bill lines: no price, no shop weight, courier differing from the register."""
    frames = []
    no_price = both & ~has_price
    no_weight = both & has_price & ~shop_known
    differs = both & ~pd.isna(bill_courier) & ~pd.isna(reg["courier"][safe]) & (bill_courier != reg["courier"][safe])
    for mask, code, column, extra in (
            (no_price, "bill-price-missing", "目的省份", lambda d: {"courier": d["courier"], "province": d["province"]}),
            (no_weight, "bill-shop-weight-missing", "快递单号", lambda d: {"register_row": d["register_row"]}),
            (differs, "bill-courier-differs", "快递公司", None)):
        if not mask.any():
            continue
        sub = lines[mask]
        if code == "bill-courier-differs":
            fields = {"registered": reg["courier"][safe][mask]}
        else:
            fields = extra(sub)
        for source, group in sub.groupby("source", sort=False):
            part = {k: (pd.Series(v, index=sub.index)[group.index] if not isinstance(v, pd.Series) else v[group.index])
                    for k, v in fields.items()}
            values = group["courier"] if code == "bill-courier-differs" else group["waybill"]
            frames.append(fnd.at_rows(source, group["row"], column, None, code, values,
                                      waybill=group["waybill"], **part))
    return fnd.combine(frames)


def contacts(shipments: pd.DataFrame | None, positions) -> pd.DataFrame:
    """收件人, 手机, 订单号 of the register rows at these positions (-1: none) as columns
    recipient, phone, order (None where unknown), one row per position."""
    positions = np.asarray(positions, dtype=np.int64)
    out = {}
    for name, column in (("recipient", "收件人"), ("phone", "手机"), ("order", "订单号")):
        values = np.full(len(positions), None, dtype=object)
        if shipments is not None and column in shipments and len(positions):
            known = positions >= 0
            taken = shipments[column].iloc[positions[known]].astype(object).to_numpy()
            values[known] = [None if v is pd.NA or (isinstance(v, float) and v != v) else v for v in taken]
        out[name] = pd.Series(values, dtype=object)
    return pd.DataFrame(out)


def _not_billed(reg: dict, uniques, bill_code: np.ndarray, courier: np.ndarray, bill_date: np.ndarray,
                shipments: pd.DataFrame) -> pd.DataFrame:
    """Register parcels not on the bill, of couriers on the bill, shipped within that courier's
    bill date range (no dates on a courier's bill lines: no date limit)."""
    billed = np.zeros(len(uniques), dtype=bool)
    billed[bill_code[bill_code >= 0]] = True
    candidate = reg["present"] & ~billed
    frame = pd.DataFrame({"courier": courier, "date": bill_date})
    ranges = frame.groupby("courier", sort=False)["date"].agg(["min", "max"])
    reg_courier = reg["courier"]
    keep = np.zeros(len(uniques), dtype=bool)
    for name, (low, high) in ranges.iterrows():
        mine = candidate & (reg_courier == name)
        if pd.isna(low):
            keep |= mine
            continue
        day = reg["date"].astype("datetime64[D]")
        keep |= mine & (day >= np.datetime64(pd.Timestamp(low).date())) & (day <= np.datetime64(pd.Timestamp(high).date()))
    idx = np.flatnonzero(keep)
    people = contacts(shipments, reg["pos"][idx])
    waybills = _column(shipments, "快递单号").iloc[reg["pos"][idx]].astype(object).to_numpy()
    out = pd.DataFrame({
        "waybill": pd.Series(waybills, dtype=object), "courier": reg_courier[idx],
        "date": pd.to_datetime(reg["date"][idx]), "province": reg["province"][idx],
        "shop_weight_g": pd.array(reg["grams"][idx], dtype="Int64"), "status": reg["status"][idx],
        "recipient": people["recipient"], "phone": people["phone"], "order": people["order"],
        "register_row": reg["row"][idx],
    })
    out.loc[~reg["grams_known"][idx], "shop_weight_g"] = pd.NA
    return out.sort_values("register_row", kind="stable").reset_index(drop=True)

