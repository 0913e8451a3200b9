"""canon's vocabulary, times and reading times as a person reads them, in the run's language.

Statuses and kinds are canon's own words: JSON and tab-separated output keep them as
the values ``--status`` and ``--kind`` take (so scripts work in any language); a
terminal shows them through these functions. Every date and time canon shows goes
through ``when`` or ``day``: one format everywhere, ISO 8601 (``2026-11-21 09:30``),
which is also how dates are written in Chinese technical text (GB/T 7408).
"""

from __future__ import annotations

from canon_cli.i18n import _, language, ngettext


def status_label(status: str) -> str:
    if language() == "en":
        return status
    return {
        "unread": _("unread"),
        "reading": _("reading"),
        "done": _("done"),
        "skipped": _("skipped"),
    }.get(status, status)


def field_label(field: str) -> str:
    """A reading-state field (``status``, ``started``, ``note``...) in the run's language."""
    if language() == "en":
        return field
    return {
        "status": _("status"),
        "started": _("started"),
        "finished": _("finished"),
        "rating": _("rating"),
        "note": _("note"),
    }.get(field, field)


def link_label(label: str) -> str:
    """A link's label; ``main``, canon's name for an entry's own link, in the run's
    language (``open --link main`` takes the English word in any language)."""
    return _("main") if label == "main" and language() != "en" else label


def kind_label(kind: str) -> str:
    if language() == "en":
        return kind
    return {
        "paper": _("paper"),
        "article": _("article"),
        "video": _("video"),
        "talk": _("talk"),
        "course": _("course"),
        "book": _("book"),
        "report": _("report"),
        "leaderboard": _("leaderboard"),
        "repository": _("repository"),
        "website": _("website"),
        "guide": _("guide"),
    }.get(kind, kind)


def when(stamp: str | None) -> str:
    """A stored instant (UTC) as canon shows it: local ``2026-11-21 09:30``."""
    if not stamp:
        return ""
    from canon_cli.state.fold import local_minute

    return local_minute(stamp)


def stars(rating: int | None) -> str:
    """A rating of 1 to 5 as stars (empty when unrated)."""
    return "★" * rating if rating else ""


def duration(minutes: int) -> str:
    """A reading time as people say it: "45 min", "1 h 55 min", "27 h" (from ten hours up,
    whole hours: the figures are estimates, and a total of many adds up their error)."""
    if minutes >= 600:
        minutes = round(minutes / 60) * 60
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("{minutes} min").format(minutes=rest)
    if not rest:
        return _("{hours} h").format(hours=hours)
    return _("{hours} h {minutes} min").format(hours=hours, minutes=rest)


def short_duration(minutes: int | None) -> str:
    """A reading time for a table column: "45m", "1h55", "27h" ("" when unknown)."""
    if not minutes:
        return ""
    if minutes >= 600:
        minutes = round(minutes / 60) * 60
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h{rest:02d}" if rest and hours < 10 else f"{hours}h"


def time_left_line(minutes_left: int, without_estimate: int) -> str:
    """``progress``'s sentence on the reading time left, with the entries it cannot count
    (``without_estimate``: entries left that have no reading time)."""
    if minutes_left == 0 and not without_estimate:
        return _("Time left: none")
    line = _("Time left: about {time}").format(time=duration(minutes_left))
    if without_estimate:
        line += " " + ngettext(
            "(and {count} entry without an estimate)",
            "(and {count} entries without an estimate)",
            without_estimate,
        ).format(count=without_estimate)
    return line
