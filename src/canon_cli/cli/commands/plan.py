"""``canon plan``: a week-by-week reading plan in curriculum order."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from canon_cli.cli.helptext import command_help
from canon_cli.cli.options import JsonOpt, option
from canon_cli.cli.session import Session
from canon_cli.i18n import N_

app = typer.Typer()


def today() -> date:
    """The plan's first day (tests replace this to plan on a fixed date)."""
    return date.today()


@app.command(
    help=command_help(
        N_("Plan what to read each week, in curriculum order, and when each section is done."),
        N_(
            "Without --per-week the pace is measured: the reading time of what you finished, over "
            "the days since your first finish."
        ),
        example="canon plan --per-week 5h",
    )
)
def plan(
    ctx: typer.Context,
    per_week: Annotated[str | None, option("plan", "per_week")] = None,
    section: Annotated[str | None, option("plan", "section")] = None,
    as_json: JsonOpt = False,
) -> None:
    from canon_cli.catalog.query import Filters, check_filters
    from canon_cli.errors import FailureError
    from canon_cli.i18n import _
    from canon_cli.output.planview import show_plan
    from canon_cli.reading.plan import Pace, entries_left, make_plan, measured_pace, parse_per_week
    from canon_cli.reading.status import records

    session: Session = ctx.obj
    catalog = session.catalog()
    sections = (section,) if section else ()
    if sections:
        check_filters(catalog, Filters(sections=sections))
    start = today()
    if per_week is not None:
        pace = Pace(parse_per_week(per_week), measured=False)
    else:
        measured = measured_pace(catalog, records(session.reading_state(), catalog), start)
        if measured is None:
            raise FailureError(
                _("no reading pace yet: nothing with a reading time is marked done"),
                hint=_("Give one: canon plan --per-week 5h (or finish an entry: canon done ID)."),
            )
        pace = measured
    left = entries_left(catalog, session.statuses(), sections)
    show_plan(catalog, make_plan(catalog, left, pace, start), session.lang(), as_json)
