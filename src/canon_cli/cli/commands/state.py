"""The reading state as a whole: export, import and merge files, undo, history, edit."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from canon_cli import paths
from canon_cli.cli.helptext import command_help
from canon_cli.cli.options import ForceOpt, JsonOpt, argument, option
from canon_cli.cli.session import Session
from canon_cli.i18n import N_, _, ngettext
from canon_cli.output import markview, stateview

if TYPE_CHECKING:
    from canon_cli.state.fold import EntryState
    from canon_cli.state.store import FieldSet

app = typer.Typer()
state_app = typer.Typer(help=N_("Copy, restore and merge the reading state between machines."))
app.add_typer(state_app, name="state")

FileArg = Annotated[Path, argument("state export", "file")]


def _path(file: Path) -> Path:
    """FILE as given; a name no file can have (a NUL byte) is a usage error."""
    from canon_cli.errors import UsageError

    if "\x00" in str(file):
        raise UsageError(_("{text!r} is not a file name").format(text=str(file)))
    return file


class StateFormat(StrEnum):
    yaml = "yaml"
    journal = "journal"


@state_app.command(
    "export",
    help=command_help(
        N_("Write your reading state to FILE (to copy it to another machine)."),
        example="canon state export ~/canon-state.yaml",
    ),
)
def state_export(
    ctx: typer.Context,
    file: FileArg,
    fmt: Annotated[StateFormat, option("state export", "fmt")] = StateFormat.yaml,
    force: ForceOpt = False,
) -> None:
    from canon_cli.output.export import check_output, write_output
    from canon_cli.state import exchange
    from canon_cli.state.fold import now_ms

    session: Session = ctx.obj
    path = _path(file)
    check_output(path, force)
    store = session.state()
    if fmt is StateFormat.journal:
        text = exchange.export_journal(store)
    else:
        text = exchange.export_yaml(store, now_ms())
    write_output(path, text.encode("utf-8"), force)
    count = len(store.entry_ids())
    markview.confirm(
        ngettext(
            "exported {count} entry to {file}", "exported {count} entries to {file}", count
        ).format(count=count, file=path)
    )


@state_app.command(
    "import",
    help=command_help(
        N_("Replace your reading state with FILE (the old one is kept as state.db.bak)."),
        N_(
            "FILE is a 'canon state export' file (YAML or journal) or a canon state.yaml. 'canon "
            "undo' takes the import back."
        ),
        example="canon state import ~/canon-state.yaml",
    ),
)
def state_import(ctx: typer.Context, file: FileArg) -> None:
    from canon_cli.state.exchange import replace_with_file
    from canon_cli.state.fold import now_ms

    session: Session = ctx.obj
    backup = paths.state_db_path().with_name("state.db.bak")
    path = _path(file)
    report = replace_with_file(session.state, path, backup, now_ms())
    stateview.show_merge(report, path)
    markview.confirm(
        ngettext(
            "imported {count} entry from {file} (previous state kept in {backup})",
            "imported {count} entries from {file} (previous state kept in {backup})",
            report.entries,
        ).format(count=report.entries, file=path, backup=backup)
    )


@state_app.command(
    "merge",
    help=command_help(
        N_("Merge FILE into your reading state, field by field: the newest value of each wins."),
        N_(
            "FILE is a 'canon state export' file (YAML or journal) or a canon state.yaml. Merging "
            "the same file twice changes nothing."
        ),
        example="canon state merge laptop-state.yaml",
    ),
)
def state_merge(ctx: typer.Context, file: FileArg) -> None:
    from canon_cli.state.exchange import merge_file
    from canon_cli.state.fold import now_ms

    session: Session = ctx.obj
    path = _path(file)
    report = merge_file(session.state, path, now_ms())
    stateview.show_merge(report, path)


@app.command(
    help=command_help(
        N_("Take back the last command run on this machine (run it again to go further back)."),
        N_(
            "Marks, ratings, notes, edits, imports and merges made here can be taken back; "
            "changes taken in from other machines are not. A field changed again since keeps its "
            "newer value."
        ),
        example="canon undo",
    )
)
def undo(ctx: typer.Context) -> None:
    from canon_cli.errors import FailureError
    from canon_cli.state.fold import now_ms
    from canon_cli.state.history import undo_last

    session: Session = ctx.obj
    store = session.reading_state()
    result = None if store is None else undo_last(store, now_ms())
    if result is None:
        raise FailureError(_("nothing to undo: no command run on this machine changed the state"))
    stateview.show_undo(result)


@app.command(
    help=command_help(
        N_("Show the changes to your reading state: when, on which device, old -> new."),
        example="canon history lora",
    )
)
def history(
    ctx: typer.Context,
    entry_id: Annotated[str | None, argument("history", "entry_id")] = None,
    limit: Annotated[int | None, option("history", "limit")] = None,
    as_json: JsonOpt = False,
) -> None:
    from canon_cli.catalog.query import resolve_entry
    from canon_cli.state.history import history as steps_of

    session: Session = ctx.obj
    store = session.reading_state()
    keys = None
    if entry_id is not None:
        entry = resolve_entry(session.catalog(), entry_id)
        keys = [entry.id, *entry.aliases]
    steps = [] if store is None else steps_of(store, keys)
    if limit is not None:
        steps = steps[-limit:]
    stateview.show_history(steps, None if store is None else store.device, as_json)


@app.command(
    help=command_help(
        N_("Edit your reading state (or one entry) as YAML in $VISUAL or $EDITOR."),
        N_(
            "What you change becomes changes in the journal (so 'canon undo' takes an edit back). "
            "A file that does not check is reopened with the error on top; save an empty file to "
            "discard. Nothing is applied from a file that does not check whole."
        ),
        example="canon edit lora",
    )
)
def edit(
    ctx: typer.Context,
    entry_id: Annotated[str | None, argument("edit", "entry_id")] = None,
) -> None:
    from canon_cli.catalog.query import resolve_entry
    from canon_cli.reading.status import record_of, records
    from canon_cli.state.fold import instant, now_ms
    from canon_cli.state.store import new_op

    session: Session = ctx.obj
    catalog = session.catalog()
    store = session.state()
    if entry_id is not None:
        entry = resolve_entry(catalog, entry_id)
        original = {entry.id: record_of(store, entry)}
        label = f"edit {entry.id}"

        def known(key: str) -> str | None:
            return None

    else:
        original = records(store, catalog)
        label = "edit"

        def known(key: str) -> str | None:
            found = catalog.get_by_id_or_alias(key)
            return None if found is None else found.id

    sets = _edited(original, known, instant(now_ms()))
    if sets is None:
        markview.confirm(_("nothing changed"))
        return
    changes = store.record(new_op(label), sets, now_ms())
    count = len({c.entry for c in changes})
    markview.confirm(
        _("edited: {changes} to {entries}").format(
            changes=ngettext("{n} change", "{n} changes", len(changes)).format(n=len(changes)),
            entries=ngettext("{n} entry", "{n} entries", count).format(n=count),
        )
        if changes
        else _("nothing changed")
    )


def _edited(
    original: dict[str, EntryState], known: Callable[[str], str | None], now: str
) -> list[FieldSet] | None:
    """Run the editor until the text checks (or the user gives up): the sets, or None."""
    from canon_cli.cli.editor import edit_text
    from canon_cli.state.edit import EditError, changes_from, is_blank, view, with_error

    shown = view(original)
    reopened = False
    while True:
        edited = edit_text(shown)
        if is_blank(edited) or (reopened and edited == shown):
            return None  # emptied, or reopened and left as it was: discard
        try:
            return changes_from(edited, original, known, now)
        except EditError as exc:
            shown, reopened = with_error(edited, exc), True
