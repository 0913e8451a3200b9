"""Progress counted by SQLite gives what counting in Python gives, aliases included."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from canon_cli.catalog.snapshot import open_catalog
from canon_cli.catalog.store import Catalog
from canon_cli.paths import builtin_catalog_path
from canon_cli.reading.counted import counted_progress
from canon_cli.reading.progress import progress_summary
from canon_cli.reading.status import statuses
from canon_cli.state.changes import Change, Clock
from canon_cli.state.store import open_store

VALUES = ["done", "reading", "skipped", "unread", None, "not-a-status"]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return open_catalog([builtin_catalog_path()], tmp_path_factory.mktemp("cache"))


def _random_changes(catalog: Catalog, rng: random.Random) -> list[Change]:
    """Status changes under ids, former ids and unknown ids, on two devices."""
    keys = [*catalog.ids(), *catalog.alias_targets(), "not-in-the-catalog"]
    return [
        Change(
            rng.choice(keys),
            "status",
            rng.choice(VALUES),
            Clock(rng.randrange(1, 50), rng.randrange(3)),
            rng.choice(["a" * 16, "b" * 16]),
            "op",
        )
        for _ in range(rng.randrange(1, 150))
    ]


@pytest.mark.parametrize("seed", range(12))
def test_sql_counts_equal_python_counts(catalog: Catalog, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    with open_store(tmp_path / "state.db") as store:
        store.apply(_random_changes(catalog, rng))
        for section in (None, "agents", "foundations"):
            expected = progress_summary(catalog, statuses(store, catalog), section)
            got = counted_progress(catalog, store, lambda: statuses(store, catalog), section)
            assert got == expected


def test_without_a_state_everything_is_unread(catalog: Catalog) -> None:
    got = counted_progress(catalog, None, dict, None)
    assert got == progress_summary(catalog, {}, None)
    assert got.overall.unread == len(catalog)


def test_a_state_sqlite_cannot_attach_is_counted_in_python(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(tmp_path / "state.db") as store:
        store.apply([Change("lora", "status", "done", Clock(5, 0), "a" * 16, "op")])

        def refuse(sql: str, params: object = ()) -> object:
            raise sqlite3.OperationalError("unable to open database")

        asked: list[bool] = []

        def python_statuses() -> dict[str, str]:
            asked.append(True)
            return statuses(store, catalog)

        monkeypatch.setattr(catalog, "joined_rows", refuse)
        got = counted_progress(catalog, store, python_statuses, None)
        assert asked and got.overall.done == 1
