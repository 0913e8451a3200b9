"""Opening an entry: pick its links, refuse unsafe ones, hand the rest to a web browser.

Everything but ``launch`` is a pure function of the catalog, the statuses and what the
user typed. ``launch`` goes through Python's ``webbrowser``, so the user's ``BROWSER``
variable is honoured and no shell ever sees a URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import NamedTuple, Protocol

from canon_cli.catalog.store import Catalog, Entry
from canon_cli.catalog.urls import url_problem
from canon_cli.config import Config
from canon_cli.errors import CatalogError, FailureError, UsageError
from canon_cli.i18n import _, ngettext


class NumberedLink(NamedTuple):
    """One link of an entry, numbered as ``canon show`` prints it (0 is the main link)."""

    number: int
    label: str
    url: str

    def describe(self) -> str:
        return f"[{self.number}] {self.label}"


def numbered_links(entry: Entry) -> list[NumberedLink]:
    return [NumberedLink(i, link.label, link.url) for i, link in enumerate(entry.all_links())]


def target_entry(catalog: Catalog, statuses: Mapping[str, str], text: str | None) -> Entry:
    """The entry named by ``text``, or without one the entry ``canon next`` shows.

    With nothing in progress and nothing unread there is nothing to open: that is a
    ``FailureError`` (exit code 1), so ``url=$(canon open --print)`` can tell.
    """
    from canon_cli.catalog.query import resolve_entry
    from canon_cli.reading.progress import next_entries

    if text is not None:
        return resolve_entry(catalog, text)
    upcoming = next_entries(catalog, statuses, limit=1)
    if not upcoming:
        raise FailureError(
            _("nothing to open: every entry is done or skipped"),
            hint=_("Open a particular entry with 'canon open ID'."),
        )
    return upcoming[0]


def _links_listing(links: list[NumberedLink]) -> str:
    return "\n".join(f"  {link.describe()}: {link.url}" for link in links)


def _labelled(links: list[NumberedLink], key: str) -> list[NumberedLink]:
    """Links whose label is ``key`` (any case); else those it starts; else those in which
    it starts a word ("technical report" finds "palm-2 technical report")."""
    if not key:
        return []
    exact = [item for item in links if item.label.casefold() == key]
    if exact:
        return exact
    starts = [item for item in links if item.label.casefold().startswith(key)]
    if starts:
        return starts
    word = re.compile(r"(?<![^\W_])" + re.escape(key))
    return [item for item in links if word.search(item.label.casefold())]


def pick_links(entry: Entry, link: str | None, every: bool) -> list[NumberedLink]:
    """The links to open: the main one, all of them, or the one ``link`` names.

    ``link`` is a number as ``canon show`` prints it, or a label matched without regard
    to case: exactly, else by a unique start ("blog" finds "blog post"), else by a unique
    start of a word in it ("technical report" finds "palm-2 technical report").
    """
    links = numbered_links(entry)
    if every and link is not None:
        raise UsageError(_("use either --link or --all, not both"))
    if every:
        return links
    if link is None:
        return links[:1]
    wanted = link.strip()
    if wanted.isdigit():
        number = int(wanted)
        if number < len(links):
            return [links[number]]
        raise UsageError(
            _("{id} has no link [{n}]; its links are:").format(id=entry.id, n=number)
            + "\n"
            + _links_listing(links),
            hint=_("Pass --link with a number or a label from this list."),
        )
    matches = _labelled(links, wanted.casefold())
    if len(matches) == 1:
        return matches
    if matches:
        raise UsageError(
            _("{link} matches {n} links of {id}:").format(
                link=repr(link), n=len(matches), id=entry.id
            )
            + "\n"
            + _links_listing(matches),
            hint=_("Type more of the label, or pass its number."),
        )
    raise UsageError(
        _("{id} has no link labelled {link}; its links are:").format(id=entry.id, link=repr(link))
        + "\n"
        + _links_listing(links),
        hint=_("Pass --link with a number or a label from this list."),
    )


def check_links(entry: Entry, links: list[NumberedLink]) -> None:
    """Refuse the whole request if any link is not a plain http(s) link with a host.

    A refused link is bad catalog data, so this is a ``CatalogError`` (exit code 3)
    naming the catalog file, the entry and every refused link. Nothing is opened.
    """
    refused = [(item, problem) for item in links if (problem := url_problem(item.url))]
    if not refused:
        return
    lines = "\n".join(f"  {item.describe()} {item.url!r} {problem}" for item, problem in refused)
    count = ngettext("{n} link", "{n} links", len(refused)).format(n=len(refused))
    raise CatalogError(
        _("entry {id}: refused to open {count}; nothing was opened:").format(
            id=repr(entry.id), count=count
        )
        + "\n"
        + lines,
        path=entry.source,
        hint=_("canon opens only http and https links with a host. Fix the link in the catalog."),
    )


def marks_reading(
    entry: Entry, statuses: Mapping[str, str], no_mark: bool, config: Callable[[], Config]
) -> bool:
    """Whether opening ``entry`` moves it to ``reading``: only an unread entry, and only
    without ``--no-mark`` and with ``open_marks_reading`` on (the config is read last,
    so only when it matters)."""
    from canon_cli.reading.status import entry_status

    return not no_mark and entry_status(entry, statuses) == "unread" and config().open_marks_reading


class Browser(Protocol):
    def open_new_tab(self, url: str) -> bool: ...


class Launch(NamedTuple):
    """What happened to each link handed to the browser."""

    opened: list[NumberedLink]
    unopened: list[NumberedLink]
    problem: str | None = None  # why the unopened links could not be opened


def _default_browser() -> Browser:
    import webbrowser

    return webbrowser.get()


def launch(
    links: list[NumberedLink], get_browser: Callable[[], Browser] = _default_browser
) -> Launch:
    """Open each link in a new browser tab; a link no browser took is reported, not lost.

    Call only with links that passed ``check_links``.
    """
    import webbrowser

    try:
        browser = get_browser()
    except webbrowser.Error:
        return Launch([], list(links), _("no web browser found (set BROWSER to choose one)"))
    opened: list[NumberedLink] = []
    unopened: list[NumberedLink] = []
    for item in links:
        try:
            took = browser.open_new_tab(item.url)
        except OSError:
            took = False
        (opened if took else unopened).append(item)
    if not unopened:
        return Launch(opened, unopened)
    name = getattr(browser, "name", "") or type(browser).__name__
    problem = _("the browser {name} could not be started or failed").format(name=repr(name))
    return Launch(opened, unopened, problem)
