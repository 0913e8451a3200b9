"""The state database under real concurrency: many writers, kills, and the write lock.

Every committed change survives a writer killed at any moment; writers started at
once all get recorded; a writer waits for another up to CANON_LOCK_TIMEOUT and then
gives up with exit code 4, having written nothing.
"""

from __future__ import annotations

import json
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
from canon_cli.state.changes import Clock
from canon_cli.state.store import open_store
from tests.fsutil import state_locked
from tests.statedb import integrity, records

SRC = Path(__file__).resolve().parents[2] / "src"
KILLS = 200

# What `canon done ID` does to the state, without the CLI: exit with canon's exit code.
MARK_DONE = """
import sys, time
from canon_cli import paths
from canon_cli.errors import CanonError
from canon_cli.state.store import open_store, new_op
try:
    with open_store(paths.state_db_path()) as store:
        store.record(new_op("done"), [(sys.argv[1], "status", "done")], time.time_ns() // 10**6)
except CanonError as exc:
    print(exc, file=sys.stderr)
    sys.exit(int(exc.exit_code))
"""


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("CANON_HOME", str(home))
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


def canon(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "canon_cli", *args],
        env={**os.environ, "PYTHONPATH": str(SRC), "CANON_LOCK_TIMEOUT": "120"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def catalog_ids() -> list[str]:
    listed = canon("list", "--json")
    out, err = listed.communicate(timeout=120)
    assert listed.returncode == 0, err
    return [item["id"] for item in json.loads(out)]


def test_twenty_five_canon_processes_at_once_are_all_recorded() -> None:
    """Real `canon done` processes started together, on a cold cache too (they also
    race to build the catalog snapshot): every mark is recorded, each with its own clock."""
    ids = catalog_ids()[:25]
    for item in paths.cache_dir().iterdir():
        item.unlink()
    procs = [canon("done", entry_id) for entry_id in ids]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    state = records()
    assert sorted(state) == sorted(ids)
    assert all(record.status == "done" for record in state.values())
    with open_store(paths.state_db_path()) as store:
        clocks = {c.clock for c in store.journal() if c.field == "status"}
    assert len(clocks) == len(ids)  # every writer saw the one before it
    progress = canon("progress", "--json")
    out, _ = progress.communicate(timeout=120)
    assert json.loads(out)["done"] == 25


def _write_forever(db: Path, report: int, n: int) -> None:
    """The child: commit ops as fast as it can; after each commit, report its clock."""
    with open_store(db) as store:
        while True:
            n += 1
            entry = f"e{n % 8}"
            sets = [
                (entry, "status", ("reading", "done", "skipped", None)[n % 4]),
                (entry, "rating", n % 5 + 1),
                (entry, f"note:{n:012x}", {"at": "2026-12-01T10:00:00Z", "text": f"write {n}"}),
            ]
            changes = store.record(f"{n:08x} test", sets, 1_796_000_000_000 + n)
            os.write(report, (changes[0].clock.text() + "\n").encode())


def test_a_writer_killed_at_any_moment_loses_no_committed_change() -> None:
    db = paths.state_db_path()
    rng = random.Random(1234)
    open_store(db).close()
    committed: set[Clock] = set()
    for child in range(KILLS):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns to pytest
            try:
                os.close(read_end)
                _write_forever(db, write_end, child * 10_000)
            finally:
                os._exit(1)
        os.close(write_end)
        # Half the kills come right after the start, half after the child's first commit.
        if child % 2:
            first = os.read(read_end, 21)
            assert first, "the child never committed"
        time.sleep(rng.uniform(0.0, 0.03))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        reported = b""
        while chunk := os.read(read_end, 65536):
            reported += chunk
        os.close(read_end)
        if child % 2:
            reported = first + reported
        committed |= {Clock.parse(line) for line in reported.decode().split("\n") if line}
        assert integrity(db) == "ok"
    with open_store(db) as store:
        found = {c.clock for c in store.journal()}
        assert committed <= found, f"{len(committed - found)} committed changes lost"
        assert store.rows()  # the fold is readable
    assert len(committed) > KILLS // 2


def test_a_lock_holder_blocks_a_writer_until_it_lets_go() -> None:
    db = paths.state_db_path()
    with state_locked(db) as holder:
        waiter = run_python(MARK_DONE, "waited", CANON_LOCK_TIMEOUT="30")
        time.sleep(1.0)
        assert waiter.poll() is None, "the writer did not wait for the lock"
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)
        _, err = waiter.communicate(timeout=30)
    assert waiter.returncode == 0, err
    assert records()["waited"].status == "done"


def test_a_writer_gives_up_with_busy_error_when_the_lock_is_held_too_long() -> None:
    db = paths.state_db_path()
    with state_locked(db):
        started = time.monotonic()
        waiter = run_python(MARK_DONE, "impatient", CANON_LOCK_TIMEOUT="0.5")
        _, err = waiter.communicate(timeout=30)
        waited = time.monotonic() - started
    assert waiter.returncode == ExitCode.BUSY
    assert waiter.returncode == 4  # the documented exit code
    assert str(db) in err and "CANON_LOCK_TIMEOUT" in err
    assert waited >= 0.5
    assert "impatient" not in records()
