"""The state commands: export, import and merge the reading state between machines."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from canon_cli import paths
from canon_cli.cli.options import ForceOpt, argument
from canon_cli.output import views

app = typer.Typer()
state_app = typer.Typer(help="Copy, restore and merge the reading state between machines.")
app.add_typer(state_app, name="state")


FileArg = Annotated[Path, argument("state export", "file")]


@state_app.command("export")
def state_export(
    file: FileArg,
    force: ForceOpt = False,
) -> None:
    """Write your reading state to FILE (to copy it to another machine).

    Example: canon state export ~/canon-state.yaml
    """
    from canon_cli.state.file import export_state

    count = export_state(paths.state_path(), file, force)
    views.confirm(f"exported {count} entries to {file}")


@state_app.command("import")
def state_import(file: FileArg) -> None:
    """Replace your reading state with FILE (the old one is kept as state.yaml.bak).

    Example: canon state import ~/canon-state.yaml
    """
    from canon_cli.state.file import import_state

    count = import_state(paths.state_path(), file)
    views.confirm(f"imported {count} entries from {file} (previous state kept in state.yaml.bak)")


@state_app.command("merge")
def state_merge(file: FileArg) -> None:
    """Merge FILE into your reading state: per entry, the most recent change wins.

    Example: canon state merge laptop-state.yaml
    """
    from canon_cli.state.file import merge_state_file

    count = merge_state_file(paths.state_path(), file)
    views.confirm(f"merged {file}: {count} entries changed")
