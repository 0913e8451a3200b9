"""The start-up fast path gives exactly what the typer commands give, or steps aside."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from canon_cli import paths
from canon_cli.cli import fastpath
from tests.statedb import statuses

MATRIX = [
    ["list"],
    ["list", "--section", "agents"],
    ["list", "-s", "research", "--year", "2022", "--tag", "diffusion"],
    ["list", "--search", "attention", "--json"],
    ["list", "--status", "done"],
    ["list", "--status", "reading", "--status", "done", "--json"],
    ["list", "-n", "3"],
    ["list", "--limit=2", "--kind", "paper"],
    ["list", "--year", "2021..", "-k", "repository", "-q", "gpt"],
    ["--lang", "zh", "list", "-s", "agents", "--json"],
    ["--lang=zh", "progress"],
    ["list", "--section", "nope"],
    ["list", "--year", "20x2"],
    ["list", "--tag", "nope"],
    ["list", "--status", "finished"],
    ["--lang", "fr", "list"],
    ["progress"],
    ["progress", "--json"],
    ["progress", "-s", "agents"],
    ["progress", "--section", "zzz"],
    ["next"],
    ["next", "-n", "3", "--json"],
    ["next", "--kind", "repository"],
    ["next", "-s", "agents", "-k", "paper", "-n", "2"],
    ["stats"],
    ["stats", "--json"],
    ["done", "react"],
    ["done", "attention-is-all-you-need"],
    ["start", "Toolformer"],
    ["skip", "auto", "babyagi"],
    ["reset", "bert", "lora"],
    ["done", "atention-is-all-you-need"],
    ["done", "the"],
    ["--catalog", "nope.yaml", "done", "react"],
    ["browse"],
    ["--lang", "zh", "browse"],
    ["--lang", "fr", "browse"],
]


@pytest.fixture
def marked(cli: Any, canon_home: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two homes with the same marks: one for the fast path, one for typer."""
    homes = (canon_home, canon_home.with_name("typer-home"))
    for home in homes:
        monkeypatch.setenv("CANON_HOME", str(home))
        assert cli("done", "attention-is-all-you-need", "bert").exit_code == 0
        assert cli("start", "lora").exit_code == 0
        assert cli("skip", "babyagi").exit_code == 0
    return homes


@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
@pytest.mark.parametrize("argv", MATRIX, ids=[" ".join(a) for a in MATRIX])
def test_fast_path_matches_typer(
    argv: list[str],
    terminal: bool,
    marked: tuple[Path, Path],
    cli: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if terminal:
        monkeypatch.setenv("FORCE_COLOR", "1")
    fast_home, slow_home = marked
    monkeypatch.setenv("CANON_HOME", str(fast_home))
    capsys.readouterr()
    code = fastpath.run(argv)
    fast = capsys.readouterr()
    assert code is not None, "the fast path should take this command line"
    fast_statuses = statuses(fast_home / "state.db")
    monkeypatch.setenv("CANON_HOME", str(slow_home))
    slow = cli(*argv)
    assert (code, fast.out, fast.err) == (slow.exit_code, slow.stdout, slow.stderr)
    assert fast_statuses == statuses(slow_home / "state.db")


def test_catalog_option_on_the_fast_path(cli: Any, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--catalog", str(paths.builtin_catalog_path()), "list", "-s", "agents"]
    capsys.readouterr()
    assert fastpath.run(argv) == 0
    out = capsys.readouterr().out
    assert out == cli(*argv).stdout and len(out.splitlines()) == 7


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--help"],
        ["list", "--help"],
        ["-h"],
        ["--version"],
        ["show", "bert"],
        ["list", "extra-argument"],
        ["list", "--json", "--json"],
        ["list", "--year", "2020", "--year", "2021"],
        ["list", "-n", "0"],
        ["list", "-n", "99999999999999999999"],
        ["list", "-n", "x"],
        ["list", "--section"],
        ["list", "--section", "--json"],
        ["list", "-sagents"],
        ["list", "--unknown"],
        ["list", "--json=yes"],
        ["progress", "-s", "agents", "-s", "research"],
        ["--catalog", "list"],
        ["--catalog", "", "list"],
        ["--lang", "zh", "--lang", "en", "list"],
        ["--version", "list"],
        ["next", "-n", "-1"],
        ["list", "--", "x"],
        ["done"],
        ["done", "--help"],
        ["done", "react", "-h"],
        ["mark", "react", "--status", "done"],
        ["browse", "--help"],
        ["browse", "extra"],
    ],
)
def test_anything_unusual_is_left_to_typer(argv: list[str]) -> None:
    assert fastpath.parse(argv) is None or fastpath.run(argv) is None


def test_a_directory_as_catalog_is_left_to_typer(tmp_path: Any) -> None:
    assert fastpath.run(["--catalog", str(tmp_path), "list"]) is None


def test_the_fast_path_does_not_import_typer() -> None:
    code = (
        "import sys\n"
        "from canon_cli.cli import fastpath\n"
        "code = fastpath.run(['list', '--section', 'agents'])\n"
        "assert code == 0, code\n"
        "heavy = [m for m in ('typer', 'rich', 'pydantic', 'ruamel.yaml') if m in sys.modules]\n"
        "print(','.join(heavy), file=sys.stderr)\n"
    )
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert warm.returncode == 0, warm.stderr
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert again.stderr.strip() == ""


def test_log_on_the_fast_path(cli: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """log prints times, so the two paths are run on one home, one after the other."""
    assert cli("done", "lora").exit_code == 0
    capsys.readouterr()
    assert fastpath.run(["log", "-n", "1", "--json"]) == 0
    fast = json.loads(capsys.readouterr().out)
    assert fast == json.loads(cli("log", "-n", "1", "--json").stdout)
    assert [e["event"] for e in fast] == ["finished"]
