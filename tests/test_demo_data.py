"""The demo month (scripts/make_demo.py): every planted mistake is found, realistic rows raise
nothing unexpected, the pick list has work and shortages, and the generator is deterministic."""
import datetime as dt
import sys
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_demo  # noqa: E402
from shopbook.demo import DEMO_AS_OF, demo_dir  # noqa: E402
from shopbook.reading.files import open_workbook  # noqa: E402
from shopbook.rules import load_rules  # noqa: E402
from shopbook.sheets.run import validate_books as validate  # noqa: E402

DEMO = demo_dir()
# findings the realistic part of the month raises besides the planted mistakes
NATURAL = {("订单", "public-order"), ("订单", "payment-chase"), ("订单", "cod-reminder"),
           ("库存", "stock-variance"), ("库存", "reorder-alert"), ("发货", "ship-differs-from-order")}


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    make_demo.build(out)
    return out


@pytest.fixture(scope="module")
def october():
    rules, findings = load_rules(DEMO / "规则.xlsx")
    assert findings.empty
    return validate(open_workbook(DEMO / "台账.xlsx"), rules, DEMO_AS_OF, findings)


def _cells(path: Path) -> dict:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


@pytest.mark.parametrize("name", ["台账.xlsx", "规则.xlsx", "仓库.xlsx", "上月/台账.xlsx"])
def test_generator_is_deterministic_and_the_shipped_demo_is_current(rebuilt, name):
    assert _cells(rebuilt / name) == _cells(DEMO / name), f"{name} is stale: run scripts/make_demo.py"


def test_rerun_gives_the_same_bytes(rebuilt, tmp_path):
    make_demo.build(tmp_path)
    for name in ("台账.xlsx", "规则.xlsx", "仓库.xlsx", "上月/台账.xlsx"):
        assert (tmp_path / name).read_bytes() == (rebuilt / name).read_bytes(), name


def test_size_of_the_month(october):
    s = october.sheets
    orders = s.orders.data["订单号"].nunique()
    assert 300 <= orders <= 400
    assert 450 <= len(s.orders.data) <= 600
    assert 80 <= len(s.stock.data) <= 150
    assert 25 <= len(s.returns.data) <= 40
    assert s.orders.header_row == 2 and s.stock.header_row == 2  # a title row above the header


def test_every_planted_mistake_is_found(rebuilt, october):
    found = set(zip(october.findings["sheet"], october.findings["code"]))
    planted = {(p.sheet, p.code) for p in make_demo.PLANTED}
    assert len(make_demo.PLANTED) >= 30
    assert planted - found == set()
    assert found - planted - NATURAL == set()


def test_a_realistic_share_of_errors(october):
    f = october.findings
    errors = f[f["severity"] == "error"]
    rows = sum(october.rows_checked.values())
    assert 0.02 <= len(errors) / rows <= 0.10


def test_pick_list_has_work_and_shortages(tmp_path):
    from shopbook.picking.run import run_picklist

    run = run_picklist(DEMO / "台账.xlsx", rules_path=DEMO / "规则.xlsx", as_of=DEMO_AS_OF,
                       output=tmp_path / "拣货单.xlsx")
    r = run.result
    assert 20 <= r.order_count <= 40
    assert r.shortages["订单号"].nunique() >= 2
    assert len(r.held)  # the order with an unknown 商品编码


def test_rules_of_the_demo_month():
    from shopbook.rules.prices import parse_price_table
    from shopbook.rules.pay import load_pay_scheme

    rules, findings = load_rules(DEMO / "规则.xlsx")
    assert findings.empty
    assert load_pay_scheme(rules)[1].empty
    assert parse_price_table(rules.tables["快递价格"], rules)[1].empty
    assert dt.date(2026, 10, 1) in rules.promotion_days and dt.date(2026, 10, 20) in rules.promotion_days
    roster = rules.tables["排班"]
    assert set(roster["客服"]) == set(make_demo.AGENTS)
    assert len(roster) >= 31 * 3


def test_previous_month_is_lighter_and_nearly_clean():
    rules, _ = load_rules(DEMO / "规则.xlsx")
    result = validate(open_workbook(DEMO / "上月" / "台账.xlsx"), rules, dt.datetime(2026, 9, 30, 23, 59))
    s = result.sheets
    assert s.stock is None and s.shipping is not None and s.returns is not None
    assert 150 <= s.orders.data["订单号"].nunique() <= 250
    assert s.orders.data["下单时间"].dt.month.eq(9).all()
    codes = set(result.findings["code"]) - {"ship-blocked-order", "public-order"}
    assert len(codes) <= 4
