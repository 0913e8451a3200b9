"""Running canon in a real terminal (tmux) at a chosen size, and reading the screen.

Each call starts its own tmux server on a private socket and ends it afterwards, so
tests running side by side never share a server (or a screen).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

HAVE_TMUX = shutil.which("tmux") is not None
needs_tmux = pytest.mark.skipif(not HAVE_TMUX, reason="tmux is not installed")
DONE = "__canon_exit="


def canon_command(args: Sequence[str]) -> str:
    return shlex.join([sys.executable, "-m", "canon_cli", *args])


def screen(
    args: Sequence[str] | str,
    columns: int,
    rows: int = 40,
    env: Mapping[str, str] | None = None,
    tmp: Path | None = None,
    timeout: float = 60,
    escapes: bool = False,
) -> tuple[str, int]:
    """What ``canon ARGS`` (or a shell command line) leaves on a ``columns`` x ``rows``
    terminal, with the lines scrolled off the top, and its exit code; ``escapes``: with
    the colours and styles as escape codes."""
    line = args if isinstance(args, str) else canon_command(args)
    socket = f"canon-test-{uuid.uuid4().hex[:12]}"
    folder = tmp or Path(os.environ["CANON_HOME"]).parent
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / f"{socket}.sh"
    exports = {**os.environ, "TERM": "xterm-256color", **(env or {})}
    exports.pop("COLUMNS", None)
    exports.pop("LINES", None)
    lines = [f"export {k}={shlex.quote(v)}" for k, v in exports.items() if k.isidentifier()]
    script.write_text(
        "\n".join([*lines, "unset COLUMNS LINES", "clear", line, f"echo {DONE}$?", "sleep 600", ""])
    )
    tmux = ["tmux", "-L", socket, "-f", os.devnull]
    subprocess.run(
        [*tmux, "new-session", "-d", "-x", str(columns), "-y", str(rows), "sh " + str(script)],
        check=True,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            shown = subprocess.run(
                [*tmux, "capture-pane", "-p", *(["-e"] if escapes else []), "-S", "-1000"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            found = re.search(rf"^(.*){DONE}(\d+)$", shown, re.M)
            if found:
                before = shown[: found.start()] + found.group(1)
                return before.rstrip("\n") + "\n", int(found.group(2))
            if time.monotonic() > deadline:
                raise AssertionError(f"canon did not finish in {timeout} s; screen:\n{shown}")
            time.sleep(0.1)
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, capture_output=True)
        script.unlink(missing_ok=True)


def drain(leader: int) -> bytes:
    """Every byte written to a pseudo-terminal until the program on it closes it."""
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)
