"""The export command: the reading list as Markdown, JSON, CSV or BibTeX."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from canon_cli.cli.options import KindOpt, SectionOpt, StatusOpt, TagOpt, YearOpt
from canon_cli.cli.session import Session
from canon_cli.output import render
from canon_cli.output.export import ExportFormat

if TYPE_CHECKING:
    pass

app = typer.Typer()


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="md, json, csv or bibtex (default: from the -o suffix, else md).",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    section: SectionOpt = None,
    status: StatusOpt = None,
    tag: TagOpt = None,
    kind: KindOpt = None,
    year: YearOpt = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to FILE instead of stdout."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Export the reading list: a Markdown checklist, JSON, CSV or BibTeX.

    JSON and CSV carry your status, start and finish dates and rating. CSV is UTF-8
    with a byte-order mark, so spreadsheet programs read Chinese text correctly.

    Example: canon export --format bibtex --section research -o canon.bib
    """
    from canon_cli.cli.actions import make_filters
    from canon_cli.output import export as exporters

    session: Session = ctx.obj
    chosen = fmt or exporters.format_for(output)
    if output is not None:
        exporters.check_output(output, force)  # before any work: a refusal is quick
    catalog = session.catalog()
    filters = make_filters(section, year, tag, kind, None, status)
    from canon_cli.reading.status import records

    state = session.reading_state()
    items = exporters.select_items(catalog, filters, session.statuses(), records(state, catalog))
    data = exporters.encode(chosen, exporters.export_text(chosen, catalog, items, session.lang()))
    if output is None:
        render.write_bytes(data)
        return
    exporters.write_output(output, data, force)
    render.note(f"Wrote {len(items)} entries to {output} ({chosen.value})")
