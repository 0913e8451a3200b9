"""Reading progress over the catalog, as typed records: progress, next, log and stats.

Each function takes plain values (a catalog, the statuses from ``status.statuses``,
rows read from the state) and returns NamedTuples; ``output.views`` turns them into
tables or JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

from canon_cli.catalog.store import Catalog, Entry
from canon_cli.i18n import _
from canon_cli.reading.status import entry_status
from canon_cli.state.fold import UNREAD
from canon_cli.vocab import STATUSES


class Counts(NamedTuple):
    """How many entries have each status (and in all), and their reading time: of every
    entry, of what is left (unread or being read, counted whole), and how many entries
    left have no estimate (a catalog without ``minutes``)."""

    total: int = 0
    unread: int = 0
    reading: int = 0
    done: int = 0
    skipped: int = 0
    minutes_total: int = 0
    minutes_left: int = 0
    left_without_estimate: int = 0

    def plus(self, status: str, n: int = 1) -> Counts:
        return self._replace(total=self.total + n, **{status: getattr(self, status) + n})

    def add(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self, other, strict=True)))

    def as_dict(self) -> dict[str, int]:
        return dict(self._asdict())


class SectionProgress(NamedTuple):
    path: tuple[str, ...]  # section slugs from the top down
    counts: Counts


class Progress(NamedTuple):
    overall: Counts
    sections: list[SectionProgress]
    reading_now: list[str]  # ids, in reading order


_INDEX = {status: i for i, status in enumerate(STATUSES, 1)}  # Counts field of each status
_WIDTH = len(Counts._fields)
_TOTAL_MIN, _LEFT_MIN, _NO_ESTIMATE = (Counts._fields.index(f) for f in Counts._fields[-3:])
LEFT = ("unread", "reading")  # what counts as left to read


def _count(counts: list[int], status: str, minutes: int | None) -> None:
    counts[0] += 1
    counts[_INDEX[status]] += 1
    counts[_TOTAL_MIN] += minutes or 0
    if status in LEFT:
        counts[_LEFT_MIN] += minutes or 0
        counts[_NO_ESTIMATE] += minutes is None


def progress_summary(
    catalog: Catalog, statuses: Mapping[str, str], section: str | None = None
) -> Progress:
    """Counts by status and reading time left, overall and for every section (subtree
    totals). An entry being read counts its whole time as left."""
    scope = catalog.subtree(section) if section else None
    minutes = catalog.minutes_by_id()
    direct: dict[str, list[int]] = {}
    reading: list[str] = []
    for entry_id, sec in catalog.id_section_pairs(scope):
        status = statuses.get(entry_id, UNREAD)
        counts = direct.get(sec)
        if counts is None:
            counts = direct[sec] = [0] * _WIDTH
        _count(counts, status, minutes.get(entry_id))
        if status == "reading":
            reading.append(entry_id)
    overall = Counts(*(sum(c[i] for c in direct.values()) for i in range(_WIDTH)))
    sections = []
    for s in catalog.sections:
        if scope is not None and s.slug not in scope:
            continue
        total = [0] * _WIDTH
        for sub in catalog.subtree(s.slug):
            for i, n in enumerate(direct.get(sub, ())):
                total[i] += n
        sections.append(SectionProgress(s.path, Counts(*total)))
    return Progress(overall, sections, reading)


def next_entries(
    catalog: Catalog,
    statuses: Mapping[str, str],
    sections: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    limit: int = 1,
) -> list[Entry]:
    """What to read next in curriculum order: entries being read first, then the first unread."""
    from canon_cli.catalog.query import Filters
    from canon_cli.reading.status import select_entries

    reading: list[Entry] = []
    unread: list[Entry] = []
    for entry in select_entries(catalog, Filters(sections=sections, kinds=kinds), statuses):
        status = entry_status(entry, statuses)
        if status == "reading":
            reading.append(entry)
        elif status == UNREAD and len(unread) < limit:
            unread.append(entry)
    return (reading + unread)[:limit]


class LogEvent(NamedTuple):
    at: str  # the stored UTC instant
    event: str  # "started" or "finished"
    id: str
    title: str


def log_events(
    times: Iterable[tuple[str, str, str]], catalog: Catalog, lang: str = "en"
) -> list[LogEvent]:
    """Events from ``(entry, field, instant)`` rows, newest first (by instant; at the same
    instant a finish before a start), with current ids and titles from the catalog (the
    Chinese title under ``lang`` zh, where the catalog has one)."""
    alias_of = catalog.alias_targets()
    titles: dict[str, str] = {}
    events = []
    for entry_id, field, at in times:
        current = alias_of.get(entry_id, entry_id)
        if current not in titles:
            found = catalog.get(current)
            if found is None:
                titles[current] = _("(not in the catalog)")
            else:
                titles[current] = found.title_in(lang)
        events.append(LogEvent(at, field, current, titles[current]))
    events.sort(key=lambda e: (e.at, e.event == "finished"), reverse=True)
    return events


class MonthCount(NamedTuple):
    month: str  # YYYY-MM
    finished: int


class Stats(NamedTuple):
    finished_total: int
    months: list[MonthCount]
    current_streak_days: int
    longest_streak_days: int


def reading_stats(finished_days: Iterable[tuple[date, int]], today: date) -> Stats:
    """Entries finished per month and streaks of consecutive days with a finish, from
    ``(local day, entries finished that day)``; ``today`` is the local date."""
    from canon_cli import days

    counts: dict[date, int] = {}
    for day, n in finished_days:
        counts[day] = counts.get(day, 0) + n
    filled = [MonthCount(month, n) for month, n in days.months(counts, today)]
    return Stats(
        sum(counts.values()),
        filled,
        days.current_streak(counts, today),
        days.longest_streak(counts),
    )
