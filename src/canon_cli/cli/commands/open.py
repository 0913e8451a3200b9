"""The open command: find the entry the user meant and open it in their browser."""

from __future__ import annotations

from typing import Annotated

import typer

from canon_cli.cli import actions
from canon_cli.cli.helptext import command_help
from canon_cli.cli.options import argument, option
from canon_cli.i18n import N_

app = typer.Typer()


@app.command(
    "open",
    help=command_help(
        N_("Open an entry's main link (or others) in your web browser."),
        N_(
            "The browser is the one Python's webbrowser module picks, so BROWSER is honoured. "
            "Without ID, opens the entry 'canon next' shows; with every entry done or skipped "
            "there is nothing to open (exit code 1). Every link is checked first: a link that is "
            "not plain http(s) with a host is refused and nothing opens (exit code 3). When no "
            "browser can be started the URLs are printed instead (exit code 0). An unread entry "
            "is marked as reading unless --no-mark is given or the setting open_marks_reading is "
            "false. When the last 'canon links check' found the link dead, canon says so and how "
            "to open the archived copy (--archive)."
        ),
        example="canon open attention --link blog",
    ),
)
def open_entry(
    ctx: typer.Context,
    entry_id: Annotated[str | None, argument("open", "entry_id")] = None,
    link: Annotated[str | None, option("open", "link")] = None,
    every: Annotated[bool, option("open", "every")] = False,
    print_only: Annotated[bool, option("open", "print_only")] = False,
    no_mark: Annotated[bool, option("open", "no_mark")] = False,
    archive: Annotated[bool, option("open", "archive")] = False,
) -> None:
    actions.open_entry(ctx.obj, entry_id, link, every, print_only, no_mark, archive)
