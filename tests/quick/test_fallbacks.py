"""Whenever the quick path cannot be sure of its answer, it steps aside before writing,
and the general path answers (or explains) as it always did."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from canon_cli import paths
from canon_cli.quick.serve import answer

LINE = ["list", "--section", "agents"]


@pytest.fixture
def warm(cli: Any, canon_home: Path) -> str:
    """A warm snapshot and a state with a mark: the quick path answers ``LINE``."""
    assert cli("done", "react").exit_code == 0
    found = answer(LINE)
    assert found is not None and "react\t2022\tpaper\tdone\tagents\t" in found
    return found


def _snapshot() -> Path:
    """The snapshot of the built-in catalog."""
    from canon_cli.catalog.snapshot import snapshot_path

    return snapshot_path(paths.cache_dir(), [paths.builtin_catalog_path()])


def _sql(path: Path, statement: str) -> None:
    db = sqlite3.connect(path)
    try:
        db.execute(statement)
        db.commit()
    finally:
        db.close()


def test_a_catalog_changed_since_the_snapshot(warm: str, cli: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "own.yaml"
    catalog.write_text(paths.builtin_catalog_path().read_text(encoding="utf-8"), encoding="utf-8")
    os.environ["CANON_CATALOG"] = str(catalog)
    try:
        assert answer(LINE) is None  # another catalog: no snapshot of it yet
        assert cli(*LINE).stdout == warm
        _prove(next(p for p in paths.cache_dir().glob("catalog-*.sqlite") if p != _snapshot()))
        assert answer(LINE) == warm  # its own snapshot, once built (and proven)
    finally:
        del os.environ["CANON_CATALOG"]
    snapshot = _snapshot()
    _sql(snapshot, "UPDATE meta SET value = value || 'x' WHERE key = 'identity'")
    assert answer(LINE) is None
    assert cli(*LINE).stdout == warm  # rebuilt by the general path
    assert answer(LINE) == warm


def test_a_snapshot_with_sources_still_to_prove(warm: str) -> None:
    snapshot = _snapshot()
    _sql(snapshot, "INSERT INTO meta(key, value) VALUES ('racy', '[[\"x\", \"0\"]]')")
    assert answer(LINE) is None
    identity = sqlite3.connect(snapshot).execute("SELECT value FROM meta WHERE key = 'identity'")
    proof = f'{identity.fetchone()[0]}\n[["x", "0"]]\n'
    Path(f"{snapshot}.proven").write_text(proof + "more", encoding="utf-8")
    assert answer(LINE) is None
    Path(f"{snapshot}.proven").write_text(proof, encoding="utf-8")
    assert answer(LINE) == warm  # proven once by the general path: timestamps suffice


def test_no_snapshot_or_a_damaged_one(warm: str, cli: Any) -> None:
    snapshot = _snapshot()
    snapshot.write_bytes(b"not a database" * 100)
    assert answer(LINE) is None
    snapshot.unlink()
    assert answer(LINE) is None
    assert cli(*LINE).stdout == warm


def _prove(snapshot: Path) -> None:
    """What the general path keeps once the racy window has passed (catalog/racy.py)."""
    db = sqlite3.connect(snapshot)
    meta = dict(db.execute("SELECT key, value FROM meta"))
    db.close()
    Path(f"{snapshot}.proven").write_text(f"{meta['identity']}\n{meta['racy']}\n", "utf-8")


def test_a_status_under_a_former_id(warm: str, cli: Any, canon_home: Path) -> None:
    _sql(
        canon_home / "state.db",
        "INSERT INTO current(entry, field, value, clock, device)"
        " VALUES ('yes-you-should-understand-backprop', 'status', '\"done\"', '9', 'd')",
    )
    assert answer(LINE) is None
    assert answer(["progress"]) is None


def test_a_log_entry_the_catalog_lacks(warm: str, cli: Any, canon_home: Path) -> None:
    _sql(
        canon_home / "state.db",
        "INSERT INTO current(entry, field, value, clock, device)"
        " VALUES ('gone-from-the-catalog', 'started', '\"2026-01-02T03:04:05Z\"', '9', 'd')",
    )
    assert answer(["log"]) is None
    assert "gone-from-the-catalog\t(not in the catalog)" in cli("log").stdout
    assert answer(["stats"]) is not None


def test_a_status_not_in_canonical_form(warm: str, canon_home: Path) -> None:
    _sql(canon_home / "state.db", "UPDATE current SET value = ' \"done\"' WHERE entry = 'react'")
    assert answer(LINE) is None


def test_a_state_of_another_schema_or_a_link(warm: str, canon_home: Path) -> None:
    state = canon_home / "state.db"
    _sql(state, "PRAGMA user_version = 2")
    assert answer(LINE) is None
    _sql(state, "PRAGMA user_version = 1")
    assert answer(LINE) == warm
    os.symlink(canon_home / "elsewhere", canon_home / "state.db-wal")
    assert answer(LINE) is None


def test_stats_needs_no_snapshot(cli: Any, canon_home: Path, tmp_path: Path) -> None:
    export = tmp_path / "marks.yaml"
    export.write_text(
        "version: 2\nentries:\n  bert:\n    status: done\n    finished: '2025-03-04T05:06:07Z'\n",
        encoding="utf-8",
    )
    assert cli("state", "import", str(export)).exit_code == 0
    assert not list(paths.cache_dir().glob("catalog-*.sqlite"))
    found = answer(["stats"])
    assert found is not None and found == cli("stats").stdout
    assert found.startswith("Finished: 1\n2025-03  ")


def test_a_version_1_state_still_to_take_in(cli: Any, canon_home: Path) -> None:
    assert cli("list", "-n", "1").exit_code == 0
    (canon_home / "state.yaml").write_text("version: 1\nentries:\n  react:\n    status: done\n")
    assert answer(LINE) is None
    assert "react\t2022\tpaper\tdone" in cli(*LINE).stdout  # taken in by the general path
    assert answer(LINE) is not None


@pytest.mark.parametrize(
    "text",
    [
        'sync_folder = "/somewhere/shared"\n',  # other devices' changes to take in first
        "language = 'zh'\n",  # a form canon does not write
        'colour = "red"\n',  # an unknown key: the general path reports it
    ],
)
def test_settings_only_the_general_path_can_act_on(warm: str, canon_home: Path, text: str) -> None:
    (canon_home / "config.toml").write_text(text, encoding="utf-8")
    assert answer(LINE) is None


def test_link_check_results_mark_dead_links(warm: str) -> None:
    paths.link_results_path().write_text("{}", encoding="utf-8")
    assert answer(LINE) is None
    assert answer(["progress"]) is not None  # only list shows them


@pytest.mark.parametrize(
    ("variable", "value"),
    [("FORCE_COLOR", "1"), ("TTY_COMPATIBLE", "1"), ("CANON_LANG", ""), ("CANON_LANG", "fr")],
)
def test_an_environment_for_the_general_path(
    warm: str, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    assert answer(LINE) is None


def test_forced_colour_yields_to_no_color(warm: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert answer([*LINE, "--color", "never"]) == warm
    monkeypatch.setenv("NO_COLOR", "1")
    assert answer(LINE) == warm


def test_text_that_needs_cleaning(cli: Any, canon_home: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "odd.yaml"
    catalog.write_text(
        "version: 1\nsections:\n  - slug: s\n    name: {en: S}\nentries:\n"
        '  - id: a\n    title: "A\\u202eB"\n    url: https://example.org/a\n    section: s\n'
        "    kind: paper\n    summary: {en: x}\n",
        encoding="utf-8",
    )
    canon_home.mkdir(parents=True, exist_ok=True)
    (canon_home / "config.toml").write_text(f'catalogs = ["{catalog}"]\n', encoding="utf-8")
    general = cli("list", "-s", "s")
    assert general.exit_code == 0 and "\\u202e" in general.stdout
    assert answer(["list", "-s", "agents"]) is None  # the catalog was written just now
    (both,) = [p for p in paths.cache_dir().glob("catalog-*.sqlite") if p != _snapshot()]
    _prove(both)
    assert answer(["list", "-s", "agents"]) is not None  # the extra catalog is read here too
    assert answer(["list", "-s", "s"]) is None  # its one title needs cleaning


def test_a_terminal_gets_the_general_path(warm: str) -> None:
    import pty

    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "canon_cli", *LINE, "--color", "never"],
            stdout=follower,
            stderr=subprocess.PIPE,
            env={**os.environ, "COLUMNS": "120"},
            timeout=60,
        )
        os.close(follower)
        follower = -1
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    assert proc.returncode == 0
    assert "\t" not in shown.decode() and "Agents" in shown.decode()  # a table, not lines
