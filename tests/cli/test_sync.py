"""canon sync: the devices in the sync folder, git when it is a work tree, clear errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from canon_cli.state.changes import Change, Clock, to_line
from canon_cli.state.syncdir import append

Cli = Any
A = "a1a1a1a1a1a1a1a1"
B = "b2b2b2b2b2b2b2b2"
WHEN = 1_767_225_600_000  # 2026-01-01T00:00:00Z


def change(n: int, device: str) -> Change:
    return Change(f"entry-{n}", "status", "done", Clock(WHEN + n * 60_000, 0), device, "op")


def set_folder(cli: Cli, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    assert cli("config", "set", "sync_folder", str(folder)).exit_code == 0


def test_sync_without_a_folder_says_how_to_set_one(cli: Cli) -> None:
    result = cli("sync")
    assert result.exit_code == 2
    assert "no sync folder is set" in result.stderr
    assert "canon config set sync_folder" in result.stderr


def test_sync_lists_every_device_with_its_last_change(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "Dropbox" / "canon"
    set_folder(cli, folder)
    append(folder, A, [change(1, A), change(5, A)])
    append(folder, B, [change(3, B)])
    shutil.copy(folder / f"{B}.jsonl", folder / f"{B} (conflicted copy).jsonl")
    result = cli("sync")
    assert result.exit_code == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(r[0], r[1], r[3]) for r in rows] == [(A, "2", "1"), (B, "2", "2")]
    data = json.loads(cli("sync", "--json").stdout)
    assert data["folder"] == str(folder) and data["git"] is None and data["warnings"] == []
    assert data["devices"][0]["device"] == A
    assert data["devices"][0]["last_change"] == "2026-01-01T00:05:00.000+00:00"
    assert len(data["files"]) == 3


def test_sync_names_what_it_could_not_read_and_still_succeeds(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "sync"
    set_folder(cli, folder)
    newer = to_line(change(1, B)).replace('"v":1', '"v":9')
    (folder / f"{B}.jsonl").write_text(newer + "\n")
    (folder / f"{A}.jsonl").write_text("not json\n" + to_line(change(2, A)) + "\n")
    result = cli("sync")
    assert result.exit_code == 0
    assert f"canon: warning: sync folder: {folder / (A + '.jsonl')}:1: skipped" in result.stderr
    assert f"{folder / (B + '.jsonl')}:1: refused: written by a newer canon" in result.stderr
    assert result.stdout.startswith(A)
    kinds = [w["kind"] for w in json.loads(cli("sync", "--json").stdout)["warnings"]]
    assert sorted(kinds) == ["bad-line", "newer"]


def test_sync_with_the_folder_gone_is_an_io_error(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "usb-stick" / "canon"
    set_folder(cli, folder)
    shutil.rmtree(folder)
    result = cli("sync")
    assert result.exit_code == 5
    assert f"the sync folder {folder} does not exist" in result.stderr


def test_sync_in_a_work_tree_without_remote_shows_the_devices_then_fails(
    cli: Cli, tmp_path: Path, git_env: Path
) -> None:
    folder = tmp_path / "repo"
    set_folder(cli, folder)
    subprocess.run(["git", "init", "--quiet", str(folder)], check=True)
    append(folder, A, [change(1, A)])
    result = cli("sync")
    assert result.exit_code == 1
    assert result.stdout.startswith(A)
    assert "without a remote" in result.stderr
    data = json.loads(cli("sync", "--json").stdout)
    assert "without a remote" in data["errors"][0]


def test_sync_in_a_terminal_draws_a_table(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "sync"
    set_folder(cli, folder)
    append(folder, A, [change(1, A)])
    result = cli("sync", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert f"Sync folder: {folder}" in result.stdout
    assert "Device" in result.stdout and "Last change" in result.stdout and A in result.stdout
    empty = tmp_path / "empty"
    set_folder(cli, empty)
    assert "No changes in" in cli("sync").stderr


def test_the_issue_scenario_ends_the_same_on_both_machines(cli: Cli, tmp_path: Path) -> None:
    """A: done and rate; B: a note a minute later. Both see all three, no merge needed."""
    folder = tmp_path / "Dropbox" / "canon"
    folder.mkdir(parents=True)
    a = {"CANON_HOME": str(tmp_path / "laptop-a")}
    b = {"CANON_HOME": str(tmp_path / "laptop-b")}
    for env in (a, b):
        assert cli("config", "set", "sync_folder", str(folder), env=env).exit_code == 0
    assert cli("done", "lora", env=a).exit_code == 0
    assert cli("rate", "lora", "5", env=a).exit_code == 0
    assert cli("note", "lora", "question for the reading group", env=b).exit_code == 0
    for env in (a, b):
        shown = json.loads(cli("show", "lora", "--json", env=env).stdout)
        assert (shown["status"], shown["rating"]) == ("done", 5)
        assert [n["text"] for n in shown["notes"]] == ["question for the reading group"]
