"""canon's vocabulary and times as a person reads them, in the run's language.

Statuses and kinds are canon's own words: JSON and tab-separated output keep them as
the values ``--status`` and ``--kind`` take (so scripts work in any language); a
terminal shows them through these functions. Every date and time canon shows goes
through ``when`` or ``day``: one format everywhere, ISO 8601 (``2026-11-21 09:30``),
which is also how dates are written in Chinese technical text (GB/T 7408).
"""

from __future__ import annotations

from canon_cli.i18n import _, language


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
