"""``search``: hits best first, as JSON (with where each matched), plain rows in
``list``'s columns, or a table where hits found only in a summary are drawn apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from canon_cli.i18n import _
from canon_cli.output import render, streams
from canon_cli.output.views import entry_json
from canon_cli.output.words import kind_label, status_label
from canon_cli.reading.status import entry_status

if TYPE_CHECKING:
    from canon_cli.catalog.query import Hit


def match_kind(hit: Hit) -> str:
    """Where a search hit matched, for ``search --json``."""
    if hit.in_notes:
        return "note"
    return "title-author-tag" if hit.strong else "summary-only"


def show_hits(
    hits: list[Hit], statuses: dict[str, str], lang: str, query: str, as_json: bool
) -> None:
    """``search``: hits best first (JSON, plain rows or a table); a note when none."""
    if as_json:
        streams.print_json(
            [
                {
                    **entry_json(h.entry, lang, entry_status(h.entry, statuses)),
                    "match": match_kind(h),
                }
                for h in hits
            ]
        )
        return
    if not streams.use_rich():
        streams.plain_rows(
            [
                h.entry.id,
                h.entry.year or "",
                h.entry.kind,
                entry_status(h.entry, statuses),
                h.entry.section,
                h.entry.title_in(lang) + ("!" if h.entry.url_problem else ""),
            ]
            for h in hits
        )
    elif hits:
        rows = [
            {
                "id": h.entry.id,
                "title": h.entry.title_in(lang),
                "year": h.entry.year,
                "kind": kind_label(h.entry.kind),
                "status": entry_status(h.entry, statuses),
                "status_label": status_label(entry_status(h.entry, statuses)),
                "problem": h.entry.url_problem,
                "strong": h.strong,
            }
            for h in hits
        ]
        render.hit_table(rows)
    if not hits:
        streams.note(_("No entries match {query}.").format(query=repr(query)))
