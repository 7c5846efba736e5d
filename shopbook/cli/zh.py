"""click's own words in Chinese: usage lines, option tables, error lines.

click marks its texts for gettext but ships no translations, so its modules' `_` and
`ngettext` are pointed at the table below; metavars of click's built-in types (FILE, PATH …)
are translated where the help is formatted.
"""
from __future__ import annotations

import re
import unicodedata

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types
import click.utils
from click._compat import strip_ansi

WORDS = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s,版本 %(version)s",
    "Error: {message}": "错误: {message}",
    "Try '{command} {option}' for help.": "用「{command} {option}」查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数: {param_name}",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Option {name!r} does not take a value.": "选项 {name!r} 后面不能跟值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 后面要跟一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 后面要跟 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多出了参数({args})",
    "Got unexpected extra arguments ({args})": "多出了参数({args})",
    "Did you mean {possibility}?": "是不是要写 {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(是不是要写其中之一: {possibilities}?)",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效: {message}",
    "Invalid value: {message}": "值无效: {message}",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 要 {nargs} 个值。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值,只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值,给了 {len} 个。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合格式 {formats}。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值,可用: {states}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件,不是文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹,不是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取(没有权限)。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入(没有权限)。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}: {message}",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "required": "必填",
    "default: {default}": "默认: {default}",
    "env var: {var}": "环境变量: {var}",
    "deprecated": "已停用",
    "Aborted!": "已中止。",
    "Choose from:\n\t{choices}": "可选:\n\t{choices}",
    "unknown error": "未知错误",
    "Value must be an iterable.": "值必须是一组。",
}

# metavars click derives from its types, shown in usage lines and option tables
METAVARS = {
    "OPTIONS": "选项", "COMMAND": "命令", "ARGS": "参数", "TEXT": "文本", "PATH": "路径",
    "FILE": "文件", "DIRECTORY": "文件夹", "INTEGER": "整数", "FLOAT": "数字", "BOOLEAN": "是/否",
}
_METAVAR = re.compile(r"\b(" + "|".join(METAVARS) + r")\b")


def translate(message: str) -> str:
    return WORDS.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


def chinese_metavars(text: str) -> str:
    """"[OPTIONS] COMMAND [ARGS]..." -> "[选项] 命令 [参数]..."; other words unchanged."""
    return _METAVAR.sub(lambda m: METAVARS[m.group(1)], text)


def display_width(text: str) -> int:
    """Terminal columns of `text`: Chinese characters take two (click counts one)."""
    text = strip_ansi(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _missing_parameter_message(self) -> str:
    message = _original_missing_message(self)
    return message[:-1] + "。" if message.endswith(".") else message


_original_missing_message = click.exceptions.MissingParameter.format_message


class ChineseHelpFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, chinese_metavars(args), prefix)

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(chinese_metavars(first), second) for first, second in rows], col_max, col_spacing)


def install() -> None:
    """Point click's gettext names at the table (idempotent)."""
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser,
                   click.termui, click.types, click.utils):
        if hasattr(module, "_"):
            module._ = translate
        if hasattr(module, "ngettext"):
            module.ngettext = translate_plural
    click.Context.formatter_class = ChineseHelpFormatter
    click.formatting.term_len = display_width
    click.exceptions.MissingParameter.format_message = _missing_parameter_message
