"""The reading state on disk: a SQLite journal of changes and its fold.

``changes`` holds the union of every change this device ever made or saw (inserting
one twice is a no-op, so merging is idempotent); ``current`` holds the fold, per
(entry, field) the change with the greatest (clock, device), kept up to date on
every insert. ``meta`` keeps this device's id and the greatest clock seen, so a new
local change always sorts after everything this device knows of (a hybrid logical
clock: see ``changes.py``). ``ingested`` belongs to the sync-folder code.

The database is in WAL mode: readers never wait, a writer waits for another writer
up to ``CANON_LOCK_TIMEOUT`` seconds (default 10) and then raises ``BusyError``. A
commit is atomic: a process killed at any moment leaves every committed change and
nothing of an uncommitted one (a power cut may take back the last commits, never
damage the file: synchronous=NORMAL). Every SQLite error becomes a ``CanonError`` (a full or
failing disk ``CanonIOError``, a damaged or too-new file ``StateError``), so nothing
here can be mistaken for a damaged catalog snapshot.

Sync hook: ``open_store(path, hook)`` takes an optional ``SyncHook``. The store calls
``hook.before_read(store)`` once, right after opening (to take in what other devices
appended), and ``hook.after_write(store)`` after every committed write that added
changes (to append this device's new changes). The store knows nothing of the catalog.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from canon_cli.errors import CanonIOError, StateError
from canon_cli.i18n import _
from canon_cli.state.changes import Change, Clock, Value, new_device_id, tick
from canon_cli.state.queries import (
    CHANGE_COLUMNS,
    Command,
    Row,
    StateReads,
    change_of_row,
    decode,
    translate,
)

__all__ = ["Command", "FieldSet", "Row", "StateStore", "SyncHook", "decode", "open_store"]

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS changes(seq INTEGER PRIMARY KEY, entry TEXT NOT NULL,
  field TEXT NOT NULL, value TEXT NOT NULL, clock TEXT NOT NULL, device TEXT NOT NULL,
  op TEXT NOT NULL, appended INTEGER NOT NULL DEFAULT 0, UNIQUE(entry, field, clock, device));
CREATE INDEX IF NOT EXISTS changes_op ON changes(op);
CREATE INDEX IF NOT EXISTS changes_unappended ON changes(appended) WHERE appended = 0;
CREATE TABLE IF NOT EXISTS current(entry TEXT NOT NULL, field TEXT NOT NULL,
  value TEXT NOT NULL, clock TEXT NOT NULL, device TEXT NOT NULL, PRIMARY KEY(entry, field))
  WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS current_field ON current(field, value);
CREATE TABLE IF NOT EXISTS ingested(file TEXT PRIMARY KEY, size INTEGER, offset INTEGER,
  mtime_ns INTEGER, tail TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS commands(op TEXT PRIMARY KEY, first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL, at INTEGER NOT NULL, undoes TEXT, undone_by TEXT);
"""

_INSERT_CHANGE = (
    "INSERT OR IGNORE INTO changes(entry, field, value, clock, device, op, appended)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_FOLD = (
    "INSERT INTO current(entry, field, value, clock, device) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT(entry, field) DO UPDATE SET value = excluded.value,"
    " clock = excluded.clock, device = excluded.device"
    " WHERE (excluded.clock, excluded.device) > (current.clock, current.device)"
)

# One field to set: (entry, field, value); a value of None clears the field.
FieldSet = tuple[str, str, Value]


class SyncHook(Protocol):
    def before_read(self, store: StateStore) -> None: ...
    def after_write(self, store: StateStore) -> None: ...


def new_op(label: str) -> str:
    """An op id for one command: a random token, then what the command was (for undo)."""
    return f"{os.urandom(4).hex()} {label}"


def op_label(op: str) -> str:
    return op.partition(" ")[2] or op


def encode(value: Value) -> str:
    """A value as the JSON text the database keeps (stable: equal values, equal text)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


class StateStore(StateReads):
    """An open state database. Use ``open_store``; close with ``close`` or ``with``."""

    def __init__(self, db: sqlite3.Connection, path: Path, hook: SyncHook | None) -> None:
        self.db = db
        self.path = path
        self.hook = hook
        device = self.meta("device")
        if device is None:
            raise StateError(_("the database has no device id"), path=str(path))
        self.device = device

    # -- lifetime ---------------------------------------------------------------------

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction: taken at once (waits for another writer), all or nothing."""
        with self.errors():
            begin_immediate(self.db)
            try:
                yield
            except BaseException:
                self.db.rollback()
                raise
            self.db.execute("COMMIT")

    # -- meta -------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        with self.errors():
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Set a meta value (inside ``transaction()``, or as its own commit)."""
        with self.errors():
            self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def clock(self) -> Clock | None:
        """The greatest clock this device has seen or issued."""
        text = self.meta("clock")
        return None if text is None else Clock.parse(text)

    # -- writing ----------------------------------------------------------------------

    def apply(
        self, changes: Iterable[Change], *, appended: bool = True, command: str | None = None
    ) -> int:
        """Take in changes (from another device, a journal, a file): insert each one not
        seen before and fold it, in one transaction; return how many were new.

        ``appended=False`` marks them as still to be appended to the sync folder (for
        changes this device brings in from a file, so its other devices see them too).
        ``command`` (an op id from ``new_op``) records the apply as a command run on
        this machine, which ``canon undo`` can take back.
        """
        with self.transaction():
            first = self._next_seq()
            new = self.insert(changes, appended=appended)
            if command is not None and new:
                self._register(command, first, None)
        if new:
            self._after_write()
        return new

    def record(self, op: str, sets: Sequence[FieldSet], now_ms: int) -> list[Change]:
        """Stamp local changes (one clock for the whole op) and apply them; a set that
        would not change the field's current value is left out."""
        return self.write(op, lambda _store: sets, now_ms)

    def write(
        self,
        op: str,
        compute: Callable[[StateStore], Sequence[FieldSet]],
        now_ms: int,
        *,
        undoes: str | None = None,
    ) -> list[Change]:
        """Read-compute-write in one transaction: ``compute`` sees the state as it is
        while no other writer can change it, and returns the fields to set. The op is
        recorded as a command run on this machine (``undoes``: the op it takes back)."""
        with self.transaction():
            changes = self.commit_op(op, compute(self), now_ms, undoes=undoes)
        if changes:
            self._after_write()
        return changes

    def _after_write(self) -> None:
        from canon_cli.fileio import sweep_temps

        sweep_temps(self.path.parent)  # temp files a killed canon left beside the state
        if self.hook is not None:
            self.hook.after_write(self)

    def commit_op(
        self, op: str, sets: Sequence[FieldSet], now_ms: int, *, undoes: str | None = None
    ) -> list[Change]:
        """Stamp, insert and record one command's changes, inside ``transaction()``."""
        changes = self._stamp(op, sets, now_ms)
        first = self._next_seq()
        if self.insert(changes, appended=False) or undoes is not None:
            self._register(op, first, undoes)
        return changes

    def _next_seq(self) -> int:
        return int(self.db.execute("SELECT coalesce(max(seq), 0) + 1 FROM changes").fetchone()[0])

    def _register(self, op: str, first: int, undoes: str | None) -> None:
        last = self._next_seq() - 1
        at = self.clock()
        self.db.execute(
            "INSERT OR REPLACE INTO commands(op, first_seq, last_seq, at, undoes)"
            " VALUES (?, ?, ?, ?, ?)",
            (op, first, last, 0 if at is None else at.wall_ms, undoes),
        )
        if undoes is not None:
            self.db.execute("UPDATE commands SET undone_by = ? WHERE op = ?", (op, undoes))

    def _stamp(self, op: str, sets: Sequence[FieldSet], now_ms: int) -> list[Change]:
        present = self.values({(entry, field) for entry, field, _ in sets})
        wanted = [s for s in sets if present.get((s[0], s[1])) != s[2]]
        if not wanted:
            return []
        clock = tick(self.clock(), now_ms)
        return [Change(e, f, v, clock, self.device, op) for e, f, v in wanted]

    def insert(self, changes: Iterable[Change], *, appended: bool) -> int:
        """Insert and fold, inside ``transaction()``; advance the clock; count the new."""
        new = 0
        greatest = self.clock()
        flag = 1 if appended else 0
        execute = self.db.execute
        for c in changes:
            value, clock = encode(c.value), c.clock.text()
            cursor = execute(_INSERT_CHANGE, (c.entry, c.field, value, clock, c.device, c.op, flag))
            if cursor.rowcount != 1:
                continue
            new += 1
            execute(_FOLD, (c.entry, c.field, value, clock, c.device))
            if greatest is None or c.clock > greatest:
                greatest = c.clock
        if new and greatest is not None:
            self.set_meta("clock", greatest.text())
        return new

    # -- the sync folder's side -------------------------------------------------------

    def local_unappended(self) -> list[Change]:
        """Changes not yet appended to the sync folder, oldest first."""
        with self.errors():
            rows = self.db.execute(
                f"SELECT {CHANGE_COLUMNS} FROM changes WHERE appended = 0 ORDER BY seq"
            ).fetchall()
        return [change_of_row(r) for r in rows]

    def mark_appended(self, changes: Iterable[Change]) -> None:
        """Record that these changes are in the sync folder (one commit)."""
        with self.transaction():
            self.db.executemany(
                "UPDATE changes SET appended = 1 WHERE entry = ? AND field = ? AND clock = ?"
                " AND device = ?",
                [(c.entry, c.field, c.clock.text(), c.device) for c in changes],
            )

    def backup(self, dest: Path) -> None:
        """A consistent copy of the whole database at ``dest`` (replaced if present)."""
        from canon_cli.fileio import create_temp

        _refuse_special(dest, "replace")
        try:
            fd, temp = create_temp(dest)  # locked while we write it: never swept meanwhile
        except OSError as exc:
            raise CanonIOError(
                _("cannot write {path}: {reason}").format(path=dest, reason=exc.strerror or exc)
            ) from exc
        try:
            with self.errors():
                self.db.execute("VACUUM INTO ?", (str(temp),))
            os.replace(temp, dest)
        except OSError as exc:
            raise CanonIOError(
                _("cannot write {path}: {reason}").format(path=dest, reason=exc.strerror or exc)
            ) from exc
        finally:
            os.close(fd)
            if temp.exists():
                temp.unlink()


_HOME_HINT = "Set CANON_HOME to a folder you can write, or fix that folder's permissions."


def _connect(path: Path) -> sqlite3.Connection:
    """The connection (a seam for tests that inject faults)."""
    from canon_cli.locks import lock_timeout

    return sqlite3.connect(path, timeout=lock_timeout(), isolation_level=None)


def begin_immediate(db: sqlite3.Connection) -> None:
    """Start a write transaction, waiting for another writer up to the lock timeout.

    The wait is a loop of short waits in Python rather than one long one inside SQLite,
    so that Ctrl-C and SIGTERM are handled at once (Python runs signal handlers only
    between its own steps); after the timeout the busy error reaches ``translate``."""
    import time

    from canon_cli.locks import lock_timeout

    limit = lock_timeout()
    deadline = time.monotonic() + limit
    db.execute(f"PRAGMA busy_timeout = {min(100, int(limit * 1000))}")
    try:
        while True:
            try:
                db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
                if code != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                    raise
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(limit * 1000)}")


def _refuse_links(path: Path) -> None:
    """SQLite writes ``-wal`` and ``-shm`` files beside the database under names anyone
    can predict: one planted there as a symbolic link is refused, never followed."""
    for suffix in ("-wal", "-shm", "-journal"):
        side = path.with_name(path.name + suffix)
        if os.path.islink(side):
            raise CanonIOError(
                _("refusing to use {path}: it is a symbolic link").format(path=side),
                hint=_("Remove it (rm {path}); SQLite creates a plain file there.").format(
                    path=side
                ),
            )


def _refuse_special(path: Path, verb: str) -> None:
    """A FIFO, device or folder where a state file belongs is refused, never opened."""
    import stat

    from canon_cli.fileio import file_kind

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # missing (or unreadable: SQLite reports that itself)
    if not stat.S_ISREG(mode):
        message = _("refusing to {verb} {path}: it is {kind}").format(
            verb=verb, path=path, kind=file_kind(mode)
        )
        raise CanonIOError(
            message, hint=_("canon keeps its state in regular files; remove it or move it away.")
        )


def open_store(path: Path, hook: SyncHook | None = None) -> StateStore:
    """Open (creating if needed) the state database at ``path``."""
    _refuse_links(path)
    _refuse_special(path, "open")
    fresh = not path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CanonIOError(
            _("cannot create {path}: {reason}").format(
                path=path.parent, reason=exc.strerror or exc
            ),
            hint=_(_HOME_HINT),
        ) from exc
    try:
        db = _connect(path)
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    try:
        _prepare(db, path, fresh)
        store = StateStore(db, path, hook)
    except BaseException:
        db.close()
        raise
    if hook is not None:
        hook.before_read(store)
    return store


def _prepare(db: sqlite3.Connection, path: Path, fresh: bool) -> None:
    try:
        # WAL + NORMAL: a commit survives the process being killed at any moment and the
        # database is never damaged; only a power cut or OS crash can take back the last
        # commits. FULL would add an fsync to every mark (docs/decisions.md).
        db.execute("PRAGMA synchronous = NORMAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StateError(
                _(
                    "the database has schema version {version}, written by a newer canon "
                    "(this canon reads version {known})"
                ).format(version=version, known=SCHEMA_VERSION),
                path=str(path),
                hint=_("Upgrade canon to use it; this canon will not change it."),
            )
        if version < SCHEMA_VERSION:
            if fresh:
                os.chmod(path, 0o600)
            db.execute("PRAGMA journal_mode = WAL")
            begin_immediate(db)
            if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.executemany(
                    "INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)",
                    [("schema", str(SCHEMA_VERSION)), ("device", new_device_id())],
                )
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    except OSError as exc:
        raise CanonIOError(
            _("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc
