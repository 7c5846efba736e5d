"""Findings: what a check found, as values (never exceptions).

A finding names sheet, Excel row, column header, A1 cell, a stable kebab-case code, a
severity and a Chinese message. Checks work on whole columns, so findings are built in
bulk as DataFrames (one row per finding) and only turned into `Finding` values at the
edges (JSON, the 问题 sheet, tests).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable

import pandas as pd

from shopbook.core.codes import CODES

SEVERITIES = ("error", "warning", "info")
FIELDS = ["sheet", "row", "column", "cell", "code", "severity", "message", "value"]


@dataclass(frozen=True)
class Finding:
    sheet: str
    row: int | None
    column: str | None
    cell: str | None
    code: str
    severity: str
    message: str
    value: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def empty() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in FIELDS})


def _shown(value) -> object:
    """A template field as shown in a message: blanks read (空)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "(空)"
    if isinstance(value, float) and value != value:
        return "(空)"
    return value


def _render(template: str, fields: dict, n: int) -> list[str]:
    """Format `template` n times; each field is a scalar or a sequence of length n."""
    per_row = {k: v for k, v in fields.items() if isinstance(v, (list, tuple, pd.Series, pd.Index))}
    fixed = {k: _shown(v) for k, v in fields.items() if k not in per_row}
    if not per_row:
        return [template.format(**fixed)] * n
    columns = {k: [_shown(x) for x in v] for k, v in per_row.items()}
    return [template.format(**fixed, **{k: columns[k][i] for k in columns}) for i in range(n)]


def _as_text(value) -> str | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def at_rows(sheet: str, rows: Iterable[int], column: str | None, letter: str | None,
            code: str, values: Iterable | None = None, **fields) -> pd.DataFrame:
    """Findings of one code at the given Excel rows of one column.

    `values` are the cells as read (shown in the report); `fields` fill the message
    template and may be scalars or per-row sequences.
    """
    spec = CODES[code]
    rows = [int(r) for r in rows]
    n = len(rows)
    if n == 0:
        return empty()
    values = [None] * n if values is None else [_as_text(v) for v in values]
    fields = {k: (list(v) if isinstance(v, (pd.Series, pd.Index)) else v) for k, v in fields.items()}
    fields.setdefault("column", column or "")
    fields.setdefault("value", values)
    messages = _render(spec.template, fields, n)
    return pd.DataFrame({
        "sheet": [sheet] * n,
        "row": rows,
        "column": [column] * n,
        "cell": [f"{letter}{r}" if letter else None for r in rows],
        "code": [code] * n,
        "severity": [spec.severity] * n,
        "message": messages,
        "value": values,
    })


def sheet_level(sheet: str, code: str, column: str | None = None, value=None, **fields) -> pd.DataFrame:
    """A finding about the whole sheet (e.g. a missing column): row and cell are null."""
    spec = CODES[code]
    fields.setdefault("sheet", sheet)
    fields.setdefault("column", column or "")
    fields.setdefault("value", _as_text(value))
    return pd.DataFrame({
        "sheet": [sheet], "row": [None], "column": [column], "cell": [None], "code": [code],
        "severity": [spec.severity], "message": [spec.template.format(**fields)],
        "value": [_as_text(value)],
    })


def combine(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate finding frames, sorted by sheet order of appearance, row, column."""
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        return empty()
    out = pd.concat(frames, ignore_index=True)
    out["row"] = out["row"].astype(object).where(out["row"].notna(), None)
    return out


def records(frame: pd.DataFrame) -> list[dict]:
    """Findings as plain dicts (JSON): row as int or None, blanks as None."""
    rows = frame["row"].tolist()
    out = []
    for values, row in zip(frame[FIELDS].itertuples(index=False, name=None), rows):
        record = {k: (None if v is None or (isinstance(v, float) and v != v) else v) for k, v in zip(FIELDS, values)}
        record["row"] = None if record["row"] is None else int(row)
        out.append(record)
    return out


def to_findings(frame: pd.DataFrame) -> list[Finding]:
    records = frame[FIELDS].astype(object).where(frame[FIELDS].notna(), None).to_dict("records")
    return [Finding(**{**r, "row": None if r["row"] is None else int(r["row"])}) for r in records]


def summary(frame: pd.DataFrame) -> dict:
    """Counts per severity, per sheet and per code."""
    counts = frame["severity"].value_counts()
    return {
        "errors": int(counts.get("error", 0)),
        "warnings": int(counts.get("warning", 0)),
        "info": int(counts.get("info", 0)),
        "by_sheet": {str(k): int(v) for k, v in frame["sheet"].value_counts(sort=False).items()},
        "by_code": {str(k): int(v) for k, v in frame["code"].value_counts().items()},
    }
