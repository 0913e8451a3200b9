"""The browse command: the full-screen reader (Textual, imported only when it runs)."""

from __future__ import annotations

import typer

from canon_cli.cli import actions
from canon_cli.cli.helptext import command_help
from canon_cli.i18n import N_

app = typer.Typer()


@app.command(
    help=command_help(
        N_("Read the canon in a full-screen view: sections, entries and details side by side."),
        N_(
            "Move with the arrow keys (or j and k) and Tab; Enter or o opens the main link and "
            "1-9 an extra one (with the same checks as 'canon open'); s, d, x and u mark the "
            "entry started, done, skipped or unread; r then 1-5 rates it; n adds a note; / "
            "searches as you type; l switches between English and Chinese; ? lists every key; q "
            "quits. Changes go to the same state as the other commands, and a change made by "
            "another canon while this one is open appears within a second or two. Needs a "
            "terminal: with its input or output redirected it stops at once (exit code 1)."
        ),
        example="canon --lang zh browse",
    )
)
def browse(ctx: typer.Context) -> None:
    actions.browse(ctx.obj)
