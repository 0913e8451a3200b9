"""The sync command: take in every device's changes from the sync folder, and pull and
push when that folder is a git work tree."""

from __future__ import annotations

import typer

from canon_cli.cli.helptext import command_help
from canon_cli.cli.options import JsonOpt
from canon_cli.cli.session import Session
from canon_cli.errors import UsageError
from canon_cli.i18n import N_, _

app = typer.Typer()


@app.command(
    help=command_help(
        N_("Sync your reading state through the sync folder now, and list the devices seen."),
        N_(
            "Appends this device's pending changes and reads every device's file in the folder "
            "again from its start. When the folder is a git work tree, also commits this device's "
            "file, pulls (a rebase, which never conflicts) and pushes; no other command runs git. "
            "Set the folder first with 'canon config set sync_folder DIR'."
        ),
        example="canon sync --json",
    )
)
def sync(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    from canon_cli.config import sync_folder_path
    from canon_cli.output import streams
    from canon_cli.output.syncview import show_sync
    from canon_cli.state.sync import sync_now

    session: Session = ctx.obj
    folder = sync_folder_path(session.config())
    if folder is None:
        raise UsageError(
            _("no sync folder is set"),
            hint=_("Choose one your machines share: canon config set sync_folder ~/Dropbox/canon"),
        )
    report = sync_now(session.state(sync=False), folder)
    show_sync(report, as_json)
    for later in report.errors[1:]:
        streams.warning(str(later))
    if report.errors:
        raise report.errors[0]
