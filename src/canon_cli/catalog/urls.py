"""Which links canon will hand to a browser: only plain web links, ever."""

from __future__ import annotations

import re

_ARXIV = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z.-]*/\d{7})(?:v\d+)?(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)
# a scheme and a host of letters, digits, dots and hyphens: a plain link, no split needed
_PLAIN = re.compile(r"https?://[a-z0-9.-]+(?:[:/?#]|$)", re.IGNORECASE)
_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _unseen(ch: str) -> bool:
    """Characters a reader cannot see or tell apart: format controls (zero-width, soft
    hyphen, tag characters), separators, private-use, unassigned and surrogates."""
    import unicodedata

    return unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cn", "Cs", "Zs", "Zl", "Zp")


def _unseen_non_ascii(ch: str) -> bool:
    return ord(ch) > 0x7F and _unseen(ch)


def url_problem(url: str) -> str | None:
    """Why ``url`` must not be opened, or None when it is a plain http(s) link."""
    if url.startswith("-"):
        return "starts with '-' (could be read as a browser option)"
    # isascii() first: a plain link is checked in C, not character by character in Python
    if _FORBIDDEN.search(url) or (not url.isascii() and any(map(_unseen_non_ascii, url))):
        return "contains whitespace or control characters"
    if _PLAIN.match(url):
        return None  # what urlsplit would find: an http(s) scheme and a host
    return _split_problem(url)


def _split_problem(url: str) -> str | None:
    """url_problem's answer from the URL's parts (a link without a plain host)."""
    from urllib.parse import urlsplit  # here: the quick path's BibTeX export needs no URL split

    try:
        parts = urlsplit(url)
    except ValueError:
        return "is not a valid URL"
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"'{scheme}:'" if scheme else "no scheme"
        return f"has {shown}; only http and https links are opened"
    try:
        host = parts.hostname
    except ValueError:
        return "has an invalid host"
    if not host:
        return "has no host"
    return None


def arxiv_id(url: str) -> str | None:
    """The arXiv identifier in an abs/pdf URL, without version or ``.pdf``."""
    match = _ARXIV.match(url.strip())
    return match.group("id") if match else None
