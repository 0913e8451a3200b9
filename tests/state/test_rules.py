"""The marks' rules: one test per transition a user makes, notes and ratings."""

from __future__ import annotations

import itertools

import pytest

from canon_cli.errors import UsageError
from canon_cli.state.fold import EntryState, Note, fold
from canon_cli.state.rules import add_note, delete_note, mark, rate
from canon_cli.state.store import FieldSet
from canon_cli.vocab import STATUSES

T0 = "2026-11-20T10:00:00Z"
T1 = "2026-11-21T09:00:00Z"
T2 = "2026-11-22T08:00:00Z"


def applied(record: EntryState, sets: list[FieldSet]) -> EntryState:
    """The record after the sets (as the store's fold would make it)."""
    fields: dict[str, object] = {
        "status": None if record.status == "unread" else record.status,
        "started": record.started,
        "finished": record.finished,
        "rating": record.rating,
        **{f"note:{n.id}": {"at": n.at, "text": n.text} for n in record.notes},
    }
    for _entry, field, value in sets:
        fields[field] = value
    return fold(fields.items())  # type: ignore[arg-type]


def reached(status: str) -> EntryState:
    """An entry that reached ``status`` the way a user would get there, rated and noted."""
    record = EntryState(rating=4, notes=(Note("n1", T1, "a note"),))
    if status == "done":
        record = applied(record, mark("x", record, "reading", T0))
    if status != "unread":
        record = applied(record, mark("x", record, status, T0 if status != "done" else T1))
    return record


def test_reading_records_the_start() -> None:
    assert mark("x", EntryState(), "reading", T0) == [
        ("x", "status", "reading"),
        ("x", "started", T0),
    ]


def test_done_on_an_unread_entry_records_start_and_finish() -> None:
    record = applied(EntryState(), mark("x", EntryState(), "done", T1))
    assert (record.status, record.started, record.finished) == ("done", T1, T1)


def test_done_twice_keeps_the_first_finish() -> None:
    record = reached("done")
    assert mark("x", record, "done", T2) == []


def test_unread_resets_status_and_dates_but_keeps_notes_and_rating() -> None:
    record = applied(reached("done"), mark("x", reached("done"), "unread", T2))
    assert record == EntryState(rating=4, notes=(Note("n1", T1, "a note"),))


def test_unread_on_an_entry_never_touched_records_nothing() -> None:
    assert mark("x", EntryState(), "unread", T0) == []


@pytest.mark.parametrize(("start", "target"), list(itertools.product(STATUSES, STATUSES)))
def test_every_transition(start: str, target: str) -> None:
    old = reached(start)
    sets = mark("x", old, target, T2)
    new = applied(old, sets)
    assert new.status == target
    assert (new.rating, new.notes) == (old.rating, old.notes)  # never lost by a mark
    assert bool(sets) == (start != target)
    if target == "reading":
        assert (new.started, new.finished) == (old.started or T2, None)
    elif target == "done":
        expected_finish = old.finished if start == "done" else T2
        assert (new.started, new.finished) == (old.started or expected_finish, expected_finish)
    elif target == "skipped":
        assert (new.started, new.finished) == (old.started, None)
    else:
        assert (new.started, new.finished) == (None, None)


def test_unknown_status_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown status 'finished'") as info:
        mark("x", EntryState(), "finished", T0)
    assert "unread, reading, done, skipped" in str(info.value)


def test_a_note_is_its_own_field_with_a_fresh_id() -> None:
    (one,), (two,) = add_note("x", "  first  ", T0), add_note("x", "first", T0)
    assert one[1].startswith("note:") and one[1] != two[1]
    assert one[2] == {"at": T0, "text": "first"}
    assert delete_note("x", one[1][5:]) == [("x", one[1], None)]


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_note_is_refused(text: str) -> None:
    with pytest.raises(UsageError, match="empty"):
        add_note("x", text, T0)


def test_a_note_with_unencodable_text_is_refused() -> None:
    with pytest.raises(UsageError):
        add_note("x", "bad \udcff byte", T0)


@pytest.mark.parametrize("rating", [1, 3, 5])
def test_rate(rating: int) -> None:
    assert rate("x", EntryState(), rating) == [("x", "rating", rating)]
    assert rate("x", EntryState(rating=rating), rating) == []
    assert rate("x", EntryState(rating=rating), None) == [("x", "rating", None)]


@pytest.mark.parametrize("rating", [0, 6, -1, 100, True, 2.5, "3"])
def test_rating_outside_1_to_5_is_a_usage_error(rating: object) -> None:
    with pytest.raises(UsageError, match="from 1 to 5"):
        rate("x", EntryState(), rating)  # type: ignore[arg-type]
