"""Turning domain results into output: JSON objects, plain rows or rich views.

Commands hand their results here; this module decides the form (JSON, terminal,
pipe) and calls ``render`` for the drawing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from canon_cli.catalog.store import Catalog, Entry
from canon_cli.i18n import _, ngettext
from canon_cli.output import render
from canon_cli.reading.status import entry_status
from canon_cli.state.fold import local_minute, local_text
from canon_cli.text import clean, clean_line

if TYPE_CHECKING:
    from pathlib import Path

    from canon_cli.reading.progress import LogEvent, Progress, Stats
    from canon_cli.state.exchange import Report
    from canon_cli.state.fold import EntryState
    from canon_cli.state.history import Step, Undo

if TYPE_CHECKING:
    from canon_cli.linkcheck.model import LinkResult


def section_heading(catalog: Catalog, entry_section: str, lang: str) -> str:
    section = catalog.section_by_slug[entry_section]
    return " › ".join(catalog.section_by_slug[slug].name(lang) for slug in section.path)


def entry_json(entry: Entry, lang: str, status: str) -> dict[str, Any]:
    return {
        "id": entry.id,
        "title": entry.title,
        "title_zh": entry.title_zh,
        "url": entry.url,
        "links": [{"label": link.label, "url": link.url} for link in entry.links],
        "year": entry.year,
        "section": list(entry.section_path),
        "kind": entry.kind,
        "tags": list(entry.tags),
        "authors": list(entry.authors),
        "summary": entry.summary(lang),
        "status": status,
        "aliases": list(entry.aliases),
        "link_problem": entry.url_problem,
    }


def show_list(
    catalog: Catalog,
    entries: Iterable[Entry],
    statuses: dict[str, str],
    lang: str,
    as_json: bool,
    dead: Collection[str] = frozenset(),
) -> int:
    """Print entries (JSON, rich table or tab-separated lines); return how many.

    ``dead``: ids of entries with a link the last link check found dead (flagged ✗)."""
    if as_json:
        items = [
            {**entry_json(e, lang, entry_status(e, statuses)), "dead_link": e.id in dead}
            for e in entries
        ]
        render.print_json(items)
        return len(items)
    if not render.use_rich():
        count = 0

        def rows() -> Iterable[list[object]]:
            nonlocal count
            for e in entries:
                count += 1
                flag = ("!" if e.url_problem else "") + (" ✗" if e.id in dead else "")
                yield [
                    e.id,
                    e.year or "",
                    e.kind,
                    entry_status(e, statuses),
                    e.section,
                    e.title + flag,
                ]

        render.plain_rows(rows())
        return count
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    current = None
    count = 0
    for e in entries:
        count += 1
        if e.section != current:
            current = e.section
            groups.append((section_heading(catalog, e.section, lang), []))
        groups[-1][1].append(
            {
                "id": e.id,
                "title": e.title_zh if lang == "zh" and e.title_zh else e.title,
                "year": e.year,
                "kind": e.kind,
                "status": entry_status(e, statuses),
                "problem": e.url_problem,
                "dead": e.id in dead,
            }
        )
    if groups:
        render.entry_table(groups, show_status=bool(statuses))
    return count


def record_json(record: EntryState) -> dict[str, Any]:
    """The user's record as JSON: times in the local zone, notes with their ids."""
    return {
        "started": local_text(record.started) if record.started else None,
        "finished": local_text(record.finished) if record.finished else None,
        "rating": record.rating,
        "notes": [{"id": n.id, "at": local_text(n.at), "text": n.text} for n in record.notes],
    }


def show_entry(
    catalog: Catalog,
    entry: Entry,
    lang: str | None,
    record: EntryState,
    as_json: bool,
    checks: Sequence[LinkResult | None] = (),
) -> None:
    """``show``: everything about one entry; ``lang`` None shows both languages.

    ``checks``: what the last link check found for each link, in ``all_links`` order."""
    status = record.status
    if as_json:
        data = entry_json(entry, lang or "en", status)
        data["summary_en"] = entry.summary_en
        data["summary_zh"] = entry.summary_zh
        data["section_names"] = section_heading(catalog, entry.section, lang or "en")
        data.update(record_json(record))
        data["link_checks"] = []
        if checks:  # a 'canon links check' has run
            from canon_cli.output.links import checks_json

            data["link_checks"] = checks_json(checks)
        render.print_json(data)
        return
    pairs: list[tuple[str, str]] = []
    if entry.title_zh:
        pairs.append(("中文标题", entry.title_zh))
    pairs += [
        ("id", entry.id),
        ("section", section_heading(catalog, entry.section, lang or "en")),
        ("kind", entry.kind),
        ("year", str(entry.year or "")),
        ("authors", ", ".join(entry.authors)),
        ("tags", ", ".join(entry.tags)),
        ("status", status),
    ]
    for key, stamp in (("started", record.started), ("finished", record.finished)):
        if stamp:
            pairs.append((key, local_minute(stamp)))
    if record.rating:
        pairs.append(("rating", "★" * record.rating))
    if entry.aliases:
        pairs.append(("aliases", ", ".join(entry.aliases)))
    link_lines = [f"[{i}] {link.label}: {link.url}" for i, link in enumerate(entry.all_links())]
    if checks:  # a 'canon links check' has run
        from canon_cli.output.links import with_verdicts

        link_lines = with_verdicts(link_lines, checks)
    if entry.url_problem:
        link_lines.append(f"(refused to open: {entry.url_problem})")
    blocks: list[tuple[str, str]] = []
    if lang in (None, "en"):
        blocks.append(("Summary", entry.summary_en))
    if lang in (None, "zh") and entry.summary_zh:
        blocks.append(("摘要", entry.summary_zh))
    blocks.append(("Links", "\n".join(link_lines)))
    if record.notes:
        blocks.append(("Notes", "\n".join(f"{local_minute(n.at)}  {n.text}" for n in record.notes)))
    if render.use_rich():
        render.key_values(entry.title, pairs, blocks)
        return
    render.out(clean_line(entry.title))
    for key, value in pairs:
        render.out(f"{key}:\t{clean_line(value)}")
    for heading, body in blocks:
        render.out("")
        render.out(heading + ":")
        for line in body.split("\n"):
            render.out("  " + clean(line))


def show_sections(catalog: Catalog, lang: str, as_json: bool) -> None:
    direct = catalog.section_counts()
    totals = {
        s.slug: sum(direct.get(sub, 0) for sub in catalog.subtree(s.slug)) for s in catalog.sections
    }
    if as_json:
        render.print_json(
            [
                {
                    "slug": s.slug,
                    "name": s.name(lang),
                    "path": list(s.path),
                    "parent": s.parent,
                    "count": totals[s.slug],
                    "description": s.description(lang),
                }
                for s in catalog.sections
            ]
        )
        return
    if render.use_rich():
        nodes = [
            (len(s.path) - 1, s.slug, f"{s.name(lang)} ({totals[s.slug]})")
            for s in catalog.sections
        ]
        render.tree(f"{catalog.title or 'Catalog'} ({len(catalog)})", nodes)
        return
    render.plain_rows(
        ["  " * (len(s.path) - 1) + s.slug, totals[s.slug], s.name(lang)] for s in catalog.sections
    )


def show_paths(found: dict[str, str], extra_catalogs: list[str], as_json: bool) -> None:
    if as_json:
        render.print_json({**found, "extra_catalogs": extra_catalogs})
        return
    rows = [[key, value] for key, value in found.items()]
    rows += [["extra catalog", path] for path in extra_catalogs]
    render.plain_rows(rows)


def confirm(message: str) -> None:
    render.note(message)


STATUS_VERB = {"reading": "started", "done": "done", "skipped": "skipped", "unread": "reset"}


def mark_not_saved(entry: Entry, problem: Exception) -> None:
    """The entry is opened (or printed) anyway; say that its mark was lost and why."""
    render.warning(
        _("{id} was not marked as reading: {problem}").format(id=entry.id, problem=problem)
    )


def show_marks(changes: list[tuple[Entry, bool]], status: str) -> None:
    """One line per entry on stderr: what changed, or that nothing needed to."""
    for entry, changed in changes:
        if changed:
            render.note(f"{STATUS_VERB[status]}: {entry.id}  {entry.title}")
        else:
            render.note(f"unchanged (already {status}): {entry.id}")


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
        render.print_json(progress_json(summary))
        return
    titles = catalog.titles(summary.reading_now)
    reading = [(entry_id, titles.get(entry_id, "")) for entry_id in summary.reading_now]
    if render.use_rich():
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
        )
        return
    render.plain_rows([["all", *summary.overall]])
    render.plain_rows(["/".join(s.path), *s.counts] for s in summary.sections)
    render.plain_rows(["reading", entry_id, title] for entry_id, title in reading)


def show_log(events: list[LogEvent], as_json: bool) -> None:
    if as_json:
        render.print_json(
            [
                {"at": local_text(e.at), "event": e.event, "id": e.id, "title": e.title}
                for e in events
            ]
        )
        return
    rows = [[local_minute(e.at), e.event, e.id, e.title] for e in events]
    if render.use_rich():
        if rows:
            render.simple_table(["When", "Event", "ID", "Title"], rows, ["dim", "", "cyan", ""])
        else:
            render.note("Nothing started or finished yet. Try: canon start ID")
        return
    render.plain_rows(rows)


def stats_json(summary: Stats) -> dict[str, Any]:
    return {
        "finished_total": summary.finished_total,
        "months": [{"month": m.month, "finished": m.finished} for m in summary.months],
        "current_streak_days": summary.current_streak_days,
        "longest_streak_days": summary.longest_streak_days,
    }


def show_stats(summary: Stats, as_json: bool) -> None:
    if as_json:
        render.print_json(stats_json(summary))
        return
    peak = max((m.finished for m in summary.months), default=0)
    lines = [("bold", f"Finished: {summary.finished_total}")]
    for m in summary.months:
        width = 0 if peak == 0 else round(30 * m.finished / peak)
        lines.append(("", f"{m.month}  {'█' * width}{' ' if width else ''}{m.finished}"))
    lines.append(
        (
            "",
            f"Current streak: {summary.current_streak_days} day(s); "
            f"longest: {summary.longest_streak_days} day(s)",
        )
    )
    if render.use_rich():
        render.lines(lines)
    else:
        for _, line in lines:
            render.out(line)


def show_merge(report: Report, source: Path) -> None:
    """What a merge or import changed: one line per entry on stdout, a summary on stderr."""
    render.plain_rows([line] for line in report.lines)
    count = len(report.lines)
    render.note(
        ngettext(
            "merged {file}: {n} entry changed", "merged {file}: {n} entries changed", count
        ).format(file=source, n=count)
    )


def show_urls(urls: list[str]) -> None:
    """URLs on stdout, one a line, and nothing else (for scripts, ssh and xargs)."""
    render.plain_rows([url] for url in urls)


def show_launch(
    entry: Entry, opened: list[tuple[str, str]], unopened: list[str], problem: str | None
) -> None:
    """``open``: each (link, url) sent to the browser on stderr; the rest printed to stdout."""
    for link, url in opened:
        render.note(f"opened {entry.id} {link}: {url}")
    if unopened:
        which = "the link" if len(unopened) == 1 else "the links"
        render.note(f"canon: {problem or 'no browser opened it'}; printing {which} instead.")
        show_urls(unopened)


def show_tags(catalog: Catalog, as_json: bool) -> None:
    """``tags``: the controlled vocabulary, with how many entries carry each tag."""
    counts = catalog.tag_counts()
    if as_json:
        render.print_json(
            [
                {"tag": tag, "description": catalog.tags.get(tag, ""), "count": count}
                for tag, count in counts.items()
            ]
        )
        return
    rows = [[tag, str(count), catalog.tags.get(tag, "")] for tag, count in counts.items()]
    if render.use_rich():
        render.simple_table(["Tag", "Entries", "Description"], rows, ["cyan", "", ""])
        return
    render.plain_rows(rows)


def _value_text(field: str, value: object) -> str:
    if value is None:
        return "-"
    if field in ("started", "finished") and isinstance(value, str):
        return local_minute(value)
    if isinstance(value, dict):
        text = clean_line(str(value.get("text", "")))
        return text if len(text) <= 40 else text[:39] + "…"
    return clean_line(str(value))


def _field_name(field: str) -> str:
    return "note" if field.startswith("note:") else field


def show_undo(result: Undo) -> None:
    """What ``undo`` took back: one line per field restored, on stdout."""
    render.note(_("took back: canon {command}").format(command=clean_line(result.label)))
    render.plain_rows(
        [
            r.entry,
            _field_name(r.field),
            f"{_value_text(r.field, r.undone)} -> {_value_text(r.field, r.restored)}",
        ]
        for r in result.restored
    )
    for entry, field in result.kept:
        render.note(
            _("kept {entry} {field}: changed again since").format(
                entry=entry, field=_field_name(field)
            )
        )


def show_history(steps: list[Step], device: str | None, as_json: bool) -> None:
    from datetime import UTC, datetime

    def when(ms: int) -> datetime:
        return datetime.fromtimestamp(ms / 1000, UTC).astimezone()

    if as_json:
        render.print_json(
            [
                {
                    "at": when(s.wall_ms).isoformat(timespec="seconds"),
                    "device": s.device,
                    "this_device": s.device == device,
                    "id": s.entry,
                    "field": s.field,
                    "old": s.old,
                    "new": s.new,
                    "command": s.command,
                }
                for s in steps
            ]
        )
        return
    rows = [
        [
            when(s.wall_ms).strftime("%Y-%m-%d %H:%M"),
            _("this device") if s.device == device else s.device[:8],
            s.entry,
            _field_name(s.field),
            f"{_value_text(s.field, s.old)} -> {_value_text(s.field, s.new)}",
        ]
        for s in steps
    ]
    if render.use_rich():
        if rows:
            render.simple_table(
                ["When", "Device", "ID", "Field", "Change"], rows, ["dim", "", "cyan", "", ""]
            )
        else:
            render.note(_("No changes yet. Try: canon start ID"))
        return
    render.plain_rows(rows)
