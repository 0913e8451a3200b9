"""The shipped catalog as data: faithful to the list it was built from, with every
departure recorded, and the librarian's fields (ids, titles, identifiers, times) complete.

These tests read data/canon.yaml directly, so they say what the file holds whatever
the code that loads it does.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from canon_cli.vocab import ID_TARGET_LENGTH

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "data" / "canon.yaml"
SEED = ROOT / "tests" / "data" / "ai-canon-zh.md"  # the list the catalog was built from
READING_TIMES = ROOT / "docs" / "reading-times.md"

# Every place where the catalog knowingly differs from the list it was built from:
# (entry id, field) -> (text in the list, text in the catalog). The test below fails on
# any other difference, and on a departure listed here that is no longer there.
# Titles compare without regard to case (the catalog writes titles in sentence case).
DEPARTURES: dict[tuple[str, str], tuple[str, str]] = {
    ("rlhf-talk", "summary.zh"): ("John Shulman", "John Schulman"),
    ("opt", "summary.zh"): ("175 亿", "1750 亿"),
    ("opt", "title_zh"): ("转换器", " Transformer "),
    ("bert", "title_zh"): ("变压器", " Transformer "),
    ("llama", "title_zh"): ("基线", "基础"),
    ("lamda", "summary.en"): ("A model form Google", "A model from Google"),
    ("babyagi", "summary.en"): ("plan and executes", "plan and execute"),
    ("musiclm", "title"): ("nusic", "music"),
    ("constitutional-ai", "title"): (" (2022)", ": Harmlessness from AI feedback"),
    ("predictive-learning", "title"): (", NIPS 2016", ""),
    ("alphacode", "year"): ("2021", "2022"),
    ("pre-training-gnns", "year"): ("2020", "2019"),
    (
        "deep-medicine",
        "url",
    ): (
        "/ref=sr_1_1?hvadid=580688888836&hvdev=c&hvlocphy=9031955&hvnetw=g&hvqmt=e"
        "&hvrand=13698160037271563598&hvtargid=kwd-646099228782&hydadcr=15524_13517408"
        "&keywords=eric+topol+deep+medicine&qid=1684965845&sr=8-1",
        "",
    ),
}

ARXIV_ID = re.compile(r"^\d{4}\.\d{4,5}$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
SECTION_RULE_TAGS = {"image-generation": "multimodal", "video-generation": "multimodal"}


def load(path: Path = CATALOG) -> dict[str, Any]:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def entries() -> list[dict[str, Any]]:
    return list(load()["entries"])


def flat(text: str) -> str:
    """One spelling for whitespace and apostrophes, for comparing prose."""
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip()


def seed_prose(markdown: str, *, english: bool = False) -> str:
    """The seed text as a reader sees it: link labels without their URLs.

    The catalog's English summaries leave out the "([blog post](url))" pointers (the links
    are in ``links``); its Chinese ones keep them as "(label)", bar the generic markers.
    """
    pointer = r"\s*\(\[[^\]]+\]\([^)]+\)\)\.?" if english else r"\(\[([^\]]+)\]\([^)]+\)\)"
    text = re.sub(pointer, "" if english else r"(\1)", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"\s*[（(](博客文章|网站|解释者|视频)[）)]。?", "", text)
    return flat(text)


def seed_bullets() -> list[dict[str, Any]]:
    """Each bullet of the seed: title, URL, year, and its English description if it has one."""
    bullets = []
    for title, url, rest in re.findall(r"^- \[(.+?)\]\((\S+?)\)(.*)$", SEED.read_text(), re.M):
        year = re.match(r"\s*\((\d{4})\)", rest)
        description = re.sub(r"^\s*(\(\d{4}\))?\s*:?\s*", "", rest)
        english = None
        if not re.search(r"[\u4e00-\u9fff]", description):
            english = seed_prose(description, english=True)
        bullets.append({"title": title, "url": url, "year": year and year.group(1), "en": english})
    return bullets


def undo(entry_id: str, field: str, value: str) -> str:
    """The catalog's value with its recorded departure turned back into the seed's text."""
    seed, ours = DEPARTURES.get((entry_id, field), ("", ""))
    if not seed and not ours:
        return value
    assert ours in value or not ours, f"{entry_id} {field}: recorded departure {ours!r} is gone"
    return value.replace(ours, seed) if ours else value + seed


def test_catalog_departs_from_the_seed_only_where_recorded(entries: list[dict[str, Any]]) -> None:
    bullets = seed_bullets()
    assert len(bullets) == len(entries) == 96
    prose = seed_prose(SEED.read_text(encoding="utf-8"))
    by_id = {entry["id"]: entry for entry in entries}
    for bullet, entry in zip(bullets, entries, strict=True):
        ident = entry["id"]
        assert undo(ident, "url", entry["url"]) == bullet["url"], ident
        title = flat(undo(ident, "title", entry["title"])).casefold()
        assert title == flat(bullet["title"]).casefold(), ident
        if bullet["year"]:
            assert undo(ident, "year", str(entry.get("year"))) == bullet["year"], ident
        if bullet["en"] is not None:
            assert flat(undo(ident, "summary.en", entry["summary"]["en"])) == bullet["en"], ident
            # the seed gives these a Chinese title, in its paragraph of Chinese summaries
            title_zh = flat(undo(ident, "title_zh", entry["title_zh"]))
            assert re.search(re.escape(title_zh) + r"\s*[（(：]", prose), ident
        assert flat(undo(ident, "summary.zh", entry["summary"]["zh"])) in prose, ident
    for ident, field in DEPARTURES:
        assert ident in by_id, ident
        note = by_id[ident].get("note")
        assert note and note["en"].strip() and note["zh"].strip(), f"{ident}: {field} unrecorded"
    # every URL of the seed (extra links too) is in the catalog, bar the recorded clean-ups
    urls = {e["url"] for e in entries}
    urls |= {link["url"] for e in entries for link in e.get("links", [])}
    urls.add(load()["source"])
    cleaned = {seed for (_, field), (seed, _) in DEPARTURES.items() if field == "url"}
    seed_urls = set(re.findall(r"https?://[^\s)]+", SEED.read_text(encoding="utf-8")))
    for url in seed_urls:
        assert url in urls or any(part in url for part in cleaned), url


def test_ids_are_short_unique_and_keep_every_former_id(entries: list[dict[str, Any]]) -> None:
    catalog = load()
    names: list[str] = []
    for entry in entries:
        assert len(entry["id"]) <= ID_TARGET_LENGTH, entry["id"]
        names += [entry["id"], *entry.get("aliases", [])]
    assert len(names) == len(set(names))
    # a former id may equal a tag (the old 'rlhf'), a current id may not
    assert not {entry["id"] for entry in entries} & set(catalog["tags"]), "an id that is a tag"
    assert {"rlhf-huyen", "rlhf-talk"} <= set(names)


def test_every_entry_has_a_chinese_title_and_a_reading_time(entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        assert entry.get("title_zh", "").strip(), entry["id"]
        assert isinstance(entry.get("minutes"), int) and entry["minutes"] > 0, entry["id"]
    with_chinese = [e for e in entries if re.search(r"[\u4e00-\u9fff]", e["title_zh"])]
    assert len(with_chinese) >= 88  # the rest are proper names (BabyAGI, Chatbot Arena ...)


def test_citation_identifiers_are_well_formed_and_complete(entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        found = re.search(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})", entry["url"])
        if found:
            assert entry.get("arxiv") == found.group(1), entry["id"]
        if "arxiv" in entry:
            assert ARXIV_ID.match(entry["arxiv"]), entry["id"]
        if "doi" in entry:
            assert DOI.match(entry["doi"]), entry["id"]
        venue = entry.get("venue")
        if venue is not None:
            assert venue["type"] in ("conference", "journal"), entry["id"]
            assert venue["name"].strip() and isinstance(venue["year"], int), entry["id"]
            assert venue["year"] >= entry["year"], entry["id"]  # the year is the first release
    by_id = {entry["id"]: entry for entry in entries}
    assert by_id["deep-rl-from-human-preferences"]["arxiv"] == "1706.03741"
    assert by_id["alphacode"]["arxiv"] == "2203.07814"
    assert by_id["alphafold"]["doi"] == "10.1038/s41586-019-1923-7"
    assert sum("arxiv" in entry for entry in entries) >= 43
    # journals issue DOIs; JMLR is the one that does not
    journals = [e for e in entries if e.get("venue", {}).get("type") == "journal"]
    assert journals
    for entry in journals:
        if entry["venue"]["name"] != "Journal of Machine Learning Research":
            assert "doi" in entry, entry["id"]


def test_tags_follow_the_written_rule(entries: list[dict[str, Any]]) -> None:
    """docs/catalog-format.md, 'Tags': the parts of the rule a program can check."""
    for entry in entries:
        tags = set(entry["tags"])
        if "code" in tags:
            assert entry["section"] == "code-generation", entry["id"]
        if entry["kind"] == "repository":
            assert "open-source" in tags, entry["id"]
        if re.search(r"open[- ]source|publicly available", entry["summary"]["en"], re.I):
            assert "open-source" in tags, entry["id"]
        wanted = SECTION_RULE_TAGS.get(entry["section"])
        if wanted:
            assert wanted in tags, entry["id"]
    by_id = {entry["id"]: entry for entry in entries}
    assert "code" not in by_id["the-annotated-transformer"]["tags"]


def test_one_spelling_per_author_and_proper_case_labels(entries: list[dict[str, Any]]) -> None:
    spellings: dict[tuple[str, str], set[str]] = {}
    for entry in entries:
        for author in entry.get("authors", []):
            parts = author.replace(".", "").split()
            spellings.setdefault((parts[0], parts[-1]), set()).add(author)
        for link in entry.get("links", []):
            label = link["label"]
            assert label[0].isupper() or label.startswith("a16z"), (entry["id"], label)
        assert "?" not in entry["url"] or "utm_" not in entry["url"], entry["id"]
    assert {k: v for k, v in spellings.items() if len(v) > 1} == {}


def test_reading_times_doc_matches_the_catalog(entries: list[dict[str, Any]]) -> None:
    rows = re.findall(
        r"^\| `([a-z0-9-]+)` \| (\w+) \| (\d+) \| (.+?) \|$",
        READING_TIMES.read_text(encoding="utf-8"),
        re.M,
    )
    documented = {ident: (kind, int(minutes), basis) for ident, kind, minutes, basis in rows}
    assert set(documented) == {entry["id"] for entry in entries}
    for entry in entries:
        kind, minutes, basis = documented[entry["id"]]
        assert (kind, minutes) == (entry["kind"], entry["minutes"]), entry["id"]
        if "estimate" in basis:
            step = 15 if minutes >= 60 else 5
            assert minutes % step == 0, f"{entry['id']}: an estimate rounded to {step} min"
