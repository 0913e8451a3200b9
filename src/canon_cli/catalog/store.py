"""The catalog as canon reads it at run time: shared, read-only data.

Records are NamedTuples rather than dataclasses: a dataclass costs about a millisecond
to define, paid on every run of a command that should start in tens of milliseconds.

``Catalog`` reads a validated snapshot (a SQLite file in the cache dir, see
``snapshot.py``), so a run needs neither YAML parsing nor pydantic once the snapshot
is warm, and a 100,000-entry catalog is queried without loading it into memory.
"""

# Evaluated annotations (no `from __future__ import annotations`): a NamedTuple would
# compile each field's annotation string at import (docs/decisions.md, "Record classes").

import contextlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from canon_cli.errors import CanonIOError


class SnapshotDamagedError(CanonIOError):
    """The catalog snapshot was found damaged mid-query; it has been removed."""

    def __init__(self, path: Path, cause: Exception) -> None:
        super().__init__(
            f"the catalog snapshot {path} is damaged ({cause}); it has been removed, "
            "so the next run rebuilds it"
        )
        self.path = path


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


class Venue(NamedTuple):
    type: str  # "conference" or "journal" (vocab.VENUE_TYPES)
    name: str
    year: int

    def label(self) -> str:
        """As a reader writes it: "NeurIPS 2017", "Nature 2020"."""
        return f"{self.name} {self.year}"


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
    # catalog version 2 (absent from older catalogs; listings leave the note empty)
    note_en: str | None = None
    note_zh: str | None = None
    arxiv: str | None = None
    doi: str | None = None
    venue: Venue | None = None
    minutes: int | None = None
    archive: str | None = None

    def title_in(self, lang: str) -> str:
        """The title a reader of ``lang`` sees: the Chinese one under zh, where there is one."""
        return self.title_zh if lang == "zh" and self.title_zh else self.title

    def summary(self, lang: str) -> str:
        return (self.summary_zh or self.summary_en) if lang == "zh" else self.summary_en

    def all_links(self) -> list[Link]:
        """The main link first, then the extra links, as ``show`` numbers them."""
        return [Link("main", self.url), *self.links]

    def note(self, lang: str) -> str | None:
        return (self.note_zh or self.note_en) if lang == "zh" else self.note_en


ENTRY_COLUMNS = (
    "ord, id, title, title_zh, url, section, section_path, year, authors, kind, tags,"
    " summary_en, summary_zh, links, aliases, url_problem, source,"
    " note_en, note_zh, arxiv, doi, venue, minutes, archive"
)


# What a listing needs: no summaries, notes, authors or extra links (empty in these rows)
_LISTING_COLUMNS = (
    ENTRY_COLUMNS.replace("summary_en, summary_zh", "'', NULL")
    .replace("note_en, note_zh", "NULL, NULL")
    .replace(" authors,", " '[]',")
    .replace(" links,", " '[]',")
)


def _json_tuple(value: object) -> tuple[Any, ...]:
    # most entries have no links or aliases: skip the parse for an empty list
    return () if value == "[]" else tuple(json.loads(str(value)))


def entry_from_row(row: Sequence[Any]) -> Entry:
    """An Entry from a snapshot row (columns as ENTRY_COLUMNS; SQLite gives str/int)."""
    (ord_, id_, title, title_zh, url, section, path, year, authors, kind, tags) = row[:11]
    (summary_en, summary_zh, links, aliases, url_problem, source) = row[11:17]
    (note_en, note_zh, arxiv, doi, venue, minutes, archive) = row[17:]
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
        note_en,
        note_zh,
        arxiv,
        doi,
        None if venue is None else Venue(*json.loads(venue)),
        minutes,
        archive,
    )


class Catalog:
    """A read-only view of a validated catalog snapshot: every read of its SQL is here.

    A page of the snapshot damaged after it was written only shows when a query reaches
    it; every query therefore goes through ``_rows``, which removes the damaged file (so
    the next run rebuilds it) and reports a ``SnapshotDamagedError``.
    """

    def __init__(
        self, db: sqlite3.Connection, sources: list[Path], path: Path | None = None
    ) -> None:
        self.db = db
        self.sources = sources
        self.path = path
        self.sections: list[Section] = [
            Section(slug, name_en, name_zh, desc_en, desc_zh, parent, tuple(path.split("/")))
            for slug, name_en, name_zh, desc_en, desc_zh, parent, path in db.execute(
                "SELECT slug, name_en, name_zh, desc_en, desc_zh, parent, path"
                " FROM sections ORDER BY ord"
            )
        ]
        self.section_by_slug = {s.slug: s for s in self.sections}
        rows = db.execute("SELECT slug, description, description_zh FROM tags ORDER BY ord")
        self.tags: dict[str, str] = {}  # slug -> English description, in vocabulary order
        self.tags_zh: dict[str, str] = {}  # slug -> Chinese description, where given
        for slug, description, description_zh in rows.fetchall():
            self.tags[slug] = description
            if description_zh:
                self.tags_zh[slug] = description_zh
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        self.title: str = meta.get("title", "")
        self.source_url: str | None = meta.get("source_url") or None
        self._aliases: dict[str, str] | None = None

    def _rows(self, sql: str, params: Sequence[object] = ()) -> Iterator[tuple[Any, ...]]:
        try:
            yield from self.db.execute(sql, tuple(params))
        except sqlite3.DatabaseError as exc:
            if type(exc) is not sqlite3.DatabaseError or self.path is None:
                raise
            with contextlib.suppress(OSError):
                self.path.unlink()
            raise SnapshotDamagedError(self.path, exc) from None

    def joined_rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Every row of a read query that may join an ``attached`` database. SQLite's
        errors are raised as they are: the caller cannot tell which file failed, and
        falls back to reading each on its own (which reports the right one)."""
        return self.db.execute(sql, tuple(params)).fetchall()

    @contextlib.contextmanager
    def attached(self, path: Path, name: str) -> Iterator[None]:
        """The SQLite database at ``path`` readable as ``name`` in this catalog's queries
        for the duration of the block (the reading state, so a count is one query)."""
        self.db.execute(f"ATTACH DATABASE ? AS {name}", (str(path),))
        try:
            yield
        finally:
            self.db.execute(f"DETACH DATABASE {name}")

    def _one(self, sql: str, params: Sequence[object] = ()) -> tuple[Any, ...] | None:
        return next(self._rows(sql, params), None)

    def __len__(self) -> int:
        row = self._one("SELECT count(*) FROM entries")
        return int(row[0]) if row else 0

    def kinds(self) -> list[str]:
        return [k for (k,) in self._rows("SELECT DISTINCT kind FROM entries ORDER BY kind")]

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
        for row in self._rows(sql + " ORDER BY ord", params):
            yield entry_from_row(row)

    def get(self, entry_id: str) -> Entry | None:
        row = self._one(f"SELECT {ENTRY_COLUMNS} FROM entries WHERE id = ?", (entry_id,))
        return None if row is None else entry_from_row(row)

    def alias_targets(self) -> dict[str, str]:
        """Every former id (alias) and the id it now stands for."""
        if self._aliases is None:
            self._aliases = {str(a): str(i) for a, i in self._rows("SELECT alias, id FROM aliases")}
        return self._aliases

    def alias_target(self, alias: str) -> str | None:
        """The id an alias (a former id) stands for, if any."""
        row = self._one("SELECT id FROM aliases WHERE alias = ?", (alias,))
        return None if row is None else str(row[0])

    def get_by_id_or_alias(self, entry_id: str) -> Entry | None:
        """The entry with this id, or the one it is a former id of."""
        found = self.get(entry_id)
        if found is None:
            target = self.alias_target(entry_id)
            found = self.get(target) if target is not None else None
        return found

    def ids(self) -> list[str]:
        return [i for (i,) in self._rows("SELECT id FROM entries ORDER BY ord")]

    def ids_by_title_key(self) -> dict[str, str]:
        """Each entry's normalised title (see ``snapshot.title_key``) to its id."""
        return {key: i for key, i in self._rows("SELECT title_key, id FROM entries")}

    def ids_starting(self, prefix: str) -> list[tuple[str, str, str]]:
        """(id, title, source file) of entries whose id starts with ``prefix``, in order."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        sql = "SELECT id, title, source FROM entries WHERE id LIKE ? ESCAPE '\\' ORDER BY ord"
        return [(str(i), str(t), str(s)) for i, t, s in self._rows(sql, (escaped + "%",))]

    def id_sections(
        self, scope: list[str] | None = None
    ) -> Iterator[tuple[str, str, tuple[str, ...]]]:
        """(id, section, aliases) of every entry in reading order, within ``scope`` sections."""
        where, params = "", list[object]()
        if scope is not None:
            where = f" WHERE section IN ({','.join('?' * len(scope))})"
            params = list(scope)
        sql = f"SELECT id, section, aliases FROM entries{where} ORDER BY ord"
        for entry_id, section, aliases in self._rows(sql, params):
            yield entry_id, section, _json_tuple(aliases)

    def id_section_pairs(self, scope: list[str] | None = None) -> list[tuple[str, str]]:
        """(id, section) of every entry in reading order, within ``scope`` sections."""
        where, params = "", list[object]()
        if scope is not None:
            where = f" WHERE section IN ({','.join('?' * len(scope))})"
            params = list(scope)
        sql = f"SELECT id, section FROM entries{where} ORDER BY ord"
        return [(str(i), str(s)) for i, s in self._rows(sql, params)]

    def tag_description(self, slug: str, lang: str) -> str:
        """A tag's description for a reader of ``lang`` (English where no Chinese is given)."""
        if lang == "zh" and slug in self.tags_zh:
            return self.tags_zh[slug]
        return self.tags.get(slug, "")

    def titles(self, ids: list[str], lang: str = "en") -> dict[str, str]:
        """The title of each id the catalog has (the Chinese one under ``lang`` zh, where
        there is one), one query per 500 ids."""
        found: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id, title, title_zh FROM entries WHERE id IN ({marks})"
            for i, title, zh in self._rows(sql, chunk):
                found[str(i)] = str(zh if lang == "zh" and zh else title)
        return found

    def minutes_by_id(self) -> dict[str, int | None]:
        """Every entry's reading time in minutes (None where the catalog gives none)."""
        return dict(self._rows("SELECT id, minutes FROM entries", []))

    def tag_counts(self) -> dict[str, int]:
        """How many entries carry each tag: every vocabulary tag, then any others."""
        counts = dict.fromkeys(self.tags, 0)
        for (tags,) in self._rows("SELECT tags FROM entries"):
            for tag in tags.split():
                counts[tag] = counts.get(tag, 0) + 1
        return counts

    def has_match(self, expression: str) -> bool:
        """Whether an FTS5 expression matches any entry."""
        return self._one("SELECT 1 FROM fts WHERE fts MATCH ? LIMIT 1", (expression,)) is not None

    def index_terms(self, shortest: int, longest: int) -> list[str]:
        """Title, tag and summary terms of the search index (authors left out).

        Empty when this SQLite build has no fts5vocab.
        """
        try:
            self.db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, 'fts', 'col')"
            )
        except sqlite3.OperationalError:
            return []
        sql = (
            "SELECT DISTINCT term FROM temp.vocab WHERE col != 'authors'"
            " AND length(term) BETWEEN ? AND ?"
        )
        return [term for (term,) in self._rows(sql, (shortest, longest))]

    def search(
        self, match: str, strong: str, where: Sequence[str], params: Sequence[object]
    ) -> Iterator[tuple[Entry, bool]]:
        """Entries matching the FTS5 expression ``match``, with whether ``strong`` matches
        too; strong hits first, then by bm25 (title 8, authors 4, tags 6, summaries 1)."""
        columns = ", ".join("e." + c.strip() for c in ENTRY_COLUMNS.split(","))
        sql = (
            "WITH hits AS (SELECT rowid AS r, bm25(fts, 8.0, 4.0, 6.0, 1.0) AS score"
            " FROM fts WHERE fts MATCH ?),"
            " strong AS (SELECT rowid AS r FROM fts WHERE fts MATCH ?)"
            f" SELECT {columns}, e.ord IN strong AS is_strong FROM entries e"
            " JOIN hits ON e.ord = hits.r"
            + ("".join(" AND " + w for w in where))
            + " ORDER BY is_strong DESC, hits.score, e.ord"
        )
        for row in self._rows(sql, (match, strong, *params)):
            yield entry_from_row(row[:-1]), bool(row[-1])

    def subtree(self, slug: str) -> list[str]:
        """The slug and every section below it."""
        return [s.slug for s in self.sections if slug in s.path]

    def section_counts(self) -> dict[str, int]:
        """Number of entries directly in each section."""
        return dict(self._rows("SELECT section, count(*) FROM entries GROUP BY section"))
