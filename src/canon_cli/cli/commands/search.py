"""The search command: ranked search over the catalog."""

from __future__ import annotations

from typing import Annotated

import typer

from canon_cli.cli import actions
from canon_cli.cli.options import (
    JsonOpt,
    KindOpt,
    LimitOpt,
    SectionOpt,
    StatusOpt,
    TagOpt,
    YearOpt,
    argument,
)

app = typer.Typer()


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[list[str], argument("search", "query")],
    section: SectionOpt = None,
    tag: TagOpt = None,
    kind: KindOpt = None,
    year: YearOpt = None,
    status: StatusOpt = None,
    limit: LimitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Search titles, authors, tags and summaries (English and Chinese), best first.

    Every word must match. Title, author and tag matches rank above matches found only
    in a summary; a mistyped word also matches close spellings.

    Example: canon search "retrieval language" --section research -n 5
    """
    actions.search(ctx.obj, query, section, tag, kind, year, status, limit, as_json)
