"""Commands that report on your reading: progress, next, log, stats."""

from __future__ import annotations

from typing import Annotated

import typer

from canon_cli.cli import actions
from canon_cli.cli.options import JsonOpt, KindOpt, SectionOpt, option

app = typer.Typer()


@app.command()
def progress(
    ctx: typer.Context,
    section: Annotated[str | None, option("progress", "section")] = None,
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
    count: Annotated[int, option("next", "count")] = 1,
    as_json: JsonOpt = False,
) -> None:
    """Show what to read next: entries in progress first, then the first unread.

    Example: canon next --section agents -n 3
    """
    actions.show_next(ctx.obj, section, kind, count, as_json)


@app.command()
def log(
    ctx: typer.Context,
    limit: Annotated[int | None, option("log", "limit")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show what you started and finished, newest first.

    Example: canon log -n 10
    """
    actions.show_log(ctx.obj, limit, as_json)


@app.command()
def stats(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show entries finished per month and your reading streak.

    Example: canon stats
    """
    actions.show_stats(ctx.obj, as_json)
