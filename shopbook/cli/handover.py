"""`shopbook handover` — the courier handover: 交接单 per courier and day, the 底单 to archive or
set aside, and the handover record checked against the shipping register."""
from __future__ import annotations

from pathlib import Path

import click

from shopbook.cli.options import (as_of_option, finish, json_option, parse_as_of, rules_option,
                                  unusable_input_exits_2)

_file = click.Path(dir_okay=False)


def _day(ctx, param, value):
    if value is None:
        return None
    from shopbook.reading.cells import parse_date
    import pandas as pd

    parsed, _ = parse_date(pd.Series([value], dtype=object))
    if pd.isna(parsed.iloc[0]):
        raise click.BadParameter(f"无法识别的日期 {value!r},请写成 2026-10-05")
    return parsed.iloc[0].date()


@click.command(name="handover")
@click.argument("register", metavar="发货登记", type=_file)
@click.argument("handover", metavar="[交接表]", type=_file, required=False)
@click.option("--date", "day", metavar="日期", callback=_day,
              help="只看这一天(默认: 交接表登记的日期范围;没有交接表时为 --as-of 当天)。")
@click.option("--from", "first", metavar="日期", callback=_day, help="从这一天起(与 --to 一起用)。")
@click.option("--to", "last", metavar="日期", callback=_day, help="到这一天止。")
@rules_option
@click.option("-o", "--output", type=_file, help="交接单工作簿(默认: 发货登记旁的 交接单.xlsx)。")
@json_option
@as_of_option
@unusable_input_exits_2
def command(register, handover, day, first, last, rules_path, output, as_json, as_of):
    """快递交接: 按快递公司和日期打印交接单(单号、收件省、重量、价格表运费、件数合计、签字栏),
    核对快递交接表与发货记录(件数、未交接的包裹、签字、底单、称重、报价),列出待归档和要单独存放的底单。

    发货登记: 含发货表的工作簿(也可同时含「快递交接」表);交接表: 单独的快递交接工作簿(可不给)。

    退出码: 0 没有错误;1 有需要处理的错误(件数不符、未交接、未签字、底单未收…);2 输入无法使用。
    """
    from shopbook.handover.run import run_handover

    if day and (first or last):
        raise click.UsageError("--date 与 --from/--to 只能选一种。")
    if day:
        first = last = day
    run = run_handover(Path(register), Path(handover) if handover else None,
                       rules_path=Path(rules_path) if rules_path else None, as_of=parse_as_of(as_of), first=first,
                       last=last, output=Path(output) if output else None, show_progress=not as_json)
    finish(run, as_json)
