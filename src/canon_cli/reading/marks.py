"""Changing the reading state for catalog entries: resolve ids, then update under the lock."""

from __future__ import annotations

from pathlib import Path

from canon_cli.catalog.query import resolve_entries, resolve_entry
from canon_cli.catalog.store import Catalog, Entry
from canon_cli.reading.status import state_key
from canon_cli.state.records import ReadingState, add_note, mark, now_iso, set_rating


def _adopt(state: ReadingState, entry: Entry) -> str:
    """Move progress recorded under a former id (an alias) to the entry's current id."""
    key = state_key(entry, state.entries)
    if key is not None and key != entry.id:
        state.entries[entry.id] = state.entries.pop(key)
    return entry.id


def mark_entries(
    catalog: Catalog, state_path: Path, ids: list[str], status: str
) -> list[tuple[Entry, bool]]:
    """Set ``status`` on every entry named; returns each entry and whether it changed."""
    from canon_cli.state.file import update_state

    entries = resolve_entries(catalog, ids)  # all resolved before anything is written
    now = now_iso()

    def apply(state: ReadingState) -> list[tuple[Entry, bool]]:
        return [(e, mark(state, _adopt(state, e), status, now)) for e in entries]

    return update_state(state_path, apply)


def note_entry(catalog: Catalog, state_path: Path, text_id: str, text: str) -> Entry:
    from canon_cli.state.file import update_state

    entry = resolve_entry(catalog, text_id)
    now = now_iso()
    update_state(state_path, lambda state: add_note(state, _adopt(state, entry), text, now))
    return entry


def rate_entry(catalog: Catalog, state_path: Path, text_id: str, rating: int) -> Entry:
    from canon_cli.state.file import update_state

    entry = resolve_entry(catalog, text_id)
    now = now_iso()
    value = None if rating == 0 else rating
    update_state(state_path, lambda state: set_rating(state, _adopt(state, entry), value, now))
    return entry
