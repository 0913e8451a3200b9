"""``canon plan`` as text and JSON."""

from __future__ import annotations

from typing import Any

from canon_cli.catalog.store import Catalog
from canon_cli.i18n import _, ngettext
from canon_cli.output import render, streams
from canon_cli.output.words import duration, short_duration
from canon_cli.reading.plan import Pace, Plan
from canon_cli.text import clean_line


def plan_json(plan: Plan) -> dict[str, Any]:
    finish = plan.finish
    return {
        "start": plan.start.isoformat(),
        "per_week_minutes": plan.pace.minutes_per_week,
        "pace": "measured" if plan.pace.measured else "given",
        "measured": (
            {
                "minutes_done": plan.pace.minutes_done,
                "entries_done": plan.pace.entries_done,
                "days": plan.pace.days,
            }
            if plan.pace.measured
            else None
        ),
        "minutes_left": plan.minutes_left,
        "finish_week": finish.number if finish else 0,
        "finish_date": finish.end.isoformat() if finish else None,
        "weeks": [
            {
                "week": week.number,
                "start": week.start.isoformat(),
                "end": week.end.isoformat(),
                "minutes": sum(slot.minutes for slot in week.slots),
                "entries": [
                    {
                        "id": slot.entry.id,
                        "title": slot.entry.title,
                        "minutes": slot.minutes,
                        "entry_minutes": slot.entry.minutes,
                        "finishes": slot.finishes,
                    }
                    for slot in week.slots
                ],
            }
            for week in plan.weeks
        ],
        "sections": [
            {"section": list(s.path), "finish_week": s.week, "finish_date": s.end.isoformat()}
            for s in plan.sections
        ],
        "unestimated": [entry.id for entry in plan.unestimated],
    }


def _pace_line(pace: Pace) -> str:
    per_week = duration(pace.minutes_per_week)
    if not pace.measured:
        return _("Plan at {time} a week (--per-week).").format(time=per_week)
    done = duration(pace.minutes_done)
    entries = ngettext("{count} entry", "{count} entries", pace.entries_done)
    days = ngettext("{days} day", "{days} days", pace.days)
    line = _("Plan at your pace: {time} a week ({done} in {entries} over {days}).")
    return line.format(
        time=per_week,
        done=done,
        entries=entries.format(count=pace.entries_done),
        days=days.format(days=pace.days),
    )


def plan_lines(catalog: Catalog, plan: Plan, lang: str) -> list[tuple[str, str]]:
    """(style, line) pairs: the pace, each week's reading, when each section is done."""
    lines = [("bold", _pace_line(plan.pace))]
    if plan.finish is None:
        lines.append(("", _("Nothing left to plan: every entry is done or skipped.")))
    for week in plan.weeks:
        lines.append(("", ""))
        total = duration(sum(slot.minutes for slot in week.slots))
        lines.append(
            (
                "bold",
                _("Week {n}  {start} – {end}  ({time})").format(
                    n=week.number, start=week.start, end=week.end, time=total
                ),
            )
        )
        for slot in week.slots:
            entry = slot.entry
            title = entry.title_in(lang)
            more = "" if slot.finishes else "  " + _("(continues)")
            lines.append(
                (
                    "",
                    f"  {entry.id:<32} {short_duration(slot.minutes):>5}  "
                    f"{clean_line(title)}{more}",
                )
            )
    if plan.sections:
        lines += [("", ""), ("bold", _("Sections finished"))]
    for finish in plan.sections:
        section = catalog.section_by_slug[finish.path[-1]]
        name = "  " * len(finish.path) + clean_line(section.name(lang))
        lines.append(
            ("", _("{name}  week {n}, {date}").format(name=name, n=finish.week, date=finish.end))
        )
    if plan.finish is not None:
        lines.append(("", ""))
        lines.append(
            (
                "bold",
                _("All of it: week {n}, {date} (about {time})").format(
                    n=plan.finish.number, date=plan.finish.end, time=duration(plan.minutes_left)
                ),
            )
        )
    if plan.unestimated:
        ids = ", ".join(entry.id for entry in plan.unestimated)
        lines.append(
            ("dim", _("Not planned (no reading time in the catalog): {ids}").format(ids=ids))
        )
    return lines


def show_plan(catalog: Catalog, plan: Plan, lang: str, as_json: bool) -> None:
    if as_json:
        streams.print_json(plan_json(plan))
        return
    lines = plan_lines(catalog, plan, lang)
    if streams.use_rich():
        render.lines(lines)
        return
    for _style, line in lines:
        streams.out(line)
