"""The exclusive lock canon holds while it writes a file others may write too (the
reading state, the config, the user's catalog, the link-check results).

A lock is an ``flock`` on a ``<name>.lock`` file beside the one written: tied to the
open file, so the system frees it when the holder exits, even if it is killed. A
waiting canon polls for up to ``CANON_LOCK_TIMEOUT`` seconds, then says who holds it.
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
from canon_cli.fileio import os_reason
from canon_cli.i18n import _

DEFAULT_LOCK_TIMEOUT = 10.0
LOCK_TIMEOUT_ENV = "CANON_LOCK_TIMEOUT"
_POLL_FIRST = 0.005
_POLL_MAX = 0.1


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
                path=lock_path, reason=os_reason(exc)
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
                    _("cannot lock {path}: {reason}").format(path=lock_path, reason=os_reason(exc))
                ) from exc
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
