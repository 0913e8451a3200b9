"""Version-1 state files (``state.yaml``): read, check, and take in as changes.

canon before the journal kept the state as one YAML file, whole records stamped with
an ``updated`` time. The first run that finds one (and no database yet) takes it in:
each field becomes a change stamped with the record's own time (``updated``, else its
latest date), each note a change stamped with the note's time. The file is left
untouched beside the database. ``state merge`` and ``state import`` read the same
files with the same checks.

A note's id is made from its entry, time and text, so the same note found in two
version-1 files (copied between machines) is taken in once.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from canon_cli.errors import StateError
from canon_cli.i18n import _
from canon_cli.state.changes import NOTE_PREFIX, Change, Clock
from canon_cli.state.fold import instant_ms, to_instant
from canon_cli.state.store import StateStore, new_op
from canon_cli.vocab import STATUSES

V1_VERSION = 1
FIELDS = ("status", "started", "finished", "rating", "notes", "updated")
EXAMPLE_TIMESTAMP = "2026-11-21T09:00:00+00:00"


class V1Record(NamedTuple):
    status: str
    started: str | None  # UTC instants
    finished: str | None
    rating: int | None
    notes: tuple[tuple[str, str], ...]  # (UTC instant, text)
    updated: str | None


class _Check:
    """Checks plain YAML data as a version-1 state; errors name the file and line."""

    def __init__(self, text: str, path: Path, hint: str) -> None:
        self.text = text
        self.path = path
        self.hint = hint

    def fail(self, message: str, *keys: str | int) -> StateError:
        from canon_cli.yamlio import find_line

        line = find_line(self.text, keys) if keys else 1
        return StateError(message, path=str(self.path), line=line, hint=self.hint)

    def state(self, doc: Any) -> dict[str, V1Record]:
        if doc is None:
            return {}
        if not isinstance(doc, dict):
            raise self.fail(_("the file must be a mapping with 'version' and 'entries'"))
        version = doc.get("version", V1_VERSION)
        if isinstance(version, bool) or not isinstance(version, int):
            raise self.fail(
                _("'version' must be a whole number, got {value!r}").format(value=version),
                "version",
            )
        if version > V1_VERSION:
            raise StateError(
                _(
                    "the file has version {version}, written by a newer canon "
                    "(this canon reads version {known})"
                ).format(version=version, known=V1_VERSION),
                path=str(self.path),
                line=1,
                hint=_("Upgrade canon to use this file; canon will not change it meanwhile."),
            )
        if version < 1:
            raise self.fail(_("'version' must be 1, got {value}").format(value=version), "version")
        for key in doc:
            if key not in ("version", "entries"):
                raise self.fail(
                    _(
                        "unknown field {key!r} at the top level (expected 'version' and 'entries')"
                    ).format(key=key),
                    key,
                )
        entries = doc.get("entries")
        if entries is None:
            return {}
        if not isinstance(entries, dict):
            raise self.fail(_("'entries' must be a mapping of entry id to its record"), "entries")
        result: dict[str, V1Record] = {}
        for entry_id, record in entries.items():
            if not isinstance(entry_id, str) or not entry_id.strip():
                raise self.fail(
                    _("entry id {id!r} must be a non-empty string (quote it)").format(id=entry_id),
                    "entries",
                    entry_id,
                )
            result[entry_id] = self.entry(entry_id, record)
        return result

    def entry(self, entry_id: str, node: Any) -> V1Record:
        where = ("entries", entry_id)
        if node is None:
            node = {}
        if not isinstance(node, dict):
            raise self.fail(
                _("entry {id!r} must be a mapping of fields ({fields})").format(
                    id=entry_id, fields=", ".join(FIELDS)
                ),
                *where,
            )
        for key in node:
            if key not in FIELDS:
                raise self.fail(
                    _("entry {id!r}: unknown field {key!r} (expected: {fields})").format(
                        id=entry_id, key=key, fields=", ".join(FIELDS)
                    ),
                    *where,
                    key,
                )
        status = node.get("status", "unread")
        if status is None:
            status = "unread"
        if not isinstance(status, str) or status not in STATUSES:
            raise self.fail(
                _("entry {id!r}: status {value!r} is not one of {statuses}").format(
                    id=entry_id, value=status, statuses=", ".join(STATUSES)
                ),
                *where,
                "status",
            )
        rating = node.get("rating")
        if rating is not None and (
            isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5
        ):
            raise self.fail(
                _("entry {id!r}: rating must be a whole number from 1 to 5, got {value!r}").format(
                    id=entry_id, value=rating
                ),
                *where,
                "rating",
            )
        times = {
            key: self.time(f"entry {entry_id!r}: {key}", node.get(key), *where, key)
            for key in ("started", "finished", "updated")
        }
        notes = self.notes(entry_id, node.get("notes"))
        return V1Record(
            status, times["started"], times["finished"], rating, notes, times["updated"]
        )

    def notes(self, entry_id: str, node: Any) -> tuple[tuple[str, str], ...]:
        where = ("entries", entry_id, "notes")
        if node is None:
            return ()
        if not isinstance(node, list):
            raise self.fail(
                _("entry {id!r}: notes must be a list of {{at, text}} items").format(id=entry_id),
                *where,
            )
        notes = []
        for index, item in enumerate(node):
            label = _("entry {id!r}: note {n}").format(id=entry_id, n=index + 1)
            if not isinstance(item, dict):
                raise self.fail(label + _(" must be a mapping with 'at' and 'text'"), *where, index)
            for key in item:
                if key not in ("at", "text"):
                    raise self.fail(
                        label
                        + _(" has unknown field {key!r} (expected 'at' and 'text')").format(
                            key=key
                        ),
                        *where,
                        index,
                    )
            for key in ("at", "text"):
                if item.get(key) is None:
                    raise self.fail(label + _(" has no {key!r}").format(key=key), *where, index)
            if not isinstance(item["text"], str):
                raise self.fail(label + _(" text must be a string (quote it)"), *where, index)
            at = self.time(label + " 'at'", item["at"], *where, index)
            assert at is not None
            notes.append((at, item["text"]))
        return tuple(notes)

    def time(self, what: str, value: Any, *keys: str | int) -> str | None:
        if value is None:
            return None
        if not isinstance(value, datetime | date | str):
            raise self.fail(
                _("{what} must be a date-time like {example!r}").format(
                    what=what, example=EXAMPLE_TIMESTAMP
                ),
                *keys,
            )
        try:
            return to_instant(value)
        except (ValueError, OverflowError, OSError):
            raise self.fail(
                _("{what}: {value!r} is not an ISO 8601 date-time like {example!r}").format(
                    what=what, value=str(value), example=EXAMPLE_TIMESTAMP
                ),
                *keys,
            ) from None


def parse_v1(text: str, path: Path, hint: str | None = None) -> dict[str, V1Record]:
    """The records of a version-1 state file's text, or a ``StateError`` naming file and line."""
    from canon_cli.yamlio import load_yaml

    hint = hint or _("Fix the file by hand; canon will not change it.")

    def error(message: str, **where: Any) -> StateError:
        return StateError(message, hint=hint, **where)

    doc = load_yaml(text, str(path), error)  # type: ignore[arg-type]
    return _Check(text, path, hint).state(doc)


def read_v1(path: Path, hint: str | None = None) -> dict[str, V1Record]:
    from canon_cli.fileio import read_text

    return parse_v1(read_text(path, StateError), path, hint)


def note_id(entry: str, at: str, text: str) -> str:
    """A version-1 note's id: the same note in two files gets the same id."""
    from canon_cli.digest import hex_digest

    return hex_digest(f"{entry}\0{at}\0{text}".encode(), 6)


def _stamp(record: V1Record, fallback_ms: int) -> int:
    times = [t for t in (record.updated, record.started, record.finished) if t]
    times += [at for at, _text in record.notes]
    if record.updated:
        return instant_ms(record.updated)
    return max((instant_ms(t) for t in times), default=fallback_ms)


def v1_changes(
    records: dict[str, V1Record], device: str, op: str, fallback_ms: int
) -> list[Change]:
    """Every field of every record as a change stamped with the record's own time."""
    changes: list[Change] = []
    for entry, record in records.items():
        clock = Clock(_stamp(record, fallback_ms), 0)
        fields: list[tuple[str, Any]] = [
            ("status", None if record.status == "unread" else record.status),
            ("started", record.started),
            ("finished", record.finished),
            ("rating", record.rating),
        ]
        changes += [Change(entry, f, v, clock, device, op) for f, v in fields if v is not None]
        for at, text in record.notes:
            value = {"at": at, "text": text}
            field = NOTE_PREFIX + note_id(entry, at, text)
            changes.append(Change(entry, field, value, Clock(instant_ms(at), 0), device, op))
    return changes


def file_mtime_ms(path: Path) -> int:
    try:
        return os.stat(path).st_mtime_ns // 1_000_000
    except OSError:
        return 0


def migrate_file(store: StateStore, path: Path, records: dict[str, V1Record], now_ms: int) -> int:
    """Take a version-1 file's records into a store once; return how many changes were new.

    The file is only read. ``meta.migrated_from`` records it, so a second run (or a
    second process racing this one) takes in nothing.
    """
    op = new_op(f"migrate {path}")
    changes = v1_changes(records, store.device, op, file_mtime_ms(path) or now_ms)
    with store.transaction():
        if store.meta("migrated_from") is not None:
            return 0
        new = store.insert(changes, appended=False)
        store.set_meta("migrated_from", str(path))
    if new and store.hook is not None:
        store.hook.after_write(store)
    return new
