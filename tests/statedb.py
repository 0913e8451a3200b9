"""Reading the state database in tests, as a user would see it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from canon_cli import paths
from canon_cli.state.exchange import entry_records
from canon_cli.state.fold import EntryState
from canon_cli.state.store import open_store


def records(db: Path | None = None) -> dict[str, EntryState]:
    """Every record in the state (empty if there is no database)."""
    db = db or paths.state_db_path()
    if not db.exists():
        return {}
    with open_store(db) as store:
        return entry_records(store)


def statuses(db: Path | None = None) -> dict[str, str]:
    return {k: r.status for k, r in records(db).items() if r.status != "unread"}


def integrity(db: Path) -> Any:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def record(entry: str, db: Path | None = None) -> EntryState:
    """One entry's record (an empty one if the state holds nothing for it)."""
    return records(db).get(entry, EntryState())
