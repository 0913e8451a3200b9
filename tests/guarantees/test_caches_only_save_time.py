"""The caches only save time: a damaged, foreign, stale or unwritable cache is noticed
and rebuilt (or done without), and the output is always what the files on disk say."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

import canon_cli
from canon_cli.catalog import racy, snapshot
from tests.fsutil import unwritable

SAME_SIZE_TITLES = ("Alpha title", "Omega title")


def small_catalog(title: str) -> str:
    return json.dumps(
        {
            "version": 1,
            "sections": [{"slug": "s", "name": {"en": "Section"}}],
            "entries": [
                {
                    "id": "first",
                    "title": title,
                    "url": "https://example.org/1",
                    "section": "s",
                    "kind": "paper",
                    "summary": {"en": "about attention"},
                },
                {
                    "id": "second",
                    "title": "Second",
                    "url": "https://example.org/2",
                    "section": "s",
                    "kind": "video",
                    "summary": {"en": "x"},
                },
            ],
        }
    )


VIEWS = (("list",), ("show", "bert", "--json"), ("sections",), ("list", "--search", "attention"))


def outputs(cli: Any) -> list[str]:
    results = [cli(*args) for args in VIEWS]
    for args, result in zip(VIEWS, results, strict=True):
        assert result.exit_code == 0, (args, result.stderr)
    return [r.stdout for r in results]


@pytest.fixture(scope="module")
def built_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in catalog's snapshot, built once for the module."""
    from canon_cli.paths import builtin_catalog_path

    cache = tmp_path_factory.mktemp("cache")
    snapshot.open_catalog([builtin_catalog_path()], cache).db.close()
    return cache


@pytest.fixture
def warm(built_snapshot: Path, canon_home: Path) -> Path:
    """This test's cache starts with a copy of the built-in catalog's snapshot."""
    shutil.copytree(built_snapshot, canon_home / "cache")
    return canon_home / "cache"


@pytest.fixture
def baseline(cli: Any, canon_home: Path, warm: Path) -> list[str]:
    """What the reading commands print with a fresh cache (and the snapshot now exists)."""
    expected = outputs(cli)
    assert catalog_snapshot(canon_home).is_file()
    return expected


def catalog_snapshot(home: Path) -> Path:
    (found,) = (home / "cache").glob("catalog-*.sqlite")
    return found


def assert_trusted_snapshot(path: Path) -> None:
    """The file is a complete snapshot whose identity matches the sources again."""
    db = sqlite3.connect(path)
    meta = dict(db.execute("SELECT key, value FROM meta"))
    db.close()
    assert meta["complete"] == "1"
    assert meta["identity"].startswith(f"canon {canon_cli.__version__} snapshot")


def tamper(path: Path, sql: str, *params: object) -> None:
    db = sqlite3.connect(path)
    db.execute(sql, params)
    db.commit()
    db.close()


# --- the catalog snapshot ------------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"garbage" * 100,
        b"SQLite format 3\x00" + b"\xff" * 5000,
        os.urandom(8192),
    ],
    ids=["empty", "text", "bad-header", "random"],
)
def test_garbage_snapshot_is_rebuilt(
    cli: Any, canon_home: Path, baseline: list[str], damage: bytes
) -> None:
    path = catalog_snapshot(canon_home)
    path.write_bytes(damage)
    assert outputs(cli) == baseline
    assert_trusted_snapshot(path)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_truncated_snapshot_is_rebuilt(
    cli: Any, canon_home: Path, baseline: list[str], keep: float
) -> None:
    path = catalog_snapshot(canon_home)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    assert outputs(cli) == baseline
    assert_trusted_snapshot(path)


def test_damaged_pages_are_never_shown_as_data(
    cli: Any, canon_home: Path, baseline: list[str]
) -> None:
    """A page damaged after the snapshot was written: each run is right, or ends with a
    clean message (exit 5) and removes the snapshot so the next run is right."""
    path = catalog_snapshot(canon_home)
    pristine = path.read_bytes()
    page = 4096
    for offset in range(page, len(pristine), page * 7):
        damaged = bytearray(pristine)
        damaged[offset : offset + page] = b"\xa5" * page
        path.write_bytes(bytes(damaged))
        for args, expected in zip(VIEWS, baseline, strict=True):
            result = cli(*args)
            if result.exit_code == 5:
                assert "Traceback" not in result.stderr
                assert result.stderr.startswith(f"canon: error: the catalog snapshot {path}")
                assert not path.exists()
                result = cli(*args)
            assert result.exit_code == 0, (offset, args, result.stderr)
            assert result.stdout == expected, (offset, args)
            if path.exists() and path.read_bytes() != bytes(damaged):
                break  # rebuilt: this damage is gone
        path.write_bytes(pristine)


def test_snapshot_with_unreadable_tables_is_rebuilt(
    cli: Any, canon_home: Path, baseline: list[str]
) -> None:
    path = catalog_snapshot(canon_home)
    tamper(path, "DROP TABLE sections")
    assert outputs(cli) == baseline
    assert_trusted_snapshot(path)


def test_snapshot_from_another_canon_version_is_rebuilt(
    cli: Any, canon_home: Path, baseline: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = catalog_snapshot(canon_home)
    with monkeypatch.context() as patch:
        from canon_cli.catalog import key

        patch.setattr(key, "__version__", "0.0.1")
        old_identity = snapshot.source_identity(_builtin_sources())
    assert old_identity.startswith("canon 0.0.1 snapshot")
    tamper(path, "UPDATE meta SET value = ? WHERE key = 'identity'", old_identity)
    tamper(path, "UPDATE entries SET title = 'STALE ' || title")
    assert outputs(cli) == baseline
    assert_trusted_snapshot(path)


def _builtin_sources() -> list[Path]:
    from canon_cli.paths import builtin_catalog_path

    return [builtin_catalog_path()]


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE meta SET value = 'someone else' WHERE key = 'identity'",
        "DELETE FROM meta WHERE key = 'complete'",
        "DELETE FROM meta",
    ],
    ids=["other-identity", "incomplete", "no-meta"],
)
def test_snapshot_with_other_meta_is_rebuilt(
    cli: Any, canon_home: Path, baseline: list[str], sql: str
) -> None:
    path = catalog_snapshot(canon_home)
    tamper(path, "UPDATE entries SET title = 'STALE ' || title")
    tamper(path, sql)
    assert outputs(cli) == baseline
    assert_trusted_snapshot(path)


def test_snapshot_that_is_a_directory_is_done_without(
    cli: Any, canon_home: Path, baseline: list[str]
) -> None:
    path = catalog_snapshot(canon_home)
    path.unlink()
    path.mkdir()
    assert outputs(cli) == baseline


def test_stale_snapshot_after_an_edit_of_the_same_size_and_mtime(cli: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(small_catalog(SAME_SIZE_TITLES[0]))
    before = os.stat(catalog)
    assert cli("--catalog", str(catalog), "show", "first").stdout.startswith("Alpha title")
    # rewrite in place, same length, and put the modification time back
    with open(catalog, "r+", encoding="utf-8") as fh:
        fh.write(small_catalog(SAME_SIZE_TITLES[1]))
    os.utime(catalog, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(catalog).st_size == before.st_size
    assert cli("--catalog", str(catalog), "show", "first").stdout.startswith("Omega title")


def test_stale_snapshot_after_the_file_is_replaced(cli: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(small_catalog(SAME_SIZE_TITLES[0]))
    assert cli("--catalog", str(catalog), "list").exit_code == 0
    fresh = tmp_path / "fresh.yaml"
    fresh.write_text(small_catalog(SAME_SIZE_TITLES[1]))
    os.replace(fresh, catalog)
    assert "Omega title" in cli("--catalog", str(catalog), "list").stdout


# --- coarse timestamps: a same-size rewrite within one tick ---------------------------


class CoarseStat:
    """A stat result as a filesystem with whole-second (or FAT's 2 s) timestamps gives it
    while the clock stays within one tick: mtime and ctime stuck at ``tick_ns``."""

    def __init__(self, real: os.stat_result, tick_ns: int) -> None:
        self._real = real
        self.st_mtime_ns = self.st_ctime_ns = tick_ns
        self.st_mtime = self.st_ctime = tick_ns / 1e9

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def coarse_clock_filesystem(monkeypatch: pytest.MonkeyPatch, path: Path, tick_ns: int) -> None:
    real_stat = os.stat
    wanted = os.path.realpath(path)

    def coarse_stat(target: Any, *args: Any, **kwargs: Any) -> Any:
        st = real_stat(target, *args, **kwargs)
        if isinstance(target, (str, os.PathLike)) and os.path.realpath(target) == wanted:
            return CoarseStat(st, tick_ns)
        return st

    monkeypatch.setattr(os, "stat", coarse_stat)


def rewrite_in_place(path: Path, text: str) -> None:
    """Same inode, same size: only the content differs."""
    before = path.stat().st_size
    with open(path, "r+", encoding="utf-8") as fh:
        fh.write(text)
    assert path.stat().st_size == before


def test_a_same_size_rewrite_within_one_timestamp_tick_is_seen(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(small_catalog(SAME_SIZE_TITLES[0]))
    tick = time.time_ns() // 10**9 * 10**9  # this second, as a 1-second filesystem says
    coarse_clock_filesystem(monkeypatch, catalog, tick)
    assert cli("--catalog", str(catalog), "show", "first").stdout.startswith("Alpha title")
    rewrite_in_place(catalog, small_catalog(SAME_SIZE_TITLES[1]))
    for _ in range(2):  # seen, and still seen from the rebuilt snapshot
        assert cli("--catalog", str(catalog), "show", "first").stdout.startswith("Omega title")
        assert "Omega title" in cli("--catalog", str(catalog), "list").stdout


@pytest.fixture
def digests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every source canon hashes, in order."""
    seen: list[str] = []
    real = racy.content_digest

    def counted(path: str) -> str | None:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(racy, "content_digest", counted)
    return seen


def racy_meta(home: Path) -> str | None:
    db = sqlite3.connect(catalog_snapshot(home))
    row = db.execute("SELECT value FROM meta WHERE key = 'racy'").fetchone()
    db.close()
    return None if row is None else str(row[0])


def test_a_racy_snapshot_is_checked_by_content_until_proven_then_never(
    cli: Any, tmp_path: Path, canon_home: Path, monkeypatch: pytest.MonkeyPatch, digests: list[str]
) -> None:
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(small_catalog(SAME_SIZE_TITLES[0]))  # changed just now: racy
    show = ("--catalog", str(catalog), "show", "first")
    assert cli(*show).stdout.startswith("Alpha title")
    assert str(catalog) in (racy_meta(canon_home) or "") and digests
    digests.clear()
    assert cli(*show).stdout.startswith("Alpha title")
    assert digests == [str(catalog)]  # still within the window: checked again
    later = time.time_ns() + racy.RACY_WINDOW_NS
    monkeypatch.setattr(racy, "_clock", lambda: later)
    digests.clear()
    assert cli(*show).stdout.startswith("Alpha title")
    assert digests == [str(catalog)]  # checked once after the window: proven
    digests.clear()
    for _ in range(3):
        assert cli(*show).stdout.startswith("Alpha title")
    assert digests == []
    catalog.write_text(small_catalog(SAME_SIZE_TITLES[1]))
    assert cli(*show).stdout.startswith("Omega title")


def test_a_snapshot_of_files_older_than_the_window_is_never_hashed(
    cli: Any, tmp_path: Path, canon_home: Path, monkeypatch: pytest.MonkeyPatch, digests: list[str]
) -> None:
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(small_catalog(SAME_SIZE_TITLES[0]))
    an_hour_later = time.time_ns() + 3600 * 10**9  # as if the file was written an hour ago
    monkeypatch.setattr(racy, "_clock", lambda: an_hour_later)
    for _ in range(3):
        assert cli("--catalog", str(catalog), "show", "first").stdout.startswith("Alpha title")
    assert digests == [] and racy_meta(canon_home) is None


def test_a_catalog_that_turns_invalid_is_reported_not_served_from_cache(
    cli: Any, tmp_path: Path
) -> None:
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(small_catalog("Alpha title"))
    assert cli("--catalog", str(catalog), "list").exit_code == 0
    catalog.write_text(small_catalog("Alpha title").replace('"paper"', '"podcast"'))
    result = cli("--catalog", str(catalog), "list")
    assert result.exit_code == 3
    assert "podcast" in result.stderr


# --- an unusable cache dir ---------------------------------------------------------------


def test_read_only_cache_dir(cli: Any, canon_home: Path, baseline: list[str]) -> None:
    cache = canon_home / "cache"
    assert cli("done", "bert").exit_code == 0
    for child in cache.iterdir():
        child.unlink()
    with unwritable(cache):
        results = [cli(*args) for args in VIEWS]
        assert [r.exit_code for r in results] == [0] * len(VIEWS)
        listed = cli("list", "--status", "done")
        assert listed.exit_code == 0 and "bert" in listed.stdout
        assert list(cache.iterdir()) == []
    assert json.loads(results[1].stdout)["status"] == "done"


def test_cache_path_is_a_file(cli: Any, canon_home: Path) -> None:
    canon_home.mkdir(parents=True, exist_ok=True)
    (canon_home / "cache").write_text("not a directory")
    assert cli("done", "bert").exit_code == 0
    result = cli("list", "--status", "done")
    assert result.exit_code == 0
    assert result.stdout.startswith("bert\t")
    assert (canon_home / "cache").read_text() == "not a directory"


def test_cache_faults_in_a_real_process(run_canon: Any, canon_home: Path, warm: Path) -> None:
    first = run_canon("list")
    assert first.exit_code == 0
    path = catalog_snapshot(canon_home)
    path.write_bytes(b"\x00" * 1000)
    again = run_canon("list")
    assert again.exit_code == 0 and again.stdout == first.stdout and again.stderr == ""
