"""Hand editing: the state as a YAML view, and the edited view back as field changes.

``view`` writes the records as YAML (times in the local zone, notes with their ids);
``changes_from`` reads the edited text, checks all of it, and gives the fields to set,
or raises ``EditError`` with the line: nothing is applied from a view that does not
check whole. Removing an entry from the view clears it (back to unread, no notes);
removing a note deletes it; a note added without an id gets one (and the current time
if it has no ``at``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from canon_cli.i18n import _
from canon_cli.state.changes import NOTE_PREFIX, new_note_id
from canon_cli.state.fold import UNREAD, EntryState, local_text, to_instant
from canon_cli.state.store import FieldSet

HEADER = """\
canon edit: change what you like, then save and close the editor.
status: unread, reading, done or skipped. rating: 1 to 5 (or leave it out).
started, finished and a note's at: date-times in your local zone (ISO 8601).
Delete a note's item to delete the note; add one with just a 'text' line.
Delete an entry to reset it. Save an empty file to change nothing."""
ERROR_MARK = "# ERROR: "


class EditError(ValueError):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _entry_node(record: EntryState) -> dict[str, Any]:
    node: dict[str, Any] = {"status": record.status}
    if record.started:
        node["started"] = local_text(record.started)
    if record.finished:
        node["finished"] = local_text(record.finished)
    if record.rating is not None:
        node["rating"] = record.rating
    if record.notes:
        # a note whose time cannot be read has none here: saved, it takes the time of the edit
        node["notes"] = [
            {"id": n.id, "at": local_text(n.at), "text": n.text}
            if n.at
            else {"id": n.id, "text": n.text}
            for n in record.notes
        ]
    return node


def view(records: Mapping[str, EntryState]) -> str:
    """The records as the YAML a user edits (a header of comments first)."""
    from canon_cli.yamlio import dump_yaml

    doc = {entry: _entry_node(record) for entry, record in records.items()}
    return comment(_(HEADER)) + (dump_yaml(doc) if doc else "")


def comment(text: str) -> str:
    return "".join(f"# {line}\n" if line else "#\n" for line in text.splitlines())


def with_error(text: str, error: EditError) -> str:
    """The edited text, reopened with the error (and only the newest one) on top."""
    body = "".join(
        line for line in text.splitlines(keepends=True) if not line.startswith(ERROR_MARK)
    )
    where = _(" (line {line})").format(line=error.line) if error.line else ""
    return (
        f"{ERROR_MARK}{error.message}{where}\n{ERROR_MARK}"
        + _("Fix it and save, or save an empty file to discard your changes.")
        + "\n"
        + body
    )


def is_blank(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def _load(text: str) -> Any:
    from canon_cli.errors import StateError
    from canon_cli.yamlio import load_yaml

    try:
        return load_yaml(text, "edit", StateError)
    except StateError as exc:
        raise EditError(exc.message.removeprefix("edit: "), exc.line) from None


def _line(text: str, *keys: str | int) -> int | None:
    from canon_cli.yamlio import find_line

    return find_line(text, keys)


def changes_from(
    text: str,
    original: Mapping[str, EntryState],
    known: Callable[[str], str | None],
    now: str,
) -> list[FieldSet]:
    """The fields to set so the state matches the edited ``text``.

    ``known(key)`` gives the id to record a new entry under (None: not an entry).
    """
    doc = _load(text)
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise EditError(_("the file must be a mapping of entry ids to their records"), 1)
    sets: list[FieldSet] = []
    for key in original:
        if key not in doc:
            sets += _fields(key, original[key], EntryState())
    for key, node in doc.items():
        entry = str(key)
        if entry in original:
            old = original[entry]
        else:
            found = known(entry)
            if found is None:
                raise EditError(_("unknown entry id {id!r}").format(id=entry), _line(text, key))
            entry, old = found, EntryState()
        new = _record(text, key, node, old, now)
        sets += _fields(entry, old, new)
    return sets


def _record(text: str, key: Any, node: Any, old: EntryState, now: str) -> EntryState:
    """The edited record, checked whole."""
    from canon_cli.errors import UsageError
    from canon_cli.state import rules
    from canon_cli.state.fold import Note

    where = _line(text, key)
    if node is None:
        node = {}
    if not isinstance(node, dict):
        raise EditError(_("entry {id!r} must be a mapping of fields").format(id=key), where)
    for field in node:
        if field not in ("status", "started", "finished", "rating", "notes"):
            raise EditError(
                _("entry {id!r}: unknown field {field!r}").format(id=key, field=field),
                _line(text, key, field),
            )
    try:
        status = str(node.get("status") or UNREAD)
        rules.check_status(status)
        rating = rules.check_rating(node.get("rating"))
    except UsageError as exc:
        raise EditError(f"entry {key!r}: {exc.message}", where) from None
    times = {f: _time(text, key, f, node.get(f)) for f in ("started", "finished")}
    notes_node = node.get("notes") or []
    if not isinstance(notes_node, list):
        raise EditError(_("entry {id!r}: notes must be a list").format(id=key), where)
    known_ids = {n.id for n in old.notes}
    notes = [
        Note(*_note(text, key, index, item, known_ids, now))
        for index, item in enumerate(notes_node)
    ]
    return EntryState(status, times["started"], times["finished"], rating, tuple(notes))


def _time(text: str, key: Any, field: str, value: Any) -> str | None:
    if value is None:
        return None
    try:
        return to_instant(value if not isinstance(value, int) else str(value))
    except (ValueError, TypeError, OverflowError):
        raise EditError(
            _("entry {id!r}: {field} {value!r} is not a date-time").format(
                id=key, field=field, value=str(value)
            ),
            _line(text, key, field),
        ) from None


def _note(
    text: str, key: Any, index: int, item: Any, known_ids: set[str], now: str
) -> tuple[str, str, str]:
    from canon_cli.errors import UsageError
    from canon_cli.state.rules import clean_note

    where = _line(text, key, "notes", index)
    if isinstance(item, str):
        item = {"text": item}
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise EditError(_("entry {id!r}: each note needs a 'text'").format(id=key), where)
    note_id = item.get("id")
    if note_id is not None and str(note_id) not in known_ids:
        raise EditError(
            _("entry {id!r}: no note has the id {note!r} (leave 'id' out for a new note)").format(
                id=key, note=str(note_id)
            ),
            where,
        )
    at = _time(text, key, "at", item.get("at")) or now
    try:
        body = clean_note(item["text"])
    except UsageError as exc:
        raise EditError(f"entry {key!r}: {exc.message}", where) from None
    return str(note_id) if note_id is not None else new_note_id(), at, body


def _fields(entry: str, old: EntryState, new: EntryState) -> list[FieldSet]:
    sets: list[FieldSet] = []
    for field in ("status", "started", "finished", "rating"):
        before, after = getattr(old, field), getattr(new, field)
        if before != after:
            sets.append((entry, field, None if after == UNREAD else after))
    old_notes = {n.id: n for n in old.notes}
    new_notes = {n.id: n for n in new.notes}
    for note_id, note in new_notes.items():
        if old_notes.get(note_id) != note:
            sets.append((entry, NOTE_PREFIX + note_id, {"at": note.at, "text": note.text}))
    sets += [(entry, NOTE_PREFIX + i, None) for i in old_notes if i not in new_notes]
    return sets
