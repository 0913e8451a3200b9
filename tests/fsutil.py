"""Helpers shared by several test modules."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def unwritable(directory: Path) -> Iterator[None]:
    """Make ``directory`` refuse new files, even for root (chattr +i), or skip the test."""
    directory.mkdir(parents=True, exist_ok=True)
    mode = directory.stat().st_mode
    directory.chmod(0o555)
    immutable = False
    probe = directory / ".probe"
    try:
        try:
            probe.touch()
        except OSError:
            pass
        else:
            probe.unlink()
            chattr = subprocess.run(["chattr", "+i", str(directory)], capture_output=True)
            immutable = chattr.returncode == 0
            try:
                probe.touch()
            except OSError:
                pass
            else:
                probe.unlink()
                pytest.skip("cannot make a directory unwritable here")
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(directory)], capture_output=True)
        directory.chmod(mode)


DB_HOLDER = """
import sys
from canon_cli.state.store import open_store
from pathlib import Path
store = open_store(Path(sys.argv[1]))
store.db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
"""


@contextlib.contextmanager
def state_locked(db: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holds the state database's write lock until the block ends."""
    db.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", DB_HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)
