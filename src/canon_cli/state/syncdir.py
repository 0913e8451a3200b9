"""The sync folder: every device appends its own changes to its own file; all read all.

A sync folder (Dropbox, Syncthing, iCloud, a network share, a git work tree) holds one
journal file per device, ``DIR/<device>.jsonl``: one ``changes.to_line`` per line,
appended with ``O_APPEND`` and synced to disk. A device writes only its own file, so a
file-sync engine never sees two machines edit one file. Readers take in every
``*.jsonl`` in the folder, conflict copies included (``lora (conflicted copy).jsonl``,
``x.sync-conflict-2026....jsonl``): the state is the union of all changes, so reading
a change twice changes nothing.

Reading is incremental: ``scan`` gets how far each file was read (``FileOffset``) and
opens only files whose size or modification time changed. A file that no longer
continues what was read (rolled back, replaced) is read again from its start. What
cannot be read is reported as a ``SyncWarning``, never raised: a torn last line (a
write still arriving, or cut short) is left for a later scan, a damaged line is
skipped with one warning naming ``file:line``, and a line from a newer canon stops that
file there, so nothing past it is taken in until canon is upgraded.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from canon_cli.errors import CanonIOError
from canon_cli.i18n import _
from canon_cli.state.changes import Change, Clock, JournalLineError, from_line, to_line

SUFFIX = ".jsonl"
DEVICE_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
TAIL_BYTES = 256  # what is compared to tell "appended to" from "replaced"
CHUNK_BYTES = 1 << 20
MAX_LINE_BYTES = 1 << 20  # a longer line is damaged, not a change
BAD_LINES_NAMED = 5  # per file and scan; the rest are counted in one more warning

# SyncWarning kinds
BAD_LINE = "bad-line"
NEWER = "newer"
UNREADABLE = "unreadable"
NOT_REGULAR = "not-regular"
GONE = "gone"
FOLDER_MISSING = "folder-missing"


class FileOffset(NamedTuple):
    """How far one sync-folder file has been read."""

    size: int  # the file's size when it was last looked at
    offset: int  # bytes taken in: everything before it has been read
    mtime_ns: int
    tail: str = ""  # a digest of the TAIL_BYTES before ``offset``: is the file still the same?


class SyncWarning(NamedTuple):
    """Something in the sync folder that could not be taken in (or is no longer there)."""

    kind: str
    path: str
    line: int | None
    message: str

    def text(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class DeviceSeen(NamedTuple):
    """A device whose changes a scan read: how many, and its latest clock."""

    device: str
    changes: int
    last: Clock
    files: tuple[str, ...]


class ScanResult(NamedTuple):
    changes: list[Change]  # every change read, in file order (duplicates possible)
    offsets: dict[str, FileOffset]  # for every journal file now in the folder
    devices: dict[str, DeviceSeen]  # devices of the changes this scan read
    warnings: list[SyncWarning]
    read: list[str]  # the files opened (the others were unchanged since their offset)


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
        end = FileOffset(info.st_size, info.st_size, info.st_mtime_ns, _tail(fd, info.st_size))
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
    return size + 1 if _whole(last) else size - len(last)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- reading ----------------------------------------------------------------


def journal_files(folder: Path) -> list[os.DirEntry[str]]:
    """The journal files in ``folder``, by name (hidden files are a sync engine's own)."""
    with os.scandir(folder) as entries:
        found = [e for e in entries if e.name.endswith(SUFFIX) and not e.name.startswith(".")]
    return sorted(found, key=lambda e: e.name)


def scan(folder: Path, offsets: Mapping[str, FileOffset], *, full: bool = False) -> ScanResult:
    """Read what the folder's journal files hold past ``offsets`` (keyed by file path).

    ``full`` reads every file from its start. Files whose size and modification time
    match their offset are not opened. Never raises for what is in the folder.
    """
    result = ScanResult([], {}, {}, [], [])
    try:
        entries = journal_files(folder)
    except OSError as exc:
        missing = isinstance(exc, FileNotFoundError | NotADirectoryError)
        message = (
            _("the sync folder is missing; your changes are kept and synced when it is back")
            if missing
            else _("cannot read the sync folder: {reason}").format(reason=exc.strerror or exc)
        )
        kind = FOLDER_MISSING if missing else UNREADABLE
        result.warnings.append(SyncWarning(kind, str(folder), None, message))
        result.offsets.update(offsets)  # the folder may come back: keep what was read
        return result
    for entry in entries:
        _scan_entry(entry, None if full else offsets.get(entry.path), result)
    reported = {w.path for w in result.warnings} | result.offsets.keys()
    for path in offsets:  # files of another folder (the setting changed) are let go quietly
        if path not in reported and os.path.dirname(path) == str(folder):
            message = _("is no longer in the sync folder (what was read from it is kept)")
            result.warnings.append(SyncWarning(GONE, path, None, message))
    return result


def _scan_entry(entry: os.DirEntry[str], known: FileOffset | None, result: ScanResult) -> None:
    try:
        info = entry.stat(follow_symlinks=False)
    except FileNotFoundError:
        return  # removed since the folder was listed: as if it had not been there
    except OSError as exc:
        _unreadable(entry.path, exc, known, result)
        return
    if not stat.S_ISREG(info.st_mode):
        what = _("a symbolic link") if stat.S_ISLNK(info.st_mode) else _("not a regular file")
        message = _("not read: it is {what}").format(what=what)
        result.warnings.append(SyncWarning(NOT_REGULAR, entry.path, None, message))
        return
    if known is not None and (known.size, known.mtime_ns) == (info.st_size, info.st_mtime_ns):
        result.offsets[entry.path] = known
        return
    try:
        fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return
    except OSError as exc:
        _unreadable(entry.path, exc, known, result)
        return
    try:
        _read_file(fd, entry.path, known, result)
    except OSError as exc:
        _unreadable(entry.path, exc, known, result)
    finally:
        os.close(fd)


def _unreadable(path: str, exc: OSError, known: FileOffset | None, result: ScanResult) -> None:
    reason = exc.strerror or str(exc)
    message = _("cannot be read ({reason}); it is read again later").format(reason=reason)
    result.warnings.append(SyncWarning(UNREADABLE, path, None, message))
    if known is not None:
        result.offsets[path] = known


def _continues(fd: int, known: FileOffset) -> bool:
    """Whether the file still holds what was read up to ``known.offset`` (appended to,
    not rolled back or replaced: then it is read again from its start)."""
    return _tail(fd, known.offset) == known.tail


def _tail(fd: int, offset: int) -> str:
    try:  # hashlib would load OpenSSL on import; the built-in BLAKE2 module is enough
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - not CPython
        from hashlib import blake2b
    start = max(0, offset - TAIL_BYTES)
    return blake2b(os.pread(fd, offset - start, start), digest_size=12).hexdigest()


def _read_file(fd: int, path: str, known: FileOffset | None, result: ScanResult) -> None:
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        message = _("not read: it is {what}").format(what=_("not a regular file"))
        result.warnings.append(SyncWarning(NOT_REGULAR, path, None, message))
        return
    start = 0
    if known is not None and 0 < known.offset <= info.st_size and _continues(fd, known):
        start = known.offset
    taken = start
    bad: list[tuple[int, str]] = []
    refused: SyncWarning | None = None
    for line in _lines(fd, start):
        error: JournalLineError | None
        if line.overlong:
            reason = _("a line longer than {n} bytes").format(n=MAX_LINE_BYTES)
            change, error = None, JournalLineError(reason)
        elif line.raw.endswith(b"\n") or _whole(line.raw):
            change, error = _parse(line.raw)
        else:
            break  # a torn last line: left for a later scan
        if error is not None and error.newer:
            message = _("refused: {reason}; upgrade canon to read this file").format(reason=error)
            refused = SyncWarning(NEWER, path, _line_number(fd, line.start), message)
            break
        taken = line.end
        if change is not None:
            result.changes.append(change)
            _count(result.devices, change, path)
        elif error is not None:
            bad.append((line.start, str(error)))
    _report_bad(fd, path, bad, result.warnings)
    if refused is not None:
        result.warnings.append(refused)
    tail = _tail(fd, taken) if taken else ""
    result.offsets[path] = FileOffset(info.st_size, taken, info.st_mtime_ns, tail)
    result.read.append(path)


def _count(devices: dict[str, DeviceSeen], change: Change, path: str) -> None:
    seen = devices.get(change.device)
    if seen is None:
        devices[change.device] = DeviceSeen(change.device, 1, change.clock, (path,))
        return
    files = seen.files if path in seen.files else (*seen.files, path)
    devices[change.device] = DeviceSeen(
        change.device, seen.changes + 1, max(seen.last, change.clock), files
    )


def _report_bad(fd: int, path: str, bad: list[tuple[int, str]], out: list[SyncWarning]) -> None:
    for offset, reason in bad[:BAD_LINES_NAMED]:
        message = _("skipped a damaged line: {reason}").format(reason=reason)
        out.append(SyncWarning(BAD_LINE, path, _line_number(fd, offset), message))
    if len(bad) > BAD_LINES_NAMED:
        more = len(bad) - BAD_LINES_NAMED
        message = _("skipped {n} more damaged lines").format(n=more)
        out.append(SyncWarning(BAD_LINE, path, None, message))


def _line_number(fd: int, offset: int) -> int:
    """The 1-based number of the line that starts at ``offset`` (only for warnings)."""
    count, position = 1, 0
    while position < offset:
        chunk = os.pread(fd, min(CHUNK_BYTES, offset - position), position)
        if not chunk:
            break
        count += chunk.count(b"\n")
        position += len(chunk)
    return count


def _whole(raw: bytes) -> bool:
    """A last line without its newline is whole when it parses as a JSON object (no
    proper prefix of one does); anything else may still be arriving."""
    return raw.rstrip().endswith(b"}") and _parse(raw)[1] is None


def _parse(raw: bytes) -> tuple[Change | None, JournalLineError | None]:
    stripped = raw.strip()
    if not stripped:
        return None, None  # a blank line (e.g. after a closed torn line): nothing to read
    try:
        return from_line(stripped.decode("utf-8")), None
    except UnicodeDecodeError:
        return None, JournalLineError(_("not UTF-8 text"))
    except JournalLineError as exc:
        return None, exc


class _Line(NamedTuple):
    start: int
    end: int
    raw: bytes  # with its newline; empty for an over-long line
    overlong: bool = False


def _lines(fd: int, start: int) -> Iterator[_Line]:
    """Each line from ``start`` (the last may lack its newline), read in chunks so a
    huge damaged file does not fill memory; a line over MAX_LINE_BYTES is not kept, and
    one still unfinished at the end of the file is not yielded at all."""
    position = base = line_start = start  # base: the file offset of data[0]
    data = b""
    skipping = False
    while chunk := os.pread(fd, CHUNK_BYTES, position):
        position += len(chunk)
        data += chunk
        begin = 0
        while (newline := data.find(b"\n", begin)) >= 0:
            end = base + newline + 1
            if skipping:
                yield _Line(line_start, end, b"", overlong=True)
                skipping = False
            else:
                yield _Line(base + begin, end, data[begin : newline + 1])
            begin = newline + 1
            line_start = end
        base += begin
        data = data[begin:]
        if len(data) > MAX_LINE_BYTES:
            skipping = True
            base += len(data)
            data = b""
    if data and not skipping:
        yield _Line(base, base + len(data), data)
