"""Every word the terminal shows is Chinese: click's own usage, help and error lines included."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from shopbook.cli import main

ENGLISH = ["Usage:", "Options:", "Commands:", "Show this message", "Show the version", "Error:",
           "[required]", "Missing argument", "Missing option", "No such option", "Try '", "[OPTIONS]",
           "COMMAND", "[ARGS]", " FILE", " PATH", " TEXT", " DIRECTORY", "WORKBOOK"]
COMMANDS = sorted(main.commands)


def _english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text]


@pytest.mark.parametrize("command", [[]] + [[name] for name in COMMANDS], ids=lambda c: " ".join(c) or "main")
def test_help_has_no_english_click_words(command):
    result = CliRunner().invoke(main, command + ["--help"])
    assert result.exit_code == 0
    assert "用法:" in result.output
    assert _english_in(result.output) == []


@pytest.mark.parametrize("args", [["validate"], ["validate", "x.xlsx", "--bogus"], ["payroll", "x.xlsx"],
                                  ["nosuchcommand"], ["validate", "x.xlsx", "--rules"], ["month", "--month", "2026-13"]])
def test_usage_errors_are_chinese(args):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "错误:" in result.output
    assert _english_in(result.output) == [], result.output


def test_option_table_aligns_chinese_metavars():
    """Help texts start in one column although 文件/时间 take two columns a character."""
    from shopbook.cli.zh import display_width
    output = CliRunner().invoke(main, ["reconcile", "--help"]).output
    rows = [re.match(r"^(  -.*?\S)\s{2,}\S", line) for line in output.splitlines()]
    starts = {display_width(m.group(0)) for m in rows if m}
    assert len(starts) == 1, output
