"""canon's folders can be moved or copied: what canon stores about its own files is
relative to its folders, so a moved ``CANON_HOME`` (or a home folder copied to another
machine) keeps every command working, while settings an older canon stored as absolute
paths are still read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from canon_cli import paths

ADD = ("add", "https://example.org/moved", "--title", "Moved paper", "--section", "agents")


def canon(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A real canon process whose folders are all under ``home`` (CANON_HOME)."""
    return subprocess.run(
        [sys.executable, "-m", "canon_cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "CANON_HOME": str(home)},
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_moved_canon_home_keeps_your_own_entries(tmp_path: Path) -> None:
    old = tmp_path / "old-home"
    entry_id = ok(canon(old, *ADD)).strip()
    ok(canon(old, "done", entry_id))
    new = tmp_path / "elsewhere" / "new-home"
    new.parent.mkdir()
    shutil.move(old, new)
    assert entry_id in ok(canon(new, "list"))
    assert "Moved paper" in ok(canon(new, "show", entry_id))
    assert '"status": "done"' in ok(canon(new, "show", entry_id, "--json"))
    ok(canon(new, "remove", entry_id))
    assert entry_id not in ok(canon(new, "list"))


def test_a_copied_canon_home_is_independent(tmp_path: Path) -> None:
    first = tmp_path / "first"
    entry_id = ok(canon(first, *ADD)).strip()
    second = tmp_path / "second"
    shutil.copytree(first, second)
    ok(canon(second, "remove", entry_id))
    assert entry_id in ok(canon(first, "list"))  # the copy's change stays in the copy
    assert entry_id not in ok(canon(second, "list"))


def test_the_config_names_your_catalog_relative_to_its_folder(cli: Any, canon_home: Path) -> None:
    assert cli(*ADD).exit_code == 0
    config = (canon_home / "config.toml").read_text()
    assert 'catalogs = ["my-catalog.yaml"]' in config
    assert str(canon_home) not in config


def test_with_platform_folders_a_moved_home_folder_keeps_working(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without CANON_HOME: data and config in their XDG folders, under one home."""

    def xdg(home: Path) -> dict[str, str]:
        return {
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "HOME": str(home),
        }

    def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "CANON_HOME"}
        return subprocess.run(
            [sys.executable, "-m", "canon_cli", *args],
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
            env={**env, **xdg(home)},
        )

    old = tmp_path / "alice"
    entry_id = ok(run(old, *ADD)).strip()
    new = tmp_path / "bob"
    shutil.move(old, new)
    assert entry_id in ok(run(new, "list"))


def test_an_absolute_path_from_an_older_canon_is_still_read(cli: Any, canon_home: Path) -> None:
    assert cli(*ADD).exit_code == 0
    own = paths.user_catalog_path()
    (canon_home / "config.toml").write_text(f'catalogs = ["{own}"]\n')
    listed = cli("list")
    assert listed.exit_code == 0 and "moved-paper" in listed.stdout
    more = ("add", "https://example.org/b", "--title", "B paper", "--section", "agents")
    assert cli(*more).exit_code == 0
    # the same file by another spelling: not listed twice
    assert (canon_home / "config.toml").read_text() == f'catalogs = ["{own}"]\n'


def test_add_catalog_inside_canons_folder_is_stored_relative(
    cli: Any, canon_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = canon_home / "lists" / "team.yaml"
    extra.parent.mkdir(parents=True)
    extra.write_text(
        "version: 1\nentries:\n  - id: team-pick\n    title: Team pick\n"
        "    url: https://example.org/t\n    section: agents\n    kind: paper\n"
        "    summary: {en: A pick.}\n"
    )
    outside = tmp_path / "outside.yaml"
    shutil.copy(extra, outside)
    outside.write_text(outside.read_text().replace("team-pick", "outside-pick"))
    monkeypatch.chdir(extra.parent)
    assert cli("config", "add-catalog", "team.yaml").exit_code == 0
    assert cli("config", "add-catalog", str(outside)).exit_code == 0
    config = (canon_home / "config.toml").read_text()
    assert '"lists/team.yaml"' in config and f'"{outside}"' in config


def test_a_missing_listed_catalog_says_how_to_fix_the_setting(tmp_path: Path) -> None:
    old = tmp_path / "old-home"
    ok(canon(old, *ADD))
    config = old / "config.toml"
    config.write_text(f'catalogs = ["{tmp_path / "gone" / "my-catalog.yaml"}"]\n')
    result = canon(old, "list")
    assert result.returncode == 3
    assert "remove-catalog" in result.stderr and str(config) in result.stderr
