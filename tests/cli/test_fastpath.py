"""The start-up fast path gives exactly what the typer commands give, or steps aside."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from canon_cli import paths
from canon_cli.cli import fastpath
from tests.statedb import statuses

MATRIX = [
    [],  # the dashboard
    ["--json"],
    ["--lang", "zh"],
    ["--lang=zh", "--json"],
    ["--catalog", "list"],  # no command: the dashboard, of a catalog file named "list"
    ["list"],
    ["list", "--section", "agents"],
    ["list", "-s", "research", "--year", "2022", "--tag", "diffusion"],
    ["list", "--search", "attention", "--json"],
    ["list", "--status", "done"],
    ["list", "--status", "reading", "--status", "done", "--json"],
    ["list", "-n", "3"],
    ["list", "--sort", "rating", "-n", "4"],
    ["list", "--sort", "finished", "--status", "done"],
    ["list", "--sort", "TITLE", "-s", "agents", "--json"],
    ["list", "--rating", "3"],
    ["list", "--rating", "1", "--sort", "year", "--json"],
    ["list", "--search", "pre-training"],
    ["search", "pre-training", "--json"],
    ["notes"],
    ["notes", "bert", "--json"],
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
    ["--catalog", ".", "list"],
    ["list", "--catalog", "."],
    ["export", "-o", "."],
    ["list", "-sagents", "-n2"],
    ["show", "bert"],
    ["show", "attention", "--json"],
    ["--lang", "zh", "show", "bert"],
    ["show", "nope-nothing"],
    ["show", "atention"],
    ["search", "attention"],
    ["search", "retrieval", "language", "-s", "research", "-n", "2"],
    ["search", "transformer", "--json", "--status", "done"],
    ["search", "zzzzqqq"],
    ["search", "agents", "--kind", "nope"],
    ["open", "bert", "--print"],
    ["open", "--print"],
    ["open", "attention", "--all", "--print", "--no-mark"],
    ["open", "attention", "-l", "1", "--print"],
    ["open", "attention", "--link", "nope", "--print"],
    ["export"],
    ["export", "--format", "bibtex"],
    ["export", "-f", "CSV", "-s", "agents"],
    ["export", "--format=json", "--status", "done"],
    ["export", "--year", "2023", "--tag", "agents"],
    ["log"],
    ["log", "-n", "2", "--json"],
    ["stats"],
    ["stats", "--json"],
    ["sections"],
    ["--lang", "zh", "sections", "--json"],
    ["tags"],
    ["tags", "--json"],
    ["paths"],
    ["paths", "--json"],
    ["mark", "bert", "lora", "--status", "reading"],
    ["mark", "--status=done", "bert"],
    ["mark", "bert", "--status", "finished"],
    # the global options after the command, and --json before it
    ["list", "-s", "agents", "--lang", "zh"],
    ["progress", "--lang=zh", "--json"],
    ["show", "bert", "--lang", "zh"],
    ["next", "--catalog", "nope.yaml"],
    ["--json", "list", "-n", "2"],
    ["--json", "show", "bert"],
    ["--lang", "zh", "--json", "progress"],
    ["search", "attention", "--lang", "zh", "--json"],
]


@pytest.fixture
def marked(cli: Any, canon_home: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two homes with the same marks: one for the fast path, one for typer."""
    monkeypatch.setenv("CANON_HOME", str(canon_home))
    assert cli("done", "attention-is-all-you-need", "bert").exit_code == 0
    assert cli("start", "lora").exit_code == 0
    assert cli("skip", "babyagi").exit_code == 0
    assert cli("rate", "bert", "4").exit_code == 0
    assert cli("rate", "lora", "5").exit_code == 0
    assert cli("note", "bert", "pre-training matters").exit_code == 0
    typer_home = canon_home.with_name("typer-home")
    shutil.copytree(canon_home, typer_home)  # the same state, to the second
    return canon_home, typer_home


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
    fast_out = fast.out.replace("\r\n", "\n")  # as click's test runner gives it (CSV)
    fast_out = fast_out.replace(str(fast_home), str(slow_home))  # `paths` names the home
    assert (code, fast_out, fast.err) == (slow.exit_code, slow.stdout, slow.stderr)
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
        ["--help"],
        ["list", "--help"],
        ["-h"],
        ["--version"],
        ["list", "extra-argument"],
        ["list", "--json", "--json"],
        ["list", "--year", "2020", "--year", "2021"],
        ["list", "-n", "0"],
        ["list", "-n", "99999999999999999999"],
        ["list", "-n", "x"],
        ["list", "--section"],
        ["list", "--section", "--json"],
        ["list", "--unknown"],
        ["list", "--json=yes"],
        ["progress", "-s", "agents", "-s", "research"],
        ["--catalog", "", "list"],
        ["--lang", "zh", "--lang", "en", "list"],
        ["--version", "list"],
        ["next", "-n", "-1"],
        ["list", "--", "x"],
        ["done"],
        ["done", "--help"],
        ["done", "react", "-h"],
        ["mark", "react"],
        ["browse", "--help"],
        ["browse", "extra"],
        ["show"],
        ["show", "bert", "lora"],
        ["show", "--json", "--json", "bert"],
        ["show", ""],
        ["search"],
        ["open", "bert", "lora"],
        ["export", "-f", "pdf"],
        ["rate", "bert", "5"],
        ["note", "bert", "good"],
        ["config"],
        ["config", "get", "language"],
        ["add", "https://example.org", "--title", "x", "--section", "agents"],
        ["list", "--lang"],
        ["list", "--version"],
        ["--json", "done", "bert"],
        ["--json", "--json"],
        ["--json=yes"],
    ],
)
def test_anything_unusual_is_left_to_typer(argv: list[str]) -> None:
    assert fastpath.parse(argv) is None or fastpath.run(argv) is None


def test_export_to_a_file_on_both_paths(
    tmp_path: Any, cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    fast_file, slow_file = tmp_path / "fast.bib", tmp_path / "slow.bib"
    capsys.readouterr()
    assert fastpath.run(["export", "-o", str(fast_file), "-s", "agents"]) == 0
    fast_err = capsys.readouterr().err
    slow = cli("export", "-o", str(slow_file), "-s", "agents")
    assert slow.exit_code == 0
    assert fast_file.read_bytes() == slow_file.read_bytes() != b""
    assert fast_err.replace("fast.bib", "slow.bib") == slow.stderr
    # a second export to the same file is refused the same way on both paths
    capsys.readouterr()
    assert (
        fastpath.run(["export", "-o", str(slow_file)])
        == cli("export", "-o", str(slow_file)).exit_code
        == 2
    )


def test_version_on_the_fast_path(cli: Any, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert fastpath.run(["--version"]) == 0
    assert capsys.readouterr().out == cli("--version").stdout


def test_the_environment_fills_the_global_options(
    cli: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CANON_LANG", "zh")
    monkeypatch.setenv("CANON_CATALOG", str(paths.builtin_catalog_path()))
    capsys.readouterr()
    assert fastpath.run(["show", "bert"]) == 0
    fast = capsys.readouterr()
    slow = cli("show", "bert")
    assert (fast.out, fast.err) == (slow.stdout, slow.stderr)
    assert fast.out != cli("--lang", "en", "show", "bert").stdout  # CANON_LANG was used


def test_the_fast_path_does_not_import_typer() -> None:
    code = (
        "import sys\n"
        "from canon_cli.cli import fastpath\n"
        "for argv in (['list', '--section', 'agents'], ['show', 'bert'], ['search', 'gpt'],\n"
        "             ['progress', '--lang', 'zh'], ['export', '-f', 'bibtex'], ['log'],\n"
        "             ['open', '--print', 'bert', '--no-mark'], ['sections'], ['tags']):\n"
        "    code = fastpath.run(argv)\n"
        "    assert code == 0, (argv, code)\n"
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
