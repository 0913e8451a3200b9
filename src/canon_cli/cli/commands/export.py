"""The export command: the reading list as Markdown, JSON, CSV or BibTeX."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from canon_cli.cli import actions
from canon_cli.cli.helptext import command_help
from canon_cli.cli.options import (
    ForceOpt,
    KindOpt,
    SectionOpt,
    StatusOpt,
    TagOpt,
    YearOpt,
    option,
)
from canon_cli.i18n import N_
from canon_cli.output.export import ExportFormat

app = typer.Typer()


@app.command(
    help=command_help(
        N_("Export the reading list: a Markdown checklist, JSON, CSV or BibTeX."),
        N_(
            "JSON and CSV carry your status, start and finish dates and rating. CSV is UTF-8 with "
            "a byte-order mark, so spreadsheet programs read Chinese text correctly."
        ),
        example="canon export --format bibtex --section research -o canon.bib",
    )
)
def export(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat | None, option("export", "fmt")] = None,
    section: SectionOpt = None,
    status: StatusOpt = None,
    tag: TagOpt = None,
    kind: KindOpt = None,
    year: YearOpt = None,
    output: Annotated[Path | None, option("export", "output")] = None,
    force: ForceOpt = False,
) -> None:
    chosen = None if fmt is None else fmt.value
    actions.export(ctx.obj, chosen, section, status, tag, kind, year, output, force)
