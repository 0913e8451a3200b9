"""Reading progress commands: marks, notes, ratings, progress, next, log, stats, sync."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from canon_cli import paths
from canon_cli.cli import actions
from canon_cli.cli.options import (
    EntryIdArg,
    EntryIdsArg,
    JsonOpt,
    KindOpt,
    OneSectionOpt,
    SectionOpt,
)
from canon_cli.cli.session import Session
from canon_cli.output import views
from canon_cli.vocab import MAX_COUNT

app = typer.Typer()
state_app = typer.Typer(help="Copy, restore and merge the reading state between machines.")
app.add_typer(state_app, name="state")

IdsArg = EntryIdsArg
IdArg = EntryIdArg


def _mark(ctx: typer.Context, ids: list[str], status: str) -> None:
    actions.mark(ctx.obj, ids, status)


@app.command()
def start(ctx: typer.Context, ids: IdsArg) -> None:
    """Mark entries as being read (records when you started).

    Example: canon start attention-is-all-you-need
    """
    _mark(ctx, ids, "reading")


@app.command()
def done(ctx: typer.Context, ids: IdsArg) -> None:
    """Mark entries as read (records when you finished, and started if unset).

    Example: canon done attention bert
    """
    _mark(ctx, ids, "done")


@app.command()
def skip(ctx: typer.Context, ids: IdsArg) -> None:
    """Mark entries as skipped.

    Example: canon skip state-of-ai-report
    """
    _mark(ctx, ids, "skipped")


@app.command()
def reset(ctx: typer.Context, ids: IdsArg) -> None:
    """Mark entries as unread again (clears dates; keeps notes and rating).

    Example: canon reset bert
    """
    _mark(ctx, ids, "unread")


@app.command()
def mark(
    ctx: typer.Context,
    ids: IdsArg,
    status: Annotated[
        str, typer.Option("--status", help="unread, reading, done or skipped.", show_default=False)
    ],
) -> None:
    """Set the status of entries.

    Example: canon mark lora flashattention --status reading
    """
    from canon_cli.errors import UsageError
    from canon_cli.vocab import STATUSES

    if status not in STATUSES:
        raise UsageError(
            f"unknown status {status!r}", hint="Valid statuses: " + ", ".join(STATUSES)
        )
    _mark(ctx, ids, status)


@app.command()
def note(
    ctx: typer.Context,
    entry_id: IdArg,
    text: Annotated[list[str], typer.Argument(metavar="TEXT...", help="The note.")],
) -> None:
    """Add a dated note to an entry.

    Example: canon note attention "re-read section 3.2 on multi-head attention"
    """
    from canon_cli.reading.marks import note_entry

    session: Session = ctx.obj
    entry = note_entry(session.catalog(), paths.state_path(), entry_id, " ".join(text))
    views.confirm(f"noted on {entry.id}")


@app.command()
def rate(
    ctx: typer.Context,
    entry_id: IdArg,
    rating: Annotated[int, typer.Argument(metavar="N", help="1 to 5; 0 clears the rating.")],
) -> None:
    """Rate an entry from 1 to 5 (0 clears it).

    Example: canon rate attention 5
    """
    from canon_cli.reading.marks import rate_entry

    session: Session = ctx.obj
    entry = rate_entry(session.catalog(), paths.state_path(), entry_id, rating)
    views.confirm(f"rated {entry.id}: {rating}" if rating else f"cleared the rating of {entry.id}")


@app.command()
def progress(
    ctx: typer.Context,
    section: OneSectionOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show overall and per-section progress, and what you are reading now.

    Example: canon progress --section research
    """
    actions.show_progress(ctx.obj, section, as_json)


@app.command("next")
def next_(
    ctx: typer.Context,
    section: SectionOpt = None,
    kind: KindOpt = None,
    count: Annotated[
        int, typer.Option("-n", "--count", help="How many entries.", min=1, max=MAX_COUNT)
    ] = 1,
    as_json: JsonOpt = False,
) -> None:
    """Show what to read next: entries in progress first, then the first unread.

    Example: canon next --section agents -n 3
    """
    actions.show_next(ctx.obj, section, kind, count, as_json)


@app.command()
def log(
    ctx: typer.Context,
    limit: Annotated[
        int | None,
        typer.Option("-n", "--limit", help="Show at most N events.", min=1, max=MAX_COUNT),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show what you started and finished, newest first.

    Example: canon log -n 10
    """
    from canon_cli.reading.progress import log_events
    from canon_cli.state.file import load_state

    session: Session = ctx.obj
    events = log_events(load_state(paths.state_path()), session.catalog())
    views.show_log(events[:limit] if limit else events, as_json)


@app.command()
def stats(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show entries finished per month and your reading streak.

    Example: canon stats
    """
    from datetime import date

    from canon_cli.reading.progress import reading_stats
    from canon_cli.state.file import load_state

    summary = reading_stats(load_state(paths.state_path()), date.today())
    views.show_stats(summary, as_json)


FileArg = Annotated[Path, typer.Argument(metavar="FILE", dir_okay=False)]


@state_app.command("export")
def state_export(
    file: FileArg,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
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
