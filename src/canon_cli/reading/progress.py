"""Reading progress over the catalog: pure functions of a catalog and a state."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from canon_cli.catalog.store import Catalog, Entry
from canon_cli.reading.status import state_key, status_for
from canon_cli.vocab import STATUSES


def record_of(state: Any, entry: Entry) -> dict[str, Any]:
    key = state_key(entry, state.entries)
    if key is None:
        return {"status": "unread"}
    rec = state.entries[key]
    return {
        "status": rec.status,
        "started": rec.started,
        "finished": rec.finished,
        "rating": rec.rating,
        "notes": [{"at": n.at, "text": n.text} for n in rec.notes],
    }


COUNT_KEYS = STATUSES


# Reading time: of every entry, of what is left (unread or being read, counted whole),
# and how many entries left have no estimate (a catalog without ``minutes``).
TIME_KEYS = ("minutes_total", "minutes_left", "left_without_estimate")
LEFT = ("unread", "reading")


def _empty() -> dict[str, int]:
    return {"total": 0, **dict.fromkeys(COUNT_KEYS, 0), **dict.fromkeys(TIME_KEYS, 0)}


def _count(counts: dict[str, int], status: str, minutes: int | None) -> None:
    counts["total"] += 1
    counts[status] += 1
    counts["minutes_total"] += minutes or 0
    if status in LEFT:
        counts["minutes_left"] += minutes or 0
        counts["left_without_estimate"] += minutes is None


def status_by_entry(
    catalog: Catalog, statuses: Mapping[str, str], scope: list[str] | None
) -> list[tuple[str, str, str]]:
    """(id, section, status) of every entry in reading order, within ``scope`` sections."""
    return [
        (entry_id, section, status_for(entry_id, aliases, statuses))
        for entry_id, section, aliases in catalog.id_sections(scope)
    ]


def progress_summary(
    catalog: Catalog, statuses: Mapping[str, str], section: str | None = None
) -> dict[str, Any]:
    """Counts by status and reading time left, overall and for every section (subtree
    totals), as ``progress`` shows. An entry being read counts its whole time as left."""
    scope = catalog.subtree(section) if section else None
    rows = status_by_entry(catalog, statuses, scope)
    minutes = catalog.minutes_by_id()
    overall = _empty()
    direct: dict[str, dict[str, int]] = {}
    reading: list[str] = []
    for entry_id, sec, status in rows:
        _count(overall, status, minutes.get(entry_id))
        _count(direct.setdefault(sec, _empty()), status, minutes.get(entry_id))
        if status == "reading":
            reading.append(entry_id)
    sections = []
    for s in catalog.sections:
        if scope is not None and s.slug not in scope:
            continue
        counts = _empty()
        for sub in catalog.subtree(s.slug):
            for key, value in direct.get(sub, {}).items():
                counts[key] += value
        sections.append({"section": list(s.path), **counts})
    return {**overall, "sections": sections, "reading_now": reading}


def next_entries(
    catalog: Catalog,
    statuses: Mapping[str, str],
    sections: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    limit: int = 1,
) -> list[Entry]:
    """What to read next in curriculum order: entries being read first, then the first unread."""
    from canon_cli.catalog.query import Filters
    from canon_cli.reading.status import entry_status, select_entries

    reading: list[Entry] = []
    unread: list[Entry] = []
    for entry in select_entries(catalog, Filters(sections=sections, kinds=kinds), statuses):
        status = entry_status(entry, statuses)
        if status == "reading":
            reading.append(entry)
        elif status == "unread" and len(unread) < limit:
            unread.append(entry)
    return (reading + unread)[:limit]


def log_events(state: Any, catalog: Catalog) -> list[dict[str, str]]:
    """Started and finished events, newest first, with titles where the catalog has them."""
    from canon_cli.state.records import parse_timestamp

    titles = {}
    events = []
    for entry_id, record in state.entries.items():
        for kind, stamp in (("started", record.started), ("finished", record.finished)):
            if not stamp:
                continue
            if entry_id not in titles:
                found = catalog.get_by_id_or_alias(entry_id)
                titles[entry_id] = found.title if found else "(not in the catalog)"
            events.append(
                {
                    "at": stamp,
                    "event": kind,
                    "id": entry_id,
                    "title": titles[entry_id],
                    "_sort": parse_timestamp(stamp).timestamp(),
                }
            )
    events.sort(key=lambda e: (e["_sort"], e["event"] == "finished"), reverse=True)
    for event in events:
        del event["_sort"]
    return events


def reading_stats(state: Any, today: date) -> dict[str, Any]:
    """Entries finished per month, and streaks of consecutive days with a finish."""
    from canon_cli.state.records import parse_timestamp

    days: set[date] = set()
    months: dict[str, int] = {}
    for record in state.entries.values():
        if record.status == "done" and record.finished:
            day = parse_timestamp(record.finished).date()
            days.add(day)
            key = f"{day.year:04d}-{day.month:02d}"
            months[key] = months.get(key, 0) + 1
    longest = 0
    for day in days:
        if day - timedelta(days=1) not in days:
            length = 1
            while day + timedelta(days=length) in days:
                length += 1
            longest = max(longest, length)
    current = 0
    cursor = today if today in days else today - timedelta(days=1)
    while cursor in days:
        current += 1
        cursor -= timedelta(days=1)
    filled: list[dict[str, Any]] = []
    if months:
        first = min(months)
        year, month = int(first[:4]), int(first[5:])
        last = max(max(months), f"{today.year:04d}-{today.month:02d}")
        while f"{year:04d}-{month:02d}" <= last:
            key = f"{year:04d}-{month:02d}"
            filled.append({"month": key, "finished": months.get(key, 0)})
            month += 1
            if month == 13:
                year, month = year + 1, 1
    return {
        "finished_total": sum(months.values()),
        "months": filled,
        "current_streak_days": current,
        "longest_streak_days": longest,
    }
