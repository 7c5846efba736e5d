"""`shopbook stock` — the stock ledger: 库存流水, 库存结存 with 账面 computed from the movements,
残次库, the printable 盘点表, 入库异常, next period's 期初 and the 问题 sheet."""
from __future__ import annotations

from pathlib import Path

import click

from shopbook.cli.options import (as_of_option, finish, json_option, parse_as_of, rules_option,
                                  unusable_input_exits_2)

_file = click.Path(dir_okay=False)


def _date(ctx, param, value):
    if not value:
        return None
    try:
        return parse_as_of(value).date()
    except click.BadParameter:
        raise click.BadParameter(f"无法识别的日期 {value!r},请写成 2026-10-01") from None


@click.command(name="stock")
@click.argument("workbooks", metavar="工作簿...", type=_file, nargs=-1, required=True)
@click.option("--from", "start", metavar="日期", callback=_date,
              help="期间第一天(默认: 期初表截至日期的次日;没有期初表时为 --to 所在月的 1 日)。")
@click.option("--to", "end", metavar="日期", callback=_date, help="期间最后一天(默认: --as-of 当天)。")
@click.option("--opening", type=_file, metavar="工作簿",
              help="上一期的库存结果(其中的「期初」表作为本期期初;不给则用库存表的账面数量)。")
@rules_option
@click.option("-o", "--output", type=_file, metavar="工作簿", help="结果工作簿(默认: 第一个工作簿旁的 库存结果.xlsx)。")
@json_option
@as_of_option
@unusable_input_exits_2
def command(workbooks, start, end, opening, rules_path, output, as_json, as_of):
    """库存台账: 入库、出库(发货登记 + 订单)、退货归位、库存调整逐笔记账,算出账面数量、残次和可售。

    工作簿中按表名或表头查找: 库存、期初、入库、采购清单、库存调整、发货、订单、退换货(可分放在几个工作簿里)。

    结果: 库存结存、库存流水、残次库、盘点表(A4 打印)、入库异常、下一期的期初、问题。

    退出码: 0 无错误;1 有错误(如账面为负、入库检验数量不符、调整没有批准人);2 输入无法使用。
    """
    from shopbook.stockbook.run import run_stock
    run = run_stock([Path(p) for p in workbooks], opening=opening and Path(opening), start=start, end=end,
                    rules_path=rules_path and Path(rules_path), as_of=parse_as_of(as_of),
                    output=output and Path(output), show_progress=not as_json)
    finish(run, as_json)
