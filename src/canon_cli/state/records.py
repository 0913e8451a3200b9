"""The personal reading state: what the user has read, is reading, or set aside.

Pure domain code, no disk I/O (``statefile`` owns the file). Every operation takes the
current time as a plain ISO 8601 string (``now_iso()`` makes one), changes the state in
place, and returns whether anything changed, so the caller writes only when needed.

The state is keyed on entry ids and knows nothing of the catalog: an id the catalog no
longer has (renamed, or from a removed extra catalog) is kept, never dropped.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time

from canon_cli.errors import UsageError
from canon_cli.i18n import _
from canon_cli.vocab import STATUSES

STATE_VERSION = 1
MIN_RATING = 1
MAX_RATING = 5


@dataclass
class Note:
    """A dated free-text note on one entry."""

    at: str
    text: str


@dataclass
class EntryState:
    """The user's record for one catalog entry."""

    status: str = "unread"
    started: str | None = None
    finished: str | None = None
    rating: int | None = None
    notes: list[Note] = field(default_factory=list)
    updated: str | None = None


@dataclass
class ReadingState:
    """Every entry the user has touched, in the order they appear in the state file."""

    version: int = STATE_VERSION
    entries: dict[str, EntryState] = field(default_factory=dict)


def now_iso() -> str:
    """The current local time as canon stores it, e.g. ``2026-11-21T09:00:00+01:00``."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def parse_timestamp(value: str) -> datetime:
    """An ISO 8601 date or date-time as an aware datetime (no offset = local time).

    Raises ValueError when the text is not ISO 8601 or falls outside the datetime range.
    """
    parsed = datetime.fromisoformat(value)
    return aware(parsed)


def aware(value: datetime | date) -> datetime:
    """A date or datetime made timezone-aware; a date or naive time is read as local time."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is None or value.utcoffset() is None:
        # astimezone() on a naive datetime assumes the system's local time zone.
        value = value.astimezone()
    return value


def _entry(state: ReadingState, entry_id: str) -> EntryState:
    """The entry's record, without adding it to the state (callers add it on change)."""
    record = state.entries.get(entry_id)
    return record if record is not None else EntryState()


def _store(state: ReadingState, entry_id: str, record: EntryState, now: str) -> None:
    record.updated = now
    state.entries[entry_id] = record


def mark(state: ReadingState, entry_id: str, status: str, now: str) -> bool:
    """Move an entry to ``status``; return True if the state changed.

    ``reading`` records when it started (keeping an earlier start) and clears ``finished``;
    ``done`` records when it finished, and when it started if that was never recorded;
    ``skipped`` keeps the start and clears ``finished``; ``unread`` is a reset: status,
    start and finish are cleared but notes and rating stay. Marking an entry with the
    status it already has changes nothing (a second ``done`` keeps the first finish date).
    """
    if status not in STATUSES:
        raise UsageError(
            f"unknown status {status!r}",
            hint=f"Use one of: {', '.join(STATUSES)}.",
        )
    old = _entry(state, entry_id)
    started, finished = old.started, old.finished
    if status == "reading":
        started = started or now
        finished = None
    elif status == "done":
        if old.status != "done" or finished is None:
            finished = now
        started = started or finished
    elif status == "skipped":
        finished = None
    else:
        started = None
        finished = None
    if (status, started, finished) == (old.status, old.started, old.finished):
        return False
    record = EntryState(
        status=status,
        started=started,
        finished=finished,
        rating=old.rating,
        notes=list(old.notes),
        updated=old.updated,
    )
    _store(state, entry_id, record, now)
    return True


def add_note(state: ReadingState, entry_id: str, text: str, now: str) -> bool:
    """Append a note dated ``now`` to an entry; always a change (notes are a log)."""
    cleaned = text.strip()
    if not cleaned:
        raise UsageError(_("the note is empty"), hint=_("Give the note text as an argument."))
    if not _encodable(cleaned):
        raise UsageError("the note is not valid text (it has unencodable characters)")
    old = _entry(state, entry_id)
    record = EntryState(
        status=old.status,
        started=old.started,
        finished=old.finished,
        rating=old.rating,
        notes=[*old.notes, Note(at=now, text=cleaned)],
        updated=old.updated,
    )
    _store(state, entry_id, record, now)
    return True


def set_rating(state: ReadingState, entry_id: str, rating: int | None, now: str) -> bool:
    """Rate an entry 1..5 (None clears the rating); return True if the state changed."""
    if rating is not None and (
        isinstance(rating, bool)
        or not isinstance(rating, int)
        or not MIN_RATING <= rating <= MAX_RATING
    ):
        raise UsageError(
            _("rating must be a whole number from {low} to {high}, got {value}").format(
                low=MIN_RATING, high=MAX_RATING, value=repr(rating)
            )
        )
    old = _entry(state, entry_id)
    if old.rating == rating:
        return False
    record = EntryState(
        status=old.status,
        started=old.started,
        finished=old.finished,
        rating=rating,
        notes=list(old.notes),
        updated=old.updated,
    )
    _store(state, entry_id, record, now)
    return True


def status_of(state: ReadingState, entry_id: str) -> str:
    """The entry's status; an entry the state does not mention is unread."""
    record = state.entries.get(entry_id)
    return record.status if record is not None else "unread"


def canonical_form(record: EntryState) -> str:
    """A stable text form of a record: equal records, and only those, give equal text."""
    return json.dumps(asdict(record), sort_keys=True, ensure_ascii=False)


def _recency(record: EntryState) -> datetime | None:
    if record.updated is None:
        return None
    try:
        return parse_timestamp(record.updated)
    except (ValueError, OverflowError):
        return None


def _newer(a: EntryState, b: EntryState) -> EntryState:
    """The more recently updated record; a total order, so merging is order-independent."""
    ta, tb = _recency(a), _recency(b)
    if ta != tb:
        if ta is None:
            return b
        if tb is None:
            return a
        return a if ta > tb else b
    # Same instant (or both undated): fall back to the text form, so the choice does not
    # depend on which side is which.
    return a if canonical_form(a) >= canonical_form(b) else b


def merge_states(a: ReadingState, b: ReadingState) -> ReadingState:
    """Combine two states, e.g. from two machines: per entry, the newest record wins.

    Records are compared whole by ``updated`` (as instants, so offsets do not matter);
    ties are broken by the records' text form. The merge is commutative, associative and
    idempotent; ids found on one side only are kept. Order: a's ids, then b's new ones.
    """
    entries: dict[str, EntryState] = {}
    for entry_id, record in a.entries.items():
        other = b.entries.get(entry_id)
        chosen = record if other is None else _newer(record, other)
        entries[entry_id] = _copy(chosen)
    for entry_id, record in b.entries.items():
        if entry_id not in entries:
            entries[entry_id] = _copy(record)
    return ReadingState(version=max(a.version, b.version), entries=entries)


def _copy(record: EntryState) -> EntryState:
    return EntryState(
        status=record.status,
        started=record.started,
        finished=record.finished,
        rating=record.rating,
        notes=[Note(at=n.at, text=n.text) for n in record.notes],
        updated=record.updated,
    )


def copy_state(state: ReadingState) -> ReadingState:
    """An independent copy (records and notes are not shared)."""
    return ReadingState(
        version=state.version,
        entries={entry_id: _copy(record) for entry_id, record in state.entries.items()},
    )


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
