"""The browse app's one door into canon: typed records out, the CLI's own functions in.

Every change goes through the functions the CLI's commands call (marks, notes,
ratings, the opener), so the app writes the reading state exactly as ``canon done``
would: under the same lock, on the state as it is on disk at that moment. A change
another canon process made while the app was open is therefore kept, never
overwritten. ``changed()`` tells the app cheaply when to re-read.

Catalog and state text is sanitised here, once (control and bidi characters become
visible escapes); the widgets then draw it as plain text, never as markup. This is the
only module of the app that imports canon's internals, and it imports no Textual; the
records it hands out are in ``records.py``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from canon_cli import paths
from canon_cli.cli.browse.records import (
    BrowseError,
    Details,
    EntryRow,
    LinkCheck,
    LinkRow,
    NoteRow,
    OpenPlan,
    Overview,
    SectionRow,
)
from canon_cli.errors import CanonError
from canon_cli.i18n import _
from canon_cli.output.words import kind_label
from canon_cli.text import clean, clean_line
from canon_cli.vocab import STATUSES

if TYPE_CHECKING:
    from canon_cli.catalog.store import Catalog, Entry
    from canon_cli.cli.session import Session
    from canon_cli.state.fold import EntryState
    from canon_cli.state.store import StateStore

__all__ = ["STATUSES", "Library", "_"]

SEARCH_LIMIT = 200  # hits shown for a query; a larger catalog is narrowed by typing more


def _now() -> datetime:
    return datetime.now().astimezone()


def _minutes(entry: Entry) -> int | None:
    # the catalog's time estimate (schema 2); absent from older catalogs
    value = getattr(entry, "minutes", None)
    return value if isinstance(value, int) else None


def _row(entry: Entry, lang: str, statuses: Mapping[str, str]) -> EntryRow:
    from canon_cli.reading.status import entry_status

    return EntryRow(
        id=clean_line(entry.id),
        title=clean_line(entry.title_in(lang)),
        year=entry.year,
        kind=kind_label(entry.kind),
        minutes=_minutes(entry),
        status=entry_status(entry, statuses),
        refused=entry.url_problem is not None,
    )


def _age(then: datetime, now: datetime) -> str:
    days = (now - then).days
    if days <= 0:
        return _("today")
    return _("1 day ago") if days == 1 else _("{n} days ago").format(n=days)


class Library:
    """The catalog and the reading state as the app sees them, for one run."""

    def __init__(self, session: Session, clock: Callable[[], datetime] = _now) -> None:
        self._session = session
        self._clock = clock
        self._catalog: Catalog | None = None
        self._statuses: dict[str, str] = {}
        self._token: object = None

    # --- loading and watching ---------------------------------------------

    def load(self) -> None:
        """Open the catalog and read the state; canon's errors pass through unchanged
        (called before the app starts, so they end the run as any command's would)."""
        self._catalog = self._session.catalog()
        self._session.lang()  # an unknown language is refused before the screen opens
        self._reread()

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self.load()
        assert self._catalog is not None
        return self._catalog

    def language(self) -> str:
        return self._session.lang()

    def _state_token(self) -> object:
        """What changes whenever the state is written: the identity and size of the
        database and of its write-ahead log (every commit appends to the log)."""
        db = paths.state_db_path()
        found: list[tuple[int, int, int, int] | None] = []
        for path in (db, db.with_name(db.name + "-wal")):
            try:
                info = os.stat(path)
            except OSError:
                found.append(None)
                continue
            found.append((info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns))
        return tuple(found)

    def _reread(self) -> None:
        from canon_cli.reading.status import open_state, statuses

        token = self._state_token()
        store = open_state(create=False)
        try:
            self._statuses = statuses(store, self.catalog)
        finally:
            if store is not None:
                store.close()
        self._token = token

    def changed(self) -> bool:
        """Re-read the state if anything wrote it since the last read; True if so."""
        if self._state_token() == self._token:
            return False
        try:
            self._reread()
        except CanonError as exc:
            self._token = self._state_token()  # report a broken state once, not every poll
            raise BrowseError(str(exc)) from None
        return True

    def _record(self, entry: Entry) -> EntryState:
        from canon_cli.reading.status import open_state, record_of

        store = open_state(create=False)
        try:
            return record_of(store, entry)
        finally:
            if store is not None:
                store.close()

    def _write(self, action: Callable[[Callable[[], StateStore]], Any]) -> Any:
        """Run a change through the CLI's own function, with the state opened for it."""
        from canon_cli.reading.status import open_state

        opened: list[StateStore] = []

        def store() -> StateStore:
            found = open_state()
            assert found is not None
            opened.append(found)
            return found

        try:
            return _guarded(lambda: action(store))
        finally:
            for found in opened:
                found.close()

    # --- reading ----------------------------------------------------------

    def overview(self) -> Overview:
        from canon_cli.reading.progress import progress_summary

        summary = progress_summary(self.catalog, self._statuses).overall
        title = clean_line(self.catalog.title or _("Catalog"))
        return Overview(title, summary.done + summary.skipped, summary.total)

    def sections(self, lang: str) -> list[SectionRow]:
        from canon_cli.reading.progress import progress_summary

        summary = progress_summary(self.catalog, self._statuses)
        counts = {s.path: s.counts for s in summary.sections}
        rows = []
        for section in self.catalog.sections:
            count = counts[section.path]
            rows.append(
                SectionRow(
                    slug=section.slug,
                    name=clean_line(section.name(lang)),
                    depth=len(section.path) - 1,
                    done=count.done + count.skipped,
                    total=count.total,
                )
            )
        return rows

    def entries(self, section: str | None, lang: str) -> list[EntryRow]:
        """The entries of a section and the sections below it (None: every entry)."""
        from canon_cli.catalog.query import Filters
        from canon_cli.reading.status import select_entries

        filters = Filters(sections=(section,) if section else ())
        found = select_entries(self.catalog, filters, self._statuses, full=False)
        return [_row(entry, lang, self._statuses) for entry in found]

    def search(self, text: str, lang: str) -> list[EntryRow]:
        """Hits for ``text`` ranked as ``canon search`` ranks them."""
        from itertools import islice

        from canon_cli.catalog.query import Filters
        from canon_cli.reading.status import search_entries

        if not text.strip():
            return []
        hits = search_entries(self.catalog, text, Filters(), self._statuses)
        return [_row(hit.entry, lang, self._statuses) for hit in islice(hits, SEARCH_LIMIT)]

    def first_entry(self) -> tuple[str, str] | None:
        """(section, id) of what ``canon next`` would show, where the app starts."""
        from canon_cli.reading.progress import next_entries

        upcoming = next_entries(self.catalog, self._statuses, limit=1)
        return (upcoming[0].section, upcoming[0].id) if upcoming else None

    def status(self, entry_id: str) -> str:
        from canon_cli.reading.status import entry_status

        entry = self._entry(entry_id)
        return entry_status(entry, self._statuses)

    def _entry(self, entry_id: str) -> Entry:
        entry = self.catalog.get(entry_id)
        if entry is None:
            raise BrowseError(_("{id} is no longer in the catalog").format(id=clean_line(entry_id)))
        return entry

    def details(self, entry_id: str, lang: str) -> Details:
        entry = self._entry(entry_id)
        record = self._record(entry)
        other = entry.title if lang == "zh" else entry.title_zh
        sections = self.catalog.section_by_slug
        path = " › ".join(sections[slug].name(lang) for slug in sections[entry.section].path)
        return Details(
            id=clean_line(entry.id),
            title=clean_line(entry.title_in(lang)),
            other_title=clean_line(other) if other and other != entry.title_in(lang) else None,
            section=clean_line(path),
            kind=kind_label(entry.kind),
            year=entry.year,
            minutes=_minutes(entry),
            authors=tuple(clean_line(a) for a in entry.authors),
            tags=entry.tags,
            summary=clean(entry.summary(lang)),
            links=tuple(
                LinkRow(i, clean_line(link.label), clean_line(link.url))
                for i, link in enumerate(entry.all_links())
            ),
            refused=entry.url_problem,
            status=record.status,
            started=_stamp(record.started),
            finished=_stamp(record.finished),
            rating=record.rating,
            notes=tuple(NoteRow(_stamp(n.at) or "", clean(n.text)) for n in record.notes),
            link_check=self.link_check(entry.id),
        )

    def link_check(self, entry_id: str) -> LinkCheck | None:
        """The last link check of the entry (none is recorded by this version of canon)."""
        return None

    def age(self, then: datetime) -> str:
        """How long ago ``then`` was, by the library's clock ("3 days ago")."""
        return _age(then, self._clock())

    # --- changing ---------------------------------------------------------

    def mark(self, entry_id: str, status: str) -> str:
        """Set the status as ``canon start/done/skip/reset`` do; returns what happened."""
        from canon_cli.reading.marks import mark_entries
        from canon_cli.state.fold import now_ms

        entry = self._entry(entry_id)
        changes = self._write(
            lambda store: mark_entries(self.catalog, store, [entry.id], status, now_ms())
        )
        self.changed()
        shown = clean_line(entry.id)
        if changes and changes[0][1]:
            return _("{id}: {status}").format(id=shown, status=status)
        return _("{id} is already {status}").format(id=shown, status=status)

    def rate(self, entry_id: str, rating: int) -> str:
        """Rate as ``canon rate`` does (0 clears the rating)."""
        from canon_cli.reading.marks import rate_entry
        from canon_cli.state.fold import now_ms

        entry = self._entry(entry_id)
        self._write(lambda store: rate_entry(self.catalog, store, entry.id, rating, now_ms()))
        self.changed()
        shown = clean_line(entry.id)
        if rating == 0:
            return _("cleared the rating of {id}").format(id=shown)
        return _("rated {id}: {rating}").format(id=shown, rating=rating)

    def note(self, entry_id: str, text: str) -> str:
        """Add a dated note as ``canon note`` does."""
        from canon_cli.reading.marks import note_entry
        from canon_cli.state.fold import now_ms

        entry = self._entry(entry_id)
        self._write(lambda store: note_entry(self.catalog, store, entry.id, text, now_ms()))
        self.changed()
        return _("noted on {id}").format(id=clean_line(entry.id))

    def prepare_open(self, entry_id: str, number: int = 0) -> OpenPlan:
        """Pick and check the link as ``canon open ID --link N`` does, and mark an unread
        entry as reading (before the browser starts, as the command does)."""
        from canon_cli.reading import opener
        from canon_cli.reading.marks import mark_entries
        from canon_cli.state.fold import now_ms

        entry = _guarded(lambda: opener.target_entry(self.catalog, self._statuses, entry_id))
        if number >= len(entry.all_links()):
            raise BrowseError(_("{id} has no link [{n}]").format(id=clean_line(entry.id), n=number))
        links = opener.pick_links(entry, str(number), False)
        _guarded(lambda: opener.check_links(entry, links))
        config = self._session.config
        marked = _guarded(lambda: opener.marks_reading(entry, self._statuses, False, config))
        if marked:
            self._write(
                lambda store: mark_entries(self.catalog, store, [entry.id], "reading", now_ms())
            )
            self.changed()
        return OpenPlan(entry.id, tuple(links), marked)

    def launch(self, plan: OpenPlan) -> str:
        """Hand the planned links to the web browser; says what was opened or why not."""
        from canon_cli.reading.opener import launch

        done = launch(list(plan.links))
        marked = _(" (marked reading)") if plan.marked else ""
        if done.opened:
            shown = ", ".join(clean_line(item.describe()) for item in done.opened)
            return _("opened {links} of {id}").format(links=shown, id=plan.entry_id) + marked
        urls = " ".join(clean_line(item.url) for item in done.unopened)
        return f"{done.problem}: {urls}{marked}"


def _guarded(action: Callable[[], Any]) -> Any:
    """Run a canon function; its error becomes a BrowseError with the same message."""
    try:
        return action()
    except CanonError as exc:
        raise BrowseError(clean(str(exc))) from None


def _stamp(value: str | None) -> str | None:
    """A stored instant as the app shows it: ``2026-01-05 09:00`` in the local zone."""
    from canon_cli.state.fold import local_minute

    return local_minute(value) if value else None


def state_file() -> Path:
    """Where the reading state lives (for messages and tests)."""
    return paths.state_db_path()
