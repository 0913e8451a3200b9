"""Options shared by several commands, declared once."""

from __future__ import annotations

from typing import Annotated

import typer

SectionOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--section",
        "-s",
        help="Section slug at any level (e.g. agents, research); repeat for several.",
        show_default=False,
    ),
]
YearOpt = Annotated[
    str | None,
    typer.Option("--year", "-y", help="A year (2022) or a range: 2020..2022, 2021.., ..2019."),
]
TagOpt = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", help="Topic tag; repeat to require several.", show_default=False),
]
KindOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        "-k",
        help="Kind (paper, article, video, ...); repeat for any of several.",
        show_default=False,
    ),
]
StatusOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        help="unread, reading, done or skipped; repeat for any of several.",
        show_default=False,
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
    int | None, typer.Option("-n", "--limit", help="Show at most N entries.", min=1)
]
