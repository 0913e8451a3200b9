"""What ``canon`` with no command shows: where you are in the canon, at a glance.

What you are reading, the next few unread entries in curriculum order, overall
progress and that of the section you are in (the section of the first entry being
read, else of the next one), your current streak and how many entries you finished
this week. Days are local days; a week starts on Monday.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import NamedTuple

from canon_cli.catalog.store import Catalog, Entry
from canon_cli.reading.progress import Counts, SectionProgress, progress_summary, reading_stats
from canon_cli.state.fold import UNREAD

UPCOMING = 3  # how many unread entries the dashboard names


class Dashboard(NamedTuple):
    reading: list[Entry]  # being read, in curriculum order
    upcoming: list[Entry]  # the next unread ones, in curriculum order
    overall: Counts
    section: SectionProgress | None  # None when nothing is read or left
    streak_days: int
    finished_this_week: int
    week_start: date  # the Monday of this (local) week


def week_start(today: date) -> date:
    return today - timedelta(days=today.weekday())


def finished_in_week(finished_days: Iterable[tuple[date, int]], today: date) -> int:
    """Entries finished from this week's Monday to its Sunday (local days)."""
    from canon_cli.days import week_total

    counts: dict[date, int] = {}
    for day, n in finished_days:
        counts[day] = counts.get(day, 0) + n
    return week_total(counts, today)


def dashboard(
    catalog: Catalog,
    statuses: Mapping[str, str],
    finished_days: Iterable[tuple[date, int]],
    today: date,
    upcoming: int = UPCOMING,
) -> Dashboard:
    """The dashboard from the statuses (``status.statuses``) and ``(local day, entries
    finished that day)`` rows; ``today`` is the local date."""
    summary = progress_summary(catalog, statuses)
    upcoming_ids: list[str] = []
    for entry_id, _section in catalog.id_section_pairs():
        if statuses.get(entry_id, UNREAD) == UNREAD and len(upcoming_ids) < upcoming:
            upcoming_ids.append(entry_id)
    reading = [e for e in map(catalog.get, summary.reading_now) if e is not None]
    nexts = [e for e in map(catalog.get, upcoming_ids) if e is not None]
    here = next(iter(reading or nexts), None)
    section = None
    if here is not None:
        section = next((s for s in summary.sections if s.path[-1] == here.section), None)
    days = list(finished_days)
    stats = reading_stats(days, today)
    return Dashboard(
        reading,
        nexts,
        summary.overall,
        section,
        stats.current_streak_days,
        finished_in_week(days, today),
        week_start(today),
    )
