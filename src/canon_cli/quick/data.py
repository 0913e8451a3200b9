"""The quick path's data: the catalog snapshot and the reading state, in one connection.

Both files are attached to an in-memory database, the snapshot read-only (as
``catalog/snapshot.py`` opens it) and the state as ``state/store.py`` opens it. A
snapshot is used only when its stored identity is the one the general path would
compute and nothing is left to prove (no racy source, or a proof already kept); a
state only when it is a regular file of the schema version this canon writes, with
every status in canonical form and none under a former id. Otherwise None: the
general path opens, rebuilds, migrates or reports.
"""

from __future__ import annotations

import os
import sqlite3
from stat import S_ISREG

from canon_cli.catalog.key import snapshot_name, source_identity

STATE_SCHEMA = 1  # state/store.SCHEMA_VERSION
# a status as the state stores it (JSON text); "unread" is any other value
MARKED = ('"reading"', '"done"', '"skipped"')
_CANONICAL = ('"unread"', *MARKED, "null")
_URI_UNSAFE = ("?", "#", "%")


def snapshot_file(cache: str, sources: list[str]) -> str:
    return os.path.join(cache, snapshot_name(sources))


def _state_usable(path: str) -> bool:
    """A regular file, no side file planted as a link (state/store.py refuses those)."""
    if os.path.islink(path) or any(os.path.islink(path + s) for s in ("-wal", "-shm", "-journal")):
        return False
    try:
        return S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _proven(snapshot: str, key: str, racy: str) -> bool:
    """racy.still_current once proven: the proof file beside the snapshot holds the key
    and the digests (until then the general path hashes the sources)."""
    proof = f"{key}\n{racy}\n".encode()
    path = snapshot + ".proven"
    try:
        if not S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as handle:
            return handle.read(len(proof) + 1) == proof
    except OSError:
        return False


def _snapshot_current(
    db: sqlite3.Connection, snapshot: str, key: str, built: str | None = None
) -> bool:
    meta = dict(
        db.execute("SELECT key, value FROM cat.meta WHERE key IN ('identity', 'complete', 'racy')")
    )
    if meta.get("identity") != key or "complete" not in meta:
        return False
    if "racy" not in meta or snapshot == built:
        return True
    return bool(meta["racy"]) and _proven(snapshot, key, meta["racy"])


def _state_plain(db: sqlite3.Connection, catalog: bool) -> bool:
    """Every status canonical, and (with the catalog attached) none under an alias
    (those the general path folds)."""
    if db.execute("PRAGMA st.user_version").fetchone()[0] != STATE_SCHEMA:
        return False
    odd = db.execute(
        f"SELECT 1 FROM st.current WHERE field = 'status' AND value NOT IN "
        f"({','.join('?' * len(_CANONICAL))}) LIMIT 1",
        _CANONICAL,
    ).fetchone()
    if odd is not None or not catalog:
        return odd is None
    aliased = db.execute(
        "SELECT 1 FROM cat.aliases a JOIN st.current c ON c.entry = a.alias"
        " AND c.field = 'status' LIMIT 1"
    ).fetchone()
    return aliased is None


def _attach_state(db: sqlite3.Connection, state: str | None, catalog: bool) -> bool:
    if state is None:
        db.execute("ATTACH DATABASE ':memory:' AS st")
        columns = "entry, field, value, clock, device, PRIMARY KEY(entry, field)"
        db.execute(f"CREATE TABLE st.current({columns}) WITHOUT ROWID")
        return True
    db.execute("ATTACH DATABASE ? AS st", (f"file:{state}?mode=rw",))
    return _state_plain(db, catalog)


# What the last ``open_data`` call lacked, if only that: a catalog snapshot to build
# (missing, or not current), as (the cache dir, its sources). No NamedTuple: the quick
# path does not import typing.
wanted: tuple[str, list[str]] | None = None


def open_data(
    data_dir: str, cache_dir: str, sources: list[str] | None, built: str | None = None
) -> sqlite3.Connection | None:
    """The connection with ``cat`` (the snapshot of ``sources``; None: the state alone)
    and ``st`` (the state) attached, or None when only the general path can use them.
    ``built``: a snapshot this process has just built from the sources as they are, so
    current even while a source is too new to prove (catalog/racy.py), as the general
    path uses a snapshot it has just built."""
    global wanted
    wanted = None
    key, snapshot = "", None
    if sources is not None:
        key, snapshot = source_identity(sources), snapshot_file(cache_dir, sources)
        if not key:
            return None
    state: str | None = os.path.join(data_dir, "state.db")
    assert state is not None
    if not os.path.lexists(state):
        if os.path.lexists(os.path.join(data_dir, "state.yaml")):
            return None  # a version-1 state to migrate first
        state = None
    elif not _state_usable(state):
        return None
    if any(c in (snapshot or "") + (state or "") for c in _URI_UNSAFE):
        return None
    if snapshot is not None and sources is not None and not os.path.isfile(snapshot):
        wanted = (cache_dir, sources)
        return None
    db = sqlite3.connect(":memory:", uri=True, isolation_level=None)
    try:
        if snapshot is not None and sources is not None:
            db.execute("ATTACH DATABASE ? AS cat", (f"file:{snapshot}?mode=ro",))
            if not _snapshot_current(db, snapshot, key, built):
                wanted = (cache_dir, sources)
                db.close()
                return None
        if _attach_state(db, state, snapshot is not None):
            return db
    except BaseException:
        db.close()
        raise
    db.close()
    return None
