"""The quick path's answers from the reading history: ``log`` and ``stats`` to a pipe.

The columns and lines of ``output/progressview.py``. ``stats`` is answered in English
only: its lines are canon's own words, which under Chinese come from the message
catalog, and reading that is the general path's work.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from canon_cli.days import current_streak, longest_streak, months
from canon_cli.quick.answers import text_lines
from canon_cli.quick.progress import finished_days

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3

BAR = 30  # the longest month's bar, in blocks (progressview.show_stats)


def local_minute(stamp: str) -> str | None:
    """fold.local_minute of a stored instant (``2026-11-21T09:30:00Z``), or None for
    any other form (the general path parses those)."""
    if len(stamp) != 20:
        return None
    shape = "".join(stamp[i] for i in (4, 7, 10, 13, 16, 19))
    digits = "".join(stamp[i] for i in range(19) if i not in (4, 7, 10, 13, 16))
    if shape != "--T::Z" or not (digits.isascii() and digits.isdigit()):
        return None
    year, month, day = int(stamp[0:4]), int(stamp[5:7]), int(stamp[8:10])
    hour, minute, second = int(stamp[11:13]), int(stamp[14:16]), int(stamp[17:19])
    try:
        at = datetime(year, month, day, hour, minute, second, tzinfo=UTC).astimezone()
    except ValueError:
        return None
    return f"{at.year:04d}-{at.month:02d}-{at.day:02d} {at.hour:02d}:{at.minute:02d}"


def log_answer(db: sqlite3.Connection, lang: str, values: dict[str, object]) -> str | None:
    """``canon log [-n N]``: started and finished, newest first, with current titles."""
    limit = values.get("limit")
    newest = (
        "SELECT entry, field, value FROM st.current WHERE field IN ('started', 'finished')"
        " AND value != 'null' ORDER BY value DESC, field = 'finished' DESC, entry"
    )
    if limit:
        newest += " LIMIT ?"
    sql = (  # the newest rows first, then their titles: a join of those rows only
        f"SELECT c.entry, c.field, c.value, a.id, e.title, e.title_zh FROM ({newest}) c"
        " LEFT JOIN cat.aliases a ON a.alias = c.entry"
        " LEFT JOIN cat.entries e ON e.id = c.entry"
        " ORDER BY c.value DESC, c.field = 'finished' DESC, c.entry"
    )
    found = db.execute(sql, [limit] if limit else [])
    events = []
    for entry_id, field, value, alias_of, title, title_zh in found:
        if alias_of is not None or title is None or not value.startswith('"'):
            return None  # a former id or one the catalog lacks: the general path names it
        at = value[1:-1]
        shown = local_minute(at)
        if shown is None:
            return None
        title = title_zh if lang == "zh" and title_zh else title
        events.append((at, field, entry_id, title, shown))
    events.sort(key=lambda e: (e[0], e[1] == "finished"), reverse=True)
    if not events:
        return ""  # to a pipe, no line and no word (progressview.show_log)
    return text_lines([[shown, field, i, title] for _at, field, i, title, shown in events])


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def stats_answer(
    db: sqlite3.Connection, lang: str, values: dict[str, object], today: date | None = None
) -> str | None:
    """``canon stats``: finished per month and the streaks, in English."""
    if lang != "en":
        return None
    today = today or date.today()
    days = finished_days(db)
    filled = months(days, today)
    peak = max((n for _m, n in filled), default=0)
    lines = [f"Finished: {sum(days.values())}"]
    for month, n in filled:
        width = 0 if peak == 0 else round(BAR * n / peak)
        lines.append(f"{month}  {'█' * width}{' ' if width else ''}{n}")
    current, longest = current_streak(days, today), longest_streak(days)
    lines.append(f"Current streak: {_days(current)}; longest: {_days(longest)}")
    return "".join(line + "\n" for line in lines)
