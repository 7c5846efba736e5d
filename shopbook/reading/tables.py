"""From a sheet's cells to a typed table: find the sheet and its header row, map the
headers (aliases) to canonical columns, parse every column, skip total rows.

A `Table` keeps the Excel row numbers as its index, so every finding names the row the
user sees.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from shopbook.core import findings as fnd
from shopbook.core.findings import column_letter
from shopbook.reading import cells
from shopbook.reading import profiles as source_profiles
from shopbook.reading import sources
from shopbook.core.errors import UnusableInput
from shopbook.reading.files import Workbook
from shopbook.reading.scan import refuse_uncalculated
from shopbook.reading.profiles import Match, ProfiledKind
from shopbook.reading.schema import (CHOICE, DATE, DATETIME, ID, INT, MONEY, NUMBER,
                                     SheetKind, normalise_header)

HEADER_SCAN_ROWS = 30


@dataclass
class Table:
    """A parsed sheet. `data` holds canonical columns (parsed), `raw` the cells as read;
    both are indexed by Excel row number. `letters` maps canonical name -> column letter,
    `headers` canonical name -> the header text the sheet uses."""

    kind: SheetKind
    sheet: str
    header_row: int
    data: pd.DataFrame
    raw: pd.DataFrame
    letters: dict[str, str]
    headers: dict[str, str]
    findings: pd.DataFrame
    extra: dict[str, str] = field(default_factory=dict)  # unknown header -> letter
    profile: Match | None = None  # the export format it was read as (shopbook.reading.profiles)

    def has(self, column: str) -> bool:
        """The sheet has this column (whether or not any cell is filled)."""
        return column in self.letters

    def filled(self, column: str) -> bool:
        return column in self.letters and self.data[column].notna().any()

    def at(self, mask: pd.Series, column: str, code: str, values=None, **fields) -> pd.DataFrame:
        """Findings of `code` at the rows where mask is true, in `column`."""
        mask = mask.reindex(self.data.index, fill_value=False).fillna(False).astype(bool)
        rows = self.data.index[mask]
        if values is None and column in self.raw:
            values = self.raw.loc[rows, column]
        elif isinstance(values, pd.Series):
            values = values.reindex(rows)
        fields = {k: (v.reindex(rows) if isinstance(v, pd.Series) else v) for k, v in fields.items()}
        return fnd.at_rows(self.sheet, rows, self.headers.get(column, column),
                           self.letters.get(column), code, values, **fields)


    def at_repeats(self, key: pd.Series, column: str, code: str, exempt: pd.Series | None = None,
                   **fields) -> pd.DataFrame | None:
        """Findings of `code` at every repeat of a key (its first row is fine), naming that
        first row as {other}; `exempt` rows are allowed to repeat."""
        repeat = key.duplicated(keep="first")
        if exempt is not None:
            repeat &= ~exempt
        if not repeat.any():
            return None
        first = pd.Series(key.index, index=key.index).groupby(key).transform("min")
        return self.at(repeat, column, code, other=first, **fields)


def header_names(row: pd.Series, lookup: dict[str, str]) -> set[str]:
    names = {lookup.get(normalise_header(v)) for v in row if isinstance(v, str)}
    names.discard(None)
    return names


def header_score(row: pd.Series, lookup: dict[str, str]) -> int:
    return len(header_names(row, lookup))


def find_header(cells_head: pd.DataFrame, kind: SheetKind) -> tuple[int, int] | None:
    """(0-based row position, score) of the best header row in the first rows, or None.
    A kind with a `signature` only takes a row showing enough of its own headers."""
    lookup = kind.header_lookup()
    best = None
    for pos in range(min(HEADER_SCAN_ROWS, len(cells_head))):
        names = header_names(cells_head.iloc[pos], lookup)
        score = len(names)
        if score >= 2 and (best is None or score > best[1]) and kind.signed(names):
            best = (pos, score)
    return best


def locate_by_name(book: Workbook, kind: SheetKind) -> tuple[str, int] | None:
    """The sheet named as this kind (or an alias) that has a header row of it."""
    wanted = {normalise_header(n) for n in (kind.name, *kind.sheet_aliases)}
    for name in book.sheet_names:
        if normalise_header(name) in wanted:
            hit = find_header(book.head(name), kind)
            if hit:
                return name, hit[0]
    return None


def min_header_score(kind: SheetKind) -> int:
    """How many of its headers a sheet must show to be taken for this kind by headers alone."""
    required = sum(1 for c in kind.columns if c.required)
    return max(3, min(required, 4))


def active_profiles(profiles):
    """The source profiles to recognise: None = the built-in ones, () or False = none."""
    if profiles is None:
        return source_profiles.builtin()
    return tuple(profiles) if profiles else ()


def assign_sheets(book: Workbook, kinds: list[SheetKind], profiles=None) -> dict[str, tuple[str, int]]:
    """kind name -> (sheet, header row position): by sheet name first, then sheets whose header
    row is a known export format (shopbook.reading.profiles) go to that format's kind, then each
    remaining sheet goes to the remaining kind whose headers it matches best."""
    found: dict[str, tuple[str, int]] = {}
    for kind in kinds:
        hit = locate_by_name(book, kind)
        if hit and hit[0] not in {s for s, _ in found.values()}:
            found[kind.name] = hit
    known = active_profiles(profiles)
    if known:
        taken = {s for s, _ in found.values()}
        hits = []
        for name in book.sheet_names:
            if name in taken:
                continue
            hit = source_profiles.find_header(book.head(name), kinds, known, f"{book.path.stem} {name}",
                                              HEADER_SCAN_ROWS)
            if hit is not None:
                hits.append((hit[1].score, name, hit[0], hit[1].profile.kind))
        for _, name, pos, kind_name in sorted(hits, key=lambda h: h[0], reverse=True):
            if kind_name not in found and name not in {s for s, _ in found.values()}:
                found[kind_name] = (name, pos)
        recognised = {name for _, name, _, _ in hits}  # an export of one kind is no sheet of another
    else:
        recognised = set()
    candidates = []
    taken = {s for s, _ in found.values()} | recognised
    for kind in kinds:
        if kind.name in found:
            continue
        for name in book.sheet_names:
            if name in taken:
                continue
            hit = find_header(book.head(name), kind)
            if hit and hit[1] >= min_header_score(kind):
                candidates.append((hit[1], kind.name, name, hit[0]))
    for score, kind_name, name, pos in sorted(candidates, key=lambda c: -c[0]):
        if kind_name not in found and name not in taken:
            found[kind_name] = (name, pos)
            taken.add(name)
    return found


def locate(book: Workbook, kind: SheetKind, *, fallback: bool = True, profiles=None) -> tuple[str, int] | None:
    """Find the sheet of this kind: by name or alias, else by its header row."""
    if fallback:
        return assign_sheets(book, [kind], profiles).get(kind.name)
    return locate_by_name(book, kind)


def read_table(book: Workbook, kind: SheetKind, *, fallback: bool = True, profiles=None) -> Table | None:
    """The parsed table of this kind from the workbook, or None when it has none."""
    hit = locate(book, kind, fallback=fallback, profiles=profiles if fallback else False)
    if hit is None:
        return None
    name, header_pos = hit
    return parse_table(book.sheet(name), kind, header_pos, profiles if fallback else False,
                       name=f"{book.path.stem} {name}")


def recognise(kind: SheetKind, header, profiles=None, name: str = "") -> SheetKind:
    """The sheet kind to read a header row with: this kind as declared, or (when the row is a
    known export format) the kind with that format's header mapping (a ProfiledKind)."""
    if isinstance(kind, ProfiledKind):
        return kind
    known = active_profiles(profiles)
    match = source_profiles.detect(list(header), [kind], known, name) if known else None
    return source_profiles.profiled_kind(kind, match, list(header)) if match is not None else kind


def parse_table(sheet, kind: SheetKind, header_pos: int, profiles=None, name: str | None = None) -> Table:
    """The table of this kind whose header row is at `header_pos` (0-based). A header row of a
    known export format (profiles: None = the built-in ones, False = none) is read with that
    format's headers and words, and the findings say which format it was."""
    cells_all = sheet.cells
    header = cells_all.iloc[header_pos]
    kind = recognise(kind, header, profiles, name or sheet.name)
    match = kind.match if isinstance(kind, ProfiledKind) else None
    lookup = kind.header_lookup()
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    extra: dict[str, str] = {}
    problems = []
    for pos, text in header.items():
        if not isinstance(text, str) or not text.strip():
            continue
        canonical = lookup.get(normalise_header(text))
        if canonical is None:
            extra[str(text).strip()] = column_letter(pos)
        elif canonical in positions:
            problems.append(fnd.sheet_level(sheet.name, "duplicate-header", column=str(text).strip(),
                                            value=column_letter(pos)))
        else:
            positions[canonical] = pos
            headers[canonical] = str(text).strip()

    if sheet.source is not None:
        refuse_uncalculated(sheet.source, sheet.name, sheet.first_row + header_pos, positions.values())
    body = cells_all.iloc[header_pos + 1:]
    body.index = pd.RangeIndex(sheet.first_row + header_pos + 1, sheet.first_row + header_pos + 1 + len(body))
    columns = {name: cells.blank_to_none(body[pos]) for name, pos in positions.items()}
    raw = pd.DataFrame(columns, index=body.index)
    # drop blank rows and total rows (合计/小计/总计) — they are not data
    blank = np.ones(len(body), dtype=bool)
    for column in columns.values():
        blank &= cells.blank_mask(column)
    blank = pd.Series(blank, index=body.index)
    by_position = {pos: columns[name] for name, pos in positions.items()}
    total = _total_rows([by_position.get(pos, body[pos]) for pos in list(body.columns)[:6]], body.index)
    keep = ~blank & ~total
    if not keep.all():
        raw = raw[keep]
        columns = {name: cells.keep_rows(column, keep) for name, column in columns.items()}
    mapped, filled = {}, {}
    if match is not None:  # the format's words -> shopbook's values (raw keeps the cells as read)
        others = _alternative_columns(header, body, positions, match, keep)
        columns, filled = sources.fill_alternatives(columns, match, others)
        columns, mapped = sources.map_values(columns, match, {c.name: c.choices for c in kind.columns if c.choices})
        columns = _with_attributes(columns, positions, headers, raw, match)

    letters = {name: column_letter(pos) for name, pos in positions.items()}
    data = pd.DataFrame(index=raw.index)
    table = Table(kind, sheet.name, sheet.first_row + header_pos, data, raw, letters, headers,
                  fnd.empty(), extra, match)
    if match is not None:
        problems.append(sources.recognised(sheet.name, match, headers, len(positions), kind.name, mapped, letters,
                                           filled))
    for col in kind.columns:
        if col.name not in positions:
            if match is not None and (col.name in match.not_carried or col.name in match.profile.constants):
                # a field this format has no column for: blank (source-cannot-check says so) or its constant
                data[col.name] = pd.Series(match.profile.constants.get(col.name), index=data.index, dtype=object)
                continue
            if col.required:
                problems.append(fnd.sheet_level(sheet.name, "missing-column", column=col.name,
                                                aliases="、".join((col.name,) + col.aliases)))
            continue
        column = columns[col.name]
        errors = cells.formula_error_mask(column)
        if errors.any():  # #N/A, #VALUE! …: reported as such, then read as blank
            problems.append(table.at(errors, col.name, "formula-error"))
            column = column.where(~errors, None)
        parsed, found = parse_column(column, col)
        data[col.name] = parsed
        for code, (mask, extra_fields) in found.items():
            if not mask.any():
                continue
            if code == "normalised":
                problems.append(_normalised_finding(table, col.name, column, parsed, mask))
            else:
                problems.append(table.at(mask, col.name, code, **extra_fields))
        if col.per_group and kind.group_by in data:
            data[col.name] = _fill_from_group(data, kind.group_by, col.name)
        if col.required:
            problems.append(table.at(data[col.name].isna() & cells.blank_mask(column) & ~errors, col.name,
                                     "required-missing"))
        if col.minimum is not None and col.kind in (MONEY, INT, NUMBER):
            values = data[col.name]
            minimum = col.minimum * 100 if col.kind == MONEY else col.minimum
            problems.append(table.at(values < 0, col.name, "negative-value"))
            if minimum > 0:
                problems.append(table.at((values >= 0) & (values < minimum), col.name, "not-positive"))
    table.findings = fnd.combine(problems)
    return table


def _alternative_columns(header, body, positions: dict, match: Match, keep) -> dict:
    """field -> the body columns of the format's further headers for it that the file also has."""
    where = {}
    for pos, text in header.items():
        if isinstance(text, str) and text.strip():
            where.setdefault(source_profiles.key(text), (pos, text.strip()))
    out = {}
    for name, alternatives in match.profile.fields.items():
        placed = match.placed.get(name)
        if placed is None or name not in positions:
            continue
        later = alternatives[[source_profiles.key(a) for a in alternatives].index(source_profiles.key(placed)) + 1:] \
            if source_profiles.key(placed) in [source_profiles.key(a) for a in alternatives] else ()
        cols = []
        for alt in later:
            hit = where.get(source_profiles.key(alt))
            if hit is not None and hit[0] != positions[name]:
                col = cells.blank_to_none(body[hit[0]])
                col = col[keep] if not keep.all() else col
                cols.append(col.rename(hit[1]))
        if cols:
            out[name] = cols
    return out


def _with_attributes(columns: dict, positions: dict, headers: dict, raw: pd.DataFrame, match: Match) -> dict:
    """颜色/尺码 taken out of the format's 商品属性 column (颜色分类:黑色;尺码:M) when the sheet has
    no columns of their own; their cells are the 商品属性 cells."""
    source = match.profile.attributes
    if not source or source not in columns or ("颜色" in positions and "尺码" in positions):
        return columns
    colours, sizes = sources.attributes(columns[source])
    columns = dict(columns)
    for name, values in (("颜色", colours), ("尺码", sizes)):
        if name not in positions and values.notna().any():
            columns[name] = values
            positions[name] = positions[source]
            headers[name] = headers[source]
            raw[name] = raw[source]
    return columns


def parse_column(raw: pd.Series, col) -> tuple[pd.Series, dict]:
    if col.kind == ID:
        return cells.parse_id(raw)
    if col.kind in (DATE, DATETIME):
        return cells.parse_date(raw)
    if col.kind == MONEY:
        return cells.parse_money(raw)
    if col.kind == INT:
        return cells.parse_int(raw)
    if col.kind == NUMBER:
        return cells.parse_number(raw)
    if col.kind == CHOICE:
        return cells.parse_choice(raw, col.choices, col.synonyms)
    return cells.parse_text(raw)


def _fill_from_group(data: pd.DataFrame, key: str, column: str) -> pd.Series:
    values = data[column]
    if not values.isna().any():
        return values
    first = values.groupby(data[key], sort=False).transform("first")
    filled = values.where(values.notna(), first)
    if filled.dtype == object:  # keep None for blanks, as the parsers do
        filled = filled.where(filled.notna(), None)
    return filled


def _normalised_finding(table: Table, column: str, raw: pd.Series, parsed: pd.Series, mask) -> pd.DataFrame:
    """One info finding per column, not per cell."""
    first = mask[mask].index[0]
    example = f"{table.letters[column]}{first} 「{raw[first]}」→「{parsed[first]}」"
    return fnd.sheet_level(table.sheet, "normalised", column=table.headers[column],
                           count=int(mask.sum()), example=example)


def _total_rows(first_columns: list[pd.Series], index: pd.Index) -> pd.Series:
    """Rows with 合计/小计/总计 in one of their first six cells (looked up once per distinct value;
    the columns already read reuse their factorisation)."""
    result = np.zeros(len(index), dtype=bool)
    for column in first_columns:
        result |= cells.distinct_matching(column, cells.TOTAL_HINT, cells.is_total_label).to_numpy()
    return pd.Series(result, index=index)


def sheet_table(book, sheet: str, kind: SheetKind, header_pos: int, profiles=None,
                columns: tuple[str, ...] | None = None) -> Table:
    """A sheet of an open book parsed as `kind`: a book that parses its own sheets (the month's
    text-read workbooks, shopbook.monthly.folder.TextBook) does, and may parse only `columns`
    (the rest stay unread); a Workbook by parse_table."""
    if hasattr(book, "table"):
        return book.table(sheet, kind, header_pos, profiles, columns)
    return parse_table(book.sheet(sheet), kind, header_pos, profiles)


def require(table: Table | None, book: Workbook, kind: SheetKind) -> Table:
    """The table, or UnusableInput naming the file when the workbook has none."""
    if table is None:
        raise UnusableInput(f"{book.path}: 找不到「{kind.name}」表(按工作表名 {'/'.join((kind.name,) + kind.sheet_aliases)} 或表头查找)。")
    return table
