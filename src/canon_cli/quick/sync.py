"""Whether a sync folder holds nothing for this device to take in or append.

With a sync folder set, the general path opens the state by reading the folder's
journal files past the offsets it recorded, then appends what this device committed
but did not append (``state/syncstore.py``). When every journal file is one it has read
to the end (same size and modification time), none it read is gone, the folder is the
one this device publishes to and nothing is left to append, that opening changes
nothing, and the quick path may read the state as it is. Otherwise the general path
opens it.
"""

from __future__ import annotations

import os
from stat import S_ISREG

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3

SUFFIX = ".jsonl"  # state/syncdir.SUFFIX
PUBLISHED_KEY = "sync_folder"  # state/syncstore.PUBLISHED_KEY


def folder_path(config_dir: str, setting: str) -> str | None:
    """config.sync_folder_path as the text the general path keys offsets by; None for
    a spelling pathlib would write differently (the general path then decides)."""
    folder = os.path.join(config_dir, os.path.expanduser(setting))
    if folder.endswith("/") or "//" in folder or "/./" in folder or folder.startswith("./"):
        return None
    return folder


def nothing_to_take_in(db: sqlite3.Connection, folder: str) -> bool:
    """syncstore.take_in and publish would change nothing (``st`` is the state)."""
    found = dict(db.execute(f"SELECT key, value FROM st.meta WHERE key = '{PUBLISHED_KEY}'"))
    if found.get(PUBLISHED_KEY) != folder:
        return False
    if db.execute("SELECT 1 FROM st.changes WHERE appended = 0 LIMIT 1").fetchone():
        return False  # committed here but not yet appended
    known = {f: (s, m) for f, s, m in db.execute("SELECT file, size, mtime_ns FROM st.ingested")}
    try:
        with os.scandir(folder) as entries:
            files = [e for e in entries if e.name.endswith(SUFFIX) and not e.name.startswith(".")]
        seen = set()
        for entry in files:
            info = entry.stat(follow_symlinks=False)
            if not S_ISREG(info.st_mode) or known.get(entry.path) != (
                info.st_size,
                info.st_mtime_ns,
            ):
                return False  # new, grown, replaced or odd: something to read
            seen.add(entry.path)
    except OSError:
        return False
    return seen == set(known)  # a file read before and gone now is reported there
