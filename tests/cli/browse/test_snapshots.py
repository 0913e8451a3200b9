"""Screens of ``canon browse`` compared with approved snapshots (pytest-textual-snapshot).

The catalog (tests/data/browse-catalog.yaml), the reading state and the clock are
fixed, so a screen changes only when the app's drawing does. After a deliberate change,
look at the report, then re-approve with ``pytest tests/test_browse_snapshots.py
--snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.cli.browse import helpers
from tests.cli.browse.helpers import CheckedLibrary, write_state

SIZES = {"80x24": (80, 24), "140x40": (140, 40)}


def make_app(**options: Any) -> Any:
    """The app without its state poll: a poll landing while the screen is captured (on
    a loaded machine) must not decide what the snapshot shows."""
    return helpers.make_app(poll_seconds=3600, **options)


@pytest.fixture(autouse=True)
def fixed_state(canon_home: Path) -> Path:
    return write_state(canon_home)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", list(SIZES))
def test_main_layout(snap_compare: Any, size: str, lang: str) -> None:
    assert snap_compare(make_app(lang=lang), terminal_size=SIZES[size])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_done_entry_with_rating_notes_and_link_check(snap_compare: Any, lang: str) -> None:
    app = make_app(lang=lang, library_class=CheckedLibrary)
    # up to "Gentle introductions", then into its first entry (done, rated, noted)
    press = ["tab", "tab", "k", "k", "enter"]
    assert snap_compare(app, press=press, terminal_size=SIZES["140x40"])


def test_link_check_result_in_details(snap_compare: Any) -> None:
    app = make_app(library_class=CheckedLibrary)
    assert snap_compare(app, terminal_size=SIZES["140x40"])


async def _no_blink(pilot: Pilot[int]) -> None:
    pilot.app.query_one("#search", Input).cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", list(SIZES))
def test_search_results(snap_compare: Any, size: str) -> None:
    press = ["slash", *"models"]
    assert snap_compare(make_app(), press=press, terminal_size=SIZES[size], run_before=_no_blink)


def test_help(snap_compare: Any) -> None:
    assert snap_compare(make_app(), press=["question_mark"], terminal_size=SIZES["80x24"])


def test_rating_prompt(snap_compare: Any) -> None:
    assert snap_compare(make_app(), press=["r"], terminal_size=SIZES["80x24"])


def test_no_color(snap_compare: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(), terminal_size=SIZES["80x24"])
