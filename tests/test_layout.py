"""The import direction of issue 14, read from the source (an ast walk over shopbook/):
core → reading/writing → rules → sheets → jobs → their run/xlsx → demo → cli and excel.
Nothing outside cli/ and excel/ imports them (but `python -m shopbook`, __main__.py); the command modules import the shared options,
never the package that registers them nor one another."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "shopbook"


def imports(path: Path) -> set[str]:
    """Every module name `path` imports (at the top or inside a function)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules():
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_nothing_outside_cli_and_excel_imports_them():
    wrong = [(name, used) for name, path in modules().items()
             if not (under(name, "shopbook.cli") or under(name, "shopbook.excel") or name == "shopbook.__main__")
             for used in imports(path) if under(used, "shopbook.cli") or under(used, "shopbook.excel")]
    assert wrong == []


def test_the_demo_imports_no_cli():
    assert [m for m in imports(PACKAGE / "demo.py") if under(m, "shopbook.cli")] == []


def test_command_modules_import_only_the_shared_options():
    shared = {"shopbook.cli.options", "shopbook.cli.zh"}
    wrong = []
    for name, path in modules().items():
        if not under(name, "shopbook.cli") or name in ("shopbook.cli", *shared):
            continue
        for used in imports(path):
            if under(used, "shopbook.cli") and not any(under(used, s) for s in shared):
                wrong.append((name, used))
            if under(used, "shopbook.demo"):
                wrong.append((name, used))
    assert wrong == []


def test_the_excel_adapter_does_not_import_the_cli():
    wrong = [(name, used) for name, path in modules().items() if under(name, "shopbook.excel")
             for used in imports(path) if under(used, "shopbook.cli")]
    assert wrong == []
