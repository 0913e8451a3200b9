"""Progress counted by SQLite: the catalog snapshot joined with the reading state.

``progress.progress_summary`` counts in Python from a status per entry; with 10,000
marks, or 100,000 entries, building that mapping and walking every entry is most of a
run. Here the state database is attached to the catalog's connection and both are
counted with ``GROUP BY``: Python sees one row per (section, status), never one per
entry. The result is the same ``Progress`` (a test compares the two on random states,
aliases included).

A status counts under the entry's current id: among the rows of its id and of its
former ids (aliases), the one with the greatest (clock, device) wins, as in
``status.statuses``; anything but reading, done or skipped counts as unread.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping

from canon_cli.catalog.store import Catalog
from canon_cli.reading.progress import LEFT, Counts, Progress, SectionProgress, progress_summary
from canon_cli.state.store import StateStore

_MARKED = ("reading", "done", "skipped")
_FIELD = {name: i for i, name in enumerate(Counts._fields)}

# Marks under an entry's own id, counted per (section, status) from two covering indexes,
# the state's on (field, value) and the snapshot's on (id, section, minutes), which the
# planner does not choose by itself (the snapshot has no statistics); the few marks
# under former ids (aliases) are settled in Python.
_BY_SECTION = (
    "SELECT section, count(*), total(minutes), sum(minutes IS NULL) FROM entries{where}"
    " GROUP BY section"
)
_MARKED_BY_SECTION = (
    "SELECT e.section, c.value, count(*), total(e.minutes), sum(e.minutes IS NULL)"
    " FROM st.current c JOIN main.entries e INDEXED BY entries_marks ON e.id = c.entry"
    " WHERE c.field = 'status' AND c.value IN ({values}){scope} GROUP BY e.section, c.value"
)
_READING = (
    "SELECT e.ord, e.id FROM st.current c JOIN main.entries e ON e.id = c.entry"
    " WHERE c.field = 'status' AND c.value = ?{scope}"
)
_UNDER_ALIASES = (  # from the (few) aliases to the state's rows, never the other way
    "SELECT a.id, c.value, c.clock, c.device FROM main.aliases a"
    " CROSS JOIN st.current c ON c.entry = a.alias AND c.field = 'status'"
)
_OWN = (
    "SELECT e.id, e.ord, e.section, e.minutes, c.value, c.clock, c.device FROM main.entries e"
    " LEFT JOIN st.current c ON c.entry = e.id AND c.field = 'status' WHERE e.id IN ({ids})"
)


def _scope_sql(scope: list[str] | None, column: str) -> tuple[str, list[object]]:
    if scope is None:
        return "", []
    return f" {column} IN ({','.join('?' * len(scope))})", list(scope)


def _status(value: str | None) -> str:
    """The status a stored value counts as (a cleared or unknown one: unread)."""
    found = json.loads(value) if value is not None else None
    return found if found in _MARKED else "unread"


def _tally(counts: list[int], status: str, n: int, minutes: float, no_estimate: int) -> None:
    """Move ``n`` entries of ``counts`` from unread to ``status`` (``n`` < 0 moves back)."""
    if status == "unread":
        return
    counts[_FIELD["unread"]] -= n
    counts[_FIELD[status]] += n
    if status not in LEFT:
        counts[_FIELD["minutes_left"]] -= int(minutes)
        counts[_FIELD["left_without_estimate"]] -= no_estimate


def _aliased(
    catalog: Catalog,
    direct: dict[str, list[int]],
    reading: dict[str, int],
    scope: list[str] | None,
) -> None:
    """Settle the entries with a mark under a former id: the greatest (clock, device)
    among the id's and its aliases' rows wins."""
    rows: dict[str, list[tuple[str, str, str]]] = {}
    for entry_id, value, clock, device in catalog.joined_rows(_UNDER_ALIASES):
        rows.setdefault(entry_id, []).append((clock, device, value))
    ids = list(rows)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        own_rows = catalog.joined_rows(_OWN.format(ids=",".join("?" * len(chunk))), chunk)
        for entry_id, order, section, minutes, value, clock, device in own_rows:
            if scope is not None and section not in scope:
                continue
            own = _status(value)
            candidates = rows[entry_id] + ([(clock, device, value)] if value is not None else [])
            winner = _status(max(candidates)[2])
            if winner == own:
                continue
            estimate = (minutes or 0, 1 if minutes is None else 0)
            _tally(direct[section], own, -1, -estimate[0], -estimate[1])
            _tally(direct[section], winner, 1, *estimate)
            if winner == "reading":
                reading[entry_id] = order
            else:
                reading.pop(entry_id, None)


def _direct_counts(
    catalog: Catalog, store: StateStore | None, scope: list[str] | None
) -> tuple[dict[str, list[int]], list[str]]:
    """Counts (as ``Counts`` fields) of the entries directly in each section, and the ids
    being read in reading order."""
    where, params = _scope_sql(scope, "section")
    direct: dict[str, list[int]] = {}
    for section, n, minutes, no_estimate in catalog.joined_rows(
        _BY_SECTION.format(where=" WHERE" + where if where else ""), params
    ):
        # everything unread until the marks say otherwise
        direct[section] = [n, n, 0, 0, 0, int(minutes), int(minutes), no_estimate]
    if store is None:
        return direct, []
    scope_sql, scope_params = _scope_sql(scope, "e.section")
    scope_sql = " AND" + scope_sql if scope_sql else ""
    values = [json.dumps(status) for status in _MARKED]
    with catalog.attached(store.path, "st"):
        marked = catalog.joined_rows(
            _MARKED_BY_SECTION.format(values=",".join("?" * len(values)), scope=scope_sql),
            [*values, *scope_params],
        )
        for section, value, n, minutes, no_estimate in marked:
            _tally(direct[section], _status(value), n, minutes, no_estimate)
        reading = {
            str(i): order
            for order, i in catalog.joined_rows(
                _READING.format(scope=scope_sql), [json.dumps("reading"), *scope_params]
            )
        }
        _aliased(catalog, direct, reading, scope)
    return direct, sorted(reading, key=reading.__getitem__)


def counted_progress(
    catalog: Catalog,
    store: StateStore | None,
    statuses: Callable[[], Mapping[str, str]],
    section: str | None = None,
) -> Progress:
    """What ``progress.progress_summary`` gives for the state in ``store``, counted in
    SQL; when SQLite cannot (a file it cannot attach or read), counted in Python from
    ``statuses()``, which reports a damaged file by name."""
    scope = catalog.subtree(section) if section else None
    try:
        direct, reading = _direct_counts(catalog, store, scope)
    except sqlite3.Error:
        return progress_summary(catalog, statuses(), section)
    width = len(Counts._fields)
    overall = Counts(*(sum(c[i] for c in direct.values()) for i in range(width)))
    sections = []
    for s in catalog.sections:
        if scope is not None and s.slug not in scope:
            continue
        total = [0] * width
        for sub in catalog.subtree(s.slug):
            for i, n in enumerate(direct.get(sub, ())):
                total[i] += n
        sections.append(SectionProgress(s.path, Counts(*total)))
    return Progress(overall, sections, reading)
