"""`shopbook reconcile` — courier bill reconciliation (快递对账)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from shopbook.cli.options import as_of_option, json_option, parse_as_of, rules_option, unusable_input_exits_2


@click.command(name="reconcile")
@click.argument("bill", metavar="账单", type=click.Path())
@click.argument("shipments", metavar="发货登记", type=click.Path(dir_okay=False))
@rules_option
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="对账结果工作簿(对账汇总、争议明细、未计费、问题)。")
@json_option
@click.option("--handover", "handover", type=click.Path(dir_okay=False),
              help="快递交接表(工作簿);不给时使用发货登记工作簿中的「快递交接」表(若有)。争议明细据此列出交接凭证。")
@click.option("--full", is_flag=True, help="结果工作簿另加「对账明细」表,列出每一行(较慢:十万行约多 10 秒,百万行约两分钟)。")
@as_of_option
@unusable_input_exits_2
def command(bill, shipments, rules_path, output, as_json, handover, full, as_of):
    """核对快递公司月结账单(账单: .xlsx/.csv 文件或一个文件夹)与发货登记。

    每行账单归入一类: 相符、未发货、重复计费、超重、运费不符、丢件/破损索赔、无法送达抵扣;
    已发货未计费的包裹另列。退出码: 0 全部相符,1 有争议/索赔/抵扣,2 输入无法使用。
    """
    from shopbook.courier.run import run_reconcile

    result = run_reconcile(Path(bill), Path(shipments), rules_path and Path(rules_path), parse_as_of(as_of),
                           output=output and Path(output), full=full, show_progress=not as_json,
                           handover=handover and Path(handover))
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
    else:
        click.echo(result.report())
    sys.exit(result.exit_code)
