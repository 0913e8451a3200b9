"""The reading list in other formats: Markdown checklist, JSON, CSV and BibTeX.

Pure functions from catalog entries and the user's records to text (BibTeX's, with its
citation keys, in ``bibtex.py``); the command decides where the text goes. Catalog text
is data: JSON escapes controls, bidi overrides and invisible characters with its own
escapes (exact once decoded, as ``--json`` output); the file formats (Markdown, CSV,
BibTeX) make controls and bidi overrides visible and keep invisible characters, which
are part of the text; each format's own special characters are escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from canon_cli.catalog.store import Catalog, Entry
from canon_cli.output.bibtex import citation_keys, to_bibtex
from canon_cli.state.fold import EntryState
from canon_cli.text import clean, clean_line, json_safe

if TYPE_CHECKING:
    from pathlib import Path

    from canon_cli.catalog.query import Filters


class ExportFormat(StrEnum):
    """The formats ``canon export`` writes."""

    md = "md"
    json = "json"
    csv = "csv"
    bibtex = "bibtex"


SUFFIXES = {
    ".md": ExportFormat.md,
    ".markdown": ExportFormat.md,
    ".json": ExportFormat.json,
    ".csv": ExportFormat.csv,
    ".bib": ExportFormat.bibtex,
    ".bibtex": ExportFormat.bibtex,
}


class Item(NamedTuple):
    """One entry with the user's record for it."""

    entry: Entry
    status: str
    started: str | None
    finished: str | None
    rating: int | None
    notes: list[dict[str, str | None]]  # id, at (None: a time canon cannot read), text


def select_items(
    catalog: Catalog,
    filters: Filters,
    statuses: Mapping[str, str],
    records: Mapping[str, EntryState],
) -> list[Item]:
    """The entries ``filters`` select, in reading order, each with the user's record
    (``records`` by current id, as ``reading.status.records`` gives them)."""
    from canon_cli.reading.status import select_entries

    entries = list(select_entries(catalog, filters, statuses))
    return make_items(entries, records)


def make_items(entries: Iterable[Entry], records: Mapping[str, EntryState]) -> list[Item]:
    """Pair entries with their records (by entry id; a missing record means unread).
    Times are shown in the local zone."""
    from canon_cli.state.fold import local_text

    items = []
    for entry in entries:
        record = records.get(entry.id) or EntryState()
        items.append(
            Item(
                entry=entry,
                status=record.status,
                started=local_text(record.started) if record.started else None,
                finished=local_text(record.finished) if record.finished else None,
                rating=record.rating,
                notes=[
                    {"id": n.id, "at": local_text(n.at) if n.at else None, "text": n.text}
                    for n in record.notes
                ],
            )
        )
    return items


def format_for(output: Path | None) -> ExportFormat:
    """The format a file name asks for (``list.bib`` -> bibtex); Markdown otherwise."""
    if output is None:
        return ExportFormat.md
    return SUFFIXES.get(output.suffix.lower(), ExportFormat.md)


def check_output(path: Path, force: bool) -> None:
    """Refuse an output path before any work: a directory, a block device or socket, or
    an existing file without ``force`` (a FIFO or a character device is written into)."""
    from canon_cli.userfiles import check_output_path

    check_output_path(path, force)


def write_output(path: Path, data: bytes, force: bool) -> None:
    """Write an export: a file atomically (a reader sees the old file or the new one,
    never half), a named pipe or character device by writing into it."""
    from canon_cli.userfiles import write_output_file

    write_output_file(path, data, force)


def export_text(fmt: ExportFormat, catalog: Catalog, items: list[Item], lang: str) -> str:
    if fmt is ExportFormat.md:
        return to_markdown(catalog, items, lang)
    if fmt is ExportFormat.json:
        return to_json(items)
    if fmt is ExportFormat.csv:
        return to_csv(items)
    return to_bibtex([item.entry for item in items], citation_keys(catalog.entries()))


def encode(fmt: ExportFormat, text: str) -> bytes:
    """The bytes written: CSV gets a byte-order mark so spreadsheet programs read it as
    UTF-8 (Excel otherwise shows Chinese text as mojibake); the rest is plain UTF-8."""
    return text.encode("utf-8-sig" if fmt is ExportFormat.csv else "utf-8")


# --- Markdown ---------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&$])")


def md_escape(text: str) -> str:
    """Text that renders literally in Markdown (CommonMark/GFM): punctuation that could
    start emphasis, links, HTML or entities is backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", clean_line(text, keep_invisible=True))


def md_url(url: str) -> str:
    """A link destination: parentheses and spaces escaped so the link stays one link."""
    return re.sub(r"([()\\ <>])", lambda m: "%20" if m.group() == " " else "\\" + m.group(), url)


def to_markdown(catalog: Catalog, items: list[Item], lang: str) -> str:
    """A checklist in section order: a heading per section (nested sections one level
    deeper), ``- [x]`` for done, ``- [ ]`` otherwise, linked titles with the year."""
    by_section: dict[str, list[Item]] = {}
    for item in items:
        by_section.setdefault(item.entry.section, []).append(item)
    wanted = {slug for item in items for slug in item.entry.section_path}
    done = sum(1 for item in items if item.status == "done")
    out = [f"# {md_escape(catalog.title or 'Reading list')}", ""]
    out += [f"{done} of {len(items)} done.", ""]
    for section in catalog.sections:
        if section.slug not in wanted:
            continue
        level = min(len(section.path) + 1, 6)
        out += [f"{'#' * level} {md_escape(section.name(lang))}", ""]
        rows = by_section.get(section.slug, [])
        for item in rows:
            out.append(_md_line(item, lang))
            out += _md_notes(item)
        if rows:
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _md_line(item: Item, lang: str) -> str:
    entry = item.entry
    box = "x" if item.status == "done" else " "
    title = md_escape(entry.title_in(lang))
    link = title if entry.url_problem else f"[{title}]({md_url(entry.url)})"
    year = f" ({entry.year})" if entry.year else ""
    state = f" *({item.status})*" if item.status in ("reading", "skipped") else ""
    return f"- [{box}] {link}{year}{state}"


def _md_notes(item: Item) -> list[str]:
    """The entry's notes, oldest first, as a nested list under its line: local time
    (``2026-11-21 10:00``) and text, each line of a longer note indented with it."""
    lines = []
    for note in item.notes:
        first, *rest = (md_escape(line) for line in str(note["text"]).split("\n"))
        at = note["at"]
        lines.append(f"  - {at[:16].replace('T', ' ')}: {first}" if at else f"  - {first}")
        lines += [f"    {line}" for line in rest]
    return lines


# --- JSON -------------------------------------------------------------------


def _json_entry(item: Item) -> dict[str, Any]:
    entry = item.entry
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
        "summary_en": entry.summary_en,
        "summary_zh": entry.summary_zh,
        "status": item.status,
        "started": item.started,
        "finished": item.finished,
        "rating": item.rating,
        "notes": [{"id": n["id"], "at": n["at"], "text": n["text"]} for n in item.notes],
    }


def to_json(items: list[Item]) -> str:
    """A JSON array of entries with the user's status, dates, rating and notes: the exact
    text, with what a terminal would act on escaped as in every JSON canon prints."""
    import json

    data = [_json_entry(item) for item in items]
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


# --- CSV --------------------------------------------------------------------

CSV_COLUMNS = (
    "id",
    "title",
    "title_zh",
    "url",
    "year",
    "section",
    "kind",
    "tags",
    "authors",
    "status",
    "started",
    "finished",
    "rating",
    "summary_en",
    "summary_zh",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ would make it a formula
    (CSV injection from a third-party catalog), so such text gets a leading quote."""
    if value is None:
        return ""
    text = clean(value, keep_invisible=True) if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(items: list[Item]) -> str:
    """One row per entry with a header row; tags and authors joined by '; '."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        e = item.entry
        values: list[object] = [
            e.id,
            e.title,
            e.title_zh,
            e.url,
            e.year,
            e.section,
            e.kind,
            "; ".join(e.tags),
            "; ".join(e.authors),
            item.status,
            item.started,
            item.finished,
            item.rating,
            e.summary_en,
            e.summary_zh,
        ]
        writer.writerow([csv_cell(v) for v in values])
    return buffer.getvalue()
