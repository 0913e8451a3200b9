"""Safe file reading and writing for all of canon: regular files only, bounded reads
and atomic replacement.

Every file canon reads goes through ``read_regular``: a FIFO, device, socket or folder
at the path is refused without being opened for real (so nothing ever blocks on open),
and the read stops at a size cap. A reader never sees a half-written file: data goes
to a fresh temp file in the same folder, is flushed to disk, and is renamed over the
target in one step. Any failure leaves the original as it was and becomes a
``CanonIOError`` that names the file. Locks are in ``locks.py``; the files a user names
on the command line (``export -o``) in ``userfiles.py``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from pathlib import Path

from canon_cli.errors import CanonIOError, ConfigError, DataError
from canon_cli.i18n import _

_TEMP_ATTEMPTS = 100


def os_reason(exc: OSError) -> str:
    """The system's words for a failed call, for a message."""
    return exc.strerror or str(exc)


# --- reading ----------------------------------------------------------------

_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words for a message."""
    if stat.S_ISDIR(mode):
        return _("a directory")
    if stat.S_ISFIFO(mode):
        return _("a named pipe (FIFO)")
    if stat.S_ISCHR(mode):
        return _("a character device")
    if stat.S_ISBLK(mode):
        return _("a block device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("a special file")


class NotRegularFileError(OSError):
    """The path is a FIFO, a device, a socket or a folder, not a regular file."""

    def __init__(self, path: Path, mode: int) -> None:
        self.kind = file_kind(mode)
        super().__init__(errno.EINVAL, _("is {kind}, not a regular file").format(kind=self.kind))
        self.filename = str(path)


class FileTooLargeError(OSError):
    """The file is over the size cap the caller gave (``size`` is None when it grew
    past the cap while being read)."""

    def __init__(self, path: Path, size: int | None, limit: int) -> None:
        self.size = size
        self.limit = limit
        if size is None:
            message = _("file grew over the {limit}-byte limit while being read")
        else:
            message = _("file is {size} bytes, over the {limit}-byte limit")
        super().__init__(errno.EFBIG, message.format(size=size, limit=limit))
        self.filename = str(path)


def _check_regular(path: Path, st: os.stat_result, max_bytes: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFileError(path, st.st_mode)
    if st.st_size > max_bytes:
        raise FileTooLargeError(path, st.st_size, max_bytes)


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed), at most ``max_bytes``.

    The path is checked before it is opened, so a FIFO or a device is never opened at
    all (opening some devices acts on them), and it is opened non-blocking and checked
    again, in case it was swapped meanwhile. Raises ``NotRegularFileError``,
    ``FileTooLargeError`` or the ``OSError`` of the failing call (FileNotFoundError, ...).
    """
    _check_regular(path, os.stat(path), max_bytes)
    fd = os.open(path, _READ_FLAGS)
    try:
        status = os.fstat(fd)
        _check_regular(path, status, max_bytes)
        # the size it has now in one read, so a large file is not held twice (pieces and
        # their join); then whatever it grew by, up to the limit
        left = max_bytes + 1
        chunks = [os.read(fd, min(left, status.st_size + 1))]
        left -= len(chunks[0])
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if len(data) > max_bytes:
        raise FileTooLargeError(path, None, max_bytes)
    return data


def read_data_file(
    path: Path,
    error: type[DataError],
    max_bytes: int,
    *,
    too_large_hint: str | None = None,
    missing: bytes | None = None,
) -> bytes:
    """``read_regular`` for a file the user gave canon (a catalog, the config): every
    problem becomes one message naming the file, as ``error`` (exit 3) or, for an
    operating-system failure, ``CanonIOError`` (exit 5). A missing file gives
    ``missing`` when that is not None."""
    try:
        return read_regular(path, max_bytes)
    except (FileNotFoundError, NotADirectoryError):
        # NotADirectoryError: a folder on the way is a file (HOME=/dev/null), so the
        # file cannot exist either
        if missing is not None:
            return missing
        raise error(_("file not found"), path=str(path)) from None
    except NotRegularFileError as exc:
        raise error(
            os_reason(exc),
            path=str(path),
            hint=_("canon reads only regular files; give the path of a file."),
        ) from None
    except FileTooLargeError as exc:
        raise error(os_reason(exc), path=str(path), hint=too_large_hint) from None
    except OSError as exc:
        raise CanonIOError(
            _("cannot read {path}: {reason}").format(path=path, reason=os_reason(exc))
        ) from None


def _temp_token() -> str:
    """The random part of a temp file name (a seam for tests that plant files)."""
    return os.urandom(6).hex()


def temp_prefix(path: Path) -> str:
    """Temp files for ``path`` are named ``.<name>.<random>.tmp`` beside it."""
    return f".{path.name}."


# canon's temp files: ``.<name>.<12 hex digits>.tmp``, and the ``.catalog-XXXXXXXX.tmp``
# snapshot temps of earlier versions (tempfile's naming). Text: re compiles it on first use.
_TEMP_NAME = r"\..+\.[0-9a-f]{12}\.tmp|\.catalog-[a-z0-9_]{8}\.tmp"


def create_temp(path: Path, mode: int = 0o600) -> tuple[int, Path]:
    """Open a new temp file beside ``path``: never an existing file, never via a symlink.

    The temp is returned locked (flock) for as long as the descriptor is open, which is
    how ``sweep_temps`` tells a live writer's temp from one a killed canon left behind.
    """
    import fcntl

    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for _attempt in range(_TEMP_ATTEMPTS):
        temp = path.with_name(f"{temp_prefix(path)}{_temp_token()}.tmp")
        try:
            fd = os.open(temp, flags, mode)
        except FileExistsError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # waits only while a sweeper looks at it
            if os.fstat(fd).st_nlink > 0:
                return fd, temp
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        os.close(fd)  # swept before it was locked: take another name
    raise FileExistsError(errno.EEXIST, "no free temp file name", str(path.parent))


def _remove_orphan(path: Path) -> bool:
    """Remove the temp file at ``path`` if no live process holds it (see ``create_temp``)."""
    import fcntl

    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return False
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # its writer is alive
        now = os.lstat(path)
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            return False
        os.unlink(path)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def sweep_temps(directory: Path, prefix: str = "") -> int:
    """Remove the temp files killed canons left in ``directory`` (those whose names start
    with ``.`` + ``prefix``); return how many. A live writer's temp is never touched."""
    try:
        names = os.listdir(directory)
    except OSError:
        return 0
    lead = "." + prefix
    return sum(
        _remove_orphan(directory / name)
        for name in names
        if name.startswith(lead) and re.fullmatch(_TEMP_NAME, name)
    )


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable. Best effort: the new file is already in place, so a
    folder that cannot be synced (some filesystems refuse) must not fail the write."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _existing_mode(target: Path, new_file_mode: int) -> int:
    """The permission bits to keep; a target that is not a regular file is refused."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return new_file_mode
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFileError(target, st.st_mode)
    return stat.S_IMODE(st.st_mode)


def atomic_write_bytes(
    path: Path,
    data: bytes,
    *,
    new_file_mode: int = 0o600,
    durable: bool = True,
    sweep_folder: bool = True,
) -> None:
    """Replace ``path`` with ``data`` in one step, creating parent folders as needed.

    An existing file keeps its permission bits; a new one gets ``new_file_mode``. If
    ``path`` is a symlink, the file it points to is replaced (the link stays a link). A
    FIFO, device or socket there is never replaced. On any OS error the original is
    untouched, the temp file is removed, and ``CanonIOError`` names the path and the
    reason. ``durable=False`` skips the syncs to disk, for caches that are checked on
    read anyway (still atomic for readers). Temps that killed canons left in the folder
    are removed first: all of them in canon's own folders (``sweep_folder``), only this
    file's elsewhere.
    """
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    fd = -1
    temp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = _existing_mode(target, new_file_mode)
        sweep_temps(target.parent, "" if sweep_folder else target.name + ".")
        fd, temp = create_temp(target, 0o600)
        os.fchmod(fd, mode)
        write_all(fd, data)
        if durable:
            os.fsync(fd)
        os.replace(temp, target)
        temp = None
    except NotRegularFileError as exc:
        raise CanonIOError(
            _("refusing to replace {path}: it is {kind}").format(path=path, kind=exc.kind),
            hint=_("canon replaces only regular files; remove it or choose another path."),
        ) from exc
    except OSError as exc:
        raise CanonIOError(
            _("cannot write {path}: {reason}").format(path=path, reason=os_reason(exc))
        ) from exc
    finally:
        # Runs for errors and for interrupts (Ctrl-C, SIGTERM) alike: no temp is left.
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        if fd >= 0:  # closed last: the lock on the temp lasts until it is gone or renamed
            with contextlib.suppress(OSError):
                os.close(fd)
    if durable:
        _fsync_dir(target.parent)


# --- UTF-8 data files (catalogs, state exports, config) ------------------------

MAX_BYTES_ENV = "CANON_MAX_YAML_BYTES"
DEFAULT_MAX_BYTES = 256 * 1024 * 1024


def max_bytes_limit() -> int:
    """The size cap: ``CANON_MAX_YAML_BYTES`` if set (read per call), else 256 MiB."""
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise ConfigError(f"{MAX_BYTES_ENV} must be a whole number of bytes, got {raw!r}")
    return value


def read_text(path: Path, error: type[DataError], max_bytes: int | None = None) -> str:
    """Read a UTF-8 regular file, refusing one over the size cap before reading it whole."""
    return read_utf8(path, error, max_bytes).text


def read_utf8(path: Path, error: type[DataError], max_bytes: int | None = None) -> SourceText:
    """A UTF-8 regular file as its bytes (without a byte-order mark), checked as
    ``read_text`` checks it; the text is decoded only if asked for (an error's line).
    Decoding a large file to check it is done in pieces, so no second copy is held."""
    import codecs

    if max_bytes is None:
        max_bytes = max_bytes_limit()
    data = read_data_file(
        path,
        error,
        max_bytes,
        too_large_hint="Split the file, or raise CANON_MAX_YAML_BYTES if it is trusted.",
    )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 1 << 20
    try:
        for start in range(0, len(data), step):
            decoder.decode(data[start : start + step], final=start + step >= len(data))
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:  # the position, from a whole decode (error path)
            line = data[: exc.start].count(b"\n") + 1
            raise error("not valid UTF-8 text", path=str(path), line=line) from None
    return SourceText(data)


class SourceText:
    """A file's checked UTF-8 bytes, with the text decoded once, when first needed."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.raw.decode("utf-8")
        return self._text

    def __len__(self) -> int:
        return len(self.raw)
