"""Status and record by id or alias, folded per field as if the two were one key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from canon_cli.catalog.store import Entry
from canon_cli.reading.status import record_of, records, statuses
from canon_cli.state.changes import Change, Clock
from canon_cli.state.store import open_store


class FakeCatalog:
    def alias_targets(self) -> dict[str, str]:
        return {"old-name": "new-name"}


def entry(entry_id: str, aliases: tuple[str, ...] = ()) -> Any:
    return Entry(
        0,
        entry_id,
        "T",
        None,
        "https://x.org",
        "s",
        ("s",),
        None,
        (),
        "paper",
        (),
        "",
        None,
        (),
        aliases,
        None,
        "catalog.yaml",
    )


def change(entry_id: str, field: str, value: object, wall: int) -> Change:
    return Change(entry_id, field, value, Clock(wall, 0), "d" * 16, "op")  # type: ignore[arg-type]


def test_the_newest_value_among_id_and_aliases_wins_per_field(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        store.apply(
            [
                change("old-name", "status", "done", 10),
                change("old-name", "rating", 4, 10),
                change("new-name", "status", None, 20),  # reset after the rename
                change("other", "status", "reading", 5),
            ]
        )
        catalog: Any = FakeCatalog()
        assert statuses(store, catalog) == {"other": "reading"}
        record = record_of(store, entry("new-name", ("old-name",)))
        assert (record.status, record.rating) == ("unread", 4)
        assert set(records(store, catalog)) == {"new-name", "other"}
        store.apply([change("old-name", "status", "skipped", 30)])  # an old device, later
        assert statuses(store, catalog) == {"new-name": "skipped", "other": "reading"}


def test_no_state_means_everything_unread() -> None:
    catalog: Any = FakeCatalog()
    assert statuses(None, catalog) == {} and records(None, catalog) == {}
    assert record_of(None, entry("x")).status == "unread"
