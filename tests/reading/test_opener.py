"""``canon open``: which links it opens, what it refuses, and what it marks.

Launch tests run the real ``canon`` process with ``BROWSER`` set to a small script that
appends its arguments to a file, so they see exactly what a browser would have been given.
``PATH`` holds no browser, so nothing on the machine can be started by accident.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from canon_cli import paths
from canon_cli.catalog.store import Entry, Link
from canon_cli.cli.app import app
from canon_cli.errors import CatalogError, ExitCode, UsageError
from canon_cli.reading import opener

MAIN = "https://arxiv.org/abs/1706.03762"
BLOG = "https://blog.example.org/transformer"
VIDEO = "https://video.example.org/watch?v=1"

REFUSED = {
    "javascript": ("javascript:alert(1)", "'javascript:'"),
    "file": ("file:///etc/passwd", "'file:'"),
    "data": ("data:text/html;base64,PHNjcmlwdD4=", "'data:'"),
    "custom-scheme": ("canon-evil://run?x=1", "'canon-evil:'"),
    "dash-en-dash-flag": ("-\u2013flag", "starts with '-'"),
    "double-dash-option": ("--new-window=https://example.org", "starts with '-'"),
    "space": ("https://example.org/a b", "whitespace or control characters"),
    "newline": ("https://example.org/a\nb", "whitespace or control characters"),
    "escape": ("https://example.org/\x1b[31mred", "whitespace or control characters"),
    "bidi-override": ("https://example.org/\u202egnp.exe", "whitespace or control characters"),
    "no-host": ("https:///etc/passwd", "has no host"),
    "empty-host": ("http://", "has no host"),
}


def _entry(entry_id: str, title: str, url: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": entry_id,
        "title": title,
        "url": url,
        "section": "basics",
        "kind": "paper",
        "summary": {"en": f"About {title}."},
        **extra,
    }


CATALOG: dict[str, Any] = {
    "version": 1,
    "title": {"en": "Test canon"},
    "sections": [{"slug": "basics", "name": {"en": "Basics"}}],
    "entries": [
        _entry(
            "attention-is-all-you-need",
            "Attention is all you need",
            MAIN,
            links=[{"label": "blog post", "url": BLOG}, {"label": "Video", "url": VIDEO}],
            aliases=["attention"],
        ),
        _entry("gpt-2", "Language models are unsupervised multitask learners", "https://e.org/2"),
        _entry("gpt-3", "Language models are few-shot learners", "https://e.org/3"),
        _entry(
            "bad-slides",
            "Good main link, bad slides",
            "https://example.org/talk",
            links=[
                {"label": "slides", "url": "javascript:alert(1)"},
                {"label": "notes", "url": "file:///etc/passwd"},
            ],
        ),
        *(
            _entry(f"bad-{name}", f"Refused {name}", url)
            for name, (url, _) in sorted(REFUSED.items())
        ),
    ],
}


@pytest.fixture(autouse=True)
def no_inherited_browser(canon_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Besides canon's files under tmp_path (conftest), no browser or display is inherited."""
    for name in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "catalog.yaml"
    # JSON is YAML; it spells control characters in URLs as plain escapes
    path.write_text(json.dumps(CATALOG, indent=1), encoding="utf-8")
    return path


@pytest.fixture
def browser(tmp_path: Path) -> Path:
    """An executable that records each launch as one line: its arguments, tab-separated."""
    log = tmp_path / "launched.log"
    script = tmp_path / "fake-browser"
    script.write_text(
        "#!/bin/sh\n"
        f"for arg in \"$@\"; do printf '%s\\t' \"$arg\" >> '{log}'; done\n"
        f"printf '\\n' >> '{log}'\n"
    )
    script.chmod(0o755)
    return script


def launched(tmp_path: Path) -> list[list[str]]:
    log = tmp_path / "launched.log"
    if not log.exists():
        return []
    return [line.rstrip("\t").split("\t") for line in log.read_text().splitlines()]


def canon(
    tmp_path: Path, catalog: Path, *args: str, browser: Path | str | None = None
) -> subprocess.CompletedProcess[str]:
    """The real canon process, with PATH holding no browser at all."""
    empty_bin = tmp_path / "empty-bin"
    empty_bin.mkdir(exist_ok=True)
    env = {**os.environ, "PATH": str(empty_bin)}
    if browser is not None:
        env["BROWSER"] = str(browser)
    return subprocess.run(
        [sys.executable, "-m", "canon_cli", "--catalog", str(catalog), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def invoke(catalog: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--catalog", str(catalog), *args], catch_exceptions=False)


def status_of(catalog: Path, entry_id: str) -> str:
    result = invoke(catalog, "show", entry_id, "--json")
    assert result.exit_code == 0, result.stderr
    return str(json.loads(result.stdout)["status"])


# --- launching --------------------------------------------------------------


def test_opens_the_main_link(tmp_path: Path, catalog: Path, browser: Path) -> None:
    result = canon(tmp_path, catalog, "open", "attention-is-all-you-need", browser=browser)
    assert result.returncode == 0, result.stderr
    assert launched(tmp_path) == [[MAIN]]
    assert result.stdout == ""
    assert f"opened attention-is-all-you-need [0] main: {MAIN}" in result.stderr


@pytest.mark.parametrize("label", ["blog post", "BLOG POST", "blog", "Blo"])
def test_link_by_label_ignores_case_and_takes_a_unique_prefix(
    tmp_path: Path, catalog: Path, browser: Path, label: str
) -> None:
    result = canon(tmp_path, catalog, "open", "attention", "--link", label, browser=browser)
    assert result.returncode == 0, result.stderr
    assert launched(tmp_path) == [[BLOG]]


def test_link_by_number_as_show_numbers_them(tmp_path: Path, catalog: Path, browser: Path) -> None:
    shown = invoke(catalog, "show", "attention")
    assert f"[2] Video: {VIDEO}" in shown.stdout
    result = canon(tmp_path, catalog, "open", "attention", "-l", "2", browser=browser)
    assert result.returncode == 0, result.stderr
    assert launched(tmp_path) == [[VIDEO]]


def test_all_opens_every_link_in_order(tmp_path: Path, catalog: Path, browser: Path) -> None:
    result = canon(tmp_path, catalog, "open", "attention", "--all", browser=browser)
    assert result.returncode == 0, result.stderr
    assert launched(tmp_path) == [[MAIN], [BLOG], [VIDEO]]


def test_print_prints_the_urls_and_launches_nothing(
    tmp_path: Path, catalog: Path, browser: Path
) -> None:
    result = canon(tmp_path, catalog, "open", "attention", "--all", "--print", browser=browser)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [MAIN, BLOG, VIDEO]
    assert launched(tmp_path) == []


def test_a_browser_that_cannot_start_falls_back_to_printing(tmp_path: Path, catalog: Path) -> None:
    missing = tmp_path / "no-such-browser"
    result = canon(tmp_path, catalog, "open", "attention", browser=missing)
    assert result.returncode == ExitCode.OK
    assert result.stdout.splitlines() == [MAIN]
    explanation = [line for line in result.stderr.splitlines() if "printing the link" in line]
    assert len(explanation) == 1
    assert str(missing) in explanation[0]


@pytest.mark.skipif(
    sys.platform != "linux", reason="webbrowser finds the system browser on macOS and Windows"
)
def test_no_browser_at_all_falls_back_to_printing(tmp_path: Path, catalog: Path) -> None:
    result = canon(tmp_path, catalog, "open", "attention", "--all")
    assert result.returncode == ExitCode.OK
    assert result.stdout.splitlines() == [MAIN, BLOG, VIDEO]
    assert "no web browser found (set BROWSER to choose one)" in result.stderr
    assert "printing the links instead" in result.stderr


# --- refusing unsafe links ----------------------------------------------------


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_links_launch_nothing(
    tmp_path: Path, catalog: Path, browser: Path, name: str
) -> None:
    url, reason = REFUSED[name]
    result = canon(tmp_path, catalog, "open", f"bad-{name}", browser=browser)
    assert result.returncode == ExitCode.DATA
    assert launched(tmp_path) == []
    assert result.stdout == ""
    assert result.stderr.startswith(f"canon: error: {catalog}: entry 'bad-{name}'")
    assert f"[0] main {url!r} " in result.stderr
    assert reason in result.stderr
    assert "nothing was opened" in result.stderr
    # the URL is shown escaped, never raw, so it cannot drive the terminal
    assert "\x1b" not in result.stderr
    assert "\u202e" not in result.stderr
    assert status_of(catalog, f"bad-{name}") == "unread"


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_links_are_not_printed_either(catalog: Path, name: str) -> None:
    result = invoke(catalog, "open", f"bad-{name}", "--print")
    assert result.exit_code == ExitCode.DATA
    assert result.stdout == ""
    assert REFUSED[name][1] in result.stderr
    assert status_of(catalog, f"bad-{name}") == "unread"


def test_all_checks_every_link_before_opening_any(
    tmp_path: Path, catalog: Path, browser: Path
) -> None:
    result = canon(tmp_path, catalog, "open", "bad-slides", "--all", browser=browser)
    assert result.returncode == ExitCode.DATA
    assert launched(tmp_path) == []  # not even the good main link
    assert "refused to open 2 links" in result.stderr
    assert "[1] slides" in result.stderr
    assert "[2] notes" in result.stderr


def test_a_bad_extra_link_does_not_block_the_good_main_link(
    tmp_path: Path, catalog: Path, browser: Path
) -> None:
    result = canon(tmp_path, catalog, "open", "bad-slides", browser=browser)
    assert result.returncode == 0, result.stderr
    assert launched(tmp_path) == [["https://example.org/talk"]]
    refused = canon(tmp_path, catalog, "open", "bad-slides", "--link", "slides", browser=browser)
    assert refused.returncode == ExitCode.DATA
    assert len(launched(tmp_path)) == 1


def test_list_flags_an_entry_with_a_bad_link(catalog: Path) -> None:
    result = invoke(catalog, "list")
    assert result.exit_code == 0
    titles = {row.split("\t")[0]: row.split("\t")[-1] for row in result.stdout.splitlines()}
    assert titles["bad-slides"] == "Good main link, bad slides!"
    assert titles["bad-javascript"].endswith("!")
    assert titles["attention-is-all-you-need"] == "Attention is all you need"


# --- which entry ----------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["attention-is-all-you-need", "attention", "attention-is", "ATTENTION is all you need!"],
)
def test_resolves_id_alias_prefix_and_title(catalog: Path, typed: str) -> None:
    result = invoke(catalog, "open", typed, "--print", "--no-mark")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == MAIN + "\n"


def test_an_ambiguous_prefix_lists_the_candidates(
    tmp_path: Path, catalog: Path, browser: Path
) -> None:
    result = canon(tmp_path, catalog, "open", "gpt", browser=browser)
    assert result.returncode == ExitCode.USAGE
    assert "'gpt' matches 2 entries" in result.stderr
    assert "gpt-2" in result.stderr
    assert "gpt-3" in result.stderr
    assert launched(tmp_path) == []


def test_a_typo_suggests_the_entry(tmp_path: Path, catalog: Path, browser: Path) -> None:
    result = canon(tmp_path, catalog, "open", "atention-is-all-you-need", browser=browser)
    assert result.returncode == ExitCode.USAGE
    assert "Did you mean attention-is-all-you-need?" in result.stderr
    assert launched(tmp_path) == []


def test_without_id_opens_what_next_shows(catalog: Path) -> None:
    first = invoke(catalog, "open", "--print", "--no-mark")
    assert first.stdout == MAIN + "\n"
    assert invoke(catalog, "start", "gpt-3").exit_code == 0
    in_progress = invoke(catalog, "open", "--print")
    assert in_progress.stdout == "https://e.org/3\n"


def test_without_id_and_everything_read_there_is_nothing_to_open(catalog: Path) -> None:
    ids = [entry["id"] for entry in CATALOG["entries"]]
    assert invoke(catalog, "done", *ids).exit_code == 0
    result = invoke(catalog, "open", "--print")
    assert result.exit_code == ExitCode.FAILURE
    assert result.stdout == ""
    assert "nothing to open: every entry is done or skipped" in result.stderr


@pytest.mark.parametrize("link", ["3", "podcast", "-1"])
def test_an_unknown_link_lists_the_entrys_links(catalog: Path, link: str) -> None:
    result = invoke(catalog, "open", "attention", "--link", link, "--print")
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    for line in (f"[0] main: {MAIN}", f"[1] blog post: {BLOG}", f"[2] Video: {VIDEO}"):
        assert line in result.stderr
    assert status_of(catalog, "attention") == "unread"


def test_link_and_all_together_are_refused(catalog: Path) -> None:
    result = invoke(catalog, "open", "attention", "--link", "1", "--all", "--print")
    assert result.exit_code == ExitCode.USAGE
    assert "either --link or --all" in result.stderr


# --- marking --------------------------------------------------------------------


def test_opening_an_unread_entry_marks_it_reading(
    tmp_path: Path, catalog: Path, browser: Path
) -> None:
    result = canon(tmp_path, catalog, "open", "attention", browser=browser)
    assert result.returncode == 0, result.stderr
    assert "started: attention-is-all-you-need" in result.stderr
    assert status_of(catalog, "attention") == "reading"


def test_printing_marks_reading_too(catalog: Path) -> None:
    result = invoke(catalog, "open", "gpt-2", "--print")
    assert result.exit_code == 0
    assert result.stdout == "https://e.org/2\n"  # the note stays off stdout
    assert "started: gpt-2" in result.stderr
    assert status_of(catalog, "gpt-2") == "reading"


def test_opening_a_finished_entry_keeps_its_status(catalog: Path) -> None:
    assert invoke(catalog, "done", "gpt-2").exit_code == 0
    result = invoke(catalog, "open", "gpt-2", "--print")
    assert result.exit_code == 0
    assert "started" not in result.stderr
    assert status_of(catalog, "gpt-2") == "done"


def test_no_mark_leaves_the_status(tmp_path: Path, catalog: Path, browser: Path) -> None:
    result = canon(tmp_path, catalog, "open", "attention", "--no-mark", browser=browser)
    assert result.returncode == 0, result.stderr
    assert launched(tmp_path) == [[MAIN]]
    assert "started" not in result.stderr
    assert status_of(catalog, "attention") == "unread"


def test_config_can_turn_marking_off(tmp_path: Path, catalog: Path, browser: Path) -> None:
    config = paths.config_path()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("open_marks_reading = false\n", encoding="utf-8")
    result = canon(tmp_path, catalog, "open", "attention", browser=browser)
    assert result.returncode == 0, result.stderr
    assert launched(tmp_path) == [[MAIN]]
    assert status_of(catalog, "attention") == "unread"


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(app, ["open", "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Example: canon open" in result.stdout
    for option in ("--link", "--all", "--print", "--no-mark"):
        assert option in result.stdout


# --- the pure parts, without a process --------------------------------------------


def _plain_entry(url: str = MAIN, links: tuple[Link, ...] = ()) -> Entry:
    return Entry(
        ord=0,
        id="e",
        title="E",
        title_zh=None,
        url=url,
        section="basics",
        section_path=("basics",),
        year=None,
        authors=(),
        kind="paper",
        tags=(),
        summary_en="",
        summary_zh=None,
        links=links,
        aliases=(),
        url_problem=None,
        source="catalog.yaml",
    )


def test_pick_links_refuses_a_label_prefix_shared_by_two_links() -> None:
    entry = _plain_entry(links=(Link("slides", BLOG), Link("slides (pdf)", VIDEO)))
    assert [x.url for x in opener.pick_links(entry, "slides", False)] == [BLOG]  # exact wins
    with pytest.raises(UsageError, match="matches 2 links"):
        opener.pick_links(entry, "sli", False)


def test_check_links_names_the_catalog_file() -> None:
    entry = _plain_entry(url="javascript:alert(1)")
    with pytest.raises(CatalogError) as caught:
        opener.check_links(entry, opener.pick_links(entry, None, False))
    assert caught.value.path == "catalog.yaml"
    assert caught.value.exit_code == ExitCode.DATA


class FakeBrowser:
    name = "fake"

    def __init__(self, works: bool) -> None:
        self.works = works
        self.urls: list[str] = []

    def open_new_tab(self, url: str) -> bool:
        self.urls.append(url)
        return self.works


def test_launch_reports_links_the_browser_refused() -> None:
    links = opener.numbered_links(_plain_entry(links=(Link("blog", BLOG),)))
    good = FakeBrowser(works=True)
    assert opener.launch(links, lambda: good).opened == links
    broken = FakeBrowser(works=False)
    result = opener.launch(links, lambda: broken)
    assert result.unopened == links
    assert result.problem is not None
    assert "'fake'" in result.problem


def test_launch_without_any_browser() -> None:
    import webbrowser

    def none_found() -> opener.Browser:
        raise webbrowser.Error("could not locate runnable browser")

    links = opener.numbered_links(_plain_entry())
    result = opener.launch(links, none_found)
    assert result.opened == []
    assert result.unopened == links


def test_pick_links_finds_a_label_by_a_word_inside_it() -> None:
    # The README's own example: the label is "palm-2 technical report".
    entry = _plain_entry(links=(Link("blog post", BLOG), Link("palm-2 technical report", VIDEO)))
    assert [x.url for x in opener.pick_links(entry, "technical report", False)] == [VIDEO]
    assert [x.url for x in opener.pick_links(entry, "Report", False)] == [VIDEO]
    with pytest.raises(UsageError, match="no link labelled"):
        opener.pick_links(entry, "echnical", False)  # inside a word is not a match


def test_an_unwritable_home_still_prints_and_says_the_mark_was_not_saved(
    catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("CANON_HOME", str(blocked / "home"))  # a folder that cannot exist
    result = invoke(catalog, "open", "attention", "--print")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == MAIN + "\n"
    assert "canon: warning: attention-is-all-you-need was not marked as reading" in result.stderr
    assert "CANON_HOME" in result.stderr
    done = invoke(catalog, "done", "attention")
    assert done.exit_code == ExitCode.IO and "CANON_HOME" in done.stderr
