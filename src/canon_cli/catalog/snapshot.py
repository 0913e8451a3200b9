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
import os
import re
import sqlite3
import stat
from pathlib import Path

from canon_cli.catalog.key import FORMAT as FORMAT
from canon_cli.catalog.key import snapshot_name
from canon_cli.catalog.key import source_identity as source_identity
from canon_cli.catalog.store import Catalog
from canon_cli.charsets import CJK_RANGES
from canon_cli.errors import CatalogError


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
    if text.isascii():  # no CJK to space apart (and isascii is a flag, not a scan)
        return text.casefold()
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


def _in_memory(paths: list[Path], key: str) -> sqlite3.Connection:
    """The snapshot built in memory (an unusable cache dir costs only speed)."""
    from canon_cli.catalog.staging import build, drop_staged

    db = sqlite3.connect(":memory:")
    try:
        db.execute("PRAGMA temp_store=MEMORY")  # the staged rows too: no file anywhere
        build(db, paths, key)
        drop_staged(db)
    except BaseException:
        db.close()
        raise
    return db


def _special_file_at(db_path: Path) -> bool:
    """A FIFO, device or socket where the snapshot goes: left alone, never replaced."""
    try:
        mode = os.lstat(db_path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISLNK(mode) or stat.S_ISDIR(mode))


def _rebuild(paths: list[Path], cache: Path, db_path: Path, key: str) -> sqlite3.Connection:
    from canon_cli.catalog.racy import racy_digests
    from canon_cli.catalog.staging import build
    from canon_cli.fileio import create_temp, sweep_temps

    racy = racy_digests(paths)  # before the sources are read
    try:
        cache.mkdir(parents=True, exist_ok=True)
        sweep_temps(cache)  # a killed build's temp is removed by the next one
        if _special_file_at(db_path):
            return _in_memory(paths, key)
        fd, tmp = create_temp(db_path)  # locked while this build lives
    except OSError:
        return _in_memory(paths, key)
    try:
        # The entries are staged in the file as they are validated (catalog/staging.py),
        # so a bad catalog leaves only this temp behind, and it is removed here. The
        # staged rows go with the connection when it closes.
        db = sqlite3.connect(tmp)
        try:
            build(db, paths, key)
            if racy:
                db.execute("INSERT INTO meta VALUES ('racy', ?)", (racy,))
                db.commit()
        finally:
            db.close()
        # Written with synchronous=OFF for speed; one fsync before the rename so a crash
        # cannot leave a snapshot with zeroed pages under the final name.
        os.fsync(fd)
        os.replace(tmp, db_path)
    except (OSError, sqlite3.Error):
        tmp.unlink(missing_ok=True)
        return _in_memory(paths, key)  # read again: the build's rows went with the file
    except BaseException:  # a catalog error (or an interrupt): nothing is kept
        tmp.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)
    reopened = _open_existing(db_path, key)
    if reopened is None:  # replaced meanwhile by a concurrent canon with other sources
        return _in_memory(paths, key)
    return reopened
