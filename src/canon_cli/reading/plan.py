"""``canon plan``: what to read each week, in curriculum order, and when it will be done.

Pure functions of the catalog, the reading state and a date: the command supplies
``today``, so a plan is the same on every run with the same inputs (and in tests).

The schedule is a timeline: the entries left (being read first, then unread, each in
reading order) are laid end to end by their reading time, and week ``n`` holds the
stretch from ``(n - 1) * pace`` to ``n * pace`` minutes. An entry longer than the time
left in a week continues into the next ones. An entry being read counts whole: canon
cannot know how far into it the reader is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import NamedTuple

from canon_cli.catalog.query import Filters
from canon_cli.catalog.store import Catalog, Entry
from canon_cli.errors import UsageError
from canon_cli.i18n import _
from canon_cli.reading.status import entry_status, select_entries
from canon_cli.state.fold import EntryState, local

WEEK_MINUTES_MAX = 7 * 24 * 60  # no one reads more than a week holds
MIN_MEASURED_DAYS = 7  # a pace is measured over a week at least, not one busy afternoon


class Pace(NamedTuple):
    minutes_per_week: int
    measured: bool  # from finish dates (else given with --per-week)
    minutes_done: int = 0  # measured: the reading time of the entries finished ...
    entries_done: int = 0
    days: int = 0  # ... over this many days, up to today


class Slot(NamedTuple):
    entry: Entry
    minutes: int  # of the entry's time that falls in this week
    finishes: bool  # the entry is finished in this week


class Week(NamedTuple):
    number: int
    start: date
    end: date
    slots: tuple[Slot, ...]


class SectionFinish(NamedTuple):
    path: tuple[str, ...]  # section slugs from the top down
    week: int
    end: date


class Plan(NamedTuple):
    pace: Pace
    start: date
    weeks: tuple[Week, ...]
    sections: tuple[SectionFinish, ...]  # every section with something left, tree order
    minutes_left: int
    unestimated: tuple[Entry, ...]  # left but without a reading time: not scheduled

    @property
    def finish(self) -> Week | None:
        """The week the last scheduled entry is finished (None: nothing left)."""
        return self.weeks[-1] if self.weeks else None


def parse_per_week(text: str) -> int:
    """``5h``, ``90m``, ``1h30m`` or ``2.5h`` as minutes a week."""
    found = re.fullmatch(r"\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*", text.lower())
    if found is None or not any(found.groups()):
        raise UsageError(
            _("--per-week {value!r} is not a reading time").format(value=text),
            hint=_("Give hours and/or minutes: 5h, 90m, 1h30m."),
        )
    minutes = round(float(found.group(1) or 0) * 60) + int(found.group(2) or 0)
    if not 1 <= minutes <= WEEK_MINUTES_MAX:
        raise UsageError(
            _("--per-week {value!r} must be between 1 minute and 168 hours").format(value=text)
        )
    return minutes


def measured_pace(catalog: Catalog, records: Mapping[str, EntryState], today: date) -> Pace | None:
    """Minutes a week read so far: the reading time of the entries finished, over the
    days (in the local zone) from the first finish to today (a week at least). None:
    nothing finished yet that has a reading time. ``records`` by current id, as
    ``reading.status.records`` gives them."""
    first: date | None = None
    minutes = count = 0
    for key, record in records.items():
        if record.status != "done" or not record.finished:
            continue
        entry = catalog.get_by_id_or_alias(key)
        if entry is None or entry.minutes is None:
            continue
        day = local(record.finished).date()
        first = day if first is None else min(first, day)
        minutes += entry.minutes
        count += 1
    if first is None:
        return None
    days = max(MIN_MEASURED_DAYS, (today - first).days + 1)
    per_week = max(1, round(minutes * 7 / days))
    return Pace(per_week, True, minutes, count, days)


def entries_left(
    catalog: Catalog, statuses: Mapping[str, str], sections: tuple[str, ...] = ()
) -> list[Entry]:
    """What is left to read: entries being read first, then the unread, in reading order."""
    reading: list[Entry] = []
    unread: list[Entry] = []
    for entry in select_entries(catalog, Filters(sections=sections), statuses):
        status = entry_status(entry, statuses)
        if status == "reading":
            reading.append(entry)
        elif status == "unread":
            unread.append(entry)
    return reading + unread


def make_plan(catalog: Catalog, left: Iterable[Entry], pace: Pace, today: date) -> Plan:
    """Lay ``left`` out week by week at ``pace``, from ``today``."""
    budget = pace.minutes_per_week
    slots: dict[int, list[Slot]] = {}
    last_week: dict[str, int] = {}  # section slug (and each ancestor) -> its last week
    unestimated: list[Entry] = []
    elapsed = 0
    for entry in left:
        if entry.minutes is None:
            unestimated.append(entry)
            continue
        begin, elapsed = elapsed, elapsed + entry.minutes
        first, last = begin // budget + 1, math.ceil(elapsed / budget)
        for week in range(first, last + 1):
            share = min(elapsed, week * budget) - max(begin, (week - 1) * budget)
            slots.setdefault(week, []).append(Slot(entry, share, week == last))
        for slug in entry.section_path:
            last_week[slug] = max(last_week.get(slug, 0), last)
    weeks = tuple(
        Week(n, today + timedelta(weeks=n - 1), today + timedelta(weeks=n, days=-1), tuple(s))
        for n, s in sorted(slots.items())
    )
    sections = tuple(
        SectionFinish(
            s.path, last_week[s.slug], today + timedelta(weeks=last_week[s.slug], days=-1)
        )
        for s in catalog.sections
        if s.slug in last_week
    )
    return Plan(pace, today, weeks, sections, elapsed, tuple(unestimated))
