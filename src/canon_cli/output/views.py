"""The entry views: ``list`` and ``show`` as JSON objects, plain rows or
rich views.

Commands hand their results here; this module decides the form (JSON, terminal,
pipe) and calls ``render`` for the drawing. ``search`` hits are drawn by
``searchview.py``, the catalog's own views (sections, tags) by ``catalogview.py``, and
what marking and opening say by ``markview.py``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from canon_cli.catalog.store import Catalog, Entry
from canon_cli.i18n import _, language
from canon_cli.output import streams
from canon_cli.output.words import (
    duration,
    kind_label,
    link_label,
    stars,
    status_label,
    when,
)
from canon_cli.reading.status import entry_status
from canon_cli.state.fold import local_text
from canon_cli.text import clean, clean_line

if TYPE_CHECKING:
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
    rated = ratings or {}
    if as_json:
        items = [_list_json(e, statuses, lang, dead, rated) for e in entries]
        streams.print_json(items)
        return len(items)
    if not streams.use_rich():
        count = _show_list_plain(entries, statuses, lang, dead)
    else:
        groups, count = _list_groups(catalog, entries, statuses, lang, dead, rated, sorted_by)
        if groups:
            from canon_cli.output import render  # rich: only when a table is drawn

            render.entry_table(groups, show_rating=bool(rated), by_rating=sorted_by == "rating")
    if count == 0 and empty:
        streams.note(empty)
    return count


def _list_json(
    e: Entry, statuses: dict[str, str], lang: str, dead: Collection[str], rated: Mapping[str, int]
) -> dict[str, Any]:
    return {
        **entry_json(e, lang, entry_status(e, statuses)),
        "rating": rated.get(e.id),
        "dead_link": e.id in dead,
    }


def _show_list_plain(
    entries: Iterable[Entry], statuses: dict[str, str], lang: str, dead: Collection[str]
) -> int:
    """The documented tab-separated columns, one entry a line, written as they come."""
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


def _list_groups(
    catalog: Catalog,
    entries: Iterable[Entry],
    statuses: dict[str, str],
    lang: str,
    dead: Collection[str],
    rated: Mapping[str, int],
    sorted_by: str | None,
) -> tuple[list[tuple[str, list[dict[str, Any]]]], int]:
    """The terminal table's (heading, rows) blocks: one per section in reading order,
    or one headed by the sort key; and how many entries they hold."""
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
        groups[-1][1].append(_table_row(e, entry_status(e, statuses), lang, dead, rated))
    return groups, count


def _table_row(
    e: Entry, status: str, lang: str, dead: Collection[str], rated: Mapping[str, int]
) -> dict[str, Any]:
    from canon_cli.output.render import entry_row

    return entry_row(
        e.id,
        e.title_in(lang),
        e.year,
        e.kind,
        e.minutes,
        status,
        e.url_problem,
        e.id in dead,
        rated.get(e.id),
    )


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
        "notes": [
            {"id": n.id, "at": local_text(n.at) if n.at else None, "text": n.text}
            for n in record.notes
        ],
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
    if as_json:
        streams.print_json(_show_json(catalog, entry, lang, record, checks))
        return
    if not streams.use_rich():
        _show_entry_plain(catalog, entry, lang, record, checks)
        return
    pairs = _show_pairs(catalog, entry, lang, record)
    link_lines = _link_lines(entry, checks)
    if entry.url_problem:
        link_lines.append(_("(refused to open: {problem})").format(problem=entry.url_problem))
    headings = (_("Summary") if lang else "Summary", "摘要", _("Editor's note"), "编者注")
    blocks = _text_blocks(entry, lang, headings)
    blocks.append((_("Links"), "\n".join(link_lines)))
    if record.notes:
        blocks.append((_("Notes"), numbered_notes(record.notes)))
    from canon_cli.output import render  # rich: only when a table is drawn

    render.key_values(entry.title_in(lang or language()), pairs, blocks)


def _show_json(
    catalog: Catalog,
    entry: Entry,
    lang: str | None,
    record: EntryState,
    checks: Sequence[LinkResult | None],
) -> dict[str, Any]:
    """``show --json``: the entry as ``list --json`` gives it, both languages' texts,
    the user's record and the last link check of each link."""
    data = entry_json(entry, lang or "en", record.status)
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
    return data


def _show_pairs(
    catalog: Catalog, entry: Entry, lang: str | None, record: EntryState
) -> list[tuple[str, str]]:
    """``show``'s aligned fields on a terminal, in the run's language."""
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
        (_("status"), status_label(record.status)),
    ]
    if record.started:
        pairs.append((_("started"), when(record.started)))
    if record.finished:
        pairs.append((_("finished"), when(record.finished)))
    if record.rating:
        pairs.append((_("rating"), stars(record.rating)))
    if entry.aliases:
        pairs.append((_("aliases"), ", ".join(entry.aliases)))
    return pairs


def _link_lines(entry: Entry, checks: Sequence[LinkResult | None]) -> list[str]:
    """``[N] label: url`` for each link, numbered as ``open --link N`` takes them, with
    the last link check's verdict when one has run."""
    lines = [
        f"[{i}] {link_label(link.label)}: {link.url}" for i, link in enumerate(entry.all_links())
    ]
    if checks:  # a 'canon links check' has run
        from canon_cli.output.links import with_verdicts

        lines = with_verdicts(lines, checks)
    return lines


def _text_blocks(
    entry: Entry, lang: str | None, headings: tuple[str, str, str, str]
) -> list[tuple[str, str]]:
    """The summaries and editor's notes ``lang`` asks for (None: both languages), under
    ``headings``: English summary, Chinese summary, English note, Chinese note."""
    summary_en, summary_zh, note_en, note_zh = headings
    blocks: list[tuple[str, str]] = []
    if lang in (None, "en"):
        blocks.append((summary_en, entry.summary_en))
    if lang in (None, "zh") and entry.summary_zh:
        blocks.append((summary_zh, entry.summary_zh))
    if lang in (None, "en") and entry.note_en:
        blocks.append((note_en, entry.note_en))
    if lang in (None, "zh") and entry.note_zh:
        blocks.append((note_zh, entry.note_zh))
    return blocks


def numbered_notes(notes: Sequence[Note]) -> str:
    """``show``'s notes, oldest first, numbered as ``note ID --edit N`` counts them."""
    return "\n".join(
        f"[{i}] {when(n.at)}  {n.text}" if n.at else f"[{i}] {n.text}"
        for i, n in enumerate(notes, 1)
    )


def _show_entry_plain(
    catalog: Catalog,
    entry: Entry,
    lang: str | None,
    record: EntryState,
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
        ("status", record.status),
        ("started", when(record.started)),
        ("finished", when(record.finished)),
        ("rating", str(record.rating or "")),
        ("aliases", ", ".join(entry.aliases)),
    ]
    shown = entry.title_in(lang or language())
    if shown != entry.title:  # the Chinese title heads it: the English one is a field
        pairs.insert(0, ("title", entry.title))
    streams.out(clean_line(shown))
    for key, value in pairs:
        if value:
            streams.out(f"{key}:\t{clean_line(value)}")
    blocks = _text_blocks(entry, lang, ("summary", "summary_zh", "note", "note_zh"))
    blocks.append(("links", "\n".join(_link_lines(entry, checks))))
    if record.notes:
        blocks.append(("notes", numbered_notes(record.notes)))
    for heading, body in blocks:
        streams.out("")
        streams.out(heading + ":")
        for line in body.split("\n"):
            streams.out("  " + clean(line))
