"""``list --sort`` and ``list --rating``, and the rating shown in lists."""

from __future__ import annotations

import json
from typing import Any

import pytest

from canon_cli import paths
from canon_cli.catalog.snapshot import open_catalog
from canon_cli.reading.marks import mark_entries
from canon_cli.reading.status import open_state

DAY_MS = 86_400_000


@pytest.fixture
def rated(cli: Any) -> Any:
    for entry, rating in (("bert", "5"), ("lora", "3"), ("react", "4"), ("gpt-1", "4")):
        assert cli("rate", entry, rating).exit_code == 0
    return cli


def _ids(out: str) -> list[str]:
    return [line.split("\t")[0] for line in out.splitlines()]


def test_rating_keeps_entries_rated_that_or_more_in_curriculum_order(rated: Any) -> None:
    everything = _ids(rated("list").stdout)
    found = _ids(rated("list", "--rating", "4").stdout)
    assert sorted(found) == ["bert", "gpt-1", "react"]
    assert found == [e for e in everything if e in found]
    assert _ids(rated("list", "--rating", "5").stdout) == ["bert"]
    assert _ids(rated("list", "--rating", "1", "--section", "agents").stdout) == ["react"]


@pytest.mark.parametrize("value", ["0", "6", "x"])
def test_a_rating_out_of_range_is_a_usage_error(cli: Any, value: str) -> None:
    result = cli("list", "--rating", value)
    assert result.exit_code == 2 and "--rating" in result.stderr


def test_sort_by_rating_puts_the_best_first_and_the_unrated_last(rated: Any) -> None:
    ids = _ids(rated("list", "--sort", "rating").stdout)
    assert ids[:4] == ["bert", "gpt-1", "react", "lora"]  # gpt-1 before react: curriculum
    everything = _ids(rated("list").stdout)
    assert ids[4:] == [e for e in everything if e not in ids[:4]]
    assert _ids(rated("list", "--sort", "rating", "-n", "2").stdout) == ["bert", "gpt-1"]


def test_sort_by_year_and_title(cli: Any) -> None:
    rows = [line.split("\t") for line in cli("list", "--sort", "year").stdout.splitlines()]
    years = [int(r[1]) for r in rows if r[1]]
    assert years == sorted(years) and len(rows) == 96
    assert all(r[1] for r in rows[: len(years)])  # entries without a year come last
    titles = [line.split("\t")[5] for line in cli("list", "--sort", "title").stdout.splitlines()]
    assert titles == sorted(titles, key=str.casefold)


def test_sort_by_finished_puts_the_latest_first(cli: Any) -> None:
    catalog = open_catalog([paths.builtin_catalog_path()], paths.cache_dir())
    store = open_state()
    assert store is not None
    try:
        now = 1_780_000_000_000
        for days_ago, entry in ((3, "bert"), (1, "react"), (2, "lora")):
            mark_entries(catalog, lambda: store, [entry], "done", now - days_ago * DAY_MS)
    finally:
        store.close()
    ids = _ids(cli("list", "--sort", "finished").stdout)
    assert ids[:3] == ["react", "lora", "bert"]
    assert ids[3] == "software-2-0"  # then the rest, in curriculum order
    assert _ids(cli("list", "--sort", "finished", "--status", "done").stdout) == ids[:3]


def test_an_unknown_sort_key_is_refused(cli: Any) -> None:
    result = cli("list", "--sort", "author")
    assert result.exit_code == 2 and "'author'" in result.stderr
    assert "'year', 'title', 'rating', 'finished'" in result.stderr


def test_the_pipe_keeps_its_six_columns_and_json_has_the_rating(rated: Any) -> None:
    out = rated("list", "--sort", "rating").stdout
    assert {len(line.split("\t")) for line in out.splitlines()} == {6}
    data = json.loads(rated("list", "--rating", "4", "--json").stdout)
    assert {e["id"]: e["rating"] for e in data} == {"bert": 5, "react": 4, "gpt-1": 4}
    assert json.loads(rated("list", "-n", "1", "--json").stdout)[0]["rating"] is None
    nxt = json.loads(rated("next", "-n", "96", "--json").stdout)
    assert {e["id"]: e["rating"] for e in nxt if e["rating"]}["lora"] == 3


def test_the_terminal_shows_the_rating_and_a_sorted_list_as_one_table(rated: Any) -> None:
    terminal = {"TTY_COMPATIBLE": "1", "NO_COLOR": "1"}
    out = rated("list", "--section", "new-models", env=terminal).stdout
    assert "Rating" in out
    bert = next(line for line in out.splitlines() if line.startswith("bert "))
    assert bert.rstrip().endswith("★★★★★")
    out = rated("list", "--sort", "rating", "-n", "3", env=terminal).stdout
    assert "By your rating, best first" in out
    assert "Landmark research results" not in out  # no section headings when sorted
    assert [line.split()[0] for line in out.splitlines()[2:] if line[:1].isalnum()] == [
        "bert",
        "gpt-1",
        "react",
    ]


def test_a_narrow_terminal_drops_the_rating_before_the_title(rated: Any) -> None:
    out = rated("list", "-s", "agents", env={"FORCE_COLOR": "1", "COLUMNS": "80"}).stdout
    assert "Rating" not in out and "Year" in out
    wide = rated("list", "-s", "agents", env={"FORCE_COLOR": "1", "COLUMNS": "120"}).stdout
    assert "Rating" in wide


def test_without_ratings_there_is_no_rating_column(cli: Any) -> None:
    out = cli("list", "-s", "agents", env={"FORCE_COLOR": "1"}).stdout
    assert "Rating" not in out


def test_sorted_by_rating_the_rating_is_the_last_column_to_go(rated: Any) -> None:
    narrow = {"TTY_COMPATIBLE": "1", "NO_COLOR": "1", "COLUMNS": "50"}
    out = rated("list", "--sort", "rating", "-n", "3", env=narrow).stdout
    header = next(line for line in out.splitlines() if line.startswith("ID "))
    assert "Rating" in header and "Time" not in header and "Kind" not in header, out
    bert = next(line for line in out.splitlines() if line.startswith("bert "))
    assert "★★★★★" in bert
    unsorted = rated("list", "-s", "new-models", env=narrow).stdout
    assert "Rating" not in unsorted and "Status" in unsorted
