"""--lang, --catalog and --json work before or after the command, on both paths."""

from __future__ import annotations

import json
from typing import Any

import pytest

from canon_cli import paths
from canon_cli.cli import fastpath

PAIRS = [
    (["--lang", "zh", "list", "-s", "agents"], ["list", "-s", "agents", "--lang", "zh"]),
    (["--lang=zh", "sections"], ["sections", "--lang=zh"]),
    (["list", "--json", "-n", "2"], ["--json", "list", "-n", "2"]),
    (["--lang", "zh", "show", "bert", "--json"], ["--json", "show", "bert", "--lang", "zh"]),
    (["config", "get", "language", "--json"], ["--json", "config", "get", "language"]),
    (["--lang", "zh", "config"], ["config", "--lang", "zh"]),
    (["--lang", "zh", "note", "bert", "re-read"], ["note", "bert", "re-read", "--lang", "zh"]),
    (["--lang", "fr", "list"], ["list", "--lang", "fr"]),
]


@pytest.mark.parametrize(("before", "after"), PAIRS, ids=[" ".join(p[1]) for p in PAIRS])
def test_typer_takes_them_on_either_side(before: list[str], after: list[str], cli: Any) -> None:
    first = cli(*before)
    second = cli(*after)
    assert (second.exit_code, second.stdout, second.stderr) == (
        first.exit_code,
        first.stdout,
        first.stderr,
    )
    assert "No such option" not in second.stderr


def test_the_catalog_option_after_the_command(cli: Any) -> None:
    catalog = str(paths.builtin_catalog_path())
    result = cli("next", "--catalog", catalog, "--json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 1
    missing = cli("next", "--catalog", "nope.yaml")
    assert missing.exit_code == 2 and "nope.yaml" in missing.stderr


def test_as_a_real_process(run_canon: Any) -> None:
    # the first run takes the fast path, the second (an option typer must judge) does not
    fast = run_canon("list", "-s", "agents", "--lang", "zh", "--json")
    assert fast.exit_code == 0
    assert json.loads(fast.stdout)[0]["summary"] != ""
    slow = run_canon("list", "--lang", "zh", "--status", "read", "-n", "1")
    assert slow.exit_code == 0, slow.stderr


def test_the_fast_path_takes_them_after_the_command() -> None:
    parsed = fastpath.parse(["search", "gpt", "--lang", "zh", "--catalog", "x.yaml"])
    assert parsed is not None
    assert parsed.globals["lang"] == "zh" and str(parsed.globals["catalog"]) == "x.yaml"
    assert parsed.values["query"] == ["gpt"]
    moved = fastpath.parse(["--json", "tags"])
    assert moved is not None and moved.values == {"as_json": True}
