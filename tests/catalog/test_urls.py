"""Which links canon opens (catalog/urls.py), and that its shortcut for plain links
answers exactly as splitting the URL does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canon_cli.catalog import urls
from canon_cli.catalog.urls import url_problem

CASES = [
    ("https://arxiv.org/abs/1706.03762", None),
    ("http://example.org", None),
    ("HTTPS://Example.ORG/a?b=c#d", None),
    ("https://example.org:8443/x", None),
    ("https://user:pw@example.org/", None),  # no plain host: split, and accepted
    ("https://[::1]/", None),
    ("https://例子.测试/路径", None),
    ("-https://example.org", "starts with '-' (could be read as a browser option)"),
    ("https://exa mple.org", "contains whitespace or control characters"),
    ("https://example.org/\u200b", "contains whitespace or control characters"),
    ("ftp://example.org/x", "has 'ftp:'; only http and https links are opened"),
    ("javascript:alert(1)", "has 'javascript:'; only http and https links are opened"),
    ("example.org/x", "has no scheme; only http and https links are opened"),
    ("https:///path", "has no host"),
    ("https://", "has no host"),
    ("https://[::1/", "is not a valid URL"),
]


@pytest.mark.parametrize(("url", "problem"), CASES)
def test_each_link_is_taken_or_refused_with_its_reason(url: str, problem: str | None) -> None:
    assert url_problem(url) == problem


def _by_splitting(url: str) -> str | None:
    """url_problem without its shortcut: every link split into its parts."""
    if url.startswith("-"):
        return "starts with '-' (could be read as a browser option)"
    if urls._FORBIDDEN.search(url) or any(map(urls._unseen_non_ascii, url)):
        return "contains whitespace or control characters"
    return urls._split_problem(url)


_PARTS = st.sampled_from(
    ["http", "https", "HTTP", "ftp", "", ":", "//", "/", "@", "[", "]", "::1", "a", "-", ".",
     "example", "org", "8080", "?", "#", "%", "\\", "é", "x y", "_", "~"]
)  # fmt: skip


@given(st.lists(_PARTS, max_size=8).map("".join))
def test_the_plain_link_shortcut_answers_as_splitting_does(url: str) -> None:
    assert url_problem(url) == _by_splitting(url)


@given(st.sampled_from(["http://", "https://", "HTTPS://"]), st.text(max_size=12))
def test_any_text_after_a_scheme_is_judged_alike(scheme: str, rest: str) -> None:
    assert url_problem(scheme + rest) == _by_splitting(scheme + rest)
