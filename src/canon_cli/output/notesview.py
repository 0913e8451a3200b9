"""``canon notes`` and the note changes: JSON, tab-separated lines or a table.

In a pipe each note is one line: entry id, its number (1 is the entry's oldest, as
``canon show`` and ``canon note ID --edit N`` count), local time, text.
"""

from __future__ import annotations

from canon_cli.i18n import _
from canon_cli.output import render, streams
from canon_cli.output.words import when
from canon_cli.reading.notes import NoteChange, NumberedNote
from canon_cli.state.fold import local_text


def show_notes(notes: list[NumberedNote], as_json: bool, entry_id: str | None = None) -> None:
    if as_json:
        streams.print_json(
            [
                {
                    "id": n.entry,
                    "number": n.number,
                    "note_id": n.note.id,
                    "at": local_text(n.note.at) if n.note.at else None,
                    "text": n.note.text,
                }
                for n in notes
            ]
        )
        return
    rows = [[n.entry, str(n.number), when(n.note.at), n.note.text] for n in notes]
    if not streams.use_rich():
        streams.plain_rows(rows)
        return
    if not rows:
        example = entry_id or "ID"
        streams.note(_("No notes yet. Add one: canon note {id} TEXT").format(id=example))
        return
    render.simple_table([_("ID"), "#", _("When"), _("Note")], rows, ["cyan", "dim", "dim", ""])


def show_note_change(change: NoteChange, deleted: bool) -> None:
    """What ``note --edit`` or ``note --delete`` did, on stderr."""
    where = {"id": change.entry.id, "number": change.number}
    if deleted:
        streams.note(_("deleted note {number} of {id}").format(**where))
    elif change.changed:
        streams.note(_("edited note {number} of {id}").format(**where))
    else:
        streams.note(_("unchanged: note {number} of {id} already says that").format(**where))
