"""``canon export --format bibtex`` on the quick path: the general path's writer, fed from
the snapshot, gives the same bytes on a catalog with every kind of record in it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from canon_cli import paths
from canon_cli.quick.serve import answer
from tests.quick.test_same_answers import _run

CATALOG = """\
version: 2
sections:
  - slug: odd
    name: {en: Odd records, zh: 奇怪的记录}
  - slug: odd-sub
    name: {en: Below}
    parent: odd
entries:
  - id: journal-paper
    title: "Q&A: 100% of $5 #1 snake_case {braces} ~tilde ^caret back\\\\slash GPT-4"
    title_zh: 期刊论文
    url: https://example.org/a_(b)?q=1%20&x=#frag
    section: odd
    year: 2020
    authors: [Ann Smith, "Bob, Jr. Brown", Research and Development Lab, et al.]
    kind: paper
    tags: [llm]
    venue: {type: journal, name: "Nature & Co", year: 2021}
    doi: 10.1000/xyz_1
    summary: {en: one}
  - id: conference-paper
    title: Deep nets
    url: https://arxiv.org/pdf/2303.18223v4.pdf
    section: odd-sub
    year: 2020
    authors: [Ann Smith]
    kind: paper
    arxiv: "2303.18223"
    venue: {type: conference, name: NeurIPS, year: 2020}
    summary: {en: two}
  - id: old-arxiv
    title: Deep nets, again
    url: https://arxiv.org/abs/cs/0112017v1
    section: odd
    year: 2020
    authors: [Ann Smith]
    kind: paper
    summary: {en: three}
  - id: refused-main
    title: A link canon will not open
    url: "ftp://example.org/file"
    section: odd
    year: 2019
    authors: [Émile Zola]
    kind: article
    summary: {en: four}
  - id: refused-extra
    title: The main link is fine
    url: https://example.org/fine
    section: odd-sub
    kind: video
    summary: {en: five}
    links:
      - {label: other, url: "javascript:alert(1)"}
"""
LINES = [
    ["export", "-f", "bibtex"],
    ["export", "-f", "bibtex", "-s", "odd"],
    ["export", "-f", "bibtex", "-s", "odd-sub"],
    ["export", "-f", "bibtex", "--kind", "paper", "--year", "2020"],
    ["export", "-f", "bibtex", "--status", "done"],
    ["export", "-f", "bibtex", "-t", "llm", "--lang", "zh"],
]


@pytest.fixture
def odd(cli: Any, canon_home: Path, tmp_path: Path) -> None:
    """The odd catalog beside the built-in one, its snapshot proven, one entry done."""
    catalog = tmp_path / "odd.yaml"
    catalog.write_text(CATALOG, encoding="utf-8")
    assert cli("config", "add-catalog", str(catalog)).exit_code == 0
    assert cli("done", "refused-main", "bert").exit_code == 0
    prove_snapshots()


def prove_snapshots() -> None:
    """What the general path keeps once the racy window has passed (catalog/racy.py), for
    every snapshot: the quick path then reads them."""
    for snapshot in paths.cache_dir().glob("catalog-*.sqlite"):
        db = sqlite3.connect(snapshot)
        meta = dict(db.execute("SELECT key, value FROM meta"))
        db.close()
        if "racy" in meta:
            proof = f"{meta['identity']}\n{meta['racy']}\n"
            Path(f"{snapshot}.proven").write_text(proof, "utf-8")


@pytest.mark.usefixtures("odd")
@pytest.mark.parametrize("argv", LINES, ids=[" ".join(a[3:]) or "all" for a in LINES])
def test_the_records_are_the_general_paths(argv: list[str], cli: Any) -> None:
    quick = answer(argv)
    general = cli(*argv)
    assert quick is not None
    assert (general.exit_code, general.stdout, general.stderr) == (0, quick, "")


@pytest.mark.usefixtures("odd")
def test_keys_and_links_in_the_quick_answer() -> None:
    found = answer(["export", "-f", "bibtex", "-s", "odd"])
    assert found is not None
    records = {r.split("{", 1)[1].split(",", 1)[0]: r for r in found.split("\n@")}
    # two Smith 2020 "deep" papers: letters in reading order, the same under any filter
    keys = {"smith2020qa", "smith2020deepa", "smith2020deepb", "zola2019link", "main"}
    assert set(records) == keys
    assert "journal = {Nature \\& Co}" in records["smith2020qa"]
    assert "journal = {arXiv preprint arXiv:cs/0112017}" in records["smith2020deepa"]
    assert "booktitle = {NeurIPS}" in records["smith2020deepb"]
    assert "url" not in records["zola2019link"]  # a refused main link is left out
    assert "url = {https://example.org/fine}" in records["main"]  # only an extra one is
    below = answer(["export", "-f", "bibtex", "-s", "odd-sub"])
    assert below is not None and below.startswith("@inproceedings{smith2020deepb,")


@pytest.mark.usefixtures("odd")
def test_a_real_run_imports_no_typing_json_or_url_parser(cli: Any) -> None:
    # (only a refused link is split as a URL: these papers have none)
    argv = ["export", "--format", "bibtex", "--kind", "paper"]
    found = _run(argv)
    modules = found.stderr.split()
    assert found.returncode == 0 and found.stdout == cli(*argv).stdout
    heavy = {"typing", "pathlib", "json", "urllib.parse", "gettext", "tomllib", "typer"}
    assert heavy.isdisjoint(modules), heavy.intersection(modules)
    canon = {m for m in modules if m.startswith("canon_cli.") and ".quick" not in m}
    assert canon == {
        "canon_cli.__main__",
        "canon_cli.catalog",
        "canon_cli.catalog.key",
        "canon_cli.catalog.urls",
        "canon_cli.charsets",
        "canon_cli.i18n",
        "canon_cli.output",
        "canon_cli.output.bibtex",
        "canon_cli.text",
        "canon_cli.vocab",
    }


@pytest.mark.usefixtures("odd")
def test_every_light_record_holds_what_the_catalog_entry_holds() -> None:
    """quick/export.Record against catalog/store.entry_from_row, on every entry."""
    from canon_cli.catalog.store import ENTRY_COLUMNS, entry_from_row
    from canon_cli.quick.export import _AUTHORS, _COLUMNS, Record

    snapshots = list(paths.cache_dir().glob("catalog-*.sqlite"))
    db = sqlite3.connect(max(snapshots, key=lambda p: p.stat().st_size))
    path = db.execute("PRAGMA database_list").fetchone()[2]
    db.execute("ATTACH DATABASE ? AS cat", (path,))  # the quick path's SQL names it cat
    authors: dict[str, list[str]] = {}
    for entry_id, name in db.execute(_AUTHORS):
        authors.setdefault(entry_id, []).append(name)
    light = [
        Record(r, authors.get(r[0], []))
        for r in db.execute(f"SELECT {_COLUMNS} FROM cat.entries ORDER BY ord")
    ]
    full = [
        entry_from_row(r) for r in db.execute(f"SELECT {ENTRY_COLUMNS} FROM entries ORDER BY ord")
    ]
    db.close()
    assert len(light) == len(full) > 96
    for record, entry in zip(light, full, strict=True):
        assert (record.id, record.title, record.url, record.year) == (
            entry.id,
            entry.title,
            entry.url,
            entry.year,
        )
        assert (tuple(record.authors), tuple(record.tags)) == (entry.authors, entry.tags)
        assert (record.arxiv, record.doi, record.url_problem) == (
            entry.arxiv,
            entry.doi,
            entry.url_problem,
        )
        venue = (
            None
            if record.venue is None
            else (record.venue.type, record.venue.name, record.venue.year)
        )
        assert venue == (None if entry.venue is None else tuple(entry.venue)), entry.id
