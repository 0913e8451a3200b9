"""Notes across the catalog: listed newest first, numbered per entry, searched by text.

A note is a field of its entry (``note:<id>``, see ``state/rules.py``); its number is
its place among the entry's notes, oldest first, as ``canon show`` numbers them. Notes
recorded under a former id (alias) count for the entry it became, as every field does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

from canon_cli.catalog.query import resolve_entry
from canon_cli.catalog.store import Catalog, Entry
from canon_cli.reading.status import best_rows, clock_order, record_of
from canon_cli.state import rules
from canon_cli.state.changes import Value
from canon_cli.state.fold import Note, fold
from canon_cli.state.store import FieldSet, StateStore, new_op


class NumberedNote(NamedTuple):
    entry: str  # the entry's current id
    number: int  # 1 is the entry's oldest note
    note: Note


def all_notes(store: StateStore | None, catalog: Catalog) -> dict[str, tuple[Note, ...]]:
    """Every entry's notes, oldest first, keyed by current id (entries without notes
    left out)."""
    if store is None:
        return {}
    best = best_rows(store.note_rows(), catalog.alias_targets())
    fields: dict[str, list[tuple[str, Value]]] = {}
    for (entry, field), row in sorted(best.items(), key=lambda item: clock_order(item[1])):
        fields.setdefault(entry, []).append((field, row.value))
    found = {entry: fold(pairs).notes for entry, pairs in fields.items()}
    return {entry: notes for entry, notes in found.items() if notes}


def newest_first(notes: Mapping[str, tuple[Note, ...]]) -> list[NumberedNote]:
    """Every note with its number, newest first (at the same time, the later number)."""
    numbered = [
        NumberedNote(entry, number, note)
        for entry, entry_notes in notes.items()
        for number, note in enumerate(entry_notes, 1)
    ]
    numbered.sort(key=lambda n: (n.note.at, n.number, n.entry), reverse=True)
    return numbered


def _words(text: str) -> list[str]:
    return text.casefold().split()


def entries_noting(notes: Mapping[str, tuple[Note, ...]], query: str) -> set[str]:
    """Ids of the entries whose notes, taken together, contain every word of ``query``
    (any case; a word may be part of a longer one, as a Chinese word is of its text)."""
    words = _words(query)
    if not words:
        return set()
    found = set()
    for entry, entry_notes in notes.items():
        text = "\n".join(n.text for n in entry_notes).casefold()
        if all(word in text for word in words):
            found.add(entry)
    return found


class NoteChange(NamedTuple):
    entry: Entry
    number: int
    changed: bool  # False: the note already had that text


def change_note(
    catalog: Catalog,
    read_state: Callable[[], StateStore | None],
    open_state: Callable[[], StateStore],
    text_id: str,
    number: int,
    text: str | None,
    now_ms: int,
) -> NoteChange:
    """Give note ``number`` of an entry a new ``text``, or delete it (``text`` None).

    The number is checked against the state as it is before anything is opened for
    writing (a mistyped number creates no file), and again inside the write."""
    entry = resolve_entry(catalog, text_id)
    rules.numbered_note(entry.id, record_of(read_state(), entry), number)
    if text is not None:
        rules.clean_note(text)
    verb = "delete" if text is None else "edit"

    def compute(store: StateStore) -> list[FieldSet]:
        note = rules.numbered_note(entry.id, record_of(store, entry), number)
        if text is None:
            return rules.delete_note(entry.id, note.id)
        return rules.edit_note(entry.id, note, text)

    op = new_op(f"note {entry.id} --{verb} {number}")
    changes = open_state().write(op, compute, now_ms)
    return NoteChange(entry, number, bool(changes))
