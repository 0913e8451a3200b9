"""Finding entries: filters, ranked search, and resolving what a user typed to an id.

Pure functions over a ``Catalog`` and plain values; the CLI only passes options in.
"""

# Evaluated annotations (no `from __future__ import annotations`): a NamedTuple would
# compile each field's annotation string at import (docs/decisions.md, "Record classes").

import itertools
import re
from collections.abc import Collection, Iterable, Iterator
from typing import NamedTuple

from canon_cli.catalog.snapshot import fts_text, title_key
from canon_cli.catalog.store import Catalog, Entry
from canon_cli.charsets import CJK_RANGES
from canon_cli.errors import UsageError, unknown_choice
from canon_cli.i18n import _, ngettext
from canon_cli.vocab import STATUS_SYNONYMS, STATUSES, status_named


class Filters(NamedTuple):
    """What ``list``, ``next``, ``progress`` and ``export`` narrow the catalog by."""

    sections: tuple[str, ...] = ()
    years: tuple[int | None, int | None] | None = None
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    search: str | None = None
    statuses: tuple[str, ...] = ()


def parse_years(text: str) -> tuple[int | None, int | None]:
    """``2022``, ``2020..2022``, ``2021..`` or ``..2019`` as an inclusive range."""
    match = re.fullmatch(r"\s*(\d{4})?\s*(\.\.)?\s*(\d{4})?\s*", text)
    if (
        not match
        or not (match.group(1) or match.group(3))
        or (match.group(2) is None and match.group(3))
    ):
        raise UsageError(
            _("invalid year {value}").format(value=repr(text)),
            hint=_("Use a year (2022) or a range: 2020..2022, 2021.. or ..2019."),
        )
    low = int(match.group(1)) if match.group(1) else None
    high = int(match.group(3)) if match.group(3) else None
    if match.group(2) is None:
        high = low
    if low is not None and high is not None and low > high:
        raise UsageError(
            _("invalid year range {value}: {low} is after {high}").format(
                value=repr(text), low=low, high=high
            )
        )
    return low, high


def statuses_named(values: Iterable[str]) -> tuple[str, ...]:
    """The statuses a user typed, as canon's own words: case is ignored and the
    synonyms in ``vocab.STATUS_SYNONYMS`` are accepted (``read`` is ``done``)."""
    named = []
    for value in values:
        status = status_named(value)
        if status is None:
            raise unknown_choice("status", value, STATUSES, "statuses", STATUS_SYNONYMS)
        named.append(status)
    return tuple(dict.fromkeys(named))


def check_filters(catalog: Catalog, filters: Filters) -> None:
    """Refuse unknown sections, tags, kinds and statuses, listing the valid ones."""
    for slug in filters.sections:
        if slug not in catalog.section_by_slug:
            raise unknown_choice("section", slug, catalog.section_by_slug)
    for tag in filters.tags:
        if tag not in catalog.tags:
            raise unknown_choice("tag", tag, catalog.tags)
    if filters.kinds:  # a scan of every entry: only when a kind was asked for
        kinds = catalog.kinds()
        for kind in filters.kinds:
            if kind not in kinds:
                raise unknown_choice("kind", kind, kinds)
    statuses_named(filters.statuses)


def _sql_filters(catalog: Catalog, filters: Filters) -> tuple[list[str], list[object]]:
    where: list[str] = []
    params: list[object] = []
    if filters.sections:
        slugs = sorted({s for slug in filters.sections for s in catalog.subtree(slug)})
        where.append(f"section IN ({','.join('?' * len(slugs))})")
        params.extend(slugs)
    if filters.years is not None:
        low, high = filters.years
        if low is not None:
            where.append("year >= ?")
            params.append(low)
        if high is not None:
            where.append("year <= ?")
            params.append(high)
    for tag in filters.tags:
        where.append("instr(tags, ?) > 0")
        params.append(f" {tag} ")
    if filters.kinds:
        where.append(f"kind IN ({','.join('?' * len(filters.kinds))})")
        params.extend(filters.kinds)
    return where, params


def find_entries(
    catalog: Catalog,
    filters: Filters,
    full: bool = True,
    found_elsewhere: Collection[str] = (),
    only: Collection[str] | None = None,
) -> Iterator[Entry]:
    """Entries matching every catalog filter, in reading order (``full=False``: listing
    fields only). ``filters.statuses`` is the reading layer's to apply (reading/status.py).

    ``found_elsewhere``: ids that match ``filters.search`` by what the catalog does not
    hold (the reader's notes); ``only``: look at these ids alone.
    """
    check_filters(catalog, filters)
    where, params = _sql_filters(catalog, filters)
    if only is not None:
        ids = sorted(only)
        if not ids:
            return
        where.append(f"id IN ({','.join('?' * len(ids))})")
        params.extend(ids)
    if filters.search:
        match = _match_expression(catalog, filters.search)
        others = sorted(found_elsewhere)
        if match is None and not others:
            return
        found = [] if match is None else ["ord IN (SELECT rowid FROM fts WHERE fts MATCH ?)"]
        params += [] if match is None else [match]
        if others:
            found.append(f"id IN ({','.join('?' * len(others))})")
            params.extend(others)
        where.append("(" + " OR ".join(found) + ")")
    yield from catalog.entries(" AND ".join(where), params, full)


# --- search -----------------------------------------------------------------

_TOKEN = r"\w+"  # text: re compiles it on first use


def _is_cjk(token: str) -> bool:
    """A CJK character (the index holds them one by one; see snapshot.fts_text)."""
    if len(token) != 1:
        return False
    code = ord(token)
    return any(low <= code <= high for low, high in CJK_RANGES)


def _query_tokens(text: str) -> list[str]:
    return re.findall(_TOKEN, fts_text(text))


def _phrase(tokens: list[str]) -> str:
    """An FTS5 phrase of adjacent tokens; words match as prefixes ("transformer" finds
    "transformers"), CJK characters exactly. Quoting keeps FTS syntax in input inert."""
    quoted = '"' + " ".join(token.replace('"', '""') for token in tokens) + '"'
    return quoted if _is_cjk(tokens[-1]) else quoted + "*"


def _close_terms(catalog: Catalog, token: str) -> list[str]:
    """Title, tag and summary terms within a small edit distance of a mistyped word.

    Author names are left out: a typo should find a topic, not a namesake.
    """
    import difflib

    terms = catalog.index_terms(len(token) - 2, len(token) + 2)
    return difflib.get_close_matches(token, terms, n=3, cutoff=0.8)


def _match_expression(catalog: Catalog, text: str) -> str | None:
    """An FTS5 query in which every word of ``text`` must match somewhere.

    A word written with punctuation (``gpt-3``, ``chain-of-thought``) is a phrase; a
    Chinese run is a phrase of its characters; a lone one-letter word is ignored when
    there are others; a word of four letters or more with no hit also matches close
    index terms, so small typos still find the entry.
    """
    chunks = [tokens for chunk in text.split() if (tokens := _query_tokens(chunk))]
    meaningful = [c for c in chunks if len(c) > 1 or len(c[0]) > 1 or _is_cjk(c[0])]
    chunks = meaningful or chunks
    if not chunks:
        return None
    groups: list[str] = []
    for tokens in chunks:
        term = _phrase(tokens)
        if len(tokens) == 1 and len(tokens[0]) >= 4 and not catalog.has_match(term):
            alternatives = _close_terms(catalog, tokens[0])
            if alternatives:
                term = "(" + " OR ".join([term, *(_phrase([a]) for a in alternatives)]) + ")"
        groups.append(term)
    return " AND ".join(groups)


class Hit(NamedTuple):
    entry: Entry
    strong: bool  # matched in the title, authors or tags (ranked above summary-only hits)
    in_notes: bool = False  # found by the reader's notes alone (ranked last)


def search_catalog(catalog: Catalog, query: str, filters: Filters) -> Iterator[Hit]:
    """Ranked search: title/author/tag hits first, then summary hits; bm25 within each.

    ``filters.statuses`` is the reading layer's to apply (reading/status.py).
    """
    check_filters(catalog, filters)
    match = _match_expression(catalog, query)
    if match is None:
        return
    where, params = _sql_filters(catalog, filters)
    strong = "{title authors tags} : (" + match + ")"
    for entry, is_strong in catalog.search(match, strong, where, params):
        yield Hit(entry, is_strong)


# --- resolving ids ----------------------------------------------------------


def resolve_entry(catalog: Catalog, text: str) -> Entry:
    """The entry a user meant: id, alias, unique id prefix, or a loosely typed title."""
    wanted = text.strip()
    entry = catalog.get(wanted) or catalog.get(wanted.lower())
    if entry is not None:
        return entry
    target = catalog.alias_target(wanted.lower())
    if target is not None:
        resolved = catalog.get(target)
        if resolved is not None:
            return resolved
    key = title_key(wanted)
    if key:
        by_title = list(catalog.entries("title_key = ? OR title_key = ?", (key, key)))
        if not by_title:
            by_title = [
                e
                for e in catalog.entries("title_zh IS NOT NULL")
                if title_key(e.title_zh or "") == key
            ]
        if len(by_title) == 1:
            return by_title[0]
        if len(by_title) > 1:
            raise _ambiguous(text, by_title)
    prefix = wanted.lower()
    if prefix:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        candidates = list(catalog.entries("id LIKE ? ESCAPE '\\'", (escaped + "%",)))
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise _ambiguous(text, candidates)
    raise _not_found(catalog, text)


def _ambiguous(text: str, candidates: list[Entry]) -> UsageError:
    shown = "\n".join(f"  {e.id}  {e.title}" for e in candidates[:20])
    more = (
        "\n  " + _("... and {n} more").format(n=len(candidates) - 20)
        if len(candidates) > 20
        else ""
    )
    return UsageError(
        ngettext(
            "{text} matches {n} entry:", "{text} matches {n} entries:", len(candidates)
        ).format(text=repr(text), n=len(candidates))
        + f"\n{shown}{more}",
        hint=_("Type more of the id."),
    )


def _not_found(catalog: Catalog, text: str) -> UsageError:
    import difflib

    wanted = text.strip().lower()
    ids = catalog.ids()
    # What 'canon search' would rank first, so a suggestion never contradicts it
    close = [
        hit.entry.id
        for hit in itertools.islice(search_catalog(catalog, text, Filters()), 3)
        if hit.strong
    ]
    if not close:
        close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.6)
    if not close:
        key = title_key(text)
        keyed = catalog.ids_by_title_key()
        close = [keyed[k] for k in difflib.get_close_matches(key, list(keyed), n=3, cutoff=0.6)]
    if not close and len(wanted) >= 3:
        close = [i for i in ids if wanted in i][:3]
    hint = (
        _("Did you mean {value}?").format(value=_(" or ").join(close))
        if close
        else _("Run 'canon list' or 'canon search TEXT' to find the id.")
    )
    return UsageError(_("no entry matches {text}").format(text=repr(text)), hint=hint)


def resolve_entries(catalog: Catalog, texts: Iterable[str]) -> list[Entry]:
    """Resolve several ids, keeping order and dropping repeats."""
    seen: dict[str, Entry] = {}
    for text in texts:
        entry = resolve_entry(catalog, text)
        seen.setdefault(entry.id, entry)
    return list(seen.values())
