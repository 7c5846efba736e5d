"""The demo handover record (scripts/make_demo_handover.py): every planted lapse is found, nothing
else is, and the shipped 交接.xlsx is current."""
import shutil
import sys
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_demo_handover  # noqa: E402
from shopbook.demo import DEMO_AS_OF, HANDOVER, LEDGER, demo_dir  # noqa: E402
from shopbook.handover.run import run_handover  # noqa: E402

DEMO = demo_dir()
# what the demo register itself raises (scripts/make_demo.py plants them for validate)
REGISTER_OWN = {"id-stored-as-number", "not-a-number"}


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("handover")
    return run_handover(DEMO / LEDGER, DEMO / HANDOVER, rules_path=DEMO / "规则.xlsx", as_of=DEMO_AS_OF,
                        output=out / "交接单.xlsx")


def _cells(path: Path) -> dict:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_shipped_demo_is_current_and_the_generator_deterministic(tmp_path):
    shutil.copy(DEMO / LEDGER, tmp_path / LEDGER)
    shutil.copy(DEMO / "规则.xlsx", tmp_path / "规则.xlsx")
    first = make_demo_handover.build(tmp_path)[0]
    data = first.read_bytes()
    assert make_demo_handover.build(tmp_path)[0].read_bytes() == data
    assert _cells(first) == _cells(DEMO / HANDOVER), "交接.xlsx is stale: run scripts/make_demo_handover.py"


def test_every_planted_lapse_is_found_and_nothing_else(demo_run):
    make_demo_handover.pickups(make_demo_handover.register_lines(DEMO)[0])
    planted = {code for code, _ in make_demo_handover.PLANTED}
    codes = set(demo_run.findings["code"])
    assert planted <= codes, planted - codes
    assert codes - planted <= REGISTER_OWN, codes - planted - REGISTER_OWN
    counts = demo_run.counts()
    assert counts["handover-count-mismatch"] == 1 and counts["handover-not-archived"] == 1


def test_demo_json_is_strict(demo_run):
    import json
    text = json.dumps(demo_run.as_json(), ensure_ascii=False)
    json.loads(text, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))


def test_demo_month_and_lists(demo_run):
    r = demo_run.result
    assert (f"{r.first}", f"{r.last}") == ("2026-10-01", "2026-10-31")
    assert r.has_handover and len(r.lines) > 250
    apart = r.archive[r.archive["item"] != "待归档"]
    assert sorted(apart["status"]) == ["丢件", "无法送达", "破损"]
    assert demo_run.exit_code == 1
