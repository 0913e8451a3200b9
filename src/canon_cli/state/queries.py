"""The reads of the state database: the fold, the journal, and the commands run here.

``StateReads`` is the read half of ``store.StateStore`` (kept apart so each module stays
small); every SQLite error becomes a ``CanonError`` through ``translate``.
"""

# Evaluated annotations (no `from __future__ import annotations`): a NamedTuple would
# compile each field's annotation string at import (docs/decisions.md, "Record classes").

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from canon_cli.errors import BusyError, CanonIOError, StateError
from canon_cli.i18n import _
from canon_cli.state.changes import Change, Clock, Value

CHANGE_COLUMNS = "entry, field, value, clock, device, op"


class Row(NamedTuple):
    """One row of the fold: the winning value of one field of one entry."""

    entry: str
    field: str
    value: Value
    clock: Clock
    device: str


class Command(NamedTuple):
    """A command run on this machine: its op and the seqs of the changes it took in."""

    op: str
    first_seq: int
    last_seq: int
    at: int  # wall time (ms) of the clock after it
    undoes: str | None  # the op this command took back (canon undo)
    undone_by: str | None  # the undo that took this command back


def decode(text: str) -> Value:
    value: Value = json.loads(text)
    return value


def change_of_row(row: Sequence[str]) -> Change:
    entry, field, value, clock, device, op = row
    return Change(entry, field, decode(value), Clock.parse(clock), device, op)


class StateReads:
    """Reads over ``db`` (the state database at ``path``)."""

    db: sqlite3.Connection
    path: Path

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Turn SQLite's errors into canon's, naming the database file."""
        try:
            yield
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        except ValueError as exc:  # a value or clock canon did not write (decode, Clock.parse)
            raise damaged(str(exc), self.path) from None

    # -- reading the fold -------------------------------------------------------------

    def _select(
        self,
        select: str,
        entries: Iterable[str] | None,
        equal: tuple[str, str | None],
        order: str,
    ) -> list[Sequence[str]]:
        """``select`` for some entries (None: all) and, unless its value is None, one
        ``column = value``, in ``order``. No entries at all: no rows."""
        where: list[str] = []
        params: list[str] = []
        if entries is not None:
            wanted = sorted(set(entries))
            if not wanted:
                return []
            where.append(f"entry IN ({','.join('?' * len(wanted))})")
            params.extend(wanted)
        column, value = equal
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
        sql = select + (" WHERE " + " AND ".join(where) if where else "") + f" ORDER BY {order}"
        with self.errors():
            return self.db.execute(sql, params).fetchall()

    def rows(self, entries: Iterable[str] | None = None, field: str | None = None) -> list[Row]:
        """Rows of the fold, for some entries (None: all) and one field (None: all)."""
        found = self._select(
            "SELECT entry, field, value, clock, device FROM current",
            entries,
            ("field", field),
            "entry, field",
        )
        with self.errors():
            return [Row(e, f, decode(v), Clock.parse(c), d) for e, f, v, c, d in found]

    def values(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Value]:
        """The current value of each (entry, field) that has one (cleared ones are None)."""
        result: dict[tuple[str, str], Value] = {}
        with self.errors():
            for entry, field in keys:
                row = self.db.execute(
                    "SELECT value FROM current WHERE entry = ? AND field = ?", (entry, field)
                ).fetchone()
                if row is not None:
                    result[(entry, field)] = decode(row[0])
        return result

    def field_values(self, field: str) -> list[tuple[str, Value, str]]:
        """(entry, value, clock+device key text) of one field; a cleared field is None
        (it still counts: a reset under an entry's id beats an older mark under an alias)."""
        with self.errors():
            found = self.db.execute(
                "SELECT entry, value, clock || ' ' || device FROM current WHERE field = ?",
                (field,),
            ).fetchall()
        with self.errors():
            return [(e, decode(v), k) for e, v, k in found]

    def note_rows(self) -> list[Row]:
        """Rows of the fold for every note field (deleted notes too: their value is None)."""
        sql = (
            "SELECT entry, field, value, clock, device FROM current"
            " WHERE field >= 'note:' AND field < 'note;' ORDER BY entry, field"
        )
        with self.errors():
            found = self.db.execute(sql).fetchall()
            return [Row(e, f, decode(v), Clock.parse(c), d) for e, f, v, c, d in found]

    def latest_times(self, limit: int | None) -> list[tuple[str, str, str]]:
        """(entry, field, instant) of started/finished values, newest first."""
        sql = (
            "SELECT entry, field, value FROM current WHERE field IN ('started', 'finished')"
            " AND value != 'null' ORDER BY value DESC, field = 'finished' DESC, entry"
        )
        with self.errors():
            if limit is None:
                found = self.db.execute(sql).fetchall()
            else:
                found = self.db.execute(sql + " LIMIT ?", (limit,)).fetchall()
            times = [(e, f, decode(v)) for e, f, v in found]
        from canon_cli.state.fold import is_instant

        return [(e, f, str(v)) for e, f, v in times if is_instant(v)]  # as the fold keeps them

    def finished_days(self) -> list[tuple[str, int]]:
        """(local date, count) of entries done, by the day (in the local zone) they were
        finished. SQLite's 'localtime' follows the process's zone (TZ)."""
        with self.errors():
            return [
                (str(day), int(count))
                for day, count in self.db.execute(
                    "SELECT date(substr(f.value, 2, length(f.value) - 2), 'localtime') AS day,"
                    " count(*) FROM current AS f JOIN current AS s"
                    " ON s.entry = f.entry AND s.field = 'status' AND s.value = '\"done\"'"
                    " WHERE f.field = 'finished' AND f.value != 'null'"
                    " GROUP BY day ORDER BY day"
                )
                if day is not None
            ]

    def entry_ids(self) -> list[str]:
        """Every entry the fold holds a value for (cleared-only entries left out)."""
        with self.errors():
            return [
                e
                for (e,) in self.db.execute(
                    "SELECT DISTINCT entry FROM current WHERE value != 'null' ORDER BY entry"
                )
            ]

    # -- reading the journal ----------------------------------------------------------

    def journal(
        self, entries: Iterable[str] | None = None, *, device: str | None = None
    ) -> list[Change]:
        """Changes in the order they were taken in (all, or of some entries/device)."""
        found = self._select(
            f"SELECT {CHANGE_COLUMNS} FROM changes", entries, ("device", device), "seq"
        )
        return [change_of_row(r) for r in found]

    def count(self) -> int:
        with self.errors():
            return int(self.db.execute("SELECT count(*) FROM changes").fetchone()[0])

    def commands(self) -> list[Command]:
        """The commands run on this machine that changed the state, newest first."""
        with self.errors():
            found = self.db.execute(
                "SELECT op, first_seq, last_seq, at, undoes, undone_by FROM commands"
                " ORDER BY last_seq DESC, first_seq DESC"
            ).fetchall()
        return [Command(*row) for row in found]

    def seq_changes(self, first: int, last: int) -> list[tuple[int, Change]]:
        """(seq, change) of the changes taken in between two seqs (inclusive)."""
        with self.errors():
            found = self.db.execute(
                f"SELECT seq, {CHANGE_COLUMNS} FROM changes WHERE seq BETWEEN ? AND ? ORDER BY seq",
                (first, last),
            ).fetchall()
        return [(int(row[0]), change_of_row(row[1:])) for row in found]

    def field_history(self, keys: Iterable[tuple[str, str]]) -> list[tuple[int, Change]]:
        """(seq, change) of every change to these (entry, field) pairs."""
        result: list[tuple[int, Change]] = []
        with self.errors():
            for entry, field in sorted(set(keys)):
                result.extend(
                    (int(row[0]), change_of_row(row[1:]))
                    for row in self.db.execute(
                        f"SELECT seq, {CHANGE_COLUMNS} FROM changes WHERE entry = ? AND field = ?",
                        (entry, field),
                    )
                )
        return result


def damaged(reason: str, path: Path) -> StateError:
    """The state database ``path`` holds what canon did not write (``reason``)."""
    return StateError(
        _("the reading-state database is damaged ({reason})").format(reason=reason),
        path=str(path),
        hint=_("Move it aside (mv {path} {path}.damaged); a backup, if any, is {path}.bak.").format(
            path=path
        ),
    )


def translate(exc: sqlite3.Error, path: Path) -> Exception:
    """canon's error for a SQLite error on the state database ``path``."""
    from canon_cli.locks import LOCK_TIMEOUT_ENV, lock_timeout

    text = str(exc)
    code = getattr(exc, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return BusyError(
            _(
                "another canon process is writing the reading state: {path} "
                "stayed locked for {seconds} s"
            ).format(path=path, seconds=f"{lock_timeout():g}"),
            hint=_(
                "Wait for the other canon command to finish and try again. "
                "To wait longer, set {variable} (seconds)."
            ).format(variable=LOCK_TIMEOUT_ENV),
        )
    if primary in (
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_PERM,
    ):
        hint = None
        if primary != sqlite3.SQLITE_FULL:
            hint = _("Set CANON_HOME to a folder you can write, or fix that folder's permissions.")
        return CanonIOError(
            _("cannot write {path}: {reason}").format(path=path, reason=text), hint=hint
        )
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return damaged(text, path)
    return CanonIOError(_("cannot use {path}: {reason}").format(path=path, reason=text))
