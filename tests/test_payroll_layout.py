"""The payroll package's shape (issue 14): modules of at most 450 lines (rules/__init__.py 500), imports one way —
rules/ never imports payroll/, payroll/ never imports cli/ or excel/, and only run.py / xlsx.py
touch files."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "shopbook"
MODULES = sorted((ROOT / "payroll").glob("*.py")) + sorted((ROOT / "rules").glob("*.py"))


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_no_module_over_450_lines():
    # rules/__init__.py (the older rule tables) is held to the hard limit of 500
    limit = {ROOT / "rules" / "__init__.py": 500}
    long = {p.name: n for p in MODULES if (n := len(p.read_text(encoding="utf-8").splitlines())) > limit.get(p, 450)}
    assert not long


def test_imports_go_one_way():
    for path in MODULES:
        found = imports(path)
        assert not any(m.startswith(("shopbook.cli", "shopbook.excel")) for m in found), path.name
        if path.parent.name == "rules":
            assert not any(m.startswith("shopbook.payroll") for m in found), path.name


def test_only_the_adapters_touch_files():
    for path in MODULES:
        if path.parent.name == "payroll" and path.name not in ("run.py", "xlsx.py"):
            found = imports(path)
            assert not found & {"openpyxl", "xlsxwriter", "csv", "pathlib", "shopbook.writing.safe"}, path.name
