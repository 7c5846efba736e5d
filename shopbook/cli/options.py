"""What every command shares: the common options, the --as-of and --month parsers, the
unusable-input guard (exit 2, one line) and `finish` (print the result, exit with its code).

The command modules import from here, never from the package that registers them
(shopbook/cli/__init__.py), so the CLI has no import circle.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from pathlib import Path

import click

from shopbook.core.errors import UnusableInput


def parse_as_of(value: str | None) -> dt.datetime:
    """The --as-of text as a time (now when not given); a usage error when unreadable."""
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


def month_callback(ctx, param, value):
    """A --month YYYY-MM option as the first day of that month (None when not given)."""
    if value is None:
        return None
    from shopbook.core.months import parse_month
    try:
        return parse_month(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def problem_text(exc: BaseException) -> str | None:
    """The one Chinese line for input the job cannot use (UnusableInput, a file the readers and
    writers did not expect, a symlink loop); None for anything else (a bug: its traceback)."""
    if isinstance(exc, UnusableInput):
        return str(exc)
    if isinstance(exc, OSError):  # the last line of defence
        from shopbook.reading.files import path_problem
        return path_problem(Path(str(exc.filename or "文件")), exc)
    if isinstance(exc, RuntimeError) and str(exc).startswith("Symlink loop"):  # pathlib.resolve before 3.13
        where = str(exc).split("from", 1)[-1].strip(" '\"")
        return f"{where}: 是一个指向自身的符号链接(循环)。"
    return None


def unusable_input_exits_2(command):
    """Unusable input -> one line on stderr and exit 2, never a traceback."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (UnusableInput, OSError, RuntimeError) as exc:
            text = problem_text(exc)
            if text is None:
                raise
            click.echo(f"错误: {text}", err=True)
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
