"""Commands that change what you have read: start, done, skip, reset, mark, note, rate."""

from __future__ import annotations

from typing import Annotated

import typer

from canon_cli.cli import actions
from canon_cli.cli.helptext import command_help
from canon_cli.cli.options import EntryIdArg, EntryIdsArg, JsonOpt, argument, option
from canon_cli.cli.session import Session
from canon_cli.i18n import N_, _
from canon_cli.output import markview

app = typer.Typer()

IdsArg = EntryIdsArg
IdArg = EntryIdArg


def _mark(ctx: typer.Context, ids: list[str], status: str) -> None:
    actions.mark(ctx.obj, ids, status)


@app.command(
    help=command_help(
        N_("Mark entries as being read (records when you started)."),
        example="canon start attention-is-all-you-need",
    )
)
def start(ctx: typer.Context, ids: IdsArg) -> None:
    _mark(ctx, ids, "reading")


@app.command(
    help=command_help(
        N_("Mark entries as read (records when you finished, and started if unset)."),
        example="canon done attention bert",
    )
)
def done(ctx: typer.Context, ids: IdsArg) -> None:
    _mark(ctx, ids, "done")


@app.command(
    help=command_help(N_("Mark entries as skipped."), example="canon skip state-of-ai-report")
)
def skip(ctx: typer.Context, ids: IdsArg) -> None:
    _mark(ctx, ids, "skipped")


@app.command(
    help=command_help(
        N_("Mark entries as unread again (clears dates; keeps notes and rating)."),
        example="canon reset bert",
    )
)
def reset(ctx: typer.Context, ids: IdsArg) -> None:
    _mark(ctx, ids, "unread")


@app.command(
    help=command_help(
        N_("Set the status of entries."), example="canon mark lora flashattention --status reading"
    )
)
def mark(
    ctx: typer.Context,
    ids: IdsArg,
    status: Annotated[str, option("mark", "status")],
) -> None:
    actions.set_status(ctx.obj, ids, status)


@app.command(
    help=command_help(
        N_("Add a dated note to an entry, or edit or delete one by its number."),
        example='canon note attention "re-read section 3.2 on multi-head attention"',
    )
)
def note(
    ctx: typer.Context,
    entry_id: IdArg,
    text: Annotated[list[str] | None, argument("note", "text")] = None,
    edit: Annotated[int | None, option("note", "edit")] = None,
    delete: Annotated[int | None, option("note", "delete")] = None,
) -> None:
    actions.note(ctx.obj, entry_id, text, edit, delete)


@app.command(
    help=command_help(
        N_("List your notes, newest first: entry, number, local time and text."),
        example="canon notes bert",
    )
)
def notes(
    ctx: typer.Context,
    entry_id: Annotated[str | None, argument("notes", "entry_id")] = None,
    as_json: JsonOpt = False,
) -> None:
    actions.show_notes(ctx.obj, entry_id, as_json)


@app.command(
    help=command_help(
        N_("Rate an entry from 1 to 5 (0 clears it)."), example="canon rate attention 5"
    )
)
def rate(
    ctx: typer.Context,
    entry_id: IdArg,
    rating: Annotated[int, argument("rate", "rating")],
) -> None:
    from canon_cli.reading.marks import rate_entry
    from canon_cli.state.fold import now_ms

    session: Session = ctx.obj
    catalog = session.catalog()
    entry = rate_entry(catalog, session.state, entry_id, rating, now_ms())
    if rating:
        markview.confirm(_("rated {id}: {rating}").format(id=entry.id, rating=rating))
    else:
        markview.confirm(_("cleared the rating of {id}").format(id=entry.id))
