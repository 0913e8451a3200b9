"""Running a command so that no traceback reaches the user.

Every ``CanonError`` becomes one message on stderr and its documented exit code; an
interrupt, an argument that is not UTF-8, and a snapshot found damaged mid-query are
reported the same way. Used by the typer group and by the start-up fast path alike.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path

from canon_cli.errors import CanonError, ExitCode
from canon_cli.output import render

_SURROGATES = range(0xD800, 0xE000)


def run_guarded(action: Callable[[], None], session_of: Callable[[], object]) -> int:
    """Run ``action``; return the exit code (0 on success) after reporting any error.

    ``session_of`` gives the run's Session once ``action`` has made it (or None).
    """
    escape_unencodable_output()
    try:
        action()
    except CanonError as exc:
        render.error(str(exc))
        return int(exc.exit_code)
    except KeyboardInterrupt:
        render.error("interrupted")
        return 130
    except UnicodeEncodeError as exc:
        # Catalog and state text is decoded UTF-8, so a lone surrogate can only come
        # from an argument holding bytes that are not UTF-8 (Python keeps them as
        # surrogates); anything else is a bug and keeps its traceback.
        if not (isinstance(exc.object, str) and any(ord(c) in _SURROGATES for c in exc.object)):
            raise
        render.error(f"an argument holds bytes that are not UTF-8 text: {exc.object!r}")
        return int(ExitCode.USAGE)
    except Exception as exc:
        damaged = _damaged_snapshot(session_of(), exc)
        if damaged is None:
            raise
        render.error(
            f"the catalog snapshot {damaged} is damaged ({exc}); it has been removed, "
            "so the next run rebuilds it"
        )
        return int(ExitCode.IO)
    return 0


def _damaged_snapshot(session: object, exc: Exception) -> Path | None:
    """The catalog snapshot, removed, if ``exc`` is SQLite finding it damaged on disk.

    A snapshot is checked when it is opened, but a page damaged later in the file only
    shows when a query reaches it; removing the file makes the next run rebuild it.
    """
    sqlite3 = sys.modules.get("sqlite3")  # imported only by runs that read a snapshot
    if sqlite3 is None or type(exc) is not sqlite3.DatabaseError:
        return None
    from canon_cli import paths
    from canon_cli.catalog.snapshot import snapshot_path
    from canon_cli.cli.session import Session

    if not isinstance(session, Session):
        return None
    damaged = snapshot_path(paths.cache_dir(), session.catalog_sources())
    with contextlib.suppress(OSError):
        damaged.unlink()
    return damaged


def escape_unencodable_output() -> None:
    """Text the output's encoding cannot hold (Chinese with PYTHONIOENCODING=ascii or a
    Latin-1 locale) is written as backslash escapes instead of ending canon."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) == "strict":
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")
