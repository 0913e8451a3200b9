"""Turning domain results into output: JSON objects, plain rows or rich views.

Commands hand their results here; this module decides the form (JSON, terminal,
pipe) and calls ``render`` for the drawing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from canon_cli.catalog.store import Catalog, Entry
from canon_cli.i18n import _, language, ngettext
from canon_cli.output import render, streams
from canon_cli.output.words import kind_label, link_label, stars, status_label, when
from canon_cli.reading.status import entry_status
from canon_cli.state.fold import local_text
from canon_cli.text import clean, clean_line

if TYPE_CHECKING:
    from canon_cli.catalog.query import Hit
    from canon_cli.linkcheck.model import LinkResult
    from canon_cli.state.fold import EntryState, Note


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
        "minutes": entry.minutes,
        "arxiv": entry.arxiv,
        "doi": entry.doi,
        "venue": None if entry.venue is None else entry.venue._asdict(),
        "note": entry.note(lang),
        "archive": entry.archive,
    }


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


def _citation_pairs(entry: Entry) -> list[tuple[str, str]]:
    """``show``'s lines for the reading time and the citation identifiers, where known."""
    pairs: list[tuple[str, str]] = []
    if entry.minutes:
        pairs.append((_("time"), _("about {time}").format(time=duration(entry.minutes))))
    if entry.venue is not None:
        pairs.append((_("venue"), entry.venue.label()))
    if entry.arxiv:
        pairs.append((_("arxiv"), entry.arxiv))
    if entry.doi:
        pairs.append((_("doi"), entry.doi))
    return pairs


def show_list(
    catalog: Catalog,
    entries: Iterable[Entry],
    statuses: dict[str, str],
    lang: str,
    as_json: bool,
    dead: Collection[str] = frozenset(),
    ratings: Mapping[str, int] | None = None,
    sorted_by: str | None = None,
    empty: str = "",
) -> int:
    """Print entries (JSON, rich table or tab-separated lines); return how many.

    ``dead``: ids of entries with a link the last link check found dead (flagged ✗).
    ``ratings``: the reader's, by id (JSON and the terminal show them; the plain lines
    keep their documented columns). ``sorted_by``: the entries are not in curriculum
    order, so a terminal shows them as one table, not by section. ``empty``: what to say
    on stderr when there are none (nothing on stdout, but JSON's ``[]``)."""
    count = _show_list(catalog, entries, statuses, lang, as_json, dead, ratings or {}, sorted_by)
    if count == 0 and empty and not as_json:
        streams.note(empty)
    return count


def _show_list(
    catalog: Catalog,
    entries: Iterable[Entry],
    statuses: dict[str, str],
    lang: str,
    as_json: bool,
    dead: Collection[str],
    rated: Mapping[str, int],
    sorted_by: str | None,
) -> int:
    if as_json:
        items = [
            {
                **entry_json(e, lang, entry_status(e, statuses)),
                "rating": rated.get(e.id),
                "dead_link": e.id in dead,
            }
            for e in entries
        ]
        streams.print_json(items)
        return len(items)
    if not streams.use_rich():
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
                    e.title_in(lang) + flag,
                ]

        streams.plain_rows(rows())
        return count
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    current = None
    count = 0
    for e in entries:
        count += 1
        if sorted_by is not None and not groups:
            groups.append((sort_heading(sorted_by), []))
        elif sorted_by is None and e.section != current:
            current = e.section
            groups.append((section_heading(catalog, e.section, lang), []))
        status = entry_status(e, statuses)
        groups[-1][1].append(
            {
                "id": e.id,
                "title": e.title_in(lang),
                "year": e.year,
                "kind": kind_label(e.kind),
                "time": short_duration(e.minutes),
                "status": status,
                "status_label": status_label(status),
                "problem": e.url_problem,
                "dead": e.id in dead,
                "rating": stars(rated.get(e.id)),
            }
        )
    if groups:
        render.entry_table(groups, show_rating=bool(rated), by_rating=sorted_by == "rating")
    return count


def sort_heading(key: str) -> str:
    """The heading of a sorted list on a terminal."""
    return {
        "year": _("By year, oldest first"),
        "title": _("By title"),
        "rating": _("By your rating, best first"),
        "finished": _("By when you finished, latest first"),
    }.get(key, key)


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
        data["note_en"] = entry.note_en
        data["note_zh"] = entry.note_zh
        data["section_names"] = section_heading(catalog, entry.section, lang or "en")
        data.update(record_json(record))
        data["link_checks"] = []
        if checks:  # a 'canon links check' has run
            from canon_cli.output.links import checks_json

            data["link_checks"] = checks_json(checks)
        streams.print_json(data)
        return
    if not streams.use_rich():
        _show_entry_plain(catalog, entry, lang, record, status, checks)
        return
    pairs: list[tuple[str, str]] = []
    if entry.title_zh:
        pairs.append((_("Chinese title"), entry.title_zh))
    pairs += [
        (_("id"), entry.id),
        (_("section"), section_heading(catalog, entry.section, lang or language())),
        (_("kind"), kind_label(entry.kind)),
        (_("year"), str(entry.year or "")),
        (_("authors"), ", ".join(entry.authors)),
        (_("tags"), ", ".join(entry.tags)),
        *_citation_pairs(entry),
        (_("status"), status_label(status)),
    ]
    if record.started:
        pairs.append((_("started"), when(record.started)))
    if record.finished:
        pairs.append((_("finished"), when(record.finished)))
    if record.rating:
        pairs.append((_("rating"), stars(record.rating)))
    if entry.aliases:
        pairs.append((_("aliases"), ", ".join(entry.aliases)))
    link_lines = [
        f"[{i}] {link_label(link.label)}: {link.url}" for i, link in enumerate(entry.all_links())
    ]
    if checks:  # a 'canon links check' has run
        from canon_cli.output.links import with_verdicts

        link_lines = with_verdicts(link_lines, checks)
    if entry.url_problem:
        link_lines.append(_("(refused to open: {problem})").format(problem=entry.url_problem))
    blocks: list[tuple[str, str]] = []
    if lang in (None, "en"):
        blocks.append((_("Summary") if lang else "Summary", entry.summary_en))
    if lang in (None, "zh") and entry.summary_zh:
        blocks.append(("摘要", entry.summary_zh))
    if lang in (None, "en") and entry.note_en:
        blocks.append((_("Editor's note"), entry.note_en))
    if lang in (None, "zh") and entry.note_zh:
        blocks.append(("编者注", entry.note_zh))
    blocks.append((_("Links"), "\n".join(link_lines)))
    if record.notes:
        blocks.append((_("Notes"), numbered_notes(record.notes)))
    render.key_values(entry.title_in(lang or language()), pairs, blocks)


def numbered_notes(notes: Sequence[Note]) -> str:
    """``show``'s notes, oldest first, numbered as ``note ID --edit N`` counts them."""
    return "\n".join(f"[{i}] {when(n.at)}  {n.text}" for i, n in enumerate(notes, 1))


def _show_entry_plain(
    catalog: Catalog,
    entry: Entry,
    lang: str | None,
    record: EntryState,
    status: str,
    checks: Sequence[LinkResult | None] = (),
) -> None:
    """``show`` to a pipe: ``field:<TAB>value`` lines with canon's field names and
    vocabulary (the same in every language, for scripts), then the text blocks."""
    pairs = [
        ("title_zh", entry.title_zh or ""),
        ("id", entry.id),
        ("section", section_heading(catalog, entry.section, lang or language())),
        ("kind", entry.kind),
        ("year", str(entry.year or "")),
        ("authors", ", ".join(entry.authors)),
        ("tags", ", ".join(entry.tags)),
        ("minutes", str(entry.minutes or "")),
        ("venue", entry.venue.label() if entry.venue else ""),
        ("arxiv", entry.arxiv or ""),
        ("doi", entry.doi or ""),
        ("status", status),
        ("started", when(record.started)),
        ("finished", when(record.finished)),
        ("rating", str(record.rating or "")),
        ("aliases", ", ".join(entry.aliases)),
    ]
    streams.out(clean_line(entry.title))
    for key, value in pairs:
        if value:
            streams.out(f"{key}:\t{clean_line(value)}")
    blocks = []
    if lang in (None, "en"):
        blocks.append(("summary", entry.summary_en))
    if lang in (None, "zh") and entry.summary_zh:
        blocks.append(("summary_zh", entry.summary_zh))
    if lang in (None, "en") and entry.note_en:
        blocks.append(("note", entry.note_en))
    if lang in (None, "zh") and entry.note_zh:
        blocks.append(("note_zh", entry.note_zh))
    links = [
        f"[{i}] {link_label(link.label)}: {link.url}" for i, link in enumerate(entry.all_links())
    ]
    if checks:  # a 'canon links check' has run
        from canon_cli.output.links import with_verdicts

        links = with_verdicts(links, checks)
    blocks.append(("links", "\n".join(links)))
    if record.notes:
        blocks.append(("notes", numbered_notes(record.notes)))
    for heading, body in blocks:
        streams.out("")
        streams.out(heading + ":")
        for line in body.split("\n"):
            streams.out("  " + clean(line))


def show_sections(catalog: Catalog, lang: str, as_json: bool) -> None:
    direct = catalog.section_counts()
    totals = {
        s.slug: sum(direct.get(sub, 0) for sub in catalog.subtree(s.slug)) for s in catalog.sections
    }
    if as_json:
        streams.print_json(
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
    if streams.use_rich():
        nodes = [
            (len(s.path) - 1, s.slug, f"{s.name(lang)} ({totals[s.slug]})")
            for s in catalog.sections
        ]
        render.tree(f"{catalog.title or 'Catalog'} ({len(catalog)})", nodes)
        return
    streams.plain_rows(
        ["  " * (len(s.path) - 1) + s.slug, totals[s.slug], s.name(lang)] for s in catalog.sections
    )


def show_paths(found: dict[str, str], extra_catalogs: list[str], as_json: bool) -> None:
    if as_json:
        streams.print_json({**found, "extra_catalogs": extra_catalogs})
        return
    rows = [[key, value] for key, value in found.items()]
    rows += [["extra catalog", path] for path in extra_catalogs]
    streams.plain_rows(rows)


def confirm(message: str) -> None:
    streams.note(message)


def show_bytes(data: bytes) -> None:
    """An export on stdout, byte for byte."""
    streams.write_bytes(data)


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


def mark_not_saved(entry: Entry, problem: Exception) -> None:
    """The entry is opened (or printed) anyway; say that its mark was lost and why."""
    streams.warning(
        _("{id} was not marked as reading: {problem}").format(id=entry.id, problem=problem)
    )


def show_marks(changes: list[tuple[Entry, bool]], status: str) -> None:
    """One line per entry on stderr: what changed, or that nothing needed to."""
    verb = {
        "reading": _("started: {id}  {title}"),
        "done": _("done: {id}  {title}"),
        "skipped": _("skipped: {id}  {title}"),
        "unread": _("reset: {id}  {title}"),
    }[status]
    for entry, changed in changes:
        if changed:
            streams.note(verb.format(id=entry.id, title=entry.title_in(language())))
        else:
            streams.note(
                _("unchanged (already {status}): {id}").format(
                    status=status_label(status), id=entry.id
                )
            )


def show_urls(urls: list[str]) -> None:
    """URLs on stdout, one a line, and nothing else (for scripts, ssh and xargs)."""
    streams.plain_rows([url] for url in urls)


def show_launch(
    entry: Entry, opened: list[tuple[str, str]], unopened: list[str], problem: str | None
) -> None:
    """``open``: each (link, url) sent to the browser on stderr; the rest printed to stdout."""
    for link, url in opened:
        streams.note(_("opened {id} {link}: {url}").format(id=entry.id, link=link, url=url))
    if unopened:
        why = problem or _("no browser opened it")
        streams.note(
            ngettext(
                "canon: {problem}; printing the link instead.",
                "canon: {problem}; printing the links instead.",
                len(unopened),
            ).format(problem=why)
        )
        show_urls(unopened)


def show_tags(catalog: Catalog, lang: str, as_json: bool) -> None:
    """``tags``: the controlled vocabulary, with how many entries carry each tag."""
    counts = catalog.tag_counts()
    if as_json:
        streams.print_json(
            [
                {
                    "tag": tag,
                    "description": catalog.tags.get(tag, ""),
                    "description_zh": catalog.tags_zh.get(tag),
                    "count": count,
                }
                for tag, count in counts.items()
            ]
        )
        return
    rows = [[tag, str(count), catalog.tag_description(tag, lang)] for tag, count in counts.items()]
    if streams.use_rich():
        render.simple_table([_("Tag"), _("Entries"), _("Description")], rows, ["cyan", "", ""])
        return
    streams.plain_rows(rows)
