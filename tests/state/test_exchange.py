"""Export, import and merge by field, through the commands a user types."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from canon_cli.errors import ExitCode
from tests.statedb import record, records


@pytest.fixture
def machines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any) -> Any:
    """Run canon on machine A or B (two homes)."""

    def on(name: str, *args: str) -> Any:
        monkeypatch.setenv("CANON_HOME", str(tmp_path / name))
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        return result

    return on


def shown(on: Any, machine: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(on(machine, "show", "lora", "--json").stdout)
    return data


def test_the_two_laptops_scenario_keeps_every_field_on_both(machines: Any, tmp_path: Path) -> None:
    on = machines
    on("A", "done", "lora")
    on("A", "rate", "lora", "5")
    on("B", "note", "lora", "question for the reading group")
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    on("A", "state", "export", str(a))
    merged = on("B", "state", "merge", str(a))
    assert "lora: status done" in merged.stdout and "rating 5 from a.yaml" in merged.stdout
    on("B", "state", "export", str(b))
    merged = on("A", "state", "merge", str(b))
    assert merged.stdout == "lora: 1 note added from b.yaml\n"
    for machine in "AB":
        lora = shown(on, machine)
        assert (lora["status"], lora["rating"]) == ("done", 5), machine
        assert [n["text"] for n in lora["notes"]] == ["question for the reading group"]
        assert lora["finished"] is not None
    again = on("A", "state", "merge", str(b))
    assert again.stdout == "" and "0 entries changed" in again.stderr


def test_a_journal_merges_like_an_export(machines: Any, tmp_path: Path) -> None:
    on = machines
    on("A", "done", "lora", "bert")
    on("A", "reset", "bert")
    journal = tmp_path / "a.jsonl"
    on("A", "state", "export", "--format", "journal", str(journal))
    assert all(json.loads(line)["v"] == 1 for line in journal.read_text().splitlines())
    on("B", "start", "bert")
    on("B", "state", "merge", str(journal))
    assert {k: r.status for k, r in records(tmp_path / "B" / "state.db").items()} == {
        "lora": "done",
        "bert": "reading",  # B started it after A's reset
    }


def test_a_deleted_note_stays_deleted_through_a_merge(machines: Any, tmp_path: Path) -> None:
    on = machines
    on("A", "note", "lora", "keep")
    export = tmp_path / "a.yaml"
    on("A", "state", "export", str(export))
    on("B", "state", "merge", str(export))
    # another machine deleted the note later: its export stamps the cleared field
    doc = export.read_text()
    note_stamp = next(line for line in doc.splitlines() if "note:" in line)
    field = note_stamp.strip().split(":")[0] + ":" + note_stamp.strip().split(":")[1]
    clock = note_stamp.split(": ", 1)[1].split(" ")[0]
    later = str(int(clock.split("-")[0]) + 1000).zfill(13) + "-000000"
    deleted = export.with_name("deleted.yaml")
    deleted.write_text(
        f"version: 2\nentries:\n  lora:\n    stamps:\n      {field}: {later} {'c' * 16}\n"
    )
    on("B", "state", "merge", str(deleted))
    assert record("lora", tmp_path / "B" / "state.db").notes == ()
    on("B", "state", "merge", str(export))  # the older export does not bring it back
    assert record("lora", tmp_path / "B" / "state.db").notes == ()


def test_merging_a_version_1_file_by_field(machines: Any, tmp_path: Path) -> None:
    on = machines
    on("A", "note", "lora", "mine")
    v1 = tmp_path / "old-laptop.yaml"
    v1.write_text(
        "version: 1\nentries:\n  lora:\n    status: done\n"
        "    finished: '2020-01-01T00:00:00+00:00'\n    updated: '2020-01-01T00:00:00+00:00'\n"
    )
    result = on("A", "state", "merge", str(v1))
    assert "lora: status done" in result.stdout
    record = records(tmp_path / "A" / "state.db")["lora"]
    assert record.status == "done" and [n.text for n in record.notes] == ["mine"]
    assert on("A", "state", "merge", str(v1)).stdout == ""  # twice: nothing new


@pytest.mark.parametrize("content", ["{}", "", "[]", "just text\n", "version: 2\n"])
def test_import_refuses_what_is_not_a_state(
    cli: Any, canon_home: Path, tmp_path: Path, content: str
) -> None:
    assert cli("done", "lora").exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    for command in ("import", "merge"):
        result = cli("state", command, str(bad))
        assert result.exit_code == ExitCode.DATA, (command, content, result.stderr)
        assert str(bad) in result.stderr
    assert records()["lora"].status == "done"


@pytest.mark.parametrize(
    ("field", "value"),
    [("finished", "soon"), ("started", "[2026]"), ("notes", "[{at: 5, text: t}]")],
)
def test_a_time_the_file_cannot_give_is_named_with_its_value(
    cli: Any, canon_home: Path, tmp_path: Path, field: str, value: str
) -> None:
    """What the user sees is the value and what it should be, not Python's words."""
    assert cli("done", "lora").exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"version: 2\nentries:\n  bert:\n    status: done\n    {field}: {value}\n")
    for command in ("import", "merge"):
        result = cli("state", command, str(bad))
        assert result.exit_code == ExitCode.DATA, (command, result.stderr)
        assert f"entry 'bert': {field}: " in result.stderr
        assert "is not a date-time" in result.stderr
        assert "isoformat" not in result.stderr and "argument" not in result.stderr
    assert records()["lora"].status == "done" and "bert" not in records()


def test_import_replaces_keeps_a_backup_and_can_be_undone_by_the_backup(
    cli: Any, canon_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.yaml"
    monkeypatch.setenv("CANON_HOME", str(tmp_path / "other-home"))
    assert cli("skip", "bert").exit_code == 0
    assert cli("state", "export", str(other)).exit_code == 0
    monkeypatch.setenv("CANON_HOME", str(canon_home))
    assert cli("done", "lora").exit_code == 0
    assert cli("rate", "lora", "3").exit_code == 0
    result = cli("state", "import", str(other))
    assert result.exit_code == 0, result.stderr
    assert "state.db.bak" in result.stderr
    assert {k: r.status for k, r in records().items() if r.status != "unread"} == {
        "bert": "skipped"
    }
    assert record("lora").rating is None
    assert records(canon_home / "state.db.bak")["lora"].status == "done"


def test_export_then_import_gives_the_same_state(
    cli: Any, canon_home: Path, tmp_path: Path
) -> None:
    for args in (("done", "lora"), ("note", "lora", "über\u2028odd \x85 text"), ("skip", "bert")):
        assert cli(*args).exit_code == 0
    before = records()
    export = tmp_path / "export.yaml"
    assert cli("state", "export", str(export)).exit_code == 0
    assert cli("state", "import", str(export)).exit_code == 0
    assert records() == before


def test_export_refuses_to_overwrite_without_force(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    target.write_text("keep")
    assert cli("state", "export", str(target)).exit_code == ExitCode.USAGE
    assert target.read_text() == "keep"
    assert cli("state", "export", "--force", str(target)).exit_code == 0
