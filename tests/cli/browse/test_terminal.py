"""``canon browse`` as a real process: in a pseudo-terminal, without one, and its imports.

The pseudo-terminal comes from Python's ``pty`` module, so no terminal multiplexer is
needed: canon runs as ``python -m canon_cli browse`` with the terminal as its input and
output, a key written to the terminal reaches the state (read back with the CLI), and
``q`` ends it with exit code 0.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.cli.browse.helpers import CATALOG, TIMEOUT, Terminal, write_state


@pytest.fixture
def terminal() -> Any:
    opened: list[Terminal] = []

    def start(*args: str, columns: int = 80, rows: int = 24) -> Terminal:
        term = Terminal(list(args), columns, rows)
        opened.append(term)
        return term

    yield start
    for term in opened:
        term.close()


def status_of(run_canon: Any, entry_id: str, catalog: Path = CATALOG) -> str:
    result = run_canon("--catalog", str(catalog), "show", entry_id, "--json")
    assert result.exit_code == 0, result.stderr
    return str(json.loads(result.stdout)["status"])


def until(condition: Any, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_key_in_a_real_terminal_reaches_the_state(
    terminal: Any, run_canon: Any, canon_home: Path
) -> None:
    write_state(canon_home)
    term = terminal("--catalog", str(CATALOG), "browse")
    term.read_until(b"Sections", b" quit")
    term.press(b"d")  # the highlighted entry is the one being read: attention
    until(lambda: status_of(run_canon, "attention") == "done")
    term.press(b"q")
    assert term.wait() == 0
    assert status_of(run_canon, "scaling-laws") == "unread"


def test_q_gives_the_screen_back(terminal: Any, canon_home: Path) -> None:
    term = terminal("--catalog", str(CATALOG), "browse")
    term.read_until(b"Sections", b" quit")
    term.press(b"q")
    assert term.wait() == 0
    drawn = term.output.index(b"\x1b[?1049h")  # the app draws on the alternate screen
    assert term.output.index(b"\x1b[?1049l", drawn)  # and leaves it when it ends


def test_without_a_terminal_it_says_so_and_exits_1() -> None:
    started = time.monotonic()
    done = subprocess.run(
        [
            "bash",
            "-c",
            f"{sys.executable} -m canon_cli browse < /dev/null | cat; "
            'echo "exit=${PIPESTATUS[0]}"',
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert "exit=1" in done.stdout
    assert "canon: error: canon browse needs a terminal" in done.stderr
    assert "Traceback" not in done.stderr
    assert time.monotonic() - started < TIMEOUT


def test_with_only_the_input_redirected_it_exits_1(canon_home: Path) -> None:
    master, slave = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "canon_cli", "browse"],
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=subprocess.PIPE,
            timeout=TIMEOUT,
        )
    finally:
        os.close(slave)
        os.close(master)
    assert done.returncode == 1
    assert b"needs a terminal" in done.stderr


def test_a_dumb_terminal_is_refused(terminal: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    master, slave = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "canon_cli", "browse"],
            stdin=slave,
            stdout=slave,
            stderr=subprocess.PIPE,
            timeout=TIMEOUT,
            env=dict(os.environ, TERM="dumb"),
        )
    finally:
        os.close(slave)
        os.close(master)
    assert done.returncode == 1
    assert b"TERM is 'dumb'" in done.stderr


def test_a_bad_catalog_is_reported_before_the_screen_opens(terminal: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "bad.yaml"
    catalog.write_text("version: 1\nentries: [\n")
    term = terminal("--catalog", str(catalog), "browse")
    assert term.wait() == 3
    assert b"canon: error:" in term.output and b"bad.yaml" in term.output
    assert b"\x1b[?1049h" not in term.output  # the screen was never taken over


def test_an_unknown_language_is_reported_before_the_screen_opens(terminal: Any) -> None:
    term = terminal("--lang", "fr", "browse")
    assert term.wait() == 2
    assert b"unknown language 'fr'" in term.output


@pytest.mark.parametrize("argv", [["list"], ["--help"], ["browse", "--help"], ["show", "lora"]])
def test_other_commands_never_import_textual(argv: list[str]) -> None:
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['canon', *{argv!r}]\n"
        "try:\n"
        "    runpy.run_module('canon_cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        "sys.stderr.write('TEXTUAL=' + ','.join(loaded))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    assert "TEXTUAL=" in done.stderr
    assert done.stderr.rsplit("TEXTUAL=", 1)[1].strip() == ""
