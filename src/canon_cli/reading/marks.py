"""Changing the reading state for catalog entries: resolve ids, then write one op.

Every command is one op in the journal (``canon undo`` takes it back whole). The
entry's record is read inside the write transaction, so two canons marking at once
never lose each other's change. The store is opened (``open_state``) only once the
request is known to be valid, so a mistyped id creates no file.
"""

from __future__ import annotations

from collections.abc import Callable

from canon_cli.catalog.query import resolve_entries, resolve_entry
from canon_cli.catalog.store import Catalog, Entry
from canon_cli.reading.status import record_of
from canon_cli.state import rules
from canon_cli.state.fold import instant
from canon_cli.state.store import FieldSet, StateStore, new_op


def _unique(entries: list[Entry]) -> list[Entry]:
    return list({e.id: e for e in entries}.values())


def mark_entries(
    catalog: Catalog,
    open_state: Callable[[], StateStore],
    ids: list[str],
    status: str,
    now_ms: int,
) -> list[tuple[Entry, bool]]:
    """Set ``status`` on every entry named; returns each entry and whether it changed."""
    rules.check_status(status)
    entries = _unique(resolve_entries(catalog, ids))  # all resolved before anything is written
    now = instant(now_ms)
    changed: set[str] = set()

    def compute(s: StateStore) -> list[FieldSet]:
        sets: list[FieldSet] = []
        changed.clear()
        for entry in entries:
            found = rules.mark(entry.id, record_of(s, entry), status, now)
            if found:
                changed.add(entry.id)
            sets += found
        return sets

    verb = {"reading": "start", "done": "done", "skipped": "skip", "unread": "reset"}[status]
    open_state().write(new_op(" ".join([verb, *(e.id for e in entries)])), compute, now_ms)
    return [(e, e.id in changed) for e in entries]


def note_entry(
    catalog: Catalog, open_state: Callable[[], StateStore], text_id: str, text: str, now_ms: int
) -> Entry:
    entry = resolve_entry(catalog, text_id)
    sets = rules.add_note(entry.id, text, instant(now_ms))
    open_state().record(new_op(f"note {entry.id}"), sets, now_ms)
    return entry


def rate_entry(
    catalog: Catalog, open_state: Callable[[], StateStore], text_id: str, rating: int, now_ms: int
) -> Entry:
    entry = resolve_entry(catalog, text_id)
    value = None if rating == 0 else rules.check_rating(rating)
    open_state().write(
        new_op(f"rate {entry.id} {rating}"),
        lambda s: rules.rate(entry.id, record_of(s, entry), value),
        now_ms,
    )
    return entry
