"""Undo and history: folds over the journal.

``canon undo`` takes back the newest command run on this machine that is not taken back
yet (so each run reaches one further back), by writing new changes that restore, field
by field, the value the field had before that command. Undone commands and the undos
themselves are left out of "before": undoing twice goes back two commands, not back and
forth. A field that another command or machine changed after the one being undone keeps
its newer value (it is reported, not overwritten). Changes taken in from other machines
are never undone by this machine's ``undo``; a merge or an import run here is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from canon_cli.state.changes import Change, Value
from canon_cli.state.store import Command, FieldSet, StateStore, new_op, op_label

NOT_UNDOABLE = ("migrate ",)


class Restored(NamedTuple):
    entry: str
    field: str
    undone: Value  # the value the command had set
    restored: Value  # the value it had before


class Undo(NamedTuple):
    label: str  # the command taken back, e.g. "done lora"
    restored: list[Restored]
    kept: list[tuple[str, str]]  # fields changed again since: left as they are


def _target(commands: list[Command]) -> Command | None:
    for command in commands:
        label = op_label(command.op)
        fresh = command.undone_by is None and command.undoes is None
        if fresh and not label.startswith(NOT_UNDOABLE):
            return command
    return None


def _outside(commands: Iterable[Command]) -> list[tuple[int, int]]:
    """Seq ranges left out of "before": undone commands and the undos themselves."""
    return [(c.first_seq, c.last_seq) for c in commands if c.undone_by is not None or c.undoes]


def _plan(store: StateStore) -> tuple[Command, list[FieldSet], Undo] | None:
    commands = store.commands()
    target = _target(commands)
    if target is None:
        return None
    skip = _outside(commands)
    mine = store.seq_changes(target.first_seq, target.last_seq)
    keys = {(c.entry, c.field) for _seq, c in mine}
    history: dict[tuple[str, str], list[tuple[int, Change]]] = {}
    for seq, change in store.field_history(keys):
        if not any(low <= seq <= high for low, high in skip):
            history.setdefault((change.entry, change.field), []).append((seq, change))
    sets: list[FieldSet] = []
    restored: list[Restored] = []
    kept: list[tuple[str, str]] = []
    for key in sorted(keys):
        seen = sorted(history.get(key, []), key=lambda item: item[1].key())
        if not seen or not target.first_seq <= seen[-1][0] <= target.last_seq:
            kept.append(key)  # changed again since, here or elsewhere
            continue
        before = [c for seq, c in seen if not target.first_seq <= seq <= target.last_seq]
        value = before[-1].value if before else None
        sets.append((key[0], key[1], value))
        restored.append(Restored(key[0], key[1], seen[-1][1].value, value))
    return target, sets, Undo(op_label(target.op), restored, kept)


def undo_last(store: StateStore, now_ms: int) -> Undo | None:
    """Take back the newest command not taken back yet; None when there is none."""
    with store.transaction():
        plan = _plan(store)
        if plan is None:
            return None
        target, sets, report = plan
        store.commit_op(new_op(f"undo {report.label}"), sets, now_ms, undoes=target.op)
    if sets and store.hook is not None:
        store.hook.after_write(store)
    return report


class Step(NamedTuple):
    """One change in an entry's history: when, where, and the field's old -> new value."""

    wall_ms: int
    device: str
    entry: str
    field: str
    old: Value
    new: Value
    command: str


def history(store: StateStore, entries: Iterable[str] | None = None) -> list[Step]:
    """Every change (of some entries), oldest first; ``old`` is the field's value in the
    fold just before this change (by clock order, as every device folds it)."""
    changes = store.journal(entries)
    by_field: dict[tuple[str, str], list[Change]] = {}
    for change in changes:
        by_field.setdefault((change.entry, change.field), []).append(change)
    steps: list[Step] = []
    for field_changes in by_field.values():
        previous: Value = None
        for change in sorted(field_changes, key=Change.key):
            steps.append(
                Step(
                    change.clock.wall_ms,
                    change.device,
                    change.entry,
                    change.field,
                    previous,
                    change.value,
                    op_label(change.op),
                )
            )
            previous = change.value
    steps.sort(key=lambda s: (s.wall_ms, s.device, s.entry, s.field))
    return steps
