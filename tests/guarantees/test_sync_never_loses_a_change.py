"""Sync between machines never loses a change: real canon processes on two homes that
share a sync folder, canon killed at random points of a write, and a folder holding
torn lines, conflict copies, missing, unreadable and newer files."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canon_cli.state.changes import NOTE_PREFIX, Change, Clock, JournalLineError, from_line, to_line
from canon_cli.state.store import open_store
from canon_cli.state.syncdir import MAX_LINE_BYTES, device_file
from canon_cli.state.syncscan import scan
from canon_cli.state.syncstore import FolderSync
from tests.statedb import integrity

Cli = object
OTHER = "0ddba11c0ffee000"


def home(tmp_path: Path, name: str, folder: Path) -> dict[str, str]:
    """A CANON_HOME whose settings point at the shared ``folder``; its environment."""
    path = tmp_path / name
    path.mkdir(parents=True, exist_ok=True)
    (path / "config.toml").write_text(f'sync_folder = "{folder}"\n', encoding="utf-8")
    return {**os.environ, "CANON_HOME": str(path), "CANON_LOCK_TIMEOUT": "120"}


def canon(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "canon_cli", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    proc = canon(env, *args)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def done_ids(env: dict[str, str]) -> list[str]:
    listed = run(env, "list", "--status", "done", "--json")
    assert listed.returncode == 0, listed.stderr
    return sorted(item["id"] for item in json.loads(listed.stdout))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "Dropbox" / "canon"
    path.mkdir(parents=True)
    return path


def test_twenty_writers_on_each_of_two_machines_lose_nothing(tmp_path: Path, folder: Path) -> None:
    a, b = home(tmp_path, "laptop-a", folder), home(tmp_path, "laptop-b", folder)
    everything = run(a, "list", "--json")
    ids = [item["id"] for item in json.loads(everything.stdout)][:40]
    procs = [canon(a if n % 2 else b, "done", entry) for n, entry in enumerate(ids)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "warning" not in err
    assert done_ids(a) == done_ids(b) == sorted(ids)
    journal = [
        from_line(line) for p in folder.glob("*.jsonl") for line in p.read_text().splitlines()
    ]
    assert len({c.entry for c in journal}) == 40  # every change reached the folder
    assert len(list(folder.glob("*.jsonl"))) == 2  # one file per machine


# --- killed mid-write -----------------------------------------------------------------

# Rounds of the kill test; raise CANON_KILL_ROUNDS for a longer soak.
ITERATIONS = int(os.environ.get("CANON_KILL_ROUNDS", "200"))


def _write_forever(db: Path, sync: Path, seed: int) -> None:
    """What a canon write does, again and again until killed: open the state (taking in
    what another device appended meanwhile), record a change, append it."""
    rng = random.Random(seed)
    n = 0
    while True:
        n += 1
        arriving = Change(f"e{n % 9}", "rating", 1 + n % 5, Clock(seed * 1000 + n, 0), OTHER, "x")
        with open(device_file(sync, OTHER), "a") as other:
            other.write(to_line(arriving) + "\n")
        with open_store(db, FolderSync(sync)) as store:
            store.record(f"op{n}", [(f"entry-{rng.randrange(30)}", "rating", n % 5 + 1)], n)


def _die_at_call(rng: random.Random) -> None:
    """Kill this process at a random one of its next file writes, syncs or truncations;
    a write it dies in gets only part of its bytes out (a torn line)."""
    countdown = [rng.randint(1, 6)]
    real = {name: getattr(os, name) for name in ("write", "fsync", "ftruncate")}

    def reached() -> bool:
        countdown[0] -= 1
        return countdown[0] <= 0

    def write(fd: int, data: bytes) -> int:
        if reached():
            real["write"](fd, bytes(data)[: rng.randrange(max(len(data), 1))])
            os.kill(os.getpid(), signal.SIGKILL)
        return int(real["write"](fd, data))

    def other(name: str) -> object:
        def call(*args: int) -> object:
            if reached():
                os.kill(os.getpid(), signal.SIGKILL)
            return real[name](*args)

        return call

    os.write = write  # type: ignore[assignment]
    os.fsync = other("fsync")  # type: ignore[assignment]
    os.ftruncate = other("ftruncate")  # type: ignore[assignment]


def _killed_during_writes(db: Path, sync: Path, seed: int, rng: random.Random) -> None:
    at_a_call = seed % 2 == 0
    delay = rng.uniform(0.0, 0.04)
    pid = os.fork()
    if pid == 0:  # the child never returns into the test runner
        try:
            if at_a_call:
                _die_at_call(random.Random(seed))
            _write_forever(db, sync, seed)
        finally:
            os._exit(0)
    if not at_a_call:
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def test_canon_killed_at_random_points_of_a_write_loses_no_committed_change(
    tmp_path: Path, folder: Path
) -> None:
    """Each round a process writing in a loop is killed: after a random delay, or at a
    random one of its writes, syncs and truncations (mid-write, so a line is torn). After
    each kill the database opens intact, and the next run puts every committed change,
    this device's and the other's, where it belongs."""
    db = tmp_path / "state.db"
    rng = random.Random(11)
    seen = {"pending": 0, "torn": 0}
    for round_ in range(ITERATIONS):
        _killed_during_writes(db, folder, round_ + 1, rng)
        if not db.exists():
            continue
        assert integrity(db) == "ok"
        with open_store(db) as plain:
            seen["pending"] += bool(plain.local_unappended())
            own = device_file(folder, plain.device)
        seen["torn"] += own.exists() and own.read_bytes()[-1:] not in (b"", b"\n")
        with open_store(db, FolderSync(folder)) as store:  # the next run
            committed = {c for c in store.journal() if c.device == store.device}
            assert store.local_unappended() == []
            if round_ % 20 == 0 or round_ == ITERATIONS - 1:
                others = set(scan(folder, {}).changes) - committed
                assert others <= set(store.journal()), f"round {round_}: a change not taken in"
        appended = (
            {from_line(line) for line in own.read_text().splitlines()} if committed else set()
        )
        assert committed <= appended, f"round {round_}: a committed change never reached the folder"
    assert seen["pending"] > 0 and seen["torn"] > 0, seen  # both dangers were met
    leftover = [w for w in scan(folder, {}).warnings if OTHER not in w.path]
    assert leftover == []  # this device's torn tails were cut, never left as damage


def test_real_canon_processes_killed_mid_write_lose_nothing(tmp_path: Path, folder: Path) -> None:
    env = home(tmp_path, "laptop", folder)
    ids = [item["id"] for item in json.loads(run(env, "list", "--json").stdout)][:4]
    rng = random.Random(5)
    for round_ in range(12):
        proc = canon(env, "done" if round_ % 2 else "reset", *ids)
        time.sleep(rng.uniform(0.05, 0.5))  # start-up, open, commit, append
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    assert run(env, "progress").returncode == 0  # the next run appends what is missing
    db = Path(env["CANON_HOME"]) / "state.db"
    with open_store(db) as store:
        committed = set(store.journal())
        assert store.local_unappended() == []
    assert committed <= set(scan(folder, {}).changes)


# --- odd files in the folder ----------------------------------------------------------


def theirs(n: int, device: str = OTHER) -> Change:
    return Change("lora", "rating", n, Clock(1_767_225_600_000 + n, 0), device, "their op")


def test_odd_files_are_read_safely_or_refused_by_name(tmp_path: Path, folder: Path) -> None:
    env = home(tmp_path, "laptop", folder)
    own_before = run(env, "note", "lora", "mine, kept whatever the folder holds")
    assert own_before.returncode == 0, own_before.stderr
    torn = device_file(folder, OTHER)
    torn.write_text(to_line(theirs(4)) + "\n" + to_line(theirs(5))[:40])  # still arriving
    copy = folder / f"{OTHER} (conflicted copy 2026-01-02).jsonl"
    copy.write_text(to_line(theirs(4)) + "\n" + to_line(theirs(3, "c0c0c0c0c0c0c0c0")) + "\n")
    newer = folder / "feedfacefeedface.jsonl"
    newer.write_text(to_line(theirs(5, "feedfacefeedface")).replace('"v":1', '"v":7') + "\n")
    (folder / "broken.jsonl").write_bytes(b"\x00\xff garbage\n")
    result = run(env, "show", "lora", "--json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{newer}:1: refused: written by a newer canon (journal version 7)" in result.stderr
    assert f"{folder / 'broken.jsonl'}:1: skipped a damaged line" in result.stderr
    assert str(torn) not in result.stderr  # a torn last line waits quietly
    shown = json.loads(result.stdout)
    assert shown["rating"] == 4  # the conflict copy and the whole line were both read
    assert [n["text"] for n in shown["notes"]] == ["mine, kept whatever the folder holds"]
    again = run(env, "show", "lora")
    assert "broken.jsonl" not in again.stderr  # a damaged line is named once
    copy.unlink()
    gone = run(env, "sync")
    assert gone.returncode == 0
    assert "no longer in the sync folder" in gone.stderr and "refused" in gone.stderr


def test_a_missing_folder_warns_and_keeps_the_change(tmp_path: Path, folder: Path) -> None:
    env = home(tmp_path, "laptop", folder)
    shutil.rmtree(folder)
    result = run(env, "done", "lora")
    assert result.returncode == 0
    assert "the sync folder is missing" in result.stderr
    folder.mkdir()
    assert run(env, "progress").returncode == 0
    lines = [from_line(x) for p in folder.glob("*.jsonl") for x in p.read_text().splitlines()]
    assert [(c.entry, c.value) for c in lines if c.field == "status"] == [("lora", "done")]


def test_an_unreadable_device_file_is_named_and_read_once_it_can_be(
    cli: object, canon_home: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process (root can read any file): the folder's file refuses to open."""
    invoke = cli  # the in-process runner from conftest
    (canon_home).mkdir(parents=True, exist_ok=True)
    (canon_home / "config.toml").write_text(f'sync_folder = "{folder}"\n', encoding="utf-8")
    blocked = device_file(folder, OTHER)
    blocked.write_text(to_line(theirs(2)) + "\n")
    real_open = os.open

    def refuse(path: str | os.PathLike[str], *args: int) -> int:
        if os.fspath(path) == str(blocked):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, *args)

    monkeypatch.setattr(os, "open", refuse)
    result = invoke("done", "lora")  # type: ignore[operator]
    assert result.exit_code == 0
    assert f"{blocked}: cannot be read (Permission denied)" in result.stderr
    monkeypatch.setattr(os, "open", real_open)
    shown = invoke("show", "lora", "--json")  # type: ignore[operator]
    data = json.loads(shown.stdout)
    assert data["status"] == "done" and data["rating"] == 2


# --- fuzzed device files ------------------------------------------------------------------


def _line(n: int) -> bytes:
    return (to_line(theirs(n)) + "\n").encode()


JOURNAL_PIECES = st.one_of(
    st.integers(0, 6).map(_line),  # whole lines of another device
    st.tuples(st.integers(0, 6), st.integers(0, 120)).map(lambda p: _line(p[0])[: p[1]]),  # torn
    st.integers(0, 6).map(lambda n: _line(n).replace(b'"v":1', b'"v":9')),  # a newer canon
    st.binary(max_size=80),
    st.sampled_from([b"\n", b"\r\n", b"\x00" * 64, b"{}\n", b"[]\n", b"null\n", b'{"v":1}\n']),
    st.sampled_from([MAX_LINE_BYTES - 1, MAX_LINE_BYTES + 1, 3 * MAX_LINE_BYTES]).map(
        lambda size: b'{"v":1,"e":"' + b"x" * size + b'"}\n'
    ),  # huge lines
)
JOURNAL_FILES = (
    f"{OTHER}.jsonl",
    f"{OTHER} (conflicted copy 2026-01-02).jsonl",
    "feedfacefeedface.jsonl",
)


def expected_rating(folder: Path) -> int | None:
    """The oracle: the newest rating among the whole lines a reader must take in (a file
    is read up to its first line from a newer canon; a torn last line waits)."""
    ratings: list[tuple[Clock, int]] = []
    for path in folder.glob("*.jsonl"):
        for raw in path.read_bytes().split(b"\n")[:-1]:
            try:
                change = from_line(raw.decode("utf-8"))
            except JournalLineError as exc:
                if exc.newer:
                    break
                continue
            except UnicodeDecodeError:
                continue
            if change.device == OTHER and isinstance(change.value, int):
                ratings.append((change.clock, change.value))
    return max(ratings)[1] if ratings else None


@pytest.fixture
def no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Syncing to disk guards against power loss, which this test does not model."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)


@pytest.fixture(scope="module")
def synced_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with a warm catalog snapshot, copied for every example."""
    from typer.testing import CliRunner

    from canon_cli.cli.app import app

    home = tmp_path_factory.mktemp("fuzz") / "home"
    result = CliRunner().invoke(app, ["list"], env={"CANON_HOME": str(home)})
    assert result.exit_code == 0, result.output
    return home


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    files=st.lists(
        st.tuples(st.sampled_from(JOURNAL_FILES), st.lists(JOURNAL_PIECES, max_size=6)),
        min_size=1,
        max_size=3,
    )
)
def test_any_device_files_lose_no_local_change(
    synced_home: Path, files: list[tuple[str, list[bytes]]], no_fsync: None
) -> None:
    """Random bytes, torn, damaged, newer and huge lines in the folder: every command
    ends with 0 and no traceback, the local change is in the state and in this device's
    file, and the other device's whole lines are taken in."""
    from typer.testing import CliRunner

    from canon_cli.cli.app import app

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        shutil.copytree(synced_home, home)
        folder = Path(tmp) / "sync"
        folder.mkdir()
        (home / "config.toml").write_text(f'sync_folder = "{folder}"\n', encoding="utf-8")
        for name, pieces in files:
            with open(folder / name, "ab") as out:
                out.write(b"".join(pieces))
        env = {"CANON_HOME": str(home), "CANON_LOCK_TIMEOUT": "5"}
        results = [
            CliRunner().invoke(app, args, env=env, catch_exceptions=False)
            for args in (["done", "lora"], ["note", "lora", "mine"], ["show", "lora", "--json"])
        ]
        for result in results:
            assert result.exit_code == 0, result.output
            assert "Traceback" not in result.output
        shown = json.loads(results[-1].stdout)
        assert shown["status"] == "done" and [n["text"] for n in shown["notes"]] == ["mine"]
        assert shown["rating"] == expected_rating(folder)
        ours = [c for c in scan(folder, {}).changes if c.entry == "lora" and c.device != OTHER]
        assert any(c.field == "status" and c.value == "done" for c in ours), ours
        assert any(c.field.startswith(NOTE_PREFIX) for c in ours), ours
