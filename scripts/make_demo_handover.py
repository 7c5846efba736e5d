"""Write the demo courier handover record shopbook/data/demo/交接.xlsx against the demo register.

    python scripts/make_demo_handover.py            # into shopbook/data/demo/ (after make_demo.py)
    python scripts/make_demo_handover.py --out DIR  # reads DIR/台账.xlsx, writes DIR/交接.xlsx

One 快递交接 row per courier company and day of the 发货 sheet of 台账.xlsx (the pickup at the
end of the warehouse day): the 快递员, the count he signed for, his weight (each parcel rounded up
to 0.1 kg, as couriers weigh) and his quote (the price table's), the 发货员, signature, 底单, and
the 归档日期 of the 底单 old enough to be archived. `PLANTED` lists the lapses with the finding
code each must produce (tests/test_handover_demo.py checks every one is found): a count short by
one, a pickup never recorded (its parcels: not handed over), a weight off beyond the tolerance, a
quote above the price table, a missing signature, 底单 not received, 底单 not archived after 15
days. The register's own blank 重量 (scripts/make_demo.py) shows up as weight-missing.

Deterministic: the pickups come from the register in order, the lapses from a seeded
random.Random, and the workbook is written with the template writer of make_workbooks.py.
"""
from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_workbooks as mw  # noqa: E402
from shopbook.rules.prices import parse_price_table, price_sheet  # noqa: E402
from shopbook.demo import DEMO_AS_OF  # noqa: E402
from shopbook.handover import job  # noqa: E402
from shopbook.handover.run import read_inputs  # noqa: E402
from shopbook.rules import DEFAULT_RULES, load_rules  # noqa: E402

DEMO = ROOT / "shopbook" / "data" / "demo"
SEED = 17
COURIER_PEOPLE = {"中通": "陈建国", "圆通": "李明辉", "韵达": "赵强", "极兔": "孙磊", "顺丰": "周涛", "申通": "吴波"}
SENDERS = ("老周", "小刘", "阿强")
COLUMNS = mw.TEMPLATE_COLUMNS["快递交接"]
# (finding code, what was planted) — filled by pickups()
PLANTED: list[tuple[str, str]] = []


def register_lines(folder: Path):
    tables, _ = read_inputs(folder / "台账.xlsx")
    rules = load_rules(folder / "规则.xlsx")[0] if (folder / "规则.xlsx").exists() else DEFAULT_RULES
    prices, _ = parse_price_table(price_sheet(rules), rules)
    return job.priced_lines(job.register_lines(tables.shipping.data, rules), prices), rules


def pickups(lines) -> list[dict]:
    """One handover row per courier and day, with the planted lapses."""
    PLANTED.clear()
    rng = random.Random(SEED)
    rows = []
    for (day, courier), group in lines.groupby(job.KEYS, sort=False):
        grams = [-(-int(g) // 100) * 100 if not unknown else 500 for g, unknown in zip(group["grams"], group["unknown"])]
        fee = int(group["fee"].fillna(0).sum()) if group["priced"].all() else None
        date = day.date()
        rows.append({"日期": date, "快递公司": courier, "快递员": COURIER_PEOPLE.get(courier, "快递员"),
                     "交接件数": int(group["parcels"].sum()), "快递员称重": sum(grams) / 1000,
                     "快递员报价": None if fee is None else fee / 100, "发货员": SENDERS[date.toordinal() % 3],
                     "快递员签字": "是", "底单已收": "是",
                     "归档日期": date + dt.timedelta(days=15) if date + dt.timedelta(days=15) <= DEMO_AS_OF.date() else None,
                     "备注": None})
    # the pickup of the lost parcel went unsigned: the claim has no courier's signature behind it
    lost = lines[lines["status"] == "丢件"].iloc[0]
    unsigned = next(r for r in rows if r["日期"] == lost["day"].date() and r["快递公司"] == lost["courier"])
    unsigned["快递员签字"] = "否"
    unsigned["备注"] = "快递员赶时间没签"
    PLANTED.append(("handover-unsigned", f"{unsigned['日期']} {unsigned['快递公司']} 快递员没签字(丢件那天)"))
    mid = [r for r in rows if dt.date(2026, 10, 5) <= r["日期"] <= dt.date(2026, 10, 25) and r is not unsigned]
    rng.shuffle(mid)
    picks = iter(mid)

    def pick(test=lambda r: True):
        return next(r for r in picks if test(r))

    r = pick(lambda r: r["快递公司"] == "中通" and r["交接件数"] >= 4)
    r["交接件数"] -= 1
    r["备注"] = "快递员说少了一件,未查"
    PLANTED.append(("handover-count-mismatch", f"{r['日期']} 中通 交接件数少一件"))
    r = pick(lambda r: r["快递公司"] in ("韵达", "顺丰", "极兔") and r["交接件数"] <= 2)
    rows.remove(r)
    PLANTED.append(("handover-missing", f"{r['日期']} {r['快递公司']} 的交接没有登记"))
    r = pick(lambda r: r["快递公司"] == "圆通" and r["交接件数"] <= 5)
    r["快递员称重"] = round(r["快递员称重"] + 1.5, 2)
    PLANTED.append(("handover-weight-differs", f"{r['日期']} 圆通 快递员称重多 1.5 kg"))
    r = pick(lambda r: r["快递员报价"] is not None)
    r["快递员报价"] = round(r["快递员报价"] + 2, 2)
    PLANTED.append(("handover-price-differs", f"{r['日期']} {r['快递公司']} 快递员报价多 2 元"))
    r = pick()
    r["底单已收"] = "否"
    PLANTED.append(("handover-slips-missing", f"{r['日期']} {r['快递公司']} 底单没收回"))
    r = pick(lambda r: r["日期"] <= DEMO_AS_OF.date() - dt.timedelta(days=16))
    r["归档日期"] = None
    PLANTED.append(("handover-not-archived", f"{r['日期']} {r['快递公司']} 底单超过 15 天未归档"))
    PLANTED.append(("weight-missing", "台账发货表中一个包裹没有重量(scripts/make_demo.py)"))
    return rows


def build(out: Path = DEMO) -> list[Path]:
    lines, _ = register_lines(out)
    rows = pickups(lines)
    path = out / "交接.xlsx"
    book = mw.Book(path)
    mw.write_table(book, "快递交接", mw.kind_columns("快递交接"), [[r.get(c) for c in COLUMNS] for r in rows],
                   title="2026年10月 快递交接登记(每次快递员收件一行)")
    book.close()
    return [path]


def main(argv=None) -> int:
    return mw.run_cli(build, DEMO, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
