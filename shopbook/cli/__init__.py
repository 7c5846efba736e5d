"""The terminal commands: each parses its options, calls the library, prints, exits.

Exit codes: 0 clean (warnings allowed), 1 errors found, 2 unusable input or usage.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from pathlib import Path

import click

from shopbook.cli import zh as cli_zh
from shopbook.reading.files import UnusableInput

cli_zh.install()


def _as_of(value: str | None) -> dt.datetime:
    if not value:
        return dt.datetime.now().replace(microsecond=0)
    from shopbook.reading.cells import date_in_range
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            when = dt.datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
        if not date_in_range(when):
            raise click.BadParameter(f"时间 {value!r} 不在 1900–2099 年之间", param_hint="--as-of")
        return when
    raise click.BadParameter(f"无法识别的时间 {value!r},请写成 2026-10-05 或 2026-10-05 16:00", param_hint="--as-of")


def unusable_input_exits_2(command):
    """Unusable input -> one line on stderr and exit 2, never a traceback."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except UnusableInput as exc:
            click.echo(f"错误: {exc}", err=True)
            sys.exit(2)
        except OSError as exc:  # the last line of defence: a file the readers and writers did not expect
            from shopbook.reading.files import path_problem
            where = exc.filename or "文件"
            click.echo(f"错误: {path_problem(Path(str(where)), exc)}", err=True)
            sys.exit(2)
        except RuntimeError as exc:
            if not str(exc).startswith("Symlink loop"):  # pathlib.resolve before Python 3.13
                raise
            where = str(exc).split("from", 1)[-1].strip(" '\"")
            click.echo(f"错误: {where}: 是一个指向自身的符号链接(循环)。", err=True)
            sys.exit(2)
    return wrapper


def finish(result, as_json: bool, report=None) -> None:
    """Print a job's result (its JSON, or its report for people: `result.report()` unless
    another function is given) and exit with its code."""
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
    else:
        click.echo((report or result.report)())
    sys.exit(result.exit_code)


as_of_option = click.option("--as-of", "as_of", metavar="时间",
                            help="按此时间判断催付、超时未发货、盘点过期等(默认: 现在)。")
rules_option = click.option("--rules", "rules_path", type=click.Path(dir_okay=False),
                            help="规则工作簿(模板见 workbooks/规则.xlsx);不给则用内置默认值。")
json_option = click.option("--json", "as_json", is_flag=True, help="只在标准输出打印 JSON 结果。")


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
    result = run_validate(paths if len(paths) > 1 else paths[0], rules_path and Path(rules_path), _as_of(as_of),
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
    run_demo(Path(out_dir), _as_of(as_of) if as_of else None, echo=click.echo)


def _add_job_commands() -> None:
    # each job keeps its command in its own module (shopbook/cli_<job>.py)
    from shopbook.cli import handover as cli_handover
    from shopbook.cli import month as cli_month
    from shopbook.cli import payroll as cli_payroll
    from shopbook.cli import picklist as cli_picklist
    from shopbook.cli import reconcile as cli_reconcile
    from shopbook.cli import stock as cli_stock
    from shopbook.cli import today as cli_today
    for module in (cli_picklist, cli_handover, cli_reconcile, cli_payroll, cli_month, cli_stock, cli_today):
        main.add_command(module.command)


_add_job_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
