"""The results of past link checks, kept in the cache dir and read without any network.

One JSON file, ``links.json``: every (entry, url) pair with what its last check found
and when. A new check replaces the records of the pairs it checked and keeps the rest,
under a lock so two checks at once do not lose each other's results. The file is a
cache: one that is missing, unreadable, not a regular file or too large reads as
"never checked".
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from canon_cli import paths
from canon_cli.fileio import atomic_write_bytes, read_regular
from canon_cli.linkcheck.model import LinkResult, LinkStatus, format_time, parse_time
from canon_cli.locks import exclusive_lock

FORMAT = 1
MAX_BYTES = 64 << 20  # about 250,000 remembered links
Records = Mapping[tuple[str, str], LinkResult]


def results_path() -> Path:
    return paths.link_results_path()


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def to_json(record: LinkResult) -> dict[str, Any]:
    """The public shape of a record (also what ``canon links check --json`` prints)."""
    return {
        "id": record.entry_id,
        "url": record.url,
        "result": record.result.value,
        "status": record.status,
        "final_url": record.final_url,
        "checked_at": format_time(record.checked_at),
        "detail": record.detail,
    }


def _from_json(item: Any) -> LinkResult | None:
    """A stored record, or None for one that does not have the expected shape."""
    try:
        status = item["status"]
        record = LinkResult(
            entry_id=str(item["id"]),
            url=str(item["url"]),
            result=LinkStatus(item["result"]),
            status=status if isinstance(status, int) and not isinstance(status, bool) else None,
            final_url=item["final_url"] if isinstance(item["final_url"], str) else None,
            checked_at=parse_time(str(item["checked_at"])),
            detail=item.get("detail") if isinstance(item.get("detail"), str) else None,
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return record


def _read(path: Path) -> dict[tuple[str, str], LinkResult]:
    try:
        document = json.loads(read_regular(path, MAX_BYTES))
    except (OSError, ValueError):
        return {}
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return {}
    items = document.get("links")
    records: dict[tuple[str, str], LinkResult] = {}
    for item in items if isinstance(items, list) else []:
        record = _from_json(item)
        if record is not None:
            records[record.key] = record
    return records


def load_results(path: Path | None = None) -> dict[tuple[str, str], LinkResult]:
    """Every remembered result, keyed by (entry_id, url). Never touches the network."""
    return _read(path or results_path())


def save_results(
    new: Iterable[LinkResult],
    path: Path | None = None,
    *,
    current: Collection[tuple[str, str]] | None = None,
) -> None:
    """Remember ``new``, replacing older records of the same pairs and keeping the others.

    With ``current`` (every pair the catalog has now), records of pairs that are no
    longer in the catalog are dropped.
    """
    target = path or results_path()
    fresh = list(new)
    with exclusive_lock(_lock_path(target)):
        records = _read(target)
        if current is not None:
            records = {key: r for key, r in records.items() if key in current}
        for record in fresh:
            records[record.key] = record
        ordered = sorted(records.values(), key=lambda r: r.key)
        document = {"format": FORMAT, "links": [to_json(r) for r in ordered]}
        data = json.dumps(document, ensure_ascii=False, indent=1).encode() + b"\n"
        atomic_write_bytes(target, data, new_file_mode=0o644)


def needing_check(
    pairs: Sequence[tuple[str, str]],
    records: Records,
    max_age: timedelta | None,
    now: datetime | None = None,
) -> list[tuple[str, str]]:
    """The pairs to check: all of them, or with ``max_age`` only those not checked since."""
    if max_age is None:
        return list(pairs)
    limit = (now or datetime.now(UTC)) - max_age
    return [p for p in pairs if p not in records or records[p].checked_at < limit]


def results_for(entry_id: str, urls: Iterable[str], records: Records) -> list[LinkResult]:
    """The remembered results of an entry's current links, in the order given.

    Only the URLs the entry has now count: a record of a URL the catalog has since
    changed says nothing about the new one.
    """
    return [records[(entry_id, url)] for url in urls if (entry_id, url) in records]


def failed_entry_ids(records: Records) -> set[str]:
    """Entries with a link the last check found broken or unreachable."""
    return {record.entry_id for record in records.values() if record.result.failed}
