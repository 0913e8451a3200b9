"""A sync folder under random appends, torn writes, roll-backs and conflict copies:
reading is idempotent and never loses a complete line."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from canon_cli.state.changes import Change, Clock, JournalLineError, from_line, to_line
from canon_cli.state.syncdir import FileOffset, append
from canon_cli.state.syncscan import scan

DEVICES = ("a1a1a1a1a1a1a1a1", "b2b2b2b2b2b2b2b2", "c3c3c3c3c3c3c3c3")


@pytest.fixture(autouse=True)
def no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Syncing to disk guards against power loss, which this test does not model; on a
    busy disk it would make each example wait for the drive."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)


def complete_lines(folder: Path) -> set[Change]:
    """The oracle: every whole change line now in the folder, read naively."""
    found: set[Change] = set()
    for path in folder.glob("*.jsonl"):
        data = path.read_bytes()
        *whole, last = data.split(b"\n")
        for raw in [*whole, last]:
            try:
                found.add(from_line(raw.decode("utf-8")))
            except (JournalLineError, UnicodeDecodeError):
                continue
    return found


class SyncFolder(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="canon-syncdir-"))
        self.offsets: dict[str, FileOffset] = {}
        self.seen: set[Change] = set()
        self.written: set[Change] = set()
        self.counter = 0
        self.copies = 0

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _new(self, device: str, count: int) -> list[Change]:
        made = []
        for _ in range(count):
            self.counter += 1
            entry = f"entry-{self.counter % 7}"
            clock = Clock(1_700_000_000_000 + self.counter, self.counter % 3)
            made.append(Change(entry, "status", "done", clock, device, f"op{self.counter}"))
        self.written.update(made)
        return made

    def _files(self) -> list[Path]:
        return sorted(self.folder.glob("*.jsonl"))

    @rule(device=st.sampled_from(DEVICES), count=st.integers(1, 4))
    def append_changes(self, device: str, count: int) -> None:
        made = self._new(device, count)
        append(self.folder, device, made)
        assert set(made) <= complete_lines(self.folder), "an appended line is not whole"

    @rule(device=st.sampled_from(DEVICES), cut=st.integers(1, 200))
    def die_mid_append(self, device: str, cut: int) -> None:
        """A canon killed during its write leaves part of a line at the end."""
        line = to_line(self._new(device, 1)[0]).encode()
        with (self.folder / f"{device}.jsonl").open("ab") as out:
            out.write(line[: min(cut, len(line) - 1)])

    @precondition(lambda self: bool(self._files()))
    @rule(data=st.data(), fraction=st.floats(0, 1))
    def truncate(self, data: st.DataObject, fraction: float) -> None:
        """A sync engine rolls a file back, or delivers only its first part."""
        path = data.draw(st.sampled_from(self._files()))
        size = path.stat().st_size
        os.truncate(path, int(size * fraction))

    @precondition(lambda self: bool(self._files()))
    @rule(data=st.data())
    def conflict_copy(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(self._files()))
        self.copies += 1
        shutil.copy(path, path.with_name(f"{path.stem} (conflicted copy {self.copies}).jsonl"))

    @precondition(lambda self: len(self._files()) > 1)
    @rule(data=st.data())
    def delete_a_copy(self, data: st.DataObject) -> None:
        data.draw(st.sampled_from(self._files())).unlink()

    @rule()
    def scan_incrementally(self) -> None:
        result = scan(self.folder, self.offsets)
        self.offsets = result.offsets
        self.seen.update(result.changes)
        assert complete_lines(self.folder) <= self.seen, "a complete line was never read"
        assert self.seen <= self.written, "read a change nobody wrote"
        assert all(w.kind in ("bad-line", "gone") for w in result.warnings), result.warnings

    @invariant()
    def full_scan_is_exactly_the_complete_lines_and_idempotent(self) -> None:
        full = scan(self.folder, {})
        assert set(full.changes) == complete_lines(self.folder)
        again = scan(self.folder, full.offsets)
        assert again.changes == [] and again.read == []


SyncFolder.TestCase.settings = settings(max_examples=100, stateful_step_count=25, deadline=None)
TestSyncFolder = SyncFolder.TestCase
