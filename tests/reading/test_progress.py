"""progress, next, log and stats as typed records, from plain values."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from canon_cli.catalog.snapshot import open_catalog
from canon_cli.catalog.store import Catalog
from canon_cli.paths import builtin_catalog_path
from canon_cli.reading.progress import (
    Counts,
    LogEvent,
    MonthCount,
    log_events,
    next_entries,
    progress_summary,
    reading_stats,
)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return open_catalog([builtin_catalog_path()], tmp_path_factory.mktemp("cache"))


def test_progress_counts_overall_and_by_section_subtree(catalog: Catalog) -> None:
    statuses = {"lora": "done", "bert": "reading", "react": "skipped", "not-in-catalog": "done"}
    summary = progress_summary(catalog, statuses)
    counts = summary.overall
    assert counts._replace(minutes_total=0, minutes_left=0) == Counts(
        total=len(catalog), unread=len(catalog) - 3, reading=1, done=1, skipped=1
    )
    minutes = catalog.minutes_by_id()
    assert counts.minutes_total == sum(m or 0 for m in minutes.values())
    left = counts.minutes_total - (minutes["lora"] or 0) - (minutes["react"] or 0)
    assert counts.minutes_left == left  # being read (bert) counts whole
    by_path = {s.path: s.counts for s in summary.sections}
    top = {path: counts for path, counts in by_path.items() if len(path) == 1}
    assert sum(c.total for c in top.values()) == len(catalog)
    assert sum(c.done for c in top.values()) == 1
    assert summary.reading_now == ["bert"]


def test_progress_of_one_section_counts_only_it(catalog: Catalog) -> None:
    summary = progress_summary(catalog, {"lora": "done"}, "agents")
    agents = [e for e, s, _a in catalog.id_sections() if s == "agents"]
    minutes = catalog.minutes_by_id()
    agents_time = sum(minutes[e] or 0 for e in agents)
    assert summary.overall == Counts(
        total=len(agents), unread=len(agents), minutes_total=agents_time, minutes_left=agents_time
    )
    assert [s.path[-1] for s in summary.sections] == ["agents"]


def test_next_puts_what_you_are_reading_first_then_the_first_unread(catalog: Catalog) -> None:
    ordered = [e for e, _s, _a in catalog.id_sections()]
    first, second, third = ordered[:3]
    later = ordered[40]
    statuses = {first: "done", later: "reading"}
    assert [e.id for e in next_entries(catalog, statuses, limit=3)] == [later, second, third]
    assert [e.id for e in next_entries(catalog, {**statuses, second: "skipped"})] == [later]


def test_log_is_newest_first_with_current_ids_and_titles(catalog: Catalog) -> None:
    rows = [
        ("lora", "started", "2026-01-01T10:00:00Z"),
        ("lora", "finished", "2026-01-01T10:00:00Z"),
        ("gone", "finished", "2026-01-02T00:00:00Z"),
        ("bert", "started", "2025-12-31T23:59:59Z"),
    ]
    events = log_events(rows, catalog)
    assert [(e.event, e.id) for e in events] == [
        ("finished", "gone"),
        ("finished", "lora"),  # a finish sorts before a start at the same instant
        ("started", "lora"),
        ("started", "bert"),
    ]
    assert events[0] == LogEvent("2026-01-02T00:00:00Z", "finished", "gone", "(not in the catalog)")
    assert events[1].title.startswith("LoRA")


def test_stats_counts_months_and_streaks_in_local_days() -> None:
    days = [
        (date(2026, 1, 30), 2),
        (date(2026, 1, 31), 1),
        (date(2026, 2, 1), 1),
        (date(2026, 3, 5), 1),
    ]
    stats = reading_stats(days, today=date(2026, 3, 6))
    assert stats.finished_total == 5
    assert stats.months == [
        MonthCount("2026-01", 3),
        MonthCount("2026-02", 1),
        MonthCount("2026-03", 1),
    ]
    assert (stats.longest_streak_days, stats.current_streak_days) == (3, 1)
    assert reading_stats(days, today=date(2026, 3, 8)).current_streak_days == 0
    assert reading_stats([], today=date(2026, 3, 8)).months == []


def test_stats_fills_empty_months_up_to_today() -> None:
    stats = reading_stats([(date(2025, 11, 3), 1)], today=date(2026, 2, 1))
    assert [m.month for m in stats.months] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert [m.finished for m in stats.months] == [1, 0, 0, 0]


def in_zone(monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    monkeypatch.setenv("TZ", zone)
    time.tzset()


def test_marks_in_two_zones_show_in_order(
    run_canon: Any, canon_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marked under Asia/Shanghai, then under UTC a second later: log orders by instant,
    and the two finishes are one local day, not a two-day streak."""
    assert run_canon("done", "lora", env={"TZ": "Asia/Shanghai"}).exit_code == 0
    time.sleep(1.1)
    assert run_canon("done", "bert", env={"TZ": "UTC"}).exit_code == 0
    for zone in ("UTC", "Asia/Shanghai", "America/Los_Angeles"):
        log = run_canon("log", env={"TZ": zone}).stdout.splitlines()
        finished = [line.split("\t")[2] for line in log if "\tfinished\t" in line]
        assert finished == ["bert", "lora"], zone
        stats = run_canon("stats", env={"TZ": zone}).stdout
        assert "longest: 1 day\n" in stats, (zone, stats)
    shanghai = run_canon("log", "--json", env={"TZ": "Asia/Shanghai"}).stdout
    assert '+08:00"' in shanghai
