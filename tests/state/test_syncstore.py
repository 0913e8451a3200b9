"""The sync folder and the state database: what other devices appended is taken in when
the state is opened, what this device commits is appended, and nothing is lost when
canon stops in between."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from canon_cli.errors import BusyError, CanonIOError
from canon_cli.state import syncscan
from canon_cli.state.changes import Change, Clock, from_line, to_line
from canon_cli.state.store import StateStore, open_store
from canon_cli.state.syncdir import append, device_file
from canon_cli.state.syncstore import FolderSync, ingested, publish, take_in

OTHER = "b2b2b2b2b2b2b2b2"


def theirs(n: int) -> Change:
    return Change(f"entry-{n}", "status", "done", Clock(1_700_000_000_000 + n, 0), OTHER, "op")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "Dropbox"
    path.mkdir()
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "state.db"


def opened(db: Path, folder: Path) -> tuple[StateStore, FolderSync]:
    hook = FolderSync(folder)
    return open_store(db, hook), hook


@pytest.fixture
def store(db: Path, folder: Path) -> Iterator[StateStore]:
    store, _ = opened(db, folder)
    yield store
    store.close()


def lines(folder: Path, device: str) -> list[Change]:
    path = device_file(folder, device)
    return [from_line(line) for line in path.read_text().splitlines()] if path.exists() else []


def mark(store: StateStore, entry: str, status: str = "done", now: int = 1_000) -> list[Change]:
    return store.record(f"op {entry}", [(entry, "status", status)], now)


def test_opening_takes_in_what_other_devices_appended(db: Path, folder: Path) -> None:
    append(folder, OTHER, [theirs(1), theirs(2)])
    store, hook = opened(db, folder)
    assert hook.taken_in == 2 and hook.warnings == [] and hook.problems == []
    assert store.values([("entry-1", "status")]) == {("entry-1", "status"): "done"}
    assert store.local_unappended() == []  # others' changes are not appended again
    store.close()
    again, hook = opened(db, folder)
    assert hook.taken_in == 0
    append(folder, OTHER, [theirs(3)])
    assert take_in(again, folder)[1] == 1
    again.close()


def test_an_unchanged_folder_writes_nothing_to_the_database(
    store: StateStore, folder: Path
) -> None:
    append(folder, OTHER, [theirs(1)])
    take_in(store, folder)
    before = store.db.total_changes
    result, new = take_in(store, folder)
    assert new == 0 and result.read == [] and store.db.total_changes == before


def test_every_write_is_appended_to_the_own_file(store: StateStore, folder: Path) -> None:
    made = mark(store, "lora") + mark(store, "bert", now=2_000)
    assert lines(folder, store.device) == made
    assert store.local_unappended() == []
    result, _ = take_in(store, folder)
    assert result.read == []  # its own lines were never re-read


def test_changes_merged_from_a_file_are_appended_for_the_other_devices(
    store: StateStore, folder: Path
) -> None:
    store.apply([theirs(7)], appended=False)  # e.g. state merge of another machine's export
    assert lines(folder, store.device) == [theirs(7)]


def test_a_change_committed_but_never_appended_is_appended_by_the_next_run(
    db: Path, folder: Path
) -> None:
    with open_store(db) as plain:  # canon stopped right after its commit
        made = mark(plain, "lora")
    assert lines(folder, plain.device) == []
    store, hook = opened(db, folder)  # any next command, a read too
    assert hook.appended == 1 and lines(folder, store.device) == made
    store.close()


def test_a_change_appended_but_not_yet_marked_is_not_appended_twice(db: Path, folder: Path) -> None:
    with open_store(db) as plain:
        made = mark(plain, "lora")
        append(folder, plain.device, made)  # stopped between the append and its mark
    store, hook = opened(db, folder)
    assert hook.appended == 0 and lines(folder, store.device) == made
    store.close()


def test_a_refused_append_keeps_the_change_for_later(store: StateStore, folder: Path) -> None:
    own = device_file(folder, store.device)
    own.mkdir()  # something not a file at the own path
    hook = store.hook
    assert isinstance(hook, FolderSync)
    made = mark(store, "lora")
    assert store.values([("lora", "status")]) == {("lora", "status"): "done"}  # committed
    assert len(hook.problems) == 1 and "not a regular file" in str(hook.problems[0])
    own.rmdir()
    assert publish(store, folder) == 1 and lines(folder, store.device) == made


def test_a_missing_folder_is_a_warning_and_the_write_is_kept(db: Path, folder: Path) -> None:
    shutil.rmtree(folder)
    store, hook = opened(db, folder)
    mark(store, "lora")
    assert [w.kind for w in hook.warnings] == [syncscan.FOLDER_MISSING]
    assert isinstance(hook.problems[0], CanonIOError)
    store.close()
    folder.mkdir()
    store, hook = opened(db, folder)  # the drive is back
    assert [c.entry for c in lines(folder, store.device)] == ["lora"]
    store.close()


def test_a_deleted_own_file_is_written_again_in_full(store: StateStore, folder: Path) -> None:
    made = mark(store, "lora") + mark(store, "bert", now=2_000)
    device_file(folder, store.device).unlink()
    take_in(store, folder)
    assert publish(store, folder) == 2 and lines(folder, store.device) == made


def test_a_rolled_back_own_file_is_written_again(store: StateStore, folder: Path) -> None:
    first = mark(store, "lora")
    own = device_file(folder, store.device)
    kept = own.read_bytes()
    second = mark(store, "bert", now=2_000)
    own.write_bytes(kept)  # the sync engine went back to an older copy
    take_in(store, folder)
    publish(store, folder)
    assert set(lines(folder, store.device)) == set(first + second)


def test_a_new_sync_folder_gets_everything_this_device_knows(
    store: StateStore, folder: Path, tmp_path: Path
) -> None:
    append(folder, OTHER, [theirs(1)])
    take_in(store, folder)
    made = mark(store, "lora")
    new_folder = tmp_path / "Syncthing"
    new_folder.mkdir()
    take_in(store, new_folder)
    publish(store, new_folder)
    assert set(lines(new_folder, store.device)) == {theirs(1), *made}
    assert {Path(f).parent for f in ingested(store)} == {new_folder}  # the old ones let go


def test_damaged_and_newer_lines_become_warnings_not_errors(db: Path, folder: Path) -> None:
    path = device_file(folder, OTHER)
    newer = to_line(theirs(2)).replace('"v":1', '"v":3')
    path.write_text("garbage\n" + to_line(theirs(1)) + "\n" + newer + "\n")
    store, hook = opened(db, folder)
    assert [(w.kind, w.line) for w in hook.warnings] == [("bad-line", 1), ("newer", 3)]
    assert hook.taken_in == 1
    mark(store, "lora")  # the store works as ever
    store.close()


def test_a_busy_database_postpones_the_take_in(
    store: StateStore, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    append(folder, OTHER, [theirs(1)])
    hook = FolderSync(folder)

    def busy(*args: object, **kwargs: object) -> object:
        raise BusyError("another canon process is writing the reading state")

    monkeypatch.setattr("canon_cli.state.syncstore.take_in", busy)
    hook.before_read(store)
    assert hook.problems and hook.taken_in == 0
    monkeypatch.undo()
    hook.before_read(store)
    assert hook.taken_in == 1


def test_offsets_survive_in_the_database(store: StateStore, folder: Path) -> None:
    append(folder, OTHER, [theirs(1)])
    result, _ = take_in(store, folder)
    assert ingested(store) == result.offsets
    assert os.path.basename(next(iter(result.offsets))) == f"{OTHER}.jsonl"
