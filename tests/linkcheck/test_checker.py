"""The link checker against a local server: every verdict, the bounds, the retries."""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from canon_cli import __version__
from canon_cli.linkcheck import CheckSettings, LinkResult, LinkStatus
from canon_cli.linkcheck.checker import (
    check_links,
    describe_connect_error,
    host_key,
    retry_after_seconds,
)
from tests.linkserver import LinkServer, closed_port_url, link_server

FAST = CheckSettings(timeout=2.0, backoff=0.05, max_retry_wait=5.0)


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        yield running


def check_one(url: str, settings: CheckSettings = FAST) -> LinkResult:
    [result] = check_links([("e1", url)], settings)
    return result


def test_ok(server: LinkServer) -> None:
    result = check_one(server.base + "/ok")
    assert (result.result, result.status, result.final_url) == (
        LinkStatus.OK,
        200,
        server.base + "/ok",
    )
    assert result.entry_id == "e1"
    assert result.checked_at.tzinfo is not None
    assert abs(datetime.now(UTC) - result.checked_at) < timedelta(seconds=30)


def test_redirect_chain_gives_the_final_url(server: LinkServer) -> None:
    result = check_one(server.base + "/r1")
    assert (result.result, result.status, result.final_url) == (
        LinkStatus.REDIRECTED,
        200,
        server.base + "/ok",
    )
    assert server.stats.hits["/r1"] == server.stats.hits["/r2"] == 1


@pytest.mark.parametrize(("path", "status"), [("/missing", 404), ("/error", 500)])
def test_error_statuses_are_broken(server: LinkServer, path: str, status: int) -> None:
    result = check_one(server.base + path)
    assert (result.result, result.status) == (LinkStatus.BROKEN, status)
    # HEAD failed, so the verdict comes from GET: a server that mishandles HEAD is not blamed.
    assert ("GET", path) in server.stats.methods


@pytest.mark.parametrize("path", ["/nohead", "/forbidhead", "/dropshead"])
def test_get_when_head_is_refused_or_mishandled(server: LinkServer, path: str) -> None:
    result = check_one(server.base + path)
    assert (result.result, result.status) == (LinkStatus.OK, 200)
    assert [m for m, p in server.stats.methods if p == path] == ["HEAD", "GET"]


def test_head_is_enough_when_it_works(server: LinkServer) -> None:
    check_one(server.base + "/ok")
    assert server.stats.methods == [("HEAD", "/ok")]


def test_a_server_that_never_answers_times_out(server: LinkServer) -> None:
    started = time.monotonic()
    result = check_one(server.base + "/hang", CheckSettings(timeout=0.3))
    assert time.monotonic() - started < 3
    assert (result.result, result.status) == (LinkStatus.UNREACHABLE, None)
    assert result.detail == "timed out after 0.3 s"


def test_redirect_loop(server: LinkServer) -> None:
    result = check_one(server.base + "/loop-a")
    assert result.result is LinkStatus.UNREACHABLE
    assert result.detail == "redirect loop"
    assert result.final_url == server.base + "/loop-a"


def test_too_many_redirects(server: LinkServer) -> None:
    result = check_one(server.base + "/r1", CheckSettings(max_redirects=1))
    assert (result.result, result.detail) == (LinkStatus.UNREACHABLE, "more than 1 redirects")


def test_redirect_to_a_non_web_url(server: LinkServer) -> None:
    result = check_one(server.base + "/toftp")
    assert (result.result, result.detail) == (LinkStatus.UNREACHABLE, "redirected to a non-web URL")


def test_redirect_without_location_is_broken(server: LinkServer) -> None:
    result = check_one(server.base + "/nolocation")
    assert (result.result, result.status) == (LinkStatus.BROKEN, 302)


def test_closed_port_is_unreachable() -> None:
    result = check_one(closed_port_url())
    assert (result.result, result.status, result.detail) == (
        LinkStatus.UNREACHABLE,
        None,
        "connection refused",
    )


def test_not_a_web_url() -> None:
    result = check_one("ftp://127.0.0.1/file")
    assert (result.result, result.detail) == (LinkStatus.UNREACHABLE, "not an http(s) URL")


def test_429_waits_for_retry_after_then_succeeds(server: LinkServer) -> None:
    result = check_one(server.base + "/busy?key=a&after=1")
    assert (result.result, result.status) == (LinkStatus.OK, 200)
    first, second = server.stats.hit_times["/busy"]
    assert second - first >= 0.9


def test_a_retry_after_beyond_the_cap_is_not_waited_for(server: LinkServer) -> None:
    started = time.monotonic()
    result = check_one(server.base + "/busy?key=b&after=3600")
    assert time.monotonic() - started < 3
    assert (result.result, result.status) == (LinkStatus.BROKEN, 429)
    assert result.detail == "asked to retry after 3600 s"


def test_503_is_retried_with_backoff_then_reported(server: LinkServer) -> None:
    result = check_one(server.base + "/unavailable", CheckSettings(retries=2, backoff=0.05))
    assert (result.result, result.status) == (LinkStatus.BROKEN, 503)
    assert result.detail == "still 503 after 2 retries"
    times = server.stats.hit_times["/unavailable"]
    assert len(times) == 3
    assert times[1] - times[0] >= 0.04 and times[2] - times[1] >= 0.09


def test_user_agent_names_canon(server: LinkServer) -> None:
    check_one(server.base + "/ok")
    assert server.stats.user_agents == {f"canon/{__version__} (+link check)"}


def slow_links(server: LinkServer, count: int, ms: int = 150) -> list[tuple[str, str]]:
    return [(f"e{i}", f"{server.base}/slow?ms={ms}&n={i}") for i in range(count)]


def test_requests_to_one_host_are_bounded(server: LinkServer) -> None:
    settings = CheckSettings(max_per_host=3, max_concurrency=50)
    results = check_links(slow_links(server, 12), settings)
    assert all(r.result is LinkStatus.OK for r in results)
    assert server.stats.max_in_flight == 3


def test_requests_overall_are_bounded(server: LinkServer) -> None:
    settings = CheckSettings(max_per_host=50, max_concurrency=5)
    results = check_links(slow_links(server, 15), settings)
    assert all(r.result is LinkStatus.OK for r in results)
    assert server.stats.max_in_flight == 5


def test_links_are_checked_at_once_not_one_by_one(server: LinkServer) -> None:
    # counted by the server, not timed: a loaded machine cannot make this pass or fail
    check_links(slow_links(server, 20, ms=300), CheckSettings(max_per_host=20))
    assert server.stats.max_in_flight > 1


def test_results_keep_the_order_given_and_a_shared_url_is_fetched_once(
    server: LinkServer,
) -> None:
    pairs = [
        ("b", server.base + "/missing"),
        ("a", server.base + "/ok"),
        ("c", server.base + "/ok"),
    ]
    seen: list[str] = []
    results = check_links(pairs, FAST, on_result=lambda r: seen.append(r.entry_id))
    assert [(r.entry_id, r.result) for r in results] == [
        ("b", LinkStatus.BROKEN),
        ("a", LinkStatus.OK),
        ("c", LinkStatus.OK),
    ]
    assert sorted(seen) == ["a", "b", "c"]
    assert server.stats.hits["/ok"] == 1


def test_no_links_no_requests() -> None:
    assert check_links([], FAST) == []


def test_retry_after_forms() -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds("Wed, 01 May 2024 12:00:30 GMT", now) == 30
    assert retry_after_seconds("Wed, 01 May 2024 11:00:00 GMT", now) == 0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def test_connect_errors_are_named() -> None:
    def chained(cause: BaseException) -> Exception:
        outer = Exception("wrapped")
        outer.__cause__ = cause
        return outer

    assert describe_connect_error(chained(socket.gaierror(-2, "Name or service not known"))) == (
        "DNS lookup failed"
    )
    assert describe_connect_error(chained(ssl.SSLError(1, "bad handshake"))) == (
        "TLS handshake failed"
    )
    cert = ssl.SSLCertVerificationError(1, "verify failed")
    cert.verify_message = "certificate has expired"
    assert describe_connect_error(chained(cert)) == (
        "TLS certificate not accepted (certificate has expired)"
    )
    assert describe_connect_error(chained(ConnectionRefusedError())) == "connection refused"


def test_host_key_is_host_and_port() -> None:
    assert host_key("https://Example.org/a") == "example.org:443"
    assert host_key("http://example.org/a") == "example.org:80"
    assert host_key("http://127.0.0.1:8080/") == "127.0.0.1:8080"
