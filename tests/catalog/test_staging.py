"""The snapshot is built entry by entry (catalog/staging.py): the same snapshot as a
whole-catalog build, however the file is read, and nothing left behind by a bad one."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canon_cli import paths

HEADER = """\
version: 2
sections:
  - slug: first
    name: {en: First}
  - slug: second
    name: {en: Second, zh: 第二}
entries:
"""


def _entry(n: int, section: str, extra: str = "") -> str:
    return (
        f"  - id: e{n}\n    title: Entry {n}\n    url: https://example.org/{n}\n"
        f"    section: {section}\n    kind: paper\n    summary: {{en: s{n}}}\n{extra}"
    )


def _snapshot_rows() -> list[tuple[Any, ...]]:
    (snapshot,) = paths.cache_dir().glob("catalog-*.sqlite")
    db = sqlite3.connect(snapshot)
    try:
        return db.execute(
            "SELECT ord, id, section, section_path FROM entries ORDER BY ord"
        ).fetchall()
    finally:
        db.close()


def _catalog(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "anchored",
    [False, True],
    ids=["streamed", "read again after an anchor in the fourth entry"],
)
def test_entries_take_their_reading_order_once_each(
    cli: Any, tmp_path: Path, anchored: bool
) -> None:
    """Entries of the second section come first in the file; an anchor makes the fast
    reader stop after three entries, and the file is read again the usual way: what the
    stream had staged is dropped, so no entry is there twice."""
    fourth = "    authors: &who [Ann]\n" if anchored else ""
    fifth = "    authors: *who\n" if anchored else ""
    body = (
        _entry(1, "second")
        + _entry(2, "first")
        + _entry(3, "second")
        + _entry(4, "first", fourth)
        + _entry(5, "second", fifth)
    )
    catalog = _catalog(tmp_path, body)
    result = cli("--catalog", str(catalog), "list")
    assert result.exit_code == 0, result.stderr
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == [
        "e2",
        "e4",
        "e1",
        "e3",
        "e5",
    ]
    assert _snapshot_rows() == [
        (0, "e2", "first", "first"),
        (1, "e4", "first", "first"),
        (2, "e1", "second", "second"),
        (3, "e3", "second", "second"),
        (4, "e5", "second", "second"),
    ]
    found = cli("--catalog", str(catalog), "search", "s5")
    assert found.exit_code == 0 and found.stdout.startswith("e5\t")  # its row of the index


def test_a_bad_entry_leaves_no_snapshot_and_no_temp(cli: Any, tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, _entry(1, "first") + _entry(2, "nowhere"))
    result = cli("--catalog", str(catalog), "list")
    assert result.exit_code == 3
    assert "entry 'e2', section: 'nowhere' is not a known section" in result.stderr
    assert f"{catalog}:" in result.stderr
    cache = paths.cache_dir()
    assert not list(cache.glob("catalog-*")) and not list(cache.glob(".*tmp"))


def test_a_version_1_file_still_may_not_use_version_2_fields(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "v1.yaml"
    text = (HEADER + _entry(1, "first") + _entry(2, "second", "    minutes: 5\n")).replace(
        "version: 2", "version: 1"
    )
    path.write_text(text, encoding="utf-8")
    result = cli("--catalog", str(path), "list")
    assert result.exit_code == 3
    assert f"{path}:20: entry 'e2', minutes: this field needs catalog version 2" in result.stderr


@pytest.mark.parametrize(
    ("entries", "said"),
    [
        ("entries: {}\n", "entries: Input should be a valid list"),
        (
            "entries:\n" + _entry(1, "first") + "  - just a string\n",
            ":14: entry #2: Input should be a valid dictionary",
        ),
    ],
    ids=["a mapping", "a scalar after an entry"],
)
def test_entries_that_are_not_all_entries_get_the_validations_message(
    cli: Any, tmp_path: Path, entries: str, said: str
) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(HEADER.replace("entries:\n", "") + entries, encoding="utf-8")
    result = cli("--catalog", str(path), "list")
    assert result.exit_code == 3 and said in result.stderr, result.stderr


@given(st.text(max_size=40), st.text(alphabet="abc XYZ-é中文字", max_size=20))
def test_the_index_form_skips_the_cjk_scan_only_where_it_finds_nothing(
    text: str, mixed: str
) -> None:
    from canon_cli.catalog.snapshot import _cjk_pattern, _spaced, fts_text

    for sample in (text, mixed, text + " " + mixed):
        assert fts_text(sample) == _cjk_pattern().sub(_spaced, sample.casefold())
    assert fts_text("a") + " " + fts_text(mixed) == fts_text("a " + mixed)  # apart, as one


def test_a_snapshot_built_in_memory_keeps_no_staged_rows(tmp_path: Path) -> None:
    """Built in memory (an unusable cache), the snapshot stays open for the run: its
    staged rows are freed, not kept beside the entries."""
    from canon_cli.catalog.snapshot import _in_memory

    catalog = _catalog(tmp_path, _entry(1, "second") + _entry(2, "first"))
    db = _in_memory([catalog], "key")
    try:
        assert db.execute("SELECT name FROM temp.sqlite_master").fetchall() == []
        assert db.execute("SELECT id FROM entries ORDER BY ord").fetchall() == [("e2",), ("e1",)]
    finally:
        db.close()
