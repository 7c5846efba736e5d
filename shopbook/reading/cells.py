"""Cell parsers, one per column kind, each over a whole column at once.

Each takes the raw cells (object Series indexed by Excel row number) and returns the
parsed column plus the problems found as {code: (mask, fields)}; shopbook.reading.tables
turns those into findings. Parsed forms:
  text/id/choice -> str (NFKC-normalised, stripped) or None
  date/datetime  -> datetime64 (NaT when blank or bad)
  money          -> Int64 fen (exact; 12.50 yuan = 1250), half-up to the fen
  int            -> Int64;  number -> float64
"""
from __future__ import annotations

import datetime as dt
import math
import re
import threading
import unicodedata

import numpy as np
import pandas as pd

from shopbook.core.money import MONEY_STRIP, TOO_LARGE, half_up, parse_decimal, sane_decimal

Problems = dict  # code -> (boolean mask Series, extra template fields)

CACHE_COLUMNS = 64  # a wide sheet's columns, each parsed by two or three parsers
_LOCAL = threading.local()  # per thread (inputs may be read side by side: reading/together.py)


def _cache() -> list:
    """[(series, codes, uniques)] for the last columns this thread saw."""
    if not hasattr(_LOCAL, "distinct"):
        _LOCAL.distinct = []
    return _LOCAL.distinct


def _remember(series: pd.Series, codes: np.ndarray, uniques: np.ndarray) -> None:
    cache = _cache()
    cache.insert(0, (series, codes, uniques))
    del cache[CACHE_COLUMNS:]


def distinct(raw: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, uniques) of a column: work is done once per distinct value, then taken back.

    Sheets repeat names, SKUs, provinces and statuses, so this is the cheap way to run
    Python-level logic over a column. Code -1 marks a blank cell. The parsers of one
    column share one factorisation (a tiny cache holding the last few columns).
    """
    for series, codes, uniques in _cache():
        if series is raw:
            return codes, uniques
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    _remember(raw, codes, uniques)
    return codes, uniques


def per_value(raw: pd.Series, func, *, blank=None) -> np.ndarray:
    """func applied to each distinct value of the column, spread back to every cell."""
    codes, uniques = distinct(raw)
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:-1] = [func(u) for u in uniques]
    results[-1] = blank
    return results[codes]


def blank_to_none(raw: pd.Series) -> pd.Series:
    """Empty and whitespace-only strings become None (the reader gives '' for empty cells)."""
    codes, uniques = distinct(raw)
    blank = np.array([isinstance(u, str) and not u.strip() for u in uniques] + [True], dtype=bool)
    if not blank[codes].any():
        return raw
    codes = np.where(blank[codes], -1, codes)
    values = np.empty(len(uniques) + 1, dtype=object)
    values[:-1] = uniques
    values[-1] = None
    result = pd.Series(values[codes], index=raw.index, dtype=object)
    _remember(result, codes, uniques)  # the parsers reuse this factorisation
    return result


def keep_rows(raw: pd.Series, keep: pd.Series) -> pd.Series:
    """raw[keep], keeping the column's factorisation for the parsers that follow."""
    codes, uniques = distinct(raw)
    result = raw[keep]
    _remember(result, codes[keep.to_numpy()], uniques)
    return result


_UNIFORM = {"string": str, "floating": float, "integer": int, "mixed-integer-float": float,
            "datetime": dt.datetime, "date": dt.date, "boolean": bool}


def is_blank(value) -> bool:
    """One cell that holds nothing: None, NA, NaN, NaT or only spaces."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def blank_mask(raw: pd.Series) -> np.ndarray:
    """True where the cell is blank (from the column's factorisation: no per-cell scan)."""
    return distinct(raw)[0] == -1


def cell_types(raw: pd.Series) -> pd.Series:
    """Each cell's Python type (NoneType for blanks). Uniform columns skip the per-value look."""
    uniform = _UNIFORM.get(pd.api.types.infer_dtype(raw, skipna=True))
    if uniform is not None:
        types = np.full(len(raw), type(None), dtype=object)
        types[~blank_mask(raw)] = uniform
        return pd.Series(types, index=raw.index, dtype=object)
    return pd.Series(per_value(raw, type, blank=type(None)), index=raw.index, dtype=object)


def numeric_mask(raw: pd.Series) -> pd.Series:
    types = cell_types(raw)
    return types.isin([int, float]) & raw.notna()


def _normalise_one(v):
    """(text value, changed by normalisation) for one distinct cell value."""
    if isinstance(v, str):
        s = v.strip() if v.isascii() else unicodedata.normalize("NFKC", v).strip()
        return (s or None), s != v and bool(s)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None, False
    if isinstance(v, bool):
        return ("是" if v else "否"), False
    if isinstance(v, float) and v.is_integer():
        return str(int(v)), False
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return (v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v.isoformat()), False
    return str(v), False


def normalise_text(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Strings NFKC-normalised and stripped; returns (values, changed mask).

    Non-string cells are rendered as text (15-digit-safe for whole numbers).
    """
    codes, uniques = distinct(raw)
    done = [_normalise_one(u) for u in uniques]
    values = np.empty(len(uniques) + 1, dtype=object)
    values[:-1] = [d[0] for d in done]
    values[-1] = None
    changed = np.array([d[1] for d in done] + [False], dtype=bool)
    return (pd.Series(values[codes], index=raw.index, dtype=object),
            pd.Series(changed[codes], index=raw.index))


TOTAL_LABEL = re.compile(r"^(合\s*计|小\s*计|总\s*计|总\s*额|total|sum)[:：]?$", re.IGNORECASE)
TOTAL_HINT = r"计|额|額|^\s*[tTsSｔＴｓＳ]"  # what every total label contains: a cheap first test


def is_total_label(text) -> bool:
    """合计/小计/总计/总额/total/sum (an optional colon): the label of a total row, not data."""
    if not isinstance(text, str):
        return False
    if not ("计" in text or "额" in text or "額" in text or text.lstrip()[:1] in "tTsSｔＴｓＳ"):
        return False  # TOTAL_HINT, as plain Python: this runs once per distinct cell value
    return bool(TOTAL_LABEL.match(unicodedata.normalize("NFKC", text).strip()))


FORMULA_ERRORS = ("#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!",
                  "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!")


def distinct_matching(raw: pd.Series, hint: str, test) -> pd.Series:
    """Cells whose text passes `test`, looked at once per distinct value: a vectorised regex
    `hint` picks the few candidates (test must imply it), plain Python decides. The hint runs in
    Arrow (RE2), whose \\s is widened to Python's whitespace."""
    codes, uniques = distinct(raw)
    hit = np.zeros(len(uniques) + 1, dtype=bool)
    strings = np.fromiter((type(u) is str for u in uniques), dtype=bool, count=len(uniques))
    if strings.any():
        where = np.flatnonzero(strings)
        try:
            import pyarrow as pa
            import pyarrow.compute as pc

            text = pa.array(uniques[where].tolist(), type=pa.string())
            found = pc.match_substring_regex(text, hint.replace(r"\s", _RE2_SPACE)).to_numpy(zero_copy_only=False)
        except (UnicodeError, ImportError, ValueError):  # a lone surrogate Arrow cannot hold: Python's re
            found = pd.Series(uniques[where], dtype=object).str.contains(hint, regex=True, na=False).to_numpy(dtype=bool)
        for i in where[found]:
            hit[i] = test(uniques[i])
    return pd.Series(hit[codes], index=raw.index)


_RE2_SPACE = r"[\s\v\x1c-\x1f\x85\pZ]"  # Python's \s for text: RE2's \s is ASCII only


def formula_error_mask(raw: pd.Series) -> pd.Series:
    """Cells holding an Excel error value (a broken formula), as the reader or a csv gives them."""
    return distinct_matching(raw, r"^\s*#", lambda u: u.strip().upper() in FORMULA_ERRORS)


def parse_text(raw: pd.Series) -> tuple[pd.Series, Problems]:
    values, changed = normalise_text(raw)
    return values, {"normalised": (changed, {})}


# Platform exports keep long IDs as text with a wrapper: ="3912…" (Taobao csv), '3912…, a tab.
_EXPORT_WRAPPER = re.compile(r'^(?:="(.*)"|=(\d+)|[\'\t](.*))$', re.DOTALL)


def _unwrap_export(value):
    if isinstance(value, str):
        found = _EXPORT_WRAPPER.match(value)
        if found:
            return next(g for g in found.groups() if g is not None).strip() or None
    return value


def parse_id(raw: pd.Series) -> tuple[pd.Series, Problems]:
    """ID columns are text. Numbers are flagged: digits lost, leading zeros lost, or intact.
    Export wrappers around text IDs (="…", a leading ' or tab) are removed."""
    values, changed = normalise_text(raw)
    if values.str.startswith(("=", "'", "\t"), na=False).any():
        values = pd.Series(per_value(values, _unwrap_export), index=values.index, dtype=object)
    numeric = numeric_mask(raw)
    problems: Problems = {"normalised": (changed, {})}
    if not numeric.any():
        return values, problems
    nums = raw[numeric].astype(float)
    whole = nums.map(lambda v: float(v).is_integer())
    # Excel keeps 15 significant digits: any whole number of 16+ digits has lost some.
    lost = whole & (nums.abs() >= 1e15)
    text_ids = values[~numeric & values.notna()]
    width, zero_led = 0, pd.Series(False, index=nums.index)
    if len(text_ids):
        led = text_ids.str.match(r"^0\d+$")
        if led.mean() >= 0.5:
            width = int(text_ids[led].str.len().mode().iloc[0])
            digits = nums.map(lambda v: len(str(int(abs(v)))) if float(v).is_integer() else 99)
            zero_led = whole & ~lost & (digits < width)
    intact = ~lost & ~zero_led
    display = nums.map(_number_display)
    values.loc[nums.index] = nums.map(lambda v: str(int(v)) if float(v).is_integer() else repr(float(v)))
    problems["id-digits-lost"] = (_reindex(lost, raw), {"value": _reindex_values(display, raw)})
    problems["id-leading-zeros-lost"] = (_reindex(zero_led, raw), {"width": width})
    problems["id-stored-as-number"] = (_reindex(intact, raw), {})
    # a number whose digits were lost has no trustworthy text value
    values.loc[lost[lost].index] = None
    return values, problems


def _number_display(v: float) -> str:
    v = float(v)
    if abs(v) >= 1e15 and v.is_integer():
        return f"{v:.6G}"  # as Excel's General format shows it: 1.23457E+17
    return str(int(v)) if v.is_integer() else repr(v)


def _reindex(mask: pd.Series, raw: pd.Series) -> pd.Series:
    return mask.reindex(raw.index, fill_value=False).astype(bool)


def _reindex_values(values: pd.Series, raw: pd.Series) -> pd.Series:
    return values.reindex(raw.index)


# --- dates ----------------------------------------------------------------------------
_DATE_TEXT = re.compile(
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[\sT]+(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2}(?:\.\d+)?))?\s*秒?)?$")
_COMPACT = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:\s*(?P<H>\d{2})[:：]?(?P<M>\d{2})(?:[:：]?(?P<S>\d{2}))?)?$")
_AMBIGUOUS = re.compile(r"^(\d{1,2}[-/.]\d{1,2}([-/.]\d{2,4})?|\d{1,2}月\d{1,2}日?)(\s+\d{1,2}[:：]\d{2}([:：]\d{2})?)?$")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# The dates a shop's sheets can hold: Excel's first day to the end of the century. A year
# outside (3026 typed for 2026, 0001 from a blank date in another tool) is a typing slip —
# and past 2262 it would not fit a datetime64 column at all — so it is date-invalid.
DATE_MIN = dt.datetime(1900, 1, 1)
DATE_MAX = dt.datetime(2099, 12, 31, 23, 59, 59)
_SERIAL_MAX = (DATE_MAX - EXCEL_EPOCH.to_pydatetime()).days + 1  # first serial past DATE_MAX


def date_in_range(value) -> bool:
    """A date/datetime between DATE_MIN and DATE_MAX (the range every date column accepts)."""
    if isinstance(value, dt.datetime):
        return DATE_MIN <= value.replace(tzinfo=None) <= DATE_MAX
    if isinstance(value, dt.date):
        return DATE_MIN.date() <= value <= DATE_MAX.date()
    return False


def _native_date(value):
    """A date cell as a naive datetime, or None when it is none or outside the accepted range."""
    if not isinstance(value, dt.date) or value is pd.NaT or not date_in_range(value):
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime(value.year, value.month, value.day)


def _native_stamps(values: pd.Series) -> pd.Series:
    """Date cells (datetime, date, Timestamp) as datetime64, NaT outside DATE_MIN..DATE_MAX: one
    vectorised conversion (a year past 2262 becomes NaT too); cells with a time zone keep their
    wall time, one by one."""
    listed = values.tolist()
    if any(getattr(v, "tzinfo", None) is not None for v in listed):
        return pd.to_datetime(pd.Series([_native_date(v) for v in listed], index=values.index, dtype=object))
    stamps = pd.to_datetime(values, errors="coerce")
    return stamps.where((stamps >= DATE_MIN) & (stamps <= DATE_MAX))


def parse_date(raw: pd.Series) -> tuple[pd.Series, Problems]:
    """Real dates, Excel serials, and text such as 2026-10-05, 2026/10/5, 2026.10.5,
    2026年10月5日, 20261005 (with an optional time). Impossible, or outside 1900–2099
    (DATE_MIN..DATE_MAX) -> date-invalid, day/month order or year unknown -> date-ambiguous."""
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    types = cell_types(raw)
    invalid = pd.Series(False, index=raw.index)
    ambiguous = pd.Series(False, index=raw.index)

    native = types.isin([dt.datetime, pd.Timestamp, dt.date])
    if native.any():
        dates = _native_stamps(raw[native])
        good = dates.notna()
        out[dates[good].index] = dates[good].astype("datetime64[ns]")
        invalid[dates[~good].index] = True

    numeric = types.isin([int, float]) & raw.notna()
    if numeric.any():
        nums = raw[numeric].astype(float)
        compact = (nums >= 19000101) & (nums <= 20991231) & (nums % 1 == 0)
        serial = ~compact & (nums >= 1) & (nums < _SERIAL_MAX)
        if serial.any():
            out[serial[serial].index] = EXCEL_EPOCH + pd.to_timedelta(nums[serial] * 86400, unit="s").dt.round("s")
        if compact.any():
            parsed = pd.to_datetime(nums[compact].astype(int).astype(str), format="%Y%m%d", errors="coerce")
            out[parsed.index] = parsed.astype("datetime64[ns]")
            invalid[parsed[parsed.isna()].index] = True
        invalid[nums[~serial & ~compact].index] = True

    text_mask = types == str
    iso_done = pd.Series(False, index=raw.index)
    if text_mask.any():  # the commonest export form first, vectorised (2026-10-05 14:23:11)
        iso = pd.to_datetime(raw[text_mask], format="%Y-%m-%d %H:%M:%S", errors="coerce")
        iso = iso.where((iso >= DATE_MIN) & (iso <= DATE_MAX)).astype("datetime64[ns]")  # else below: date-invalid
        if iso.notna().any():
            out[iso[iso.notna()].index] = iso[iso.notna()]
            iso_done[iso[iso.notna()].index] = True
    text_mask = text_mask & ~iso_done
    if text_mask.any():
        text = raw[text_mask].map(lambda s: unicodedata.normalize("NFKC", s).strip())
        text = text[text != ""]
        parts = text.str.extract(_DATE_TEXT)
        compact_parts = text.str.extract(_COMPACT)
        parts = parts.fillna(compact_parts)
        matched = parts["y"].notna()
        if matched.any():
            p = parts[matched].astype(float)
            in_range = p["y"].between(DATE_MIN.year, DATE_MAX.year)
            invalid[p[~in_range].index] = True
            p = p[in_range]
            stamp = pd.to_datetime(
                pd.DataFrame({"year": p["y"], "month": p["m"], "day": p["d"],
                              "hour": p["H"].fillna(0), "minute": p["M"].fillna(0),
                              "second": p["S"].fillna(0)}),
                errors="coerce").astype("datetime64[ns]")
            bad_time = (p["H"] > 23) | (p["M"] > 59) | (p["S"] >= 60)
            stamp[bad_time] = pd.NaT
            out[stamp.index] = stamp
            invalid[stamp[stamp.isna()].index] = True
        rest = text[~matched]
        if len(rest):
            amb = rest.str.match(_AMBIGUOUS)
            ambiguous[rest[amb].index] = True
            invalid[rest[~amb].index] = True

    other = ~(native | numeric | text_mask | iso_done) & raw.notna()
    invalid |= other
    return out, {"date-invalid": (invalid, {}), "date-ambiguous": (ambiguous, {})}


# --- numbers --------------------------------------------------------------------------


def to_fen(values: pd.Series) -> pd.Series:
    """Floats in yuan -> Int64 fen, half-up. Exact for amounts typed with up to 6 decimals."""
    v = values.astype(float)
    fen = np.floor(np.abs(v) * 100 + 0.5 + 1e-6) * np.sign(v)
    return pd.Series(fen, index=values.index).astype("Int64")


def _too_large(values: pd.Series) -> pd.Series:
    v = pd.to_numeric(values, errors="coerce").astype(float)
    return (~np.isfinite(v) | (v.abs() >= TOO_LARGE)) & values.notna()


def parse_money(raw: pd.Series) -> tuple[pd.Series, Problems]:
    out = pd.Series(pd.NA, index=raw.index, dtype="Int64")
    types = cell_types(raw)
    numeric = types.isin([int, float]) & raw.notna()
    too_large = pd.Series(False, index=raw.index)
    if numeric.any():
        too_large[numeric] = _too_large(raw[numeric])
        numeric &= ~too_large
        out[numeric] = to_fen(raw[numeric])
    invalid = pd.Series(False, index=raw.index)
    text_mask = types == str
    if text_mask.any():
        text = raw[text_mask].map(lambda s: MONEY_STRIP.sub("", unicodedata.normalize("NFKC", s)))
        text = text[text != ""]
        amounts = text.map(parse_decimal)
        big = amounts.map(lambda d: d is not None and not sane_decimal(d)).astype(bool)
        too_large[big[big].index] = True
        good = amounts.notna() & ~big
        out[amounts[good].index] = amounts[good].map(lambda d: int(half_up(d * 100))).astype("int64")
        invalid[amounts[amounts.isna()].index] = True
    invalid |= ~(numeric | text_mask | too_large) & raw.notna()
    return out, {"money-invalid": (invalid, {}), "value-too-large": (too_large, {})}


def parse_number(raw: pd.Series) -> tuple[pd.Series, Problems]:
    out = pd.Series(np.nan, index=raw.index, dtype="float64")
    types = cell_types(raw)
    numeric = types.isin([int, float]) & raw.notna()
    out[numeric] = raw[numeric].astype(float)
    invalid = pd.Series(False, index=raw.index)
    text_mask = types == str
    if text_mask.any():
        text = raw[text_mask].map(lambda s: unicodedata.normalize("NFKC", s).strip().replace(",", ""))
        text = text.str.replace(r"\s*(kg|KG|千克|公斤|件|个)$", "", regex=True)
        text = text[text != ""]
        nums = pd.to_numeric(text, errors="coerce")
        out[nums.index] = nums
        invalid[nums[nums.isna()].index] = True
    invalid |= ~(numeric | text_mask) & raw.notna()
    too_large = _too_large(out) & ~invalid
    out[too_large] = np.nan
    return out, {"not-a-number": (invalid, {}), "value-too-large": (too_large, {})}


def parse_int(raw: pd.Series) -> tuple[pd.Series, Problems]:
    nums, problems = parse_number(raw)
    fractional = nums.notna() & (nums % 1 != 0)
    out = nums.where(~fractional).round().astype("Int64")
    problems["not-whole-number"] = (fractional, {})
    return out, problems


def _choice(value: str, choices: tuple[str, ...], synonyms: dict[str, str]) -> str:
    """A spelling -> its canonical choice; platform phrases such as 买家已付款,等待卖家发货 by
    their first part."""
    if value in choices:
        return value
    if value in synonyms:
        return synonyms[value]
    head = re.split(r"[,;/(]", value, maxsplit=1)[0].strip()
    return synonyms.get(head, head if head in choices else value)


def parse_choice(raw: pd.Series, choices: tuple[str, ...], synonyms: dict[str, str]) -> tuple[pd.Series, Problems]:
    values, changed = normalise_text(raw)
    mapped = pd.Series(per_value(values, lambda v: _choice(v, choices, synonyms)), index=values.index, dtype=object)
    bad = mapped.notna() & ~mapped.isin(list(choices))
    return mapped.astype(object), {"normalised": (changed, {}),
                                   "value-not-allowed": (bad, {"choices": "/".join(choices)})}
