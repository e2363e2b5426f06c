"""Every command's --help has examples, and every example names options the command has."""

from __future__ import annotations

import re
import shlex

import pytest
from typer.testing import CliRunner

from journeymap.cli import app

runner = CliRunner()
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)
WITHOUT_EXAMPLES: set[str] = set()


def help_text(command: str) -> str:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


def examples(command: str) -> list[list[str]]:
    """The example command lines of a command's help, as arguments (shell redirections cut off)."""
    text = help_text(command)
    if "Examples" not in text:
        return []
    lines = [line.strip() for line in text[text.index("Examples"):].splitlines()]
    out = []
    for line in lines:
        if re.match(rf"journeymap {re.escape(command)}\b", line):
            words = shlex.split(re.split(r"\s{2,}|\s#\s", line)[0])  # a note may follow on the line
            out.append(words[1: words.index(">")] if ">" in words else words[1:])
    return out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_examples_that_parse(command: str) -> None:
    found = examples(command)
    if command in WITHOUT_EXAMPLES:
        assert found == []
        return
    assert found, f"journeymap {command} --help has no examples"
    for argv in found:
        # --help is read after every other option: an option the command lacks fails first
        result = runner.invoke(app, [*argv, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, f"{' '.join(argv)}: {result.output}"
