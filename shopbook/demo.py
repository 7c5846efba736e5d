"""`shopbook demo`: every job on the demo workbooks shipped inside the package.

Each job contributes one step: a function (src, out_dir, rules, as_of, echo) -> None that
runs the job on the demo inputs in `src` and writes its results to `out_dir`.
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


def steps():
    """The demo steps in order; each job adds its own here."""
    import shopbook.cli  # noqa: F401  (load it before the cli_* modules, which import it)
    from shopbook.cli import picklist as cli_picklist
    from shopbook.cli import handover as cli_handover
    from shopbook.cli import reconcile as cli_reconcile
    from shopbook.cli import payroll as cli_payroll
    from shopbook.cli import month as cli_month
    from shopbook.cli import stock as cli_stock
    from shopbook.cli import today as cli_today
    return [validate_step, cli_picklist.demo_step, cli_handover.demo_step, cli_reconcile.demo_step,
            cli_payroll.demo_step, cli_month.demo_step, cli_stock.demo_step, cli_today.demo_step]


def run_demo(out_dir: Path, as_of: dt.datetime | None = None, echo=print) -> None:
    as_of = as_of or DEMO_AS_OF
    src = demo_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    rules = src / "规则.xlsx"
    rules = rules if rules.exists() else None
    for step in steps():
        step(src, out_dir, rules, as_of, echo)
    echo(f"演示结果已写到 {out_dir}")
