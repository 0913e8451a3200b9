"""Commands that read the catalog: list, show, sections, tags, paths."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from canon_cli.cli import actions
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
from canon_cli.vocab import SORT_KEYS

app = typer.Typer()


# ``list --sort``: typer wants an enum for a choice; its values are vocab.SORT_KEYS.
SortKey = StrEnum("SortKey", [(key, key) for key in SORT_KEYS])  # type: ignore[misc]


@app.command("list")
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
    """List entries in reading order, grouped by section. Filters combine.

    Example: canon list --section agents --year 2023..
    """
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


@app.command()
def show(ctx: typer.Context, entry_id: EntryIdArg, as_json: JsonOpt = False) -> None:
    """Show everything about one entry: summaries, numbered links, section, tags, progress.

    Example: canon show attention
    """
    actions.show_entry(ctx.obj, entry_id, as_json)


@app.command()
def sections(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show the section tree with entry counts.

    Example: canon --lang zh sections
    """
    actions.show_sections(ctx.obj, as_json)


@app.command()
def tags(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show the topic tags (the values --tag accepts) with entry counts.

    Example: canon tags
    """
    actions.show_tags(ctx.obj, as_json)


@app.command("paths")
def show_paths(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show where canon's catalog, state, config and cache live.

    Example: canon paths --json
    """
    actions.show_paths(ctx.obj, as_json)
