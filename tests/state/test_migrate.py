"""Version-1 state files are taken in once, whole, and left untouched."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from canon_cli.errors import StateError
from canon_cli.state.fold import to_instant
from canon_cli.state.migrate import parse_v1
from tests.statedb import records

HAND_EDITED = """\
# My reading, kept in my dotfiles.
version: 1
entries:
  # Papers first.
  attention-is-all-you-need:   # the classic
    status: reading  # on the train
    started: 2026-11-20T10:00:00+01:00
    # rated before finishing it:
    rating: 4
    notes:
      - at: '2026-11-20T10:00:00+01:00'
        text: figure 2  # look again
  # Then the blog posts.

  gpt-2:
    status: done
    finished: '2026-10-01'
    updated: '2026-10-01T00:00:00+00:00'   # typed by hand
# end of my list
"""

WITH_ALIASES = """\
version: 1
entries:
  bert: &finished
    status: done
    started: '2026-01-01T09:00:00+00:00'
    finished: '2026-01-02T09:00:00+00:00'
    updated: '2026-01-02T09:00:00+00:00'
  lora: *finished
  react:
    <<: *finished
    rating: 5
"""

# progress recorded under an id the catalog has since renamed (kept as an alias)
RENAMED = """\
version: 1
entries:
  old-name:
    status: skipped
    updated: '2026-03-01T00:00:00+00:00'
"""


def test_a_hand_edited_file_keeps_every_field(tmp_path: Path) -> None:
    found = parse_v1(HAND_EDITED, tmp_path / "state.yaml")
    attention = found["attention-is-all-you-need"]
    assert (attention.status, attention.rating) == ("reading", 4)
    assert attention.started == "2026-11-20T09:00:00Z"
    assert attention.notes == (("2026-11-20T09:00:00Z", "figure 2"),)
    assert found["gpt-2"].finished == to_instant("2026-10-01")  # a date: local midnight


def test_yaml_aliases_and_merge_keys_are_read(tmp_path: Path) -> None:
    found = parse_v1(WITH_ALIASES, tmp_path / "state.yaml")
    assert [found[k].status for k in ("bert", "lora", "react")] == ["done"] * 3
    assert found["react"].rating == 5 and found["lora"].rating is None


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("entries:\n  x:\n    status: finished\n", 3, "status 'finished'"),
        ("entries:\n  x:\n    rating: 6\n", 3, "from 1 to 5"),
        ("entries:\n  x:\n    started: last tuesday\n", 3, "ISO 8601"),
        ("entries:\n  x:\n    stauts: done\n", 3, "unknown field 'stauts'"),
        ("version: 2\nentries: {}\n", 1, "newer canon"),
        ("entries:\n  x:\n    notes:\n      - text: hi\n", 4, "has no 'at'"),
    ],
)
def test_an_invalid_file_names_the_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    with pytest.raises(StateError) as caught:
        parse_v1(text, tmp_path / "state.yaml")
    assert words in str(caught.value) and caught.value.line == line


@pytest.mark.parametrize("text", [HAND_EDITED, WITH_ALIASES, RENAMED, "", "version: 1\n"])
def test_the_first_run_takes_the_file_in_and_leaves_it_untouched(
    cli: Any, canon_home: Path, text: str
) -> None:
    legacy = canon_home / "state.yaml"
    canon_home.mkdir(parents=True, exist_ok=True)
    legacy.write_text(text)
    before = (legacy.read_bytes(), legacy.stat().st_mtime_ns)
    expected = {k: r.status for k, r in parse_v1(text, legacy).items() if r.status != "unread"}
    assert cli("progress").exit_code == 0
    assert {k: r.status for k, r in records().items() if r.status != "unread"} == expected
    assert (legacy.read_bytes(), legacy.stat().st_mtime_ns) == before
    assert cli("progress").exit_code == 0  # a second run takes in nothing more
    assert (canon_home / "state.db").exists()


def test_migrated_times_and_notes_show_as_before(cli: Any, canon_home: Path) -> None:
    canon_home.mkdir(parents=True)
    (canon_home / "state.yaml").write_text(HAND_EDITED)
    shown = json.loads(cli("show", "attention-is-all-you-need", "--json").stdout)
    assert shown["status"] == "reading" and shown["rating"] == 4
    assert shown["started"] == "2026-11-20T09:00:00+00:00"  # the test zone is UTC
    assert [n["text"] for n in shown["notes"]] == ["figure 2"]
    log = cli("log").stdout.splitlines()
    assert [line.split("\t")[1:3] for line in log] == [
        ["started", "attention-is-all-you-need"],
        ["finished", "gpt-2"],
    ]


def test_progress_under_a_former_id_counts_for_the_renamed_entry(
    cli: Any, canon_home: Path, tmp_path: Path
) -> None:
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(
        json.dumps(
            {
                "version": 1,
                "sections": [{"slug": "s", "name": {"en": "S"}}],
                "entries": [
                    {
                        "id": "new-name",
                        "title": "Renamed",
                        "url": "https://example.org/x",
                        "section": "s",
                        "kind": "paper",
                        "summary": {"en": "x"},
                        "aliases": ["old-name"],
                    }
                ],
            }
        )
    )
    canon_home.mkdir(parents=True)
    (canon_home / "state.yaml").write_text(RENAMED)
    listed = cli("--catalog", str(catalog), "list", "--status", "skipped")
    assert listed.stdout.startswith("new-name\t")
    assert cli("--catalog", str(catalog), "done", "new-name").exit_code == 0
    shown = json.loads(cli("--catalog", str(catalog), "show", "new-name", "--json").stdout)
    assert shown["status"] == "done"
