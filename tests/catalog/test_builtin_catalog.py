"""The shipped catalog: complete, well-formed, and read the same way every run."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from canon_cli import paths
from canon_cli.catalog.load import load_catalogs
from canon_cli.catalog.snapshot import open_catalog
from canon_cli.errors import CatalogError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def catalog() -> object:
    return open_catalog([paths.builtin_catalog_path()], paths.cache_dir())


def test_catalog_shape(catalog: object) -> None:
    from canon_cli.catalog.store import Catalog

    assert isinstance(catalog, Catalog)
    entries = list(catalog.entries())
    assert len(entries) == 96
    assert len({e.id for e in entries}) == 96
    assert len({e.url for e in entries}) == 96
    counts = catalog.section_counts()
    leaves = [s.slug for s in catalog.sections if not catalog.subtree(s.slug)[1:]]
    assert all(counts.get(slug, 0) > 0 for slug in leaves)
    assert [e.id for e in entries if e.section == "agents"] == [
        "autonomous-machine-intelligence",
        "react",
        "generative-agents",
        "reflexion",
        "toolformer",
        "auto-gpt",
        "babyagi",
    ]
    top = [s.slug for s in catalog.sections if s.parent is None]
    assert top == [
        "introductions",
        "foundations",
        "tech-deep-dive",
        "practical-guides",
        "market-analysis",
        "research",
    ]
    assert catalog.section_by_slug["new-models"].path == ("research", "llms", "new-models")


def test_every_entry_is_bilingual_with_controlled_tags(catalog: object) -> None:
    from canon_cli.catalog.store import Catalog

    assert isinstance(catalog, Catalog)
    for entry in catalog.entries():
        assert entry.summary_en.strip() and entry.summary_zh and entry.summary_zh.strip(), entry.id
        assert re.search(r"[\u4e00-\u9fff]", entry.summary_zh), entry.id
        assert entry.tags and set(entry.tags) <= set(catalog.tags), entry.id
        assert not re.search(r"\(\d{4}\)", entry.title), entry.id
        assert entry.url_problem is None, entry.id
    research = [e for e in catalog.entries() if e.section_path[0] == "research"]
    assert all(e.year for e in research)
    titles = {e.id: e.title for e in catalog.entries()}
    assert "music" in titles["musiclm"] and "nusic" not in titles["musiclm"]


def test_schema_forbids_unknown_fields(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: 1\nsections:\n  - slug: s\n    name: {en: S}\nentries:\n"
        "  - id: a\n    title: A\n    url: https://example.org/a\n    section: s\n"
        "    kind: paper\n    summary: {en: x}\n    colour: red\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as info:
        load_catalogs([bad])
    message = str(info.value)
    assert f"{bad}:12:" in message
    assert "entry 'a'" in message and "colour" in message and "unknown field" in message


def test_changed_catalog_is_reread(tmp_path: Path, cli: object) -> None:
    source = tmp_path / "c.yaml"
    base = (ROOT / "data" / "canon.yaml").read_text(encoding="utf-8")
    source.write_text(base, encoding="utf-8")
    first = cli("--catalog", str(source), "list", "--json")  # type: ignore[operator]
    assert len(json.loads(first.stdout)) == 96
    source.write_text(base.replace("title: BabyAGI", "title: BabyAGI renamed"), encoding="utf-8")
    second = cli("--catalog", str(source), "show", "babyagi", "--json")  # type: ignore[operator]
    assert json.loads(second.stdout)["title"] == "BabyAGI renamed"


def test_a_bad_catalog_points_to_a_format_doc_that_exists(cli: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- a list\n", encoding="utf-8")
    result = cli("--catalog", str(bad), "list")
    assert result.exit_code == 3
    doc = Path(result.stderr.rsplit(" ", 1)[-1].strip())
    assert doc.name == "catalog-format.md" and doc.is_file()


# --- schema version 2 ---------------------------------------------------------------

PREVIOUS = ROOT / "tests" / "data" / "canon-v1.yaml"  # data/canon.yaml at 21059e8


def test_every_previous_id_resolves_to_the_same_entry(catalog: object) -> None:
    """The catalog before the ids were shortened (git show 21059e8:data/canon.yaml)."""
    from ruamel.yaml import YAML

    from canon_cli.catalog.query import resolve_entry
    from canon_cli.catalog.store import Catalog

    assert isinstance(catalog, Catalog)
    previous = YAML(typ="safe").load(PREVIOUS.read_text(encoding="utf-8"))["entries"]
    assert len(previous) == 96
    renamed = 0
    for old in previous:
        entry = resolve_entry(catalog, old["id"])
        assert entry.title == old["title"], old["id"]
        assert entry.url == old["url"] or entry.url == old["url"].split("/ref=")[0], old["id"]
        if entry.id != old["id"]:
            renamed += 1
            assert old["id"] in entry.aliases
    assert renamed == 39


def test_a_version_1_file_still_loads(tmp_path: Path) -> None:
    loaded = load_catalogs([PREVIOUS])
    assert len(loaded.entries) == 96
    first = loaded.entries[0][0]
    assert first.minutes is None and first.note is None and first.venue is None


def _one_entry(tmp_path: Path, version: int, extra: str) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(
        f"version: {version}\nsections:\n  - slug: s\n    name: {{en: S}}\nentries:\n"
        "  - id: a\n    title: A\n    url: https://example.org/a\n    section: s\n"
        f"    kind: paper\n    summary: {{en: x}}\n{extra}",
        encoding="utf-8",
    )
    return path


def test_version_2_fields_load_and_reach_the_snapshot(tmp_path: Path) -> None:
    path = _one_entry(
        tmp_path,
        2,
        "    arxiv: '2203.07814'\n    doi: 10.1126/science.abq1158\n    minutes: 20\n"
        "    venue: {type: journal, name: Science, year: 2022}\n"
        "    note: {en: Corrected., zh: 已更正。}\n    archive: https://web.archive.org/web/x\n",
    )
    entry = next(open_catalog([path], tmp_path / "cache").entries())
    assert (entry.arxiv, entry.doi, entry.minutes) == ("2203.07814", "10.1126/science.abq1158", 20)
    assert entry.venue is not None and entry.venue.label() == "Science 2022"
    assert entry.venue.type == "journal"
    assert (entry.note("en"), entry.note("zh")) == ("Corrected.", "已更正。")
    assert entry.archive == "https://web.archive.org/web/x"


@pytest.mark.parametrize(
    ("version", "extra", "message"),
    [
        (1, "    minutes: 20\n", "entry 'a', minutes: this field needs catalog version 2"),
        (1, "    note: {en: x}\n", "entry 'a', note: this field needs catalog version 2"),
        (2, "    arxiv: arXiv:1706.03762\n", "entry 'a', arxiv: String should match"),
        (2, "    doi: https://doi.org/10.1/x\n", "entry 'a', doi: String should match"),
        (2, "    minutes: 0\n", "entry 'a', minutes: Input should be greater than or equal to 1"),
        (2, "    venue: {type: blog, name: X, year: 2020}\n", "venue type must be one of"),
        (2, "    venue: {name: X, year: 2020}\n", "entry 'a', venue, type: Field required"),
        (2, "    colour: red\n", "entry 'a', colour: unknown field"),
        (3, "", "catalog version 3 is newer than this canon understands (2)"),
    ],
)
def test_version_2_fields_are_checked(
    tmp_path: Path, version: int, extra: str, message: str
) -> None:
    path = _one_entry(tmp_path, version, extra)
    with pytest.raises(CatalogError) as info:
        load_catalogs([path])
    assert message in str(info.value)
    assert f"{path}:" in str(info.value)


def test_a_refused_archive_link_is_reported_like_any_link(tmp_path: Path) -> None:
    path = _one_entry(tmp_path, 2, "    archive: javascript:alert(1)\n")
    entry = next(open_catalog([path], tmp_path / "cache").entries())
    assert entry.url_problem is not None and entry.url_problem.startswith("archive link")
