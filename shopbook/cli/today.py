"""`shopbook today` — the 客服 day: one 今日待办 workbook with a list per kind of work, sorted by
deadline, the checks on the 评价/投诉/交接班/联系记录 registers and the month's 客服绩效."""
from __future__ import annotations

from pathlib import Path

import click

from shopbook.cli.options import (as_of_option, finish, json_option, month_callback, parse_as_of,
                                  rules_option, unusable_input_exits_2)

_file = click.Path(dir_okay=False)


def _month(ctx, param, value):
    if not value:
        return None
    return month_callback(ctx, param, value)  # YYYY-MM, parsed as payroll parses it


@click.command(name="today")
@click.argument("workbooks", metavar="工作簿...", type=_file, nargs=-1, required=True)
@rules_option
@as_of_option
@click.option("-o", "--output", type=_file, help="今日待办工作簿(默认: 第一个工作簿旁的 今日待办.xlsx)。")
@click.option("--month", metavar="YYYY-MM", callback=_month, help="客服绩效统计的月份(默认: --as-of 所在的月份)。")
@json_option
@unusable_input_exits_2
def command(workbooks, rules_path, as_of, output, month, as_json):
    """今日待办: 每个客服上班时打开的清单——待联系的中差评、即将锁定的评价、交接、截单、退款维权、重拍、
    货到付款、少发补发、异常件、催评、催付、超时未发货,每张清单按期限排序,每行链接到原表的单元格。

    工作簿可以是台账(订单、发货、退换货)、客服登记表(评价、投诉、交接班、联系记录)和拣货单(拣货批次),
    按工作表名或表头识别。退出码: 0 没有待办; 1 有待办或登记表有错误; 2 输入无法使用。
    """
    from shopbook.today.run import run_today

    run = run_today([Path(p) for p in workbooks], rules_path=rules_path and Path(rules_path), as_of=parse_as_of(as_of),
                    month=month, output=output and Path(output), show_progress=not as_json)
    finish(run, as_json)
