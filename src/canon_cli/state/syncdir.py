"""The sync folder: every device appends its own changes to its own file; all read all.

A sync folder (Dropbox, Syncthing, iCloud, a network share, a git work tree) holds one
journal file per device, ``DIR/<device>.jsonl``: one ``changes.to_line`` per line,
appended with ``O_APPEND`` and synced to disk. A device writes only its own file, so a
file-sync engine never sees two machines edit one file. Readers take in every
``*.jsonl`` in the folder, conflict copies included (``lora (conflicted copy).jsonl``,
``x.sync-conflict-2026....jsonl``): the state is the union of all changes, so reading
a change twice changes nothing.

This module names the files, appends to this device's own, and says what a whole line
is; ``syncscan.py`` reads the folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from canon_cli.errors import CanonIOError
from canon_cli.i18n import _
from canon_cli.state.changes import Change, JournalLineError, from_line, to_line

SUFFIX = ".jsonl"
DEVICE_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
TAIL_BYTES = 256  # what is compared to tell "appended to" from "replaced"
MAX_LINE_BYTES = 1 << 20  # a longer line is damaged, not a change


class FileOffset(NamedTuple):
    """How far one sync-folder file has been read."""

    size: int  # the file's size when it was last looked at
    offset: int  # bytes taken in: everything before it has been read
    mtime_ns: int
    tail: str = ""  # a digest of the TAIL_BYTES before ``offset``: is the file still the same?


class AppendResult(NamedTuple):
    path: Path
    lines: int
    start: int  # where the bytes written begin in the file
    offset: FileOffset  # the file read up to its new end (for the device's own ingested row)


def device_file(folder: Path, device: str) -> Path:
    """This device's journal file in ``folder``."""
    if not DEVICE_PATTERN.fullmatch(device):
        raise ValueError(_("not a device id: {device!r}").format(device=device))
    return folder / f"{device}{SUFFIX}"


# --- appending --------------------------------------------------------------


def append(folder: Path, device: str, changes: Sequence[Change]) -> AppendResult:
    """Append ``changes`` to this device's own file, synced to disk.

    The lines may be changes of any device (a merged file brings in others'), but the
    file written is always ``device``'s own. The folder must exist (a sync folder that
    is not mounted is not created). Part of a line left at the end by a canon that died
    mid-write is cut off first (no reader has taken it in: it was never whole), so it
    can never swallow the first new line. Raises ``CanonIOError`` naming the file when
    the path is a symbolic link or not a regular file, or when the write fails; then
    the file is cut back to its old size and nothing was appended.
    """
    path = device_file(folder, device)
    if not folder.is_dir():
        raise CanonIOError(
            _("the sync folder {folder} does not exist (or is not a folder)").format(folder=folder),
            hint=_(
                "Your changes are kept and appended once it is back; to stop syncing, "
                "run: canon config unset sync_folder"
            ),
        )
    data = "".join(to_line(change) + "\n" for change in changes).encode("utf-8")
    fd = _open_own_file(path)
    try:
        start = _locked_append(fd, path, data)
        info = os.fstat(fd)
        end = FileOffset(
            info.st_size, info.st_size, info.st_mtime_ns, tail_digest(fd, info.st_size)
        )
    except OSError as exc:
        raise CanonIOError(
            _("cannot append to {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc
    finally:
        os.close(fd)
    return AppendResult(path, len(changes), start, end)


def _refuse(path: Path, what: str) -> CanonIOError:
    return CanonIOError(
        _("refusing to append to {path}: it is {what}").format(path=path, what=what),
        hint=_(
            "canon writes only a plain file of its own there. Move it away; "
            "your changes are kept and appended by the next run."
        ),
    )


def _open_own_file(path: Path) -> int:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise CanonIOError(
            _("cannot open {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise _refuse(path, _("a symbolic link"))
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise _refuse(path, _("not a regular file"))
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _refuse(path, _("a symbolic link")) from exc
        raise CanonIOError(
            _("cannot open {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped in between: never write to it
        os.close(fd)
        raise _refuse(path, _("not a regular file"))
    if info is None:
        _fsync_dir(path.parent)
    return fd


def _locked_append(fd: int, path: Path, data: bytes) -> int:
    """Write ``data`` at the end of ``fd`` under an advisory lock (several canons of one
    machine may append at once) and return where it starts; on failure cut the file
    back to its old size."""
    import fcntl

    with contextlib.suppress(OSError):  # some network filesystems have no locks
        fcntl.flock(fd, fcntl.LOCK_EX)
    size = os.fstat(fd).st_size
    try:
        start = _close_torn_tail(fd, size)
        if start < size:
            os.ftruncate(fd, start)
        elif start > size:  # a whole last line without its newline: end it first
            data = b"\n" + data
            start = size
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, size)
        raise CanonIOError(
            _("cannot append to {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc
    return start


def _close_torn_tail(fd: int, size: int) -> int:
    """Where new lines go: ``size`` if the file ends with a newline; the start of a torn
    last line (to be cut off); or ``size + 1`` if the last line is whole but lacks its
    newline (one is written first)."""
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return size
    window = min(size, MAX_LINE_BYTES + 1)
    tail = os.pread(fd, window, size - window)
    newline = tail.rfind(b"\n")
    if newline < 0 and window < size:
        return size + 1  # an over-long last line: never cut more than one line's worth
    last = tail[newline + 1 :]
    return size + 1 if whole_line(last) else size - len(last)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- the line format, for appending and scanning -------------------------------


def tail_digest(fd: int, offset: int) -> str:
    from canon_cli.digest import hex_digest

    start = max(0, offset - TAIL_BYTES)
    return hex_digest(os.pread(fd, offset - start, start), 12)


def whole_line(raw: bytes) -> bool:
    """A last line without its newline is whole when it parses as a JSON object (no
    proper prefix of one does); anything else may still be arriving."""
    return raw.rstrip().endswith(b"}") and parse_line(raw)[1] is None


def parse_line(raw: bytes) -> tuple[Change | None, JournalLineError | None]:
    stripped = raw.strip()
    if not stripped:
        return None, None  # a blank line (e.g. after a closed torn line): nothing to read
    try:
        return from_line(stripped.decode("utf-8")), None
    except UnicodeDecodeError:
        return None, JournalLineError(_("not UTF-8 text"))
    except JournalLineError as exc:
        return None, exc
