"""The fast read of reading statuses, taken by ``list``, ``progress`` and ``next`` on
every run.

It imports nothing of the state machinery: it hashes the state file's bytes and, when
the JSON snapshot in the cache dir was made from exactly those bytes, takes the
statuses from it. Anything else (no snapshot, another version, a changed, odd or
unreadable file) goes to ``statefile``, which validates, reports errors properly and
writes a fresh snapshot. The snapshot cannot make canon show stale data: its key is
the hash of the file's current content.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from canon_cli import __version__, paths
from canon_cli.fileio import read_regular
from canon_cli.vocab import STATUSES

SNAPSHOT_FORMAT = 1
SNAPSHOT_NAME = "state-snapshot.json"
MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024  # a snapshot of the largest state canon reads


def digest(data: bytes) -> str:
    try:  # hashlib would load OpenSSL on import; the built-in BLAKE2 module is enough
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - not CPython
        from hashlib import blake2b
    return blake2b(data, digest_size=20).hexdigest()


def snapshot_key(content_digest: str) -> str:
    return f"canon {__version__} state-snapshot {SNAPSHOT_FORMAT} {content_digest}"


def snapshot_path() -> Path:
    return paths.cache_dir() / SNAPSHOT_NAME


def _warm_statuses(path: Path) -> dict[str, str] | None:
    """Statuses from a snapshot of exactly the file's current bytes, else None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        blob = json.loads(read_regular(snapshot_path(), MAX_SNAPSHOT_BYTES))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(blob, dict) or blob.get("key") != snapshot_key(digest(b"".join(chunks))):
        return None
    rows = blob.get("entries")
    if not isinstance(rows, list):
        return None
    if not all(valid_row(row) for row in rows):
        return None
    return {row[0]: row[1] for row in rows}


def valid_row(row: object) -> bool:
    """One snapshot row: [id, status, started, finished, rating, notes, updated]."""
    if not (isinstance(row, list) and len(row) == 7):
        return False
    entry_id, status, started, finished, rating, notes, updated = row
    return (
        isinstance(entry_id, str)
        and status in STATUSES
        and all(value is None or isinstance(value, str) for value in (started, finished, updated))
        and (rating is None or (isinstance(rating, int) and not isinstance(rating, bool)))
        and isinstance(notes, list)
        and all(
            isinstance(n, list) and len(n) == 2 and all(isinstance(x, str) for x in n)
            for n in notes
        )
    )


def read_statuses(path: Path) -> dict[str, str]:
    """Every recorded entry's status (ids the state does not mention are unread)."""
    warm = _warm_statuses(path)
    if warm is not None:
        return warm
    from canon_cli.state.file import read_statuses as read_validated

    return read_validated(path)
