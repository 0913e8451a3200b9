"""canon plan: a week-by-week reading plan on a fixed date, from a given or measured pace."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from canon_cli import paths
from canon_cli.catalog.snapshot import open_catalog
from canon_cli.catalog.store import Catalog
from canon_cli.errors import UsageError
from canon_cli.reading.plan import Pace, entries_left, make_plan, measured_pace, parse_per_week
from canon_cli.state.fold import EntryState

Cli = Any
MONDAY = date(2027, 1, 4)
AGENTS = [180, 105, 65, 60, 45, 15, 10]  # the agents section's minutes, in reading order


@pytest.fixture
def catalog() -> Catalog:
    return open_catalog([paths.builtin_catalog_path()], paths.cache_dir())


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("canon_cli.cli.commands.plan.today", lambda: MONDAY)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("5h", 300), ("90m", 90), ("1h30m", 90), ("2.5h", 150), ("1H 5min", 65), ("168h", 10080)],
)
def test_per_week_takes_hours_and_minutes(text: str, minutes: int) -> None:
    assert parse_per_week(text) == minutes


@pytest.mark.parametrize("text", ["5", "", "h", "five hours", "-2h", "0m", "169h"])
def test_per_week_refuses_what_is_not_a_weekly_time(text: str) -> None:
    with pytest.raises(UsageError):
        parse_per_week(text)


def test_entries_are_laid_end_to_end_and_long_ones_continue(catalog: Catalog) -> None:
    left = entries_left(catalog, {}, ("agents",))
    plan = make_plan(catalog, left, Pace(120, measured=False), MONDAY)
    assert plan.minutes_left == sum(AGENTS) == 480
    assert [w.number for w in plan.weeks] == [1, 2, 3, 4]
    first, second = plan.weeks[0], plan.weeks[1]
    assert (first.start, first.end) == (date(2027, 1, 4), date(2027, 1, 10))
    assert [(s.entry.id, s.minutes, s.finishes) for s in first.slots] == [
        ("autonomous-machine-intelligence", 120, False)
    ]
    assert [(s.entry.id, s.minutes, s.finishes) for s in second.slots] == [
        ("autonomous-machine-intelligence", 60, True),
        ("react", 60, False),
    ]
    assert all(sum(s.minutes for s in w.slots) == 120 for w in plan.weeks)  # 480 = 4 x 120
    assert plan.finish is not None and plan.finish.end == date(2027, 1, 31)
    assert [(s.path, s.week) for s in plan.sections] == [
        (("research",), 4),
        (("research", "agents"), 4),
    ]


def test_reading_comes_first_and_finished_entries_are_left_out(catalog: Catalog) -> None:
    statuses = {"toolformer": "reading", "a-path-towards-autonomous-machine-intelligence": "done"}
    left = entries_left(catalog, statuses, ("agents",))  # done under its former id
    assert [e.id for e in left] == [
        "toolformer",
        "react",
        "generative-agents",
        "reflexion",
        "auto-gpt",
        "babyagi",
    ]


def test_measured_pace_is_the_time_finished_over_the_days_since_the_first(
    catalog: Catalog,
) -> None:
    records = {
        "gpt-3": EntryState("done", finished="2026-12-07T10:00:00Z"),  # 225 min
        "bert": EntryState("done", finished="2026-12-21T10:00:00Z"),  # 45 min
        "lora": EntryState("reading"),
        "attention-is-all-you-need": EntryState("skipped"),
    }
    pace = measured_pace(catalog, records, MONDAY)  # 2026-12-07 .. 2027-01-04: 29 days
    assert pace == Pace(round(270 * 7 / 29), True, 270, 2, 29)
    assert measured_pace(catalog, {}, MONDAY) is None
    one_day = {"gpt-3": EntryState("done", finished="2027-01-04T10:00:00Z")}
    assert measured_pace(catalog, one_day, MONDAY) == Pace(225, True, 225, 1, 7)  # a week at least


def test_plan_json_on_a_fixed_date(cli: Cli) -> None:
    result = cli("plan", "--per-week", "5h", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    progress = json.loads(cli("progress", "--json").stdout)
    assert data["start"] == "2027-01-04" and data["pace"] == "given"
    assert data["per_week_minutes"] == 300 and data["measured"] is None
    assert data["minutes_left"] == progress["minutes_left"]
    assert sum(w["minutes"] for w in data["weeks"]) == data["minutes_left"]
    assert data["finish_week"] == len(data["weeks"]) == -(-data["minutes_left"] // 300)
    assert data["weeks"][0]["entries"][0] == {
        "id": "software-2-0",
        "title": "Software 2.0",
        "minutes": 10,
        "entry_minutes": 10,
        "finishes": True,
    }
    top = [s for s in data["sections"] if len(s["section"]) == 1]
    assert top[0]["section"] == ["introductions"]
    assert top[-1]["finish_week"] == data["finish_week"]
    assert data["unestimated"] == []


def test_plan_text_names_weeks_sections_and_the_end(cli: Cli) -> None:
    out = cli("plan", "--per-week", "2h", "--section", "agents").stdout
    assert out.startswith("Plan at 2 h a week (--per-week).")
    assert "Week 1  2027-01-04 – 2027-01-10  (2 h)" in out
    assert "autonomous-machine-intelligence" in out and "(continues)" in out
    assert "Agents  week 4, 2027-01-31" in out
    assert "All of it: week 4, 2027-01-31 (about 8 h)" in out


def test_plan_measures_the_pace_from_finish_dates(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("canon_cli.cli.commands.plan.today", date.today)
    missing = cli("plan")
    assert missing.exit_code == 1
    assert "no reading pace yet" in missing.stderr and "--per-week" in missing.stderr
    assert cli("done", "gpt-3").exit_code == 0  # 225 minutes, finished today
    data = json.loads(cli("plan", "--json").stdout)
    assert data["pace"] == "measured" and data["per_week_minutes"] == 225
    assert data["measured"] == {"minutes_done": 225, "entries_done": 1, "days": 7}
    assert "gpt-3" not in {e["id"] for w in data["weeks"] for e in w["entries"]}


def test_plan_errors_and_an_empty_plan(cli: Cli) -> None:
    bad = cli("plan", "--per-week", "5")
    assert bad.exit_code == 2 and "5h, 90m, 1h30m" in bad.stderr
    unknown = cli("plan", "--per-week", "5h", "--section", "nowhere")
    assert unknown.exit_code == 2
    ids = [e["id"] for e in json.loads(cli("list", "--section", "agents", "--json").stdout)]
    assert cli("skip", *ids).exit_code == 0
    empty = cli("plan", "--per-week", "5h", "--section", "agents")
    assert empty.exit_code == 0 and "Nothing left to plan" in empty.stdout
    data = json.loads(cli("plan", "--per-week", "5h", "--section", "agents", "--json").stdout)
    assert data["weeks"] == [] and data["finish_week"] == 0 and data["finish_date"] is None
