"""Faults while writing the state, and the lock: the user's file is never damaged.

A write that fails at any step (creating the temp file, writing, syncing, renaming;
disk full or I/O error) leaves the state file and its backup exactly as they were and
no temp file behind, and ends with one message naming the file and exit code 5. The
lock makes writers wait for each other (or give up with exit code 4), and a symbolic
link planted at the lock or temp path is never followed.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from canon_cli import fileio
from canon_cli.errors import CanonIOError, ExitCode
from tests.fsutil import lock_held


@pytest.fixture(scope="module")
def built_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from canon_cli.catalog.snapshot import open_catalog
    from canon_cli.paths import builtin_catalog_path

    cache = tmp_path_factory.mktemp("cache")
    open_catalog([builtin_catalog_path()], cache).db.close()
    return cache


@pytest.fixture
def home(cli: Any, built_snapshot: Path, canon_home: Path) -> Path:
    """A canon home with a state file and its backup (two writes done), warm caches."""
    shutil.copytree(built_snapshot, canon_home / "cache")
    for args in (("start", "bert"), ("rate", "bert", "4")):
        assert cli(*args).exit_code == 0
    assert (canon_home / "state.yaml.bak").is_file()
    return canon_home


def snapshot_files(home: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in home.iterdir() if p.is_file()}


def leftovers(home: Path) -> list[str]:
    return sorted(p.name for p in home.iterdir() if p.name.endswith(".tmp"))


def _path_of(arg: Any) -> str:
    if isinstance(arg, int):
        try:
            return str(os.readlink(f"/proc/self/fd/{arg}"))
        except OSError:
            return ""
    return str(os.fspath(arg))


def _is_temp_for(name: str) -> Callable[[str], bool]:
    """Matches the temp file canon writes before renaming it to ``name``."""
    pattern = re.compile(re.escape(fileio.temp_prefix(Path(name))) + r"[0-9a-f]+\.tmp")
    return lambda path: pattern.fullmatch(os.path.basename(path)) is not None


def inject(monkeypatch: pytest.MonkeyPatch, function: str, error: int, target: str) -> list[str]:
    """Make ``os.<function>`` fail with ``error`` when it works on ``target``'s write."""
    real = getattr(os, function)
    is_temp = _is_temp_for(target)
    hits: list[str] = []

    def fake(*args: Any, **kwargs: Any) -> Any:
        if function == "replace":
            hit = os.path.basename(_path_of(args[1])) == target
        elif function == "open":
            hit = is_temp(_path_of(args[0])) and bool(args[1] & os.O_EXCL)
        else:
            hit = is_temp(_path_of(args[0]))
        if hit:
            hits.append(function)
            raise OSError(error, os.strerror(error))
        return real(*args, **kwargs)

    monkeypatch.setattr(os, function, fake)
    return hits


@pytest.mark.parametrize("target", ["state.yaml", "state.yaml.bak"])
@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EIO])
@pytest.mark.parametrize("function", ["open", "write", "fsync", "replace"])
def test_failed_write_leaves_the_files_as_they_were(
    cli: Any,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    function: str,
    error: int,
    target: str,
) -> None:
    before = snapshot_files(home)
    hits = inject(monkeypatch, function, error, target)
    result = cli("done", "bert")
    monkeypatch.undo()
    assert hits, "the fault was never reached"
    assert result.exit_code == ExitCode.IO, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"canon: error: cannot write {home / target}: ")
    assert os.strerror(error) in result.stderr
    after = snapshot_files(home)
    assert after["state.yaml"] == before["state.yaml"]
    if target == "state.yaml.bak":
        assert after["state.yaml.bak"] == before["state.yaml.bak"]
    else:  # the backup was refreshed first: it holds the (unchanged) last good state
        assert after["state.yaml.bak"] == before["state.yaml"]
    assert leftovers(home) == []


def test_failed_first_write_creates_no_state(
    cli: Any, canon_home: Path, built_snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(built_snapshot, canon_home / "cache")
    inject(monkeypatch, "write", errno.ENOSPC, "state.yaml")
    result = cli("note", "bert", "a thought")
    monkeypatch.undo()
    assert result.exit_code == ExitCode.IO
    assert str(canon_home / "state.yaml") in result.stderr
    assert not (canon_home / "state.yaml").exists()
    assert leftovers(canon_home) == []


def test_a_folder_that_cannot_be_synced_does_not_fail_the_write(
    cli: Any, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Syncing the folder after the rename is best effort: the new file is in place."""
    real = os.fsync

    def fsync(fd: int) -> None:
        if os.path.isdir(_path_of(fd)):
            raise OSError(errno.EINVAL, os.strerror(errno.EINVAL))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    result = cli("done", "bert")
    monkeypatch.undo()
    assert result.exit_code == 0, result.stderr
    assert "status: done" in (home / "state.yaml").read_text()


def test_failed_export_names_the_file(cli: Any, home: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    result = cli("state", "export", str(blocker / "copy.yaml"))
    assert result.exit_code == ExitCode.IO
    assert str(blocker / "copy.yaml") in result.stderr


# --- the lock -------------------------------------------------------------------------------


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


def test_waiter_proceeds_after_the_holder_releases(home: Path) -> None:
    with lock_held(home / "state.lock") as holder:
        waiter = canon_process("done", "bert")
        time.sleep(1.0)
        assert waiter.poll() is None, "the waiter did not wait for the lock"
        assert "status: done" not in (home / "state.yaml").read_text()
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)
        _, err = waiter.communicate(timeout=30)
    assert waiter.returncode == 0, err
    assert "status: done" in (home / "state.yaml").read_text()


def test_waiter_gives_up_with_4(home: Path) -> None:
    before = snapshot_files(home)
    with lock_held(home / "state.lock"):
        waiter = canon_process("done", "bert", timeout="0.5")
        _, err = waiter.communicate(timeout=30)
    assert waiter.returncode == ExitCode.BUSY
    assert err.startswith("canon: error: another canon process")
    assert snapshot_files(home)["state.yaml"] == before["state.yaml"]


def test_concurrent_writers_lose_no_update(home: Path) -> None:
    ids = ["lora", "react", "gpt-4-technical-report", "attention-is-all-you-need"]
    procs = [canon_process("start", entry_id) for entry_id in ids]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    text = (home / "state.yaml").read_text()
    for entry_id in [*ids, "bert"]:
        assert f"{entry_id}:" in text


def test_symlink_at_the_lock_path_is_not_followed(cli: Any, home: Path, tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    lock = home / "state.lock"
    lock.unlink(missing_ok=True)
    lock.symlink_to(precious)
    before = snapshot_files(home)
    result = cli("done", "bert")
    assert result.exit_code == ExitCode.IO
    assert "symbolic link" in result.stderr and str(lock) in result.stderr
    assert precious.read_text() == "keep me"
    assert snapshot_files(home)["state.yaml"] == before["state.yaml"]


def test_dangling_symlink_at_the_lock_path_creates_nothing(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    lock = home / "state.lock"
    lock.unlink(missing_ok=True)
    lock.symlink_to(tmp_path / "created-by-canon")
    assert cli("done", "bert").exit_code == ExitCode.IO
    assert not (tmp_path / "created-by-canon").exists()


def test_symlink_at_a_temp_path_is_not_followed(
    cli: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link planted where canon will put its temp file: canon writes elsewhere."""
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    tokens = iter(["planted"] * 3)
    monkeypatch.setattr(fileio, "_temp_token", lambda: next(tokens, os.urandom(6).hex()))
    planted = home / f"{fileio.temp_prefix(home / 'state.yaml')}planted.tmp"
    planted.symlink_to(precious)
    result = cli("done", "bert")
    assert result.exit_code == 0, result.stderr
    assert precious.read_text() == "keep me"
    assert "status: done" in (home / "state.yaml").read_text()
    assert not (home / "state.yaml").is_symlink()


def test_atomic_write_never_writes_through_a_planted_temp_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    target = tmp_path / "file.yaml"
    planted = tmp_path / f"{fileio.temp_prefix(target)}planted.tmp"
    planted.symlink_to(precious)
    monkeypatch.setattr(fileio, "_temp_token", lambda: "planted")
    with pytest.raises(CanonIOError) as caught:
        fileio.atomic_write_bytes(target, b"new")
    assert str(target) in str(caught.value)
    assert precious.read_text() == "keep me" and not target.exists()
    tokens = iter(["planted"])
    monkeypatch.setattr(fileio, "_temp_token", lambda: next(tokens, "fresh"))
    fileio.atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert precious.read_text() == "keep me" and planted.is_symlink()


def test_killed_writer_leaves_no_damage(home: Path) -> None:
    """A writer killed at any moment leaves the old or the new state, never a mix."""
    before = (home / "state.yaml").read_bytes()
    for delay in (0.05, 0.2, 0.4):
        proc = canon_process("note", "bert", "x" * 200)
        time.sleep(delay)
        proc.kill()
        proc.communicate(timeout=30)
        now = (home / "state.yaml").read_bytes()
        assert now == before or b"x" * 200 in now
        before = now
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
    calls += 1
    if calls == nth:
        os.kill(os.getpid(), signal.SIGTERM)
    return result

setattr(os, function, then_sigterm)
sys.argv = ["canon", *sys.argv[3:]]
from canon_cli.__main__ import main
main()
"""


def is_old_or_new(state: Path, before: bytes, marker: bytes) -> bool:
    """The state file is what it was, or a whole new state with the change in it."""
    from canon_cli.state.file import load_state

    data = state.read_bytes()
    if data == before:
        return True
    load_state(state)  # raises if the file were torn
    return marker in data


# The write of `canon note`: the backup's temp synced (fsync 1), renamed (replace 1), its
# folder synced (fsync 2); the state's temp synced (fsync 3), renamed (replace 2), ...
@pytest.mark.parametrize(
    ("function", "nth"),
    [("fsync", 1), ("replace", 1), ("fsync", 2), ("fsync", 3), ("replace", 2), ("replace", 3)],
)
def test_sigterm_during_a_write_leaves_the_old_or_the_new_file(
    home: Path, function: str, nth: int
) -> None:
    before = snapshot_files(home)
    proc = subprocess.run(
        [sys.executable, "-c", SIGTERM_AT, function, str(nth), "note", "bert", "sigterm-note"],
        capture_output=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == TERMINATED, (proc.returncode, proc.stderr)
    assert b"Traceback" not in proc.stderr
    assert leftovers(home) == [], "a temp file outlived the SIGTERM"
    assert is_old_or_new(home / "state.yaml", before["state.yaml"], b"sigterm-note")
    backup = (home / "state.yaml.bak").read_bytes()
    assert backup in (before["state.yaml.bak"], before["state.yaml"])
    done = canon_process("done", "bert")  # the lock was released
    assert done.wait(timeout=120) == 0


def test_sigterm_at_random_moments_never_damages_the_state(home: Path) -> None:
    """Real processes, SIGTERM after a random delay: start-up, lock, parse, write, rename."""
    import random

    rng = random.Random(15)
    state = home / "state.yaml"
    outcomes: dict[int, int] = {}
    for round_ in range(40):
        before = state.read_bytes()
        marker = f"round-{round_}-note".encode()
        proc = canon_process("note", "bert", marker.decode())
        time.sleep(rng.uniform(0.02, 0.6))
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
        outcomes[proc.returncode] = outcomes.get(proc.returncode, 0) + 1
        assert proc.returncode in (0, TERMINATED, -signal.SIGTERM), err
        assert "Traceback" not in err
        assert is_old_or_new(state, before, marker), round_
        assert leftovers(home) == [], (round_, proc.returncode)
    assert outcomes.get(TERMINATED), outcomes  # some were caught mid-run
