"""`shopbook demo`: every job on the demo workbooks shipped inside the package.

Each job has one step here: a function (src, out_dir, rules, as_of, echo) -> None that runs
the job on the demo inputs in `src`, writes its results to `out_dir` and echoes one line. The
steps call the jobs' run modules, never the CLI (which imports this module for `shopbook demo`).
"""
from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

# The demo month is October 2026; its "now" is the evening of its last day.
DEMO_AS_OF = dt.datetime(2026, 10, 31, 18, 0)
# the shop's October ledger: sheets 订单, 发货, 退换货, 库存
LEDGER = "台账.xlsx"
# the warehouse's October courier handover record (快递交接), kept in a workbook of its own
HANDOVER = "交接.xlsx"
# the month the demo pays (its 个税累计 is September's)
DEMO_MONTH = dt.date(2026, 10, 1)
DEMO_PICKER = "马小军"  # the 捡单员 of the demo payroll


def demo_dir() -> Path:
    return Path(str(resources.files("shopbook") / "data" / "demo"))


def validate_step(src: Path, out_dir: Path, rules: Path | None, as_of: dt.datetime, echo) -> None:
    """The demo ledger (台账.xlsx: 订单, 发货, 退换货, 库存 in one workbook, so the cross-sheet rules run)."""
    from shopbook.sheets.run import run_validate

    path = src / LEDGER
    if not path.exists():
        echo("校验: 演示数据中没有台账,跳过。")
        return
    result = run_validate(path, rules, as_of, output=out_dir / f"{path.stem}-校验结果.xlsx")
    s = result.findings["severity"].value_counts()
    checked = ",".join(f"{sheet} {n} 行" for sheet, n in result.validation.rows_checked.items())
    echo(f"校验 {path.name}({checked}): 错误 {s.get('error', 0)},警告 {s.get('warning', 0)},"
         f"提示 {s.get('info', 0)} -> {result.written}")


def picklist_step(src: Path, out_dir: Path, rules: Path | None, as_of: dt.datetime, echo) -> None:
    """The pick list on the demo ledger 台账.xlsx (订单, 库存, 发货) with the demo rules, picked by the
    demo's 捡单员; it starts from the demo's October record (拣货单.xlsx) each time."""
    import shutil

    from shopbook.picking.run import run_picklist

    ledger = src / "台账.xlsx"
    output = out_dir / "拣货单.xlsx"
    if not ledger.exists():
        echo("拣货单: 演示数据中没有 台账.xlsx,跳过。")
        return
    if output.exists():
        output.unlink()  # the demo starts from the same record, so it shows the same result every time
    if (src / "拣货单.xlsx").exists():
        shutil.copyfile(src / "拣货单.xlsx", output)
    run = run_picklist(ledger, rules_path=rules, as_of=as_of, output=output, picker=DEMO_PICKER)
    r = run.result
    pieces = int(r.lines["数量"].sum()) if len(r.lines) else 0
    echo(f"拣货单 {r.batch_id or '(无新批次)'}: 拣货 {r.order_count} 单 {pieces} 件({len(r.wave)} 个拣货行),"
         f"缺货 {r.shortages['订单号'].nunique()} 单,暂缓 {r.held['订单号'].nunique(dropna=False)} 单 -> {run.output}")


def handover_step(src: Path, out_dir: Path, rules: Path | None, as_of: dt.datetime, echo) -> None:
    """The demo register (台账.xlsx) with the demo handover record (交接.xlsx): October's 交接单,
    the planted lapses found, the 底单 to archive and set aside."""
    from shopbook.handover.run import run_handover

    register, handover = src / LEDGER, src / HANDOVER
    if not register.exists() or not handover.exists():
        echo("快递交接: 演示数据中没有台账或交接表,跳过。")
        return
    run = run_handover(register, handover, rules_path=rules, as_of=as_of, output=out_dir / "交接单.xlsx")
    r, c = run.result, run.counts()
    todo = int((r.archive["item"] == "待归档").sum()) if len(r.archive) else 0
    sev = run.findings["severity"].value_counts()
    lists = r.lines.groupby(["day", "courier"]).ngroups if len(r.lines) else 0
    echo(f"快递交接 {r.first:%m-%d}~{r.last:%m-%d}: 交接单 {lists} 张({int(r.lines['parcels'].sum())} 件),"
         f"件数不符 {c['handover-count-mismatch']} 次,未交接 {c['handover-missing']} 件,待归档底单 {todo} 份,"
         f"单独存放 {len(r.archive) - todo} 张;错误 {sev.get('error', 0)},警告 {sev.get('warning', 0)} -> {run.output}")


def reconcile_step(src: Path, out_dir: Path, rules: Path | None, as_of: dt.datetime, echo) -> None:
    """The demo bills (快递账单.xlsx and 快递账单-中通.csv) against the 发货 sheet of the demo ledger."""
    from shopbook.courier.run import run_reconcile

    bills = sorted(p for p in src.glob("快递账单*") if p.suffix.lower() in (".xlsx", ".csv"))
    register = src / LEDGER  # 台账.xlsx: its 发货 sheet is the shipping register
    if not bills or not register.exists():
        echo("快递对账: 没有演示账单或台账,跳过。")
        return
    handover = src / HANDOVER  # the warehouse's handover record: evidence in 争议明细
    result = run_reconcile(bills, register, rules, as_of, output=out_dir / "对账结果.xlsx",
                           handover=handover if handover.exists() else None)
    s = result.result.summary
    echo(f"快递对账: {len(result.result.lines)} 行账单,争议/索赔/抵扣 {len(result.result.disputes())} 行,"
         f"已发未计费 {s['counts']['not-billed']} 件,应付 {s['net_payable'] / 100:,.2f} 元 -> {result.written}")


def payroll_step(src: Path, out_dir: Path, rules: Path | None, as_of: dt.datetime, echo) -> None:
    """Payroll for October 2026 on the demo 工资.xlsx (its 个税累计 is September's)."""
    from shopbook.payroll.run import run_payroll
    path = src / "工资.xlsx"
    if not path.exists():
        return
    # the records the counts 绩效 leaves blank come from: the 客服 registers, the ledger (包装人, the
    # orders' 客服) and October's pick record beside it (拣货单.xlsx, read with the ledger) — the same
    # files the month report's payroll finds in the folder
    records = [p for p in (src / "客服.xlsx", src / "台账.xlsx") if p.exists()]
    run = run_payroll(path, DEMO_MONTH, rules, output=out_dir / "工资结果.xlsx", bank_csv=out_dir / "银行代发.csv",
                      registers=records or None, as_of=as_of)
    s = run.findings["severity"].value_counts()
    echo(f"工资 {DEMO_MONTH:%Y-%m}: {len(run.result.slips)} 人,实发合计 {run.result.totals['net']:.2f},"
         f"银行代发 {len(run.result.bank)} 人;错误 {s.get('error', 0)},警告 {s.get('warning', 0)} -> {run.written}")


def month_step(src: Path, out_dir: Path, rules: Path | None, as_of: dt.datetime, echo) -> None:
    """The month of the demo data (the month of as_of) with its 上月 folder -> 月报-YYYY-MM.xlsx."""
    from shopbook.monthly.job import PUBLIC
    from shopbook.core.months import month_label
    from shopbook.monthly.run import run_month
    month = dt.date(as_of.year, as_of.month, 1)
    run = run_month(src, month, rules, as_of, output=out_dir / f"月报-{month_label(month)}.xlsx")
    f = run.report.figures
    errors = int((run.findings["severity"] == "error").sum()) if len(run.findings) else 0
    agents = [a for a in run.report.agents["客服"] if a != PUBLIC]
    reviews = run.report.reviews
    improved = "" if reviews is None else \
        f"好评改善 {len(reviews)} 人(差评 {int(reviews['差评数'].sum())},改好 {int(reviews['差评改好数'].sum())});"
    echo(f"月报 {month_label(month)}: {f['orders']} 单,销售额 {f['sales'] / 100:,.2f} 元,"
         f"{len(agents)} 位客服 + 公共订单;{improved}需处理 {errors} 项 -> {run.written}")


def stock_step(src: Path, out_dir: Path, rules: Path | None, as_of: dt.datetime, echo) -> None:
    """The stock ledger of the demo month: 台账.xlsx (库存, 订单, 发货, 退换货) + 仓库.xlsx (入库,
    采购清单, 库存调整) -> 库存结果.xlsx."""
    from shopbook.stockbook.run import run_stock
    books = [src / "台账.xlsx", src / "仓库.xlsx"]
    if not all(p.exists() for p in books):
        echo("库存: 演示数据中没有 台账.xlsx 和 仓库.xlsx,跳过。")
        return
    run = run_stock(books, rules_path=rules, as_of=as_of, output=out_dir / "库存结果.xlsx")
    echo(f"{run.headline()} -> {run.output}")


def today_step(src: Path, out_dir: Path, rules: Path | None, as_of: dt.datetime, echo) -> None:
    """今日待办 on the demo ledger 台账.xlsx and registers 客服.xlsx, with the 拣货批次 record the pick
    list step wrote (when it ran before)."""
    from shopbook.today.run import run_today

    books = [src / "台账.xlsx", src / "客服.xlsx", out_dir / "拣货单.xlsx"]
    if not books[1].exists():
        echo("今日待办: 演示数据中没有 客服.xlsx,跳过。")
        return
    run = run_today([p for p in books if p.exists()], rules_path=rules, as_of=as_of, output=out_dir / "今日待办.xlsx")
    r = run.result
    busy = ",".join(f"{name} {n}" for name, n in r.counts.items() if n)
    echo(f"今日待办 {as_of:%Y-%m-%d %H:%M}: {sum(r.counts.values())} 项(逾期 {sum(r.overdue.values())}),{busy};"
         f"客服绩效 {len(r.pay)} 人 -> {run.output}")


def steps():
    """The demo steps in order."""
    return [validate_step, picklist_step, handover_step, reconcile_step, payroll_step, month_step, stock_step,
            today_step]


def run_demo(out_dir: Path, as_of: dt.datetime | None = None, echo=print) -> None:
    as_of = as_of or DEMO_AS_OF
    src = demo_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    rules = src / "规则.xlsx"
    rules = rules if rules.exists() else None
    for step in steps():
        step(src, out_dir, rules, as_of, echo)
    echo(f"演示结果已写到 {out_dir}")
