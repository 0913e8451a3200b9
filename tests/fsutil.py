"""Helpers shared by several test modules."""

from __future__ import annotations

import contextlib
import subprocess
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
