"""``list --sort`` and ``list --rating``: orders and a filter that need the reader's state.

Every order is stable, so entries that tie keep their curriculum order:

- ``year``: oldest first; entries without a year last;
- ``title``: alphabetical, ignoring case, by the title shown (Chinese where chosen);
- ``rating``: best first; unrated entries last;
- ``finished``: most recently finished first; entries not finished last.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from canon_cli.catalog.store import Entry
from canon_cli.errors import unknown_choice
from canon_cli.vocab import SORT_KEYS


def rated_at_least(
    entries: Iterable[Entry], ratings: Mapping[str, int], minimum: int
) -> Iterator[Entry]:
    """The entries rated ``minimum`` or more (an unrated entry is below every rating)."""
    return (e for e in entries if ratings.get(e.id, 0) >= minimum)


def sort_entries(
    entries: Iterable[Entry],
    by: str,
    lang: str,
    ratings: Mapping[str, int],
    finished: Mapping[str, str],
) -> list[Entry]:
    """``entries`` (in curriculum order) in the order ``by`` names (see the module)."""
    listed = list(entries)
    if by == "year":
        return sorted(listed, key=lambda e: (e.year is None, e.year or 0))
    if by == "title":
        return sorted(listed, key=lambda e: e.title_in(lang).casefold())
    if by == "rating":
        return sorted(listed, key=lambda e: -ratings.get(e.id, 0))
    if by == "finished":
        # reverse=True keeps ties in their order: same instant, curriculum order
        done = sorted(
            (e for e in listed if e.id in finished), key=lambda e: finished[e.id], reverse=True
        )
        return [*done, *(e for e in listed if e.id not in finished)]
    raise unknown_choice("sort key", by, SORT_KEYS)
