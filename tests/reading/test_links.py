"""The catalog's links x remembered results: pairs, dead entries, archive URLs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from canon_cli.catalog.store import Entry, Link
from canon_cli.linkcheck import LinkResult, LinkStatus
from canon_cli.reading.links import (
    WAYBACK,
    archive_links,
    archive_url,
    dead_links,
    entry_checks,
    entry_pairs,
)
from canon_cli.reading.opener import numbered_links

WHEN = datetime(2024, 5, 1, tzinfo=UTC)
MAIN = "https://arxiv.org/abs/1706.03762"
BLOG = "https://blog.example.org/post"


def entry(**changes: Any) -> Entry:
    base = Entry(
        0,
        "attention",
        "Attention",
        None,
        MAIN,
        "s",
        ("s",),
        2017,
        (),
        "paper",
        (),
        "x",
        None,
        (Link("blog", BLOG), Link("same again", MAIN)),
        (),
        None,
        "canon.yaml",
    )
    return base._replace(**changes)


def result(url: str, status: LinkStatus, code: int | None = 404) -> LinkResult:
    return LinkResult("attention", url, status, code, url, WHEN)


def test_pairs_are_the_main_and_extra_links_each_once() -> None:
    assert entry_pairs(entry()) == [("attention", MAIN), ("attention", BLOG)]


def test_checks_line_up_with_the_numbered_links() -> None:
    records = {r.key: r for r in [result(BLOG, LinkStatus.BROKEN)]}
    checks = entry_checks(entry(), records)
    assert [c.result if c else None for c in checks] == [None, LinkStatus.BROKEN, None]


def test_dead_links_among_those_chosen() -> None:
    records = {
        r.key: r
        for r in [result(MAIN, LinkStatus.OK, 200), result(BLOG, LinkStatus.UNREACHABLE, None)]
    }
    links = numbered_links(entry())
    assert [(link.number, rec.result) for link, rec in dead_links(entry(), links, records)] == [
        (1, LinkStatus.UNREACHABLE)
    ]
    assert dead_links(entry(), links[:1], records) == []


def test_archive_is_the_wayback_copy() -> None:
    assert archive_url(entry(), MAIN) == WAYBACK + MAIN == f"https://web.archive.org/web/{MAIN}"
    archived = archive_links(entry(), numbered_links(entry())[:2])
    assert [(a.number, a.label, a.url) for a in archived] == [
        (0, "main (archived)", WAYBACK + MAIN),
        (1, "blog (archived)", WAYBACK + BLOG),
    ]


class WithArchive:
    """An entry as a catalog with the optional ``archive`` field gives it."""

    def __init__(self, archive: str | None) -> None:
        self.url = MAIN
        self.archive = archive


def test_an_explicit_archive_link_is_preferred_for_the_main_link() -> None:
    explicit = "https://archive.example.org/attention.pdf"
    with_field = cast(Entry, WithArchive(explicit))
    assert archive_url(with_field, MAIN) == explicit
    assert archive_url(with_field, BLOG) == WAYBACK + BLOG  # the extra links: the Wayback copy
    assert archive_url(cast(Entry, WithArchive(None)), MAIN) == WAYBACK + MAIN
