"""Notes a reader can work with: listed, edited and deleted by number, searched, exported,
and taken back by ``canon undo``."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from canon_cli import paths
from tests.statedb import record


@pytest.fixture
def noted(cli: Any) -> Any:
    """bert with two notes (1 older than 2), lora with one, written in that order."""
    for entry, text in (
        ("bert", "masked language modelling"),
        ("bert", "question for the reading group"),
        ("lora", "low rank: try it on the 7B model"),
    ):
        assert cli("note", entry, text).exit_code == 0
        time.sleep(1.05)  # notes are dated to the second
    return cli


def _rows(out: str) -> list[list[str]]:
    return [line.split("\t") for line in out.splitlines()]


def test_notes_lists_every_note_newest_first(noted: Any) -> None:
    rows = _rows(noted("notes").stdout)
    assert [(r[0], r[1], r[3]) for r in rows] == [
        ("lora", "1", "low rank: try it on the 7B model"),
        ("bert", "2", "question for the reading group"),
        ("bert", "1", "masked language modelling"),
    ]
    assert all(len(r[2]) == len("2026-12-01 22:30") for r in rows)  # local minute


def test_notes_of_one_entry_and_as_json(noted: Any) -> None:
    rows = _rows(noted("notes", "bert").stdout)
    assert [r[1] for r in rows] == ["2", "1"] and {r[0] for r in rows} == {"bert"}
    data = json.loads(noted("notes", "bert", "--json").stdout)
    assert [(n["id"], n["number"], n["text"]) for n in data] == [
        ("bert", 2, "question for the reading group"),
        ("bert", 1, "masked language modelling"),
    ]
    ids = {n.id for n in record("bert").notes}
    assert {n["note_id"] for n in data} == ids
    assert data[0]["at"][10] == "T" and data[0]["at"][-6] in "+-"  # local, with offset


def test_no_notes_is_said_on_a_terminal_and_empty_in_a_pipe(cli: Any) -> None:
    assert cli("notes").stdout == ""
    result = cli("notes", "bert", env={"FORCE_COLOR": "1"})
    assert (result.exit_code, result.stdout) == (0, "")
    assert "No notes yet. Add one: canon note bert TEXT" in result.stderr
    assert json.loads(cli("notes", "--json").stdout) == []
    assert cli("notes", "nope-nothing").exit_code == 2
    assert not paths.state_db_path().exists()


def test_show_numbers_the_notes_as_edit_and_delete_count_them(noted: Any) -> None:
    out = noted("show", "bert").stdout
    assert "[1] " in out and out.index("masked language") < out.index("reading group")
    line = next(x for x in out.splitlines() if "reading group" in x)
    assert line.lstrip().startswith("[2] ")


def test_edit_a_note_by_number(noted: Any) -> None:
    before = record("bert").notes
    result = noted("note", "bert", "--edit", "1", "masked LM, with next-sentence prediction")
    assert result.exit_code == 0
    assert "edited note 1 of bert" in result.stderr
    after = record("bert").notes
    assert [n.text for n in after] == [
        "masked LM, with next-sentence prediction",
        "question for the reading group",
    ]
    assert [(n.id, n.at) for n in after] == [(n.id, n.at) for n in before]  # same place
    again = noted("note", "bert", "--edit", "1", "masked LM, with next-sentence prediction")
    assert again.exit_code == 0 and "unchanged" in again.stderr


def test_delete_a_note_by_number(noted: Any) -> None:
    result = noted("note", "bert", "--delete", "2")
    assert result.exit_code == 0 and "deleted note 2 of bert" in result.stderr
    assert [n.text for n in record("bert").notes] == ["masked language modelling"]
    assert [r[3] for r in _rows(noted("notes", "bert").stdout)] == ["masked language modelling"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["note", "bert", "--delete", "3"], "bert has no note 3: it has 2 notes"),
        (["note", "react", "--edit", "1", "x"], "react has no notes"),
        (["note", "bert", "--delete", "1", "--edit", "2", "x"], "either --edit or --delete"),
        (["note", "bert", "--delete", "1", "extra"], "--delete takes no text"),
        (["note", "bert", "--edit", "1"], "the note is empty"),
        (["note", "bert", "--edit", "1", "  "], "the note is empty"),
        (["note", "bert"], "the note is empty"),
        (["note", "bert", "--delete", "0"], "0"),
    ],
)
def test_bad_note_changes_are_refused_and_change_nothing(
    noted: Any, argv: list[str], message: str
) -> None:
    before = record("bert")
    result = noted(*argv)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert record("bert") == before


def test_a_number_on_an_entry_never_noted_creates_no_state(cli: Any) -> None:
    result = cli("note", "bert", "--delete", "1")
    assert result.exit_code == 2 and "bert has no notes" in result.stderr
    assert not paths.state_db_path().exists()


def test_undo_takes_back_an_edit_and_a_delete(noted: Any) -> None:
    original = record("bert").notes
    assert noted("note", "bert", "--edit", "2", "answered").exit_code == 0
    assert noted("note", "bert", "--delete", "1").exit_code == 0
    assert [n.text for n in record("bert").notes] == ["answered"]
    undo = noted("undo")
    assert undo.exit_code == 0 and "note bert --delete 1" in undo.stderr
    assert [n.text for n in record("bert").notes] == ["masked language modelling", "answered"]
    assert noted("undo").exit_code == 0
    assert record("bert").notes == original


def test_a_deleted_note_stays_deleted_after_a_merge(noted: Any, tmp_path: Path) -> None:
    export = tmp_path / "before.yaml"
    assert noted("state", "export", str(export)).exit_code == 0  # the note is in it
    assert noted("note", "bert", "--delete", "1").exit_code == 0
    assert noted("state", "merge", str(export)).exit_code == 0
    assert [n.text for n in record("bert").notes] == ["question for the reading group"]


def test_search_and_list_find_entries_by_their_notes(noted: Any) -> None:
    hits = _rows(noted("search", "reading", "group").stdout)
    assert "bert" in [h[0] for h in hits]
    data = json.loads(noted("search", "reading group", "--json").stdout)
    bert = next(h for h in data if h["id"] == "bert")
    assert bert["match"] == "note"
    # a word of the catalog's text and one of the notes are both found, in one search
    assert [r[0] for r in _rows(noted("search", "7B").stdout)] == ["lora"]
    assert [r[0] for r in _rows(noted("list", "--search", "7b").stdout)] == ["lora"]
    listed = [r[0] for r in _rows(noted("list", "--search", "GROUP", "--status", "unread").stdout)]
    assert listed == ["bert"]
    assert noted("list", "--search", "group", "--status", "done").stdout == ""
    # a deleted note is no longer found
    assert noted("note", "lora", "--delete", "1").exit_code == 0
    assert noted("search", "7B").stdout == ""


def test_exports_carry_the_notes(noted: Any) -> None:
    md = noted("export", "--format", "md").stdout
    lines = md.splitlines()
    at = next(i for i, x in enumerate(lines) if "BERT" in x and x.startswith("- ["))
    assert lines[at + 1].startswith("  - ") and "masked language modelling" in lines[at + 1]
    assert "question for the reading group" in lines[at + 2]
    data = json.loads(noted("export", "--format", "json").stdout)
    bert = next(e for e in data if e["id"] == "bert")
    assert [n["text"] for n in bert["notes"]] == [
        "masked language modelling",
        "question for the reading group",
    ]
    assert {n["id"] for n in bert["notes"]} == {n.id for n in record("bert").notes}
