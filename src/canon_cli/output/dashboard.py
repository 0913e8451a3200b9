"""``canon`` with no command: the dashboard as JSON, tab-separated lines or a small view.

In a pipe each line starts with what it is (canon's own words, the same in every
language, for scripts): ``reading``/``next`` ID TITLE, ``overall`` FINISHED TOTAL,
``section`` PATH FINISHED TOTAL, ``streak`` DAYS, ``week`` FINISHED. Finished counts
done and skipped entries, as ``canon progress`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from canon_cli.i18n import _, ngettext
from canon_cli.output import render, streams

if TYPE_CHECKING:  # the quick path draws the view (view_lines) without these
    from canon_cli.catalog.store import Catalog, Entry
    from canon_cli.reading.dashboard import Dashboard
    from canon_cli.reading.progress import Counts


def _finished(counts: Counts) -> int:
    return counts.done + counts.skipped


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "title": entry.title,
        "title_zh": entry.title_zh,
        "section": list(entry.section_path),
        "minutes": entry.minutes,
    }


def dashboard_json(board: Dashboard, catalog: Catalog, lang: str) -> dict[str, Any]:
    section = None
    if board.section is not None:
        slug = board.section.path[-1]
        section = {
            "section": list(board.section.path),
            "name": catalog.section_by_slug[slug].name(lang),
            **board.section.counts.as_dict(),
        }
    return {
        "reading": [_entry_json(e) for e in board.reading],
        "next": [_entry_json(e) for e in board.upcoming],
        "overall": board.overall.as_dict(),
        "section": section,
        "streak_days": board.streak_days,
        "finished_this_week": board.finished_this_week,
        "week_start": board.week_start.isoformat(),
    }


def show_dashboard(board: Dashboard, catalog: Catalog, lang: str, as_json: bool) -> None:
    if as_json:
        streams.print_json(dashboard_json(board, catalog, lang))
    elif streams.use_rich():
        render.lines(_view_lines(board, catalog, lang))
    else:
        streams.plain_rows(_plain_rows(board, lang))


def _plain_rows(board: Dashboard, lang: str) -> list[list[object]]:
    rows: list[list[object]] = [["reading", e.id, e.title_in(lang)] for e in board.reading]
    rows += [["next", e.id, e.title_in(lang)] for e in board.upcoming]
    rows.append(["overall", _finished(board.overall), board.overall.total])
    if board.section is not None:
        counts = board.section.counts
        rows.append(["section", "/".join(board.section.path), _finished(counts), counts.total])
    rows.append(["streak", board.streak_days])
    rows.append(["week", board.finished_this_week])
    return rows


def _progress_line(finished: int, total: int, label: str) -> str:
    pct = 0 if total == 0 else 100 * finished // total
    return f"  {render.bar(finished, total, 20)}  {finished}/{total} ({pct}%)  {label}"


def _view_lines(board: Dashboard, catalog: Catalog, lang: str) -> list[tuple[str, str]]:
    section = None
    if board.section is not None:
        counts = board.section.counts
        name = catalog.section_by_slug[board.section.path[-1]].name(lang)
        section = (name, _finished(counts), counts.total)
    return view_lines(
        [(e.id, e.title_in(lang)) for e in board.reading],
        [(e.id, e.title_in(lang)) for e in board.upcoming],
        (_finished(board.overall), board.overall.total),
        section,
        board.streak_days,
        board.finished_this_week,
    )


def view_lines(
    reading: list[tuple[str, str]],
    upcoming: list[tuple[str, str]],
    overall: tuple[int, int],
    section: tuple[str, int, int] | None,
    streak_days: int,
    week: int,
) -> list[tuple[str, str]]:
    """The terminal view's (style, line) pairs: entries as (id, title in the reader's
    language), progress as (finished, total), the section's with its name first (the
    quick path, quick/terminal.py, draws it from the same values)."""
    lines: list[tuple[str, str]] = [("bold", _("Reading now"))]
    if reading:
        lines += [("yellow", f"  {entry_id}  {title}") for entry_id, title in reading]
    else:
        lines.append(("dim", "  " + _("nothing yet; start one with: canon start ID")))
    lines.append(("bold", _("Next up")))
    if upcoming:
        lines += [("", f"  {entry_id}  {title}") for entry_id, title in upcoming]
    else:
        lines.append(("dim", "  " + _("nothing left unread")))
    lines.append(("bold", _("Progress")))
    lines.append(("green", _progress_line(*overall, _("overall"))))
    if section is not None:
        lines.append(("green", _progress_line(section[1], section[2], section[0])))
    streak = ngettext("Streak: {days} day", "Streak: {days} days", streak_days).format(
        days=streak_days
    )
    week_line = ngettext(
        "{count} entry finished this week",
        "{count} entries finished this week",
        week,
    ).format(count=week)
    lines.append(("", streak + _("; ") + week_line))
    return lines
