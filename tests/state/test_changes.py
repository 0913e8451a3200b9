"""The change record: clocks order causally, journal lines round-trip, bad lines are named."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canon_cli.state.changes import (
    Change,
    Clock,
    JournalLineError,
    from_line,
    new_device_id,
    new_note_id,
    tick,
    to_line,
)


def test_a_slow_clock_still_moves_past_what_it_has_seen() -> None:
    seen = Clock(2_000_000, 3)
    later = tick(seen, now_ms=1_000_000)  # this machine's wall clock is behind
    assert later > seen and later == Clock(2_000_000, 4)
    assert tick(seen, now_ms=3_000_000) == Clock(3_000_000, 0)


@given(st.integers(0, 10**13 - 1), st.integers(0, 999_999), st.integers(0, 10**13 - 1))
def test_clock_text_sorts_like_the_clock(wall: int, counter: int, other: int) -> None:
    a, b = Clock(wall, counter), Clock(other, 0)
    assert (a.text() < b.text()) == (a < b)
    assert Clock.parse(a.text()) == a


values = st.one_of(
    st.none(),
    st.text(),
    st.integers(1, 5),
    st.fixed_dictionaries({"at": st.text(), "text": st.text()}),
)


@given(st.text(min_size=1), values, st.text(min_size=1), st.text(min_size=1))
def test_a_change_round_trips_through_its_line(
    entry: str, value: object, dev: str, op: str
) -> None:
    change = Change(entry, "note:ab12", value, Clock(1, 2), dev, op)  # type: ignore[arg-type]
    assert from_line(to_line(change)) == change


@pytest.mark.parametrize(
    ("line", "newer"),
    [
        ('{"v":1,"entry":"lora","field":"stat', False),  # torn
        ("[]", False),
        (
            '{"v":2,"entry":"a","field":"status","value":"done","clock":"x","device":"d","op":"o"}',
            True,
        ),
        (
            '{"v":1,"entry":"a","field":"colour","value":"x","clock":"0000000000001-000000",'
            '"device":"d","op":"o"}',
            False,
        ),
        (
            '{"v":1,"entry":"a","field":"rating","value":true,"clock":"0000000000001-000000",'
            '"device":"d","op":"o"}',
            False,
        ),
    ],
)
def test_a_bad_line_is_refused_by_name(line: str, newer: bool) -> None:
    with pytest.raises(JournalLineError) as caught:
        from_line(line)
    assert caught.value.newer is newer


def test_device_and_note_ids_are_random_hex() -> None:
    devices = {new_device_id() for _ in range(100)}
    notes = {new_note_id() for _ in range(100)}
    assert len(devices) == len(notes) == 100
    assert all(len(d) == 16 and int(d, 16) >= 0 for d in devices)
    assert all(len(n) == 12 and int(n, 16) >= 0 for n in notes)
