"""Shared pieces of the browse tests: the test catalog, a fixed state, driving the app."""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Static

from canon_cli.cli.browse.app import BrowseApp
from canon_cli.cli.browse.data import Library
from canon_cli.cli.browse.records import LinkCheck
from canon_cli.cli.browse.widgets import DetailsView
from canon_cli.cli.session import Session

CATALOG = Path(__file__).resolve().parents[2] / "data" / "browse-catalog.yaml"
TIMEOUT = 60.0  # for real processes: generous, the machine running the tests may be busy
FIXED_NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

# Written into CANON_HOME as a user would have it: one entry done and rated with a
# note, one being read. Times are fixed so screens are the same on every run.
FIXED_STATE = """\
version: 1
entries:
  software-2:
    status: done
    started: '2026-03-01T09:00:00+00:00'
    finished: '2026-03-02T18:30:00+00:00'
    rating: 4
    notes:
      - at: '2026-03-02T18:31:00+00:00'
        text: the idea of a learned program still holds
    updated: '2026-03-02T18:31:00+00:00'
  attention:
    status: reading
    started: '2026-03-05T08:15:00+00:00'
    updated: '2026-03-05T08:15:00+00:00'
"""


def write_state(home: Path, text: str = FIXED_STATE) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "state.yaml"
    path.write_text(text, encoding="utf-8")
    return path


class CheckedLibrary(Library):
    """A library whose entries carry a recorded link check (as issue-free test data)."""

    def link_check(self, entry_id: str) -> LinkCheck | None:
        checked = datetime(2026, 3, 7, 9, 0, tzinfo=UTC)
        if entry_id == "attention":
            return LinkCheck(
                "redirected", 301, "https://example.org/new", "2026-03-07", self.age(checked)
            )
        return None


def make_app(
    lang: str = "en",
    catalog: Path = CATALOG,
    poll_seconds: float = 0.1,
    library_class: type[Library] = Library,
) -> BrowseApp:
    library = library_class(
        Session(catalog_option=catalog, lang_option=lang), clock=lambda: FIXED_NOW
    )
    library.load()
    return BrowseApp(library, poll_seconds=poll_seconds)


def drive(
    app: BrowseApp,
    scenario: Callable[[Pilot[int]], Awaitable[None]],
    size: tuple[int, int] = (80, 24),
) -> None:
    """Run ``app`` headlessly at ``size`` and play ``scenario`` on it."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await scenario(pilot)

    asyncio.run(main())


def screen_text(app: BrowseApp) -> str:
    """The screen as plain text, as a terminal of the app's size would show it."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False)


def screen_colours(app: BrowseApp) -> set[tuple[int, int, int]]:
    """Every foreground and background colour on the screen, as RGB."""
    from rich.console import Console

    console = Console(width=app.size.width, force_terminal=True, color_system="truecolor")
    colours = set()
    update = app.screen._compositor.render_update(full=True)
    assert update is not None
    for segment in console.render(update):
        style = segment.style
        if style is None:
            continue
        for colour in (style.color, style.bgcolor):
            if colour is not None and colour.triplet is not None:
                colours.add(tuple(colour.triplet))
    return colours  # type: ignore[return-value]


def details_text(app: BrowseApp) -> str:
    """The details pane's text, as plain text."""
    body = app.query_one(DetailsView).query_one("#details-body", Static)
    content = body.content
    assert isinstance(content, Content)
    return content.plain


class Terminal:
    """canon running on a pseudo-terminal of a given size."""

    def __init__(self, args: list[str], columns: int = 80, rows: int = 24) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = dict(os.environ, TERM="xterm-256color")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "canon_cli", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.output = b""

    def read_until(self, *wanted: bytes, timeout: float = TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not all(w in self.output for w in wanted):
            assert time.monotonic() < deadline, f"never drew {wanted}: {self.output[-500:]!r}"
            self._read(0.05)

    def _read(self, wait: float) -> None:
        ready, _, _ = select.select([self.master], [], [], wait)
        if ready:
            try:
                self.output += os.read(self.master, 65536)
            except OSError:  # the process closed the terminal
                time.sleep(wait)

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def wait(self, timeout: float = TIMEOUT) -> int:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(0.05)
        return self.proc.wait(timeout=1)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)
