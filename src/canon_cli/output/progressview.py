"""What ``progress``, ``log`` and ``stats`` show: JSON, plain rows or a rich view."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from canon_cli.i18n import _, ngettext
from canon_cli.output import render, streams
from canon_cli.output.words import short_duration, time_left_line, when
from canon_cli.state.fold import local_text
from canon_cli.vocab import STATUSES

if TYPE_CHECKING:
    from canon_cli.catalog.store import Catalog
    from canon_cli.reading.progress import Counts, LogEvent, Progress, Stats


def section_name(catalog: Catalog, path: tuple[str, ...], lang: str) -> str:
    return catalog.section_by_slug[path[-1]].name(lang)


def progress_json(summary: Progress) -> dict[str, Any]:
    return {
        **summary.overall.as_dict(),
        "sections": [{"section": list(s.path), **s.counts.as_dict()} for s in summary.sections],
        "reading_now": list(summary.reading_now),
    }


def show_progress(catalog: Catalog, summary: Progress, lang: str, as_json: bool) -> None:
    if as_json:
        streams.print_json(progress_json(summary))
        return
    titles = catalog.titles(summary.reading_now, lang)
    reading = [(entry_id, titles.get(entry_id, "")) for entry_id in summary.reading_now]
    if streams.use_rich():
        render.progress_view(
            summary.overall.as_dict(),
            [
                (
                    len(s.path) - 1,
                    catalog.section_by_slug[s.path[-1]].name(lang),
                    s.counts.as_dict(),
                )
                for s in summary.sections
            ],
            reading,
            time_left=time_left(summary.overall),
            section_times=[short_duration(s.counts.minutes_left) or "-" for s in summary.sections],
        )
        return

    # plain: the counts, then the minutes left as the last column
    def plain(counts: Counts) -> list[int]:
        return [counts.total, *(getattr(counts, s) for s in STATUSES), counts.minutes_left]

    streams.plain_rows([["all", *plain(summary.overall)]])
    streams.plain_rows(["/".join(s.path), *plain(s.counts)] for s in summary.sections)
    streams.plain_rows(["reading", entry_id, title] for entry_id, title in reading)


def time_left(counts: Counts) -> str:
    """``progress``'s sentence on the reading time left, with the entries it cannot count."""
    return time_left_line(counts.minutes_left, counts.left_without_estimate)


def show_log(events: list[LogEvent], as_json: bool) -> None:
    if as_json:
        streams.print_json(
            [
                {"at": local_text(e.at), "event": e.event, "id": e.id, "title": e.title}
                for e in events
            ]
        )
        return
    if not streams.use_rich():
        streams.plain_rows([when(e.at), e.event, e.id, e.title] for e in events)
        return
    if not events:
        streams.note(_("Nothing started or finished yet. Try: canon start ID"))
        return
    event_words = {"started": _("started"), "finished": _("finished")}
    rows = [[when(e.at), event_words.get(e.event, e.event), e.id, e.title] for e in events]
    render.simple_table(
        [_("When"), _("Event"), _("ID"), _("Title")], rows, ["dim", "", "cyan", ""], whole=(0, 2)
    )


def stats_json(summary: Stats) -> dict[str, Any]:
    return {
        "finished_total": summary.finished_total,
        "months": [{"month": m.month, "finished": m.finished} for m in summary.months],
        "current_streak_days": summary.current_streak_days,
        "longest_streak_days": summary.longest_streak_days,
    }


def show_stats(summary: Stats, as_json: bool) -> None:
    if as_json:
        streams.print_json(stats_json(summary))
        return
    peak = max((m.finished for m in summary.months), default=0)
    lines = [("bold", _("Finished: {count}").format(count=summary.finished_total))]
    for m in summary.months:
        width = 0 if peak == 0 else round(30 * m.finished / peak)
        lines.append(("", f"{m.month}  {'█' * width}{' ' if width else ''}{m.finished}"))
    current, longest = summary.current_streak_days, summary.longest_streak_days
    lines.append(
        (
            "",
            ngettext("Current streak: {days} day", "Current streak: {days} days", current).format(
                days=current
            )
            + _("; ")
            + ngettext("longest: {days} day", "longest: {days} days", longest).format(days=longest),
        )
    )
    if streams.use_rich():
        render.lines(lines)
    else:
        for _style, line in lines:
            streams.out(line)
