"""Safe file writing for all of canon: atomic replacement and an exclusive lock.

A reader never sees a half-written file: data goes to a fresh temp file in the same
folder, is flushed to disk, and is renamed over the target in one step. Any failure
leaves the original as it was and becomes a ``CanonIOError`` that names the file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from canon_cli.errors import BusyError, CanonIOError, ConfigError

DEFAULT_LOCK_TIMEOUT = 10.0
LOCK_TIMEOUT_ENV = "CANON_LOCK_TIMEOUT"
_POLL_FIRST = 0.005
_POLL_MAX = 0.1
_TEMP_ATTEMPTS = 100


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _temp_token() -> str:
    """The random part of a temp file name (a seam for tests that plant files)."""
    return os.urandom(6).hex()


def temp_prefix(path: Path) -> str:
    """Temp files for ``path`` are named ``.<name>.<random>.tmp`` beside it."""
    return f".{path.name}."


def _create_temp(path: Path, mode: int) -> tuple[int, Path]:
    """Open a new temp file beside ``path``: never an existing file, never via a symlink."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for _ in range(_TEMP_ATTEMPTS):
        temp = path.with_name(f"{temp_prefix(path)}{_temp_token()}.tmp")
        try:
            return os.open(temp, flags, mode), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temp file name", str(path.parent))


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


def atomic_write_bytes(
    path: Path, data: bytes, *, new_file_mode: int = 0o600, durable: bool = True
) -> None:
    """Replace ``path`` with ``data`` in one step, creating parent folders as needed.

    An existing file keeps its permission bits; a new one gets ``new_file_mode``. If
    ``path`` is a symlink, the file it points to is replaced (the link stays a link).
    On any OS error the original is untouched, the temp file is removed, and
    ``CanonIOError`` names the path and the reason. ``durable=False`` skips the syncs
    to disk, for caches that are checked on read anyway (still atomic for readers).
    """
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    fd = -1
    temp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = new_file_mode
        fd, temp = _create_temp(target, 0o600)
        os.fchmod(fd, mode)
        _write_all(fd, data)
        if durable:
            os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(temp, target)
        temp = None
    except OSError as exc:
        raise CanonIOError(f"cannot write {path}: {_reason(exc)}") from exc
    finally:
        # Runs for errors and for interrupts (Ctrl-C) alike: no temp file is left behind.
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    if durable:
        _fsync_dir(target.parent)


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
            f"{LOCK_TIMEOUT_ENV} must be a number of seconds (0 or more), got {raw!r}"
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
        raise CanonIOError(f"cannot open the lock file {lock_path}: {_reason(exc)}") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise CanonIOError(
            f"refusing to use the lock file {lock_path}: it is not a regular file",
            hint=f"Remove it; canon creates a plain file at {lock_path}.",
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
                raise CanonIOError(f"cannot lock {lock_path}: {_reason(exc)}") from exc
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
