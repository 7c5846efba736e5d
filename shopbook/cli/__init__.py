"""The terminal commands: each parses its options, calls the library, prints, exits.

Exit codes: 0 clean (warnings allowed), 1 errors found, 2 unusable input or usage.
"""
from __future__ import annotations

from pathlib import Path

import click

from shopbook.cli import zh as cli_zh
from shopbook.cli.options import (as_of_option, finish, json_option, parse_as_of, rules_option,
                                  unusable_input_exits_2)

cli_zh.install()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="shopbook")
def main():
    """shopbook — 网店后台表格的校验、拣货、对账、工资与月报工具。"""


@main.command()
@click.argument("workbooks", metavar="工作簿...", type=click.Path(), nargs=-1, required=True)
@rules_option
@as_of_option
@json_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="另存一份标注了问题的工作簿。")
@click.option("--in-place", is_flag=True, help="直接在原工作簿上标注(先自动备份)。")
@unusable_input_exits_2
def validate(workbooks, rules_path, as_of, as_json, output, in_place):
    """校验订单、发货、退换货、库存表,标出每个有问题的单元格。

    可以一次给出几个文件(或一个文件夹)一起校验,例如淘宝的订单报表和宝贝报表
    (ExportOrderList.csv ExportOrderDetailList.csv),它们按订单编号合并。
    """
    from shopbook.sheets.run import run_validate
    if output and in_place:
        raise click.UsageError("-o 与 --in-place 只能选一个。")
    paths = [Path(w) for w in workbooks]
    if (output or in_place) and (len(paths) > 1 or paths[0].is_dir()):
        raise click.UsageError("几个文件一起校验时不能用 -o 或 --in-place(标注只能写在一个工作簿里);请用 --json 或分别校验。")
    result = run_validate(paths if len(paths) > 1 else paths[0], rules_path and Path(rules_path), parse_as_of(as_of),
                          output=output and Path(output), in_place=in_place, show_progress=not as_json)
    finish(result, as_json)


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="shopbook-demo", show_default=True,
              help="结果输出文件夹。")
@as_of_option
@unusable_input_exits_2
def demo(out_dir, as_of):
    """在自带的演示工作簿上运行所有功能,结果写到 --out 文件夹。"""
    from shopbook.demo import run_demo
    run_demo(Path(out_dir), parse_as_of(as_of) if as_of else None, echo=click.echo)


def _add_job_commands() -> None:
    # each job keeps its command in its own module (shopbook/cli/<job>.py)
    from shopbook.cli import handover as cli_handover
    from shopbook.cli import launch as cli_launch
    from shopbook.cli import month as cli_month
    from shopbook.cli import payroll as cli_payroll
    from shopbook.cli import picklist as cli_picklist
    from shopbook.cli import reconcile as cli_reconcile
    from shopbook.cli import stock as cli_stock
    from shopbook.cli import today as cli_today
    for module in (cli_picklist, cli_handover, cli_reconcile, cli_payroll, cli_month, cli_stock, cli_today):
        main.add_command(module.command)
    main.add_command(cli_launch.command)
    main.add_command(cli_launch.shortcuts_command)


_add_job_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
