"""The records a link check produces and the settings that shape it (no I/O here).

NamedTuples, not dataclasses: ``list`` and ``show`` read remembered results, and
importing ``dataclasses`` would cost them more start-up time than all the rest.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from canon_cli import __version__
from canon_cli.i18n import _

USER_AGENT = f"canon/{__version__} (+link check)"


class LinkStatus(StrEnum):
    """What a check found. ``broken`` and ``unreachable`` are the failures."""

    OK = "ok"  # answered 2xx at the URL itself
    REDIRECTED = "redirected"  # answered 2xx after one or more redirects (see final_url)
    BROKEN = "broken"  # the server answered with an error status (see status)
    UNREACHABLE = "unreachable"  # no usable answer: DNS, TLS, refused, timeout, redirect loop

    @property
    def failed(self) -> bool:
        return self in (LinkStatus.BROKEN, LinkStatus.UNREACHABLE)


class LinkResult(NamedTuple):
    """One link of one entry, as found at ``checked_at`` (an aware UTC time).

    ``status`` is the last HTTP status received (None when none was), ``final_url`` the
    last URL requested (the redirect target for ``redirected``), ``detail`` a short
    reason for ``unreachable`` (and for broken links that asked to be retried later).
    """

    entry_id: str
    url: str
    result: LinkStatus
    status: int | None
    final_url: str | None
    checked_at: datetime
    detail: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.entry_id, self.url)


class CheckSettings(NamedTuple):
    """How hard and how long to try. The defaults suit a reading list of a few hundred links."""

    timeout: float = 10.0  # seconds per request (each redirect hop is a request)
    max_concurrency: int = 64  # requests in flight at once, over all hosts
    max_per_host: int = 6  # to one host (host:port); what a web browser allows itself
    max_redirects: int = 10
    retries: int = 2  # extra attempts after a 429 or 503
    backoff: float = 1.0  # first wait before a retry without Retry-After; doubles each time
    max_retry_wait: float = 30.0  # a Retry-After longer than this is not waited for
    user_agent: str = USER_AGENT


def format_time(moment: datetime) -> str:
    """An aware time as ISO 8601 in UTC, to the second: ``2024-05-01T09:30:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    """The inverse of ``format_time`` (any ISO 8601 time; a naive one is taken as UTC)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


_AGE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_age(text: str) -> timedelta:
    """``30m``, ``12h``, ``3d``, ``2w`` (or plain seconds) as a timedelta; ValueError if not."""
    value = text.strip().lower()
    unit = value[-1:] if value[-1:] in _AGE_UNITS else "s"
    number = value[:-1] if value[-1:] in _AGE_UNITS else value
    try:
        amount = float(number)
    except ValueError:
        raise ValueError(
            _("not an age: {text!r} (use e.g. 30m, 12h, 3d or 2w)").format(text=text)
        ) from None
    if not amount >= 0 or amount == float("inf"):
        raise ValueError(_("not an age: {text!r} (use a number of 0 or more)").format(text=text))
    return timedelta(seconds=amount * _AGE_UNITS[unit])
