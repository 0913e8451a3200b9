"""Replicas that mark, rate, note, reset and delete notes, and exchange changes in random
orders with clocks up to a day apart, all converge to the fold of the union of their
changes; nothing one replica did and another saw is lost."""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from canon_cli.state import rules
from canon_cli.state.changes import Change
from canon_cli.state.exchange import entry_records
from canon_cli.state.fold import EntryState, instant
from canon_cli.state.store import FieldSet, StateStore, new_op, open_store
from canon_cli.vocab import STATUSES

ENTRIES = st.sampled_from(("lora", "bert", "react"))
REPLICA = st.integers(0, 4)
Compute = Callable[[EntryState], list[FieldSet]]
DAY_MS = 86_400_000
BASE_MS = 1_800_000_000_000


def fold_of(changes: list[Change]) -> dict[tuple[str, str], Change]:
    best: dict[tuple[str, str], Change] = {}
    for change in changes:
        key = (change.entry, change.field)
        if key not in best or change.key() > best[key].key():
            best[key] = change
    return best


class Replicas(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="canon-replicas-"))
        self.stores: list[StateStore] = []
        self.skews: list[int] = []
        self.wall = BASE_MS

    @initialize(
        count=st.integers(3, 5),
        skews=st.lists(st.integers(-DAY_MS, DAY_MS), min_size=5, max_size=5),
    )
    def start(self, count: int, skews: list[int]) -> None:
        self.stores = [open_store(self.folder / f"r{i}.db") for i in range(count)]
        self.skews = skews[:count]

    def now(self, replica: int) -> int:
        return self.wall + self.skews[replica]

    def record(self, replica: int, op: str, entry: str, compute: Compute) -> None:
        store = self.stores[replica]
        before = store.journal()

        def sets(s: StateStore) -> list[FieldSet]:
            return compute(entry_records(s).get(entry, EntryState()))

        changes = store.write(new_op(op), sets, self.now(replica))
        for change in changes:  # a local change sorts after everything this replica saw
            assert all(change.key() > seen.key() for seen in before)

    @precondition(lambda self: bool(self.stores))
    @rule(replica=REPLICA, entry=ENTRIES, status=st.sampled_from(STATUSES))
    def mark(self, replica: int, entry: str, status: str) -> None:
        replica %= len(self.stores)
        now = instant(self.now(replica))
        self.record(replica, status, entry, lambda old: rules.mark(entry, old, status, now))

    @precondition(lambda self: bool(self.stores))
    @rule(replica=REPLICA, entry=ENTRIES, rating=st.none() | st.integers(1, 5))
    def rate(self, replica: int, entry: str, rating: int | None) -> None:
        replica %= len(self.stores)
        self.record(replica, "rate", entry, lambda old: rules.rate(entry, old, rating))

    @precondition(lambda self: bool(self.stores))
    @rule(replica=REPLICA, entry=ENTRIES, text=st.text(min_size=1, max_size=8).filter(str.strip))
    def note(self, replica: int, entry: str, text: str) -> None:
        replica %= len(self.stores)
        now = instant(self.now(replica))
        self.record(replica, "note", entry, lambda _old: rules.add_note(entry, text, now))

    @precondition(lambda self: bool(self.stores))
    @rule(replica=REPLICA, entry=ENTRIES, pick=st.integers(0, 10))
    def delete_note(self, replica: int, entry: str, pick: int) -> None:
        replica %= len(self.stores)

        def compute(old: EntryState) -> list[FieldSet]:
            if not old.notes:
                return []
            return rules.delete_note(entry, old.notes[pick % len(old.notes)].id)

        self.record(replica, "delete note", entry, compute)

    @precondition(lambda self: bool(self.stores))
    @rule(source=REPLICA, dest=REPLICA, seed=st.integers(0, 2**32), share=st.floats(0, 1))
    def exchange(self, source: int, dest: int, seed: int, share: float) -> None:
        """Send a random part of what ``source`` knows to ``dest``, in a random order."""
        source, target = source % len(self.stores), dest % len(self.stores)
        changes = self.stores[source].journal()
        rng = random.Random(seed)
        rng.shuffle(changes)
        sent = changes[: round(len(changes) * share)]
        self.stores[target].apply(sent)
        seen = fold_of(self.stores[target].journal())
        for change in sent:  # what the target saw is never lost: its fold is as new or newer
            assert seen[(change.entry, change.field)].key() >= change.key()

    @precondition(lambda self: bool(self.stores))
    @rule(step=st.integers(0, DAY_MS))
    def time_passes(self, step: int) -> None:
        self.wall += step

    @invariant()
    def each_fold_is_the_fold_of_its_journal(self) -> None:
        for store in self.stores:
            folded = fold_of(store.journal()).items()
            expected = {k: (c.value, c.clock, c.device) for k, c in folded}
            actual = {(r.entry, r.field): (r.value, r.clock, r.device) for r in store.rows()}
            assert actual == expected

    def teardown(self) -> None:
        try:
            if self.stores:
                union: dict[tuple[object, ...], Change] = {}
                for store in self.stores:
                    union.update({(*c[:2], *c.key()): c for c in store.journal()})
                everything = list(union.values())
                for store in self.stores:
                    random.Random(len(everything)).shuffle(everything)
                    store.apply(everything)
                expected = fold_of(everything)
                views = [entry_records(store) for store in self.stores]
                assert all(view == views[0] for view in views)
                for store in self.stores:
                    rows = {(r.entry, r.field): (r.clock, r.device) for r in store.rows()}
                    assert rows == {k: c.key() for k, c in expected.items()}
        finally:
            for store in self.stores:
                store.close()
            shutil.rmtree(self.folder, ignore_errors=True)


Replicas.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
TestReplicasConverge = Replicas.TestCase
