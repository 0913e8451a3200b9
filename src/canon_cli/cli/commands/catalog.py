"""Commands that read the catalog: list, show, sections, tags, paths."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from canon_cli.cli import actions
from canon_cli.cli.helptext import command_help
from canon_cli.cli.options import (
    EntryIdArg,
    JsonOpt,
    KindOpt,
    LimitOpt,
    SearchOpt,
    SectionOpt,
    StatusOpt,
    TagOpt,
    YearOpt,
    option,
)
from canon_cli.i18n import N_
from canon_cli.vocab import SORT_KEYS

app = typer.Typer()


# ``list --sort``: typer wants an enum for a choice; its values are vocab.SORT_KEYS.
SortKey = StrEnum("SortKey", [(key, key) for key in SORT_KEYS])  # type: ignore[misc]


@app.command(
    "list",
    help=command_help(
        N_("List entries in reading order, grouped by section. Filters combine."),
        example="canon list --section agents --year 2023..",
    ),
)
def list_entries(
    ctx: typer.Context,
    section: SectionOpt = None,
    year: YearOpt = None,
    tag: TagOpt = None,
    kind: KindOpt = None,
    search: SearchOpt = None,
    status: StatusOpt = None,
    rating: Annotated[int | None, option("list", "rating")] = None,
    sort: Annotated[SortKey | None, option("list", "sort")] = None,
    limit: LimitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    actions.list_entries(
        ctx.obj,
        section,
        year,
        tag,
        kind,
        search,
        status,
        limit,
        as_json,
        rating=rating,
        sort=None if sort is None else sort.value,
    )


@app.command(
    help=command_help(
        N_("Show everything about one entry: summaries, numbered links, section, tags, progress."),
        example="canon show attention",
    )
)
def show(ctx: typer.Context, entry_id: EntryIdArg, as_json: JsonOpt = False) -> None:
    actions.show_entry(ctx.obj, entry_id, as_json)


@app.command(
    help=command_help(
        N_("Show the section tree with entry counts."), example="canon --lang zh sections"
    )
)
def sections(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    actions.show_sections(ctx.obj, as_json)


@app.command(
    help=command_help(
        N_("Show the topic tags (the values --tag accepts) with entry counts."),
        example="canon tags",
    )
)
def tags(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    actions.show_tags(ctx.obj, as_json)


@app.command(
    "paths",
    help=command_help(
        N_("Show where canon's catalog, state, config and cache live."),
        example="canon paths --json",
    ),
)
def show_paths(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    actions.show_paths(ctx.obj, as_json)
