"""Moving the state between machines by file: export, import (replace) and merge.

``state export`` writes a readable YAML of the current state; each entry carries
``stamps``, the clock and device that last set each field, so ``state merge`` of an
export merges by field exactly as syncing the journal would. ``--format journal``
writes every change as JSON lines (the sync folder's format). ``state merge`` and
``state import`` take either, or a version-1 ``state.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from canon_cli.errors import StateError, UsageError
from canon_cli.i18n import _, ngettext
from canon_cli.state.changes import (
    FIELDS,
    NOTE_PREFIX,
    Change,
    Clock,
    JournalLineError,
    from_line,
    to_line,
)
from canon_cli.state.fold import EntryState, fold, instant, local_minute, to_instant
from canon_cli.state.store import FieldSet, StateStore, new_op

EXPORT_VERSION = 2
HEADER = """\
canon reading state, exported {at} from device {device}.
Import it with 'canon state import FILE' or merge it with 'canon state merge FILE'.
'stamps' record when each field was last set (clock and device), so a merge keeps
the newest value of every field; a field you add by hand without a stamp counts as
set when this file was exported."""


# --- reading the fold by stored key -------------------------------------------------


def entry_records(store: StateStore, entries: Iterable[str] | None = None) -> dict[str, EntryState]:
    """Records by the key the state holds them under (no catalog, no aliases)."""
    fields: dict[str, list[tuple[str, Any]]] = {}
    for row in sorted(store.rows(entries), key=lambda r: (r.clock, r.device, r.field)):
        fields.setdefault(row.entry, []).append((row.field, row.value))
    found = {entry: fold(pairs) for entry, pairs in fields.items()}
    return {entry: record for entry, record in found.items() if record != EntryState()}


# --- export -------------------------------------------------------------------------


def export_document(store: StateStore, now_ms: int) -> dict[str, Any]:
    entries: dict[str, dict[str, Any]] = {}
    for row in store.rows():
        node = entries.setdefault(row.entry, {})
        stamps = node.setdefault("stamps", {})
        stamps[row.field] = f"{row.clock.text()} {row.device}"
        if row.value is None:
            continue
        if row.field.startswith(NOTE_PREFIX) and isinstance(row.value, dict):
            note = {"id": row.field[len(NOTE_PREFIX) :], **row.value}
            node.setdefault("notes", []).append(note)
        else:
            node[row.field] = row.value
    ordered: dict[str, Any] = {}
    for entry, node in entries.items():
        out = {k: node[k] for k in (*FIELDS, "notes") if k in node}
        if "notes" in out:
            out["notes"] = sorted(out["notes"], key=lambda n: (str(n.get("at", "")), n["id"]))
        out["stamps"] = dict(sorted(node["stamps"].items()))
        ordered[entry] = out
    return {
        "version": EXPORT_VERSION,
        "device": store.device,
        "exported": instant(now_ms),
        "entries": ordered,
    }


def export_yaml(store: StateStore, now_ms: int) -> str:
    from canon_cli.yamlio import dump_yaml

    doc = export_document(store, now_ms)
    header = HEADER.format(at=doc["exported"], device=doc["device"])
    return "".join(f"# {line}\n" for line in header.splitlines()) + dump_yaml(doc)


def export_journal(store: StateStore) -> str:
    return "".join(to_line(change) + "\n" for change in store.journal())


# --- reading a file -----------------------------------------------------------------


class Incoming(NamedTuple):
    """What a state file holds: changes, and the kind of file it was."""

    changes: list[Change]
    kind: str  # "export", "journal" or "version-1 state"
    entries: int


def _hint(path: Path) -> str:
    return _("Fix {path}, or export it again from the other machine.").format(path=path)


def read_state_file(path: Path, now_ms: int) -> Incoming:
    """The changes in an export, a journal or a version-1 state file; anything else
    (an empty file, ``{}``, another YAML document) is a ``StateError``."""
    from canon_cli.fileio import read_text

    if not path.exists() and not path.is_symlink():
        raise UsageError(_("no such file: {path}").format(path=path))
    if path.is_dir():
        raise UsageError(
            _("{path}: is a directory, not a file").format(path=path), hint=_("Give a file name.")
        )
    text = read_text(path, StateError)
    stripped = text.lstrip()
    if not stripped:
        raise StateError(_("the file is empty, not a canon state"), path=str(path))
    op = new_op(f"merge {path.name}")
    if stripped.startswith("{") and '"v"' in stripped.split("\n", 1)[0]:
        return _journal(text, path)
    from canon_cli.yamlio import load_yaml

    def error(message: str, **where: Any) -> StateError:
        return StateError(message, hint=_hint(path), **where)

    doc = load_yaml(text, str(path), error)  # type: ignore[arg-type]
    if not isinstance(doc, dict) or "entries" not in doc:
        raise StateError(
            _("not a canon state file (it has no 'entries')"),
            path=str(path),
            hint=_("Give a file written by 'canon state export', or a canon state.yaml."),
        )
    if doc.get("version") == EXPORT_VERSION:
        changes = _export_changes(doc, path, op, now_ms)
        return Incoming(changes, "export", len(doc.get("entries") or {}))
    from canon_cli.state.migrate import file_mtime_ms, parse_v1, v1_changes

    records = parse_v1(text, path, _hint(path))
    v1_device = _file_device(path)
    changes = v1_changes(records, v1_device, op, file_mtime_ms(path) or now_ms)
    return Incoming(changes, "version-1 state", len(records))


def _file_device(path: Path) -> str:
    """A stand-in device id for a file without one (the same for the same file)."""
    from canon_cli.digest import hex_digest

    return hex_digest(str(path.resolve()).encode(), 8)


def _journal(text: str, path: Path) -> Incoming:
    changes = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            changes.append(from_line(line))
        except JournalLineError as exc:
            raise StateError(str(exc), path=str(path), line=number, hint=_hint(path)) from None
    return Incoming(changes, "journal", len({c.entry for c in changes}))


def _stamp(text: object, where: str, path: Path) -> tuple[Clock, str]:
    clock, _sep, device = str(text).partition(" ")
    try:
        if not device:
            raise ValueError(text)
        return Clock.parse(clock), device
    except ValueError:
        raise StateError(
            _("{where}: stamp {text!r} is not 'CLOCK DEVICE'").format(where=where, text=text),
            path=str(path),
            hint=_hint(path),
        ) from None


def _export_changes(doc: dict[str, Any], path: Path, op: str, now_ms: int) -> list[Change]:
    from canon_cli.state.migrate import note_id

    device = str(doc.get("device") or _file_device(path))
    try:
        exported = Clock(int(_ms(doc.get("exported"), now_ms)), 0)
    except ValueError:
        exported = Clock(now_ms, 0)
    entries = doc.get("entries") or {}
    if not isinstance(entries, dict):
        raise StateError(_("'entries' must be a mapping"), path=str(path), hint=_hint(path))
    changes: list[Change] = []
    for entry, node in entries.items():
        fields = _entry_fields(str(entry), node, path, note_id)
        stamps = node.get("stamps") or {} if isinstance(node, dict) else {}
        if not isinstance(stamps, dict):
            raise StateError(
                _("entry {id!r}: 'stamps' must be a mapping").format(id=entry), path=str(path)
            )
        for field in set(fields) | {str(f) for f in stamps}:
            if field not in FIELDS and not field.startswith(NOTE_PREFIX):
                raise StateError(
                    _("entry {id!r}: unknown field {field!r}").format(id=entry, field=field),
                    path=str(path),
                    hint=_hint(path),
                )
            clock, by = (
                _stamp(stamps[field], f"entry {entry!r}", path)
                if field in stamps
                else (exported, device)
            )
            changes.append(Change(str(entry), field, fields.get(field), clock, by, op))
    return changes


def _ms(value: object, default: int) -> int:
    from canon_cli.state.fold import instant_ms

    return instant_ms(str(value)) if value else default


def _entry_fields(entry: str, node: Any, path: Path, note_id: Any) -> dict[str, Any]:
    """The values an exported entry shows, checked; notes keyed ``note:<id>``."""
    from canon_cli.state import rules

    def fail(message: str) -> StateError:
        return StateError(f"entry {entry!r}: {message}", path=str(path), hint=_hint(path))

    if not isinstance(node, dict):
        raise fail(_("must be a mapping of fields"))
    values: dict[str, Any] = {}
    for key, value in node.items():
        if key == "stamps" or value is None:
            continue
        try:
            if key == "status":
                rules.check_status(str(value))
                values[key] = None if value == "unread" else str(value)
            elif key == "rating":
                values[key] = rules.check_rating(value)
            elif key in ("started", "finished"):
                values[key] = _instant(value)
            elif key == "notes":
                values.update(_notes(entry, value, note_id))
            else:
                raise fail(_("unknown field {key!r}").format(key=key))
        except (UsageError, ValueError, TypeError, OverflowError) as exc:
            raise fail(f"{key}: {exc}") from None
    return values


def _instant(value: Any) -> str:
    """A time of the file as canon's stored instant; a ValueError that shows the value."""
    try:
        return to_instant(value if not isinstance(value, int) else str(value))
    except (ValueError, TypeError, OverflowError):
        raise ValueError(_("{value!r} is not a date-time").format(value=str(value))) from None


def _notes(entry: str, value: Any, note_id: Any) -> dict[str, Any]:
    if not isinstance(value, list):
        raise ValueError(_("notes must be a list of {id, at, text} items"))
    found: dict[str, Any] = {}
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ValueError(_("each note needs a 'text'"))
        if item.get("at") is None:
            raise ValueError(_("each note needs an 'at' time"))
        at = _instant(item["at"])
        ident = str(item.get("id") or note_id(entry, at, item["text"]))
        found[NOTE_PREFIX + ident] = {"at": at, "text": item["text"]}
    return found


# --- merge and import ---------------------------------------------------------------


class Report(NamedTuple):
    new_changes: int
    lines: list[str]  # one per entry that changed, e.g. "lora: rating 5 from a.yaml"
    entries: int  # entries in the file


def merge_file(open_state: Callable[[], StateStore], path: Path, now_ms: int) -> Report:
    """Merge a file into the state by field; what changed, entry by entry. The state is
    opened only once the file has been read and checked."""
    incoming = read_state_file(path, now_ms)
    store = open_state()
    touched = {c.entry for c in incoming.changes}
    before = entry_records(store, touched)
    new = store.apply(incoming.changes, appended=False, command=new_op(f"state merge {path.name}"))
    after = entry_records(store, touched)
    lines = [
        line
        for entry in sorted(touched)
        if (line := describe(entry, before.get(entry, EntryState()), after.get(entry), path.name))
    ]
    return Report(new, lines, incoming.entries)


def replace_with_file(
    open_state: Callable[[], StateStore], path: Path, backup: Path, now_ms: int
) -> Report:
    """Make the state equal to the file's (a backup of the database is kept first)."""
    incoming = read_state_file(path, now_ms)
    store = open_state()
    target: dict[tuple[str, str], Change] = {}
    for change in incoming.changes:
        key = (change.entry, change.field)
        if key not in target or change.key() > target[key].key():
            target[key] = change
    store.backup(backup)

    def compute(s: StateStore) -> list[FieldSet]:
        sets: list[FieldSet] = [(e, f, c.value) for (e, f), c in target.items()]
        sets += [(r.entry, r.field, None) for r in s.rows() if (r.entry, r.field) not in target]
        return sets

    before = entry_records(store)
    changes = store.write(new_op(f"state import {path.name}"), compute, now_ms)
    after = entry_records(store)
    lines = [
        line
        for entry in sorted(set(before) | set(after))
        if (line := describe(entry, before.get(entry, EntryState()), after.get(entry), path.name))
    ]
    return Report(len(changes), lines, incoming.entries)


def _show(field: str, value: object) -> str:
    if value is None:
        return _("{field} cleared").format(field=field)
    if field in ("started", "finished"):
        return f"{field} {local_minute(str(value))}"
    return f"{field} {value}"


def describe(entry: str, before: EntryState, after: EntryState | None, source: str) -> str | None:
    """One line saying what a merge changed on an entry, or None if nothing did."""
    after = after or EntryState()
    parts = [
        _show(field, getattr(after, field))
        for field in ("status", "started", "finished", "rating")
        if getattr(before, field) != getattr(after, field)
    ]
    old_notes = {n.id for n in before.notes}
    new_notes = {n.id for n in after.notes}
    notes = []
    if added := len(new_notes - old_notes):
        notes.append(ngettext("{n} note added", "{n} notes added", added).format(n=added))
    if removed := len(old_notes - new_notes):
        notes.append(ngettext("{n} note deleted", "{n} notes deleted", removed).format(n=removed))
    if not parts and not notes:
        return None
    line = f"{entry}: "
    if parts:
        line += ", ".join(parts) + " " + _("from {source}").format(source=source)
        return "; ".join([line, *notes])
    return line + "; ".join(notes) + " " + _("from {source}").format(source=source)
