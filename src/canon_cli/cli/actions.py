"""The bodies of the most-used commands, free of typer.

``list``, ``progress``, ``next`` and the marks (``start``, ``done``, ``skip``, ``reset``)
run many times a day, and ``browse`` must draw its first screen quickly; their typer
commands and the start-up fast path (``fastpath.py``) both call these, so the two cannot
drift apart.
"""

from __future__ import annotations

from canon_cli import paths
from canon_cli.catalog.query import Filters, parse_years
from canon_cli.cli.session import Session
from canon_cli.output import views


def make_filters(
    section: list[str] | None = None,
    year: str | None = None,
    tag: list[str] | None = None,
    kind: list[str] | None = None,
    search: str | None = None,
    status: list[str] | None = None,
) -> Filters:
    return Filters(
        sections=tuple(section or ()),
        years=None if year is None else parse_years(year),
        tags=tuple(tag or ()),
        kinds=tuple(kind or ()),
        search=search,
        statuses=tuple(status or ()),
    )


def list_entries(
    session: Session,
    section: list[str] | None = None,
    year: str | None = None,
    tag: list[str] | None = None,
    kind: list[str] | None = None,
    search: str | None = None,
    status: list[str] | None = None,
    limit: int | None = None,
    as_json: bool = False,
) -> None:
    from canon_cli.reading.status import select_entries

    catalog = session.catalog()
    statuses = session.statuses()
    filters = make_filters(section, year, tag, kind, search, status)
    entries = select_entries(catalog, filters, statuses, full=as_json)
    if limit is not None:
        import itertools

        entries = itertools.islice(entries, limit)
    dead: set[str] = set()
    if paths.link_results_path().exists():  # only after a 'canon links check'
        from canon_cli.reading.links import dead_entry_ids_remembered

        dead = dead_entry_ids_remembered(catalog)
    views.show_list(catalog, entries, statuses, session.lang(), as_json, dead)


def show_progress(session: Session, section: str | None = None, as_json: bool = False) -> None:
    from canon_cli.catalog.query import check_filters
    from canon_cli.reading.progress import progress_summary

    catalog = session.catalog()
    if section:
        check_filters(catalog, Filters(sections=(section,)))
    summary = progress_summary(catalog, session.statuses(), section)
    views.show_progress(catalog, summary, session.lang(), as_json)


def show_next(
    session: Session,
    section: list[str] | None = None,
    kind: list[str] | None = None,
    count: int = 1,
    as_json: bool = False,
) -> None:
    from canon_cli.reading.progress import next_entries

    catalog = session.catalog()
    statuses = session.statuses()
    entries = next_entries(catalog, statuses, tuple(section or ()), tuple(kind or ()), count)
    views.show_list(catalog, entries, statuses, session.lang(), as_json)


def mark(session: Session, ids: list[str], status: str) -> None:
    from canon_cli.reading.marks import mark_entries
    from canon_cli.state.fold import now_ms

    catalog = session.catalog()
    changes = mark_entries(catalog, session.state, ids, status, now_ms())
    views.show_marks(changes, status)


def has_terminal() -> bool:
    """Whether input and output are both a terminal that can draw a full screen."""
    import os
    import sys

    try:
        interactive = sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False
    return interactive and os.environ.get("TERM", "") != "dumb"


def browse(session: Session) -> None:
    """The full-screen reader, until the user quits. Everything that can fail with one of
    canon's errors (no terminal, a bad catalog or state, an unknown language) fails
    before the screen is taken over, so it is reported like any command's error."""
    import os

    from canon_cli.errors import FailureError
    from canon_cli.i18n import _

    if not has_terminal():
        dumb = _(" (TERM is 'dumb')") if os.environ.get("TERM") == "dumb" else ""
        raise FailureError(
            _("canon browse needs a terminal: its input or output is redirected") + dumb,
            hint=_(
                "Run it in a terminal. In scripts, use 'canon list', 'canon show' and "
                "'canon done' instead."
            ),
        )
    from canon_cli.cli.browse.data import Library

    library = Library(session)
    library.load()
    from canon_cli.cli.browse.app import BrowseApp  # Textual: imported only now

    app = BrowseApp(library)
    app.run()
    if app.return_code:  # the app failed; Textual has reported why
        raise SystemExit(app.return_code)


def show_log(session: Session, limit: int | None = None, as_json: bool = False) -> None:
    """``log``: started and finished, newest first, read newest first from the state."""
    from canon_cli.reading.progress import log_events

    catalog = session.catalog()
    store = session.reading_state()
    times = [] if store is None else store.latest_times(limit)
    views.show_log(log_events(times, catalog), as_json)


def show_stats(session: Session, as_json: bool = False) -> None:
    """``stats``: finished per month and streaks, days counted in the local zone."""
    from datetime import date

    from canon_cli.reading.progress import reading_stats

    store = session.reading_state()
    days = [] if store is None else store.finished_days()
    summary = reading_stats([(date.fromisoformat(d), n) for d, n in days], date.today())
    views.show_stats(summary, as_json)
