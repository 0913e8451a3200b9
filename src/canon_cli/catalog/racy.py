"""Snapshots of files whose timestamps cannot tell a change yet ("racy" in git's words).

The snapshot key holds each source's size, mtime, ctime and inode. On a filesystem that
keeps timestamps to the second (ext4 with small inodes, FAT's two seconds, many network
filesystems), a rewrite of the same size within the same tick keeps all four, so the key
alone would serve the old content until the file changes again. git's rule applies: a
source whose last change is not safely older than the moment the snapshot was read from
it is unproven. Its content hash is stored with the snapshot and checked on every use
until a check made after the window matches; that proof is kept in a small file beside
the snapshot, so from then on the warm path reads timestamps only, never content.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

# The coarsest timestamps canon expects (FAT's 2 s) plus a second for the kernel's coarse
# clock and a network filesystem's clock running a little apart from this machine's.
RACY_WINDOW_NS = 3_000_000_000
_clock = time.time_ns  # the moment a snapshot's sources are read (tests move it)


def _changed_at(path: str) -> int:
    st = os.stat(path)
    return max(st.st_mtime_ns, st.st_ctime_ns)


def content_digest(path: str) -> str | None:
    """A hash of the file's bytes; None when it cannot be read (the loader says why)."""
    from canon_cli.digest import hex_digest
    from canon_cli.errors import DataError
    from canon_cli.fileio import max_bytes_limit, read_regular

    try:
        data = read_regular(Path(path), max_bytes_limit())
    except (OSError, DataError):
        return None
    return hex_digest(data, 16)


def racy_digests(paths: list[Path], window_ns: int | None = None) -> str:
    """Before a build reads ``paths``: the content hashes of those changed within
    ``window_ns`` of now, as stored text ("" when every source is safely older).

    The clock is read before the hashes and the build's own reads, so a change after it
    either shows in the timestamps or makes the stored hash differ."""
    window_ns = RACY_WINDOW_NS if window_ns is None else window_ns
    now = _clock()
    racy: list[list[str]] = []
    for path in map(os.path.realpath, paths):
        try:
            if _changed_at(path) + window_ns <= now:
                continue
        except OSError:
            continue  # the loader reports it
        racy.append([path, content_digest(path) or ""])
    return json.dumps(racy) if racy else ""


def _proof_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".proven")


def _proof_text(key: str, racy: str) -> bytes:
    return f"{key}\n{racy}\n".encode()


def _has_proof(db_path: Path, proof: bytes) -> bool:
    from canon_cli.fileio import read_regular

    try:
        return read_regular(_proof_path(db_path), len(proof)) == proof
    except OSError:
        return False


def _keep_proof(db_path: Path, proof: bytes) -> None:
    from canon_cli.errors import CanonIOError
    from canon_cli.fileio import atomic_write_bytes

    with contextlib.suppress(CanonIOError):  # a cache: failing only means hashing again
        atomic_write_bytes(_proof_path(db_path), proof, durable=False)


def still_current(db_path: Path, key: str, racy: str, window_ns: int | None = None) -> bool:
    """Whether a snapshot built with unproven sources ``racy`` still shows their content.

    A match found once every source is older than the window is proven for good: a later
    change would have a later timestamp, so the key would show it."""
    if not racy:
        return True
    proof = _proof_text(key, racy)
    if _has_proof(db_path, proof):
        return True
    window_ns = RACY_WINDOW_NS if window_ns is None else window_ns
    now = _clock()  # before reading: a change after this has a later timestamp
    try:
        sources = [(str(path), str(digest)) for path, digest in json.loads(racy)]
    except (ValueError, TypeError):
        return False
    proven = True
    for path, digest in sources:
        if not digest or content_digest(path) != digest:
            return False
        try:
            proven = proven and _changed_at(path) + window_ns <= now
        except OSError:
            return False
    if proven:
        _keep_proof(db_path, proof)
    return True
