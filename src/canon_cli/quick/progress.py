"""The quick path's counts: ``progress`` and the dashboard (``canon``) to a pipe, and
the counts, sections and days that their terminal views draw (quick/terminal.py).

The columns are those of ``output/progressview.py`` and ``output/dashboard.py``; None
means the general path answers (an unknown section, an empty catalog, text that needs
cleaning).
"""

from __future__ import annotations

from datetime import date

from canon_cli.days import current_streak, week_total
from canon_cli.quick.answers import FROM, Sections, in_list, status_of, text_lines, title_in
from canon_cli.quick.data import MARKED

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3

    from canon_cli.quick.answers import Rows

UPCOMING = 3  # reading/dashboard.UPCOMING
# Counts' fields: total, unread, reading, done, skipped, minutes_total, minutes_left,
# left_without_estimate (reading/progress.Counts)
_SLOT = {"unread": 1, "reading": 2, "done": 3, "skipped": 4}
_LEFT = ("unread", "reading")


def counts(
    db: sqlite3.Connection, sections: Sections, scope: list[str] | None
) -> dict[str, list[int]]:
    """counted._direct_counts: the Counts fields of the entries directly in each
    section, everything unread until the marks say otherwise."""
    where = (" WHERE " + in_list("section", scope)) if scope is not None else ""
    params: list[object] = list(scope or ())
    direct: dict[str, list[int]] = {}
    for section, n, minutes, no_estimate in db.execute(
        "SELECT section, count(*), total(minutes), sum(minutes IS NULL) FROM cat.entries"
        f"{where} GROUP BY section",
        params,
    ):
        direct[section] = [n, n, 0, 0, 0, int(minutes), int(minutes), no_estimate]
    inside = (" AND " + in_list("e.section", scope)) if scope is not None else ""
    for section, value, n, minutes, no_estimate in db.execute(
        "SELECT e.section, c.value, count(*), total(e.minutes), sum(e.minutes IS NULL)"
        " FROM st.current c JOIN cat.entries e INDEXED BY entries_marks ON e.id = c.entry"
        f" WHERE c.field = 'status' AND {in_list('c.value', MARKED)}{inside}"
        " GROUP BY e.section, c.value",
        [*MARKED, *params],
    ):
        counts, status = direct[section], status_of(value)
        counts[1] -= n
        counts[_SLOT[status]] += n
        if status not in _LEFT:
            counts[6] -= int(minutes)
            counts[7] -= no_estimate
    return direct


def totals(
    direct: dict[str, list[int]], sections: Sections, scope: list[str] | None
) -> tuple[list[int], list[tuple[str, list[int]]]]:
    """progress_summary's overall counts and every section's subtree totals."""
    overall = [sum(c[i] for c in direct.values()) for i in range(8)]
    rows = []
    for slug, path in sections.paths.items():
        if scope is not None and slug not in scope:
            continue
        total = [0] * 8
        for sub in sections.subtree(slug):
            for i, n in enumerate(direct.get(sub, ())):
                total[i] += n
        rows.append((path, total))
    return overall, rows


def reading(
    db: sqlite3.Connection, scope: list[str] | None
) -> list[tuple[str, str, str | None, str]]:
    """(id, title, title_zh, section) of the entries being read, in reading order."""
    inside = (" AND " + in_list("e.section", scope)) if scope is not None else ""
    return db.execute(
        "SELECT e.id, e.title, e.title_zh, e.section FROM st.current c JOIN cat.entries e"
        f" ON e.id = c.entry WHERE c.field = 'status' AND c.value = ?{inside} ORDER BY e.ord",
        [MARKED[0], *(scope or ())],
    ).fetchall()


def _plain_counts(counts: list[int]) -> list[object]:
    """progressview's columns: total, unread, reading, done, skipped, minutes left."""
    return [*counts[:5], counts[6]]


Progress = tuple[list[int], list[tuple[str, list[int]]], list[str] | None]


def progress_counts(db: sqlite3.Connection, values: dict[str, object]) -> Progress | None:
    """``progress [--section S]``'s overall counts, each section's (by path) and the
    sections in scope (None: all); None for an unknown section or an empty catalog."""
    sections = Sections(db)
    section = values.get("section")
    scope = None
    if section is not None:
        if section not in sections.paths:
            return None
        scope = sections.subtree(str(section))
    overall, per_section = totals(counts(db, sections, scope), sections, scope)
    return (overall, per_section, scope) if overall[0] else None


def progress_answer(db: sqlite3.Connection, lang: str, values: dict[str, object]) -> str | None:
    """``canon progress [--section S]``."""
    found = progress_counts(db, values)
    if found is None:
        return None
    overall, per_section, scope = found
    rows: Rows = [["all", *_plain_counts(overall)]]
    rows += [[path, *_plain_counts(these)] for path, these in per_section]
    rows += [["reading", i, title_in(t, tz, lang)] for i, t, tz, _s in reading(db, scope)]
    return text_lines(rows)


def finished_days(db: sqlite3.Connection) -> dict[date, int]:
    """StateStore.finished_days: entries done, by the local day they were finished."""
    found: dict[date, int] = {}
    for day, count in db.execute(
        "SELECT date(substr(f.value, 2, length(f.value) - 2), 'localtime') AS day,"
        " count(*) FROM st.current AS f JOIN st.current AS s"
        " ON s.entry = f.entry AND s.field = 'status' AND s.value = '\"done\"'"
        " WHERE f.field = 'finished' AND f.value != 'null' GROUP BY day ORDER BY day"
    ):
        if day is not None:
            key = date.fromisoformat(day)
            found[key] = found.get(key, 0) + int(count)
    return found


class Board:
    """reading/dashboard.Dashboard's values, as both the pipe and the terminal show them."""

    __slots__ = ("now", "overall", "section", "streak", "upcoming", "week")

    def __init__(self, db: sqlite3.Connection, today: date | None) -> None:
        sections = Sections(db)
        overall, per_section = totals(counts(db, sections, None), sections, None)
        self.overall = overall
        self.now = reading(db, None)
        self.upcoming: list[tuple[str, str, str | None, str]] = db.execute(
            f"SELECT e.id, e.title, e.title_zh, e.section {FROM}"
            f" WHERE c.value IS NULL OR c.value NOT IN ({','.join('?' * len(MARKED))})"
            " ORDER BY e.ord LIMIT ?",
            [*MARKED, UPCOMING],
        ).fetchall()
        first = self.now or self.upcoming
        self.section: tuple[str, list[int]] | None = None
        if first:
            path = sections.paths[first[0][3]]
            self.section = (path, dict(per_section)[path])
        today = today or date.today()
        days = finished_days(db)
        self.streak, self.week = current_streak(days, today), week_total(days, today)


def dashboard_answer(
    db: sqlite3.Connection, lang: str, values: dict[str, object], today: date | None = None
) -> str | None:
    """``canon``: being read, the next unread, overall and section progress, streak, week."""
    board = Board(db, today)
    if not board.overall[0]:
        return None
    rows: Rows = [["reading", i, title_in(t, tz, lang)] for i, t, tz, _s in board.now]
    rows += [["next", i, title_in(t, tz, lang)] for i, t, tz, _s in board.upcoming]
    rows.append(["overall", board.overall[3] + board.overall[4], board.overall[0]])
    if board.section is not None:
        path, theirs = board.section
        rows.append(["section", path, theirs[3] + theirs[4], theirs[0]])
    rows += [["streak", board.streak], ["week", board.week]]
    return text_lines(rows)
