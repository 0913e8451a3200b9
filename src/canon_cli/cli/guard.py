"""Running a command so that no traceback reaches the user.

Every ``CanonError`` becomes one message on stderr and its documented exit code; a
reader that stops early (``| head``) is a success (exit code 0) for every command; an
interrupt (Ctrl-C, SIGTERM) and an argument that is not UTF-8 are reported the same way. Used by the
typer group and by the start-up fast path alike.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable

from canon_cli.errors import CanonError, ExitCode, Terminated
from canon_cli.i18n import _
from canon_cli.output import streams

_SURROGATES = range(0xD800, 0xE000)


def run_guarded(action: Callable[[], None], cleanup: Callable[[], None] | None = None) -> int:
    """Run ``action``; return the exit code (0 on success) after reporting any error.
    ``cleanup`` runs last, whatever happened (it closes the state database)."""
    escape_unencodable_output()
    try:
        return _guarded(action)
    finally:
        if cleanup is not None:
            cleanup()


def _guarded(action: Callable[[], None]) -> int:
    try:
        with streams.paged():
            action()
        sys.stdout.flush()
    except BrokenPipeError:
        reader_went_away()
        return 0
    except CanonError as exc:
        streams.error(str(exc))
        return int(exc.exit_code)
    except KeyboardInterrupt:
        streams.error(_("interrupted"))
        return int(ExitCode.INTERRUPTED)
    except Terminated:  # SIGTERM: every cleanup on the way here has run; exit quietly
        return int(ExitCode.TERMINATED)
    except UnicodeEncodeError as exc:
        # Catalog and state text is decoded UTF-8, so a lone surrogate can only come
        # from an argument holding bytes that are not UTF-8 (Python keeps them as
        # surrogates); anything else is a bug and keeps its traceback.
        if not (isinstance(exc.object, str) and any(ord(c) in _SURROGATES for c in exc.object)):
            raise
        streams.error(
            _("an argument holds bytes that are not UTF-8 text: {text}").format(
                text=repr(exc.object)
            )
        )
        return int(ExitCode.USAGE)
    return 0


def escape_unencodable_output() -> None:
    """Text the output's encoding cannot hold (Chinese with PYTHONIOENCODING=ascii or a
    Latin-1 locale) is written as backslash escapes instead of ending canon."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) == "strict":
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def reader_went_away() -> None:
    """The reader of stdout stopped early (``canon show x | head -1``): that is success.

    Later writes (and the flush at exit) go to the null device, so Python does not
    report the closed pipe either.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
