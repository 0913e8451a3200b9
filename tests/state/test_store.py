"""The store: idempotent merge by union, the fold by (clock, device), the clock, the hook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from canon_cli.errors import StateError
from canon_cli.state.changes import Change, Clock
from canon_cli.state.fold import fold, instant, local_text, parse_instant, to_instant
from canon_cli.state.store import StateStore, open_store


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    return open_store(tmp_path / "state.db")


def change(field: str, value: object, wall: int, device: str = "b" * 16) -> Change:
    return Change("lora", field, value, Clock(wall, 0), device, "op")  # type: ignore[arg-type]


def test_a_new_store_has_a_device_and_no_changes(store: StateStore) -> None:
    assert len(store.device) == 16 and store.count() == 0 and store.clock() is None


def test_apply_is_idempotent_and_counts_what_is_new(store: StateStore) -> None:
    changes = [change("status", "done", 10), change("rating", 5, 11)]
    assert store.apply(changes) == 2
    assert store.apply(changes) == 0
    assert store.apply(reversed(changes)) == 0
    assert store.count() == 2


def test_the_greatest_clock_wins_whatever_the_order(tmp_path: Path) -> None:
    changes = [
        change("status", "reading", 10),
        change("status", "done", 20),
        change("status", "skipped", 20, "a" * 16),
    ]
    for order, name in ((changes, "one"), (changes[::-1], "two")):
        with open_store(tmp_path / f"{name}.db") as s:
            s.apply(order)
            assert s.values([("lora", "status")]) == {("lora", "status"): "done"}


def test_a_local_change_sorts_after_everything_seen_even_with_a_slow_clock(
    store: StateStore,
) -> None:
    store.apply([change("status", "done", 5_000_000)])
    (local,) = store.record("x reset", [("lora", "status", None)], now_ms=1_000)
    assert local.clock > Clock(5_000_000, 0)
    assert store.values([("lora", "status")]) == {("lora", "status"): None}


def test_record_leaves_out_sets_that_change_nothing(store: StateStore) -> None:
    assert len(store.record("a", [("lora", "rating", 5)], 1)) == 1
    assert store.record("b", [("lora", "rating", 5), ("lora", "status", None)], 2) == []


def test_local_changes_wait_for_the_sync_folder_remote_ones_do_not(store: StateStore) -> None:
    store.apply([change("status", "done", 10)])
    (local,) = store.record("a", [("lora", "rating", 5)], 20)
    assert store.local_unappended() == [local]
    store.mark_appended([local])
    assert store.local_unappended() == []


def test_the_hook_runs_before_reads_and_after_writes(tmp_path: Path) -> None:
    calls: list[str] = []

    class Hook:
        def before_read(self, s: StateStore) -> None:
            calls.append("read")

        def after_write(self, s: StateStore) -> None:
            calls.append("write")

    with open_store(tmp_path / "s.db", Hook()) as s:
        s.record("a", [("lora", "rating", 5)], 1)
        s.record("b", [("lora", "rating", 5)], 2)  # nothing new: no hook
    assert calls == ["read", "write"]


def test_a_file_that_is_not_a_database_is_a_state_error(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(StateError, match="damaged"):
        open_store(path)


def test_instants_are_utc_and_shown_in_the_local_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    assert instant(0) == "1970-01-01T00:00:00Z"
    assert to_instant("2026-11-21T09:00:00+08:00") == "2026-11-21T01:00:00Z"
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert local_text("2026-11-21T01:00:00Z") == "2026-11-21T09:00:00+08:00"
        assert parse_instant("2026-11-21").utcoffset() is not None  # a date is local midnight
    finally:
        monkeypatch.undo()
        time.tzset()


def test_notes_of_the_same_second_keep_their_order() -> None:
    fields = [(f"note:{i:02x}", {"at": "2026-11-21T01:00:00Z", "text": str(i)}) for i in (9, 1, 5)]
    assert [n.text for n in fold(fields).notes] == ["9", "1", "5"]


def _edit(db_path: Path, statement: str) -> None:
    import sqlite3

    db = sqlite3.connect(db_path)
    db.execute(statement)
    db.commit()
    db.close()


def test_a_value_canon_did_not_write_is_reported_as_damage(cli: Any, canon_home: Path) -> None:
    """A hand-edited state: canon names the file and the fix, with no traceback, and
    leaves the file as it is."""
    assert cli("rate", "react", "4").exit_code == 0
    state = canon_home / "state.db"
    _edit(state, "UPDATE current SET value = '04' WHERE field = 'rating'")
    before = state.read_bytes()
    result = cli("list", "--json")
    assert result.exit_code == 3, result.stderr
    assert "the reading-state database is damaged" in result.stderr
    assert str(state) in result.stderr and "Traceback" not in result.stderr
    assert state.read_bytes() == before


def test_a_time_canon_cannot_read_is_left_out_not_fatal(cli: Any, canon_home: Path) -> None:
    assert cli("done", "react").exit_code == 0
    _edit(
        canon_home / "state.db",
        "UPDATE current SET value = '\"not a date\"' WHERE field = 'finished'",
    )
    for argv in (["show", "react"], ["export", "-f", "json"], ["log"], ["stats"]):
        result = cli(*argv)
        assert result.exit_code == 0, (argv, result.stderr)
        assert "not a date" not in result.stdout, argv
    assert '"finished": null' in cli("export", "-f", "json").stdout


@pytest.mark.parametrize("at", ['"not a time"', "5", "null", '["2026"]'], ids=str)
def test_a_note_whose_time_cannot_be_read_keeps_its_text(
    run_canon: Any, canon_home: Path, at: str
) -> None:
    """A hand-edited note time: every view still shows the note, without a time (null
    in JSON), as real processes; nothing is rewritten."""
    assert run_canon("note", "react", "kept words").exit_code == 0
    assert run_canon("note", "bert", "a good note").exit_code == 0
    state = canon_home / "state.db"
    _edit(
        state,
        f"UPDATE current SET value = json_set(value, '$.at', json('{at}'))"
        " WHERE entry = 'react' AND field LIKE 'note:%'",
    )
    before = state.read_bytes()
    for argv in (
        ["show", "react"],
        ["show", "react", "--json"],
        ["notes"],
        ["notes", "--json"],
        ["export"],
        ["export", "-f", "json"],
    ):
        result = run_canon(*argv)
        assert result.exit_code == 0, (argv, result.stderr)
        assert "Traceback" not in result.stderr, argv
        assert "kept words" in result.stdout, argv
        assert "a good note" in result.stdout or argv[0] == "show", argv
    shown = run_canon("show", "react").stdout
    assert "[1] kept words" in shown
    assert '"at": null' in run_canon("export", "-f", "json").stdout
    assert "\n  - kept words" in run_canon("export").stdout
    assert state.read_bytes() == before


def test_a_note_whose_text_is_not_text_is_left_out(run_canon: Any, canon_home: Path) -> None:
    assert run_canon("note", "react", "words").exit_code == 0
    _edit(
        canon_home / "state.db",
        "UPDATE current SET value = json_set(value, '$.text', 5) WHERE entry = 'react'",
    )
    for argv in (["show", "react"], ["notes"], ["export", "-f", "json"]):
        result = run_canon(*argv)
        assert result.exit_code == 0 and "Traceback" not in result.stderr, argv
    assert "notes:" not in run_canon("show", "react").stdout
