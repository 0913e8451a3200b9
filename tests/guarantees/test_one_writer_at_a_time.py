"""The state file under real concurrency: many canon processes, kills, and the lock."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from canon_cli import paths
from canon_cli.errors import ExitCode
from canon_cli.state import file as statefile
from canon_cli.state.file import load_state, update_state
from canon_cli.state.records import Note, ReadingState, mark, set_rating
from canon_cli.vocab import STATUSES

SRC = Path(__file__).resolve().parents[2] / "src"

# What `canon done ID` does, without the CLI: exit with canon's exit code on an error.
MARK_DONE = """
import sys
from canon_cli import paths
from canon_cli.errors import CanonError
from canon_cli.state.records import mark, now_iso
from canon_cli.state.file import update_state
try:
    update_state(paths.state_path(), lambda s: mark(s, sys.argv[1], "done", now_iso()))
except CanonError as exc:
    print(exc, file=sys.stderr)
    sys.exit(int(exc.exit_code))
"""

# Holds the state lock until its stdin is closed.
HOLD_LOCK = """
import sys
from canon_cli import paths
from canon_cli.fileio import exclusive_lock
with exclusive_lock(paths.lock_path(), 10):
    print("locked", flush=True)
    sys.stdin.read()
"""


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("CANON_HOME", str(home))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.delenv("CANON_LOCK_TIMEOUT", raising=False)
    return home


def run_python(code: str, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        env={**os.environ, "PYTHONPATH": str(SRC), **env},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def no_temp_files(folder: Path) -> bool:
    return not [name for name in os.listdir(folder) if name.endswith(".tmp")]


def test_fifty_processes_at_once_all_get_recorded() -> None:
    ids = [f"paper-{n:02d}" for n in range(50)]
    procs = [run_python(MARK_DONE, entry_id, CANON_LOCK_TIMEOUT="120") for entry_id in ids]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    state = load_state(paths.state_path())
    assert sorted(state.entries) == ids
    assert all(record.status == "done" for record in state.entries.values())
    assert len(load_state(statefile.backup_path(paths.state_path())).entries) == 49
    assert no_temp_files(paths.state_path().parent)


def _write_forever(path: Path, n: int) -> None:
    """The child: update the state over and over, as fast as it can (every write differs)."""
    stamp = "2026-12-01T10:00:00+00:00"
    while True:
        n += 1

        def change(state: ReadingState, n: int = n) -> None:
            entry_id = f"e{n % 8}"
            mark(state, entry_id, STATUSES[n % 4], stamp)
            set_rating(state, entry_id, n % 5 + 1, stamp)
            state.entries[entry_id].notes = [Note(at=stamp, text=f"write {n}")]

        update_state(path, change)


def test_a_writer_killed_at_any_moment_leaves_a_file_that_parses() -> None:
    path = paths.state_path()
    rng = random.Random(1234)
    # Load the YAML machinery here, once: each forked child then starts writing at once.
    update_state(path, lambda s: mark(s, "seed", "reading", "2026-12-01T09:00:00+00:00"))
    for child in range(100):
        before = path.read_bytes()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns to pytest
            try:
                _write_forever(path, child * 1000)
            finally:
                os._exit(1)
        # Half the kills come at a random moment after the start, half at a random moment
        # after the child's first completed write, so they spread over the whole write cycle.
        if child % 2:
            deadline = time.monotonic() + 10
            while path.read_bytes() == before and time.monotonic() < deadline:
                time.sleep(0.002)
            assert path.read_bytes() != before, "the child never wrote"
        time.sleep(rng.uniform(0.0, 0.05))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        load_state(path)  # raises if the kill left a broken file
        backup = statefile.backup_path(path)
        if backup.exists():
            load_state(backup)
    update_state(path, lambda s: mark(s, "after-the-storm", "done", "2026-12-02T00:00:00+00:00"))
    assert no_temp_files(path.parent)  # a killed writer's temp files are cleaned up
    assert load_state(path).entries["after-the-storm"].status == "done"


def test_a_lock_holder_blocks_a_writer_until_it_lets_go() -> None:
    holder = run_python(HOLD_LOCK)
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    waiter = run_python(MARK_DONE, "waited", CANON_LOCK_TIMEOUT="30")
    time.sleep(1.0)
    assert waiter.poll() is None, "the writer did not wait for the lock"
    assert not paths.state_path().exists()
    holder.communicate(timeout=10)  # closes stdin: the holder exits, freeing the lock
    _, err = waiter.communicate(timeout=30)
    assert waiter.returncode == 0, err
    assert load_state(paths.state_path()).entries["waited"].status == "done"


def test_a_writer_gives_up_with_busy_error_when_the_lock_is_held_too_long() -> None:
    holder = run_python(HOLD_LOCK)
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    try:
        started = time.monotonic()
        waiter = run_python(MARK_DONE, "impatient", CANON_LOCK_TIMEOUT="0.5")
        _, err = waiter.communicate(timeout=30)
        waited = time.monotonic() - started
    finally:
        holder.communicate(timeout=10)
    assert waiter.returncode == ExitCode.BUSY
    assert waiter.returncode == 4  # the documented exit code
    assert str(paths.lock_path()) in err
    assert "CANON_LOCK_TIMEOUT" in err
    assert waited >= 0.5
    assert not paths.state_path().exists()
