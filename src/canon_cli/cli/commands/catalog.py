"""Commands that read the catalog: list, show, sections, paths."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from canon_cli import paths
from canon_cli.catalog.query import resolve_entry
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
)
from canon_cli.cli.session import Session
from canon_cli.output import views

if TYPE_CHECKING:
    from canon_cli.linkcheck.model import LinkResult

app = typer.Typer()


@app.command("list")
def list_entries(
    ctx: typer.Context,
    section: SectionOpt = None,
    year: YearOpt = None,
    tag: TagOpt = None,
    kind: KindOpt = None,
    search: SearchOpt = None,
    status: StatusOpt = None,
    limit: LimitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List entries in reading order, grouped by section. Filters combine.

    Example: canon list --section agents --year 2023..
    """
    actions.list_entries(ctx.obj, section, year, tag, kind, search, status, limit, as_json)


@app.command()
def show(
    ctx: typer.Context,
    entry_id: EntryIdArg,
    as_json: JsonOpt = False,
) -> None:
    """Show everything about one entry: summaries, numbered links, section, tags, progress.

    Example: canon show attention
    """
    session: Session = ctx.obj
    catalog = session.catalog()
    entry = resolve_entry(catalog, entry_id)
    from canon_cli.reading.progress import record_of
    from canon_cli.state.file import load_state

    record = record_of(load_state(paths.state_path()), entry)
    lang = session.lang()
    shown = lang if (session.lang_chosen or as_json) else None  # None: both languages
    checks: list[LinkResult | None] = []
    if paths.link_results_path().exists():  # only after a 'canon links check'
        from canon_cli.reading.links import remembered_checks

        checks = remembered_checks(entry)
    views.show_entry(catalog, entry, shown, record, as_json, checks)


@app.command()
def sections(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show the section tree with entry counts.

    Example: canon --lang zh sections
    """
    session: Session = ctx.obj
    views.show_sections(session.catalog(), session.lang(), as_json)


@app.command()
def tags(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show the topic tags (the values --tag accepts) with entry counts.

    Example: canon tags
    """
    session: Session = ctx.obj
    views.show_tags(session.catalog(), as_json)


@app.command("paths")
def show_paths(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show where canon's catalog, state, config and cache live.

    Example: canon paths --json
    """
    session: Session = ctx.obj
    found = {
        "catalog": str(session.main_catalog_path()),
        "state": str(paths.state_path()),
        "config": str(paths.config_path()),
        "cache": str(paths.cache_dir()),
        "catalog_format": str(paths.catalog_format_doc()),
    }
    views.show_paths(found, [str(p) for p in session.catalog_sources()[1:]], as_json)
