"""The reading state on disk: a hand-editable YAML file that canon never loses.

Writes happen under an exclusive lock, keep the user's comments and key order (the
file is edited as a round-trip YAML document, only changed entries are touched), keep
``<file>.bak`` as the last good content, replace the file atomically, and never clobber
an edit the user saved while canon was working. A file that does not validate is never
written: every writing command refuses with a ``StateError`` that names file and line.

Reads on every ``canon list`` go through a JSON snapshot in the cache keyed on a hash of
the file's bytes, so a warm run imports neither ruamel.yaml nor pydantic.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import stat
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from canon_cli import paths
from canon_cli.errors import BusyError, CanonError, CanonIOError, StateError
from canon_cli.fileio import (
    atomic_write_bytes,
    check_input_file,
    exclusive_lock,
    read_regular,
    temp_prefix,
)
from canon_cli.state.records import (
    MAX_RATING,
    MIN_RATING,
    STATE_VERSION,
    EntryState,
    Note,
    ReadingState,
    copy_state,
    merge_states,
    parse_timestamp,
)
from canon_cli.state.statuses import (
    MAX_SNAPSHOT_BYTES,
    digest,
    snapshot_key,
    snapshot_path,
    valid_row,
)
from canon_cli.vocab import STATUSES
from canon_cli.yamlio import check_events, guess_indent

T = TypeVar("T")

HEADER = "canon reading state: safe to edit by hand; canon keeps comments and order."
FIELDS = ("status", "started", "finished", "rating", "notes", "updated")
TIMESTAMP_FIELDS = ("started", "finished", "updated")
NOTE_FIELDS = ("at", "text")
MAX_STATE_BYTES = 64 * 1024 * 1024
WRITE_ATTEMPTS = 5
EXAMPLE_TIMESTAMP = "2026-11-21T09:00:00+00:00"


# ---------------------------------------------------------------------------
# Reading bytes


@dataclass(frozen=True)
class _Seen:
    """The file's bytes and identity, as read; compared again just before a write."""

    data: bytes
    exists: bool
    size: int
    mtime_ns: int
    digest: str


def _digest(data: bytes) -> str:
    return digest(data)


def _read(path: Path) -> _Seen:
    try:
        # O_NONBLOCK: a FIFO at the path must not hang the command (refused below).
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (FileNotFoundError, NotADirectoryError):  # no state yet (or none can exist)
        return _Seen(b"", exists=False, size=0, mtime_ns=0, digest=_digest(b""))
    except OSError as exc:
        raise CanonIOError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise StateError("is not a regular file", path=str(path))
        if st.st_size > MAX_STATE_BYTES:
            raise StateError(
                f"the file is {st.st_size} bytes, over the {MAX_STATE_BYTES}-byte limit",
                path=str(path),
                hint=_recovery_hint(path),
            )
        with open(fd, "rb", closefd=False) as fh:
            data = fh.read(MAX_STATE_BYTES + 1)
    except OSError as exc:
        raise CanonIOError(f"cannot read {path}: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    if len(data) > MAX_STATE_BYTES:
        raise StateError("the file grew over the size limit while being read", path=str(path))
    return _Seen(data, True, st.st_size, st.st_mtime_ns, _digest(data))


def backup_path(path: Path) -> Path:
    """Where the last good content is kept: ``state.yaml.bak`` beside the file."""
    return path.with_name(path.name + ".bak")


def _recovery_hint(path: Path) -> str:
    backup = backup_path(path)
    if backup.is_file():
        return (
            f"Fix the file by hand, or restore the last good copy: cp {backup} {path}\n"
            "canon will not change the file until it is valid."
        )
    return "Fix the file by hand; canon will not change it until it is valid."


# ---------------------------------------------------------------------------
# Parsing and validation (by hand: pydantic would cost start-up time)


def _yaml(mapping: int = 2, sequence: int = 4, offset: int = 2) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


class _Checker:
    """Turns a round-trip YAML document into a ReadingState, or raises StateError."""

    def __init__(self, path: Path, hint: str) -> None:
        self.path = path
        self.hint = hint

    def fail(self, message: str, line: int | None) -> StateError:
        return StateError(message, path=str(self.path), line=line, hint=self.hint)

    @staticmethod
    def key_line(node: Any, key: Any) -> int | None:
        """1-based line of a mapping key; None where ruamel has no position (merge keys)."""
        try:
            return int(node.lc.key(key)[0]) + 1
        except (AttributeError, KeyError, IndexError, TypeError):
            return _Checker.node_line(node)

    @staticmethod
    def item_line(node: Any, index: int) -> int | None:
        try:
            return int(node.lc.item(index)[0]) + 1
        except (AttributeError, KeyError, IndexError, TypeError):
            return _Checker.node_line(node)

    @staticmethod
    def node_line(node: Any) -> int | None:
        try:
            return int(node.lc.line) + 1
        except (AttributeError, TypeError):
            return None

    def state(self, doc: Any) -> ReadingState:
        if doc is None:
            return ReadingState()
        if not isinstance(doc, dict):
            raise self.fail(
                "the file must be a mapping with 'version' and 'entries'", self.node_line(doc) or 1
            )
        self.version(doc)
        for key in doc:
            if key not in ("version", "entries"):
                raise self.fail(
                    f"unknown field {key!r} at the top level (expected 'version' and 'entries')",
                    self.key_line(doc, key),
                )
        entries_node = doc.get("entries")
        entries: dict[str, EntryState] = {}
        if entries_node is None:
            return ReadingState(entries=entries)
        if not isinstance(entries_node, dict):
            raise self.fail(
                "'entries' must be a mapping of entry id to its record",
                self.key_line(doc, "entries"),
            )
        for entry_id, record in entries_node.items():
            line = self.key_line(entries_node, entry_id)
            if not isinstance(entry_id, str) or not entry_id.strip():
                raise self.fail(
                    f"entry id {entry_id!r} must be a non-empty string (quote it)", line
                )
            entries[str(entry_id)] = self.entry(str(entry_id), record, line)
        return ReadingState(entries=entries)

    def version(self, doc: Any) -> None:
        if "version" not in doc:
            return  # a hand-written file may leave it out; canon adds it on the next write
        value = doc["version"]
        line = self.key_line(doc, "version")
        if not _is_int(value):
            raise self.fail(f"'version' must be a whole number, got {value!r}", line)
        if value > STATE_VERSION:
            raise StateError(
                f"the file has version {value}, written by a newer canon "
                f"(this canon reads version {STATE_VERSION})",
                path=str(self.path),
                line=line,
                hint="Upgrade canon to use this file; canon will not change it meanwhile.",
            )
        if value < 1:
            raise self.fail(f"'version' must be {STATE_VERSION}, got {value}", line)

    def entry(self, entry_id: str, node: Any, line: int | None) -> EntryState:
        if node is None:
            return EntryState()
        if not isinstance(node, dict):
            raise self.fail(
                f"entry {entry_id!r} must be a mapping of fields ({', '.join(FIELDS)})", line
            )
        record = EntryState()
        for key, value in node.items():
            where = self.key_line(node, key)
            if key not in FIELDS:
                raise self.fail(
                    f"entry {entry_id!r}: unknown field {key!r} (expected: {', '.join(FIELDS)})",
                    where,
                )
            if value is None and key != "status":
                continue
            if key == "status":
                if not isinstance(value, str) or value not in STATUSES:
                    raise self.fail(
                        f"entry {entry_id!r}: status {value!r} is not one of {', '.join(STATUSES)}",
                        where,
                    )
                record.status = str(value)
            elif key == "rating":
                if not _is_int(value) or not MIN_RATING <= value <= MAX_RATING:
                    raise self.fail(
                        f"entry {entry_id!r}: rating must be a whole number from "
                        f"{MIN_RATING} to {MAX_RATING}, got {value!r}",
                        where,
                    )
                record.rating = int(value)
            elif key == "notes":
                record.notes = self.notes(entry_id, value, where)
            else:
                setattr(record, key, self.timestamp(f"entry {entry_id!r}: {key}", value, where))
        return record

    def notes(self, entry_id: str, node: Any, line: int | None) -> list[Note]:
        if not isinstance(node, list):
            raise self.fail(f"entry {entry_id!r}: notes must be a list of {{at, text}} items", line)
        notes: list[Note] = []
        for index, item in enumerate(node):
            where = self.item_line(node, index)
            if not isinstance(item, dict):
                raise self.fail(
                    f"entry {entry_id!r}: note {index + 1} must be a mapping with 'at' and 'text'",
                    where,
                )
            for key in item:
                if key not in NOTE_FIELDS:
                    raise self.fail(
                        f"entry {entry_id!r}: note {index + 1} has unknown field {key!r} "
                        "(expected 'at' and 'text')",
                        self.key_line(item, key),
                    )
            for key in NOTE_FIELDS:
                if item.get(key) is None:
                    raise self.fail(f"entry {entry_id!r}: note {index + 1} has no {key!r}", where)
            text = item["text"]
            if not isinstance(text, str):
                raise self.fail(
                    f"entry {entry_id!r}: note {index + 1} text must be a string (quote it)",
                    self.key_line(item, "text"),
                )
            at = self.timestamp(
                f"entry {entry_id!r}: note {index + 1} 'at'", item["at"], self.key_line(item, "at")
            )
            notes.append(Note(at=at, text=str(text)))
        return notes

    def timestamp(self, what: str, value: Any, line: int | None) -> str:
        """Quoted ISO text is kept as written; a YAML timestamp typed unquoted is converted."""
        if isinstance(value, datetime | date):
            text = value.isoformat()
        elif isinstance(value, str):
            text = str(value)
        else:
            raise self.fail(f"{what} must be a date-time like {EXAMPLE_TIMESTAMP!r}", line)
        try:
            parse_timestamp(text)
        except (ValueError, OverflowError, OSError):
            raise self.fail(
                f"{what}: {text!r} is not an ISO 8601 date-time like {EXAMPLE_TIMESTAMP!r}",
                line,
            ) from None
        return text


def _is_int(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    from ruamel.yaml.scalarbool import ScalarBoolean

    return not isinstance(value, ScalarBoolean)


def _decode(data: bytes, path: Path, hint: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise StateError(
            "the file is not UTF-8 text", path=str(path), line=line, hint=hint
        ) from None


def _check_depth(text: str, path: Path, hint: str) -> None:
    """Refuse deep nesting and aliases before the round-trip loader sees them: that
    loader takes seconds on a few thousand ``[`` (and recurses), and expands aliases
    (canon never writes one, so a state file with aliases came from elsewhere).
    The same bounded event walk as for catalogs (C parser, fast)."""
    check_events(text, str(path), functools.partial(StateError, hint=hint), max_aliases=0)


def _parse(data: bytes, path: Path, hint: str | None = None) -> tuple[Any, ReadingState]:
    """The round-trip document (None for an empty file) and the validated state."""
    hint = _recovery_hint(path) if hint is None else hint
    text = _decode(data, path, hint)
    if not text.strip():
        return None, ReadingState()
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    _check_depth(text, path, hint)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. a reused anchor: valid YAML, not news
            doc = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise StateError(
            f"the file is not valid YAML: {problem}", path=str(path), line=line, hint=hint
        ) from None
    except YAMLError as exc:
        raise StateError(f"the file is not valid YAML: {exc}", path=str(path), hint=hint) from None
    except RecursionError:
        raise StateError("the file is nested too deeply", path=str(path), hint=hint) from None
    except (ValueError, OverflowError) as exc:
        # ruamel builds dates itself and lets Python's errors through (e.g. 2026-02-30).
        raise StateError(
            f"the file has a value YAML cannot read: {exc}", path=str(path), hint=hint
        ) from None
    return doc, _Checker(path, hint).state(doc)


def load_state(path: Path) -> ReadingState:
    """Read and fully validate the state file (no cache); a missing file is an empty state."""
    seen = _read(path)
    return _parse(seen.data, path)[1]


# ---------------------------------------------------------------------------
# The fast read path: a JSON snapshot keyed on the file's hash


def _snapshot_key(content_digest: str) -> str:
    return snapshot_key(content_digest)


def _state_to_json(state: ReadingState) -> list[Any]:
    return [
        [
            entry_id,
            r.status,
            r.started,
            r.finished,
            r.rating,
            [[n.at, n.text] for n in r.notes],
            r.updated,
        ]
        for entry_id, r in state.entries.items()
    ]


def _opt_str(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ValueError("bad snapshot value")


def _state_from_json(rows: Any) -> ReadingState:
    """Rebuild a state from snapshot rows; ValueError on any unexpected shape."""
    if not isinstance(rows, list):
        raise ValueError("bad snapshot")
    entries: dict[str, EntryState] = {}
    for row in rows:
        if not valid_row(row):
            raise ValueError("bad snapshot row")
        entry_id, status, started, finished, rating, notes, updated = row
        entries[entry_id] = EntryState(
            status=status,
            started=_opt_str(started),
            finished=_opt_str(finished),
            rating=rating,
            notes=[Note(at=at, text=text) for at, text in notes],
            updated=_opt_str(updated),
        )
    return ReadingState(entries=entries)


def _snapshot_path() -> Path:
    return snapshot_path()


def _load_snapshot(key: str) -> ReadingState | None:
    try:
        raw = read_regular(_snapshot_path(), MAX_SNAPSHOT_BYTES)
        blob = json.loads(raw)
        if not isinstance(blob, dict) or blob.get("key") != key:
            return None
        return _state_from_json(blob.get("entries"))
    except (OSError, ValueError, RecursionError):
        return None  # missing, unreadable or corrupt: rebuild it


def _save_snapshot(key: str, state: ReadingState) -> None:
    blob = {"key": key, "entries": _state_to_json(state)}
    data = json.dumps(blob, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # The snapshot only saves time: failing to store it must not fail the command.
    with contextlib.suppress(CanonError):
        atomic_write_bytes(_snapshot_path(), data, durable=False)


def load_state_fast(path: Path) -> ReadingState:
    """The validated state, from the snapshot when the file is unchanged since last time."""
    seen = _read(path)
    if not seen.exists:
        return ReadingState()
    key = _snapshot_key(seen.digest)
    cached = _load_snapshot(key)
    if cached is not None:
        return cached
    state = _parse(seen.data, path)[1]
    _save_snapshot(key, state)
    return state


def read_statuses(path: Path) -> dict[str, str]:
    """Every recorded entry's status (ids the state does not mention are unread)."""
    return {entry_id: r.status for entry_id, r in load_state_fast(path).entries.items()}


# ---------------------------------------------------------------------------
# Writing: changed entries applied into the round-trip document


def _scalar(field: str, value: Any) -> Any:
    if field in TIMESTAMP_FIELDS or field == "at":
        from ruamel.yaml.scalarstring import SingleQuotedScalarString

        return SingleQuotedScalarString(value)
    return value


def _text(value: str) -> Any:
    """A string as YAML writes it back unchanged: characters YAML would read as line
    breaks or drop (NEL, LS, PS, BOM, controls) or edge spaces force double quotes,
    where they are escaped; anything else is left to ruamel's choice of style."""
    if value != value.strip(" ") or any(
        not ch.isprintable() or ch in "\x85\u2028\u2029\ufeff" for ch in value
    ):
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        return DoubleQuotedScalarString(value)
    return value


def _absent(field: str, value: Any) -> bool:
    """Fields left out of the file when they hold nothing."""
    return field != "status" and (value is None or value == [])


def _note_node(note: Note) -> Any:
    from ruamel.yaml.comments import CommentedMap

    node = CommentedMap()
    node["at"] = _scalar("at", note.at)
    node["text"] = _text(note.text)
    return node


def _notes_node(notes: list[Note]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq([_note_node(n) for n in notes])


def _field_node(field: str, value: Any) -> Any:
    return _notes_node(value) if field == "notes" else _scalar(field, value)


def _entry_node(record: EntryState) -> Any:
    from ruamel.yaml.comments import CommentedMap

    node = CommentedMap()
    for field in FIELDS:
        value = getattr(record, field)
        if not _absent(field, value):
            node[field] = _field_node(field, value)
    return node


def _is_block(node: Any) -> bool:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    return (
        isinstance(node, CommentedMap | CommentedSeq)
        and len(node) > 0
        and node.fa.flow_style() is not True
    )


def _leaf_slot(container: Any, key: Any) -> tuple[Any, Any, int]:
    """Where ruamel keeps the comment lines that follow ``container[key]``'s last line.

    ruamel attaches comment lines to the last scalar above them, so the comment before
    entry B lives inside entry A (on A's deepest last value). Returns the owner, the key
    or index, and the slot index in ``owner.ca.items[key]``.
    """
    from ruamel.yaml.comments import CommentedMap

    value = container[key]
    while _is_block(value):
        container = value
        key = list(value.keys())[-1] if isinstance(value, CommentedMap) else len(value) - 1
        value = container[key]
    return container, key, 2 if isinstance(container, CommentedMap) else 0


def _take_trailing(container: Any, key: Any) -> Any:
    """Detach the full-line comments after ``container[key]`` (keeping an end-of-line
    comment in place) so they can be put back after whatever is appended there."""
    import copy

    owner, slot_key, index = _leaf_slot(container, key)
    slot = owner.ca.items.get(slot_key)
    if not slot or len(slot) <= index or slot[index] is None:
        return None
    token = slot[index]
    value = token.value
    if not isinstance(value, str):
        return None
    if value.startswith("\n"):
        slot[index] = None
        return token
    if value.startswith("#") and "\n" in value:
        eol, rest = value.split("\n", 1)
        if not rest:
            return None
        moved = copy.copy(token)
        moved.value = "\n" + rest
        token.value = eol + "\n"
        return moved
    return None


def _put_trailing(container: Any, key: Any, token: Any) -> None:
    if token is None:
        return
    owner, slot_key, index = _leaf_slot(container, key)
    slot = owner.ca.items.setdefault(slot_key, [None, None, None, None])
    while len(slot) <= index:
        slot.append(None)
    existing = slot[index]
    if existing is None or not isinstance(existing.value, str):
        slot[index] = token
    elif existing.value.endswith("\n"):
        existing.value = existing.value + token.value[1:]
    else:
        existing.value = existing.value + token.value


def _last_key(node: Any) -> Any:
    return list(node.keys())[-1] if len(node) else None


def _append_items(node: Any, items: list[tuple[Any, Any]]) -> None:
    """Append keys to a mapping, keeping the comments that followed its last line last."""
    if not items:
        return
    last = _last_key(node)
    moved = _take_trailing(node, last) if last is not None and _is_block(node) else None
    for key, value in items:
        node[key] = value
    _put_trailing(node, _last_key(node), moved)


def _apply_notes(node: Any, old: list[Note], new: list[Note]) -> None:
    from ruamel.yaml.comments import CommentedSeq

    current = node.get("notes")
    appended = (
        isinstance(current, CommentedSeq)
        and current.fa.flow_style() is not True
        and len(current) == len(old) > 0
        and new[: len(old)] == old
    )
    if not appended:
        node["notes"] = _notes_node(new)
        return
    moved = _take_trailing(current, len(current) - 1)
    for note in new[len(old) :]:
        current.append(_note_node(note))
    _put_trailing(current, len(current) - 1, moved)


def _apply_entry(node: Any, old: EntryState, new: EntryState) -> None:
    """Change only the fields that differ, in place, so comments on the rest survive."""
    for field in FIELDS:
        before, after = getattr(old, field), getattr(new, field)
        if before == after:
            continue
        if _absent(field, after):
            if field in node:
                del node[field]
        elif field in node:
            if field == "notes":
                _apply_notes(node, old.notes, new.notes)
            else:
                node[field] = _field_node(field, after)
        else:
            position = FIELDS.index(field)
            keys = list(node.keys())
            later = [i for i, k in enumerate(keys) if k in FIELDS[position + 1 :]]
            if not later:
                _append_items(node, [(field, _field_node(field, after))])
                continue
            # Comment lines above the next key belong above it, so they move below the
            # inserted one (ruamel keeps them on the key before).
            moved = _take_trailing(node, keys[later[0] - 1]) if later[0] > 0 else None
            node.insert(later[0], field, _field_node(field, after))
            _put_trailing(node, field, moved)


def _apply(doc: Any, before: ReadingState, after: ReadingState) -> None:
    from ruamel.yaml.comments import CommentedMap

    if "version" not in doc:
        doc.insert(0, "version", STATE_VERSION)
    entries = doc.get("entries")
    if not isinstance(entries, CommentedMap):
        entries = CommentedMap()
        doc["entries"] = entries
    for entry_id in before.entries:
        if entry_id not in after.entries and entry_id in entries:
            _delete_entry(entries, entry_id)
    added: list[tuple[Any, Any]] = []
    for entry_id, record in after.entries.items():
        old = before.entries.get(entry_id)
        if old == record:
            continue
        node = entries.get(entry_id) if entry_id in entries else None
        if old is None or not isinstance(node, CommentedMap):
            if entry_id in entries:
                entries[entry_id] = _entry_node(record)
            else:
                added.append((_text(entry_id), _entry_node(record)))
            continue
        last = _last_key(node)
        moved = _take_trailing(entries, entry_id) if last is not None else None
        _apply_entry(node, old, record)
        if len(node):
            _put_trailing(entries, entry_id, moved)
    _append_items(entries, added)


def _delete_entry(entries: Any, entry_id: Any) -> None:
    keys = list(entries.keys())
    index = keys.index(entry_id)
    moved = _take_trailing(entries, entry_id) if _is_block(entries) else None
    del entries[entry_id]
    if moved is not None and index > 0:
        _put_trailing(entries, keys[index - 1], moved)


def _dump(doc: Any, indent: tuple[int, int, int]) -> bytes:
    stream = io.StringIO()
    _yaml(*indent).dump(doc, stream)
    return stream.getvalue().encode("utf-8")


def _clean_document(state: ReadingState, header: str) -> Any:
    from ruamel.yaml.comments import CommentedMap

    doc = CommentedMap()
    doc["version"] = STATE_VERSION
    entries = CommentedMap()
    for entry_id, record in state.entries.items():
        entries[_text(entry_id)] = _entry_node(record)
    doc["entries"] = entries
    doc.yaml_set_start_comment(header)
    return doc


def dump_state(state: ReadingState) -> str:
    """The state as a clean, commented YAML file (what ``export`` writes)."""
    return _dump(_clean_document(state, HEADER), (2, 4, 2)).decode("utf-8")


def _comment_lines(text: str) -> str | None:
    """A comment-only file's comments, to keep them above the first state canon writes."""
    kept = [line[1:].removeprefix(" ").rstrip() for line in text.splitlines() if line[:1] == "#"]
    return "\n".join(kept) if kept else None


def _render(
    seen: _Seen, doc: Any, before: ReadingState, after: ReadingState, path: Path, *, clean: bool
) -> bytes:
    """The new file content, checked to read back as exactly ``after``.

    Normally the changes go into the user's document; if that does not read back as
    ``after`` (odd YAML such as anchors shared between entries), or ``clean`` is asked
    for, the file is written afresh: the data is what matters, the comments come second.
    """
    from ruamel.yaml.error import YAMLError

    text = seen.data.decode("utf-8-sig")
    if not clean and isinstance(doc, dict):
        try:
            _apply(doc, before, after)
            data = _dump(doc, guess_indent(text))
            if _parse(data, path)[1] == after:
                return data
        except (StateError, YAMLError, ValueError, TypeError, AttributeError, KeyError):
            # ruamel's comment and anchor structures are internal and vary with the
            # document; if editing them in place fails, the verified clean rewrite below
            # keeps every record (the comments survive in the .bak copy).
            pass
    header = _comment_lines(text) if doc is None and not clean else None
    data = _dump(_clean_document(after, header or HEADER), (2, 4, 2))
    try:
        readback = _parse(data, path)[1]
    except StateError as exc:
        readback = None
        problem = str(exc)
    else:
        problem = "it reads back differently"
    if readback != after:
        raise RuntimeError(f"canon bug: the new state for {path} is not valid ({problem})")
    return data


def _remove_stale_temps(path: Path) -> None:
    """Temp files a killed writer left beside the state (only writers under the lock make
    them, and we hold it, so any that exist are orphans)."""
    prefix = temp_prefix(path)
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        if name.startswith(prefix) and name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                os.unlink(path.parent / name)


def _write_locked(path: Path, mutate: Callable[[ReadingState], T], *, clean: bool) -> T:
    with exclusive_lock(paths.lock_path()):
        _remove_stale_temps(path)
        for _attempt in range(WRITE_ATTEMPTS):
            seen = _read(path)
            doc, before = _parse(seen.data, path)
            after = copy_state(before)
            result = mutate(after)
            if after == before:
                return result
            data = _render(seen, doc, before, after, path, clean=clean)
            if _read(path) != seen:
                continue  # edited by hand meanwhile: start again from the new content
            if seen.exists and seen.data.strip():
                atomic_write_bytes(backup_path(path), seen.data)
                if _read(path) != seen:
                    continue
            atomic_write_bytes(path, data)
            _save_snapshot(_snapshot_key(_digest(data)), after)  # the next read is warm
            return result
    raise BusyError(
        f"{path} kept changing while canon tried to update it; nothing was written",
        hint="Save and close the file in your editor, then run the command again.",
    )


def update_state(path: Path, mutate: Callable[[ReadingState], T]) -> T:
    """Change the state file safely and return what ``mutate`` returned.

    ``mutate`` gets the current, validated state and changes it in place. It may be
    called more than once (when the file is edited by hand meanwhile, canon starts over
    from the new content), so it must only change the state it is given. Only entries
    that changed are rewritten; the user's comments and order stay. If nothing changed,
    nothing is written. Raises StateError (file invalid: not touched), BusyError (lock
    held too long), CanonIOError (the disk refused; the file is as it was).
    """
    return _write_locked(path, mutate, clean=False)


# ---------------------------------------------------------------------------
# Sync between machines


def _load_other(src: Path) -> ReadingState:
    check_input_file(src)
    seen = _read(src)
    hint = f"Fix {src}, or export it again from the other machine."
    return _parse(seen.data, src, hint)[1]


def export_state(path: Path, dest: Path, force: bool = False) -> int:
    """Write the state to ``dest`` as clean YAML; return the number of entries written.

    Refuses to overwrite an existing ``dest`` unless ``force``.
    """
    from canon_cli.fileio import check_output_path, write_output_file

    state = load_state(path)
    check_output_path(dest, force)
    write_output_file(dest, dump_state(state).encode("utf-8"), force)
    return len(state.entries)


def import_state(path: Path, src: Path) -> int:
    """Replace the whole state with ``src`` (validated first); return its entry count.

    The previous content is kept in ``<state>.bak``.
    """
    incoming = _load_other(src)

    def replace(state: ReadingState) -> None:
        state.version = incoming.version
        state.entries = copy_state(incoming).entries

    _write_locked(path, replace, clean=True)
    return len(incoming.entries)


def merge_state_file(path: Path, src: Path) -> int:
    """Merge ``src`` into the state (newest record per entry wins); return how many
    entries changed or were added. Writes only if something changed."""
    incoming = _load_other(src)

    def merge(state: ReadingState) -> int:
        merged = merge_states(state, incoming)
        changed = sum(1 for k, r in merged.entries.items() if state.entries.get(k) != r)
        state.entries = merged.entries
        return changed

    return update_state(path, merge)
