"""``canon links check``, ``canon links`` and what show, list and open make of the results.

The catalog's links point at a local server (127.0.0.1); the server counts requests, so
the tests can tell that only ``links check`` ever makes one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from canon_cli.linkcheck import LinkResult, LinkStatus
from canon_cli.linkcheck.store import results_path, save_results
from tests.fsutil import unwritable
from tests.linkserver import LinkServer, link_server

Cli = Any
COLUMNS = ("result", "status", "id", "url", "final_url", "detail", "checked_at")


def catalog_text(base: str) -> str:
    def entry(entry_id: str, path: str, extra: str = "") -> str:
        return (
            f"  - id: {entry_id}\n    title: Title of {entry_id}\n    url: {base}{path}\n"
            f"    section: {'first' if entry_id != 'gone' else 'second'}\n    kind: article\n"
            f"    summary: {{en: About {entry_id}.}}\n{extra}"
        )

    extra_link = f"    links:\n      - {{label: slides, url: '{base}/missing'}}\n"
    return (
        "version: 1\nsections:\n  - slug: first\n    name: {en: First}\n"
        "  - slug: second\n    name: {en: Second}\nentries:\n"
        + entry("fine", "/ok")
        + entry("moved", "/r1")
        + entry("with-slides", "/ok?page=2", extra_link)
        + entry("gone", "/missing")
    )


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        yield running


@pytest.fixture
def catalog(server: LinkServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "links.yaml"
    path.write_text(catalog_text(server.base), encoding="utf-8")
    monkeypatch.setenv("CANON_CATALOG", str(path))
    return path


def lines(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if line]


def requests(server: LinkServer) -> int:
    return sum(server.stats.hits.values())


def test_check_in_a_pipe_prints_one_line_per_link_and_exits_1(
    cli: Cli, server: LinkServer, catalog: Path
) -> None:
    result = cli("links", "check")
    assert result.exit_code == 1
    found = {(row[2], row[3].removeprefix(server.base)): row for row in lines(result.stdout)}
    assert all(len(row) == len(COLUMNS) for row in found.values())
    assert found["fine", "/ok"][:2] == ["ok", "200"]
    assert found["moved", "/r1"][:2] == ["redirected", "200"]
    assert found["moved", "/r1"][4] == server.base + "/ok"
    assert found["with-slides", "/missing"][:2] == ["broken", "404"]
    assert found["gone", "/missing"][:2] == ["broken", "404"]
    assert len(found) == 5
    assert "5 links: 2 ok, 1 redirected, 2 broken" in result.stderr
    assert server.stats.hits["/missing"] == 2  # one URL, checked once: HEAD, then GET


def test_check_json(cli: Cli, server: LinkServer, catalog: Path) -> None:
    result = cli("links", "check", "--json")
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert [item["id"] for item in items] == ["fine", "moved", "with-slides", "with-slides", "gone"]
    assert {"id", "url", "result", "status", "final_url", "checked_at"} <= set(items[0])
    moved = items[1]
    assert (moved["result"], moved["status"], moved["final_url"]) == (
        "redirected",
        200,
        server.base + "/ok",
    )
    assert datetime.fromisoformat(moved["checked_at"]) > datetime.now(UTC) - timedelta(minutes=5)
    assert result.stderr == ""


def test_every_link_alive_exits_0(cli: Cli, server: LinkServer, catalog: Path) -> None:
    result = cli("links", "check", "fine", "moved")
    assert result.exit_code == 0, result.stderr
    assert {row[2] for row in lines(result.stdout)} == {"fine", "moved"}


def test_unreachable_links_fail_too(cli: Cli, server: LinkServer, catalog: Path) -> None:
    catalog.write_text(catalog_text(server.base).replace("/ok?page=2", "/hang"), "utf-8")
    result = cli("links", "check", "with-slides", "--timeout", "0.3", "--json")
    assert result.exit_code == 1
    hung = json.loads(result.stdout)[0]
    assert (hung["result"], hung["status"]) == ("unreachable", None)
    assert hung["detail"] == "timed out after 0.3 s"


def test_terminal_gets_a_progress_bar_and_a_summary_table(
    cli: Cli, server: LinkServer, catalog: Path
) -> None:
    result = cli("links", "check", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 1
    assert "Checking links" in result.stderr  # the progress bar
    assert "5/5" in result.stderr
    out = result.stdout
    assert "broken" in out and "redirected" in out and "→ " + server.base + "/ok" in out
    assert "5 links: 2 ok, 1 redirected, 2 broken" in out


def test_section_and_ids_narrow_the_check(cli: Cli, server: LinkServer, catalog: Path) -> None:
    result = cli("links", "check", "--section", "second")
    assert {row[2] for row in lines(result.stdout)} == {"gone"}
    result = cli("links", "check", "fine", "gone", "--section", "first")
    assert result.exit_code == 0
    assert {row[2] for row in lines(result.stdout)} == {"fine"}


def test_catalog_option_narrows_to_one_catalog_file(
    cli: Cli, server: LinkServer, catalog: Path, tmp_path: Path
) -> None:
    result = cli("links", "check", "--catalog", str(catalog), "--json")
    assert len(json.loads(result.stdout)) == 5
    before = requests(server)
    other = tmp_path / "other.yaml"
    other.write_text("version: 1\nentries: []\n", encoding="utf-8")
    refused = cli("links", "check", "--catalog", str(other))
    assert refused.exit_code == 2
    assert "is not one of the catalogs canon reads" in refused.stderr
    assert "canon --catalog FILE links check" in refused.stderr
    assert requests(server) == before  # the refused run fetched nothing


@pytest.mark.parametrize(
    "args",
    [
        ["--max-age", "soon"],
        ["--max-age", "-1d"],
        ["--timeout", "0"],
        ["no-such-entry"],
        ["--section", "no-such-section"],
    ],
)
def test_bad_arguments_are_usage_errors(
    cli: Cli, server: LinkServer, catalog: Path, args: list[str]
) -> None:
    result = cli("links", "check", *args)
    assert result.exit_code == 2
    assert requests(server) == 0


def test_links_alone_shows_the_last_results_without_fetching(
    cli: Cli, server: LinkServer, catalog: Path
) -> None:
    assert cli("links").stderr.startswith("No links checked yet")
    assert json.loads(cli("links", "--json").stdout) == []
    checked = json.loads(cli("links", "check", "--json").stdout)
    assert {item.pop("cached") for item in checked} == {False}
    before = requests(server)
    shown = cli("links", "--json")
    assert shown.exit_code == 0
    assert json.loads(shown.stdout) == checked
    assert len(lines(cli("links").stdout)) == 5
    table = cli("links", env={"FORCE_COLOR": "1"}).stdout
    assert "gone" in table and "404" in table and "fine" not in table  # problems only
    assert requests(server) == before


def test_max_age_rechecks_only_older_results(cli: Cli, server: LinkServer, catalog: Path) -> None:
    old = datetime.now(UTC) - timedelta(days=5)
    save_results(
        [LinkResult("fine", server.base + "/ok", LinkStatus.OK, 200, server.base + "/ok", old)]
    )
    cli("links", "check", "gone")
    before = requests(server)
    result = cli("links", "check", "--max-age", "1d", "--json")
    assert result.exit_code == 1  # 'gone' is still remembered as broken
    by_id = {(i["id"], i["url"]): i for i in json.loads(result.stdout)}
    assert by_id["gone", server.base + "/missing"]["cached"] is True
    assert by_id["fine", server.base + "/ok"]["cached"] is False  # 5 days old: checked again
    assert requests(server) > before
    again = requests(server)
    cli("links", "check", "--max-age", "1d")
    assert requests(server) == again  # everything is recent now


def test_results_survive_and_old_links_are_forgotten(
    cli: Cli, server: LinkServer, catalog: Path
) -> None:
    cli("links", "check")
    document = json.loads(results_path().read_text(encoding="utf-8"))
    assert len(document["links"]) == 5
    catalog.write_text(catalog_text(server.base).replace("/r1", "/ok?new=1"), "utf-8")
    cli("links", "check", "fine")
    urls = {item["url"] for item in json.loads(results_path().read_text("utf-8"))["links"]}
    assert server.base + "/r1" not in urls  # the catalog no longer has that link


def test_an_unwritable_cache_still_shows_the_results(
    cli: Cli, server: LinkServer, catalog: Path, canon_home: Path
) -> None:
    cache = canon_home / "cache"
    cli("list")  # builds the catalog snapshot there first
    with unwritable(cache):
        result = cli("links", "check", "fine")
    assert result.exit_code == 5
    assert lines(result.stdout)[0][:3] == ["ok", "200", "fine"]
    assert "links.json" in result.stderr


def test_show_says_what_the_last_check_found(cli: Cli, server: LinkServer, catalog: Path) -> None:
    when = datetime.now(UTC) - timedelta(days=3, hours=1)
    save_results(
        [
            LinkResult(
                "moved", server.base + "/r1", LinkStatus.REDIRECTED, 200, "https://n/", when
            ),
            LinkResult("with-slides", server.base + "/missing", LinkStatus.BROKEN, 404, None, when),
        ]
    )
    moved = cli("show", "moved")
    assert "checked 3 days ago: moved to https://n/" in moved.stdout
    slides = cli("show", "with-slides").stdout
    day = when.astimezone().strftime("%Y-%m-%d")
    assert f"broken (404) when checked on {day}" in slides
    assert slides.index("[1] slides") < slides.index("broken (404)")
    data = json.loads(cli("show", "with-slides", "--json").stdout)
    assert [c["result"] for c in data["link_checks"]] == ["broken"]
    assert "checked" not in cli("show", "fine").stdout
    assert requests(server) == 0


def test_list_flags_entries_with_a_dead_link(cli: Cli, server: LinkServer, catalog: Path) -> None:
    assert "✗" not in cli("list").stdout
    cli("links", "check")
    before = requests(server)
    rows = {row[0]: row for row in lines(cli("list").stdout)}
    assert all(len(row) == 6 for row in rows.values())  # the columns stay as they were
    assert rows["gone"][5] == "Title of gone ✗"
    assert rows["with-slides"][5] == "Title of with-slides ✗"  # its extra link is dead
    assert rows["fine"][5] == "Title of fine" and rows["moved"][5] == "Title of moved"
    table = cli("list", env={"FORCE_COLOR": "1"}).stdout
    assert "Title of gone" in table and "✗" in table
    flagged = {e["id"] for e in json.loads(cli("list", "--json").stdout) if e["dead_link"]}
    assert flagged == {"gone", "with-slides"}
    assert requests(server) == before


def test_a_link_fixed_in_the_catalog_is_no_longer_flagged(
    cli: Cli, server: LinkServer, catalog: Path
) -> None:
    cli("links", "check", "gone")
    catalog.write_text(catalog_text(server.base).replace("/missing\n", "/ok?fixed=1\n"), "utf-8")
    rows = {row[0]: row for row in lines(cli("list").stdout)}
    assert rows["gone"][5] == "Title of gone"


def test_open_says_the_link_was_dead_and_how_to_open_the_archive(
    cli: Cli, server: LinkServer, catalog: Path
) -> None:
    cli("links", "check", "gone", "with-slides")
    before = requests(server)
    result = cli("open", "gone", "--print", "--no-mark")
    assert result.exit_code == 0
    assert result.stdout == server.base + "/missing\n"
    assert "broken (404) when checked on" in result.stderr
    assert "canon open gone --archive" in result.stderr
    slides = cli("open", "with-slides", "--link", "1", "--print", "--no-mark")
    assert "canon open with-slides --archive --link 1" in slides.stderr
    quiet = cli("open", "with-slides", "--print", "--no-mark")  # its main link is fine
    assert quiet.stderr == ""
    assert requests(server) == before


def test_open_archive_opens_the_wayback_copy(cli: Cli, server: LinkServer, catalog: Path) -> None:
    result = cli("open", "gone", "--archive", "--print", "--no-mark")
    assert result.exit_code == 0
    assert result.stdout == f"https://web.archive.org/web/{server.base}/missing\n"
    every = cli("open", "with-slides", "--archive", "--all", "--print", "--no-mark")
    assert every.stdout.splitlines() == [
        f"https://web.archive.org/web/{server.base}/ok?page=2",
        f"https://web.archive.org/web/{server.base}/missing",
    ]
    assert requests(server) == 0


def test_what_a_server_said_is_shown_as_inert_text(
    cli: Cli, server: LinkServer, catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Location header or an error text is data from outside: never terminal control."""
    from tests.guarantees.test_text_is_data import ALL, assert_terminal_safe

    url = server.base + "/missing"
    now = datetime.now(UTC)
    save_results(
        [
            LinkResult("gone", url, LinkStatus.UNREACHABLE, None, "https://x/" + ALL, now, ALL),
            LinkResult("moved", server.base + "/r1", LinkStatus.REDIRECTED, 200, ALL, now),
        ]
    )
    for env in ({}, {"FORCE_COLOR": "1"}):
        for args in (["links"], ["show", "gone"], ["show", "moved"], ["links", "--json"]):
            result = cli(*args, env=env)
            assert result.exit_code == 0, (args, result.stderr)
            assert_terminal_safe(result.stdout + result.stderr, f"{args} {env}")
        opened = cli("open", "gone", "--print", "--no-mark", env=env)
        assert_terminal_safe(opened.stderr, f"open {env}")


def test_the_network_guard_of_the_tests_holds() -> None:
    """Tests never leave the machine: outside names do not resolve (see conftest)."""
    from canon_cli.linkcheck.checker import check_links

    [result] = check_links([("e", "https://example.org/")])
    assert (result.result, result.detail) == (LinkStatus.UNREACHABLE, "DNS lookup failed")
