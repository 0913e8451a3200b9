"""Options shared by several commands, declared once."""

from __future__ import annotations

from typing import Annotated

import typer

from canon_cli.cli.completion import (
    complete_entry_id,
    complete_kind,
    complete_section,
    complete_status,
    complete_tag,
)
from canon_cli.vocab import MAX_COUNT

SectionOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--section",
        "-s",
        help="Section slug at any level (e.g. agents, research); repeat for several.",
        show_default=False,
        autocompletion=complete_section,
    ),
]
OneSectionOpt = Annotated[
    str | None,
    typer.Option(
        "--section",
        "-s",
        help="Only this section (any level).",
        show_default=False,
        autocompletion=complete_section,
    ),
]
YearOpt = Annotated[
    str | None,
    typer.Option("--year", "-y", help="A year (2022) or a range: 2020..2022, 2021.., ..2019."),
]
TagOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--tag",
        "-t",
        help="Topic tag; repeat to require several.",
        show_default=False,
        autocompletion=complete_tag,
    ),
]
KindOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        "-k",
        help="Kind (paper, article, video, ...); repeat for any of several.",
        show_default=False,
        autocompletion=complete_kind,
    ),
]
StatusOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        help="unread, reading, done or skipped (or read, finished, todo, started); "
        "repeat for any of several.",
        show_default=False,
        autocompletion=complete_status,
    ),
]
SearchOpt = Annotated[
    str | None,
    typer.Option(
        "--search", "-q", help="Words that must all match title, authors, tags or summaries."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON and nothing else.")]
LimitOpt = Annotated[
    int | None, typer.Option("-n", "--limit", help="Show at most N entries.", min=1, max=MAX_COUNT)
]

# Entry-id arguments, with the ids completed by the shell.
EntryIdArg = Annotated[
    str,
    typer.Argument(
        metavar="ID", help="Id, alias, id prefix or title.", autocompletion=complete_entry_id
    ),
]
EntryIdsArg = Annotated[
    list[str],
    typer.Argument(
        metavar="ID...",
        help="Ids, aliases, id prefixes or titles.",
        autocompletion=complete_entry_id,
    ),
]
