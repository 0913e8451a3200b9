"""Reading progress over the catalog: pure functions of a catalog and a state."""

from __future__ import annotations

from typing import Any

from .catalog import Entry


def state_key(state: Any, entry: Entry) -> str | None:
    """The key under which the state holds this entry: its id, or an alias after a rename."""
    if entry.id in state.entries:
        return entry.id
    for alias in entry.aliases:
        if alias in state.entries:
            return str(alias)
    return None


def record_of(state: Any, entry: Entry) -> dict[str, Any]:
    key = state_key(state, entry)
    if key is None:
        return {"status": "unread"}
    rec = state.entries[key]
    return {
        "status": rec.status,
        "started": rec.started,
        "finished": rec.finished,
        "rating": rec.rating,
        "notes": [{"at": n.at, "text": n.text} for n in rec.notes],
    }
