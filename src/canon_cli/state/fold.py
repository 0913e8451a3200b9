"""The fold of an entry's fields into a typed record, and canon's time format.

An entry's record is made of small fields (``changes.FIELDS`` and one ``note:<id>``
per note); a field with no value, or cleared (None), is absent from the record.
Instants are stored in UTC as ``2026-11-21T09:00:00Z`` (fixed width, so text order
is time order) and shown in the local zone.
"""

# Evaluated annotations (no `from __future__ import annotations`): a NamedTuple would
# compile each field's annotation string at import (docs/decisions.md, "Record classes").

import time as _clock
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from canon_cli.state.changes import NOTE_PREFIX, Value

if TYPE_CHECKING:
    from datetime import date, datetime

UNREAD = "unread"


class Note(NamedTuple):
    """A dated free-text note; its id keeps notes from two machines apart."""

    id: str
    at: str  # UTC instant; "" when the stored time cannot be read (a hand-edited state)
    text: str


class EntryState(NamedTuple):
    """The user's record for one entry (NamedTuple: no class-definition cost at start-up)."""

    status: str = UNREAD
    started: str | None = None
    finished: str | None = None
    rating: int | None = None
    notes: tuple[Note, ...] = ()


def fold(fields: Iterable[tuple[str, Value]]) -> EntryState:
    """The record made of ``(field, value)`` pairs (one per field: the winners). Give
    them in clock order: notes are sorted by time, and notes of the same second keep
    the order they were written in."""
    status, started, finished, rating = UNREAD, None, None, None
    notes: list[Note] = []
    for field, value in fields:
        if value is None:
            continue
        if field == "status" and isinstance(value, str):
            status = value
        elif field == "started" and is_instant(value):
            started = str(value)
        elif field == "finished" and is_instant(value):
            finished = str(value)
        elif field == "rating" and isinstance(value, int):
            rating = value
        elif field.startswith(NOTE_PREFIX) and isinstance(value, dict):
            text, at = value.get("text"), value.get("at")
            if isinstance(text, str):  # the text is the user's: kept, even without a time
                note_id = field[len(NOTE_PREFIX) :]
                notes.append(Note(note_id, str(at) if is_instant(at) else "", text))
    notes.sort(key=lambda n: n.at)
    return EntryState(status, started, finished, rating, tuple(notes))


def is_instant(value: Value) -> bool:
    """A time in a form canon reads (it writes UTC instants); any other value of a time
    field is left out of the record, as a value of the wrong type is."""
    if not isinstance(value, str):
        return False
    try:
        parse_instant(value)
    except ValueError:
        return False
    return True


def is_empty(record: EntryState) -> bool:
    return record == EntryState()


# --- time ------------------------------------------------------------------------------


def instant(ms: int) -> str:
    """Milliseconds since the epoch as canon's stored instant (UTC, whole seconds)."""
    # time, not datetime: a mark should not pay for importing datetime
    return _clock.strftime("%Y-%m-%dT%H:%M:%SZ", _clock.gmtime(ms // 1000))


def parse_instant(text: str) -> "datetime":
    """An ISO 8601 date or date-time as an aware datetime; a date or a time without an
    offset is read as local time. Raises ValueError for anything else."""
    from datetime import datetime

    return aware(datetime.fromisoformat(text))


def aware(value: "datetime | date") -> "datetime":
    """A date or datetime made timezone-aware; a date or naive time is read as local."""
    from datetime import datetime, time

    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.astimezone()  # a naive datetime is taken as local time
    return value


def to_instant(value: "datetime | date | str") -> str:
    """Any date, date-time or ISO text as canon's stored UTC instant."""
    from datetime import UTC

    moment = parse_instant(value) if isinstance(value, str) else aware(value)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def instant_ms(text: str) -> int:
    return int(parse_instant(text).timestamp() * 1000)


def local(text: str) -> "datetime":
    """A stored instant in the local zone."""
    return parse_instant(text).astimezone()


def local_text(text: str) -> str:
    """A stored instant as local ISO text with its offset, e.g. 2026-11-21T10:00:00+01:00."""
    return local(text).isoformat(timespec="seconds")


def local_minute(text: str) -> str:
    """A stored instant as local ``YYYY-MM-DD HH:MM`` (for tables)."""
    return local(text).strftime("%Y-%m-%d %H:%M")


def now_ms() -> int:
    """The wall clock in milliseconds since the epoch (commands pass it down, so tests
    can give any time instead)."""
    return _clock.time_ns() // 1_000_000
