"""The sync folder meets the state database: take in what other devices appended, and
append what this device committed.

``FolderSync`` is the store's ``SyncHook``: when a command opens the state it takes
in every journal file that changed since it was last read (a size check against the
``ingested`` table first, so an unchanged folder costs one directory listing), and
after every committed write it appends this device's new changes to its own file.
A change is committed to the database first and appended after, so canon stopped in
between loses nothing: the change is still marked ``appended = 0`` and the next run
of any command appends it. Problems with the folder never fail a command that reads
or writes the state: they are collected as warnings for the command line to show.
"""

from __future__ import annotations

from pathlib import Path

from canon_cli.errors import BusyError, CanonError, CanonIOError
from canon_cli.state import syncdir, syncscan
from canon_cli.state.changes import Change
from canon_cli.state.store import StateStore
from canon_cli.state.syncdir import FileOffset
from canon_cli.state.syncscan import ScanResult

PUBLISHED_KEY = "sync_folder"  # meta: the folder this device's changes are written to


class FolderSync:
    """The sync hook for one sync folder; gathers what it could not do."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.warnings: list[syncscan.SyncWarning] = []
        self.problems: list[CanonError] = []
        self.taken_in = 0
        self.appended = 0

    def before_read(self, store: StateStore) -> None:
        try:
            result, new = take_in(store, self.folder)
        except BusyError as exc:  # another canon is writing: take in next time
            self.problems.append(exc)
        else:
            self.warnings.extend(result.warnings)
            self.taken_in += new
        self.after_write(store)  # what an earlier run committed but did not append

    def after_write(self, store: StateStore) -> None:
        try:
            self.appended += publish(store, self.folder)
        except (CanonIOError, BusyError) as exc:
            self.problems.append(exc)


def ingested(store: StateStore) -> dict[str, FileOffset]:
    with store.errors():
        rows = store.db.execute("SELECT file, size, offset, mtime_ns, tail FROM ingested")
        return {str(f): FileOffset(int(s), int(o), int(m), str(t)) for f, s, o, m, t in rows}


def _save_offsets(store: StateStore, offsets: dict[str, FileOffset]) -> None:
    store.db.execute("DELETE FROM ingested")
    store.db.executemany(
        "INSERT INTO ingested(file, size, offset, mtime_ns, tail) VALUES (?, ?, ?, ?, ?)",
        [(path, *offset) for path, offset in offsets.items()],
    )


def _mark(store: StateStore, changes: list[Change]) -> None:
    store.db.executemany(
        "UPDATE changes SET appended = 1 WHERE entry = ? AND field = ? AND clock = ?"
        " AND device = ? AND appended = 0",
        [(c.entry, c.field, c.clock.text(), c.device) for c in changes],
    )


def _own_file_lost(
    store: StateStore, folder: Path, before: dict[str, FileOffset], result: ScanResult
) -> bool:
    """Whether this device's changes must all be written to the folder again: it is a
    new sync folder, or this device's file was deleted or rolled back since it was read."""
    if any(w.path == str(folder) for w in result.warnings):
        return False  # the folder itself cannot be read: nothing is known
    if store.meta(PUBLISHED_KEY) != str(folder):
        return True
    own = str(syncdir.device_file(folder, store.device))
    known, now = before.get(own), result.offsets.get(own)
    if known is None or any(w.path == own and w.kind != syncscan.GONE for w in result.warnings):
        return False  # never written, or there but unreadable: nothing to conclude
    return now is None or now.size < known.size


def take_in(store: StateStore, folder: Path, *, full: bool = False) -> tuple[ScanResult, int]:
    """Read what changed in the folder into the store; the scan and how many changes
    were new. Nothing is written to the database when nothing changed."""
    before = ingested(store)
    result = syncscan.scan(folder, before, full=full)
    lost = _own_file_lost(store, folder, before, result)
    if not result.changes and result.offsets == before and not lost:
        return result, 0
    with store.transaction():
        if lost:  # before the new changes go in: those are in the folder already
            store.db.execute("UPDATE changes SET appended = 0 WHERE appended = 1")
            store.set_meta(PUBLISHED_KEY, str(folder))
        new = store.insert(result.changes, appended=True)
        _mark(store, [c for c in result.changes if c.device == store.device])
        _save_offsets(store, result.offsets)
    return result, new


def publish(store: StateStore, folder: Path) -> int:
    """Append the changes this device has not yet written to the folder; how many.

    Holds the database's write lock while it appends, so two canons of one machine
    never append the same change twice; ``CanonIOError`` if the folder refuses it (the
    changes then stay marked for the next run)."""
    if not store.local_unappended():
        return 0
    with store.transaction():
        pending = store.local_unappended()  # again, under the lock: another canon may
        if not pending:  # have appended them meanwhile
            return 0
        result = syncdir.append(folder, store.device, pending)
        _mark(store, pending)
        own = str(result.path)
        row = store.db.execute("SELECT offset FROM ingested WHERE file = ?", (own,)).fetchone()
        if (row is None and result.start == 0) or (row is not None and row[0] == result.start):
            # everything before these lines was read already: nothing of ours to re-read
            store.db.execute(
                "INSERT OR REPLACE INTO ingested(file, size, offset, mtime_ns, tail)"
                " VALUES (?, ?, ?, ?, ?)",
                (own, *result.offset),
            )
    return len(pending)
