"""An entry's reading status, and the entries a status filter lets through.

The state knows entries by the id they had when marked; the catalog may have renamed
one since, keeping the old id as an alias. This module is the one place that looks a
status up "by id or alias", so every command agrees on what an entry's status is.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping

from canon_cli.catalog.query import Filters, Hit, find_entries, search_catalog, statuses_named
from canon_cli.catalog.store import Catalog, Entry


def key_for(entry_id: str, aliases: Iterable[str], keys: Container[str]) -> str | None:
    """The key under which the state holds an entry: its id, or an alias after a rename."""
    if entry_id in keys:
        return entry_id
    return next((str(alias) for alias in aliases if alias in keys), None)


def state_key(entry: Entry, keys: Container[str]) -> str | None:
    """``key_for`` an entry of the catalog."""
    return key_for(entry.id, entry.aliases, keys)


def status_for(entry_id: str, aliases: Iterable[str], statuses: Mapping[str, str]) -> str:
    """The status of an entry known by id and aliases; an entry never marked is unread."""
    key = key_for(entry_id, aliases, statuses)
    return "unread" if key is None else statuses[key]


def entry_status(entry: Entry, statuses: Mapping[str, str]) -> str:
    """``status_for`` an entry of the catalog."""
    return status_for(entry.id, entry.aliases, statuses)


def select_entries(
    catalog: Catalog, filters: Filters, statuses: Mapping[str, str], full: bool = True
) -> Iterator[Entry]:
    """Entries matching every filter, the status filter included, in reading order.

    This decides which entries ``list --status done`` (and ``next``, ``export``) show.
    """
    wanted = statuses_named(filters.statuses)  # "read" is "done"
    for entry in find_entries(catalog, filters, full):
        if not wanted or entry_status(entry, statuses) in wanted:
            yield entry


def search_entries(
    catalog: Catalog, query: str, filters: Filters, statuses: Mapping[str, str]
) -> Iterator[Hit]:
    """Ranked search hits (see ``catalog.query.search_catalog``) that pass the status filter."""
    wanted = statuses_named(filters.statuses)
    for hit in search_catalog(catalog, query, filters):
        if not wanted or entry_status(hit.entry, statuses) in wanted:
            yield hit
