"""Reading the sync folder: every device's journal file, incrementally.

``scan`` gets how far each file was read (``FileOffset``) and opens only files whose
size or modification time changed. A file that no longer continues what was read
(rolled back, replaced) is read again from its start. What cannot be read is reported
as a ``SyncWarning``, never raised: a torn last line (a write still arriving, or cut
short) is left for a later scan, a damaged line is skipped with one warning naming
``file:line``, and a line from a newer canon stops that file there, so nothing past it
is taken in until canon is upgraded. The files and their line format are
``syncdir.py``'s.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

from canon_cli.i18n import _
from canon_cli.state.changes import Change, Clock, JournalLineError
from canon_cli.state.syncdir import (
    MAX_LINE_BYTES,
    SUFFIX,
    FileOffset,
    parse_line,
    tail_digest,
    whole_line,
)

CHUNK_BYTES = 1 << 20
BAD_LINES_NAMED = 5  # per file and scan; the rest are counted in one more warning

# SyncWarning kinds
BAD_LINE = "bad-line"
NEWER = "newer"
UNREADABLE = "unreadable"
NOT_REGULAR = "not-regular"
GONE = "gone"
FOLDER_MISSING = "folder-missing"


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
    return tail_digest(fd, known.offset) == known.tail


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
        elif line.raw.endswith(b"\n") or whole_line(line.raw):
            change, error = parse_line(line.raw)
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
    tail = tail_digest(fd, taken) if taken else ""
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
