"""The command line under arbitrary arguments: every run ends with a documented exit code
(0-5) and a message, never a traceback.

Arguments are drawn from canon's real commands and options (read from the app, so new
ones are covered), plausible values, and random text with control characters and
undecodable bytes. Runs are in-process (an exception fails the test) plus a few real
processes. Random text holds no '/' or '~' and the tests run in a temp dir, so a random
file argument can only land there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from canon_cli.cli.app import app

EXIT_CODES = {0, 1, 2, 3, 4, 5}
NEVER = {"--install-completion", "--show-completion"}  # they edit shell start-up files


def _vocabulary() -> tuple[list[tuple[str, ...]], list[str]]:
    """Every command path (('state', 'export'), ...) and every option name."""
    root: Any = typer.main.get_command(app)
    paths: list[tuple[str, ...]] = []
    options: set[str] = {"--help", "-h", "--"}

    def walk(command: Any, prefix: tuple[str, ...]) -> None:
        for param in command.params:
            options.update(o for o in (*param.opts, *param.secondary_opts) if o.startswith("-"))
        for name, sub in getattr(command, "commands", {}).items():
            paths.append((*prefix, name))
            walk(sub, (*prefix, name))

    walk(root, ())
    return paths, sorted(options - NEVER)


COMMAND_PATHS, OPTIONS = _vocabulary()
GLOBAL_OPTIONS = ["--lang", "--catalog", "--version", "--help"]

VALUES = [
    # ids, aliases, prefixes and titles
    "attention-is-all-you-need",
    "attention",
    "bert",
    "lora",
    "gpt",
    "Attention Is All You Need",
    "nope-not-an-id",
    # sections, tags, kinds, statuses, languages, formats, settings
    "agents",
    "research",
    "llm",
    "paper",
    "video",
    "reading",
    "done",
    "unread",
    "en",
    "zh",
    "md",
    "json",
    "csv",
    "bibtex",
    "language",
    "catalogs",
    "open_marks_reading",
    "sync_folder",
    "true",
    # numbers and years
    "0",
    "1",
    "5",
    "-1",
    "9223372036854775807",
    "2020",
    "2020..2023",
    "..2019",
    "2023..2020",
    "..",
    # links
    "https://example.org/paper",
    "javascript:alert(1)",
    "-https://x",
    "file:///etc/passwd",
    # files (relative: the tests run in a temp dir)
    "out.md",
    "state-copy.yaml",
    "x.bib",
    ".",
    "",
    " ",
]

# Random text: controls, escapes, bidi, invisible characters, CJK, and lone surrogates
# (undecodable argv bytes). No NUL: a command line cannot hold one (each argument is a
# NUL-terminated string), and only the in-process runner could pass it.
RANDOM_TEXT = st.text(
    st.one_of(
        st.characters(exclude_characters="/~\x00", exclude_categories=["Cs"]),
        st.sampled_from(["\x1b", "\x9b", "\x07", "\u202e", "\u200b", "\n", "经", "["]),
        st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF),
    ),
    max_size=12,
)

TOKEN = st.one_of(
    st.sampled_from(OPTIONS),
    st.sampled_from(VALUES),
    st.sampled_from([p[-1] for p in COMMAND_PATHS]),
    RANDOM_TEXT,
)


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """Mostly a real command with a jumble of options and values; sometimes pure noise."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.lists(TOKEN, max_size=6))
    args: list[str] = []
    for _ in range(draw(st.integers(0, 1))):
        option = draw(st.sampled_from(GLOBAL_OPTIONS))
        args.append(option)
        if option in ("--lang", "--catalog"):
            args.append(draw(st.one_of(st.sampled_from(VALUES), RANDOM_TEXT)))
    args.extend(draw(st.sampled_from(COMMAND_PATHS)))
    args.extend(draw(st.lists(TOKEN, max_size=6)))
    return args


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("BROWSER", "true")  # 'canon open' must not start a real browser
    monkeypatch.setenv("CANON_LOCK_TIMEOUT", "1")
    return work


def check_run(args: list[str]) -> None:
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code in EXIT_CODES, (args, result.exit_code, result.output)
    assert "Traceback" not in result.stdout + result.stderr, args


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(args=command_lines())
def test_any_command_line_ends_with_a_documented_exit_code(in_tmp: Path, args: list[str]) -> None:
    check_run(args)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    entry=st.one_of(st.sampled_from(VALUES), RANDOM_TEXT),
    text=st.lists(RANDOM_TEXT, min_size=1, max_size=3),
)
def test_writing_commands_with_any_text(in_tmp: Path, entry: str, text: list[str]) -> None:
    """The commands that change the state file, with hostile ids and note text."""
    for args in (
        ["note", entry, *text],
        ["mark", entry, "--status", text[0]],
        ["done", "bert", entry],
    ):
        check_run(args)


CLEAR_CASES = [
    ["--catalog"],
    ["show"],
    ["list", "--year"],
    ["list", "-n", "0"],
    ["next", "-n", "99999999999999999999999"],
    ["log", "-n", "99999999999999999999999"],
    ["rate", "bert", "99999999999999999999999"],
    ["next", "--count", "-3"],
    ["rate", "bert", "6"],
    ["rate", "bert", "1.5"],
    ["note", "bert", "   "],
    ["--lang", "fr", "list"],
    ["list", "--search", '"unbalanced'],
    ["list", "--search", "AND OR NOT * ^ NEAR( :"],
    ["show", "%"],
    ["show", "_"],
    ["show", "\\"],
    ["show", "a\udcff"],
    ["start", "\udcff"],
    ["mark", "bert", "--status", "\udcff"],
    ["state", "import", "missing.yaml"],
    ["state", "export", "."],
    ["config", "set", "language", "klingon"],
    ["--catalog", ".", "list"],
]


@pytest.mark.parametrize("args", CLEAR_CASES, ids=[repr(a) for a in CLEAR_CASES])
def test_awkward_arguments(in_tmp: Path, args: list[str]) -> None:
    check_run(args)


@pytest.mark.parametrize("command", [["list"], ["search", "attention"]])
def test_a_huge_limit_is_a_usage_error(in_tmp: Path, command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "-n", "99999999999999999999"])
    assert result.exit_code == 2, result.exception


@pytest.mark.parametrize(
    "args",
    [
        ["show", "a\udcff"],
        ["list", "--search", "\x1b]0;x\x07 \udcfe"],
        ["nope\x1b[2J"],
        ["--lang", "\udcff", "sections"],
        ["rate", "bert", "x"],
        ["state", "merge", "\udcff.yaml"],
    ],
    ids=["surrogate-id", "escape-search", "unknown-command", "bad-lang", "bad-int", "merge"],
)
def test_real_process_never_shows_a_traceback(
    run_canon: Any, in_tmp: Path, args: list[str]
) -> None:
    import os
    import subprocess
    import sys

    # Real argv bytes: a lone surrogate stands for an undecodable byte, as Python decodes it.
    argv = [os.fsencode(a) for a in args]
    proc = subprocess.run(
        [sys.executable.encode(), b"-m", b"canon_cli", *argv],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert proc.returncode in EXIT_CODES, proc.stderr
    assert b"Traceback" not in proc.stdout + proc.stderr
    assert b"\x1b" not in proc.stderr
