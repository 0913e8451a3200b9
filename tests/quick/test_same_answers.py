"""The quick path gives, byte for byte, what the typer commands give, or steps aside."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from canon_cli import paths
from canon_cli.quick.serve import answer

# command lines the quick path answers on the states below
TAKEN = [
    [],
    ["--lang", "zh"],
    ["--lang=ZH-cn"],
    ["--no-pager", "--color", "never"],
    ["list"],
    ["list", "--section", "agents"],
    ["list", "-s", "research", "--year", "2022", "--tag", "diffusion"],
    ["list", "-s", "agents", "-s", "foundations"],
    ["list", "--status", "done"],
    ["list", "--status", "READ", "--status", "reading"],
    ["list", "--status", "todo", "-n", "4"],
    ["list", "-n", "3"],
    ["list", "--limit=2", "--kind", "paper"],
    ["list", "--year", "2021..", "-k", "repository"],
    ["list", "--year", "..2017"],
    ["list", "--year=2020..2022", "--kind", "video", "--kind", "course"],
    ["list", "-t", "agents", "-t", "reasoning"],
    ["list", "--search", "attention"],
    ["list", "-q", "lora", "--status", "done"],  # bert by its note
    ["list", "--search", "language models", "-s", "research", "-n", "5"],
    ["list", "-s", "agents", "--lang", "zh"],
    ["--lang", "zh", "list", "--section", "research"],
    ["list", "--color=never", "-s", "agents"],
    ["list", "-s", "agents", "--catalog", "{builtin}"],
    ["--catalog={builtin}", "progress"],
    ["progress"],
    ["progress", "-s", "agents"],
    ["progress", "--section", "research"],
    ["progress", "--lang", "zh"],
    ["next"],
    ["next", "-n", "5"],
    ["next", "--kind", "repository"],
    ["next", "-s", "agents", "-k", "paper", "-n", "2"],
    ["next", "--count=3", "--lang", "zh"],
    ["log"],
    ["log", "-n", "2"],
    ["log", "--lang", "zh"],
    ["stats"],
    ["open", "react", "--print"],
    ["open", "--print"],
    ["open", "--print", "BERT"],
    ["--lang", "zh", "open", "toolformer", "--print"],
    ["open", "lora", "--print", "--no-mark"],
    ["open", "yes-you-should-understand-backprop", "--print", "--no-mark"],
    ["show", "react"],
    ["show", "bert", "--lang", "zh"],
    ["show", "lora"],
    ["show", "attention-is-all-you-need"],
    ["--lang", "en", "show", "understand-backprop"],
    ["show", "YES-YOU-SHOULD-UNDERSTAND-BACKPROP"],
    ["show", "alphacode"],
    ["show", "babyagi", "--lang", "zh"],  # a Chinese title that is the English one
    ["search", "attention"],
    ["search", "attention", "is", "all"],
    ["search", "注意力"],
    ["search", "transformer", "-n", "3"],
    ["search", "agents", "-s", "research", "--status", "unread"],
    ["search", "gpt-3", "--lang", "zh"],
    ["search", "language", "models", "--year", "2020..2022", "--kind", "paper"],
    ["search", "a", "attention"],
    ["search", "lora"],  # bert's note names it: after the ranked hits
    ["search", "pre-training", "--tag", "llm"],
    ["export", "--format", "bibtex"],
    ["export", "-f", "bibtex", "-s", "research", "--year", "2017..2020"],
    ["export", "--format=BibTeX", "--status", "done"],
    ["export", "-f", "bibtex", "-t", "llm", "--kind", "paper", "--status", "unread"],
    ["--lang", "zh", "export", "-k", "video", "-f", "bibtex"],
    ["export", "-f", "bibtex", "--year", "2030"],  # an empty file, as the general path's
]
# command lines it leaves to the general path: errors, empty results, what it does not do
LEFT = [
    ["--json"],
    ["list", "--json"],
    ["list", "--search", "atention"],
    ["list", "--sort", "year"],
    ["list", "--rating", "3"],
    ["list", "--section", "nope"],
    ["list", "--tag", "nope"],
    ["list", "--kind", "nope"],
    ["list", "--status", "nope"],
    ["list", "--year", "20x2"],
    ["list", "--year", "2022..2020"],
    ["list", "--year", "2030"],  # nothing matches: the general path says so on stderr
    ["list", "-sagents"],
    ["list", "--", "x"],
    ["list", "extra"],
    ["list", "-n", "0"],
    ["list", "--year", "2020", "--year", "2021"],
    ["list", "--section", "--json"],
    ["list", "--section"],
    ["progress", "-s", "agents", "-s", "research"],
    ["progress", "--section", "zzz"],
    ["progress", "--json"],
    ["next", "-n", "-1"],
    ["--lang", "fr", "list"],
    ["--lang", "zh", "--lang", "en", "list"],
    ["--color", "always", "list"],
    ["--catalog", "x.yaml", "list"],  # no such file: the general path says so
    ["--catalog", ".", "list"],  # a folder
    ["--version"],
    ["done", "bert"],
    ["stats", "--lang", "zh"],  # canon's own words: the message catalog's
    ["stats", "--json"],
    ["log", "--json"],
    ["open", "bert", "--print"],  # unread: opening it marks it, a write
    ["open", "bert"],  # a browser to launch
    ["open", "bert", "--print", "--all"],
    ["open", "bert", "--print", "--link", "1"],
    ["open", "nope", "--print", "--no-mark"],
    ["open", "attention is all you need", "--print", "--no-mark"],  # a title
    ["open", "bert", "lora", "--print"],
    ["show"],
    ["show", "bert", "--json"],
    ["search", "matters"],  # no hit in the index: the general path looks for close terms
    ["show", "atention"],  # a typo: the general path suggests
    ["search", "atention"],  # a typo: the general path widens it to close terms
    ["search"],
    ["search", "attention", "--json"],
    ["search", "--", "attention"],
    ["search", "zzzzqqq"],
    ["show", "Attention is all you need"],
    ["export"],  # Markdown, as the other formats: the general path's
    ["export", "-f", "csv"],
    ["export", "-f", "bibtex", "-o", "x.bib"],  # a file to write
    ["export", "-f", "bibtex", "--section", "nope"],
    ["export", "-f", "bibtex", "-n", "3"],  # export has no limit
    ["export", "-f", "bibtex", "--json"],
    ["export", "-fbibtex"],
    ["export", "-f", "bibtex", "-f", "bibtex"],
]


def _v1_state(today: date) -> str:
    """A version-1 state with finishes on several days, for the streak and the week."""

    def day(n: int) -> str:
        return (today - timedelta(days=n)).isoformat()

    return (
        "version: 1\nentries:\n"
        f"  attention-is-all-you-need:\n    status: done\n    finished: {day(0)}\n"
        f"  bert:\n    status: done\n    finished: {day(1)}\n"
        "    notes:\n      - at: 2026-11-20T09:00:00Z\n"
        "        text: pre-training MATTERS more than LoRA\n"
        f"  gpt-3:\n    status: done\n    finished: {day(2)}\n"
        f"  lora:\n    status: skipped\n    finished: {day(9)}\n"
        "  react:\n    status: reading\n"
        "  toolformer:\n    status: reading\n"
        "  babyagi:\n    status: skipped\n"
    )


STATES = ["none", "marked", "all-done"]


@pytest.fixture(params=STATES)
def state(request: pytest.FixtureRequest, cli: Any, canon_home: Path) -> str:
    """The reading state of a user: none at all, some marks, or every entry done."""
    assert cli("list", "-n", "1").exit_code == 0  # builds the catalog snapshot
    if request.param == "marked":
        (canon_home / "state.yaml").write_text(_v1_state(date.today()), encoding="utf-8")
        assert cli("progress").exit_code == 0  # takes the version-1 file in
    if request.param == "all-done":
        ids = [line.split("\t")[0] for line in cli("list").stdout.splitlines()]
        assert cli("done", *ids).exit_code == 0
    return str(request.param)


def _general(cli: Any, argv: list[str]) -> tuple[int, str, str]:
    result = cli(*argv)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("argv", TAKEN, ids=[" ".join(a) or "(dashboard)" for a in TAKEN])
def test_the_quick_path_answers_as_typer_does(state: str, argv: list[str], cli: Any) -> None:
    argv = [a.replace("{builtin}", str(paths.builtin_catalog_path())) for a in argv]
    quick = answer(argv)  # first: the general path may write (open marks an unread entry)
    code, out, err = _general(cli, argv)
    if quick is not None:
        assert (code, out, err) == (0, quick, "")
    else:  # an empty result, a mark made by opening, nothing to open: it says so
        assert err


@pytest.mark.parametrize("argv", LEFT, ids=[" ".join(a) for a in LEFT])
def test_what_the_quick_path_leaves_to_the_general_one(argv: list[str], cli: Any) -> None:
    assert cli("list", "-n", "1").exit_code == 0
    assert answer(argv) is None


def test_every_taken_line_is_answered_on_a_marked_state(cli: Any, canon_home: Path) -> None:
    """So the side-by-side test above compares answers, not two Nones."""
    assert cli("list", "-n", "1").exit_code == 0
    (canon_home / "state.yaml").write_text(_v1_state(date.today()), encoding="utf-8")
    assert cli("progress").exit_code == 0
    builtin = str(paths.builtin_catalog_path())
    missing = [a for a in TAKEN if answer([w.replace("{builtin}", builtin) for w in a]) is None]
    assert missing == []
    board = answer([])
    assert board is not None
    assert "streak\t3\n" in board  # today, yesterday and the day before
    assert board.startswith("reading\treact\t")
    found = answer(["search", "lora"])
    assert found is not None and found.splitlines()[-1].startswith("bert\t")  # by its note


def _run(argv: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """canon as a real process, reporting which modules it imported on stderr's last line."""
    code = (
        "import sys\n"
        "sys.argv = ['canon', *sys.argv[1:]]\n"
        "from canon_cli.__main__ import main\n"
        "try:\n    main()\n"
        "finally:\n"
        "    sys.stderr.write(' '.join(sorted(sys.modules)) + '\\n')\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_a_real_run_takes_the_quick_path_and_imports_little(cli: Any) -> None:
    general = cli("list", "--section", "agents").stdout
    found = _run(["list", "--section", "agents"])
    modules = found.stderr.split()
    assert found.returncode == 0 and found.stdout == general
    heavy = {"typing", "pathlib", "json", "re", "gettext", "tomllib", "platformdirs", "typer"}
    assert heavy.isdisjoint(modules), heavy.intersection(modules)
    canon = {m for m in modules if m.startswith("canon_cli")}
    assert canon == {
        "canon_cli",
        "canon_cli.catalog",
        "canon_cli.catalog.key",
        "canon_cli.charsets",
        "canon_cli.i18n",
        "canon_cli.__main__",
        "canon_cli.quick",
        "canon_cli.quick.answers",
        "canon_cli.quick.argv",
        "canon_cli.quick.data",
        "canon_cli.quick.serve",
        "canon_cli.quick.where",
        "canon_cli.vocab",
    }


def test_a_command_line_it_does_not_read_costs_only_the_reading(cli: Any) -> None:
    found = _run(["export", "--format", "csv"])
    assert found.returncode == 0 and "attention-is-all-you-need" in found.stdout
    quick = {m for m in found.stderr.split() if m.startswith("canon_cli.quick")}
    assert quick == {"canon_cli.quick", "canon_cli.quick.argv", "canon_cli.quick.serve"}


def test_a_reader_that_goes_away_ends_the_quick_path_quietly(cli: Any) -> None:
    assert cli("list", "-n", "1").exit_code == 0
    proc = subprocess.run(
        f"set -o pipefail; {sys.executable} -m canon_cli list | head -n 1",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0 and proc.stderr == ""
    assert len(proc.stdout.splitlines()) == 1


def test_a_full_disk_is_reported_by_the_quick_path(cli: Any) -> None:
    assert cli("list", "-n", "1").exit_code == 0
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "canon_cli", "list"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 5
    assert proc.stderr.startswith("canon: error: cannot write to standard output")
