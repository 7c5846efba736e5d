"""The demo month's 客服 registers (scripts/make_demo_service.py): deterministic and current, keyed to
real orders of the demo ledger, every planted lapse found at the demo's as-of, nothing else raised."""
import sys
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_demo_service  # noqa: E402
from shopbook.demo import DEMO_AS_OF, demo_dir  # noqa: E402
from shopbook.reading.files import open_workbook  # noqa: E402
from shopbook.reading.tables import read_table  # noqa: E402
from shopbook.sheets.orders import ORDERS  # noqa: E402
from shopbook.today import job  # noqa: E402
from shopbook.today.run import run_today  # noqa: E402

DEMO = demo_dir()


def _cells(path: Path) -> dict:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("service")
    make_demo_service.build(out)
    return out


@pytest.fixture(scope="module")
def demo_day(tmp_path_factory):
    out = tmp_path_factory.mktemp("today")
    make_demo_service.build(out)  # fills PLANTED
    return run_today([DEMO / "台账.xlsx", DEMO / "客服.xlsx"], rules_path=DEMO / "规则.xlsx", as_of=DEMO_AS_OF,
                     output=out / "今日待办.xlsx")


def test_generator_is_deterministic_and_the_shipped_registers_are_current(rebuilt, tmp_path):
    assert _cells(rebuilt / "客服.xlsx") == _cells(DEMO / "客服.xlsx"), "客服.xlsx is stale: run scripts/make_demo_service.py"
    make_demo_service.build(tmp_path)
    assert (tmp_path / "客服.xlsx").read_bytes() == (rebuilt / "客服.xlsx").read_bytes()


def test_registers_are_keyed_to_real_orders(demo_day):
    t = demo_day.inputs.tables
    orders = set(read_table(open_workbook(DEMO / "台账.xlsx"), ORDERS).data["订单号"])
    for table, column in ((t.reviews, "订单号"), (t.complaints, "订单号"), (t.contacts, "订单号"),
                          (t.handovers, "关联订单")):
        assert set(table.data[column].dropna()) <= orders, table.sheet
    assert 15 <= len(t.reviews.data) <= 40 and 10 <= len(t.complaints.data) <= 30


def test_every_planted_lapse_is_found(demo_day):
    f = demo_day.findings
    lists = demo_day.result.lists
    for p in make_demo_service.PLANTED:
        if p.expect.startswith("list:"):
            items = lists[p.expect[5:]]
            assert (items["sheet"] == p.sheet).any() or p.sheet == "联系记录", p
            assert len(items), p
        else:
            assert ((f["sheet"] == p.sheet) & (f["code"] == p.expect)).any(), p


def test_nothing_unplanted_is_raised(demo_day):
    planted = {(p.sheet, p.expect) for p in make_demo_service.PLANTED if not p.expect.startswith("list:")}
    raised = set(zip(demo_day.findings["sheet"], demo_day.findings["code"])) - {(job.CUT_OFF, "today-list-skipped")}
    assert raised == planted  # (截单 needs the pick list's 拣货批次, which the demo writes first)


def test_the_demo_day_has_work_on_most_lists(demo_day):
    counts = demo_day.result.counts
    empty = {name for name, n in counts.items() if not n}
    assert empty <= {job.CUT_OFF, job.REORDERED}  # the pick list of the same moment, no re-placed order
    assert demo_day.result.pay["客服"].tolist()[:2] == list(make_demo_service.AFTER_SALES)
