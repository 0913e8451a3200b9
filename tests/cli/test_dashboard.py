"""``canon`` with no command: the dashboard, in a pipe, on a terminal and as JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from canon_cli import paths
from canon_cli.catalog.snapshot import open_catalog
from canon_cli.reading.dashboard import finished_in_week, week_start
from canon_cli.reading.marks import mark_entries
from canon_cli.reading.status import open_state


def _lines(out: str) -> list[list[str]]:
    return [line.split("\t") for line in out.splitlines()]


def test_a_new_user_sees_where_to_start(cli: Any) -> None:
    result = cli()
    assert result.exit_code == 0
    assert _lines(result.stdout) == [
        ["next", "software-2-0", "Software 2.0"],
        ["next", "state-of-gpt", "State of GPT"],
        ["next", "what-is-chatgpt-doing", "What is ChatGPT doing … and why does it work?"],
        ["overall", "0", "96"],
        ["section", "introductions", "0", "5"],
        ["streak", "0"],
        ["week", "0"],
    ]
    assert not paths.state_db_path().exists()  # looking creates no state


def test_what_you_read_moves_the_dashboard(cli: Any) -> None:
    assert cli("done", "software-2-0", "bert").exit_code == 0
    assert cli("skip", "state-of-gpt").exit_code == 0
    assert cli("start", "lora").exit_code == 0
    rows = _lines(cli().stdout)
    assert rows[0] == ["reading", "lora", "LoRA: Low-rank adaptation of large language models"]
    assert [r[1] for r in rows if r[0] == "next"] == [
        "what-is-chatgpt-doing",
        "transformers-explained",
        "how-stable-diffusion-works",
    ]
    assert ["overall", "3", "96"] in rows  # done and skipped, as canon progress counts
    # the section of the entry being read, with its own counts
    assert ["section", "research/llms/model-improvements", "0", "7"] in rows
    assert rows[-2:] == [["streak", "1"], ["week", "2"]]


def test_the_section_is_that_of_the_next_entry_when_nothing_is_being_read(cli: Any) -> None:
    assert cli("done", "software-2-0", "state-of-gpt").exit_code == 0
    rows = _lines(cli().stdout)
    assert ["section", "introductions", "2", "5"] in rows
    assert not any(r[0] == "reading" for r in rows)


def test_the_terminal_view(cli: Any) -> None:
    assert cli("start", "lora").exit_code == 0
    assert cli("done", "bert").exit_code == 0
    out = cli(env={"TTY_COMPATIBLE": "1", "NO_COLOR": "1"}).stdout
    assert "Reading now" in out and "lora  LoRA: Low-rank adaptation" in out
    assert "Next up" in out and "software-2-0  Software 2.0" in out
    assert "1/96 (1%)  overall" in out
    assert "0/7 (0%)  Model improvements" in out
    assert "Streak: 1 day; 1 entry finished this week" in out
    assert "\t" not in out


def test_the_terminal_view_in_chinese(cli: Any) -> None:
    assert cli("done", "bert").exit_code == 0
    out = cli("--lang", "zh", env={"TTY_COMPATIBLE": "1", "NO_COLOR": "1"}).stdout
    assert "软件 2.0" in out  # the Chinese title
    for english in ("Reading now", "Next up", "Progress", "overall", "Streak", "finished"):
        assert english not in out, english
    assert "连续" in out and "本周" in out


def test_json(cli: Any) -> None:
    assert cli("start", "lora").exit_code == 0
    for argv in (["--json"], ["--json", "--lang", "zh"]):
        data = json.loads(cli(*argv).stdout)
        assert [e["id"] for e in data["reading"]] == ["lora"]
        assert [e["id"] for e in data["next"]][:1] == ["software-2-0"]
        assert data["overall"]["total"] == 96 and data["overall"]["reading"] == 1
        assert data["section"]["section"] == ["research", "llms", "model-improvements"]
        assert (data["streak_days"], data["finished_this_week"]) == (0, 0)
        assert date.fromisoformat(data["week_start"]).weekday() == 0


def test_help_stays_help_and_json_before_a_command_without_it_is_refused(
    cli: Any, run_canon: Any
) -> None:
    for argv in (["--help"], ["-h"]):
        result = run_canon(*argv)
        assert result.exit_code == 0 and result.stdout.startswith("Usage: canon")
    result = cli("--json", "done", "bert")
    assert result.exit_code == 2 and "no such option: --json" in result.stderr.lower()


def test_a_real_process_in_a_pipe(run_canon: Any) -> None:
    result = run_canon()
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines()[0] == "next\tsoftware-2-0\tSoftware 2.0"


def test_the_week_starts_on_monday() -> None:
    tuesday = date(2026, 12, 1)
    assert week_start(tuesday) == date(2026, 11, 30)
    days = [(date(2026, 11, 29), 4), (date(2026, 11, 30), 1), (date(2026, 12, 6), 2)]
    assert finished_in_week(days, tuesday) == 3  # Sunday before does not count
    assert finished_in_week(days, date(2026, 11, 29)) == 4


def test_this_week_is_counted_in_the_local_zone(run_canon: Any) -> None:
    """A finish at 00:30 on this week's Monday in Shanghai is Sunday 16:30 in UTC:
    this week there, last week in UTC (unless both zones' weeks are the same days)."""
    shanghai = ZoneInfo("Asia/Shanghai")
    today = datetime.now(shanghai).date()
    monday = datetime.combine(week_start(today), datetime.min.time(), shanghai)
    finish = monday + timedelta(minutes=30)
    catalog = open_catalog([paths.builtin_catalog_path()], paths.cache_dir())
    store = open_state()
    assert store is not None
    try:
        mark_entries(catalog, lambda: store, ["bert"], "done", int(finish.timestamp() * 1000))
    finally:
        store.close()
    for zone in ("Asia/Shanghai", "UTC"):
        local_today = datetime.now(ZoneInfo(zone)).date()
        local_day = finish.astimezone(ZoneInfo(zone)).date()
        expected = int(week_start(local_today) <= local_day)
        rows = _lines(run_canon(env={"TZ": zone}).stdout)
        assert ["week", str(expected)] in rows, zone
    assert finish.astimezone(UTC).weekday() == 6  # the case the test is about
