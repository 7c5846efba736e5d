"""The fast path for big sheets (a month of courier bill lines, a year of shipments).

fastexcel reads a sheet straight into Arrow with every column as text (`dtypes="string"`:
type guessing from the first rows turns later text values such as 'SF…' waybills into nulls,
see READERS.md), and `to_arrow_with_errors` proves no cell turned null. csv files are read by
pandas (dtype=str) after `decode_csv`. The header row is found in the first rows with the
general layer's matching (shopbook.reading.tables.find_header), aliases map to canonical
names, and only the columns a job needs are parsed — vectorised, and for columns whose values
repeat (dates, provinces, weights, fees) once per distinct value with the general parsers of
shopbook.reading.cells, so both paths read a cell the same way. Excel row numbers are kept as
the index. The same file checks as `open_workbook` (zip/XML bombs, passwords) run first.

What the fast path cannot see: whether a cell was a number or text (fastexcel renders a
numeric cell as its digits). An ID stored as a number that lost digits (16+ digits written
from a float) is still caught by the shape of its digits; an intact one is not reported.
"""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from shopbook.core import findings as fnd
from shopbook.core.findings import column_letter
from shopbook.reading import cells
from shopbook.core.errors import UnusableInput
from shopbook.reading.files import _short, _sniff, check_csv_area, check_zip, decode_csv, read_bytes
from shopbook.reading.scan import formula_errors, refuse_uncalculated
from shopbook.reading.schema import CHOICE, DATE, DATETIME, ID, INT, MONEY, NUMBER, Column, SheetKind, normalise_header
from shopbook.reading.tables import HEADER_SCAN_ROWS, find_header, min_header_score
from shopbook.reading.together import side_by_side

_ISO_STAMP = "%Y-%m-%d %H:%M:%S"  # how fastexcel renders a date cell as text


@dataclass
class FastTable:
    """A sheet read by the fast path: `data` holds the parsed canonical columns asked for
    (index = Excel row numbers), `letters`/`headers` every canonical column the header row has."""

    kind: SheetKind
    path: Path
    sheet: str
    header_row: int
    data: pd.DataFrame
    letters: dict[str, str]
    headers: dict[str, str]
    findings: pd.DataFrame
    # the total rows left out (合计/小计…): their raw cells of the columns asked for, and _label
    totals: pd.DataFrame = field(default_factory=pd.DataFrame)
    # every header text of the header row, known to the kind or not (to tell what a sheet is)
    header_texts: tuple[str, ...] = ()

    def has(self, column: str) -> bool:
        return column in self.letters


# --- opening ------------------------------------------------------------------------------
def check_file(path: Path) -> str:
    """The checks of open_workbook before any reader touches the file: 'xlsx', 'xls' or 'csv'."""
    kind = _sniff(path)
    if kind == "xlsx":
        check_zip(path)
    return kind


class Book:
    """A checked workbook (or csv) whose sheets come back as string DataFrames."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.type = check_file(self.path)
        self._reader = None
        if self.type == "csv":
            self.sheet_names = [self.path.stem]
        else:
            import fastexcel
            try:
                self._reader = fastexcel.read_excel(str(self.path))
            except Exception as exc:  # the Rust reader's errors are not typed
                raise UnusableInput(f"{self.path}: 无法读取工作簿({_short(exc)})。文件可能已损坏,请在 Excel 中另存为 .xlsx 再试。") from None
            self.sheet_names = list(self._reader.sheet_names)
            if not self.sheet_names:
                raise UnusableInput(f"{self.path}: 工作簿里没有工作表。")

    def strings(self, name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(cells as text: columns = 0-based sheet column, index = Excel row; findings for cells
        the reader could not render as text)."""
        if self.type == "csv":
            return csv_strings(self.path), fnd.empty()
        try:
            sheet = self._reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
            batch, errors = sheet.to_arrow_with_errors()
        except Exception as exc:
            raise UnusableInput(f"{self.path}: 工作表「{name}」无法读取({_short(exc)})。") from None
        frame = batch.to_pandas()
        frame.columns = [info.absolute_index for info in sheet.selected_columns]
        frame.index = pd.RangeIndex(1, len(frame) + 1)
        problems = fnd.empty()
        if errors is not None and errors.errors:
            frame, problems = _restore_errors(frame, errors.errors, self.path, name, self.type)
        return frame, problems


# calamine's names for Excel's error values, as fastexcel reports a cell it could not make text
_EXCEL_ERRORS = {"Div0": "#DIV/0!", "NA": "#N/A", "Name": "#NAME?", "Null": "#NULL!", "Num": "#NUM!",
                 "Ref": "#REF!", "Value": "#VALUE!", "GettingData": "#GETTING_DATA"}


def as_book(given) -> "Book":
    """A book whose sheets come back as text (Book, the month's TextBook) as given, else its file
    (a path, or a book read otherwise: a Workbook) opened."""
    return given if hasattr(given, "strings") else Book(book_path(given))


def book_path(given) -> Path:
    return Path(getattr(given, "path", given))


def _restore_errors(frame: pd.DataFrame, errors, path: Path, name: str, kind: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """fastexcel blanks a cell it cannot render as text. An Excel error value (#N/A, #REF!…) is
    put back as Excel shows it, so the parsing reports it as formula-error as the general reader
    does; anything else is cell-unreadable at its cell."""
    shown = {(row, col): text for row, col, text in formula_errors(path, name)} if kind == "xlsx" else {}
    cols = list(frame.columns)
    unreadable = []
    for e in errors:
        row, col = e.position[0] + 1, cols[e.position[1]]
        code = re.search(r"Error\((\w+)\)", str(e.detail))
        text = shown.get((row, col)) or (_EXCEL_ERRORS.get(code.group(1), f"#{code.group(1).upper()}") if code else None)
        if text:
            frame.at[row, col] = text
        else:
            unreadable.append(fnd.at_rows(name, [row], None, column_letter(col), "cell-unreadable"))
    return frame, fnd.combine(unreadable)


def csv_strings(path: Path) -> pd.DataFrame:
    """A csv (UTF-8 with or without BOM, GBK/GB18030) as a frame of text, index = line number."""
    text = decode_csv(read_bytes(path), path)
    lines = text.splitlines()
    width = max((line.count(",") for line in lines), default=0) + 1
    check_csv_area(path, len(lines), width)
    del lines
    try:
        frame = pd.read_csv(io.StringIO(text), header=None, names=list(range(width)), dtype=str,
                            keep_default_na=False, na_values=[""], skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, ValueError) as exc:
        raise UnusableInput(f"{path}: csv 无法解析({_short(exc)})。请用 Excel 打开后另存为 .xlsx 再试。") from None
    frame = frame.dropna(axis=1, how="all")
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def _head(frame: pd.DataFrame) -> pd.DataFrame:
    """The first rows as objects (None for blank), as find_header expects."""
    head = frame.head(HEADER_SCAN_ROWS).astype(object)
    return head.where(head.notna(), None).reset_index(drop=True)


def header_position(frame: pd.DataFrame, kind: SheetKind, min_score: int | None = None) -> int | None:
    """0-based position of the kind's header row in the first rows, or None."""
    hit = find_header(_head(frame), kind)
    if hit is None or hit[1] < (min_score if min_score is not None else min_header_score(kind)):
        return None
    return hit[0]


def read_sheets(path: str | Path, kind: SheetKind, columns: tuple[str, ...] | None = None, *,
                every: bool = False, needs: tuple[str, ...] = ()) -> list[FastTable]:
    """The sheets of this kind in a file: the one named as the kind (or an alias) when there is
    one, else those whose header row matches (every=True: all of them, else the best one).
    `needs`: canonical headers a sheet must have to count."""
    book = Book(path)
    wanted = {normalise_header(n) for n in (kind.name, *kind.sheet_aliases)}
    named = [n for n in book.sheet_names if normalise_header(n) in wanted]
    found: list[tuple[int, str, pd.DataFrame, pd.DataFrame, int]] = []
    lookup = kind.header_lookup()
    for order, name in enumerate(named + [n for n in book.sheet_names if n not in named]):
        frame, problems = book.strings(name)
        pos = header_position(frame, kind, 2 if name in named else None)
        if pos is None:
            continue
        present = {lookup.get(normalise_header(v)) for v in frame.iloc[pos] if isinstance(v, str)}
        if any(n not in present for n in needs):
            continue
        found.append((order, name, frame, problems, pos))
        if name in named and not every:
            break
    if not every:
        found = found[:1]
    return [parse_strings(frame, kind, name, pos, path=book.path, columns=columns, problems=problems)
            for _, name, frame, problems, pos in found]


# --- parsing ------------------------------------------------------------------------------
def parse_strings(frame: pd.DataFrame, kind: SheetKind, sheet: str, header_pos: int, *, path: Path,
                  columns: tuple[str, ...] | None = None, problems: pd.DataFrame | None = None) -> FastTable:
    """Map the header row at `header_pos` to canonical columns and parse those asked for;
    blank rows and total rows (合计/小计/总计) are dropped."""
    lookup = kind.header_lookup()
    header = frame.iloc[header_pos]
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    found = [problems] if problems is not None else []
    for pos, text in header.items():
        if not isinstance(text, str) or not text.strip():
            continue
        canonical = lookup.get(normalise_header(text))
        if canonical is None:
            continue
        if canonical in positions:
            found.append(fnd.sheet_level(sheet, "duplicate-header", column=text.strip(), value=column_letter(pos)))
            continue
        positions[canonical] = pos
        headers[canonical] = text.strip()
    letters = {name: column_letter(pos) for name, pos in positions.items()}
    for col in kind.columns:
        if col.required and col.name not in positions:
            found.append(fnd.sheet_level(sheet, "missing-column", column=col.name,
                                         aliases="、".join((col.name,) + col.aliases)))

    wanted = [c for c in kind.columns if c.name in positions and (columns is None or c.name in columns)]
    refuse_uncalculated(path, sheet, int(frame.index[header_pos]), [positions[c.name] for c in wanted])
    body = frame.iloc[header_pos + 1:]
    raw = pd.DataFrame({c.name: body[positions[c.name]] for c in wanted}, index=body.index)
    keep = raw.notna().any(axis=1) if len(raw.columns) else pd.Series(False, index=body.index)
    total = total_rows(body)
    totals = raw[total].assign(_label=[next(v for v in row if cells.is_total_label(v))
                                       for row in body[total].iloc[:, :6].itertuples(index=False)])
    keep &= ~total
    raw = raw[keep]

    def parsed(col: Column) -> tuple[pd.Series, list]:
        column, errors, out = raw[col.name], None, []
        if contains(column, "^" + _SPACES + "*#", r"^\s*#").any():  # #N/A, #REF! …: reported as such, then blank
            errors = cells.formula_error_mask(column)
            out.append(_at(sheet, headers[col.name], letters[col.name], errors, "formula-error", column))
            column = column.where(~errors)
        values, col_findings = parse_column(column, col, sheet, headers[col.name], letters[col.name])
        out.append(col_findings)
        if col.required:
            blank = column.isna() if errors is None else column.isna() & ~errors
            out.append(_at(sheet, headers[col.name], letters[col.name], blank, "required-missing", column))
        if col.minimum is not None and col.kind in (MONEY, INT, NUMBER):
            low = col.minimum * 100 if col.kind == MONEY else col.minimum
            out.append(_at(sheet, headers[col.name], letters[col.name], (values < low).fillna(False),
                           "negative-value", raw[col.name]))
        return values, out

    data = pd.DataFrame(index=raw.index)
    # the columns side by side on a big sheet (Arrow's string kernels run outside Python's lock),
    # their values and findings in column order as one after the other gives them
    for col, (values, col_findings) in zip(wanted, side_by_side(parsed, wanted, big=len(raw) >= 100_000)):
        data[col.name] = values
        found.extend(col_findings)
    texts = tuple(str(v).strip() for v in header if isinstance(v, str) and v.strip())
    return FastTable(kind, path, sheet, int(frame.index[header_pos]), data, letters, headers, fnd.combine(found),
                     totals, texts)


# cells.TOTAL_HINT for pyarrow's RE2 (whose \s is ASCII only: Python's also takes 　 and the like),
# narrowed to what can still be total/sum after NFKC: a t/s and at most six more characters, no digit
# (each character NFKC keeps or expands, none disappears; a digit stays a digit). A buyer tb12345 or
# a code SKU00012 is then no candidate, and is_total_label decides on the few that are.
_SPACES = r"[\s\p{Z}\x{0b}\x{1c}-\x{1f}\x{85}]"
_TOTAL_HINT_RE2 = rf"计|额|額|^{_SPACES}*[tTsSｔＴｓＳ][^\s\p{{Z}}\x{{0b}}\x{{1c}}-\x{{1f}}\x{{85}}\p{{Nd}}]{{0,6}}{_SPACES}*$"


def contains(col: pd.Series, re2: str, python: str | None = None) -> np.ndarray:
    """Whether each cell of a text column holds a match of `re2`, in Arrow (C++, RE2): pandas runs
    Python's re on every cell when a pattern has \\s. `python`: the same pattern for Python's re,
    for a column Arrow cannot take as text. Blank cells: False."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        values = pa.array(col.array if isinstance(col.dtype, pd.StringDtype) else col, type=pa.string(),
                          from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return col.astype(object).map(lambda v: isinstance(v, str) and bool(re.search(python or re2, v))) \
            .to_numpy(dtype=bool)
    hits = pc.fill_null(pc.match_substring_regex(values, re2), False)
    return np.asarray(hits.to_numpy(zero_copy_only=False), dtype=bool)


def total_rows(body: pd.DataFrame) -> pd.Series:
    """Rows with 合计/小计/总计 (or total/sum) in one of their first six cells."""
    result = np.zeros(len(body), dtype=bool)
    for pos in list(body.columns)[:6]:
        col = body[pos]
        hint = contains(col, _TOTAL_HINT_RE2, cells.TOTAL_HINT)
        if hint.any():
            result[np.flatnonzero(hint)[[cells.is_total_label(v) for v in col[hint]]]] = True
    return pd.Series(result, index=body.index)


def _at(sheet, header, letter, mask: pd.Series, code: str, raw: pd.Series, **fields) -> pd.DataFrame:
    mask = mask.to_numpy(dtype=bool) if isinstance(mask, pd.Series) else np.asarray(mask, dtype=bool)
    if not mask.any():
        return fnd.empty()
    rows = raw.index[mask]
    fields = {k: (v[mask] if isinstance(v, (pd.Series, np.ndarray)) else v) for k, v in fields.items()}
    return fnd.at_rows(sheet, rows, header, letter, code, raw[mask], **fields)


def parse_column(raw: pd.Series, col: Column, sheet: str, header: str, letter: str) -> tuple[pd.Series, pd.DataFrame]:
    """One text column -> (parsed values as shopbook.reading.cells gives them, findings)."""
    if col.kind == ID:
        values, problems = parse_id_text(raw)
    elif col.kind in (DATE, DATETIME):
        values, problems = parse_date_text(raw)
    else:
        values, problems = _by_distinct_value(raw, col)
    out = []
    for code, (mask, fields) in problems.items():
        if not np.asarray(mask).any():
            continue
        if code == "normalised":
            mask = pd.Series(np.asarray(mask, dtype=bool), index=raw.index)
            first = mask[mask].index[0]
            out.append(fnd.sheet_level(sheet, "normalised", column=header, count=int(mask.sum()),
                                       example=f"{letter}{first} 「{raw[first]}」→「{values[first]}」"))
        else:
            out.append(_at(sheet, header, letter, mask, code, raw, **fields))
    return values, fnd.combine(out)


def _by_distinct_value(raw: pd.Series, col: Column) -> tuple[pd.Series, dict]:
    """Parse each distinct value once with the general parser, then spread back to the rows."""
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    distinct = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    distinct = distinct.map(_numeric_or_text) if col.kind in (DATE, DATETIME) else distinct
    if col.kind == MONEY:
        parsed, problems = cells.parse_money(distinct)
    elif col.kind == NUMBER:
        parsed, problems = cells.parse_number(distinct)
    elif col.kind == INT:
        parsed, problems = cells.parse_int(distinct)
    elif col.kind == CHOICE:
        parsed, problems = cells.parse_choice(distinct, col.choices, col.synonyms)
    elif col.kind in (DATE, DATETIME):
        parsed, problems = cells.parse_date(distinct)
    else:
        parsed, problems = cells.parse_text(distinct)
    missing = codes < 0
    take = np.where(missing, 0, codes)
    if len(parsed):
        values = parsed.take(take)
        values = values.where(~missing) if parsed.dtype != object else values.where(~missing, None)
    else:
        values = pd.Series(pd.NA if col.kind in (MONEY, INT) else None, index=range(len(raw)), dtype=parsed.dtype)
    values.index = raw.index
    spread = {}
    for code, (mask, fields) in problems.items():
        mask = np.asarray(mask, dtype=bool)
        spread[code] = (np.append(mask, False)[np.where(missing, len(mask), codes)], fields)
    return values, spread


def _numeric_or_text(value):
    """A date cell rendered as digits ('46300', '20261005') goes to the parser as a number."""
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value.strip()):
        return float(value)
    return value


def parse_date_text(raw: pd.Series) -> tuple[pd.Series, dict]:
    """Dates: the common rendering in one vectorised pass, the rest per distinct value."""
    stamp = pd.to_datetime(raw, format=_ISO_STAMP, errors="coerce")
    # out of the accepted range (3026 for 2026): NaT here, date-invalid from the general parser
    stamp = stamp.where((stamp >= cells.DATE_MIN) & (stamp <= cells.DATE_MAX)).astype("datetime64[ns]")
    rest = raw.notna() & stamp.isna()
    problems: dict = {"date-invalid": (np.zeros(len(raw), dtype=bool), {}),
                      "date-ambiguous": (np.zeros(len(raw), dtype=bool), {})}
    if rest.any():
        parsed, found = _by_distinct_value(raw[rest], Column("日期", kind=DATE))
        stamp[rest] = parsed
        where = np.flatnonzero(rest.to_numpy())
        for code, (mask, fields) in found.items():
            problems[code][0][where[mask]] = True
    return stamp.astype("datetime64[ns]"), problems


_LONG_DIGITS = r"^[0-9]{16,}$"
_SCIENTIFIC = r"^[0-9]+(\.[0-9]+)?[eE]\+?[0-9]+$"


def parse_id_text(raw: pd.Series) -> tuple[pd.Series, dict]:
    """IDs as text: stripped, NFKC where not plain ASCII. A value shaped like a number that lost
    digits is blanked and reported (id-digits-lost): scientific notation always; 16+ digits that
    are exactly a float's value only in a column whose IDs are otherwise shorter (waybills have at
    most 15 digits; order numbers of 16–19 digits are normal and left alone)."""
    text = raw.astype("str").str.strip()
    non_ascii = (text.notna() & ~text.str.isascii().fillna(True)).to_numpy(dtype=bool)
    if non_ascii.any():
        text = text.astype(object)
        text[non_ascii] = text[non_ascii].map(lambda s: unicodedata.normalize("NFKC", s).strip())
        text = text.astype("str")
    changed = (text != raw).fillna(False).to_numpy(dtype=bool) & raw.notna().to_numpy()
    text = text.where(text != "", None)
    # ASCII digits, as a numeric cell is rendered (in Arrow: pandas scans the column for non-ASCII first)
    lost = contains(text, _SCIENTIFIC).copy()  # written below
    long = contains(text, _LONG_DIGITS)
    digits = contains(text, r"^[0-9]+$")
    if long.any() and long.sum() * 2 < digits.sum():
        where = np.flatnonzero(long)
        lost[where] = [float_shaped(v) for v in text.iloc[where]]
    shown = pd.Series(None, index=raw.index, dtype=object)
    if lost.any():
        shown[lost] = [f"{float(v):.6G}" for v in text[lost]]
        text = text.astype(object)
        text[lost] = None
    values = text.astype(object).where(text.notna(), None)
    return values, {"normalised": (changed, {}), "id-digits-lost": (lost, {"value": shown.to_numpy()})}


def float_shaped(text: str) -> bool:
    """16+ digits as a numeric cell renders them: exactly a float's value, and either past 2^53
    (where only floats' values have this shape by chance) or the nearest float to a 15-digit
    number (Excel keeps 15 significant digits). Never guesses the lost digits."""
    number = int(text)
    if float(number) != number:
        return False
    return number >= 2**53 or float(f"{number:.15g}") == float(number)
