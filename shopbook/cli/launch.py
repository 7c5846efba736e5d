"""`shopbook open` — run the job a workbook is for (by what it holds), write the result beside it
and open it; and `shopbook install-shortcuts` — the desktop launcher that runs it on dropped files."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from shopbook.cli.options import as_of_option, parse_as_of, problem_text, unusable_input_exits_2
from shopbook.core.errors import UnusableInput

HOW_TO = ("把工作簿拖到桌面上的 shopbook 图标上(Windows 也可以右键工作簿 → 发送到 → shopbook):"
          "订单表会被校验,快递账单会与旁边的发货登记对账,工资表会算出工资,客服登记表会列出今日待办;"
          "结果写在原工作簿旁边并自动打开。")


@click.command(name="open")
@click.argument("workbooks", metavar="工作簿...", type=click.Path(), nargs=-1)
@as_of_option
@click.option("--no-open", is_flag=True, help="只写出结果,不自动打开。")
@click.option("--gui", is_flag=True, help="出错时弹出对话框(桌面快捷方式使用:没有终端窗口可看)。")
def command(workbooks, as_of, no_open, gui):
    """按工作簿的内容选择要做的事,把结果写在它旁边并打开。

    订单/发货/退换货/库存表 → 校验(<名称>-校验结果.xlsx);快递账单 → 与同一文件夹的 发货.xlsx
    或 台账.xlsx 对账(<名称>-对账结果.xlsx);工资工作簿 → 计算工资(<名称>-YYYY-MM-工资结果.xlsx);
    客服登记表 → 今日待办(<名称>-今日待办.xlsx)。同一文件夹的 规则.xlsx 会被使用。原工作簿不会被改动。

    退出码: 0 完成;1 完成但有需要处理的问题;2 工作簿无法使用或认不出。
    """
    from shopbook.launch import system
    if not workbooks:
        if gui:
            system.show_message(HOW_TO, error=False)
            sys.exit(0)
        raise click.UsageError("请给出至少一个工作簿。")
    worst = 0
    for workbook in workbooks:
        code = _open_one(Path(workbook), parse_as_of(as_of) if as_of else None, no_open, gui)
        worst = max(worst, code)
    sys.exit(worst)


def _open_one(path: Path, as_of, no_open: bool, gui: bool) -> int:
    from shopbook.launch import system
    from shopbook.launch.run import open_file
    try:
        opened = open_file(path, as_of)
    except (UnusableInput, OSError, RuntimeError) as exc:
        text = problem_text(exc)
        if text is None:
            raise
        click.echo(f"错误: {text}", err=True)
        if gui:
            system.show_message(f"shopbook 无法处理 {path.name}:\n{text}")
        return 2
    click.echo(f"{opened.placement.job_zh}({path.name} 中有「{opened.placement.because}」):")
    click.echo(opened.report())
    if not no_open and not system.open_with_desktop(opened.output):
        click.echo(f"没有找到打开工作簿的程序,请自己打开 {opened.output}")
    return opened.exit_code


@click.command(name="install-shortcuts")
@unusable_input_exits_2
def shortcuts_command():
    """安装桌面快捷方式:把工作簿拖到它上面(或在 Windows 用「发送到」)就会运行 shopbook open。

    Windows: 写出 %APPDATA%\\shopbook\\shopbook.bat,并在「发送到」和桌面上各放一个 shopbook 快捷方式;
    Linux: 写出 shopbook.desktop(应用程序菜单和桌面各一个);macOS 暂不支持。
    """
    from shopbook.launch.shortcuts import install
    for path in install():
        click.echo(f"已写出 {path}")
    click.echo(HOW_TO)

