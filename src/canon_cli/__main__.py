"""``canon`` and ``python -m canon_cli``."""

from __future__ import annotations

import os
import sys

# helpcache.HELP_NAMES (a test keeps them equal): a run that asks for no help does not
# import the help cache at all
HELP_NAMES = ("--help", "-h")


def _exit_code(value: object) -> int:
    """``SystemExit.code`` as a number (typer exits with an int, or None for 0)."""
    if value is None:
        return 0
    return value if isinstance(value, int) else 1


def _dispatch() -> int:
    if not any(key.endswith("_COMPLETE") for key in os.environ):
        from canon_cli.cli.fastpath import run as run_fast

        code = run_fast(sys.argv[1:])
        if code is not None:
            return code
    from canon_cli.cli.app import run

    try:
        run()
    except SystemExit as exc:
        return _exit_code(exc.code)
    return 0


def _served(argv: list[str]) -> int | None:
    """A run answered before anything else is imported, so that it costs little more
    than the interpreter's own start-up: ``canon --help`` and ``canon COMMAND --help``
    from the stored text, and the hottest read commands to a pipe from the quick path
    (``canon_cli/quick``). None when neither can answer (the general path does) or a
    standard stream is closed."""
    if sys.stdout is None or sys.stderr is None:
        return None
    if any(key.endswith("_COMPLETE") for key in os.environ):
        return None
    try:
        if argv and argv[-1] in HELP_NAMES:
            from canon_cli.cli import helpcache

            code = helpcache.serve(argv)
        else:
            from canon_cli.quick.serve import respond

            code = 0 if respond(argv) or _respond_after_build(argv) else None
        if code is None:
            return None
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError as exc:  # what the wrapped streams of a normal run report
        return _output_failed(exc)
    except KeyboardInterrupt:
        from canon_cli.errors import ExitCode
        from canon_cli.i18n import _
        from canon_cli.output import streams

        streams.error(_("interrupted"))  # in Chinese once a terminal view chose it
        return int(ExitCode.INTERRUPTED)
    return code


def _respond_after_build(argv: list[str]) -> bool:
    """When all the quick path lacked was a catalog snapshot (missing, or stale after an
    edit), build it with the general path's own ``open_catalog`` and ask again, instead
    of importing the general path to do the same. Anything that goes wrong is left to
    the general path, which builds it again and reports the problem as it always does."""
    data = sys.modules.get("canon_cli.quick.data")  # not imported: nothing was looked up
    if data is None or data.wanted is None:
        return False
    import signal
    from pathlib import Path

    from canon_cli.catalog.snapshot import open_catalog
    from canon_cli.errors import Terminated

    def terminated(signum: int, frame: object) -> None:
        raise Terminated  # as cli/process.py has it: the build's temp file is removed

    before = signal.signal(signal.SIGTERM, terminated)
    cache, sources = data.wanted
    try:
        catalog = open_catalog([Path(s) for s in sources], Path(cache))
    except Terminated:
        from canon_cli.errors import ExitCode

        sys.exit(int(ExitCode.TERMINATED))
    except Exception:
        return False
    finally:
        signal.signal(signal.SIGTERM, before)
    catalog.db.close()
    from canon_cli.quick.serve import respond

    return respond(argv, data.snapshot_file(cache, sources))


def _output_failed(exc: OSError) -> int:
    import contextlib

    from canon_cli.output import streams

    if isinstance(exc, BrokenPipeError):  # the reader went away: quietly done
        streams.point_at_devnull(1)
        return 0
    failure = streams.stdout_failed(exc)
    with contextlib.suppress(OSError):
        streams.error(str(failure))
    return int(failure.exit_code)


def main() -> None:
    code = _served(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from canon_cli.cli import process
    from canon_cli.errors import ExitCode, Terminated

    process.prepare()
    try:
        code = _dispatch()
    except BrokenPipeError:
        # the reader went away (canon list | head): stop quietly
        from canon_cli.cli.guard import reader_went_away

        reader_went_away()
        code = 0
    except KeyboardInterrupt:  # before or after a command's own handling (start-up)
        from canon_cli.output import streams

        streams.error("interrupted")
        code = ExitCode.INTERRUPTED
    except Terminated:
        code = ExitCode.TERMINATED
    except Exception as exc:
        # SIGTERM can arrive while Python itself runs code for canon (a class body being
        # built at import, say), which wraps Terminated in its own error: still a SIGTERM.
        if not _caused_by(exc, Terminated):
            raise
        code = ExitCode.TERMINATED
    sys.exit(process.finish(int(code)))


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


if __name__ == "__main__":
    main()
