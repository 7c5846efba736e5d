"""Write docs/findings.md from shopbook/codes.py (run after adding or changing a code).

Sections follow the `# --- name ---` comment lines of codes.py.
"""
from __future__ import annotations

import re
from pathlib import Path

from shopbook import codes

ROOT = Path(__file__).resolve().parent.parent


def sections() -> list[tuple[str, list[str]]]:
    source = Path(codes.__file__).read_text(encoding="utf-8")
    out: list[tuple[str, list[str]]] = []
    for line in source.splitlines():
        head = re.match(r"# --- (.+?) -+$", line)
        if head:
            out.append((head.group(1), []))
        found = re.match(r'_add\("([a-z0-9-]+)"', line.strip())
        if found and out:
            out[-1][1].append(found.group(1))
    return [(name, names) for name, names in out if names]


def render() -> str:
    lines = ["# Finding codes", "",
             "Every finding shopbook reports has a stable English code, a severity (error | warning | info)",
             "and a Chinese message that says what is wrong and how to fix it. This page is generated from",
             "`shopbook/codes.py` by `python scripts/make_docs.py`; `{…}` in a message is filled in with the",
             "cell's details.", ""]
    for name, names in sections():
        lines += [f"## {name}", "", "| code | severity | 问题 | message (how to fix) |", "|---|---|---|---|"]
        for code in names:
            spec = codes.CODES[code]
            lines.append(f"| `{code}` | {spec.severity} | {spec.title} | {spec.template.replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)


KIND_NAMES = {"text": "text", "id": "text (ID)", "date": "date", "datetime": "date/time", "money": "money",
              "int": "whole number", "number": "number", "choice": "choice"}


def sheet_kinds():
    """Every declared sheet kind, from the job modules that exist."""
    import importlib
    kinds = []
    for module_name in ("orders", "shipping", "returns", "stock", "courier", "payroll", "sheets.reviews",
                        "sheets.complaints", "sheets.shift_handover", "sheets.contacts"):
        try:
            module = importlib.import_module(f"shopbook.{module_name}")
        except ImportError:
            continue
        from shopbook.reading.schema import SheetKind
        kinds += [v for v in vars(module).values() if isinstance(v, SheetKind) and v not in kinds]
    return kinds


def render_sheets() -> str:
    lines = ["# Sheets and columns", "",
             "Generated from the sheet declarations in the code (`python scripts/make_docs.py`).",
             "A sheet is found by its name or an alias, or else by its header row (which may sit",
             "below title rows). Headers are matched after NFKC normalisation, ignoring spaces, case",
             "and a unit in brackets: `重量(kg)`, `重量（KG）` and `重量` are the same column.",
             "Unknown extra columns are kept and ignored.", ""]
    for kind in sheet_kinds():
        lines += [f"## {kind.name}", "", f"Sheet names accepted: {'、'.join((kind.name,) + kind.sheet_aliases)}", "",
                  "| column | aliases | type | required | values |", "|---|---|---|---|---|"]
        for col in kind.columns:
            values = "/".join(col.choices)
            if col.minimum is not None:
                values = values or f"≥ {col.minimum:g}"
            lines.append(f"| {col.name} | {'、'.join(col.aliases)} | {KIND_NAMES.get(col.kind, col.kind)} | "
                         f"{'yes' if col.required else ''} | {values} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    for name, text in (("findings.md", render()), ("sheets.md", render_sheets())):
        target = ROOT / "docs" / name
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
