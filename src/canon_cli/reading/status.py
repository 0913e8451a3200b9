"""An entry's reading status and record: the one place that looks them up "by id or alias".

The state is keyed on entry ids and knows nothing of the catalog; the catalog may have
renamed an entry since it was marked, keeping the old id as an alias. Progress recorded
under a former id still counts: for each field, the value with the greatest (clock,
device) among the entry's id and its aliases wins, exactly as if they were one key, so
a rename loses nothing and needs no rewrite of the state. ``statuses`` gives the status
of every marked entry keyed by its current id; ``entry_status`` reads one from it.
"""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable, Iterator, Mapping
from pathlib import Path

from canon_cli import paths
from canon_cli.catalog.query import Filters, Hit, find_entries, search_catalog, statuses_named
from canon_cli.catalog.store import Catalog, Entry
from canon_cli.state.changes import Value
from canon_cli.state.fold import UNREAD, EntryState, fold
from canon_cli.state.store import Row, StateStore, SyncHook, open_store
from canon_cli.vocab import STATUSES


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
    catalog: Catalog,
    filters: Filters,
    statuses: Mapping[str, str],
    full: bool = True,
    noted: Collection[str] = (),
) -> Iterator[Entry]:
    """Entries matching every filter, the status filter included, in reading order.

    This decides which entries ``list --status done`` (and ``next``, ``export``) show.
    ``noted``: ids whose notes match ``filters.search`` (``notes.entries_noting``).
    """
    wanted = statuses_named(filters.statuses)  # "read" is "done"
    for entry in find_entries(catalog, filters, full, found_elsewhere=noted):
        if not wanted or entry_status(entry, statuses) in wanted:
            yield entry


def search_entries(
    catalog: Catalog,
    query: str,
    filters: Filters,
    statuses: Mapping[str, str],
    noted: Collection[str] = (),
) -> Iterator[Hit]:
    """Ranked search hits (see ``catalog.query.search_catalog``) that pass the status
    filter, then the entries found by their notes alone (``noted``), in reading order."""
    wanted = statuses_named(filters.statuses)
    seen: set[str] = set()
    for hit in search_catalog(catalog, query, filters):
        seen.add(hit.entry.id)
        if not wanted or entry_status(hit.entry, statuses) in wanted:
            yield hit
    rest = set(noted) - seen
    if rest:
        for entry in find_entries(catalog, filters._replace(search=None), only=rest):
            if not wanted or entry_status(entry, statuses) in wanted:
                yield Hit(entry, strong=False, in_notes=True)


# --- the state database ---------------------------------------------------------------


def state_exists() -> bool:
    return paths.state_db_path().exists() or paths.legacy_state_path().exists()


def open_state(hook: SyncHook | None = None, *, create: bool = True) -> StateStore | None:
    """The state database, taking in a version-1 ``state.yaml`` on first use.

    ``create=False`` (reading commands) gives None when there is no state at all yet,
    so a read never creates files. A version-1 file is migrated either way.
    """
    db = paths.state_db_path()
    legacy = paths.legacy_state_path()
    if not db.exists():
        if legacy.exists() or legacy.is_symlink():
            return _migrated(db, legacy, hook)
        if not create and hook is None:
            return None
    return open_store(db, hook)


def _migrated(db: Path, legacy: Path, hook: SyncHook | None) -> StateStore:
    import time

    from canon_cli.state.migrate import migrate_file, read_v1

    records = read_v1(legacy)  # a file that does not validate is refused: nothing created
    store = open_store(db, hook)
    try:
        migrate_file(store, legacy, records, time.time_ns() // 1_000_000)
    except BaseException:
        store.close()
        raise
    return store


def best_rows(rows: Iterable[Row], alias_of: Mapping[str, str]) -> dict[tuple[str, str], Row]:
    """Per (current id, field): the winning row among the id and its aliases."""
    best: dict[tuple[str, str], Row] = {}
    for row in rows:
        key = (alias_of.get(row.entry, row.entry), row.field)
        found = best.get(key)
        if found is None or (row.clock, row.device) > (found.clock, found.device):
            best[key] = row
    return best


def clock_order(row: Row) -> tuple[object, ...]:
    return (row.clock, row.device, row.field)


def field_by_entry(store: StateStore | None, catalog: Catalog, field: str) -> dict[str, Value]:
    """One field's current value for every entry that has one, keyed by the entry's
    current id: among its id and aliases, the greatest (clock, device) wins (a cleared
    field wins too, and is then left out). Ids the catalog does not know are kept."""
    if store is None:
        return {}
    alias_of = catalog.alias_targets()
    best: dict[str, tuple[str, Value]] = {}
    for entry, value, key in store.field_values(field):
        target = alias_of.get(entry, entry) if alias_of else entry
        found = best.get(target)
        if found is None or key > found[0]:
            best[target] = (key, value)
    return {e: v for e, (_k, v) in best.items() if v is not None}


def statuses(store: StateStore | None, catalog: Catalog) -> dict[str, str]:
    """The status of every entry the state marks (unread ones left out), keyed by the
    entry's current id (ids the catalog does not know are kept under their own)."""
    found = field_by_entry(store, catalog, "status")
    return {e: v for e, v in found.items() if isinstance(v, str) and v in STATUSES and v != UNREAD}


def ratings(store: StateStore | None, catalog: Catalog) -> dict[str, int]:
    """The rating (1-5) of every rated entry, keyed by current id."""
    found = field_by_entry(store, catalog, "rating")
    return {e: v for e, v in found.items() if isinstance(v, int) and not isinstance(v, bool)}


def finish_times(store: StateStore | None, catalog: Catalog) -> dict[str, str]:
    """When each finished entry was finished (a stored UTC instant), keyed by current id."""
    found = field_by_entry(store, catalog, "finished")
    return {e: v for e, v in found.items() if isinstance(v, str)}


def record_of(store: StateStore | None, entry: Entry) -> EntryState:
    """The entry's record, from its id and every alias."""
    if store is None:
        return EntryState()
    keys = [entry.id, *entry.aliases]
    alias_of = dict.fromkeys(entry.aliases, entry.id)
    best = best_rows(store.rows(keys), alias_of)
    return fold((row.field, row.value) for row in sorted(best.values(), key=clock_order))


def records(store: StateStore | None, catalog: Catalog) -> dict[str, EntryState]:
    """Every record in the state, keyed by current id (aliases folded in)."""
    if store is None:
        return {}
    best = best_rows(store.rows(), catalog.alias_targets())
    fields: dict[str, list[tuple[str, Value]]] = {}
    for (entry, field), row in sorted(best.items(), key=lambda item: clock_order(item[1])):
        fields.setdefault(entry, []).append((field, row.value))
    found = {entry: fold(pairs) for entry, pairs in fields.items()}
    return {entry: record for entry, record in found.items() if record != EntryState()}
