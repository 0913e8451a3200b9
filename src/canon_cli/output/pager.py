"""Long output on a terminal goes through a pager, as git and man do.

What canon draws for a terminal is collected while a command runs; at its end it is
written out as it is when it fits the screen, else handed to the pager: ``CANON_PAGER``,
else ``PAGER``, else ``less -FRX`` (an empty value, or ``--no-pager``, means none).
Never in a pipe, never for ``--json``. No rich here: the text arrives drawn.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

DEFAULT = "less -FRX"


def pager_command(environ: Mapping[str, str]) -> list[str]:
    """The pager to run, as words (empty: none): CANON_PAGER, else PAGER, else less."""
    import shlex

    for var in ("CANON_PAGER", "PAGER"):
        if var in environ:
            try:
                return shlex.split(environ[var])
            except ValueError:
                return []
    return shlex.split(DEFAULT)


def screen_rows() -> int | None:
    """The terminal's height, or None when stdout is not a terminal."""
    try:
        if not sys.stdout.isatty():
            return None
        return os.get_terminal_size(sys.stdout.fileno()).lines
    except (AttributeError, ValueError, OSError):
        return None


def show(drawn: str, rows: int) -> bool:
    """Run the pager on ``drawn`` if it is longer than ``rows`` lines; False when the
    text is still to be written (it fits, or there is no pager to run)."""
    if drawn.count("\n") < rows:
        return False
    import contextlib
    import shutil
    import signal
    import subprocess

    command = pager_command(os.environ)
    if not command:
        return False
    if shutil.which(command[0]) is None:
        if not any(var in os.environ for var in ("CANON_PAGER", "PAGER")):
            return False  # no less on this system: the text as it is
        from canon_cli.i18n import _
        from canon_cli.output.streams import warning

        warning(
            _("the pager {pager} was not found; printing instead").format(pager=command[0])
            + "\n"
            + _("Set CANON_PAGER (or PAGER) to one that is installed, or use --no-pager.")
        )
        return False
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # colours, and no screen left behind (as git does)
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    # Ctrl-C belongs to the pager while it runs (less takes it to stop a search)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:
        signal.signal(signal.SIGINT, previous)
        return False
    try:
        assert process.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # the reader quit early: fine
            process.stdin.write(drawn.encode(sys.stdout.encoding or "utf-8", "replace"))
        with contextlib.suppress(OSError):
            process.stdin.close()
        process.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return True
