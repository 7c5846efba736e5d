"""`shopbook payroll` — the month's 工资表, 工资条, bank payroll file and next month's
个税累计 / 责任金台账 (SPEC §Payroll); plus its demo step."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from shopbook.cli import _as_of, finish, json_option, rules_option, unusable_input_exits_2

DEMO_MONTH = dt.date(2026, 10, 1)


def _month(ctx, param, value):
    from shopbook.payroll.months import parse_month
    try:
        return parse_month(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command(name="payroll")
@click.argument("workbook", metavar="工资工作簿", type=click.Path())
@click.option("--month", required=True, metavar="YYYY-MM", callback=_month, help="工资所属月份,如 2026-10。")
@rules_option
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="结果工作簿(默认: 与输入同目录的 <名称>-YYYY-MM-工资结果.xlsx)。")
@click.option("--bank-csv", type=click.Path(dir_okay=False),
              help="另存银行代发 csv(有错误时不写,见 --force-bank)。")
@click.option("--force-bank", is_flag=True,
              help="有错误时也写出银行代发 csv,文件名加「-未核对」(如 代发-未核对.csv),仅供核对。")
@json_option
@click.option("--merge-bonus", is_flag=True, help="年终奖并入当月工资计税(默认单独计税)。")
@click.option("--registers", "registers", multiple=True, type=click.Path(dir_okay=False), metavar="登记工作簿",
              help="记录工作簿,可给多次,按工作表认出:客服登记(评价、投诉、联系记录)、台账(发货表的包装人、订单表的"
                   "客服归属)、拣货单(拣货批次的拣货人)。绩效表空着的 差评数、差评改好数、催评数、投诉处理数、拣货单数、"
                   "发货单数、个人销售额 按它统计,填了但不一致的列为问题。")
@click.option("--as-of", "as_of", metavar="时间", help="奖罚评分表的制表日期(默认: 今天),晚于发薪日前一天时提示。")
@unusable_input_exits_2
def command(workbook, month, rules_path, output, bank_csv, force_bank, as_json, merge_bonus, registers, as_of):
    """计算工资:工资表、工资条、银行代发文件,以及下月用的个税累计和责任金台账。"""
    from shopbook.sheets.run import progress
    from shopbook.payroll.run import run_payroll
    with progress(f"正在计算 {month:%Y-%m} 工资 …", not as_json):
        run = run_payroll(Path(workbook), month, rules_path and Path(rules_path), output=output and Path(output),
                          bank_csv=bank_csv and Path(bank_csv), merge_bonus=merge_bonus, force_bank=force_bank,
                          registers=[Path(r) for r in registers], as_of=_as_of(as_of))
    finish(run, as_json)


def demo_step(src: Path, out_dir: Path, rules: Path | None, as_of: dt.datetime, echo) -> None:
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
