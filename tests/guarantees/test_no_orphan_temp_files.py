"""A temp file a killed canon left behind is removed by the next canon that writes in
that folder: the state's, the config's, the own catalog's and the caches' alike.

A temp file is held locked by the canon writing it, so a sweep never removes a live
writer's temp, and in a folder that is not canon's own (an export target's) only the
temps of the file being written are touched.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from canon_cli import paths

# A temp as canon names them: ".<file name>.<12 hex digits>.tmp"
ORPHAN_SUFFIX = ".0123456789ab.tmp"

HOLDER = """
import sys, time
from pathlib import Path
from canon_cli.fileio import create_temp
fd, temp = create_temp(Path(sys.argv[1]))
print(temp, flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def xdg_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The platform layout: data, config and cache in three different folders."""
    monkeypatch.delenv("CANON_HOME")
    assert len({paths.data_dir(), paths.config_dir(), paths.cache_dir()}) == 3


def plant(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    orphan = folder / f".{name}{ORPHAN_SUFFIX}"
    orphan.write_bytes(b"half-written " * 1000)
    return orphan


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def ok(result: Any) -> None:
    assert result.exit_code == 0, result.stderr


@pytest.mark.usefixtures("xdg_layout")
def test_every_kind_of_orphan_is_removed_by_the_next_write_in_its_folder(cli: Any) -> None:
    ok(cli("done", "rlhf"))  # every folder exists, the caches are warm
    orphans = {
        "state export": plant(paths.data_dir(), "state.yaml"),
        "backup": plant(paths.data_dir(), "state.db.bak"),
        "own catalog": plant(paths.data_dir(), "my-catalog.yaml"),
        "config": plant(paths.config_dir(), "config.toml"),
    }
    ok(cli("config", "set", "language", "en"))
    assert not orphans["config"].exists()
    ok(cli("start", "bert"))  # writes the state (data folder)
    left = {kind: path for kind, path in orphans.items() if path.exists()}
    assert not left, left
    for folder in (paths.data_dir(), paths.config_dir()):
        assert temps(folder) == [], folder


@pytest.mark.usefixtures("xdg_layout")
def test_an_own_catalog_write_sweeps_its_folder(cli: Any) -> None:
    orphan = plant(paths.data_dir(), "my-catalog.yaml")
    ok(cli("add", "https://example.org/p", "--title", "A paper", "--section", "agents"))
    assert not orphan.exists()
    orphan = plant(paths.config_dir(), "config.toml")
    ok(cli("remove", "a-paper"))
    assert orphan.exists()  # another folder: left for the next write there
    ok(cli("config", "set", "language", "zh"))
    assert not orphan.exists()


def test_a_rebuild_of_the_catalog_snapshot_sweeps_the_cache(cli: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text((paths.builtin_catalog_path()).read_text())
    ok(cli("--catalog", str(catalog), "list"))
    orphan = plant(paths.cache_dir(), "catalog-0badcafe0000.sqlite")
    with open(catalog, "a", encoding="utf-8") as fh:
        fh.write("\n# changed\n")
    ok(cli("--catalog", str(catalog), "list"))  # a rebuild, no state write
    assert not orphan.exists()


def test_a_live_writers_temp_is_never_removed(cli: Any) -> None:
    """Another canon still writing beside the state (an import's backup, say)."""
    ok(cli("done", "rlhf"))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(paths.data_dir() / "state.db.bak")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        live = Path(holder.stdout.readline().strip())
        assert live.exists()
        ok(cli("done", "bert"))  # writes the state: sweeps the data folder
        assert live.exists(), "a live writer's temp was swept"
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    ok(cli("reset", "bert"))  # a write, now that the holder is gone
    assert not live.exists(), "the temp of a writer that is gone stays"


def test_an_export_sweeps_only_its_own_temps(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    mine = plant(out, "list.md")
    other = plant(out, "notes.txt")  # named like canon's, but not the file being written
    ok(cli("export", "-o", str(out / "list.md")))
    assert not mine.exists()
    assert other.exists()


def big_catalog(entries: int) -> str:
    return json.dumps(
        {
            "version": 1,
            "sections": [{"slug": "s", "name": {"en": "Section"}}],
            "entries": [
                {
                    "id": f"entry-{i}",
                    "title": f"Entry number {i} about attention",
                    "url": f"https://example.org/{i}",
                    "section": "s",
                    "kind": "paper",
                    "summary": {"en": "words " * 40},
                }
                for i in range(entries)
            ],
        }
    )


def test_a_killed_cold_build_leaves_no_temp_after_the_next_run(tmp_path: Path) -> None:
    """kill -9 while the catalog snapshot is being written, then run canon again."""
    catalog = tmp_path / "big.yaml"
    catalog.write_text(big_catalog(4_000))
    cache = paths.cache_dir()
    command = [sys.executable, "-m", "canon_cli", "--catalog", str(catalog), "list"]
    killed_mid_build = 0
    for _attempt in range(5):
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if cache.is_dir() and temps(cache):
                break
            time.sleep(0.005)
        if proc.poll() is None and temps(cache):
            os.kill(proc.pid, signal.SIGKILL)
            killed_mid_build += 1
        proc.communicate(timeout=60)
        if killed_mid_build:
            break
        for snapshot in cache.glob("catalog-*.sqlite"):
            snapshot.unlink()
    assert killed_mid_build, "the build finished before it could be killed"
    assert temps(cache), "a kill -9 leaves the temp (nothing can remove it then)"
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert temps(cache) == []
    assert "entry-3999" in result.stdout
