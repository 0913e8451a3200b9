"""Commands that report on your reading: progress, next, log, stats."""

from __future__ import annotations

from typing import Annotated

import typer

from canon_cli.cli import actions
from canon_cli.cli.helptext import command_help
from canon_cli.cli.options import JsonOpt, KindOpt, SectionOpt, option
from canon_cli.i18n import N_

app = typer.Typer()


@app.command(
    help=command_help(
        N_("Show overall and per-section progress, and what you are reading now."),
        example="canon progress --section research",
    )
)
def progress(
    ctx: typer.Context,
    section: Annotated[str | None, option("progress", "section")] = None,
    as_json: JsonOpt = False,
) -> None:
    actions.show_progress(ctx.obj, section, as_json)


@app.command(
    "next",
    help=command_help(
        N_("Show what to read next: entries in progress first, then the first unread."),
        example="canon next --section agents -n 3",
    ),
)
def next_(
    ctx: typer.Context,
    section: SectionOpt = None,
    kind: KindOpt = None,
    count: Annotated[int, option("next", "count")] = 1,
    as_json: JsonOpt = False,
) -> None:
    actions.show_next(ctx.obj, section, kind, count, as_json)


@app.command(
    help=command_help(
        N_("Show what you started and finished, newest first."), example="canon log -n 10"
    )
)
def log(
    ctx: typer.Context,
    limit: Annotated[int | None, option("log", "limit")] = None,
    as_json: JsonOpt = False,
) -> None:
    actions.show_log(ctx.obj, limit, as_json)


@app.command(
    help=command_help(
        N_("Show entries finished per month and your reading streak."), example="canon stats"
    )
)
def stats(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    actions.show_stats(ctx.obj, as_json)
