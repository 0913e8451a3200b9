"""canon edit with a fake editor: what the user saves becomes changes, never half of it."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from canon_cli.errors import ExitCode
from tests.statedb import records


def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *scripts: str) -> Path:
    """An editor that, on its n-th run, runs the n-th Python snippet on the file (``text``
    in, ``text`` out); each run's input is kept in seen-N.yaml."""
    folder = tmp_path / "editor"
    folder.mkdir()
    for n, script in enumerate(scripts):
        (folder / f"step-{n}.py").write_text(script)
    program = folder / "edit"
    program.write_text(
        f"#!{sys.executable}\n"
        "import pathlib, sys\n"
        f"folder = pathlib.Path({str(folder)!r})\n"
        "n = len(list(folder.glob('seen-*.yaml')))\n"
        "path = pathlib.Path(sys.argv[1])\n"
        "text = path.read_text()\n"
        "(folder / f'seen-{n}.yaml').write_text(text)\n"
        "step = folder / f'step-{n}.py'\n"
        "if not step.exists(): sys.exit(3)\n"
        "exec(step.read_text())\n"
        "path.write_text(text)\n"
    )
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("VISUAL", str(program))
    return folder


def test_an_edit_becomes_changes(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("done", "lora").exit_code == 0
    assert cli("note", "lora", "first").exit_code == 0
    fake_editor(
        tmp_path,
        monkeypatch,
        "text = text.replace('status: done', 'status: skipped')"
        ".replace('text: first', 'text: first, edited') + '  rating: 4\\n'"
        " if False else text.replace('status: done', 'status: skipped\\n  rating: 4')"
        ".replace('text: first', 'text: first, edited')\n"
        "text += 'bert:\\n  status: reading\\n  notes:\\n  - text: new one\\n'\n",
    )
    result = cli("edit")
    assert result.exit_code == 0, result.stderr
    lora, bert = records()["lora"], records()["bert"]
    assert (lora.status, lora.rating) == ("skipped", 4)
    assert [n.text for n in lora.notes] == ["first, edited"]
    assert bert.status == "reading" and [n.text for n in bert.notes] == ["new one"]
    assert cli("undo").exit_code == 0  # an edit is one command
    assert records()["lora"].status == "done" and "bert" not in records()


def test_an_invalid_file_is_reopened_with_the_error_and_never_half_applied(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("done", "lora").exit_code == 0
    folder = fake_editor(
        tmp_path,
        monkeypatch,
        "text = text.replace('status: done', 'status: finished') + 'bert:\\n  rating: 5\\n'\n",
        "text = text.replace('status: finished', 'status: skipped')\n",
    )
    result = cli("edit")
    assert result.exit_code == 0, result.stderr
    reopened = (folder / "seen-1.yaml").read_text()
    assert reopened.startswith("# ERROR: entry 'lora': unknown status 'finished'")
    assert records()["lora"].status == "skipped" and records()["bert"].rating == 5


def test_an_invalid_file_left_as_it_was_is_discarded(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("done", "lora").exit_code == 0
    before = records()
    fake_editor(
        tmp_path,
        monkeypatch,
        "text = text.replace('status: done', 'status: done\\n  rating: 9')\n",
        "",  # reopened: saved without fixing it
    )
    result = cli("edit", "lora")
    assert result.exit_code == 0
    assert "nothing changed" in result.stderr
    assert records() == before


@pytest.mark.parametrize("script", ["text = ''\n", "import sys; sys.exit(1)\n"])
def test_an_empty_file_or_a_failing_editor_changes_nothing(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str
) -> None:
    assert cli("done", "lora").exit_code == 0
    before = records()
    fake_editor(tmp_path, monkeypatch, script)
    result = cli("edit")
    assert result.exit_code in (0, ExitCode.FAILURE)
    assert records() == before


def test_an_unknown_id_and_a_bad_time_are_refused(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("start", "lora").exit_code == 0
    folder = fake_editor(
        tmp_path,
        monkeypatch,
        "text += 'no-such-paper:\\n  status: done\\n'\n",
        "text = text.replace('no-such-paper', 'lora-2').replace('started:', 'started: x #')\n",
        "text = ''\n",
    )
    before = records()
    assert cli("edit").exit_code == 0
    assert "unknown entry id 'no-such-paper'" in (folder / "seen-1.yaml").read_text()
    assert records() == before


def test_no_editor_that_runs_is_a_failure(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISUAL", os.devnull + "/missing-editor")
    result = cli("edit")
    assert result.exit_code == ExitCode.FAILURE and "cannot run the editor" in result.stderr
