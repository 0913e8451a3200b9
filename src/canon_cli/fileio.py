"""Safe file reading and writing for all of canon: regular files only, bounded reads,
atomic replacement and an exclusive lock.

Every file canon reads goes through ``read_regular``: a FIFO, device, socket or folder
at the path is refused without being opened for real (so nothing ever blocks on open),
and the read stops at a size cap. A reader never sees a half-written file: data goes
to a fresh temp file in the same folder, is flushed to disk, and is renamed over the
target in one step. Any failure leaves the original as it was and becomes a
``CanonIOError`` that names the file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from canon_cli.errors import BusyError, CanonIOError, ConfigError, DataError, UsageError
from canon_cli.i18n import _

DEFAULT_LOCK_TIMEOUT = 10.0
LOCK_TIMEOUT_ENV = "CANON_LOCK_TIMEOUT"
_POLL_FIRST = 0.005
_POLL_MAX = 0.1
_TEMP_ATTEMPTS = 100


def check_input_file(path: Path) -> None:
    """A file named on the command line (or in CANON_CATALOG) must exist and be a file.

    One rule for every such file: a missing one, or a directory, is a usage error
    (exit code 2) that names it; a file that exists but cannot be read is an I/O
    error later (exit code 5).
    """
    if path.is_dir():
        raise UsageError(_("{path} is a directory, not a file").format(path=path))
    if not path.exists():
        raise UsageError(_("no such file: {path}").format(path=path))


def _reason(exc: OSError) -> str:
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
        _check_regular(path, os.fstat(fd), max_bytes)
        chunks = []
        left = max_bytes + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
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
            _reason(exc),
            path=str(path),
            hint=_("canon reads only regular files; give the path of a file."),
        ) from None
    except FileTooLargeError as exc:
        raise error(_reason(exc), path=str(path), hint=too_large_hint) from None
    except OSError as exc:
        raise CanonIOError(
            _("cannot read {path}: {reason}").format(path=path, reason=_reason(exc))
        ) from None


def _temp_token() -> str:
    """The random part of a temp file name (a seam for tests that plant files)."""
    return os.urandom(6).hex()


def temp_prefix(path: Path) -> str:
    """Temp files for ``path`` are named ``.<name>.<random>.tmp`` beside it."""
    return f".{path.name}."


# canon's temp files: ``.<name>.<12 hex digits>.tmp``, and the ``.catalog-XXXXXXXX.tmp``
# snapshot temps of earlier versions (tempfile's naming).
_TEMP_NAME = re.compile(r"\..+\.[0-9a-f]{12}\.tmp|\.catalog-[a-z0-9_]{8}\.tmp")


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
        if name.startswith(lead) and _TEMP_NAME.fullmatch(name)
    )


def _write_all(fd: int, data: bytes) -> None:
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
        _write_all(fd, data)
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
            _("cannot write {path}: {reason}").format(path=path, reason=_reason(exc))
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


# --- files the user names (export -o, state export) -------------------------


def _writes_through(path: Path, force: bool) -> bool:
    """Whether ``path`` is a FIFO or character device to write into (nothing is
    replaced, so no --force is needed); refuses what must not be written or replaced."""
    from canon_cli.errors import UsageError

    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path) and not force:  # a dangling link: its target would appear
            raise UsageError(
                _("{path} already exists").format(path=path),
                hint=_("Pass --force to overwrite it."),
            ) from None
        return False
    except OSError as exc:
        raise CanonIOError(
            _("cannot write {path}: {reason}").format(path=path, reason=_reason(exc))
        ) from None
    if stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode):
        return True
    if stat.S_ISDIR(st.st_mode):
        raise UsageError(_("{path} is a directory").format(path=path), hint=_("Give a file name."))
    if not stat.S_ISREG(st.st_mode):
        raise UsageError(
            _(
                "{path} is {kind}; canon writes only to files, named pipes and character devices"
            ).format(path=path, kind=file_kind(st.st_mode))
        )
    if not force:
        raise UsageError(
            _("{path} already exists").format(path=path), hint=_("Pass --force to overwrite it.")
        )
    return False


def check_output_path(path: Path, force: bool) -> None:
    """Refuse an output path before any work: a folder, a block device or socket, or an
    existing file without ``force``."""
    _writes_through(path, force)


def _write_through(path: Path, data: bytes) -> None:
    import fcntl

    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a FIFO nobody reads: opening it would wait forever
            raise CanonIOError(
                _("cannot write {path}: no program is reading from this named pipe").format(
                    path=path
                ),
                hint=_("Start the program that reads it first."),
            ) from None
        raise CanonIOError(
            _("cannot write {path}: {reason}").format(path=path, reason=_reason(exc))
        ) from None
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
            raise CanonIOError(_("{path} changed while canon opened it").format(path=path))
        # The reader is there: from now on wait for it like a shell redirection does.
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        _write_all(fd, data)
    except OSError as exc:
        raise CanonIOError(
            _("cannot write {path}: {reason}").format(path=path, reason=_reason(exc))
        ) from None
    finally:
        os.close(fd)


def write_output_file(path: Path, data: bytes, force: bool) -> None:
    """Write a file the user named: a regular file atomically (a reader sees the old
    file or the new one; an existing one only with ``force``), a named pipe or a
    character device (``/dev/stdout``, ``/dev/null``) by writing into it; anything else
    is refused. Never replaces what is not a regular file."""
    if _writes_through(path, force):
        _write_through(path, data)
    else:
        atomic_write_bytes(path, data, new_file_mode=0o644, sweep_folder=False)


def lock_timeout() -> float:
    """The lock wait limit in seconds: ``CANON_LOCK_TIMEOUT`` if set, else 10."""
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise ConfigError(
            _("{variable} must be a number of seconds (0 or more), got {value!r}").format(
                variable=LOCK_TIMEOUT_ENV, value=raw
            )
        )
    return value


def _open_lock_file(lock_path: Path) -> int:
    symlink_error = CanonIOError(
        f"refusing to use the lock file {lock_path}: it is a symbolic link",
        hint=f"Remove it (rm {lock_path}); canon creates a plain file there.",
    )
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        if os.path.islink(lock_path):
            raise symlink_error
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        # O_NONBLOCK: a FIFO planted at the lock path must not hang the open.
        fd = os.open(lock_path, flags | os.O_NONBLOCK, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise symlink_error from exc
        raise CanonIOError(
            _("cannot open the lock file {path}: {reason}").format(
                path=lock_path, reason=_reason(exc)
            ),
            hint=_(
                "canon keeps your progress in {folder}: make it writable, or set "
                "CANON_HOME to a folder that is."
            ).format(folder=lock_path.parent),
        ) from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise CanonIOError(
            _("refusing to use the lock file {path}: it is not a regular file").format(
                path=lock_path
            ),
            hint=_("Remove it; canon creates a plain file at {path}.").format(path=lock_path),
        )
    return fd


@contextlib.contextmanager
def exclusive_lock(lock_path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` for the ``with`` block.

    Waits up to ``timeout`` seconds (default: ``lock_timeout()``), then raises
    ``BusyError``. The lock is tied to the open file, so the system releases it when the
    holder exits, even if it is killed. Not re-entrant: do not nest it in one process.
    """
    import fcntl

    limit = lock_timeout() if timeout is None else timeout
    fd = _open_lock_file(lock_path)
    try:
        deadline = time.monotonic() + limit
        pause = _POLL_FIRST
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    target = lock_path.name.removesuffix(".lock")
                    raise BusyError(
                        f"another canon process is writing {target}: {lock_path} "
                        f"stayed locked for {limit:g} s",
                        hint=(
                            "Wait for the other canon command to finish and try again. "
                            "The lock is freed when that process exits; to wait longer, "
                            f"set {LOCK_TIMEOUT_ENV} (seconds)."
                        ),
                    ) from None
                time.sleep(min(pause, remaining))
                pause = min(pause * 2, _POLL_MAX)
            except OSError as exc:
                raise CanonIOError(
                    _("cannot lock {path}: {reason}").format(path=lock_path, reason=_reason(exc))
                ) from exc
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
