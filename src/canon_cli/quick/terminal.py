"""The quick path's dashboard, ``canon list``, ``canon next`` and ``canon progress`` on
a terminal: the general path's own rich views.

The rows and counts are read here, as those commands to a pipe read them (answers.py),
and handed to the renderer the general path draws with (``output/render.lines`` with
``dashboard.view_lines``, ``render.entry_table``, ``render.progress_view``; inside
``output/streams.paged`` for the pager), so each view is drawn once, by one piece of
code. What this saves is the general path's
layers (the option spec, the typed catalog and state, pathlib); rich itself is most of
what a terminal view costs.

Everything that can make the answer the general path's is decided before a byte is
drawn: the reading returns None for an unknown filter, an empty result or a rating
kept under a former id, and only then is a drawing handed back.
"""

from __future__ import annotations

from canon_cli.quick.answers import (
    Board,
    Sections,
    entries,
    progress_counts,
    reading,
    section_heading,
    sql_filters,
    wanted_statuses,
)
from canon_cli.quick.search import search_condition

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable
    from contextlib import AbstractContextManager as ContextManager

_STATUS = {'"reading"': "reading", '"done"': "done", '"skipped"': "skipped"}
# reading/progress.Counts's fields, in the order answers.counts gives them
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
        if not (value.isascii() and value.isdigit() and 1 <= int(value) <= 5):
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
    found = sql_filters(db, values, Sections(db))
    wanted = wanted_statuses(values)
    rated = _ratings(db)
    if found is None or wanted is None or rated is None:
        return None
    if values.get("search") is not None:
        condition = search_condition(db, str(values["search"]))
        if condition is None:
            return None
        found[0].append(condition[0])
        found[1].extend(condition[1])
    limit = values.get("limit")
    picked: list[tuple[object, ...]] = []
    for entry in entries(db, *found):
        status = _STATUS.get(str(entry[3]), "unread")
        if not wanted or status in wanted:
            picked.append((*entry, status))
        if isinstance(limit, int) and len(picked) == limit:
            break
    return _table(db, picked, rated, lang, output)


def next_drawing(
    db: sqlite3.Connection, lang: str, values: dict[str, object], output: dict[str, str]
) -> Callable[[], None] | None:
    """``canon next``: the entries being read, then the first unread (answers.next_answer's
    choice), in the table ``views.show_list`` draws."""
    found = sql_filters(db, values, Sections(db))
    rated = _ratings(db)
    if found is None or rated is None:
        return None
    count = values.get("count", 1)
    assert isinstance(count, int)
    reading_now: list[tuple[object, ...]] = []
    unread: list[tuple[object, ...]] = []
    for entry in entries(db, *found):
        status = _STATUS.get(str(entry[3]), "unread")
        if status == "reading":
            reading_now.append((*entry, status))
        elif status == "unread" and len(unread) < count:
            unread.append((*entry, status))
    return _table(db, (reading_now + unread)[:count], rated, lang, output)


def _table(
    db: sqlite3.Connection,
    picked: list[tuple[object, ...]],
    rated: dict[str, int],
    lang: str,
    output: dict[str, str],
) -> Callable[[], None] | None:
    """The drawing of ``picked`` (answers.ENTRY's columns and the status), with each
    entry's reading time and each section's heading read now."""
    if not picked:
        return None  # the general path says so, in the reader's language
    minutes = dict(
        db.execute(
            f"SELECT id, minutes FROM cat.entries WHERE id IN ({','.join('?' * len(picked))})",
            [p[0] for p in picked],
        )
    )
    headings = {str(s): section_heading(db, str(s), lang) for s in {p[4] for p in picked}}
    return _drawing(picked, minutes, headings, rated, lang, output)


def dashboard_drawing(
    db: sqlite3.Connection, lang: str, values: dict[str, object], output: dict[str, str]
) -> Callable[[], None] | None:
    """``canon`` with no command, as ``output/dashboard.show_dashboard`` draws it."""
    board = Board(db, None)
    if not board.overall[0]:
        return None

    def shown(rows: list[tuple[str, str, str | None, str]]) -> list[tuple[str, str]]:
        return [(i, tz if lang == "zh" and tz else t) for i, t, tz, _s in rows]

    now, upcoming = shown(board.now), shown(board.upcoming)
    overall = (board.overall[3] + board.overall[4], board.overall[0])
    section = None
    if board.section is not None:
        path, theirs = board.section
        name = _section_names(db, lang)[path.rsplit("/", 1)[-1]]
        section = (name, theirs[3] + theirs[4], theirs[0])

    def draw() -> None:
        from canon_cli.output import render
        from canon_cli.output.dashboard import view_lines

        _prepare(lang, output)
        with _paged():
            render.lines(view_lines(now, upcoming, overall, section, board.streak, board.week))

    return draw


def _section_names(db: sqlite3.Connection, lang: str) -> dict[str, str]:
    """Section.name(lang) of every section, by slug."""
    return {
        str(slug): str(name)
        for slug, name in db.execute(
            "SELECT slug, CASE WHEN ? = 'zh' AND name_zh != '' THEN name_zh ELSE name_en END"
            " FROM cat.sections",
            (lang,),
        )
    }


def _prepare(lang: str, output: dict[str, str]) -> None:
    """The run's language and output choices, as session.py sets them."""
    from canon_cli.i18n import set_language
    from canon_cli.output import streams

    set_language(lang)
    streams.set_output(color=output.get("color") or "auto", pager="pager" not in output)


def _paged() -> ContextManager[None]:
    from canon_cli.output import streams

    return streams.paged()


def progress_drawing(
    db: sqlite3.Connection, lang: str, values: dict[str, object], output: dict[str, str]
) -> Callable[[], None] | None:
    """``canon progress [--section S]``, as ``progressview.show_progress`` draws it."""
    found = progress_counts(db, values)
    if found is None:
        return None
    overall, per_section, scope = found
    names = _section_names(db, lang)
    rows = [(path.count("/"), str(names[path.rsplit("/", 1)[-1]]), c) for path, c in per_section]
    now = [(str(i), str(tz if lang == "zh" and tz else t)) for i, t, tz, _s in reading(db, scope)]

    def draw() -> None:
        from canon_cli.output import render
        from canon_cli.output.words import short_duration, time_left_line

        _prepare(lang, output)
        with _paged():
            render.progress_view(
                dict(zip(_FIELDS, overall, strict=True)),
                [(depth, name, dict(zip(_FIELDS, c, strict=True))) for depth, name, c in rows],
                now,
                time_left=time_left_line(overall[6], overall[7]),
                section_times=[short_duration(c[6]) or "-" for _d, _n, c in rows],
            )

    return draw


def _drawing(
    picked: list[tuple[object, ...]],
    minutes: dict[str, int | None],
    headings: dict[str, str],
    rated: dict[str, int],
    lang: str,
    output: dict[str, str],
) -> Callable[[], None]:
    def draw() -> None:
        from canon_cli.output import render

        _prepare(lang, output)
        groups: list[tuple[str, list[dict[str, object]]]] = []
        current = None
        for entry_id, year, kind, _value, section, title, title_zh, problem, status in picked:
            if section != current:
                current = section
                groups.append((headings[str(section)], []))
            shown = title_zh if lang == "zh" and title_zh else title
            row = render.entry_row(
                str(entry_id),
                str(shown),
                year if isinstance(year, int) else None,
                str(kind),
                minutes.get(str(entry_id)),
                str(status),
                None if problem is None else str(problem),
                rating=rated.get(str(entry_id)),
            )
            groups[-1][1].append(row)
        with _paged():
            render.entry_table(groups, show_rating=bool(rated))

    return draw
