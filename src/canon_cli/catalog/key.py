"""Which snapshot belongs to which catalog files, and how it proves it is current.

The snapshot's file is named after the sources' real paths; the identity stored inside
it (canon's version, the snapshot format, and each source's path, size, mtime, ctime,
inode and device) decides whether it is used. Plain ``os`` and ``zlib`` (not hashlib,
which loads OpenSSL), so that the quick path (``canon_cli/quick``) finds the same
snapshot as ``snapshot.py`` without importing the catalog's machinery.
"""

from __future__ import annotations

import os
import stat
import zlib

from canon_cli import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    StrPath = str | os.PathLike[str]

# 2: the catalog version 2 columns (note, arxiv, doi, venue, minutes, archive)
# 3: covering indexes for counting progress without reading the entries' rows
# 4: content hashes of racy sources (an earlier snapshot may be stale unseen)
# 5: tag descriptions in Chinese
FORMAT = 5


def source_identity(paths: Sequence[StrPath]) -> str:
    """What the snapshot of ``paths`` must have stored to be used; "" when a source is
    missing or not a regular file (the loader reports it)."""
    parts = [f"canon {__version__} snapshot {FORMAT}"]
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            return ""
        if not stat.S_ISREG(st.st_mode):
            return ""
        parts.append(
            f"{os.path.realpath(path)}|{st.st_size}|{st.st_mtime_ns}|{st.st_ctime_ns}"
            f"|{st.st_ino}|{st.st_dev}"
        )
    return "\n".join(parts)


def snapshot_name(paths: Sequence[StrPath]) -> str:
    """The snapshot's file name in the cache folder (only a name: the identity inside
    decides whether it is used)."""
    joined = "\n".join(os.path.realpath(p) for p in paths).encode()
    return f"catalog-{zlib.crc32(joined):08x}{len(joined):04x}.sqlite"
