"""undo and history: folds over the journal, through the commands and on a bare store."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from canon_cli.errors import ExitCode
from canon_cli.state.changes import Change, Clock
from canon_cli.state.history import history, undo_last
from canon_cli.state.store import StateStore, open_store
from tests.statedb import record, records


def status(entry: str = "lora") -> str:
    return records()[entry].status if entry in records() else "unread"


def test_undo_takes_back_one_command_at_a_time(cli: Any) -> None:
    for args in (("start", "lora"), ("done", "lora"), ("rate", "lora", "4")):
        assert cli(*args).exit_code == 0
    first = cli("undo")
    assert first.exit_code == 0, first.stderr
    assert "canon rate lora 4" in first.stderr and "rating\t4 -> -" in first.stdout
    assert record("lora").rating is None
    second = cli("undo")
    assert "status\tdone -> reading" in second.stdout
    assert status() == "reading" and records()["lora"].finished is None
    assert records()["lora"].started is not None
    assert cli("undo").exit_code == 0
    assert "lora" not in records() or status() == "unread"
    nothing = cli("undo")
    assert nothing.exit_code == ExitCode.FAILURE and "nothing to undo" in nothing.stderr


def test_undo_takes_back_a_note_and_a_merge(cli: Any, tmp_path: Path, monkeypatch: Any) -> None:
    other = tmp_path / "other.yaml"
    home = tmp_path / "canon-home"
    monkeypatch.setenv("CANON_HOME", str(tmp_path / "other-home"))
    assert cli("skip", "bert").exit_code == 0
    assert cli("state", "export", str(other)).exit_code == 0
    monkeypatch.setenv("CANON_HOME", str(home))
    assert cli("note", "lora", "a thought").exit_code == 0
    assert cli("state", "merge", str(other)).exit_code == 0
    assert records()["bert"].status == "skipped"
    assert cli("undo").exit_code == 0
    assert status("bert") == "unread"
    assert [n.text for n in records()["lora"].notes] == ["a thought"]
    assert cli("undo").exit_code == 0
    assert record("lora").notes == ()


def test_undo_keeps_a_field_another_device_changed_since(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        store.record("aaaa done lora", [("lora", "status", "done")], 1_000)
        later = Change("lora", "status", "skipped", Clock(2_000, 0), "f" * 16, "x")
        store.apply([later])
        result = undo_last(store, 3_000)
        assert result is not None and result.kept == [("lora", "status")]
        assert store.values([("lora", "status")]) == {("lora", "status"): "skipped"}
        assert undo_last(store, 4_000) is None  # remote changes are not this machine's


def test_undo_twice_goes_back_two_commands_not_back_and_forth(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        for n, rating in enumerate((3, 4, 5)):
            store.record(f"{n:08x} rate", [("lora", "rating", rating)], 1_000 + n)
        seen = []
        for step in range(3):
            assert undo_last(store, 2_000 + step) is not None
            seen.append(store.values([("lora", "rating")])[("lora", "rating")])
        assert seen == [4, 3, None]


def test_history_shows_old_and_new_in_clock_order(cli: Any) -> None:
    for args in (("start", "lora"), ("done", "lora"), ("note", "lora", "nice"), ("done", "bert")):
        assert cli(*args).exit_code == 0
    rows = [line.split("\t") for line in cli("history", "lora").stdout.splitlines()]
    assert all(row[1] == "this device" and row[2] == "lora" for row in rows)
    status_rows = [row[4] for row in rows if row[3] == "status"]
    assert status_rows == ["- -> reading", "reading -> done"]
    assert any(row[3] == "note" and row[4] == "- -> nice" for row in rows)
    data = json.loads(cli("history", "--json", "-n", "2").stdout)
    assert [d["id"] for d in data] == ["bert", "bert"] and data[0]["this_device"] is True


def test_history_of_a_bare_store(tmp_path: Path) -> None:
    store: StateStore
    with open_store(tmp_path / "s.db") as store:
        store.record("a", [("lora", "rating", 3)], 1_000)
        store.apply([Change("lora", "rating", 5, Clock(500, 0), "e" * 16, "x")])  # older
        steps = history(store)
    assert [(s.old, s.new) for s in steps] == [(None, 5), (5, 3)]


@pytest.mark.parametrize("columns", ["60", "120"])
def test_history_and_log_keep_times_and_ids_whole_on_a_narrow_terminal(
    cli: Any, columns: str
) -> None:
    assert cli("done", "autonomous-machine-intelligence").exit_code == 0
    assert cli("note", "autonomous-machine-intelligence", "a long note " * 6).exit_code == 0
    terminal = {"TTY_COMPATIBLE": "1", "NO_COLOR": "1", "COLUMNS": columns}
    for command in ("history", "log"):
        shown = cli(command, env=terminal).stdout
        screen = re.sub(r"\x1b\[[0-9;]*m", "", shown).splitlines()
        assert max(len(line) for line in screen) <= int(columns)
        rows = [line for line in screen if re.match(r"\d{4}-\d\d-\d\d", line)]
        assert rows, screen
        assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d ", line) for line in rows), screen
        assert all("autonomous-machine-intelligence" in line for line in rows), screen
