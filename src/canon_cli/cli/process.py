"""How a canon process meets its surroundings: standard streams that are closed or
fail, and the signals that end it.

* A standard stream closed when canon starts (``canon list >&-``) is /dev/null for the
  run: what would go there is dropped, and the exit code is what the command's work
  gave. Putting /dev/null there also keeps the files canon opens off descriptors 0-2.
* A write to stdout that fails (a full disk, a descriptor opened read-only) is an I/O
  failure: one message on stderr and exit 5. A reader that went away (``| head``) is
  not: canon stops quietly.
* A write to stderr that fails is dropped: nowhere is left to report it, and the exit
  code stays what the command's work gave (``canon done X 2>/dev/full`` exits 0 with
  the state written).
* SIGTERM raises ``Terminated`` wherever canon is, as Ctrl-C raises KeyboardInterrupt,
  so cleanups run before the exit with 143 (SIGINT: 130).
"""

from __future__ import annotations

import io
import sys
from typing import Any

from canon_cli.errors import CanonIOError, Terminated
from canon_cli.output import streams


class _Output(io.TextIOWrapper):
    """stdout: a write the system refuses becomes canon's I/O error (exit 5)."""

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise streams.stdout_failed(exc) from None

    def flush(self) -> None:
        try:
            super().flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise streams.stdout_failed(exc) from None


class _Diagnostics(io.TextIOWrapper):
    """stderr: a write the system refuses is dropped (there is nowhere to report it)."""

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except OSError:
            streams.point_at_devnull(self.fileno())
            return len(text)

    def flush(self) -> None:
        try:
            super().flush()
        except OSError:
            streams.point_at_devnull(self.fileno())


def _rewrap(stream: Any, fd: int, cls: type[io.TextIOWrapper]) -> io.TextIOWrapper:
    if stream is None:  # closed when canon started: /dev/null stands in for it
        streams.point_at_devnull(fd)
        return cls(open(fd, "wb", closefd=False), encoding="utf-8", errors="backslashreplace")
    return cls(
        stream.buffer,
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=stream.line_buffering,
    )


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def prepare() -> None:
    """Set up the standard streams and the SIGTERM handler (the ``canon`` command only;
    in-process callers such as tests keep their own streams)."""
    if sys.stdin is None:
        streams.point_at_devnull(0)
        sys.stdin = open(0, closefd=False)  # noqa: SIM115 - lives as long as the process
    for name, fd, cls in (("stdout", 1, _Output), ("stderr", 2, _Diagnostics)):
        stream = getattr(sys, name)
        if stream is None or getattr(stream, "buffer", None) is not None:
            setattr(sys, name, _rewrap(stream, fd, cls))
    # _signal, not signal: the signal module builds enums on import (about 1 ms)
    import _signal  # type: ignore[import-not-found,unused-ignore]

    if _signal.getsignal(_signal.SIGTERM) == _signal.SIG_DFL:  # an ignored one stays ignored
        _signal.signal(_signal.SIGTERM, _on_sigterm)


def finish(code: int) -> int:
    """Flush stdout at the end of the run; the exit code, 5 if the output was lost."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        streams.point_at_devnull(1)
    except CanonIOError as exc:
        streams.error(str(exc))
        return int(exc.exit_code)
    return code
