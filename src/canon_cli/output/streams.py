"""Where canon's output goes: stdout for results (plain lines, JSON, an export's
bytes, collected for the pager on a terminal), stderr for errors, warnings and notes.

This module also holds the run's ``--color`` and ``--no-pager`` choices and decides
whether a view is drawn with rich (``use_rich``); the drawing itself is ``render.py``'s.
It imports no rich, so a piped command never pays for it. Text from catalogs and state
files is sanitised on the way out (control characters made visible).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from canon_cli.errors import CanonIOError
from canon_cli.i18n import _
from canon_cli.text import clean, clean_line, json_safe


class _Output:
    """How this run draws: the ``--color`` choice, whether a pager may be used, and
    what is collected for the pager while a command runs (``paged``)."""

    color = "auto"
    pager = True
    armed = False  # inside ``paged``: terminal output is collected
    buffer: io.StringIO | None = None
    rows = 0
    json = False  # JSON was printed: never paged
    decided = False  # whether this run's output is collected for the pager was decided


def set_output(color: str | None = None, pager: bool | None = None) -> None:
    """The run's ``--color`` (auto, always, never) and ``--no-pager`` choices."""
    if color is not None:
        _Output.color = color.casefold()
    if pager is not None:
        _Output.pager = pager


def color_mode() -> str:
    """always or never as asked; under auto, NO_COLOR means never, FORCE_COLOR always
    (https://no-color.org, https://force-color.org); else auto: colour on a terminal."""
    if _Output.color in ("always", "never"):
        return _Output.color
    if os.environ.get("NO_COLOR"):
        return "never"
    if os.environ.get("FORCE_COLOR"):
        return "always"
    return "auto"


def use_rich() -> bool:
    """Rich tables for a terminal (or when colour is forced); plain text for pipes."""
    if color_mode() == "always" or os.environ.get("TTY_COMPATIBLE") == "1":
        return True
    return _stdout_is_terminal()


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def page_buffer() -> io.StringIO | None:
    """Where stdout's text goes while a command runs on a terminal that may page it."""
    if not _Output.decided and _Output.armed:
        _Output.decided = True
        rows = None
        if _Output.pager and not _Output.json and _stdout_is_terminal():
            from canon_cli.output.pager import screen_rows

            rows = screen_rows()
        if rows:
            _Output.buffer, _Output.rows = io.StringIO(), rows
    return _Output.buffer


@contextlib.contextmanager
def paged() -> Iterator[None]:
    """Collect what the block writes for the terminal; then show it through the pager
    when it is longer than the screen, else as it is."""
    _Output.armed, _Output.decided = True, False
    try:
        yield
    finally:
        _Output.armed = False
        buffer, _Output.buffer = _Output.buffer, None
        if buffer is not None:
            from canon_cli.output.pager import show

            drawn = buffer.getvalue()
            if _Output.json or not show(drawn, _Output.rows):
                sys.stdout.write(drawn)


def _write(line: str) -> None:
    (page_buffer() or sys.stdout).write(line)


def out(line: str = "") -> None:
    _write(line + "\n")


def plain_rows(rows: Iterable[Sequence[object]]) -> None:
    """Tab-separated lines, one record per line (for grep, cut and wc -l)."""
    write = _write
    for row in rows:
        write("\t".join("" if v is None else clean_line(str(v)) for v in row) + "\n")


def print_json(data: Any) -> None:
    """JSON on stdout and nothing else; C1/bidi characters escaped so a terminal is safe."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    _Output.json = True
    (_Output.buffer or sys.stdout).write(json_safe(text) + "\n")


def error(message: str) -> None:
    """An error for the user on stderr, sanitised, with a 'canon: error:' prefix."""
    lines = clean(message).split("\n")
    sys.stderr.write(_("canon: error: ") + lines[0] + "\n")
    for line in lines[1:]:
        sys.stderr.write("  " + line + "\n")


def warning(message: str) -> None:
    """Something went wrong but the command carried on: ``canon: warning:`` on stderr."""
    lines = clean(message).split("\n")
    sys.stderr.write(_("canon: warning: ") + lines[0] + "\n")
    for line in lines[1:]:
        sys.stderr.write("  " + line + "\n")


def note(message: str) -> None:
    """A short confirmation or hint on stderr (keeps stdout clean for pipes)."""
    sys.stderr.write(clean(message) + "\n")


def write_bytes(data: bytes) -> None:
    """Bytes on stdout as they are (an export: the same bytes ``-o FILE`` would hold)."""
    page = page_buffer()
    if page is not None:  # a terminal: the text, paged when long
        page.write(data.decode("utf-8", "replace"))
        return
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    try:
        buffer.write(data)
        buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise stdout_failed(exc) from None


def point_at_devnull(fd: int) -> None:
    """Point ``fd`` at /dev/null, so later writes to it (a flush at exit) succeed."""
    null = os.open(os.devnull, os.O_RDWR)
    if null != fd:
        os.dup2(null, fd)
        os.close(null)


def stdout_failed(exc: OSError) -> CanonIOError:
    """A write to stdout that the system refused, as canon's I/O error (exit 5). What is
    still buffered for stdout goes to /dev/null from now on."""
    point_at_devnull(1)
    reason = exc.strerror or str(exc)
    return CanonIOError(_("cannot write to standard output: {reason}").format(reason=reason))
