"""The validated-catalog snapshot: a SQLite file in the cache dir.

Parsing YAML and validating with pydantic costs far more than a CLI run should, so
the merged, validated catalog is stored once per change of its sources. The snapshot
is keyed on every source file's identity (path, size, mtime, ctime, inode) and on
canon's version; one that does not match, or does not open, is rebuilt, never trusted.
A source changed too recently for its timestamps to prove anything is also checked by
content until it is proven (``racy``).
An unusable cache dir only costs speed: the snapshot is then built in memory.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sqlite3
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from canon_cli.catalog.key import FORMAT as FORMAT
from canon_cli.catalog.key import snapshot_name
from canon_cli.catalog.key import source_identity as source_identity
from canon_cli.catalog.store import Catalog
from canon_cli.charsets import CJK_RANGES
from canon_cli.errors import CatalogError

if TYPE_CHECKING:
    from canon_cli.catalog.schema import EntryModel


@functools.cache
def _cjk_pattern() -> re.Pattern[str]:
    # compiled on first use: a pattern of wide Unicode ranges takes milliseconds to build
    ranges = "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in CJK_RANGES)
    return re.compile(f"[{ranges}]+")


SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sections(ord INTEGER PRIMARY KEY, slug TEXT UNIQUE NOT NULL, name_en TEXT NOT NULL,
  name_zh TEXT, desc_en TEXT, desc_zh TEXT, parent TEXT, path TEXT NOT NULL, source TEXT);
CREATE TABLE tags(ord INTEGER PRIMARY KEY, slug TEXT UNIQUE NOT NULL, description TEXT,
  description_zh TEXT);
CREATE TABLE entries(ord INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, title TEXT NOT NULL,
  title_zh TEXT, url TEXT NOT NULL, section TEXT NOT NULL, section_path TEXT NOT NULL,
  year INTEGER, authors TEXT NOT NULL, kind TEXT NOT NULL, tags TEXT NOT NULL,
  summary_en TEXT NOT NULL, summary_zh TEXT, links TEXT NOT NULL, aliases TEXT NOT NULL,
  url_problem TEXT, source TEXT NOT NULL, title_key TEXT NOT NULL, note_en TEXT, note_zh TEXT,
  arxiv TEXT, doi TEXT, venue TEXT, minutes INTEGER, archive TEXT);
CREATE INDEX entries_section ON entries(section, minutes);
CREATE INDEX entries_marks ON entries(id, section, minutes);
CREATE INDEX entries_title_key ON entries(title_key);
CREATE TABLE aliases(alias TEXT PRIMARY KEY, id TEXT NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5(title, authors, tags, summary, content='',
  tokenize='unicode61 remove_diacritics 2');
"""


def fts_text(text: str) -> str:
    """Index form of text: CJK characters become single tokens (they have no spaces)."""
    return _cjk_pattern().sub(_spaced, text.casefold())


def _spaced(match: re.Match[str]) -> str:
    # Each CJK character gets a space on both sides. Matching whole runs and joining in
    # a function is several times faster than a per-character r" \1 " template.
    return " " + "  ".join(match.group()) + " "


def title_key(text: str) -> str:
    """A title with case, punctuation and spacing removed, for loose matching."""
    return "".join(filter(str.isalnum, text.casefold()))


def snapshot_path(cache: Path, paths: list[Path]) -> Path:
    return cache / snapshot_name(paths)


def _open_existing(db_path: Path, key: str) -> sqlite3.Connection | None:
    if not key or not db_path.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        row = db.execute("SELECT value FROM meta WHERE key = 'identity'").fetchone()
        done = db.execute("SELECT value FROM meta WHERE key = 'complete'").fetchone()
    except sqlite3.Error:
        return None
    if row is None or row[0] != key or done is None:
        db.close()
        return None
    return db if _proven(db, db_path, key) else None


def _proven(db: sqlite3.Connection, db_path: Path, key: str) -> bool:
    """Whether the racy sources the snapshot was built from still hold what it shows."""
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'racy'").fetchone()
    except sqlite3.Error:
        row = ("",)  # cannot tell: rebuilt
    if row is None:  # every source was older than the window when it was read
        return True
    from canon_cli.catalog.racy import still_current

    if row[0] and still_current(db_path, key, row[0]):
        return True
    db.close()
    return False


def open_catalog(paths: list[Path], cache: Path) -> Catalog:
    """The catalog merged from ``paths``, from a warm snapshot when there is one."""
    key = source_identity(paths)
    db_path = snapshot_path(cache, paths)
    db = _open_existing(db_path, key)
    if db is not None:
        try:
            return Catalog(db, paths, db_path)
        except sqlite3.Error:  # damaged on disk since it was written: build it again
            db.close()
    db = _rebuild(paths, cache, db_path, key)
    try:
        return Catalog(db, paths, db_path)
    except sqlite3.Error as exc:  # written by us moments ago, so this is a real fault
        raise CatalogError(f"catalog snapshot is unreadable: {exc}", path=str(db_path)) from None


def _in_memory(loaded: object, key: str) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    _fill(db, loaded, key)
    return db


def _special_file_at(db_path: Path) -> bool:
    """A FIFO, device or socket where the snapshot goes: left alone, never replaced."""
    try:
        mode = os.lstat(db_path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISLNK(mode) or stat.S_ISDIR(mode))


def _rebuild(paths: list[Path], cache: Path, db_path: Path, key: str) -> sqlite3.Connection:
    from canon_cli.catalog.load import load_catalogs
    from canon_cli.catalog.racy import racy_digests
    from canon_cli.fileio import create_temp, sweep_temps

    racy = racy_digests(paths)  # before the sources are read
    loaded = load_catalogs(paths)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        sweep_temps(cache)  # a killed build's temp is removed by the next one
        if _special_file_at(db_path):
            return _in_memory(loaded, key)
        fd, tmp = create_temp(db_path)  # locked while this build lives
    except OSError:
        return _in_memory(loaded, key)
    try:
        db = sqlite3.connect(tmp)
        _fill(db, loaded, key)
        if racy:
            db.execute("INSERT INTO meta VALUES ('racy', ?)", (racy,))
            db.commit()
        db.close()
        # Written with synchronous=OFF for speed; one fsync before the rename so a crash
        # cannot leave a snapshot with zeroed pages under the final name.
        os.fsync(fd)
        os.replace(tmp, db_path)
    except (OSError, sqlite3.Error):
        tmp.unlink(missing_ok=True)
        return _in_memory(loaded, key)
    finally:
        os.close(fd)
    reopened = _open_existing(db_path, key)
    if reopened is None:  # replaced meanwhile by a concurrent canon with other sources
        return _in_memory(loaded, key)
    return reopened


def _fill(db: sqlite3.Connection, loaded: object, key: str) -> None:
    from canon_cli.catalog.load import LoadedCatalog

    assert isinstance(loaded, LoadedCatalog)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
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
    # reading order: the section tree's order, then file order within a section
    order = {s.slug: i for i, s in enumerate(loaded.sections)}
    ranked = [
        (entry, source)
        for _, (entry, source, _) in sorted(
            enumerate(loaded.entries), key=lambda item: (order[item[1][0].section], item[0])
        )
    ]
    paths = {s.slug: "/".join(s.path) for s in loaded.sections}
    # Rows are generated as SQLite takes them, so no list of every row is held at once.
    db.executemany(
        f"INSERT INTO entries VALUES ({','.join('?' * 25)})",
        (_entry_row(i, e, source, paths[e.section]) for i, (e, source) in enumerate(ranked)),
    )
    db.executemany(
        "INSERT INTO fts(rowid, title, authors, tags, summary) VALUES (?,?,?,?,?)",
        (_fts_row(i, e) for i, (e, _source) in enumerate(ranked)),
    )
    alias_rows = ((alias, e.id) for e, _source in ranked for alias in e.aliases)
    db.executemany("INSERT INTO aliases VALUES (?,?)", alias_rows)
    meta = {
        "identity": key,
        "title": loaded.title,
        "source_url": loaded.source_url or "",
        "complete": "1",
    }
    db.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
    db.commit()


def _entry_row(ord_: int, e: EntryModel, source: str, section_path: str) -> tuple[object, ...]:
    """An entry's row of the ``entries`` table, in the schema's column order."""
    from canon_cli.catalog.load import entry_url_problem

    venue = None if e.venue is None else json.dumps([e.venue.type, e.venue.name, e.venue.year])
    return (
        ord_,
        e.id,
        e.title,
        e.title_zh,
        e.url,
        e.section,
        section_path,
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


def _fts_row(ord_: int, e: EntryModel) -> tuple[object, ...]:
    """An entry's row of the full-text index: title, authors, tags, summaries."""
    tags = " ".join(e.tags) + " " + " ".join(t.replace("-", " ") for t in e.tags)
    return (
        ord_,
        fts_text(e.title + " " + (e.title_zh or "")),
        fts_text(" ".join(e.authors)),
        fts_text(tags),
        fts_text(e.summary.en + " " + (e.summary.zh or "")),
    )
