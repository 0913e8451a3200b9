"""``canon browse`` driven headlessly by Textual's Pilot: keys in, state out.

Every test presses keys in the running app and then reads the reading state the way
the CLI does (``canon show --json``), so what the app writes is what the other commands
see. Changes made by another canon process while the app runs are made by a real
``canon`` process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import webbrowser
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from canon_cli.cli.browse.app import BrowseApp
from canon_cli.cli.browse.records import SectionRow
from canon_cli.cli.browse.widgets import EntryList, HelpScreen, NoteScreen, SectionTree
from tests.cli.browse.helpers import (
    CATALOG,
    details_text,
    drive,
    make_app,
    screen_colours,
    write_state,
)


@pytest.fixture(autouse=True)
def fixed_state(canon_home: Path) -> Path:
    return write_state(canon_home)


def show(cli: Any, entry_id: str) -> dict[str, Any]:
    """The entry as ``canon show --json`` reports it after the app ran."""
    result = cli("--catalog", str(CATALOG), "show", entry_id, "--json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def entries(app: BrowseApp) -> EntryList:
    return app.query_one(EntryList)


def current_id(app: BrowseApp) -> str | None:
    """The id of the highlighted entry."""
    current = entries(app).current
    return None if current is None else current.id


def focused(app: BrowseApp) -> str | None:
    """The id of the widget with the focus."""
    return None if app.focused is None else app.focused.id


def status_line(app: BrowseApp) -> str:
    return str(app.query_one("#status", Static).content)


async def go_to(pilot: Pilot[int], entry_id: str) -> None:
    """Highlight ``entry_id`` by searching for it, as a user would."""
    await pilot.press("slash", *entry_id.replace("-", " "), "enter")
    await pilot.pause()
    app = pilot.app
    assert isinstance(app, BrowseApp)
    ids = [row.id for row in entries(app).rows]
    entries(app).highlighted = ids.index(entry_id)
    await pilot.pause()


def test_it_starts_where_canon_next_points(cli: Any) -> None:
    app = make_app()

    async def check(pilot: Pilot[int]) -> None:
        tree = app.query_one(SectionTree)
        assert tree.cursor_node is tree.nodes_by_slug["language"]
        assert current_id(app) == "attention"  # being read: what 'canon next' shows
        assert [row.id for row in entries(app).rows] == ["attention", "scaling-laws"]
        text = details_text(app)
        assert text.startswith("Attention is all you need")
        assert "reading" in text and "2026-03-05 08:15" in text
        assert "[1] annotated: https://example.org/annotated" in text
        assert app.focused is entries(app)

    drive(app, check, size=(140, 40))


def test_section_tree_counts_done_of_total(cli: Any) -> None:
    app = make_app()

    async def check(pilot: Pilot[int]) -> None:
        tree = app.query_one(SectionTree)
        counts = {
            slug: (node.data.done, node.data.total)
            for slug, node in tree.nodes_by_slug.items()
            if node.data is not None
        }
        assert counts == {
            "basics": (1, 2),
            "research": (0, 3),
            "language": (0, 2),
            "images": (0, 1),
            "practice": (0, 1),
        }
        assert tree.root.data is not None and (tree.root.data.done, tree.root.data.total) == (1, 6)

    drive(app, check)


@pytest.mark.parametrize(
    ("key", "status"), [("d", "done"), ("x", "skipped"), ("u", "unread"), ("s", "reading")]
)
def test_status_keys_write_what_the_cli_reads(cli: Any, key: str, status: str) -> None:
    app = make_app()

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("j", key)  # from attention down to scaling-laws
        assert current_id(app) == "scaling-laws"

    drive(app, press)
    assert show(cli, "scaling-laws")["status"] == status
    assert show(cli, "attention")["status"] == "reading"  # nothing else changed


def test_done_then_unread_keeps_the_rating_and_notes(cli: Any) -> None:
    app = make_app()

    async def press(pilot: Pilot[int]) -> None:
        await go_to(pilot, "software-2")
        await pilot.press("u")
        assert "software-2: unread" in status_line(app)

    drive(app, press)
    record = show(cli, "software-2")
    assert record["status"] == "unread"
    assert record["rating"] == 4 and len(record["notes"]) == 1


def test_the_list_shows_the_new_mark_at_once(cli: Any) -> None:
    app = make_app()

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("d")
        await pilot.pause()
        assert entries(app).rows[0].status == "done"
        assert "done" in details_text(app)
        tree = app.query_one(SectionTree)
        data = tree.nodes_by_slug["language"].data
        assert data is not None and data.done == 1

    drive(app, press)


def test_rate_is_r_then_a_digit(cli: Any) -> None:
    app = make_app()

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("r")
        assert "press 1-5" in status_line(app)
        await pilot.press("5")
        assert "rated attention: 5" in status_line(app)
        assert "★★★★★" in details_text(app)

    drive(app, press)
    assert show(cli, "attention")["rating"] == 5


def test_rate_zero_clears_and_escape_cancels(cli: Any) -> None:
    app = make_app()

    async def press(pilot: Pilot[int]) -> None:
        await go_to(pilot, "software-2")
        await pilot.press("r", "escape")
        assert "cancelled" in status_line(app)
        await pilot.press("r", "7")  # not a rating: nothing changes, nothing opens
        assert "1 to 5" in status_line(app)
        assert show(cli, "software-2")["rating"] == 4
        await pilot.press("r", "0")

    drive(app, press)
    assert show(cli, "software-2")["rating"] is None


def test_note_is_added_with_n(cli: Any) -> None:
    app = make_app()

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"re-read section 3", "enter")  # q, d, s inside a note are text
        await pilot.pause()
        assert not isinstance(app.screen, NoteScreen)
        assert "noted on attention" in status_line(app)
        assert "re-read section 3" in details_text(app)

    drive(app, press)
    notes = show(cli, "attention")["notes"]
    assert [n["text"] for n in notes] == ["re-read section 3"]
    assert show(cli, "attention")["status"] == "reading"


def test_an_empty_or_cancelled_note_adds_nothing(cli: Any) -> None:
    app = make_app()

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("n", "space", "enter")
        await pilot.pause()
        assert "the note is empty" in status_line(app)
        await pilot.press("n", *"draft", "escape")
        await pilot.pause()
        assert "No note added" in status_line(app)

    drive(app, press)
    assert show(cli, "attention")["notes"] == []


class FakeBrowser:
    def __init__(self) -> None:
        self.opened: list[str] = []

    def open_new_tab(self, url: str) -> bool:
        self.opened.append(url)
        return True


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> FakeBrowser:
    fake = FakeBrowser()
    monkeypatch.setattr(webbrowser, "get", lambda *args: fake)
    return fake


@pytest.mark.parametrize("key", ["o", "enter"])
def test_open_marks_an_unread_entry_reading(cli: Any, browser: FakeBrowser, key: str) -> None:
    app = make_app()

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("j", key)
        await pilot.pause()
        assert "opened [0] main of scaling-laws (marked reading)" in status_line(app)

    drive(app, press)
    assert browser.opened == ["https://example.org/scaling"]
    assert show(cli, "scaling-laws")["status"] == "reading"


def test_open_leaves_a_done_entry_done(cli: Any, browser: FakeBrowser) -> None:
    app = make_app()

    async def press(pilot: Pilot[int]) -> None:
        await go_to(pilot, "software-2")
        await pilot.press("o")

    drive(app, press)
    assert browser.opened == ["https://example.org/software-2"]
    assert show(cli, "software-2")["status"] == "done"


def test_open_marks_nothing_when_the_setting_is_off(
    cli: Any, browser: FakeBrowser, canon_home: Path
) -> None:
    assert cli("config", "set", "open_marks_reading", "false").exit_code == 0
    app = make_app()

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("j", "o")

    drive(app, press)
    assert browser.opened == ["https://example.org/scaling"]
    assert show(cli, "scaling-laws")["status"] == "unread"


def test_digits_open_extra_links_by_number(cli: Any, browser: FakeBrowser) -> None:
    app = make_app()

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("2", "1")
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
        assert "attention has no link [5]" in status_line(app)

    drive(app, press)
    assert browser.opened == ["https://example.org/attention-blog", "https://example.org/annotated"]


def test_a_refused_link_opens_nothing_and_marks_nothing(
    cli: Any, browser: FakeBrowser, tmp_path: Path
) -> None:
    catalog = tmp_path / "bad.yaml"
    text = CATALOG.read_text().replace(
        "url: https://example.org/scaling", "url: 'javascript:alert(1)'"
    )
    catalog.write_text(text)
    app = make_app(catalog=catalog)

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("j")
        assert "⚠" in str(entries(app).get_option_at_index(1).prompt)
        await pilot.press("o")
        await pilot.pause()
        assert "refused to open 1 link" in status_line(app)

    drive(app, press)
    assert browser.opened == []
    result = cli("--catalog", str(catalog), "show", "scaling-laws", "--json")
    assert json.loads(result.stdout)["status"] == "unread"


def test_without_a_browser_the_url_is_shown(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_browser(*args: object) -> None:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    app = make_app()

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("o")
        await pilot.pause()
        line = status_line(app)
        assert "no web browser found" in line and "https://example.org/attention" in line

    drive(app, press, size=(140, 40))


def test_search_is_live_and_ranked_like_canon_search(cli: Any) -> None:
    app = make_app()
    expected = json.loads(cli("--catalog", str(CATALOG), "search", "models", "--json").stdout)

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("slash", "m", "o", "d")
        await pilot.pause()
        partial = [row.id for row in entries(app).rows]
        await pilot.press("e", "l", "s")
        await pilot.pause()
        assert [row.id for row in entries(app).rows] == [e["id"] for e in expected]
        assert partial  # results appear while typing, before the word is complete
        assert app.query_one("#search", Input).value == "models"
        await pilot.press("enter")
        assert app.focused is entries(app)
        await pilot.press("escape")
        assert [row.id for row in entries(app).rows] == ["attention", "scaling-laws"]

    drive(app, press)
    assert len(expected) >= 2


def test_letters_typed_into_search_are_text_not_commands(cli: Any) -> None:
    app = make_app()

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("slash", *"qdsxu rln?")
        await pilot.pause()
        assert app.is_running
        assert app.query_one("#search", Input).value == "qdsxu rln?"

    drive(app, press)
    assert show(cli, "attention")["status"] == "reading"
    assert show(cli, "attention")["rating"] is None


def test_l_switches_the_language(cli: Any) -> None:
    app = make_app()

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("l")
        tree = app.query_one(SectionTree)
        node = tree.nodes_by_slug["language"]
        assert isinstance(node.data, SectionRow) and node.data.name == "大型语言模型"
        assert entries(app).rows[0].title == "注意力就是你所需要的"
        assert details_text(app).startswith("注意力就是你所需要的\nAttention is all you need")
        assert "摘要" in details_text(app)
        await pilot.press("l")
        assert entries(app).rows[0].title == "Attention is all you need"

    drive(app, press)


def test_lang_option_picks_the_starting_language(cli: Any) -> None:
    app = make_app(lang="zh")

    async def check(pilot: Pilot[int]) -> None:
        assert entries(app).rows[1].title == "神经语言模型的缩放定律"

    drive(app, check)


def test_help_lists_the_keys_and_closes_on_a_key(cli: Any) -> None:
    app = make_app()

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")  # closes the help; does not quit
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen) and app.is_running

    drive(app, press)


def test_q_quits_with_exit_code_0(cli: Any) -> None:
    app = make_app()

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("q")
        await pilot.pause()

    drive(app, press)
    assert app.return_code == 0 and app.return_value == 0


def test_arrows_j_k_and_tab_move(cli: Any) -> None:
    app = make_app()

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("down")
        assert current_id(app) == "scaling-laws"
        await pilot.press("k")
        assert current_id(app) == "attention"
        await pilot.press("tab")
        assert focused(app) == "details"
        await pilot.press("tab")
        assert focused(app) == "sections"
        await pilot.press("k", "k")  # up the tree, past "research", to "basics"
        await pilot.pause()
        assert [row.id for row in entries(app).rows] == ["software-2", "state-of-gpt"]
        await pilot.press("enter")  # a section: Enter goes to its entries
        assert focused(app) == "entries"

    drive(app, press)


def canon_process(*args: str) -> None:
    """Another canon, as a separate process, on the same home."""
    done = subprocess.run(
        [sys.executable, "-m", "canon_cli", "--catalog", str(CATALOG), *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr


async def until(pilot: Pilot[int], condition: Any, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition()


def test_a_change_by_another_canon_shows_up(cli: Any) -> None:
    app = make_app(poll_seconds=0.2)

    async def press(pilot: Pilot[int]) -> None:
        canon_process("done", "scaling-laws")
        await until(pilot, lambda: entries(app).rows[1].status == "done")
        tree = app.query_one(SectionTree)
        data = tree.nodes_by_slug["language"].data
        assert data is not None and data.done == 1

    drive(app, press)


def test_a_change_while_the_help_is_open_shows_when_it_closes(cli: Any) -> None:
    app = make_app(poll_seconds=0.1)

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("question_mark")
        canon_process("done", "scaling-laws")
        await pilot.pause(1.0)  # several polls with the help on top
        assert isinstance(app.screen, HelpScreen) and app.is_running
        await pilot.press("q")
        await until(pilot, lambda: entries(app).rows[1].status == "done")

    drive(app, press)


def test_a_poll_while_the_app_closes_is_quiet(cli: Any) -> None:
    """The poll timer can fire once more while the app is closing and its panes are
    gone; a change seen then is left for the next run, not a traceback."""
    app = make_app(poll_seconds=60)

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("q")

    drive(app, press)
    canon_process("done", "scaling-laws")
    app._poll()  # as the timer would, with the panes gone


def test_a_change_by_another_canon_is_never_overwritten(cli: Any) -> None:
    app = make_app(poll_seconds=60)  # the app has not even polled when it writes

    async def press(pilot: Pilot[int]) -> None:
        canon_process("note", "attention", "written elsewhere")
        canon_process("done", "attention")
        await pilot.press("r", "3")
        await pilot.pause()
        canon_process("rate", "scaling-laws", "2")
        await pilot.press("j", "s")

    drive(app, press)
    attention = show(cli, "attention")
    assert attention["status"] == "done" and attention["rating"] == 3
    assert [n["text"] for n in attention["notes"]] == ["written elsewhere"]
    scaling = show(cli, "scaling-laws")
    assert scaling["status"] == "reading" and scaling["rating"] == 2


def test_a_broken_state_file_is_reported_and_the_app_keeps_going(
    cli: Any, fixed_state: Path
) -> None:
    app = make_app(poll_seconds=0.1)

    db = fixed_state.with_name("state.db")

    async def press(pilot: Pilot[int]) -> None:
        await pilot.pause()
        good = db.read_bytes()
        db.write_bytes(b"not a database " * 300)
        await until(pilot, lambda: "state.db" in status_line(app))
        assert app.is_running
        await pilot.press("d")
        await pilot.pause()
        assert "state.db" in status_line(app)  # refused: nothing is written
        assert db.read_bytes() == b"not a database " * 300
        db.write_bytes(good)  # the user puts the good copy back
        await pilot.pause(0.3)
        await pilot.press("d")
        await pilot.pause()
        assert status_line(app) == "attention: done"

    drive(app, press)
    assert show(cli, "attention")["status"] == "done"


def test_an_empty_catalog_section_has_no_entry_to_act_on(cli: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "empty.yaml"
    catalog.write_text(
        "version: 1\nsections:\n  - slug: empty\n    name: {en: Nothing here}\nentries: []\n"
    )
    app = make_app(catalog=catalog)

    async def press(pilot: Pilot[int]) -> None:
        await pilot.press("d")
        assert "No entry selected" in status_line(app)
        assert "No entry selected" in details_text(app)

    drive(app, press)


def test_no_color_draws_in_shades_of_grey(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()

    async def check(pilot: Pilot[int]) -> None:
        colours = screen_colours(app)
        assert colours and all(r == g == b for r, g, b in colours), colours

    drive(app, check)
    assert app.no_color


def test_without_no_color_there_is_colour(cli: Any) -> None:
    app = make_app()

    async def check(pilot: Pilot[int]) -> None:
        assert any(not r == g == b for r, g, b in screen_colours(app))

    drive(app, check)
