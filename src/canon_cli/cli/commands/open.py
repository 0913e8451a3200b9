"""The open command: find the entry the user meant and open it in their browser."""

from __future__ import annotations

from typing import Annotated

import typer

from canon_cli.catalog.store import Entry
from canon_cli.cli.completion import complete_entry_id
from canon_cli.cli.session import Session
from canon_cli.output import views

app = typer.Typer()


def _mark_reading(session: Session, entry: Entry) -> None:
    """Mark the entry as reading; a state that cannot be written does not stop the
    opening (it is what was asked for), but the user is told the mark was not saved."""
    from canon_cli.errors import CanonIOError
    from canon_cli.reading.marks import mark_entries
    from canon_cli.state.fold import now_ms

    try:
        changes = mark_entries(session.catalog(), session.state, [entry.id], "reading", now_ms())
    except CanonIOError as exc:
        views.mark_not_saved(entry, exc)
        return
    views.show_marks(changes, "reading")


@app.command("open")
def open_entry(
    ctx: typer.Context,
    entry_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help="Id, alias, id prefix or title. Default: the entry 'canon next' shows.",
            autocompletion=complete_entry_id,
            show_default=False,
        ),
    ] = None,
    link: Annotated[
        str | None,
        typer.Option(
            "--link",
            "-l",
            metavar="LABEL|N",
            help="Open this link: a label (or its start) or a number as 'canon show' lists "
            "them; 0 is the main link.",
            show_default=False,
        ),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Open every link of the entry.")] = False,
    print_only: Annotated[
        bool,
        typer.Option("--print", help="Print the URLs, one a line, instead of opening them."),
    ] = False,
    no_mark: Annotated[
        bool, typer.Option("--no-mark", help="Leave the entry's status as it is.")
    ] = False,
    archive: Annotated[
        bool,
        typer.Option(
            "--archive",
            help="Open the archived copy instead: the entry's archive link, else the "
            "Internet Archive's (web.archive.org).",
        ),
    ] = False,
) -> None:
    """Open an entry's main link (or others) in your web browser.

    The browser is the one Python's webbrowser module picks, so BROWSER is honoured.
    Without ID, opens the entry 'canon next' shows; with every entry done or skipped
    there is nothing to open (exit code 1). Every link is checked first: a link that
    is not plain http(s) with a host is refused and nothing opens (exit code 3).
    When no browser can be started the URLs are printed instead (exit code 0).
    An unread entry is marked as reading unless --no-mark is given or the setting
    open_marks_reading is false. When the last 'canon links check' found the link
    dead, canon says so and how to open the archived copy (--archive).

    Example: canon open attention --link blog
    """
    from canon_cli.output.links import show_dead_links
    from canon_cli.reading import opener
    from canon_cli.reading.links import for_opening

    session: Session = ctx.obj
    catalog = session.catalog()
    statuses = session.statuses()
    entry = opener.target_entry(catalog, statuses, entry_id)
    links, dead = for_opening(entry, opener.pick_links(entry, link, every), archive)
    opener.check_links(entry, links)
    show_dead_links(entry.id, dead)
    # Marked before launching: a terminal browser (BROWSER=lynx) holds canon until it
    # quits, and a mark written after that could undo a 'canon done' made meanwhile.
    if opener.marks_reading(entry, statuses, no_mark, session.config):
        _mark_reading(session, entry)
    if print_only:
        views.show_urls([item.url for item in links])
        return
    done = opener.launch(links)
    views.show_launch(
        entry,
        [(i.describe(), i.url) for i in done.opened],
        [i.url for i in done.unopened],
        done.problem,
    )
