"""Remembered link results: the round trip, merging, pruning, ages, and a damaged file."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from canon_cli.linkcheck import LinkResult, LinkStatus
from canon_cli.linkcheck.model import format_time, parse_age
from canon_cli.linkcheck.store import (
    failed_entry_ids,
    load_results,
    needing_check,
    results_for,
    results_path,
    save_results,
    to_json,
)

WHEN = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def record(
    entry_id: str,
    url: str,
    result: LinkStatus = LinkStatus.OK,
    status: int | None = 200,
    final_url: str | None = None,
    when: datetime = WHEN,
    detail: str | None = None,
) -> LinkResult:
    return LinkResult(entry_id, url, result, status, final_url or url, when, detail)


def test_round_trip_through_the_cache_dir(canon_home: Path) -> None:
    saved = [
        record("a", "https://a.example/"),
        record("b", "https://b.example/", LinkStatus.REDIRECTED, 200, "https://b.example/new"),
        record("c", "https://c.example/", LinkStatus.BROKEN, 404),
        record("d", "https://d.example/", LinkStatus.UNREACHABLE, None, detail="DNS lookup failed"),
    ]
    save_results(saved)
    assert results_path() == canon_home / "cache" / "links.json"
    assert results_path().is_file()
    loaded = load_results()
    assert sorted(loaded.values(), key=lambda r: r.key) == saved


def test_file_is_plain_json_with_the_public_fields() -> None:
    save_results([record("c", "https://c.example/", LinkStatus.BROKEN, 404)])
    document = json.loads(results_path().read_text())
    assert document["format"] == 1
    assert document["links"] == [
        {
            "id": "c",
            "url": "https://c.example/",
            "result": "broken",
            "status": 404,
            "final_url": "https://c.example/",
            "checked_at": "2024-05-01T09:30:00Z",
            "detail": None,
        }
    ]
    assert (
        to_json(record("c", "https://c.example/", LinkStatus.BROKEN, 404)) == (document["links"][0])
    )


def test_a_new_check_replaces_its_pairs_and_keeps_the_rest() -> None:
    save_results([record("a", "https://a.example/"), record("b", "https://b.example/")])
    later = WHEN + timedelta(days=1)
    save_results([record("a", "https://a.example/", LinkStatus.BROKEN, 410, when=later)])
    loaded = load_results()
    assert loaded[("a", "https://a.example/")].result is LinkStatus.BROKEN
    assert loaded[("a", "https://a.example/")].checked_at == later
    assert loaded[("b", "https://b.example/")].result is LinkStatus.OK


def test_pairs_gone_from_the_catalog_are_dropped_when_asked() -> None:
    save_results([record("a", "https://a.example/"), record("b", "https://old.example/")])
    save_results([], current={("a", "https://a.example/"), ("b", "https://new.example/")})
    assert set(load_results()) == {("a", "https://a.example/")}


@pytest.mark.parametrize(
    "content",
    [b"", b"{not json", b"[]", b'{"format": 99, "links": []}', b'{"format": 1, "links": 3}'],
)
def test_a_missing_or_damaged_file_reads_as_never_checked(content: bytes) -> None:
    assert load_results() == {}
    results_path().parent.mkdir(parents=True, exist_ok=True)
    results_path().write_bytes(content)
    assert load_results() == {}
    save_results([record("a", "https://a.example/")])
    assert set(load_results()) == {("a", "https://a.example/")}


def test_a_damaged_record_is_skipped_and_the_others_kept() -> None:
    good = to_json(record("a", "https://a.example/"))
    bad = dict(good, id="b", result="fine")
    results_path().parent.mkdir(parents=True, exist_ok=True)
    results_path().write_text(json.dumps({"format": 1, "links": [bad, good, "x"]}))
    assert list(load_results()) == [("a", "https://a.example/")]


def test_max_age_rechecks_only_what_is_older() -> None:
    now = WHEN + timedelta(days=3)
    records = {
        r.key: r
        for r in [
            record("old", "https://o.example/", when=WHEN),
            record("new", "https://n.example/", when=now - timedelta(hours=1)),
        ]
    }
    pairs = [("old", "https://o.example/"), ("new", "https://n.example/"), ("x", "https://x/")]
    assert needing_check(pairs, records, None, now) == pairs
    assert needing_check(pairs, records, timedelta(days=1), now) == [pairs[0], pairs[2]]
    assert needing_check(pairs, records, timedelta(days=7), now) == [pairs[2]]


def test_results_for_an_entry_follow_its_current_links() -> None:
    records = {
        r.key: r
        for r in [
            record("a", "https://main.example/"),
            record("a", "https://extra.example/", LinkStatus.BROKEN, 404),
            record("a", "https://stale.example/", LinkStatus.BROKEN, 404),
        ]
    }
    found = results_for(
        "a", ["https://main.example/", "https://extra.example/", "https://n/"], records
    )
    assert [r.url for r in found] == ["https://main.example/", "https://extra.example/"]


def test_failed_entry_ids() -> None:
    records = {
        r.key: r
        for r in [
            record("a", "https://a/"),
            record("b", "https://b/", LinkStatus.BROKEN, 404),
            record("c", "https://c/", LinkStatus.UNREACHABLE, None),
            record("d", "https://d/", LinkStatus.REDIRECTED, 200, "https://d2/"),
        ]
    }
    assert failed_entry_ids(records) == {"b", "c"}


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90), ("30m", 1800), ("12h", 43200), ("3d", 259200), ("2w", 1209600), ("1.5h", 5400)],
)
def test_parse_age(text: str, seconds: float) -> None:
    assert parse_age(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "d", "soon", "-1d", "infd", "nan"])
def test_parse_age_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not an age"):
        parse_age(text)


def test_format_time_is_utc_to_the_second() -> None:
    assert format_time(datetime(2024, 5, 1, 11, 30, 5, 999, tzinfo=UTC)) == "2024-05-01T11:30:05Z"


def test_reading_results_imports_no_network_code() -> None:
    code = (
        "import sys, canon_cli.linkcheck.store as s; s.load_results(); "
        "print([m for m in ('httpx', 'httpcore', 'anyio', 'asyncio') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_fifo_in_place_of_the_file_is_never_opened() -> None:
    """A FIFO there would hang any reader; it reads as never checked, at once."""
    import os

    results_path().parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(results_path())
    assert load_results() == {}
