"""Check links over HTTP: many at once, politely, and with an honest verdict for each.

This is the only module that imports httpx, and only ``canon links check`` imports it.

How one link is checked:
- HEAD first (no body is sent); when the server refuses or mishandles HEAD (an error
  status such as 405, 501 or 403, or a connection it drops), the check is redone with
  GET, whose headers alone are read;
- redirects are followed by hand, up to ``max_redirects``, and a URL seen twice in one
  chain is a redirect loop;
- 429 and 503 are retried (``retries`` times) after ``Retry-After`` when the server
  gives one and it is not longer than ``max_retry_wait``, else after an exponential
  backoff; while waiting, no other request goes to that host;
- at most ``max_concurrency`` requests are in flight, and at most ``max_per_host`` to
  one host (host and port); each request (each redirect hop) has ``timeout`` seconds.
The same URL listed by several entries is fetched once.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from canon_cli.linkcheck.model import CheckSettings, LinkResult, LinkStatus

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
RETRY_CODES = frozenset({429, 503})
_ACCEPT = "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8"

OnResult = Callable[[LinkResult], None]


class Unreachable(Exception):
    """No usable answer for a URL; ``detail`` says why, ``url`` is the URL last requested."""

    def __init__(self, detail: str, url: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.url = url


class _HeadMishandled(Exception):
    """The server dropped or garbled a HEAD request: worth trying GET."""


@dataclass(frozen=True)
class _Final:
    status: int
    url: str
    redirects: int
    detail: str | None = None


def host_key(url: str) -> str:
    """The unit of politeness: host and port (a URL that does not parse gets its own key)."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        return f"{parts.hostname or ''}:{port}"
    except ValueError:
        return url


class _Limiter:
    """A global bound, a bound per host, and per-host pauses asked for by Retry-After."""

    def __init__(self, settings: CheckSettings) -> None:
        self._global = asyncio.Semaphore(settings.max_concurrency)
        self._per_host = settings.max_per_host
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._not_before: dict[str, float] = {}

    def hold_off(self, url: str, seconds: float) -> None:
        key = host_key(url)
        until = asyncio.get_running_loop().time() + seconds
        self._not_before[key] = max(self._not_before.get(key, 0.0), until)

    @contextlib.asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        key = host_key(url)
        host = self._hosts.setdefault(key, asyncio.Semaphore(self._per_host))
        # The host slot first: a request queued behind a busy host holds no global slot.
        async with host:
            loop = asyncio.get_running_loop()
            while (wait := self._not_before.get(key, 0.0) - loop.time()) > 0:
                await asyncio.sleep(wait)
            async with self._global:
                yield


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds asked for by a Retry-After header (delay or HTTP date), None if absent or bad."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _causes(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def describe_connect_error(exc: BaseException) -> str:
    """A short, user-facing reason for a failed connection."""
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            return "DNS lookup failed"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate not accepted ({cause.verify_message})"
        if isinstance(cause, ssl.SSLError):
            return "TLS handshake failed"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
    text = str(exc).lower()
    if "name or service not known" in text or "nodename nor servname" in text:
        return "DNS lookup failed"
    if "certificate" in text or "ssl" in text or "tls" in text:
        return "TLS handshake failed"
    if "refused" in text:
        return "connection refused"
    return f"cannot connect ({exc})" if str(exc) else "cannot connect"


async def _request(
    client: httpx.AsyncClient, limiter: _Limiter, method: str, url: str, timeout: float
) -> httpx.Response:
    """One request; only the status line and headers are read."""
    async with limiter.slot(url):
        try:
            async with asyncio.timeout(timeout):
                response = await client.send(client.build_request(method, url), stream=True)
                await response.aclose()
                return response
        except (TimeoutError, httpx.TimeoutException):
            raise Unreachable(f"timed out after {timeout:g} s", url) from None
        except httpx.ConnectError as exc:
            raise Unreachable(describe_connect_error(exc), url) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            if method == "HEAD":
                raise _HeadMishandled from exc
            raise Unreachable("the server closed the connection", url) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL):
            raise Unreachable("not an http(s) URL", url) from None
        except httpx.HTTPError as exc:
            raise Unreachable(str(exc) or type(exc).__name__, url) from None


async def _with_retries(
    client: httpx.AsyncClient, limiter: _Limiter, settings: CheckSettings, method: str, url: str
) -> tuple[httpx.Response, str | None]:
    """The response, after waiting out 429/503 answers; and why a retry was given up."""
    for attempt in range(settings.retries + 1):
        response = await _request(client, limiter, method, url, settings.timeout)
        if response.status_code not in RETRY_CODES:
            return response, None
        asked = retry_after_seconds(response.headers.get("retry-after"), datetime.now(UTC))
        if asked is not None and asked > settings.max_retry_wait:
            return response, f"asked to retry after {asked:g} s"
        if attempt == settings.retries:
            break
        limiter.hold_off(url, settings.backoff * 2**attempt if asked is None else asked)
    return response, f"still {response.status_code} after {settings.retries} retries"


def _redirect_target(current: str, location: str) -> str:
    target = urljoin(current, location.strip())
    parts = urlsplit(target)
    return urlunsplit(parts._replace(fragment=""))


async def _follow(
    client: httpx.AsyncClient, limiter: _Limiter, settings: CheckSettings, method: str, url: str
) -> _Final:
    """Request ``url`` and follow its redirects by hand."""
    seen = {url}
    current = url
    for hop in range(settings.max_redirects + 1):
        response, detail = await _with_retries(client, limiter, settings, method, current)
        location = response.headers.get("location")
        if response.status_code not in REDIRECT_CODES or not location:
            return _Final(response.status_code, current, hop, detail)
        target = _redirect_target(current, location)
        if urlsplit(target).scheme.lower() not in ("http", "https"):
            raise Unreachable("redirected to a non-web URL", target)
        if target in seen:
            raise Unreachable("redirect loop", target)
        seen.add(target)
        current = target
    raise Unreachable(f"more than {settings.max_redirects} redirects", current)


async def _probe(
    client: httpx.AsyncClient, limiter: _Limiter, settings: CheckSettings, url: str
) -> _Final:
    """HEAD, and GET when HEAD was refused or mishandled."""
    try:
        final = await _follow(client, limiter, settings, "HEAD", url)
        if final.status < 400 or final.status in RETRY_CODES:
            return final
    except _HeadMishandled:
        pass
    try:
        return await _follow(client, limiter, settings, "GET", url)
    except _HeadMishandled as exc:  # pragma: no cover - only HEAD raises it
        raise Unreachable("the server closed the connection", url) from exc


def classify(url: str, final: _Final) -> tuple[LinkStatus, str | None]:
    if 200 <= final.status < 300:
        moved = final.redirects > 0 and final.url != url
        return (LinkStatus.REDIRECTED if moved else LinkStatus.OK), final.detail
    if final.status in REDIRECT_CODES:
        return LinkStatus.BROKEN, "redirect without a Location"
    return LinkStatus.BROKEN, final.detail


async def check_url(
    client: httpx.AsyncClient, limiter: _Limiter, settings: CheckSettings, url: str
) -> tuple[LinkStatus, int | None, str | None, str | None]:
    """(result, status, final_url, detail) for one URL; never raises for network trouble."""
    try:
        final = await _probe(client, limiter, settings, url)
    except Unreachable as exc:
        return LinkStatus.UNREACHABLE, None, exc.url, exc.detail
    result, detail = classify(url, final)
    return result, final.status, final.url, detail


def make_client(settings: CheckSettings) -> httpx.AsyncClient:
    limits = httpx.Limits(
        max_connections=settings.max_concurrency,
        max_keepalive_connections=settings.max_concurrency,
    )
    return httpx.AsyncClient(
        follow_redirects=False,
        timeout=httpx.Timeout(settings.timeout),
        limits=limits,
        headers={"User-Agent": settings.user_agent, "Accept": _ACCEPT},
    )


async def check_links_async(
    pairs: Iterable[tuple[str, str]],
    settings: CheckSettings | None = None,
    on_result: OnResult | None = None,
) -> list[LinkResult]:
    """Check every (entry_id, url) pair; results come back in the order given.

    ``on_result`` is called once per pair as soon as its URL has been checked (for a
    progress display). Each distinct URL is requested once.
    """
    settings = settings or CheckSettings()
    wanted = list(pairs)
    by_url: dict[str, list[int]] = {}
    for index, (_, url) in enumerate(wanted):
        by_url.setdefault(url, []).append(index)
    results: list[LinkResult | None] = [None] * len(wanted)
    limiter = _Limiter(settings)

    async def one(url: str, client: httpx.AsyncClient) -> None:
        result, status, final_url, detail = await check_url(client, limiter, settings, url)
        checked_at = datetime.now(UTC)
        for index in by_url[url]:
            record = LinkResult(
                wanted[index][0], url, result, status, final_url, checked_at, detail
            )
            results[index] = record
            if on_result is not None:
                on_result(record)

    async with make_client(settings) as client, asyncio.TaskGroup() as group:
        for url in by_url:
            group.create_task(one(url, client))
    return [record for record in results if record is not None]


def check_links(
    pairs: Iterable[tuple[str, str]],
    settings: CheckSettings | None = None,
    on_result: OnResult | None = None,
) -> list[LinkResult]:
    """The blocking form of ``check_links_async`` (runs its own event loop)."""
    return asyncio.run(check_links_async(pairs, settings, on_result))
