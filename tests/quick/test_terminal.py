"""The dashboard, ``canon list``, ``canon next`` and ``canon progress`` on a terminal
through the quick path: the general path's own views, byte for byte, in a real
pseudo-terminal; and the general path wherever it is unsure."""

from __future__ import annotations

import fcntl
import os
import pty
import sqlite3
import struct
import subprocess
import sys
import termios
from pathlib import Path
from typing import Any

import pytest

from canon_cli import paths
from tests.quick.test_export import CATALOG, prove_snapshots
from tests.terminal import drain

GENERAL = (  # the general path alone: the typer app, as canon ran before the quick path
    "import sys\nsys.argv = ['canon', *sys.argv[1:]]\nfrom canon_cli.cli.app import run\nrun()\n"
)
QUICK = (  # canon's entry, reporting on stderr which modules it imported
    "import sys\nsys.argv = ['canon', *sys.argv[1:]]\n"
    "from canon_cli.__main__ import main\n"
    "try:\n    main()\n"
    "finally:\n    sys.stderr.write(' '.join(sorted(sys.modules)) + '\\n')\n"
)


def _on_terminal(
    code: str, argv: list[str], columns: int, rows: int, env: dict[str, str] | None = None
) -> tuple[int, bytes, str]:
    """Exit code, every byte written to the terminal, and stderr."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *argv],
        stdin=follower,
        stdout=follower,
        stderr=subprocess.PIPE,
        env={**environ, "TERM": "xterm-256color", **(env or {})},
    )
    os.close(follower)
    drawn = drain(leader)
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    os.close(leader)
    return proc.wait(timeout=60), drawn, err


def _both(
    argv: list[str], columns: int = 120, rows: int = 50, env: dict[str, str] | None = None
) -> tuple[tuple[int, bytes, str], list[str]]:
    """The quick run (and the modules it imported), after checking it drew exactly
    what the general path draws."""
    code, drawn, err = _on_terminal(QUICK, argv, columns, rows, env)
    *said, modules = err.split("\n")[:-1] or [""]
    general = _on_terminal(GENERAL, argv, columns, rows, env)
    assert (code, drawn, "\n".join(said)) == (general[0], general[1], general[2].rstrip("\n"))
    return (code, drawn, "\n".join(said)), modules.split()


_GENERAL_PATH = ("typer", "canon_cli.cli.fastpath", "canon_cli.catalog.store")


def _took_quick_path(modules: list[str]) -> bool:
    return "canon_cli.quick.terminal" in modules and not any(m in modules for m in _GENERAL_PATH)


def _took_general_path(modules: list[str]) -> bool:
    return "canon_cli.cli.fastpath" in modules or "typer" in modules


@pytest.fixture
def marked(cli: Any) -> None:
    assert cli("done", "react", "attention-is-all-you-need").exit_code == 0
    assert cli("start", "toolformer").exit_code == 0
    assert cli("skip", "babyagi").exit_code == 0


LINES = [
    (["list", "--section", "agents"], 120),
    (["list", "--section", "agents"], 60),
    (["list", "-s", "research", "--year", "2017..2020", "-k", "paper"], 120),
    (["--lang", "zh", "list", "-s", "agents"], 60),
    (["list", "--status", "done", "--status", "reading"], 120),
    (["list", "--search", "attention", "-n", "3"], 80),
    (["list", "-s", "agents", "--color", "never"], 120),
    (["list", "--no-pager"], 120),
    (["progress"], 120),
    (["progress"], 60),
    (["progress"], 36),  # the bars give way, the counts stay whole
    (["progress", "--section", "research"], 80),
    (["--lang", "zh", "progress"], 60),
    ([], 120),
    ([], 40),
    (["next"], 120),
    (["next", "-n", "4", "--kind", "paper"], 60),
    (["--lang", "zh", "next", "-s", "agents", "-n", "3"], 80),
    (["--lang", "zh", "--no-pager"], 60),
]


@pytest.mark.usefixtures("marked")
@pytest.mark.parametrize(("argv", "columns"), LINES, ids=[f"{' '.join(a)} @{c}" for a, c in LINES])
def test_the_quick_view_is_the_general_paths(argv: list[str], columns: int) -> None:
    (code, drawn, err), modules = _both(argv, columns)
    assert code == 0 and err == "" and drawn
    assert _took_quick_path(modules), sorted(m for m in modules if m.startswith("canon_cli"))


def test_a_dashboard_with_nothing_read_yet(cli: Any) -> None:
    assert cli("list", "-n", "1").exit_code == 0  # the snapshot, and no state at all
    (code, drawn, _err), modules = _both([], columns=80)
    assert code == 0 and "canon start ID" in drawn.decode() and _took_quick_path(modules)


@pytest.mark.usefixtures("marked")
def test_ratings_add_their_column_on_both_paths(cli: Any) -> None:
    assert cli("rate", "react", "4").exit_code == 0
    (code, drawn, _err), modules = _both(["list", "-s", "agents"])
    assert code == 0 and "★★★★" in drawn.decode() and _took_quick_path(modules)


@pytest.mark.usefixtures("marked")
def test_a_long_list_goes_through_the_same_pager(tmp_path: Path) -> None:
    pager = {"CANON_PAGER": "sed -e s/^/paged:/"}
    (code, drawn, _err), modules = _both(["list"], rows=20, env=pager)
    lines = drawn.decode().splitlines()
    assert code == 0 and len(lines) > 20 and all(line.startswith("paged:") for line in lines)
    assert _took_quick_path(modules)


def test_what_it_leaves_to_the_general_path(cli: Any, canon_home: Path) -> None:
    assert cli("done", "react").exit_code == 0
    cases = [
        ["list", "--year", "2030"],  # nothing matches: said on stderr, in the reader's words
        ["list", "--section", "nope"],
        ["list", "--sort", "year"],
        ["list", "--color", "always", "-s", "agents"],
        ["next", "--json"],
        ["search", "attention"],  # only the dashboard's, list's, next's and progress's views
        ["progress", "-s", "nope"],
        ["progress", "--json"],
    ]
    for argv in cases:
        (_code, _drawn, _err), modules = _both(argv)
        assert _took_general_path(modules), argv
    db = sqlite3.connect(canon_home / "state.db")  # a rating kept under a former id
    db.execute(
        "INSERT INTO current(entry, field, value, clock, device)"
        " VALUES ('yes-you-should-understand-backprop', 'rating', '5', 1, 'x')"
    )
    db.commit()
    db.close()
    (code, drawn, _err), modules = _both(["list", "-s", "foundations"])
    assert code == 0 and "★★★★★" in drawn.decode()
    assert _took_general_path(modules)


def _state(canon_home: Path, statement: str) -> None:
    db = sqlite3.connect(canon_home / "state.db")
    db.execute(statement)
    db.commit()
    db.close()


@pytest.mark.usefixtures("marked")
def test_ratings_in_forms_canon_does_not_write_go_to_the_general_path(
    cli: Any, canon_home: Path
) -> None:
    assert cli("rate", "react", "4").exit_code == 0
    for value in ("true", '"4"', "4.0"):
        _state(canon_home, f"UPDATE current SET value = '{value}' WHERE field = 'rating'")
        (code, drawn, _err), modules = _both(["list", "-s", "agents"])
        assert code == 0 and "★" not in drawn.decode() and _took_general_path(modules), value


@pytest.mark.usefixtures("marked")
def test_a_rating_of_an_id_the_catalog_lacks_still_adds_the_column(canon_home: Path) -> None:
    _state(
        canon_home,
        "INSERT INTO current(entry, field, value, clock, device)"
        " VALUES ('gone-from-the-catalog', 'rating', '3', '9', 'd')",
    )
    (code, drawn, _err), modules = _both(["list", "-s", "agents"])
    assert code == 0 and "Rating" in drawn.decode() and _took_quick_path(modules)


@pytest.mark.usefixtures("marked")
def test_link_check_results_and_forced_colour_go_to_the_general_path() -> None:
    (_code, _drawn, _err), modules = _both(["list", "-s", "agents"], env={"FORCE_COLOR": "1"})
    assert _took_general_path(modules)
    (_code, drawn, _err), modules = _both(["progress"], env={"NO_COLOR": "1"})
    assert b"\x1b[3" not in drawn and _took_quick_path(modules)  # no colour, still quick
    paths.link_results_path().write_text("{}", encoding="utf-8")
    (_code, _drawn, _err), modules = _both(["list", "-s", "agents"])
    assert _took_general_path(modules)
    (_code, _drawn, _err), modules = _both(["progress"])  # only list shows the verdicts
    assert _took_quick_path(modules)


def test_chinese_falls_back_to_english_where_a_catalog_has_none(
    cli: Any, canon_home: Path, tmp_path: Path
) -> None:
    catalog = tmp_path / "odd.yaml"
    catalog.write_text(CATALOG, encoding="utf-8")
    assert cli("config", "add-catalog", str(catalog)).exit_code == 0
    assert cli("start", "conference-paper").exit_code == 0  # its section has no Chinese name
    prove_snapshots()
    for argv in (
        ["--lang", "zh"],
        ["--lang", "zh", "list", "-s", "odd"],
        ["--lang", "zh", "next", "-s", "odd", "-n", "3"],
        ["--lang", "zh", "progress", "-s", "odd"],
    ):
        (code, drawn, _err), modules = _both(argv, columns=100)
        assert code == 0 and _took_quick_path(modules), argv
        assert "Below" in drawn.decode() or "Deep nets" in drawn.decode(), argv
