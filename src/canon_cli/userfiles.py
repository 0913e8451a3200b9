"""Files the user names on the command line: a catalog or config to read
(``--catalog``, ``config set catalogs``), an output to write (``export -o``,
``state export``).

An input must be an existing file. An output is written as a shell redirection would,
minus its surprises: a regular file is replaced atomically (an existing one only with
``--force``), a named pipe or character device (``/dev/stdout``) is written into, and
anything else (a folder, a socket, a block device) is refused before any work is done.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from canon_cli.errors import CanonIOError, UsageError
from canon_cli.fileio import atomic_write_bytes, file_kind, os_reason, write_all
from canon_cli.i18n import _


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


def _writes_through(path: Path, force: bool) -> bool:
    """Whether ``path`` is a FIFO or character device to write into (nothing is
    replaced, so no --force is needed); refuses what must not be written or replaced."""
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
            _("cannot write {path}: {reason}").format(path=path, reason=os_reason(exc))
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
            _("cannot write {path}: {reason}").format(path=path, reason=os_reason(exc))
        ) from None
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
            raise CanonIOError(_("{path} changed while canon opened it").format(path=path))
        # The reader is there: from now on wait for it like a shell redirection does.
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        write_all(fd, data)
    except OSError as exc:
        raise CanonIOError(
            _("cannot write {path}: {reason}").format(path=path, reason=os_reason(exc))
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
