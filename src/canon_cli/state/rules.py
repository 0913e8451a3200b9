"""What each mark, rating and note changes: pure functions from a record to field sets.

Every rule takes the entry's current record and the time (a stored UTC instant) and
returns the fields to set; an empty list means nothing changes (a second ``done``
keeps the first finish date). The store stamps and writes them.

- ``reading`` records when it started (keeping an earlier start) and clears ``finished``;
- ``done`` records when it finished, and when it started if that was never recorded;
- ``skipped`` keeps the start and clears ``finished``;
- ``unread`` is a reset: status, start and finish are cleared; notes and rating stay.
"""

from __future__ import annotations

from canon_cli.errors import UsageError, unknown_choice
from canon_cli.i18n import _, ngettext
from canon_cli.state.changes import NOTE_PREFIX, new_note_id
from canon_cli.state.fold import UNREAD, EntryState, Note
from canon_cli.state.store import FieldSet
from canon_cli.vocab import STATUSES

MIN_RATING = 1
MAX_RATING = 5
MAX_NOTE_CHARS = 100_000


def check_status(status: str) -> None:
    if status not in STATUSES:
        raise unknown_choice("status", status, STATUSES, "statuses")


def mark(entry: str, old: EntryState, status: str, now: str) -> list[FieldSet]:
    """The fields that move ``entry`` from ``old`` to ``status`` at ``now``."""
    check_status(status)
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
    sets: list[FieldSet] = []
    if status != old.status:
        sets.append((entry, "status", None if status == UNREAD else status))
    if started != old.started:
        sets.append((entry, "started", started))
    if finished != old.finished:
        sets.append((entry, "finished", finished))
    return sets


def check_rating(rating: object) -> int | None:
    """A rating 1..5, or None for "no rating"; anything else is a usage error."""
    if rating is None:
        return None
    if (
        isinstance(rating, bool)
        or not isinstance(rating, int)
        or not (MIN_RATING <= rating <= MAX_RATING)
    ):
        raise UsageError(
            _("rating must be a whole number from {low} to {high}, got {value}").format(
                low=MIN_RATING, high=MAX_RATING, value=repr(rating)
            )
        )
    return rating


def rate(entry: str, old: EntryState, rating: int | None) -> list[FieldSet]:
    """Rate 1..5 (None clears the rating)."""
    value = check_rating(rating)
    return [] if old.rating == value else [(entry, "rating", value)]


def clean_note(text: str) -> str:
    """A note's text as kept: trimmed, non-empty, valid UTF-8."""
    cleaned = text.strip()
    if not cleaned:
        raise UsageError(_("the note is empty"), hint=_("Give the note text as an argument."))
    try:
        cleaned.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(_("the note is not valid text (it has unencodable characters)")) from None
    if len(cleaned) > MAX_NOTE_CHARS:
        raise UsageError(
            _("the note is longer than {limit} characters").format(limit=MAX_NOTE_CHARS)
        )
    return cleaned


def add_note(entry: str, text: str, now: str, note_id: str | None = None) -> list[FieldSet]:
    """A new note dated ``now``: always a change (notes are a log)."""
    return [
        (entry, NOTE_PREFIX + (note_id or new_note_id()), {"at": now, "text": clean_note(text)})
    ]


def delete_note(entry: str, note_id: str) -> list[FieldSet]:
    """Delete a note: its field is cleared, so it stays deleted on every device."""
    return [(entry, NOTE_PREFIX + note_id, None)]


def numbered_note(entry: str, old: EntryState, number: int) -> Note:
    """The entry's note ``number`` (1 is the oldest, as ``canon show`` numbers them)."""
    if 1 <= number <= len(old.notes):
        return old.notes[number - 1]
    count = len(old.notes)
    if count == 0:
        raise UsageError(
            _("{id} has no notes").format(id=entry),
            hint=_("Add one: canon note {id} TEXT").format(id=entry),
        )
    raise UsageError(
        ngettext(
            "{id} has no note {number}: it has {count} note",
            "{id} has no note {number}: it has {count} notes",
            count,
        ).format(id=entry, number=number, count=count),
        hint=_("'canon notes {id}' lists them with their numbers.").format(id=entry),
    )


def edit_note(entry: str, note: Note, text: str) -> list[FieldSet]:
    """A note's new text; it keeps its id and its date, so it keeps its place."""
    return [(entry, NOTE_PREFIX + note.id, {"at": note.at, "text": clean_note(text)})]
