"""The search command: ranked search over the catalog."""

from __future__ import annotations

from typing import Annotated

import typer

from canon_cli.cli import actions
from canon_cli.cli.helptext import command_help
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
from canon_cli.i18n import N_

app = typer.Typer()


@app.command(
    help=command_help(
        N_("Search titles, authors, tags and summaries (English and Chinese), best first."),
        N_(
            "Every word must match. Title, author and tag matches rank above matches found only "
            "in a summary; a mistyped word also matches close spellings."
        ),
        example='canon search "retrieval language" --section research -n 5',
    )
)
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
    actions.search(ctx.obj, query, section, tag, kind, year, status, limit, as_json)
