"""Every export format of tests/fixtures/formats (scripts/make_format_fixtures.py) end to end through
the CLI, as a new user would run it: read with no renaming, recognised as its format, its planted
mistakes found, its clean rows clean; refunds and after-sales not picked; courier bills reconciled
in their own layouts."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from shopbook.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
AS_OF = MANIFEST["as_of"]


def cases(command: str) -> list:
    return [pytest.param(c, id=c["name"]) for c in MANIFEST["cases"] if c["command"] == command]


def run(*args):
    result = CliRunner().invoke(main, [*map(str, args), "--as-of", AS_OF, "--json"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("case", cases("validate"))
def test_validate_format(case):
    code, data = run("validate", *(FIXTURES / f for f in case["files"]))
    found = {(f["sheet"], f["cell"], f["code"]) for f in data["findings"]}
    codes = {f["code"] for f in data["findings"]}
    assert sorted(s["format"] for s in data["summary"].get("sources", [])) == sorted(case["formats"])
    missing = [tuple(p) for p in case["planted"] if tuple(p) not in found]
    assert not missing, f"planted mistakes not found: {missing}\n{sorted(found)}"
    dirty = [(f["sheet"], f["row"], f["code"]) for f in data["findings"]
             if f["severity"] in ("error", "warning") and [f["sheet"], f["row"]] in case["clean"]]
    assert not dirty, f"clean rows with findings: {dirty}"
    assert set(case["codes"]) <= codes
    assert not set(case["absent"]) & codes
    assert "missing-column" not in codes  # read with no manual renaming
    if case["exit"] is not None:
        assert code == case["exit"]


@pytest.mark.parametrize("case", cases("picklist"))
def test_picklist_format(case, tmp_path):
    orders = [a for f in case["files"] for a in ("--orders", FIXTURES / f)]
    if len(case["files"]) == 1 and case["files"][0].endswith(".xlsx"):
        orders = [FIXTURES / case["files"][0]]
    _, data = run("picklist", *orders, "--stock", FIXTURES / MANIFEST["stock"], "-o", tmp_path / "拣货单.xlsx")
    picked = {o["order_id"] for o in data["orders"]}
    assert set(case["categories"]["picked"]) <= picked
    assert not set(case["categories"]["not_picked"]) & picked


@pytest.mark.parametrize("case", cases("reconcile"))
def test_reconcile_format(case):
    bill = FIXTURES / case["files"][0]
    code, data = run("reconcile", bill, FIXTURES / MANIFEST["register"], "--rules", FIXTURES / MANIFEST["rules"])
    codes = {f["code"] for f in data["findings"]}
    assert set(case["codes"]) <= codes, codes
    assert not set(case["absent"]) & codes
    if case["formats"]:
        assert [s["read_as"].split(";")[0] for s in data["summary"]["sources"]][:1] == \
            [f"识别为 {name}" for name in _names(case["formats"])]
    got: dict[str, list] = {}
    for line in data["lines"]:
        got.setdefault(line["waybill"], []).append(line["category"])
    for waybill, wanted in case["categories"].items():
        assert got.get(waybill) == (wanted if isinstance(wanted, list) else [wanted]), (waybill, got.get(waybill))
    if case.get("bill_total"):
        assert data["summary"]["bill_total"] == case["bill_total"]
    if case["exit"] is not None:
        assert code == case["exit"]


def _names(ids):
    from shopbook.reading.profiles import builtin, by_id
    return [by_id(builtin(), i).name for i in ids]


def test_bill_folder_names_the_file_not_reconciled():
    """In a folder, a file that is no bill is never skipped silently: the report's first line and
    the exit code say it was not reconciled."""
    result = CliRunner().invoke(main, ["reconcile", str(FIXTURES / "bills"), str(FIXTURES / MANIFEST["register"]),
                                       "--rules", str(FIXTURES / MANIFEST["rules"]), "--as-of", AS_OF],
                                catch_exceptions=False)
    first = result.stdout.splitlines()[0]
    assert "未能对账的文件 1 个" in first and "说明.xlsx" in first
    assert result.exit_code == 1
    assert "识别为 顺丰 月结账单" in result.stdout


def test_every_fixture_file_is_in_a_case():
    used = {f for c in MANIFEST["cases"] for f in c["files"]}
    for path in FIXTURES.rglob("*"):
        if path.is_file() and path.parent != FIXTURES and path.parent.name != "bills":
            assert str(path.relative_to(FIXTURES)) in used, path


def test_fixtures_are_reproducible(tmp_path, monkeypatch):
    """The fixtures are what scripts/make_format_fixtures.py writes (csv byte for byte)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("make_format_fixtures",
                                                  Path(__file__).parent.parent / "scripts" / "make_format_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path)
    monkeypatch.setattr(module, "CASES", [])
    monkeypatch.setattr(module, "REGISTER", module.REGISTER[:1])
    module.main()
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8")) == MANIFEST
    for csv in FIXTURES.rglob("*.csv"):
        assert (tmp_path / csv.relative_to(FIXTURES)).read_bytes() == csv.read_bytes(), csv
