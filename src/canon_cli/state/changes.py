"""One change to the reading state, its clock, and its line in a journal file.

The reading state is a journal of small changes: ``(entry, field, value)`` stamped with
a hybrid logical clock and the id of the device that made it. The current state is the
fold of the journal: for each ``(entry, field)`` the change with the greatest
``(clock, device)`` wins. Fields are small so that edits on two machines do not collide:
``status``, ``started``, ``finished``, ``rating``, and ``note:<note id>`` for each note
(a deleted note is a change whose value is ``None``).

A hybrid logical clock (Kulkarni et al., 2014) is wall time in milliseconds plus a
counter. A device never issues a clock at or below one it has seen, so a change made
after seeing another always sorts after it, even when this machine's clock is slow.
"""

# Evaluated annotations (no `from __future__ import annotations`): a NamedTuple would
# compile each field's annotation string at import (docs/decisions.md, "Record classes").

import json
import os
from typing import Any, NamedTuple

from canon_cli.i18n import _

JOURNAL_VERSION = 1

# Field names; a note's field is NOTE_PREFIX + its id.
FIELDS = ("status", "started", "finished", "rating")
NOTE_PREFIX = "note:"

# JSON scalars a change may carry: status/started/finished are text, rating an int,
# a note an object {"at": ISO instant, "text": ...}; None clears the field.
Value = str | int | dict[str, str] | None


class Clock(NamedTuple):
    """A hybrid logical clock reading: milliseconds since the epoch (UTC) and a counter."""

    wall_ms: int
    counter: int

    def text(self) -> str:
        """Fixed-width text that sorts like the clock (for SQLite and journal files)."""
        return f"{self.wall_ms:013d}-{self.counter:06d}"

    @classmethod
    def parse(cls, text: str) -> "Clock":
        wall, sep, counter = text.partition("-")
        if not sep or not (wall.isdigit() and counter.isdigit()):
            raise ValueError(f"not a clock: {text!r}")
        return cls(int(wall), int(counter))


def tick(last: Clock | None, now_ms: int) -> Clock:
    """The next clock after ``last`` (the greatest seen so far) at wall time ``now_ms``."""
    if last is None or now_ms > last.wall_ms:
        return Clock(now_ms, 0)
    return Clock(last.wall_ms, last.counter + 1)


def new_device_id() -> str:
    """A random device id: 16 hex digits, enough that two devices never share one."""
    # os.urandom, not secrets: importing secrets loads OpenSSL, costly on every run
    return os.urandom(8).hex()


def new_note_id() -> str:
    """A random note id, unique across devices."""
    return os.urandom(6).hex()


class Change(NamedTuple):
    """One field of one entry set (or cleared) by one device at one clock.

    ``op`` groups the changes one command made (``canon undo`` takes back an op).
    """

    entry: str
    field: str
    value: Value
    clock: Clock
    device: str
    op: str

    def key(self) -> tuple[Clock, str]:
        """What orders changes to the same field: the greatest key wins the fold."""
        return (self.clock, self.device)


def to_line(change: Change) -> str:
    """The change as one JSON line of a device's journal file (no trailing newline)."""
    record = {
        "v": JOURNAL_VERSION,
        "entry": change.entry,
        "field": change.field,
        "value": change.value,
        "clock": change.clock.text(),
        "device": change.device,
        "op": change.op,
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


class JournalLineError(ValueError):
    """A journal line that is not a change this canon can read."""

    def __init__(self, message: str, *, newer: bool = False) -> None:
        super().__init__(message)
        self.newer = newer


def from_line(line: str) -> Change:
    """Parse one journal line; raise JournalLineError for anything that is not a change."""
    try:
        record: Any = json.loads(line)
    except ValueError:
        raise JournalLineError(_("not JSON (a torn or damaged line)")) from None
    if not isinstance(record, dict):
        raise JournalLineError(_("not a JSON object"))
    version = record.get("v")
    if isinstance(version, int) and not isinstance(version, bool) and version > JOURNAL_VERSION:
        raise JournalLineError(
            _("written by a newer canon (journal version {version})").format(version=version),
            newer=True,
        )
    if version != JOURNAL_VERSION:
        raise JournalLineError(_("unknown journal version {version!r}").format(version=version))
    try:
        change = Change(
            entry=_text(record, "entry"),
            field=_text(record, "field"),
            value=_value(record.get("value")),
            clock=Clock.parse(_text(record, "clock")),
            device=_text(record, "device"),
            op=_text(record, "op"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise JournalLineError(_("not a valid change ({reason})").format(reason=exc)) from None
    if change.field not in FIELDS and not change.field.startswith(NOTE_PREFIX):
        raise JournalLineError(_("unknown field {key!r}").format(key=change.field))
    return change


def _text(record: dict[str, Any], key: str) -> str:
    value = record[key]
    if not isinstance(value, str) or not value:
        raise TypeError(f"{key} must be non-empty text")
    return value


def _value(value: Any) -> Value:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return value
    raise TypeError("value must be text, a whole number, a note or null")
