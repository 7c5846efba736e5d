"""Every finding code the source uses is defined in shopbook.core.codes (a code used but never
defined would end a run with KeyError instead of a finding)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from shopbook.core.codes import CODES

SOURCE = Path(__file__).resolve().parent.parent / "shopbook"
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
# kebab-case strings in the source that are not finding codes
NOT_CODES = {
    "utf-8", "utf-8-sig", "utf-16-le", "yyyy-mm-dd", "mixed-integer", "mixed-integer-float",  # encodings, formats
    "not-shipped", "not-billed", "fee-mismatch",  # reconciliation categories (courier.py)
    "no-bad-review-column", "no-incident-column",  # payroll's once-per-run keys
    "shopbook-demo",  # the demo's output folder
    "shopbook-output",
    "install-shortcuts",  # a command name
    "shopbook-read", "shopbook-deflate",  # thread names (reading/together.py, writing/rows.py)
    "xdg-open", "notify-send", "update-desktop-database",  # the desktop programs the launcher calls
    "bill-generic",  # the id of the generic courier-bill format profile  # the custom document property that marks our results
}


def _trees():
    for path in sorted(SOURCE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _code_parameters() -> dict[str, int]:
    """Function name -> position of its `code` parameter (self not counted), over the package."""
    found = {}
    for _, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = [a.arg for a in node.args.posonlyargs + node.args.args]
                if names and names[0] in ("self", "cls"):
                    names = names[1:]
                if "code" in names:
                    found[node.name] = names.index("code")
    return found


def _called(node: ast.Call) -> str | None:
    return node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)


def test_every_code_passed_to_a_finding_builder_is_defined():
    takes_code = _code_parameters()
    assert {"at_rows", "sheet_level", "at", "_at"} <= set(takes_code)
    used = []
    for path, tree in _trees():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _called(node) not in takes_code:
                continue
            position = takes_code[_called(node)]
            args = [k.value for k in node.keywords if k.arg == "code"]
            if len(node.args) > position:
                args.append(node.args[position])
            used += [(path.name, node.lineno, a.value) for a in args
                     if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    assert len(used) > 100
    assert [u for u in used if u[2] not in CODES] == []


def test_every_code_like_literal_is_defined():
    """Codes also travel in dicts ({code: (mask, fields)}) and variables: any kebab-case string
    in the source is a code unless it is listed in NOT_CODES."""
    unknown = []
    for path, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEBAB.match(node.value):
                if node.value not in CODES and node.value not in NOT_CODES:
                    unknown.append((path.name, node.lineno, node.value))
    assert unknown == []


def test_cell_unreadable_is_defined():
    # the fast reader's code for a cell it cannot render as text (it was once used undefined)
    assert CODES["cell-unreadable"].severity == "error"
