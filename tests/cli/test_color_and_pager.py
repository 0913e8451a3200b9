"""--color auto|always|never (with NO_COLOR and FORCE_COLOR) and the pager, on both
paths, in pipes and in real terminals."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from canon_cli.cli import fastpath
from tests.terminal import canon_command, needs_tmux, screen

Cli = Any
ESC = "\x1b["
TERMINAL = {"TTY_COMPATIBLE": "1"}


def test_never_means_no_escape_code_on_a_terminal(cli: Cli) -> None:
    for args in (
        ["--color", "never", "list"],
        ["list", "--color=never"],
        ["progress", "--color", "NEVER"],
    ):
        result = cli(*args, env={**TERMINAL, "FORCE_COLOR": "1"})
        assert result.exit_code == 0, result.stderr
        assert ESC not in result.stdout and ESC not in result.stderr
        assert "──" in result.stdout or "░" in result.stdout  # drawn, without colour


def test_always_colours_even_in_a_pipe(cli: Cli) -> None:
    for args in (
        ["--color", "always", "list", "-s", "agents"],
        ["list", "-s", "agents", "--color", "always"],
    ):
        result = cli(*args, env={"NO_COLOR": "1"})
        assert result.exit_code == 0, result.stderr
        assert ESC in result.stdout and "autonomous-machine-intelligence" in result.stdout


def test_auto_follows_the_terminal_and_the_variables(cli: Cli) -> None:
    piped = cli("list", "-s", "agents")
    assert ESC not in piped.stdout and "\t" in piped.stdout  # plain lines
    assert ESC in cli("list", "-s", "agents", env={"FORCE_COLOR": "1"}).stdout
    no_color = cli("list", "-s", "agents", env={**TERMINAL, "NO_COLOR": "1"})
    assert ESC not in no_color.stdout and "──" in no_color.stdout
    assert ESC in cli("list", "-s", "agents", env=TERMINAL).stdout


def test_a_bad_choice_is_a_usage_error(cli: Cli, run_canon: Any) -> None:
    for result in (cli("--color", "sometimes", "list"), run_canon("list", "--color", "sometimes")):
        assert result.exit_code == 2
        assert "sometimes" in result.stderr and "Traceback" not in result.stderr


def test_the_fast_path_takes_both_options_on_either_side(run_canon: Any) -> None:
    for argv in (
        ["--color", "always", "--no-pager", "list", "-s", "agents"],
        ["list", "-s", "agents", "--no-pager", "--color", "always"],
    ):
        parsed = fastpath.parse(argv)
        assert parsed is not None
        assert parsed.globals == {"color": "always", "no_pager": True}
        result = run_canon(*argv)
        assert result.exit_code == 0 and ESC in result.stdout
    never = run_canon("list", "-s", "agents", "--color", "never", env={"FORCE_COLOR": "1"})
    assert never.exit_code == 0 and ESC not in never.stdout and "\t" in never.stdout


@needs_tmux
def test_never_in_a_real_terminal_writes_no_escape_code() -> None:
    coloured, code = screen(["list", "-s", "agents"], 100, escapes=True)
    assert code == 0 and ESC in coloured
    plain, code = screen(["list", "-s", "agents", "--color", "never"], 100, escapes=True)
    assert code == 0 and "autonomous-machine-intelligence" in plain
    assert ESC not in plain


# --- the pager ------------------------------------------------------------------


@pytest.fixture
def fake_pager(tmp_path: Path) -> tuple[str, Path]:
    """A pager that writes what it was given to a file (and its arguments first)."""
    got = tmp_path / "paged.txt"
    script = tmp_path / "fake-pager"
    script.write_text(f'#!/bin/sh\necho "args: $*" > {got}\ncat >> {got}\n')
    script.chmod(0o755)
    return str(script), got


def paged_text(got: Path) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", got.read_text()) if got.exists() else ""


@needs_tmux
def test_long_output_on_a_terminal_goes_to_the_pager(fake_pager: tuple[str, Path]) -> None:
    pager, got = fake_pager
    shown, code = screen(["list"], 80, rows=30, env={"CANON_PAGER": pager + " -x"})
    assert code == 0
    text = paged_text(got)
    assert text.startswith("args: -x\n")
    assert "autonomous-machine-intelligence" in text and "software-2-0" in text
    assert "software-2-0" not in shown  # the screen got nothing but the pager


@needs_tmux
def test_pager_is_canon_pager_else_pager(fake_pager: tuple[str, Path], tmp_path: Path) -> None:
    pager, got = fake_pager
    _shown, code = screen(["list"], 80, rows=30, env={"PAGER": pager})
    assert code == 0 and "software-2-0" in paged_text(got)
    got.unlink()
    other = tmp_path / "other"
    other.write_text("#!/bin/sh\ncat > /dev/null\n")
    other.chmod(0o755)
    _shown, code = screen(["list"], 80, rows=30, env={"PAGER": str(other), "CANON_PAGER": pager})
    assert code == 0 and "software-2-0" in paged_text(got)


@needs_tmux
@pytest.mark.parametrize(
    "line",
    [
        "{canon} --no-pager list",
        "{canon} list --no-pager",
        "{canon} list | cat",
        "{canon} list --json",
        "{canon} list -s agents",  # fits on the screen
        "CANON_PAGER= {canon} list",  # an empty pager: none
    ],
)
def test_no_pager_when_not_wanted(fake_pager: tuple[str, Path], line: str) -> None:
    pager, got = fake_pager
    canon = canon_command([])
    shown, code = screen(line.format(canon=canon), 80, rows=40, env={"CANON_PAGER": pager})
    assert code == 0, shown
    assert not got.exists(), line
    assert "autonomous-machine-intelligence" in shown


@needs_tmux
def test_a_missing_pager_prints_the_text(tmp_path: Path) -> None:
    shown, code = screen(["list"], 80, rows=30, env={"CANON_PAGER": str(tmp_path / "nope")})
    assert code == 0 and "babyagi" in shown
