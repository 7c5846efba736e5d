"""The layout's rules (issue 14), checked on the source: imports go one way — core → reading/writing →
rules → sheets → the jobs → their adapters → demo → cli and excel — and no module grows past 500
lines. An ast walk, so a lazy import inside a function counts too."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "shopbook"
JOBS = {"picking", "courier", "payroll", "monthly", "stockbook", "today", "handover"}
ADAPTERS = {"run", "xlsx"}  # a job's file adapter and workbook writer (sheets/run is validate's)
LIMIT = 500


def rank(module: tuple[str, ...]) -> float:
    """Lower layers never import higher ones."""
    top = module[0]
    if top in ("core",):
        return 0
    if top in ("reading", "writing"):
        return 1
    if top == "rules":
        return 2
    if top == "sheets":
        return 4.5 if module[-1] in ADAPTERS else 3
    if top in JOBS:
        return 4.5 if module[-1] in ADAPTERS else 4
    if top in ("demo", "launch"):  # the demo and the one-click launcher run the jobs' adapters
        return 5
    if top in ("cli", "excel"):
        return 6
    return 7  # __main__


# lazy imports that still go downhill in meaning; each says why it stays
ALLOWED = {
    # the 来源格式 rule table names sheet kinds and their columns: the kinds are declared with their checks
    ("rules", "__init__"): {("courier", "job"), ("sheets", "orders"), ("sheets", "returns"), ("sheets", "shipping")},
}
PENDING: set[str] = set()  # packages still being moved


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        yield path, parts


def imported(path: Path):
    """The shopbook modules a file imports (package, module), whether at the top or in a function."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "shopbook":
            mod = node.module.split(".")[1:]
            if mod:
                yield tuple(mod)
            else:
                for alias in node.names:
                    yield (alias.name,)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("shopbook."):
                    yield tuple(alias.name.split(".")[1:])


def test_imports_go_one_way():
    wrong = []
    for path, me in modules():
        if me == ("__main__",) or me[0] in PENDING:
            continue
        for target in imported(path):
            if target[0] == me[0] and me[0] not in ("sheets",) or target[0] == "__init__":
                continue
            if ALLOWED.get(me, set()) & {target[:2]}:
                continue
            if rank(target) > rank(me) or (rank(target) == rank(me) == 6 and target[0] != me[0]):
                wrong.append(f"{'/'.join(me)}.py imports shopbook.{'.'.join(target)}")
    assert not wrong, "\n".join(wrong)


def test_nothing_outside_the_adapters_imports_cli_or_excel():
    wrong = [f"{'/'.join(me)}.py imports shopbook.{'.'.join(t)}" for path, me in modules()
             if me[0] not in ("cli", "excel", "__main__", *PENDING) for t in imported(path) if t[0] in ("cli", "excel")]
    assert not wrong, "\n".join(wrong)


# modules still to be split (issue 14); the list may only shrink
TOO_LONG = {"picking/job.py", "picking/run.py"}


@pytest.mark.parametrize("path", sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")))
def test_no_module_over_500_lines(path):
    lines = len((PACKAGE / path).read_text(encoding="utf-8").splitlines())
    if path in TOO_LONG:
        return
    assert lines <= LIMIT, f"{path}: {lines} lines (at most {LIMIT}: split it by what it does)"


def test_command_modules_import_only_the_shared_options():
    """A command module imports cli/options.py and cli/zh.py, never the package that registers the
    commands, another command, or the demo."""
    wrong = []
    for path, me in modules():
        if me[0] != "cli" or me[1:] in ((), ("__init__",), ("options",), ("zh",)):
            continue
        for target in imported(path):
            if target[0] == "demo" or (target[0] == "cli" and target[1:2] not in (("options",), ("zh",))):
                wrong.append(f"{'/'.join(me)}.py imports shopbook.{'.'.join(target)}")
    assert not wrong, "\n".join(wrong)
