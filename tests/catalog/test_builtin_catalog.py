"""The shipped catalog: complete, well-formed, and read the same way every run."""

from __future__ import annotations

import json
import re
from pathlib import Path

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
