"""The reading-state domain: mark transitions, notes, ratings, and merging two states."""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from canon_cli.errors import UsageError
from canon_cli.state.records import (
    EntryState,
    Note,
    ReadingState,
    add_note,
    mark,
    merge_states,
    now_iso,
    parse_timestamp,
    set_rating,
    status_of,
)
from canon_cli.vocab import STATUSES

T0 = "2026-11-20T10:00:00+00:00"
T1 = "2026-11-21T09:00:00+00:00"
T2 = "2026-11-22T08:00:00+00:00"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANON_HOME", str(tmp_path / "home"))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))


def entry_with(status: str) -> ReadingState:
    """A state whose entry 'x' reached ``status`` the way a user would get there."""
    state = ReadingState()
    if status == "done":
        mark(state, "x", "reading", T0)
    if status != "unread":
        mark(state, "x", status, T0 if status != "done" else T1)
    add_note(state, "x", "a note", T1)
    set_rating(state, "x", 4, T1)
    return state


# -- mark: one test per transition a user makes -------------------------------------


def test_reading_records_the_start() -> None:
    state = ReadingState()
    assert mark(state, "x", "reading", T0) is True
    assert state.entries["x"] == EntryState(status="reading", started=T0, updated=T0)


def test_done_on_an_unread_entry_records_start_and_finish() -> None:
    state = ReadingState()
    assert mark(state, "x", "done", T1)
    assert state.entries["x"] == EntryState(status="done", started=T1, finished=T1, updated=T1)


def test_done_after_reading_keeps_the_start() -> None:
    state = ReadingState()
    mark(state, "x", "reading", T0)
    assert mark(state, "x", "done", T1)
    record = state.entries["x"]
    assert (record.status, record.started, record.finished, record.updated) == (
        "done",
        T0,
        T1,
        T1,
    )


def test_done_twice_keeps_the_first_finish() -> None:
    state = ReadingState()
    mark(state, "x", "done", T1)
    assert mark(state, "x", "done", T2) is False
    assert state.entries["x"].finished == T1
    assert state.entries["x"].updated == T1


def test_reading_again_after_done_clears_finished_and_keeps_start() -> None:
    state = ReadingState()
    mark(state, "x", "reading", T0)
    mark(state, "x", "done", T1)
    assert mark(state, "x", "reading", T2)
    record = state.entries["x"]
    assert (record.status, record.started, record.finished) == ("reading", T0, None)


def test_skipped_keeps_the_start_and_clears_finished() -> None:
    state = ReadingState()
    mark(state, "x", "reading", T0)
    mark(state, "x", "done", T1)
    assert mark(state, "x", "skipped", T2)
    record = state.entries["x"]
    assert (record.status, record.started, record.finished, record.updated) == (
        "skipped",
        T0,
        None,
        T2,
    )


def test_skipped_on_an_unread_entry_has_no_dates() -> None:
    state = ReadingState()
    assert mark(state, "x", "skipped", T0)
    assert state.entries["x"] == EntryState(status="skipped", updated=T0)


def test_unread_resets_status_and_dates_but_keeps_notes_and_rating() -> None:
    state = entry_with("done")
    assert mark(state, "x", "unread", T2)
    record = state.entries["x"]
    assert record == EntryState(
        status="unread", rating=4, notes=[Note(at=T1, text="a note")], updated=T2
    )


def test_unread_on_an_entry_never_touched_records_nothing() -> None:
    state = ReadingState()
    assert mark(state, "x", "unread", T0) is False
    assert state.entries == {}


@pytest.mark.parametrize("status", STATUSES)
def test_marking_the_same_status_again_changes_nothing(status: str) -> None:
    state = entry_with(status)
    before = state.entries["x"]
    snapshot = EntryState(**before.__dict__)
    assert mark(state, "x", status, T2) is False
    assert state.entries["x"] == snapshot


@pytest.mark.parametrize(("start", "target"), list(itertools.product(STATUSES, STATUSES)))
def test_every_transition(start: str, target: str) -> None:
    state = entry_with(start)
    old = EntryState(**state.entries["x"].__dict__)
    changed = mark(state, "x", target, T2)
    new = state.entries["x"]
    assert new.status == target
    assert (new.rating, new.notes) == (old.rating, old.notes)  # never lost by a mark
    assert changed == (start != target)
    assert new.updated == (T2 if changed else old.updated)
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
        mark(ReadingState(), "x", "finished", T0)
    assert "unread, reading, done, skipped" in str(info.value)


def test_status_of_an_entry_not_in_the_state_is_unread() -> None:
    state = ReadingState()
    mark(state, "x", "reading", T0)
    assert (status_of(state, "x"), status_of(state, "unknown-id")) == ("reading", "unread")


# -- notes and ratings ----------------------------------------------------------------


def test_add_note_appends_a_dated_note_and_sets_updated() -> None:
    state = ReadingState()
    assert add_note(state, "x", "  first  ", T0)
    assert add_note(state, "x", "second\nline", T1)
    record = state.entries["x"]
    assert record.notes == [Note(at=T0, text="first"), Note(at=T1, text="second\nline")]
    assert (record.status, record.updated) == ("unread", T1)


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_note_is_refused(text: str) -> None:
    state = ReadingState()
    with pytest.raises(UsageError, match="empty"):
        add_note(state, "x", text, T0)
    assert state.entries == {}


def test_a_note_with_unencodable_text_is_refused() -> None:
    with pytest.raises(UsageError):
        add_note(ReadingState(), "x", "bad \udcff byte", T0)


@pytest.mark.parametrize("rating", [1, 3, 5])
def test_set_rating(rating: int) -> None:
    state = ReadingState()
    assert set_rating(state, "x", rating, T0)
    assert state.entries["x"] == EntryState(rating=rating, updated=T0)
    assert set_rating(state, "x", rating, T1) is False
    assert state.entries["x"].updated == T0


def test_set_rating_none_clears_it() -> None:
    state = ReadingState()
    set_rating(state, "x", 2, T0)
    assert set_rating(state, "x", None, T1)
    assert state.entries["x"] == EntryState(updated=T1)


@pytest.mark.parametrize("rating", [0, 6, -1, 100, True, 2.5, "3"])
def test_rating_outside_1_to_5_is_a_usage_error(rating: object) -> None:
    state = ReadingState()
    with pytest.raises(UsageError, match="from 1 to 5"):
        set_rating(state, "x", rating, T0)  # type: ignore[arg-type]
    assert state.entries == {}


def test_now_iso_has_an_offset_and_parses() -> None:
    stamp = now_iso()
    assert parse_timestamp(stamp).utcoffset() is not None
    assert "+" in stamp[10:] or "-" in stamp[10:]


def test_parse_timestamp_reads_dates_and_naive_times_as_local() -> None:
    assert parse_timestamp("2026-11-20").utcoffset() is not None
    assert parse_timestamp("2026-11-20T10:00:00").tzinfo is not None
    with pytest.raises(ValueError):
        parse_timestamp("yesterday")


# -- merging --------------------------------------------------------------------------


def test_merge_keeps_the_most_recently_updated_record_whole() -> None:
    a, b = ReadingState(), ReadingState()
    mark(a, "x", "done", T1)
    set_rating(a, "x", 5, T1)
    mark(b, "x", "reading", T2)
    merged = merge_states(a, b)
    assert merged.entries["x"] == b.entries["x"]  # whole record, not a field mix
    assert merge_states(b, a) == merged


def test_merge_compares_instants_not_strings() -> None:
    a, b = ReadingState(), ReadingState()
    mark(a, "x", "done", "2026-01-01T10:00:00+02:00")  # 08:00 UTC: older
    mark(b, "x", "skipped", "2026-01-01T09:00:00+00:00")  # 09:00 UTC: newer
    assert merge_states(a, b).entries["x"].status == "skipped"
    assert merge_states(b, a).entries["x"].status == "skipped"


def test_merge_keeps_ids_from_either_side_in_a_then_b_order() -> None:
    a, b = ReadingState(), ReadingState()
    mark(a, "only-a", "done", T0)
    mark(a, "both", "reading", T0)
    mark(b, "only-b", "skipped", T0)
    mark(b, "both", "done", T1)
    merged = merge_states(a, b)
    assert list(merged.entries) == ["only-a", "both", "only-b"]
    assert merged.entries["both"].status == "done"


def test_merge_result_shares_nothing_with_its_inputs() -> None:
    a, b = ReadingState(), ReadingState()
    add_note(a, "x", "hello", T0)
    merged = merge_states(a, b)
    add_note(merged, "x", "more", T1)
    assert a.entries["x"].notes == [Note(at=T0, text="hello")]


# Few distinct values, so random states overlap and tie often.
INSTANTS = st.sampled_from(
    [
        None,
        T0,
        T1,
        "2026-11-21T10:00:00+01:00",  # the same instant as T1, written differently
        "2026-11-21T04:00:00-05:00",  # and again
        T2,
    ]
)
RECORDS = st.builds(
    EntryState,
    status=st.sampled_from(STATUSES),
    started=INSTANTS,
    finished=INSTANTS,
    rating=st.none() | st.integers(1, 5),
    notes=st.lists(
        st.builds(Note, at=st.sampled_from([T0, T1]), text=st.sampled_from("ab")), max_size=2
    ),
    updated=INSTANTS,
)
STATES = st.builds(
    ReadingState,
    entries=st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), RECORDS, max_size=4),
)


@settings(max_examples=200, deadline=None)
@given(STATES)
def test_merge_is_idempotent(a: ReadingState) -> None:
    assert merge_states(a, a) == a


@settings(max_examples=200, deadline=None)
@given(STATES, STATES)
def test_merge_is_commutative(a: ReadingState, b: ReadingState) -> None:
    assert merge_states(a, b) == merge_states(b, a)


@settings(max_examples=200, deadline=None)
@given(STATES, STATES, STATES)
def test_merge_is_associative(a: ReadingState, b: ReadingState, c: ReadingState) -> None:
    assert merge_states(merge_states(a, b), c) == merge_states(a, merge_states(b, c))


@settings(max_examples=100, deadline=None)
@given(st.lists(STATES, min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_merging_many_states_gives_the_same_result_in_any_order(
    states: list[ReadingState], rnd: object
) -> None:
    expected = functools.reduce(merge_states, states)
    shuffled = list(states)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert functools.reduce(merge_states, shuffled) == expected
    assert set(expected.entries) == {k for s in states for k in s.entries}


@settings(max_examples=200, deadline=None)
@given(STATES, STATES)
def test_merge_never_picks_an_older_record(a: ReadingState, b: ReadingState) -> None:
    merged = merge_states(a, b)
    for entry_id, record in merged.entries.items():
        assert record in (a.entries.get(entry_id), b.entries.get(entry_id))
        for side in (a, b):
            other = side.entries.get(entry_id)
            if other is not None and other.updated is not None:
                assert record.updated is not None
                assert parse_timestamp(record.updated) >= parse_timestamp(other.updated)
