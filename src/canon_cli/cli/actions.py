"""The bodies of the commands the start-up fast path serves, free of typer.

Every read command (``list``, ``show``, ``search``, ``progress``, ``next``, ``log``,
``stats``, ``sections``, ``tags``, ``paths``, ``open``, ``export``), the marks, and
``browse``, whose first screen has a time budget of its own. Their typer commands and
the fast path (``fastpath.py``) both call these functions, with the parameters
``spec.py`` declares, so the two paths cannot drift apart. Each one reads its options,
calls domain functions and hands the result to ``views``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from canon_cli import paths
from canon_cli.catalog.query import Filters, parse_years
from canon_cli.cli.session import Session
from canon_cli.i18n import _
from canon_cli.output import markview, streams

if TYPE_CHECKING:
    from canon_cli.catalog.store import Entry
    from canon_cli.linkcheck.model import LinkResult


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
    rating: int | None = None,
    sort: str | None = None,
) -> None:
    from collections.abc import Iterable

    from canon_cli.output import views
    from canon_cli.reading.status import finish_times, ratings, select_entries

    catalog = session.catalog()
    statuses = session.statuses()
    rated = ratings(session.reading_state(), catalog)
    filters = make_filters(section, year, tag, kind, search, status)
    noted = _noted(session, search)
    entries: Iterable[Entry] = select_entries(catalog, filters, statuses, as_json, noted)
    if rating is not None:
        from canon_cli.reading.sorting import rated_at_least

        entries = rated_at_least(entries, rated, rating)
    if sort is not None:
        from canon_cli.reading.sorting import sort_entries

        finished = finish_times(session.reading_state(), catalog) if sort == "finished" else {}
        entries = sort_entries(entries, sort, session.lang(), rated, finished)
    if limit is not None:
        import itertools

        entries = itertools.islice(entries, limit)
    dead: set[str] = set()
    if paths.link_results_path().exists():  # only after a 'canon links check'
        from canon_cli.reading.links import dead_entry_ids_remembered

        dead = dead_entry_ids_remembered(catalog)
    filtered = any(v for v in (section, year, tag, kind, search, status))
    empty = _("No entries match these filters.") if filtered else _("The catalog is empty.")
    views.show_list(
        catalog,
        entries,
        statuses,
        session.lang(),
        as_json,
        dead,
        rated,
        sorted_by=sort,
        empty=empty,
    )


def _noted(session: Session, text: str | None) -> set[str]:
    """Ids of the entries whose notes contain every word of ``text``."""
    if not text:
        return set()
    from canon_cli.reading.notes import all_notes, entries_noting

    return entries_noting(all_notes(session.reading_state(), session.catalog()), text)


def show_entry(session: Session, entry_id: str, as_json: bool = False) -> None:
    from canon_cli.catalog.query import resolve_entry
    from canon_cli.output import views
    from canon_cli.reading.status import record_of

    catalog = session.catalog()
    entry = resolve_entry(catalog, entry_id)
    record = record_of(session.reading_state(), entry)
    lang = session.lang()
    shown = lang if (session.lang_chosen or as_json) else None  # None: both languages
    checks: list[LinkResult | None] = []
    if paths.link_results_path().exists():  # only after a 'canon links check'
        from canon_cli.reading.links import remembered_checks

        checks = remembered_checks(entry)
    views.show_entry(catalog, entry, shown, record, as_json, checks)


def search(
    session: Session,
    query: list[str],
    section: list[str] | None = None,
    tag: list[str] | None = None,
    kind: list[str] | None = None,
    year: str | None = None,
    status: list[str] | None = None,
    limit: int | None = None,
    as_json: bool = False,
) -> None:
    from itertools import islice

    from canon_cli.output import searchview
    from canon_cli.reading.status import search_entries

    catalog = session.catalog()
    statuses = session.statuses()
    text = " ".join(query)
    filters = make_filters(section, year, tag, kind, None, status)
    found = search_entries(catalog, text, filters, statuses, _noted(session, text))
    hits = list(islice(found, limit))
    searchview.show_hits(hits, statuses, session.lang(), text, as_json)


def show_progress(session: Session, section: str | None = None, as_json: bool = False) -> None:
    from canon_cli.catalog.query import check_filters
    from canon_cli.reading.counted import counted_progress

    catalog = session.catalog()
    if section:
        check_filters(catalog, Filters(sections=(section,)))
    summary = counted_progress(catalog, session.reading_state(), session.statuses, section)
    from canon_cli.output.progressview import show_progress

    show_progress(catalog, summary, session.lang(), as_json)


def show_next(
    session: Session,
    section: list[str] | None = None,
    kind: list[str] | None = None,
    count: int = 1,
    as_json: bool = False,
) -> None:
    from canon_cli.output import views
    from canon_cli.reading.progress import next_entries

    catalog = session.catalog()
    statuses = session.statuses()
    from canon_cli.reading.status import ratings

    entries = next_entries(catalog, statuses, tuple(section or ()), tuple(kind or ()), count)
    rated = ratings(session.reading_state(), catalog)
    empty = _("Nothing left to read here: every entry is done or skipped.")
    views.show_list(catalog, entries, statuses, session.lang(), as_json, ratings=rated, empty=empty)


def show_sections(session: Session, as_json: bool = False) -> None:
    from canon_cli.output import catalogview

    catalogview.show_sections(session.catalog(), session.lang(), as_json)


def show_tags(session: Session, as_json: bool = False) -> None:
    from canon_cli.output import catalogview

    catalogview.show_tags(session.catalog(), session.lang(), as_json)


def show_paths(session: Session, as_json: bool = False) -> None:
    from canon_cli.output import catalogview

    found = {
        "catalog": str(session.main_catalog_path()),
        "state": str(paths.state_db_path()),
        "config": str(paths.config_path()),
        "cache": str(paths.cache_dir()),
        "catalog_format": str(paths.catalog_format_doc()),
    }
    catalogview.show_paths(found, [str(p) for p in session.catalog_sources()[1:]], as_json)


def open_entry(
    session: Session,
    entry_id: str | None = None,
    link: str | None = None,
    every: bool = False,
    print_only: bool = False,
    no_mark: bool = False,
    archive: bool = False,
) -> None:
    from canon_cli.reading import opener

    catalog = session.catalog()
    statuses = session.statuses()
    entry = opener.target_entry(catalog, statuses, entry_id)
    links = opener.pick_links(entry, link, every)
    # the link checker's records are read only when there are some (after 'links check')
    if archive or paths.link_results_path().exists():
        from canon_cli.output.links import show_dead_links
        from canon_cli.reading.links import for_opening

        links, dead = for_opening(entry, links, archive)
        opener.check_links(entry, links)
        show_dead_links(entry.id, dead)
    else:
        opener.check_links(entry, links)
    # Marked before launching: a terminal browser (BROWSER=lynx) holds canon until it
    # quits, and a mark written after that could undo a 'canon done' made meanwhile.
    if opener.marks_reading(entry, statuses, no_mark, session.config):
        _mark_reading(session, entry)
    if print_only:
        markview.show_urls([item.url for item in links])
        return
    done = opener.launch(links)
    markview.show_launch(
        entry,
        [(i.describe(), i.url) for i in done.opened],
        [i.url for i in done.unopened],
        done.problem,
    )


def _mark_reading(session: Session, entry: Entry) -> None:
    """Mark the entry as reading; a state that cannot be written does not stop the
    opening (it is what was asked for), but the user is told the mark was not saved."""
    from canon_cli.errors import CanonIOError
    from canon_cli.reading.marks import mark_entries
    from canon_cli.state.fold import now_ms

    try:
        changes = mark_entries(session.catalog(), session.state, [entry.id], "reading", now_ms())
    except CanonIOError as exc:
        markview.mark_not_saved(entry, exc)
        return
    markview.show_marks(changes, "reading")


def export(
    session: Session,
    fmt: str | None = None,
    section: list[str] | None = None,
    status: list[str] | None = None,
    tag: list[str] | None = None,
    kind: list[str] | None = None,
    year: str | None = None,
    output: Path | None = None,
    force: bool = False,
) -> None:
    from canon_cli.output import export as exporters
    from canon_cli.reading.status import records

    chosen = exporters.ExportFormat(fmt) if fmt else exporters.format_for(output)
    if output is not None:
        exporters.check_output(output, force)  # before any work: a refusal is quick
    catalog = session.catalog()
    filters = make_filters(section, year, tag, kind, None, status)
    # BibTeX holds no reading record: only the statuses, to choose the entries
    kept = (
        {} if chosen is exporters.ExportFormat.bibtex else records(session.reading_state(), catalog)
    )
    items = exporters.select_items(catalog, filters, session.statuses(), kept)
    data = exporters.encode(chosen, exporters.export_text(chosen, catalog, items, session.lang()))
    if output is None:
        streams.write_bytes(data)
        return
    exporters.write_output(output, data, force)
    markview.confirm(f"Wrote {len(items)} entries to {output} ({chosen.value})")


def mark(session: Session, ids: list[str], status: str) -> None:
    from canon_cli.reading.marks import mark_entries
    from canon_cli.state.fold import now_ms

    catalog = session.catalog()
    changes = mark_entries(catalog, session.state, ids, status, now_ms())
    markview.show_marks(changes, status)


def set_status(session: Session, ids: list[str], status: str) -> None:
    """``mark --status``: like the marks, with the status (or a synonym) checked first."""
    from canon_cli.catalog.query import statuses_named

    (named,) = statuses_named([status])
    mark(session, ids, named)


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
    from canon_cli.output.progressview import show_log

    show_log(log_events(times, catalog, session.lang()), as_json)


def show_stats(session: Session, as_json: bool = False) -> None:
    """``stats``: finished per month and streaks, days counted in the local zone."""
    from datetime import date

    from canon_cli.reading.progress import reading_stats

    store = session.reading_state()
    days = [] if store is None else store.finished_days()
    summary = reading_stats([(date.fromisoformat(d), n) for d, n in days], date.today())
    from canon_cli.output.progressview import show_stats

    show_stats(summary, as_json)


def show_dashboard(session: Session, as_json: bool = False) -> None:
    """``canon`` with no command: what you are reading, what comes next, how far you are."""
    from datetime import date

    from canon_cli.output.dashboard import show_dashboard as show
    from canon_cli.reading.dashboard import dashboard

    catalog = session.catalog()
    store = session.reading_state()
    days = [] if store is None else store.finished_days()
    finished = [(date.fromisoformat(d), n) for d, n in days]
    board = dashboard(catalog, session.statuses(), finished, date.today())
    show(board, catalog, session.lang(), as_json)


def show_notes(session: Session, entry_id: str | None = None, as_json: bool = False) -> None:
    """``notes [ID]``: every note (or one entry's), newest first, numbered per entry."""
    from canon_cli.catalog.query import resolve_entry
    from canon_cli.output.notesview import show_notes as show
    from canon_cli.reading.notes import all_notes, newest_first

    catalog = session.catalog()
    wanted = None if entry_id is None else resolve_entry(catalog, entry_id).id
    notes = all_notes(session.reading_state(), catalog)
    if wanted is not None:
        notes = {wanted: notes[wanted]} if wanted in notes else {}
    show(newest_first(notes), as_json, wanted)


def note(
    session: Session,
    entry_id: str,
    text: list[str] | None = None,
    edit: int | None = None,
    delete: int | None = None,
) -> None:
    """``note ID TEXT`` adds a note; ``--edit N TEXT`` and ``--delete N`` change one."""
    from canon_cli.errors import UsageError
    from canon_cli.i18n import _
    from canon_cli.state.fold import now_ms

    words = " ".join(text or [])
    if edit is not None and delete is not None:
        raise UsageError(_("give either --edit or --delete, not both"))
    if delete is not None and words:
        raise UsageError(
            _("--delete takes no text"),
            hint=_("To change a note's text: canon note ID --edit N TEXT"),
        )
    catalog = session.catalog()
    if edit is None and delete is None:
        from canon_cli.reading.marks import note_entry

        entry = note_entry(catalog, session.state, entry_id, words, now_ms())
        markview.confirm(_("noted on {id}").format(id=entry.id))
        return
    from canon_cli.output.notesview import show_note_change
    from canon_cli.reading.notes import change_note

    number = delete if delete is not None else edit
    assert number is not None
    new_text = None if delete is not None else words
    change = change_note(
        catalog, session.reading_state, session.state, entry_id, number, new_text, now_ms()
    )
    show_note_change(change, deleted=delete is not None)
