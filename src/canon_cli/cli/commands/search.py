"""The search command: ranked search over the catalog."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from canon_cli.cli.options import JsonOpt, KindOpt, LimitOpt, SectionOpt, StatusOpt, TagOpt, YearOpt
from canon_cli.cli.session import Session
from canon_cli.output import render

if TYPE_CHECKING:
    from canon_cli.catalog.query import Hit

app = typer.Typer()


# --- search -----------------------------------------------------------------


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(metavar="QUERY...", help="Words that must all match."),
    ],
    section: SectionOpt = None,
    tag: TagOpt = None,
    kind: KindOpt = None,
    year: YearOpt = None,
    status: StatusOpt = None,
    limit: LimitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Search titles, authors, tags and summaries (English and Chinese), best first.

    Every word must match. Title, author and tag matches rank above matches found only
    in a summary; a mistyped word also matches close spellings.

    Example: canon search "retrieval language" --section research -n 5
    """
    from itertools import islice

    from canon_cli.cli.actions import make_filters
    from canon_cli.reading.status import search_entries

    session: Session = ctx.obj
    catalog = session.catalog()
    statuses = session.statuses()
    text = " ".join(query)
    filters = make_filters(section, year, tag, kind, None, status)
    hits = list(islice(search_entries(catalog, text, filters, statuses), limit))
    _show_hits(hits, statuses, session.lang(), as_json)
    if not hits and not as_json:
        render.note(f"No entries match {text!r}.")


def _show_hits(hits: list[Hit], statuses: dict[str, str], lang: str, as_json: bool) -> None:
    from canon_cli.output.views import entry_json
    from canon_cli.reading.status import entry_status

    if as_json:
        render.print_json(
            [
                {
                    **entry_json(h.entry, lang, entry_status(h.entry, statuses)),
                    "match": "title-author-tag" if h.strong else "summary-only",
                }
                for h in hits
            ]
        )
    elif not render.use_rich():
        render.plain_rows(
            [
                h.entry.id,
                h.entry.year or "",
                h.entry.kind,
                entry_status(h.entry, statuses),
                h.entry.section,
                h.entry.title + ("!" if h.entry.url_problem else ""),
            ]
            for h in hits
        )
    elif hits:
        rows = [
            {
                "id": h.entry.id,
                "title": h.entry.title_zh if lang == "zh" and h.entry.title_zh else h.entry.title,
                "year": h.entry.year,
                "kind": h.entry.kind,
                "status": entry_status(h.entry, statuses),
                "problem": h.entry.url_problem,
                "strong": h.strong,
            }
            for h in hits
        ]
        render.hit_table(rows, show_status=bool(statuses))
