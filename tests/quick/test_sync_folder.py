"""With a sync folder, the quick path reads the state only when opening it would take
in and append nothing; otherwise the general path takes the other device's changes in."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from canon_cli.quick.serve import answer

LINE = ["list", "--status", "done"]


@pytest.fixture
def machines(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """Two homes (two machines) sharing one folder; the second has taken in the first's mark."""
    shared, one, two = tmp_path / "shared", tmp_path / "one", tmp_path / "two"
    shared.mkdir()
    for home in (one, two):
        monkeypatch.setenv("CANON_HOME", str(home))
        assert cli("config", "set", "sync_folder", str(shared)).exit_code == 0
    monkeypatch.setenv("CANON_HOME", str(one))
    assert cli("done", "bert").exit_code == 0
    monkeypatch.setenv("CANON_HOME", str(two))
    assert "bert\t" in cli(*LINE).stdout  # taken in by the general path
    return shared, one, two


def test_the_quick_path_reads_a_synced_state(machines: tuple[Path, Path, Path], cli: Any) -> None:
    found = answer(LINE)
    assert found is not None and found == cli(*LINE).stdout
    assert found.startswith("bert\t")


def test_another_devices_new_change_goes_to_the_general_path(
    machines: tuple[Path, Path, Path], cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _shared, one, two = machines
    monkeypatch.setenv("CANON_HOME", str(one))
    assert cli("done", "lora").exit_code == 0
    monkeypatch.setenv("CANON_HOME", str(two))
    assert answer(LINE) is None  # the folder holds something new
    general = cli(*LINE).stdout
    assert "lora\t" in general
    assert answer(LINE) == general  # taken in: the quick path reads it again


def test_a_change_not_yet_appended_goes_to_the_general_path(
    machines: tuple[Path, Path, Path],
) -> None:
    _shared, _one, two = machines
    db = sqlite3.connect(two / "state.db")
    db.execute("UPDATE changes SET appended = 0")
    db.commit()
    db.close()
    assert answer(LINE) is None


def test_a_journal_file_gone_or_added(machines: tuple[Path, Path, Path]) -> None:
    shared, _one, _two = machines
    (journal,) = shared.glob("*.jsonl")
    journal.rename(shared / "elsewhere")
    assert answer(LINE) is None
    (shared / "elsewhere").rename(journal)
    assert answer(LINE) is not None
    (shared / "0123456789abcdef.jsonl").write_text("", encoding="utf-8")
    assert answer(LINE) is None


def test_a_folder_spelled_otherwise_or_missing(machines: tuple[Path, Path, Path], cli: Any) -> None:
    shared, _one, two = machines
    config = two / "config.toml"
    config.write_text(f'sync_folder = "{shared}/"\n', encoding="utf-8")
    assert answer(LINE) is None
    config.write_text(f'sync_folder = "{shared}"\n', encoding="utf-8")
    assert answer(LINE) is not None
    os.rename(shared, shared.with_name("moved"))
    assert answer(LINE) is None
