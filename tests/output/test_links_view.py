"""How link results read: "checked 3 days ago: moved to ...", "broken (404) when ..."."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from canon_cli.linkcheck import LinkResult, LinkStatus
from canon_cli.output.links import ago, plain_row, verdict

NOW = datetime(2024, 5, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (timedelta(seconds=5), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=59), "59 minutes ago"),
        (timedelta(hours=1), "1 hour ago"),
        (timedelta(hours=23, minutes=59), "23 hours ago"),
        (timedelta(days=1), "1 day ago"),
        (timedelta(days=3, hours=5), "3 days ago"),
        (timedelta(seconds=-30), "just now"),  # a clock that moved back
    ],
)
def test_ago(delta: timedelta, words: str) -> None:
    assert ago(NOW - delta, NOW) == words


def record(
    result: LinkStatus,
    status: int | None,
    final_url: str | None = "https://old.example/",
    detail: str | None = None,
) -> LinkResult:
    when = NOW - timedelta(days=3)
    return LinkResult("e", "https://old.example/", result, status, final_url, when, detail)


def test_verdicts() -> None:
    day = (NOW - timedelta(days=3)).astimezone().strftime("%Y-%m-%d")
    assert verdict(record(LinkStatus.OK, 200), NOW) == "checked 3 days ago: ok"
    moved = record(LinkStatus.REDIRECTED, 200, final_url="https://new.example/")
    assert verdict(moved, NOW) == "checked 3 days ago: moved to https://new.example/"
    assert verdict(record(LinkStatus.BROKEN, 404), NOW) == f"broken (404) when checked on {day}"
    limited = record(LinkStatus.BROKEN, 429, detail="asked to retry after 3600 s")
    assert verdict(limited, NOW) == (
        f"broken (429: asked to retry after 3600 s) when checked on {day}"
    )
    gone = record(LinkStatus.UNREACHABLE, None, final_url=None, detail="DNS lookup failed")
    assert verdict(gone, NOW) == f"unreachable (DNS lookup failed) when checked on {day}"


def test_plain_row_leaves_final_url_empty_when_it_is_the_url() -> None:
    assert plain_row(record(LinkStatus.OK, 200)) == [
        "ok",
        200,
        "e",
        "https://old.example/",
        "",
        None,
        "2024-05-01T12:00:00Z",
    ]
    moved = record(LinkStatus.REDIRECTED, 200, final_url="https://new.example/")
    assert plain_row(moved)[4] == "https://new.example/"
