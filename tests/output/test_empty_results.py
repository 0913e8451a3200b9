"""Empty results say so (a note on stderr; nothing on stdout; exit 0); counts are said
in the right number; dates on screen in one format."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.terminal import needs_tmux, screen

Cli = Any
TERMINAL = {"TTY_COMPATIBLE": "1", "NO_COLOR": "1"}


def read_everything(cli: Cli) -> None:
    ids = [e["id"] for e in json.loads(cli("list", "--json").stdout)]
    assert cli("done", *ids).exit_code == 0


@pytest.mark.parametrize("env", [{}, TERMINAL], ids=["pipe", "terminal"])
def test_nothing_found_is_said_on_stderr_only(cli: Cli, env: dict[str, str]) -> None:
    for args, said in (
        (["list", "--year", "2030"], "No entries match these filters."),
        (["search", "qwxzv"], "No entries match 'qwxzv'."),
        (["list", "--status", "done"], "No entries match these filters."),
    ):
        result = cli(*args, env=env)
        assert (result.exit_code, result.stdout) == (0, ""), args
        assert said in result.stderr
    read_everything(cli)
    result = cli("next", env=env)
    assert (result.exit_code, result.stdout) == (0, "")
    assert "Nothing left to read" in result.stderr


def test_json_stays_json_when_nothing_is_found(cli: Cli) -> None:
    result = cli("list", "--year", "2030", "--json")
    assert (result.exit_code, json.loads(result.stdout), result.stderr) == (0, [], "")


def test_in_chinese_too(cli: Cli) -> None:
    result = cli("--lang", "zh", "list", "--year", "2030")
    assert result.stdout == "" and re.search(r"[\u4e00-\u9fff]", result.stderr)


@needs_tmux
def test_a_real_terminal_sees_the_note() -> None:
    shown, code = screen(["list", "--year", "2030"], 60)
    assert code == 0 and "No entries match these filters." in shown


def test_counts_are_said_in_the_right_number() -> None:
    from canon_cli.output.progressview import time_left
    from canon_cli.reading.progress import Counts

    one = Counts(total=1, unread=1, left_without_estimate=1)
    assert "(and 1 entry without an estimate)" in time_left(one)
    two = Counts(total=2, unread=2, left_without_estimate=2)
    assert "(and 2 entries without an estimate)" in time_left(two)


def test_no_message_says_s_in_brackets() -> None:
    """ "day(s)" and "1 entries" are what ngettext is for: no message string may say (s)."""
    import ast

    import canon_cli

    found = []
    for path in Path(canon_cli.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and re.search(r"(?<!http)\(s\)|\b1 entries\b", text):
                found.append(f"{path.name}: {text!r}")
    assert not found
