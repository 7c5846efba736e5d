"""What every job's run says about its findings: the exit code, the counts line, the findings
listed sheet by sheet in the terminal report. One wording for every command."""
from __future__ import annotations

import pandas as pd

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def severities(findings: pd.DataFrame) -> dict[str, int]:
    """How many findings of each severity (error, warning, info)."""
    counts = findings["severity"].value_counts() if len(findings) else pd.Series(dtype="int64")
    return {s: int(counts.get(s, 0)) for s in SEVERITY_ZH}


def error_count(findings: pd.DataFrame) -> int:
    return severities(findings)["error"]


def exit_code(findings: pd.DataFrame, to_do: bool = False) -> int:
    """1 when a finding is an error or the job leaves something to do (a dispute, a list item),
    else 0. Unusable input never gets this far: that is exit 2, raised before a result exists."""
    return 1 if to_do or error_count(findings) else 0


def counts_text(findings: pd.DataFrame, info: bool = True) -> str:
    """错误 3,警告 5,提示 1 (without 提示 when `info` is False)."""
    n = severities(findings)
    return f"错误 {n['error']},警告 {n['warning']}" + (f",提示 {n['info']}" if info else "")


def by_sheet(findings: pd.DataFrame, limit: int, more: str | None = None) -> list[str]:
    """The findings sheet by sheet: a counts line per sheet, then each finding (cell, severity,
    code, message), at most `limit` per sheet; `more` says where the rest are."""
    lines = []
    for sheet, group in findings.groupby("sheet", sort=False):
        lines.append(f"\n[{sheet}] {counts_text(group)}")
        for f in group.head(limit).itertuples(index=False):
            lines.append(f"  {f.cell or '(整表)':<8} {SEVERITY_ZH[f.severity]} {f.code}: {f.message}")
        if more and len(group) > limit:
            lines.append(f"  …… 另有 {len(group) - limit} 条,{more}")
    return lines


def listed(findings: pd.DataFrame, limit: int) -> list[str]:
    """The first `limit` findings, one line each with their sheet (for short reports)."""
    return [f"  {f.sheet} {f.cell or ''} {SEVERITY_ZH[f.severity]} {f.code}: {f.message}"
            for f in findings.head(limit).itertuples(index=False)]
