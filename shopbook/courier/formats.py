"""The couriers' own bill layouts: which column is the waybill, the billed weight (and its unit),
the amount actually payable; extra-service lines for the same waybill (保价, 包装, 签回单, 转寄退回)
and extra-charge columns (上楼费); summary rows (件量, 合计, 优惠, 剩余应收) checked against the
lines and never billed as parcels; dates without a year; a 合计 line above the header.

Each bill sheet is read through the fast path (shopbook.reading.fast) with the courier's source
profile (shopbook.reading.profiles) when its headers are a known layout, the shop's own aliases
otherwise, and the usual column names of every courier (the generic profile) when neither can
place the waybill, weight and fee. The profile's work is done on the sheet's text cells before
they are parsed, so the parsers read a SF bill exactly as they read the shop's own.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
import pandas as pd

from shopbook.core import money
from shopbook.core import findings as fnd
from shopbook.courier.job import COURIER_BILL
from shopbook.reading import cells, fast, sources
from shopbook.reading import profiles as source_profiles
from shopbook.core.money import fen_text
from shopbook.reading.profiles import Match, ProfiledKind, key
from shopbook.reading.schema import normalise_header
from shopbook.rules import Rules

BILL_NEEDS = ("快递单号", "运费")
BILL_REQUIRED = ("快递单号", "计费重量", "运费")
GENERIC = "bill-generic"
# a service cell with one of these words (or blank) is the parcel's own freight line
BASE_SERVICES = {"", "-", "无", "运费", "基础运费", "主运费", "快递费", "标准快递", "首重", "续重", "运费小计"}
_GRAMS = re.compile(r"[(（\[【]\s*(g|克|公克)\s*[)）\]】]|(?<![千公])克$|\bg$", re.IGNORECASE)
_YEARLESS = re.compile(r"^\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(\s+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?\s*$")
_YEAR = re.compile(r"(20\d{2})\s*(?:年|[-/._]|(?=\d{2}(?!\d)))")
_FOOTER = re.compile(
    r"^(?P<label>总?件量|总?件数|总?票数|单量|总单量|优惠(?:金额)?|折扣(?:金额)?|减免(?:金额)?|剩余应收(?:金额)?|"
    r"应收(?:合计|金额|总额)?|应付(?:合计|金额|总额)?|本期应付|本月应付|实付(?:金额)?|余额|预付(?:款|金额)?|"
    r"预存(?:款|金额)?|面单费(?:合计)?|账单金额|运费合计|费用合计)\s*[:：]?\s*(?P<value>-?[\d,]+(?:\.\d+)?)?\s*(?:元|件|票|单)?$")
_TOP_TOTAL = re.compile(r"(?:合计|总计|总金额|账单金额)\s*[:：]?\s*(?:¥|￥)?\s*(-?[\d,]+(?:\.\d+)?)\s*元?")
COUNT_LABELS = ("件量", "件数", "票数", "单量")
PAYABLE_LABELS = ("剩余应收", "应收", "应付", "本期应付", "本月应付", "实付", "账单金额", "运费合计", "费用合计")
DISCOUNT_LABELS = ("优惠", "折扣", "减免")


@dataclass
class BillSheet:
    """One bill sheet as read: the parsed lines (FastTable; `data` has 附加费 in fen and
    `_service_fee`, the fees of extra-service rows folded into it), the format it was read as,
    and the findings of reading it (format, units, years, summary rows, extra services)."""

    table: fast.FastTable
    match: Match | None
    findings: pd.DataFrame = field(default_factory=fnd.empty)
    notes: list = field(default_factory=list)  # what was converted, in words, for the report

    @property
    def label(self) -> str | None:
        return self.match.profile.name if self.match is not None else None

    @property
    def courier(self) -> str | None:
        return (self.match.profile.courier or None) if self.match is not None else None


def bill_profiles(rules: Rules) -> tuple:
    known = rules.profiles if rules.profiles is not None else source_profiles.builtin()
    return tuple(p for p in known if p.kind == COURIER_BILL.name)


def read_sheets(path, rules: Rules) -> list[BillSheet]:
    """Every bill sheet of a file (a workbook may hold one sheet per courier), each read with its
    courier's layout; sheets that hold no bill are left out. `path` may be a book read already."""
    book = fast.as_book(path)
    path = book.path
    known = bill_profiles(rules)
    wanted = {normalise_header(n) for n in (COURIER_BILL.name, *COURIER_BILL.sheet_aliases)}
    named = [n for n in book.sheet_names if normalise_header(n) in wanted]
    out = []
    for name in named + [n for n in book.sheet_names if n not in named]:
        frame, problems = book.strings(name)
        found = _locate(frame, known, f"{path.stem} {name}", name in named)
        if found is None:
            continue
        pos, match = found
        out.append(_read(frame, problems, pos, match, path, name, rules))
    return out


def _locate(frame: pd.DataFrame, known, name: str, by_name: bool) -> tuple[int, Match | None] | None:
    """(header position, match or None for the shop's own aliases) of a bill sheet, or None."""
    head = fast._head(frame)
    hit = source_profiles.find_header(head, [COURIER_BILL], [p for p in known if p.id != GENERIC], name)
    if hit is not None:
        return hit[0], hit[1]
    pos = fast.header_position(frame, COURIER_BILL, 2 if by_name else None)
    lookup = COURIER_BILL.header_lookup()
    generic = source_profiles.by_id(known, GENERIC)
    if pos is not None:
        row = list(frame.iloc[pos])
        present = [lookup.get(normalise_header(v)) for v in row if isinstance(v, str)]
        if all(n in present for n in BILL_REQUIRED):
            # the shop's own layout, unless it needs what only a courier's layout knows: several fee
            # columns (运费 and 应付金额: the payable one is wanted) or extra-service lines and charges
            special = set() if generic is None else \
                {key(h) for h in (*generic.fields.get("服务", ()), *generic.extras)}
            if present.count("运费") <= 1 and not any(key(v) in special for v in row if isinstance(v, str)):
                return pos, None
            m = source_profiles.evaluate(generic, row, COURIER_BILL, force=True) if generic is not None else None
            if m is not None and all(f in m.placed for f in BILL_REQUIRED):
                return pos, m
            return pos, None
    best = None
    if generic is not None:
        for row in range(min(len(head), fast.HEADER_SCAN_ROWS)):
            m = source_profiles.evaluate(generic, list(head.iloc[row]), COURIER_BILL, force=True)
            if m is not None and all(f in m.placed for f in BILL_REQUIRED) and (best is None or m.score > best[1].score):
                best = (row, m)
    if best is not None:
        return best
    if pos is not None:
        present = {lookup.get(normalise_header(v)) for v in frame.iloc[pos] if isinstance(v, str)}
        if all(n in present for n in BILL_NEEDS):
            return pos, None  # read_bills names what is missing
    return None


def _read(frame: pd.DataFrame, problems: pd.DataFrame, pos: int, match: Match | None, path: Path, name: str,
          rules: Rules) -> BillSheet:
    header = list(frame.iloc[pos])
    kind = source_profiles.profiled_kind(COURIER_BILL, match, header) if match is not None else COURIER_BILL
    frame = frame.copy()
    body_index = frame.index[pos + 1:]
    found: list = [problems]
    notes: list[str] = []
    if match is not None:
        kind = _sum_columns(frame, body_index, kind, match, header, notes)
    lookup = kind.header_lookup()
    positions: dict[str, int] = {}
    for col, text in zip(frame.columns, header):
        canonical = lookup.get(normalise_header(text)) if isinstance(text, str) and text.strip() else None
        if canonical and canonical not in positions:
            positions[canonical] = col
    mapped = {}
    if match is not None:
        columns = {c: frame.loc[body_index, p].astype(object) for c, p in positions.items()}
        columns, mapped = sources.map_values(columns, match)
        for c, values in columns.items():
            if c in mapped:
                frame.loc[body_index, positions[c]] = _as_dtype(values, frame[positions[c]])
    found.append(_grams(frame, body_index, positions, header, match, name, notes))
    found.append(_complete_years(frame, body_index, positions, header, pos, path, name, notes))
    footers = _footer_rows(frame, body_index, positions)
    if footers:
        frame = frame.drop(index=[r for r, _, _ in footers])
    table = fast.parse_strings(frame, kind, name, pos, path=path, problems=fnd.combine(found))
    extra_findings = _extras(table, frame, positions, match, header)
    found = [table.findings, extra_findings]
    if match is not None:
        found.append(sources.recognised(name, match, table.headers, len(table.letters), COURIER_BILL.name,
                                        mapped, table.letters))
        notes.insert(0, f"识别为 {match.profile.name}")
    found.append(_weight_suspect(table, rules, match))
    found.append(_summaries(table, footers, frame.iloc[:pos], name))
    table.findings = fnd.combine(found)
    return BillSheet(table, match, table.findings, notes)


def _as_dtype(values: pd.Series, like: pd.Series) -> pd.Series:
    try:
        return values.astype(like.dtype)
    except (TypeError, ValueError):
        return values


def _sum_columns(frame, body_index, kind: ProfiledKind, match: Match, header, notes: list) -> ProfiledKind:
    """A fee kept in several columns (百世's five 总部收… fees, 圆通 surcharges): added up, exactly,
    into the first of them, which is then read as that field."""
    lookup = dict(kind.lookup)
    present = {key(h): i for i, h in zip(frame.columns, header) if isinstance(h, str) and h.strip()}
    for name, texts in match.sums.items():
        if name in match.placed:
            continue
        cols = [present[key(t)] for t in texts if key(t) in present]
        if not cols:
            continue
        total = None
        for col in cols:
            part, _ = cells.parse_money(frame.loc[body_index, col].astype(object))
            total = part.fillna(0) if total is None else total + part.fillna(0)
        blank = np.ones(len(body_index), dtype=bool)
        for col in cols:
            blank &= frame.loc[body_index, col].isna().to_numpy()
        text = pd.Series([None if b else fen_text(v) for b, v in zip(blank, total)], index=body_index, dtype=object)
        frame.loc[body_index, cols[0]] = _as_dtype(text, frame[cols[0]])
        lookup[key(texts[0])] = name
        lookup[normalise_header(texts[0])] = name
        notes.append(f"{name} = {' + '.join(texts)}")
    return replace(kind, lookup=lookup)


def _grams(frame, body_index, positions, header, match: Match | None, sheet: str, notes: list) -> pd.DataFrame:
    """A weight column in grams (its header says (g)/克, or the format does): converted to kg,
    exactly, and said once."""
    col = positions.get("计费重量")
    if col is None:
        return fnd.empty()
    text = header[list(frame.columns).index(col)]
    by_header = isinstance(text, str) and bool(_GRAMS.search(unicodedata.normalize("NFKC", text).strip()))
    by_format = match is not None and match.profile.weight_unit == "g"
    if not (by_header or by_format):
        return fnd.empty()
    raw = frame.loc[body_index, col]
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    converted = np.array([_kg(u) for u in uniques] + [None], dtype=object)
    values = pd.Series(converted[codes], index=body_index, dtype=object)
    values = values.where(values.notna(), raw.astype(object))
    frame.loc[body_index, col] = _as_dtype(values, frame[col])
    done = raw.notna() & (values != raw.astype(object))
    count = int(done.sum())
    if not count:
        return fnd.empty()
    first = done[done].index[0]
    why = "表头注明克" if by_header else f"{match.profile.name}以克计"
    notes.append(f"计费重量按克换算为千克({count} 行)")
    return fnd.sheet_level(sheet, "bill-weight-grams", column=str(text).strip(), count=count, why=why,
                           example=f"第 {first} 行 {raw[first]} g → {values[first]} kg")


def _kg(value) -> str | None:
    try:
        grams = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    if not grams.is_finite():
        return None
    kg = grams / 1000
    text = f"{kg:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def period_year(title_rows: pd.DataFrame, path: Path, sheet: str, dates: pd.Series) -> int | None:
    """The bill's year: written above the header (账单期间 2026年10月), in the file or sheet name,
    else the year of the column's dated lines; None when nothing says it."""
    texts = [str(v) for v in title_rows.to_numpy().ravel() if isinstance(v, str)] + [path.stem, sheet]
    for text in texts:
        m = _YEAR.search(unicodedata.normalize("NFKC", text))
        if m:
            return int(m.group(1))
    years = dates.dropna().astype(str).str.extract(r"^(20\d{2})")[0].dropna()
    return int(years.mode().iloc[0]) if len(years) else None


def _complete_years(frame, body_index, positions, header, pos: int, path: Path, sheet: str, notes: list) -> pd.DataFrame:
    """寄件日期 written without a year (10-05, 10月5日): the bill period's year is added and said."""
    col = positions.get("寄件日期")
    if col is None:
        return fnd.empty()
    raw = frame.loc[body_index, col]
    yearless = pd.Series(np.zeros(len(raw), dtype=bool), index=raw.index)
    # three digits in a row (a year, a serial) rule a value out: _YEARLESS only for the others
    maybe = raw.notna() & ~fast.contains(raw, "[0-9]{3}")
    if maybe.any():
        yearless[maybe] = [isinstance(u, str) and bool(_YEARLESS.match(u)) for u in raw[maybe]]
    if not yearless.any():
        return fnd.empty()
    year = period_year(frame.iloc[:pos], path, sheet, raw[~yearless])
    if year is None:
        return fnd.empty()  # nothing says the year: date-ambiguous tells the user

    def with_year(text):
        m = _YEARLESS.match(str(text))
        return f"{year}-{int(m.group(1)):02d}-{int(m.group(2)):02d}{(m.group(3) or '').replace('：', ':')}"
    values = raw.astype(object).copy()
    values[yearless] = [with_year(v) for v in raw[yearless]]
    frame.loc[body_index, col] = _as_dtype(values, frame[col])
    first = yearless[yearless].index[0]
    text = header[list(frame.columns).index(col)]
    notes.append(f"寄件日期补上年份 {year}")
    return fnd.sheet_level(sheet, "bill-date-year-added", column=str(text).strip(), count=int(yearless.sum()),
                           year=year, example=f"第 {first} 行 {raw[first]} → {values[first]}")


def _footer_rows(frame, body_index, positions) -> list[tuple[int, str, str | None]]:
    """(Excel row, label, value text) of summary rows (件量, 优惠, 剩余应收 …): rows with no waybill
    whose first cells hold such a label. 合计/小计/总计 rows are left to the general reader."""
    col = positions.get("快递单号")
    if col is None or not len(body_index):
        return []
    waybill = frame.loc[body_index, col].astype("string")
    # no waybill there: blank, a label (not ASCII), or a figure shorter than any waybill (件量 | 286)
    candidate = waybill.isna() | ~waybill.str.isascii().fillna(True) | (waybill.str.strip().str.len() < 6).fillna(False)
    out = []
    first_cols = list(frame.columns)[:6]
    for row in body_index[candidate.to_numpy(dtype=bool)]:
        cells_ = [frame.at[row, c] for c in frame.columns]
        for i, c in enumerate(first_cols):
            value = cells_[i]
            if not isinstance(value, str) or not value.strip():
                continue
            text = unicodedata.normalize("NFKC", value).strip().replace(" ", "")
            m = _FOOTER.match(text)
            if m is None or cells.is_total_label(text):
                continue
            number = m.group("value")
            if number is None:
                number = next((str(v).strip() for v in cells_[i + 1:]
                               if isinstance(v, str) and re.fullmatch(r"-?[\d,]+(\.\d+)?", v.strip())), None)
            out.append((int(row), m.group("label"), number))
            break
    return out


def _extras(table: fast.FastTable, frame: pd.DataFrame, positions: dict, match: Match | None, header) -> pd.DataFrame:
    """附加费 per line: extra-charge columns (上楼费…) and extra-service rows of the same waybill
    (保价, 转寄退回…), whose fee is added to the waybill's first freight row and which are then no
    lines of their own. `_service_fee` keeps the part that came from such rows (it is in the bill's
    合计 of 运费). An extra-service row with no freight row stays a line and is a warning."""
    data = table.data
    data["附加费"] = pd.array(np.zeros(len(data), dtype=np.int64), dtype="Int64")
    data["_service_fee"] = pd.array(np.zeros(len(data), dtype=np.int64), dtype="Int64")
    if match is None or not len(data):
        return fnd.empty()
    out = []
    present = {key(h): c for c, h in zip(frame.columns, header) if isinstance(h, str) and h.strip()}
    for text in match.extras.values():
        col = present.get(key(text))
        if col is not None:
            fee, _ = cells.parse_money(frame.loc[data.index, col].astype(object))
            data["附加费"] = data["附加费"] + fee.fillna(0).astype("Int64")
    service_header = match.placed.get("服务")
    col = present.get(key(service_header)) if service_header else None
    if col is None or "快递单号" not in data:
        return fnd.empty()
    service = frame.loc[data.index, col].astype(object).map(
        lambda v: unicodedata.normalize("NFKC", v).strip() if isinstance(v, str) else "")
    extra = ~service.isin(BASE_SERVICES) & data["快递单号"].notna()
    if not extra.any():
        return fnd.empty()
    waybill = data["快递单号"].astype("string").str.strip().str.upper()
    base = data.index[~extra & waybill.notna()]
    first_base = pd.Series(base, index=waybill[base]).groupby(level=0).first()
    target = waybill[extra].map(first_base)
    fee = data.loc[extra, "运费"].fillna(0)
    attached = target.notna()
    rows = target[attached].astype(int)
    add = fee[attached].groupby(rows.to_numpy()).sum()
    data.loc[add.index, "附加费"] = data.loc[add.index, "附加费"] + add.astype("Int64").to_numpy()
    data.loc[add.index, "_service_fee"] = add.astype("Int64").to_numpy()
    merged = extra[extra].index[attached.to_numpy()]
    if len(merged):
        kinds = service[merged].value_counts()
        out.append(fnd.sheet_level(table.sheet, "bill-extra-services", count=len(merged),
                                   services="、".join(f"{k} {v} 行" for k, v in kinds.items()),
                                   amount=fen_text(int(fee[attached].sum()))))
    orphans = extra[extra].index[~attached.to_numpy()]
    if len(orphans):
        letter = table.letters.get("快递单号")
        out.append(fnd.at_rows(table.sheet, orphans, table.headers.get("快递单号"), letter, "bill-extra-without-base",
                               data.loc[orphans, "快递单号"], service=service[orphans].tolist(),
                               amount=[fen_text(v) for v in data.loc[orphans, "运费"]]))
    table.data = data.drop(index=merged)
    return fnd.combine(out)


def _weight_suspect(table: fast.FastTable, rules: Rules, match: Match | None) -> pd.DataFrame:
    """Weights far above any parcel of the shop with no unit said: probably grams (a warning)."""
    if "计费重量" not in table.data or (match is not None and match.profile.weight_unit == "g"):
        return fnd.empty()
    weights = table.data["计费重量"].dropna()
    if len(weights) < 3 or weights.median() <= rules.max_weight_kg:
        return fnd.empty()
    header = table.headers.get("计费重量", "计费重量")
    if _GRAMS.search(header):
        return fnd.empty()
    return fnd.sheet_level(table.sheet, "bill-weight-unit-suspect", column=header, median=f"{weights.median():g}",
                           maximum=f"{rules.max_weight_kg:g}")


def line_total(data: pd.DataFrame) -> int:
    """Everything the lines charge: 运费 + 附加费, in fen."""
    total = int(data["运费"].fillna(0).sum()) if "运费" in data else 0
    if "附加费" in data:
        total += int(data["附加费"].fillna(0).sum())
    return total


def _summaries(table: fast.FastTable, footers: list, title_rows: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """Summary rows and a 合计 above the header, checked against the lines."""
    out = []
    data = table.data
    lines_fen = line_total(data)
    parcels = int(data["快递单号"].notna().sum()) if "快递单号" in data else len(data)
    for row, values in zip(title_rows.index, title_rows.itertuples(index=False)):
        text = " ".join(str(v) for v in values if isinstance(v, str))
        m = _TOP_TOTAL.search(unicodedata.normalize("NFKC", text))
        if not m:
            continue
        stated = money.decimal_to_fen(m.group(1).replace(",", ""))
        if stated is not None and stated != lines_fen:
            out.append(fnd.at_rows(sheet, [row], None, "A", "bill-summary-mismatch", [text.strip()],
                                   where=f"第 {row} 行(表头上方)", label=m.group(0).strip(), stated=fen_text(stated),
                                   expected=fen_text(lines_fen), how="明细各行运费与附加费之和",
                                   diff=fen_text(stated - lines_fen)))
        break
    if not footers:
        return fnd.combine(out)
    discount = None
    shown = []
    for row, label, value in footers:
        shown.append(f"第 {row} 行 {label} {value or ''}".strip())
        if label.endswith(COUNT_LABELS) and value is not None:
            try:
                stated = int(float(value.replace(",", "")))
            except ValueError:
                continue
            if stated != parcels:
                out.append(fnd.at_rows(sheet, [row], None, "A", "bill-count-mismatch", [value], label=label,
                                       stated=stated, lines=parcels))
        elif label.startswith(DISCOUNT_LABELS) and value is not None:
            discount = money.decimal_to_fen(value.replace(",", ""))
    for row, label, value in footers:
        if not label.startswith(PAYABLE_LABELS) or value is None:
            continue
        stated = money.decimal_to_fen(value.replace(",", ""))
        if stated is None:
            continue
        expected = lines_fen - abs(discount) if discount is not None and label.startswith(("剩余", "本期", "本月", "实付")) \
            else lines_fen
        how = "明细之和 − 优惠" if expected != lines_fen else "明细各行运费与附加费之和"
        if stated != expected:
            out.append(fnd.at_rows(sheet, [row], None, "A", "bill-summary-mismatch", [value], where=f"第 {row} 行",
                                   label=label, stated=fen_text(stated), expected=fen_text(expected), how=how,
                                   diff=fen_text(stated - expected)))
    out.insert(0, fnd.sheet_level(sheet, "bill-footer-rows", labels="、".join(shown)))
    return fnd.combine(out)


# --- a shipping export as the register ---------------------------------------------------------
def read_register(path: str | Path, rules: Rules | None, columns: tuple[str, ...],
                  skip=None) -> fast.FastTable | None:
    """The shipping register: the sheet named as 发货 (or an alias), else the first whose header
    row is a 发货 register — the shop's own, or a warehouse/ERP shipping export (旺店通 WMS 销售出库单 …)
    read with its profile. None when there is none. Each sheet is read once; a sheet for which
    `skip(sheet name, header texts)` is true (a courier bill) is passed over."""
    from shopbook.sheets.shipping import SHIPPING

    known = rules.profiles if rules is not None and rules.profiles is not None else source_profiles.builtin()
    known = tuple(p for p in known if p.kind == SHIPPING.name)
    path = Path(path)
    book = fast.Book(path)
    wanted = {normalise_header(n) for n in (SHIPPING.name, *SHIPPING.sheet_aliases)}
    named = [n for n in book.sheet_names if normalise_header(n) in wanted]
    lookup = SHIPPING.header_lookup()
    for name in named + [n for n in book.sheet_names if n not in named]:
        frame, problems = book.strings(name)
        hit = source_profiles.find_header(fast._head(frame), [SHIPPING], known, f"{path.stem} {name}") if known else None
        if hit is not None and skip is not None and skip(name, _texts(frame.iloc[hit[0]])):
            continue
        if hit is not None:
            pos, match = hit
            kind = source_profiles.profiled_kind(SHIPPING, match, list(frame.iloc[pos]))
            table = fast.parse_strings(frame, kind, name, pos, path=path, columns=columns, problems=problems)
            table.findings = fnd.combine([table.findings, sources.recognised(
                name, match, table.headers, len(table.letters), SHIPPING.name, None, table.letters)])
            return table
        pos = fast.header_position(frame, SHIPPING, 2 if name in named else None)
        if pos is None:
            continue
        present = {lookup.get(normalise_header(v)) for v in frame.iloc[pos] if isinstance(v, str)}
        if "快递单号" not in present or (skip is not None and skip(name, _texts(frame.iloc[pos]))):
            continue
        return fast.parse_strings(frame, SHIPPING, name, pos, path=path, columns=columns, problems=problems)
    return None


def _texts(row) -> list[str]:
    return [str(v).strip() for v in row if isinstance(v, str) and v.strip()]
