"""Building a catalog snapshot entry by entry.

Each entry is validated as the parser finishes it (catalog/load.py) and its rows go
straight into a temporary table of the snapshot being built, so no entry's model
outlives its row and memory does not grow with the catalog's text. Where an entry
goes in the reading order is known only once every file's sections are (a later file
may add sections in the middle), so the rows take their places at the end, in SQL.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from canon_cli.catalog.snapshot import SCHEMA, fts_text, title_key

if TYPE_CHECKING:
    from pathlib import Path

    from canon_cli.catalog.load import LoadedCatalog
    from canon_cli.catalog.schema import EntryModel

# the entries table's columns but ord and section_path, in the schema's order
_ROW = (
    "id, title, title_zh, url, section, year, authors, kind, tags, summary_en, summary_zh,"
    " links, aliases, url_problem, source, title_key, note_en, note_zh, arxiv, doi, venue,"
    " minutes, archive"
)
_FTS = "fts_title, fts_authors, fts_tags, fts_summary"
_STAGED = f"CREATE TEMP TABLE staged(seq INTEGER PRIMARY KEY, {_ROW}, {_FTS})"
_BATCH = 500  # rows handed to SQLite at once


class Staging:
    """The ``load.Stage`` of a snapshot: each entry's rows, in the order they are read."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.seq = 0
        self.pending: list[tuple[object, ...]] = []
        db.execute(_STAGED)

    def add(self, entry: Any, source: str) -> None:
        self.pending.append((self.seq, *_entry_row(entry, source), *_fts_row(entry)))
        self.seq += 1
        if len(self.pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            marks = ",".join("?" * len(self.pending[0]))
            self.db.executemany(f"INSERT INTO temp.staged VALUES ({marks})", self.pending)
            self.pending.clear()

    def mark(self) -> int:
        return self.seq

    def truncate(self, mark: int) -> None:
        """Forget what was staged from ``mark`` on (a file read again the slow way)."""
        self.flush()
        self.db.execute("DELETE FROM temp.staged WHERE seq >= ?", (mark,))
        self.seq = mark


def build(db: sqlite3.Connection, paths: list[Path], key: str) -> None:
    """Read and check ``paths`` into the empty snapshot ``db``. The staged rows stay in
    the connection's temporary tables: closing it discards them at once, where dropping
    them frees them page by page (a tenth of a 100,000-entry build). A connection that
    is kept open calls ``drop_staged``."""
    from canon_cli.catalog.load import load_catalogs

    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
    staging = Staging(db)
    loaded = load_catalogs(paths, staging)
    staging.flush()
    _fill(db, loaded, key)


def _header(db: sqlite3.Connection, loaded: LoadedCatalog) -> None:
    """The sections and tags of every file, in order."""
    db.executemany(
        "INSERT INTO sections VALUES (?,?,?,?,?,?,?,?,?)",
        (
            (
                i,
                s.slug,
                s.name_en,
                s.name_zh,
                s.desc_en,
                s.desc_zh,
                s.parent,
                "/".join(s.path),
                s.source,
            )
            for i, s in enumerate(loaded.sections)
        ),
    )
    db.executemany(
        "INSERT INTO tags VALUES (?,?,?,?)",
        (
            (i, slug, text, loaded.tags_zh.get(slug))
            for i, (slug, text) in enumerate(loaded.tags.items())
        ),
    )


def _fill(db: sqlite3.Connection, loaded: LoadedCatalog, key: str) -> None:
    """The sections, tags and metadata, and the staged entries in reading order."""
    _header(db, loaded)
    # reading order: the section tree's order, then the order read (file, then entry);
    # the merged entries are in the order they were staged, seq 0, 1, 2...
    order = {s.slug: i for i, s in enumerate(loaded.sections)}
    paths = {s.slug: "/".join(s.path) for s in loaded.sections}
    ranked = sorted(
        range(len(loaded.entries)), key=lambda seq: (order[loaded.entries[seq][0].section], seq)
    )
    # keyed by the rank, so the rows are read in reading order: no sort of whole rows
    db.execute("CREATE TEMP TABLE ranks(ord INTEGER PRIMARY KEY, seq INTEGER, path TEXT)")
    db.executemany(
        "INSERT INTO temp.ranks VALUES (?,?,?)",
        ((ord_, seq, paths[loaded.entries[seq][0].section]) for ord_, seq in enumerate(ranked)),
    )
    joined = "FROM temp.ranks r JOIN temp.staged s ON s.seq = r.seq"
    columns = _ROW.replace("section, year", "section, r.path, year")
    picked = ", ".join(
        c if c.startswith("r.") else "s." + c for c in columns.replace(" ", "").split(",")
    )
    db.execute(f"INSERT INTO entries SELECT r.ord, {picked} {joined} ORDER BY r.ord")
    db.execute(
        "INSERT INTO fts(rowid, title, authors, tags, summary)"
        f" SELECT r.ord, s.fts_title, s.fts_authors, s.fts_tags, s.fts_summary {joined}"
        " ORDER BY r.ord"
    )
    db.execute(
        f"INSERT INTO aliases SELECT a.value, s.id {joined}, json_each(s.aliases) a"
        " ORDER BY r.ord, a.key"
    )
    meta = {
        "identity": key,
        "title": loaded.title,
        "source_url": loaded.source_url or "",
        "complete": "1",
    }
    db.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
    db.commit()


def drop_staged(db: sqlite3.Connection) -> None:
    """Free the staged rows of a snapshot that stays open (one built in memory)."""
    db.execute("DROP TABLE temp.ranks")
    db.execute("DROP TABLE temp.staged")


def _entry_row(e: EntryModel, source: str) -> tuple[object, ...]:
    """An entry's row of the ``entries`` table in the schema's column order, but for
    ``ord`` and ``section_path``, known only once every file is read."""
    from canon_cli.catalog.load import entry_url_problem

    venue = None if e.venue is None else json.dumps([e.venue.type, e.venue.name, e.venue.year])
    return (
        e.id,
        e.title,
        e.title_zh,
        e.url,
        e.section,
        e.year,
        json.dumps(e.authors, ensure_ascii=False),
        e.kind,
        " " + " ".join(e.tags) + " ",
        e.summary.en,
        e.summary.zh,
        json.dumps([[link.label, link.url] for link in e.links], ensure_ascii=False),
        json.dumps(e.aliases),
        entry_url_problem(e),
        source,
        title_key(e.title),
        None if e.note is None else e.note.en,
        None if e.note is None else e.note.zh,
        e.arxiv,
        e.doi,
        venue,
        e.minutes,
        e.archive,
    )


def _fts_row(e: EntryModel) -> tuple[object, ...]:
    """An entry's row of the full-text index: title, authors, tags, summaries (each
    language apart, so that the English text, mostly ASCII, skips the CJK scan)."""
    tags = " ".join(e.tags) + " " + " ".join(t.replace("-", " ") for t in e.tags)
    return (
        fts_text(e.title) + " " + fts_text(e.title_zh or ""),
        fts_text(" ".join(e.authors)),
        fts_text(tags),
        fts_text(e.summary.en) + " " + fts_text(e.summary.zh or ""),
    )
