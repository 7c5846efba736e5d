"""`shopbook payroll` — the month's 工资表, 工资条, bank payroll file and next month's
个税累计 / 责任金台账 (SPEC §Payroll)."""
from __future__ import annotations

from pathlib import Path

import click

from shopbook.cli.options import finish, json_option, month_callback, parse_as_of, rules_option, unusable_input_exits_2


@click.command(name="payroll")
@click.argument("workbook", metavar="工资工作簿", type=click.Path())
@click.option("--month", required=True, metavar="YYYY-MM", callback=month_callback, help="工资所属月份,如 2026-10。")
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
                          registers=[Path(r) for r in registers], as_of=parse_as_of(as_of))
    finish(run, as_json)
