"""What the commands that change an entry say, on stderr: the marks (``start``,
``done``, ``skip``, ``reset``, and the reading mark ``open`` makes), the one-line
confirmations of notes, ratings and the state commands, and what ``open`` sent to the
browser (or the links it printed instead, on stdout).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from canon_cli.i18n import _, language, ngettext
from canon_cli.output import streams
from canon_cli.output.words import status_label

if TYPE_CHECKING:
    from canon_cli.catalog.store import Entry


def confirm(message: str) -> None:
    """One line on stderr saying what a command did ("noted on bert")."""
    streams.note(message)


def mark_not_saved(entry: Entry, problem: Exception) -> None:
    """The entry is opened (or printed) anyway; say that its mark was lost and why."""
    streams.warning(
        _("{id} was not marked as reading: {problem}").format(id=entry.id, problem=problem)
    )


def show_marks(changes: list[tuple[Entry, bool]], status: str) -> None:
    """One line per entry on stderr: what changed, or that nothing needed to."""
    verb = {
        "reading": _("started: {id}  {title}"),
        "done": _("done: {id}  {title}"),
        "skipped": _("skipped: {id}  {title}"),
        "unread": _("reset: {id}  {title}"),
    }[status]
    for entry, changed in changes:
        if changed:
            streams.note(verb.format(id=entry.id, title=entry.title_in(language())))
        else:
            streams.note(
                _("unchanged (already {status}): {id}").format(
                    status=status_label(status), id=entry.id
                )
            )


def show_urls(urls: list[str]) -> None:
    """URLs on stdout, one a line, and nothing else (for scripts, ssh and xargs)."""
    streams.plain_rows([url] for url in urls)


def show_launch(
    entry: Entry, opened: list[tuple[str, str]], unopened: list[str], problem: str | None
) -> None:
    """``open``: each (link, url) sent to the browser on stderr; the rest printed to stdout."""
    for link, url in opened:
        streams.note(_("opened {id} {link}: {url}").format(id=entry.id, link=link, url=url))
    if unopened:
        why = problem or _("no browser opened it")
        streams.note(
            ngettext(
                "canon: {problem}; printing the link instead.",
                "canon: {problem}; printing the links instead.",
                len(unopened),
            ).format(problem=why)
        )
        show_urls(unopened)
