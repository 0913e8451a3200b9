"""``list`` to a pipe: the lines SQLite makes are the lines the general path prints.

The quick path builds each line of ``list`` in SQL (id, year, kind, status, section,
title in the reader's language, "!" after a refused link). These catalogs hold what that
SQL must get right: no year, a Chinese title or none, a refused link, statuses, limits,
and titles whose characters are not all plainly printable.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from canon_cli import paths
from canon_cli.quick.answers import plain_text
from canon_cli.quick.serve import answer

ENTRIES = [
    # id, title, extra YAML lines
    ("first", "Plain ASCII title", "    year: 2021\n    title_zh: 第一篇\n"),
    ("no-year", "A title with no year", ""),
    ("refused", "Its link is refused", "    year: 2020\n"),
    (
        "ideographic",
        "Deep\u3000learning\u00a0notes",
        "    year: 2019\n    title_zh: " + json.dumps("深度\u3000学习") + "\n",
    ),
    ("accented", "Café économie", "    year: 2018\n"),
    ("second", "Another plain one", "    year: 2024\n"),
]


def _catalog(path: Path, entries: list[tuple[str, str, str]]) -> Path:
    body = "".join(
        f"  - id: {entry_id}\n    title: {json.dumps(title)}\n"
        f"    url: {'ftp:' if entry_id == 'refused' else 'https:'}//example.org/{entry_id}\n"
        f"    section: s\n    kind: paper\n    summary: {{en: x}}\n{extra}"
        for entry_id, title, extra in entries
    )
    path.write_text(
        f"version: 1\nsections:\n  - slug: s\n    name: {{en: S, zh: 节}}\nentries:\n{body}",
        encoding="utf-8",
    )
    return path


def _prove_all() -> None:
    """What the general path records once the racy window has passed (catalog/racy.py)."""
    for snapshot in paths.cache_dir().glob("catalog-*.sqlite"):
        db = sqlite3.connect(snapshot)
        meta = dict(db.execute("SELECT key, value FROM meta"))
        db.close()
        Path(f"{snapshot}.proven").write_text(f"{meta['identity']}\n{meta['racy']}\n", "utf-8")


@pytest.fixture
def own(cli: Any, canon_home: Path, tmp_path: Path) -> Path:
    """The catalog above (``--catalog``), built, proven and with some marks."""
    catalog = _catalog(tmp_path / "own.yaml", ENTRIES)
    for mark, entry_id in (("done", "first"), ("start", "ideographic"), ("skip", "no-year")):
        assert cli("--catalog", str(catalog), mark, entry_id).exit_code == 0
    _prove_all()
    return catalog


LINES = [
    ["list"],
    ["list", "-s", "s"],
    ["list", "--lang", "zh", "-s", "s"],
    ["list", "-s", "s", "--status", "done"],
    ["list", "-s", "s", "--status", "unread", "--status", "reading"],
    ["list", "-s", "s", "-n", "2"],
    ["list", "-s", "s", "--status", "unread", "-n", "1"],
    ["list", "-s", "s", "--year", "..2020"],
    ["list", "-n", "3"],  # no year, a refused link: all printable ASCII
    ["list", "--status", "done", "--lang", "zh"],  # a Chinese title
    ["list", "--status", "skipped"],
]


@pytest.mark.parametrize("argv", LINES, ids=[" ".join(a) for a in LINES])
def test_each_line_is_the_general_paths(own: Path, cli: Any, argv: list[str]) -> None:
    argv = ["--catalog", str(own), *argv]
    quick = answer(argv)
    general = cli(*argv)
    assert general.exit_code == 0
    assert quick == general.stdout


def test_the_lines_show_what_the_catalog_holds(own: Path) -> None:
    found = answer(["list", "-s", "s", "--catalog", str(own)])
    assert found is not None
    assert found.splitlines() == [
        "first\t2021\tpaper\tdone\ts\tPlain ASCII title",
        "no-year\t\tpaper\tskipped\ts\tA title with no year",
        "refused\t2020\tpaper\tunread\ts\tIts link is refused!",
        "ideographic\t2019\tpaper\treading\ts\tDeep\u3000learning\u00a0notes",
        "accented\t2018\tpaper\tunread\ts\tCafé économie",
        "second\t2024\tpaper\tunread\ts\tAnother plain one",
    ]
    chinese = answer(["list", "-s", "s", "--lang", "zh", "--catalog", str(own)])
    assert chinese is not None
    assert "\t第一篇\n" in chinese and "\t深度\u3000学习\n" in chinese
    assert "\tCafé économie\n" in chinese  # no Chinese title: the English one


@pytest.mark.parametrize("title", ["A\tB", "A\x1bB", "A\u202eB"])
def test_a_title_the_general_path_escapes_is_left_to_it(
    cli: Any, canon_home: Path, tmp_path: Path, title: str
) -> None:
    catalog = _catalog(tmp_path / "odd.yaml", [("odd", title, "    year: 2020\n")])
    canon_home.mkdir(parents=True, exist_ok=True)
    assert cli("list", "--catalog", str(catalog)).exit_code == 0  # builds the snapshot
    _prove_all()
    assert answer(["list", "--catalog", str(catalog)]) is None
    shown = cli("list", "--catalog", str(catalog)).stdout
    assert shown.startswith("odd\t2020\t") and title not in shown  # as text.clean shows it


@pytest.mark.parametrize(
    ("text", "tabs", "lines", "plain"),
    [
        ("a\tb\n", 1, 1, True),
        ("a\tb\nc\td\n", 2, 2, True),
        ("a\tb\tc\n", 1, 1, False),  # a tab inside a value
        ("a\tb\n\n", 1, 1, False),  # a line break inside a value
        ("a\x07\tb\n", 1, 1, False),
        ("a\x7f\tb\n", 1, 1, False),
        ("é\tb\n", 1, 1, True),
        ("é\x07\tb\n", 1, 1, False),
        ("é\u3000\tb\n", 1, 1, False),  # not printable as Python counts it: cell by cell
        ("é\tb\tc\n", 1, 1, False),
    ],
)
def test_the_whole_answer_check(text: str, tabs: int, lines: int, plain: bool) -> None:
    assert plain_text(text, tabs, lines) is plain


def test_printable_lines_are_taken_as_sqlite_made_them(
    own: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from canon_cli.quick import answers

    def cell_by_cell(*_args: object) -> None:
        raise AssertionError("the answer was printable: no second query")

    monkeypatch.setattr(answers, "entry_row", cell_by_cell)
    found = answer(["--catalog", str(own), "list", "-n", "3"])
    assert found is not None and found.endswith("\tIts link is refused!\n")
    found = answer(["--catalog", str(own), "--lang", "zh", "list", "--status", "done"])
    assert found == "first\t2021\tpaper\tdone\ts\t第一篇\n"
    with pytest.raises(AssertionError, match="no second query"):
        answer(["--catalog", str(own), "list"])  # U+3000: checked cell by cell
