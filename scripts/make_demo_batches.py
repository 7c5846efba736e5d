"""Write the demo pick-batch record shopbook/data/demo/拣货单.xlsx: October's 拣货批次 against the
demo register, so payroll counts the 捡单员's 拣货单数 from it.

    python scripts/make_demo_batches.py            # into shopbook/data/demo/ (after make_demo.py)
    python scripts/make_demo_batches.py --out DIR  # reads DIR/台账.xlsx, writes DIR/拣货单.xlsx

The orders of each day's 正常 parcels in the 发货 sheet of 台账.xlsx form that day's batch
JH<day>-01, picked by 马小军 (the demo payroll's 捡单员) at 08:30 or a quarter of an hour after the
batch's last payment, every batch closed (its orders shipped). One batch (PLANTED) has no 拣货人:
payroll lists its orders as counted for nobody. The demo's own pick list (`shopbook demo`) starts
from this record and adds the evening batch JH20261031-02.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_workbooks as mw  # noqa: E402
from shopbook.picking import job as picking  # noqa: E402
from shopbook.picking.xlsx import write_picklist  # noqa: E402
from shopbook.reading.files import open_workbook  # noqa: E402
from shopbook.reading.tables import read_table  # noqa: E402
from shopbook.sheets.orders import ORDERS  # noqa: E402
from shopbook.sheets.shipping import SHIPPING  # noqa: E402
from shopbook.sheets.stock import STOCK  # noqa: E402

DEMO = ROOT / "shopbook" / "data" / "demo"
PICKER = "马小军"
PLANTED = dt.date(2026, 10, 17)  # the batch picked this evening has no 拣货人
PICK_TIME = dt.time(8, 30)  # the morning round; a batch waits for the day's last order shipped with it


def records(ledger: Path) -> pd.DataFrame:
    """The record (RECORD_COLUMNS) of every batch behind the register's 正常 parcels."""
    book = open_workbook(ledger)
    orders, shipping, stock = (read_table(book, k) for k in (ORDERS, SHIPPING, STOCK))
    s = shipping.data
    s = s[s["发货日期"].notna() & s["订单号"].notna() & (s["类型"].fillna("正常") == "正常")]
    shipped = s.drop_duplicates("订单号").set_index("订单号")["发货日期"]
    lines = orders.data[orders.data["订单号"].isin(shipped.index)].copy()
    locations = stock.data.drop_duplicates("商品编码").set_index("商品编码")["库位"]
    picked = lines["订单号"].map(shipped).dt.normalize().dt.date
    paid = pd.to_datetime(lines.get("付款时间")).fillna(pd.to_datetime(lines.get("下单时间")))
    latest = paid.groupby(picked).max()
    when = {d: max(dt.datetime.combine(d, PICK_TIME), (latest[d] + pd.Timedelta(minutes=15)).floor("min")
                                                          .to_pydatetime()) for d in latest.index}
    rows = pd.DataFrame({
        "批次号": [f"JH{d:%Y%m%d}-01" for d in picked],
        "拣货时间": [when[d] for d in picked],
        "订单号": lines["订单号"], "付款时间": lines.get("付款时间"), "付款方式": lines.get("付款方式"),
        "收件人": lines.get("收件人"), "快递公司": lines.get("快递公司"), "商品编码": lines["商品编码"],
        "商品名称": lines.get("商品名称"), "颜色": lines.get("颜色"), "尺码": lines.get("尺码"), "规格": None,
        "库位": lines["商品编码"].map(locations), "数量": lines["数量"].fillna(1).astype("int64"),
        "赠品": None, "顾客要求": None, "合并发货": None,
        "拣货人": [None if d == PLANTED else PICKER for d in picked],
    })
    rows = rows.assign(_t=rows["拣货时间"], _p=pd.to_datetime(rows["付款时间"]))
    rows = rows.sort_values(["_t", "_p", "订单号"], kind="stable").drop(columns=["_t", "_p"])
    rows = rows[picking.RECORD_COLUMNS].reset_index(drop=True).astype(object)
    return rows.where(rows.notna(), None)


def build(out: Path = DEMO) -> list[Path]:
    ledger = out / "台账.xlsx" if (out / "台账.xlsx").exists() else DEMO / "台账.xlsx"
    record = records(ledger)
    target = out / "拣货单.xlsx"
    if target.exists():
        target.unlink()
    last = max(record["拣货时间"])
    empty = picking.PickResult(batch_id=None, picked_at=last, lines=picking.empty_records(),
                               shortages=pd.DataFrame(columns=picking.SHORTAGE_COLUMNS),
                               held=pd.DataFrame(columns=picking.HELD_COLUMNS))
    states = picking.batch_states(record, set(record["订单号"]))
    write_picklist(target, empty, record, states, only=(picking.BATCH_SHEET,))
    return [target]


def main(argv=None) -> int:
    return mw.run_cli(build, DEMO, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
