"""The quick path's dashboard, ``canon list``, ``canon next`` and ``canon progress`` on
a terminal: the general path's own rich views.

The rows and counts are read here, as those commands to a pipe read them (answers.py,
progress.py), and handed to the renderer the general path draws with
(``output/render.lines`` with ``dashboard.view_lines``, ``render.entry_table``,
``render.progress_view``; inside ``output/streams.paged`` for the pager), so each view
is drawn once, by one piece of code. What this saves is the general path's layers (the
option spec, the typed catalog and state, pathlib); rich itself is most of what a
terminal view costs.

Everything that can make the answer the general path's is decided before a byte is
drawn: the reading returns None for an unknown filter, an empty result or a rating
kept under a former id, and only then is a drawing handed back.
"""

from __future__ import annotations

from contextlib import contextmanager

from canon_cli.quick.answers import (
    chosen_entries,
    next_entries,
    section_heading,
    section_names,
    title_in,
)
from canon_cli.quick.progress import Board, progress_counts, reading

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Iterator

    from canon_cli.quick.answers import Picked

_RATINGS = ("1", "2", "3", "4", "5")
# reading/progress.Counts's fields, in the order quick/progress.counts gives them
_FIELDS = (
    "total",
    "unread",
    "reading",
    "done",
    "skipped",
    "minutes_total",
    "minutes_left",
    "left_without_estimate",
)


def _ratings(db: sqlite3.Connection) -> dict[str, int] | None:
    """reading.status.ratings: every rating of 1-5 by entry id; None when one is kept
    under a former id (the general path folds those) or in a form canon does not write."""
    found: dict[str, int] = {}
    for entry_id, value in db.execute(
        "SELECT c.entry, c.value FROM st.current c WHERE c.field = 'rating' AND c.value != 'null'"
    ):
        if value not in _RATINGS:  # canon writes 1-5 as JSON numbers; the rest is not ours
            return None
        found[str(entry_id)] = int(value)
    if (
        found
        and db.execute(
            "SELECT 1 FROM cat.aliases a JOIN st.current c ON c.entry = a.alias"
            " AND c.field = 'rating' LIMIT 1"
        ).fetchone()
    ):
        return None
    return found


def list_drawing(
    db: sqlite3.Connection, lang: str, values: dict[str, object], output: dict[str, str]
) -> Callable[[], None] | None:
    """``canon list`` with sections, years, tags, kinds, words, statuses and a limit, as
    the table ``views.show_list`` draws; None for the general path."""
    rated = _ratings(db)
    picked = None if rated is None else chosen_entries(db, values)
    return None if rated is None or picked is None else _table(db, picked, rated, lang, output)


def next_drawing(
    db: sqlite3.Connection, lang: str, values: dict[str, object], output: dict[str, str]
) -> Callable[[], None] | None:
    """``canon next`` (answers.next_entries's choice), in the table ``views.show_list``
    draws."""
    rated = _ratings(db)
    picked = None if rated is None else next_entries(db, values)
    return None if rated is None or picked is None else _table(db, picked, rated, lang, output)


def _table(
    db: sqlite3.Connection,
    picked: Picked,
    rated: dict[str, int],
    lang: str,
    output: dict[str, str],
) -> Callable[[], None] | None:
    """The drawing of ``picked``, with each entry's reading time and each section's
    heading read now."""
    if not picked:
        return None  # the general path says so, in the reader's language
    ids = [str(entry[0]) for entry, _status in picked]
    minutes: dict[str, int | None] = dict(
        db.execute(
            f"SELECT id, minutes FROM cat.entries WHERE id IN ({','.join('?' * len(ids))})", ids
        )
    )
    # render.entry_row's arguments before ``dead`` and ``rating``: id, title in the
    # reader's language, year, kind, minutes, status, the refused link's reason
    groups: list[tuple[str, list[tuple[str, str, int | None, str, int | None, str, str | None]]]]
    groups = []
    for entry, status in picked:
        entry_id, year, kind, _value, section, title, title_zh, problem = entry
        if not groups or groups[-1][0] != section:
            groups.append((str(section), []))
        shown = title_in(str(title), None if title_zh is None else str(title_zh), lang)
        groups[-1][1].append(
            (
                str(entry_id),
                shown,
                year if isinstance(year, int) else None,
                str(kind),
                minutes.get(str(entry_id)),
                status,
                None if problem is None else str(problem),
            )
        )
    headings = {slug: section_heading(db, slug, lang) for slug, _rows in groups}

    def draw() -> None:
        from canon_cli.output import render

        with _view(lang, output):  # the labels of entry_row are in the reader's language
            blocks = [
                (
                    headings[slug],
                    [render.entry_row(*row, rating=rated.get(row[0])) for row in rows],
                )
                for slug, rows in groups
            ]
            render.entry_table(blocks, show_rating=bool(rated))

    return draw


def dashboard_drawing(
    db: sqlite3.Connection, lang: str, values: dict[str, object], output: dict[str, str]
) -> Callable[[], None] | None:
    """``canon`` with no command, as ``output/dashboard.show_dashboard`` draws it."""
    board = Board(db, None)
    if not board.overall[0]:
        return None

    def shown(rows: list[tuple[str, str, str | None, str]]) -> list[tuple[str, str]]:
        return [(i, title_in(t, tz, lang)) for i, t, tz, _s in rows]

    now, upcoming = shown(board.now), shown(board.upcoming)
    overall = (board.overall[3] + board.overall[4], board.overall[0])
    section = None
    if board.section is not None:
        path, theirs = board.section
        name = section_names(db, lang)[path.rsplit("/", 1)[-1]]
        section = (name, theirs[3] + theirs[4], theirs[0])

    def draw() -> None:
        from canon_cli.output import render
        from canon_cli.output.dashboard import view_lines

        with _view(lang, output):
            render.lines(view_lines(now, upcoming, overall, section, board.streak, board.week))

    return draw


@contextmanager
def _view(lang: str, output: dict[str, str]) -> Iterator[None]:
    """The run's language and output choices, as session.py sets them, and the pager
    around what the block draws (as guard.py runs a command)."""
    from canon_cli.i18n import set_language
    from canon_cli.output import streams

    set_language(lang)
    streams.set_output(color=output.get("color") or "auto", pager="pager" not in output)
    with streams.paged():
        yield


def progress_drawing(
    db: sqlite3.Connection, lang: str, values: dict[str, object], output: dict[str, str]
) -> Callable[[], None] | None:
    """``canon progress [--section S]``, as ``progressview.show_progress`` draws it."""
    found = progress_counts(db, values)
    if found is None:
        return None
    overall, per_section, scope = found
    names = section_names(db, lang)
    rows = [(path.count("/"), str(names[path.rsplit("/", 1)[-1]]), c) for path, c in per_section]
    now = [(str(i), title_in(str(t), tz, lang)) for i, t, tz, _s in reading(db, scope)]

    def draw() -> None:
        from canon_cli.output import render
        from canon_cli.output.words import short_duration, time_left_line

        with _view(lang, output):
            render.progress_view(
                dict(zip(_FIELDS, overall, strict=True)),
                [(depth, name, dict(zip(_FIELDS, c, strict=True))) for depth, name, c in rows],
                now,
                time_left=time_left_line(overall[6], overall[7]),
                section_times=[short_duration(c[6]) or "-" for _d, _n, c in rows],
            )

    return draw
