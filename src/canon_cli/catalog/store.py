"""The catalog as canon reads it at run time: shared, read-only data.

Records are NamedTuples rather than dataclasses: a dataclass costs about a millisecond
to define, paid on every run of a command that should start in tens of milliseconds.

``Catalog`` reads a validated snapshot (a SQLite file in the cache dir, see
``snapshot.py``), so a run needs neither YAML parsing nor pydantic once the snapshot
is warm, and a 100,000-entry catalog is queried without loading it into memory.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple


class Section(NamedTuple):
    slug: str
    name_en: str
    name_zh: str | None
    desc_en: str | None
    desc_zh: str | None
    parent: str | None
    path: tuple[str, ...]  # slugs from the top level down to this section

    def name(self, lang: str) -> str:
        return (self.name_zh or self.name_en) if lang == "zh" else self.name_en

    def description(self, lang: str) -> str | None:
        return (self.desc_zh or self.desc_en) if lang == "zh" else self.desc_en


class Link(NamedTuple):
    label: str
    url: str


class Entry(NamedTuple):
    ord: int
    id: str
    title: str
    title_zh: str | None
    url: str
    section: str
    section_path: tuple[str, ...]
    year: int | None
    authors: tuple[str, ...]
    kind: str
    tags: tuple[str, ...]
    summary_en: str
    summary_zh: str | None
    links: tuple[Link, ...]
    aliases: tuple[str, ...]
    url_problem: str | None  # why a link of this entry is refused, if one is
    source: str

    def summary(self, lang: str) -> str:
        return (self.summary_zh or self.summary_en) if lang == "zh" else self.summary_en

    def all_links(self) -> list[Link]:
        """The main link first, then the extra links, as ``show`` numbers them."""
        return [Link("main", self.url), *self.links]


ENTRY_COLUMNS = (
    "ord, id, title, title_zh, url, section, section_path, year, authors, kind, tags,"
    " summary_en, summary_zh, links, aliases, url_problem, source"
)


# What a listing needs: no summaries, authors or extra links (empty in these rows)
_LISTING_COLUMNS = (
    ENTRY_COLUMNS.replace("summary_en, summary_zh", "'', NULL")
    .replace(" authors,", " '[]',")
    .replace(" links,", " '[]',")
)


def _json_tuple(value: object) -> tuple[Any, ...]:
    # most entries have no links or aliases: skip the parse for an empty list
    return () if value == "[]" else tuple(json.loads(str(value)))


def entry_from_row(row: Sequence[Any]) -> Entry:
    """An Entry from a snapshot row (columns as ENTRY_COLUMNS; SQLite gives str/int)."""
    (ord_, id_, title, title_zh, url, section, path, year, authors, kind, tags) = row[:11]
    (summary_en, summary_zh, links, aliases, url_problem, source) = row[11:]
    return Entry(
        ord_,
        id_,
        title,
        title_zh,
        url,
        section,
        tuple(path.split("/")),
        year,
        _json_tuple(authors),
        kind,
        tuple(tags.split()),
        summary_en,
        summary_zh,
        tuple(Link(label, link_url) for label, link_url in _json_tuple(links))
        if links != "[]"
        else (),
        _json_tuple(aliases),
        url_problem,
        source,
    )


class Catalog:
    """A read-only view of a validated catalog snapshot."""

    def __init__(self, db: sqlite3.Connection, sources: list[Path]) -> None:
        self.db = db
        self.sources = sources
        self.sections: list[Section] = [
            Section(slug, name_en, name_zh, desc_en, desc_zh, parent, tuple(path.split("/")))
            for slug, name_en, name_zh, desc_en, desc_zh, parent, path in db.execute(
                "SELECT slug, name_en, name_zh, desc_en, desc_zh, parent, path"
                " FROM sections ORDER BY ord"
            )
        ]
        self.section_by_slug = {s.slug: s for s in self.sections}
        self.tags: dict[str, str] = dict(
            db.execute("SELECT slug, description FROM tags ORDER BY ord").fetchall()
        )
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        self.title: str = meta.get("title", "")
        self.source_url: str | None = meta.get("source_url") or None

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM entries").fetchone()[0])

    def kinds(self) -> list[str]:
        return [k for (k,) in self.db.execute("SELECT DISTINCT kind FROM entries ORDER BY kind")]

    def entries(
        self, where: str = "", params: Sequence[object] = (), full: bool = True
    ) -> Iterator[Entry]:
        """Entries in reading order, optionally narrowed by an SQL condition.

        ``full=False`` leaves summaries, authors and extra links empty: listings never
        print them, and on a large catalog reading them is most of the time.
        """
        columns = ENTRY_COLUMNS if full else _LISTING_COLUMNS
        sql = f"SELECT {columns} FROM entries"
        if where:
            sql += f" WHERE {where}"
        for row in self.db.execute(sql + " ORDER BY ord", tuple(params)):
            yield entry_from_row(row)

    def get(self, entry_id: str) -> Entry | None:
        row = self.db.execute(
            f"SELECT {ENTRY_COLUMNS} FROM entries WHERE id = ?", (entry_id,)
        ).fetchone()
        return None if row is None else entry_from_row(row)

    def subtree(self, slug: str) -> list[str]:
        """The slug and every section below it."""
        return [s.slug for s in self.sections if slug in s.path]

    def section_counts(self) -> dict[str, int]:
        """Number of entries directly in each section."""
        return dict(self.db.execute("SELECT section, count(*) FROM entries GROUP BY section"))
