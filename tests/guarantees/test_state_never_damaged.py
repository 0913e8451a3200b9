"""Faults while writing the state: nothing committed is ever lost or damaged.

A write that fails (disk full, a read-only folder) changes nothing and ends with one
message naming the database and exit code 5. A damaged database is reported (exit 3)
and left alone, never removed as if it were a cache. A version-1 ``state.yaml`` is
taken in and left exactly as it was. A symbolic link planted where SQLite puts its
side files is refused, never followed.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from canon_cli.errors import ExitCode
from canon_cli.state import store as state_store
from tests.statedb import integrity, records


@pytest.fixture(scope="module")
def built_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from canon_cli.catalog.snapshot import open_catalog
    from canon_cli.paths import builtin_catalog_path

    cache = tmp_path_factory.mktemp("cache")
    open_catalog([builtin_catalog_path()], cache).db.close()
    return cache


@pytest.fixture
def home(cli: Any, built_snapshot: Path, canon_home: Path) -> Path:
    """A canon home with a state database (two writes done) and warm caches."""
    shutil.copytree(built_snapshot, canon_home / "cache")
    for args in (("start", "bert"), ("rate", "bert", "4")):
        assert cli(*args).exit_code == 0
    return canon_home


def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every connection canon opens finds the disk full: the database cannot grow."""
    real = state_store._connect

    def connect(path: Path) -> sqlite3.Connection:
        db = real(path)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return db

    monkeypatch.setattr(state_store, "_connect", connect)


def test_a_full_disk_fails_the_write_and_keeps_the_state(
    cli: Any, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = records()
    with monkeypatch.context() as patch:
        full_disk(patch)
        result = cli("note", "bert", "x" * 90_000)
    assert result.exit_code == ExitCode.IO, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"canon: error: cannot write {home / 'state.db'}: ")
    assert "full" in result.stderr
    assert records() == before
    assert integrity(home / "state.db") == "ok"
    assert cli("note", "bert", "x" * 90_000).exit_code == 0  # room again: it works


def test_failed_export_names_the_file(cli: Any, home: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    result = cli("state", "export", str(blocker / "copy.yaml"))
    assert result.exit_code == ExitCode.IO
    assert str(blocker / "copy.yaml") in result.stderr


@pytest.mark.parametrize("garbage", [b"", b"SQLite format 3\x00" + b"\xff" * 5000, b"hello"])
def test_a_damaged_database_is_reported_and_left_alone(
    cli: Any, home: Path, garbage: bytes
) -> None:
    db = home / "state.db"
    for side in ("state.db-wal", "state.db-shm"):
        (home / side).unlink(missing_ok=True)
    db.write_bytes(garbage or b"\x00" * 4096)
    before = db.read_bytes()
    for command in (("list",), ("done", "bert"), ("show", "bert")):
        result = cli(*command)
        assert result.exit_code == ExitCode.DATA, (command, result.stderr)
        assert str(db) in result.stderr and "damaged" in result.stderr
        assert "Traceback" not in result.stderr
    assert db.read_bytes() == before  # never removed or rewritten
    assert (home / "cache").is_dir() and list((home / "cache").iterdir())  # nor the caches


def test_a_database_from_a_newer_canon_is_refused(cli: Any, home: Path) -> None:
    db = sqlite3.connect(home / "state.db")
    db.execute("PRAGMA user_version = 99")
    db.close()
    result = cli("done", "bert")
    assert result.exit_code == ExitCode.DATA
    assert "newer canon" in result.stderr


def test_the_database_is_private(home: Path) -> None:
    assert (home / "state.db").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("side", ["state.db-wal", "state.db-shm"])
def test_a_symlink_at_a_side_file_is_not_followed(
    cli: Any, home: Path, tmp_path: Path, side: str
) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    (home / side).unlink(missing_ok=True)
    (home / side).symlink_to(precious)
    result = cli("done", "bert")
    assert result.exit_code == ExitCode.IO
    assert "symbolic link" in result.stderr and str(home / side) in result.stderr
    assert precious.read_text() == "keep me"


def test_a_symlinked_database_is_used_through_the_link(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    """A user may keep the database elsewhere (dotfiles) and link it in."""
    real = tmp_path / "elsewhere" / "state.db"
    real.parent.mkdir()
    for name in ("state.db", "state.db-wal", "state.db-shm"):
        if (home / name).exists():
            shutil.move(home / name, real.parent / name)
    (home / "state.db").symlink_to(real)
    assert cli("done", "bert").exit_code == 0
    assert records(real)["bert"].status == "done"


# --- writers in real processes --------------------------------------------------------------


def canon_process(*args: str, timeout: str = "20") -> subprocess.Popen[str]:
    env = {**os.environ, "CANON_LOCK_TIMEOUT": timeout}
    return subprocess.Popen(
        [sys.executable, "-m", "canon_cli", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_killed_writer_leaves_no_damage(home: Path) -> None:
    """A canon killed at any moment leaves every committed change, and a database that opens."""
    for delay in (0.05, 0.2, 0.4, 0.6):
        proc = canon_process("note", "bert", "x" * 200)
        time.sleep(delay)
        proc.kill()
        proc.communicate(timeout=30)
        assert integrity(home / "state.db") == "ok"
        assert records()["bert"].rating == 4
    result = subprocess.run(
        [sys.executable, "-m", "canon_cli", "show", "bert", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


# --- SIGTERM, as a system shutting down or a supervisor sends it --------------------------

TERMINATED = 143  # the documented exit code: 128 + SIGTERM's number

SIGTERM_AT = """
import os, signal, sys
function, nth = sys.argv[1], int(sys.argv[2])
real = getattr(os, function)
calls = 0

def then_sigterm(*args, **kwargs):
    global calls
    result = real(*args, **kwargs)
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        return result  # canon has not started yet: count its own calls only
    calls += 1
    if calls == nth:
        os.kill(os.getpid(), signal.SIGTERM)
    return result

setattr(os, function, then_sigterm)
sys.argv = ["canon", *sys.argv[3:]]
from canon_cli.__main__ import main
main()
"""


def notes_of(home: Path) -> list[str]:
    """The texts of bert's notes, read as a user would (the database must open)."""
    assert integrity(home / "state.db") == "ok"
    return [n.text for n in records(home / "state.db")["bert"].notes]


def no_temp_files(home: Path) -> bool:
    return not [p for p in home.rglob("*") if p.name.endswith(".tmp")]


# SIGTERM after the nth call of a system function `canon note` makes on its way: the
# journal's fsync and write calls of SQLite's C code do not pass through os, so these
# are the Python-level steps: opening the database, taking in, sweeping temp files.
@pytest.mark.parametrize(("function", "nth"), [("stat", 1), ("stat", 5), ("open", 1), ("lstat", 3)])
def test_sigterm_during_a_write_leaves_the_change_whole_or_absent(
    home: Path, function: str, nth: int
) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", SIGTERM_AT, function, str(nth), "note", "bert", "sigterm-note"],
        capture_output=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode in (0, TERMINATED), (proc.returncode, proc.stderr)
    assert b"Traceback" not in proc.stderr
    assert no_temp_files(home), "a temp file outlived the SIGTERM"
    notes = notes_of(home)
    assert notes in ([], ["sigterm-note"])
    assert (proc.returncode == 0) == (notes == ["sigterm-note"])  # 143: nothing committed
    done = canon_process("done", "bert")  # the database is not left locked
    assert done.wait(timeout=120) == 0


def test_sigterm_at_random_moments_never_damages_the_state(home: Path) -> None:
    """Real processes, SIGTERM after a random delay: start-up, open, take in, commit."""
    import random

    rng = random.Random(15)
    outcomes: dict[int, int] = {}
    expected: list[str] = []
    for round_ in range(40):
        marker = f"round-{round_}-note"
        proc = canon_process("note", "bert", marker)
        time.sleep(rng.uniform(0.02, 0.6))
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
        outcomes[proc.returncode] = outcomes.get(proc.returncode, 0) + 1
        assert proc.returncode in (0, TERMINATED, -signal.SIGTERM), err
        assert "Traceback" not in err
        notes = notes_of(home)
        if proc.returncode == 0:  # it said it wrote the note: the note is there
            expected.append(marker)
        assert set(expected) <= set(notes), round_
        assert set(notes) <= set(expected) | {marker}, round_  # nothing else, nothing torn
        expected = [n for n in notes]
        assert no_temp_files(home), (round_, proc.returncode)
    assert outcomes.get(TERMINATED), outcomes  # some were caught mid-run
