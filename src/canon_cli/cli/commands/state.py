"""The reading state as a whole: export, import and merge files, undo, history, edit."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from canon_cli import paths
from canon_cli.cli.session import Session
from canon_cli.i18n import _
from canon_cli.output import views

app = typer.Typer()
state_app = typer.Typer(help="Copy, restore and merge the reading state between machines.")
app.add_typer(state_app, name="state")

FileArg = Annotated[str, typer.Argument(metavar="FILE", show_default=False)]


def _path(text: str) -> Path:
    """FILE as a path; a name no file can have (a NUL byte) is a usage error."""
    from canon_cli.errors import UsageError

    if "\x00" in text or not text:
        raise UsageError(_("{text!r} is not a file name").format(text=text))
    return Path(text)


class StateFormat(StrEnum):
    yaml = "yaml"
    journal = "journal"


@state_app.command("export")
def state_export(
    ctx: typer.Context,
    file: FileArg,
    fmt: Annotated[
        StateFormat,
        typer.Option("--format", "-f", help="yaml (readable) or journal (every change)."),
    ] = StateFormat.yaml,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Write your reading state to FILE (to copy it to another machine).

    Example: canon state export ~/canon-state.yaml
    """
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
    views.confirm(_("exported {count} entries to {file}").format(count=count, file=path))


@state_app.command("import")
def state_import(ctx: typer.Context, file: FileArg) -> None:
    """Replace your reading state with FILE (the old one is kept as state.db.bak).

    FILE is a 'canon state export' file (YAML or journal) or a canon state.yaml.
    'canon undo' takes the import back.

    Example: canon state import ~/canon-state.yaml
    """
    from canon_cli.state.exchange import replace_with_file
    from canon_cli.state.fold import now_ms

    session: Session = ctx.obj
    backup = paths.state_db_path().with_name("state.db.bak")
    path = _path(file)
    report = replace_with_file(session.state, path, backup, now_ms())
    views.show_merge(report, path)
    views.confirm(
        _("imported {count} entries from {file} (previous state kept in {backup})").format(
            count=report.entries, file=path, backup=backup
        )
    )


@state_app.command("merge")
def state_merge(ctx: typer.Context, file: FileArg) -> None:
    """Merge FILE into your reading state, field by field: the newest value of each wins.

    FILE is a 'canon state export' file (YAML or journal) or a canon state.yaml.
    Merging the same file twice changes nothing.

    Example: canon state merge laptop-state.yaml
    """
    from canon_cli.state.exchange import merge_file
    from canon_cli.state.fold import now_ms

    session: Session = ctx.obj
    path = _path(file)
    report = merge_file(session.state, path, now_ms())
    views.show_merge(report, path)
