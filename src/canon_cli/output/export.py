"""The reading list in other formats: Markdown checklist, JSON, CSV and BibTeX.

Pure functions from catalog entries and the user's records to text; the command
decides where the text goes. Catalog text is data: JSON escapes controls, bidi overrides
and invisible characters with its own escapes (exact once decoded, as ``--json``
output); the file formats (Markdown, CSV, BibTeX) make controls and bidi overrides
visible and keep invisible characters, which are part of the text; each format's own
special characters are escaped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from canon_cli.catalog.store import Catalog, Entry
from canon_cli.catalog.urls import arxiv_id, url_problem
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


@dataclass(frozen=True)
class Item:
    """One entry with the user's record for it."""

    entry: Entry
    status: str = "unread"
    started: str | None = None
    finished: str | None = None
    rating: int | None = None
    notes: list[dict[str, str]] = field(default_factory=list)


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
                notes=[{"id": n.id, "at": local_text(n.at), "text": n.text} for n in record.notes],
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
    return to_bibtex(items, citation_keys(catalog.entries()))


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
        first, *rest = (md_escape(line) for line in note["text"].split("\n"))
        stamp = note["at"][:16].replace("T", " ")
        lines.append(f"  - {stamp}: {first}")
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


# --- BibTeX -----------------------------------------------------------------

_ET_AL = re.compile(r"^(et\.? al\.?|others)$", re.IGNORECASE)
_STOP_WORDS = frozenset({"a", "an", "the", "on", "of", "in", "for", "to", "and", "is"})
_NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bib_escape(text: str) -> str:
    """Text safe inside a BibTeX field: LaTeX specials escaped, braces kept balanced
    (BibTeX counts every brace, escaped or not, so literal braces become commands)."""
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in clean_line(text, keep_invisible=True))


def bib_title(title: str) -> str:
    """The title with capitalised words in braces, so styles that lowercase titles keep
    ``GPT``, ``ChatGPT`` and proper names as written (the first word's initial capital
    needs no braces: styles keep it)."""
    words = clean_line(title, keep_invisible=True).split(" ")
    out = []
    for index, word in enumerate(words):
        capitals = [i for i, ch in enumerate(word) if ch.isupper()]
        protect = bool(capitals) and (index > 0 or capitals != [0])
        out.append("{" + bib_escape(word) + "}" if protect else bib_escape(word))
    return " ".join(out)


def bib_url(url: str) -> str:
    """A URL for ``url`` / ``\\url{}``: % and # escaped (as the url package asks inside
    arguments), braces and backslashes percent-encoded so the field stays balanced."""
    encoded = url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")
    return encoded.replace("%", r"\%").replace("#", r"\#")


def bib_authors(authors: Iterable[str]) -> str:
    """``A and B and others``; a name with a comma or the word 'and' is kept whole."""
    names: list[str] = []
    for author in authors:
        name = clean_line(author, keep_invisible=True).strip()
        if not name:
            continue
        if _ET_AL.match(name):
            names.append("others")
            break
        escaped = bib_escape(name)
        if "," in name or re.search(r"\band\b", name, re.IGNORECASE):
            escaped = "{" + escaped + "}"
        names.append(escaped)
    return " and ".join(names)


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _last_name(author: str) -> str:
    parts = [p for p in author.replace(",", " ").split() if p.lower() not in _NAME_SUFFIXES]
    if not parts or _ET_AL.match(author.strip()):
        return ""
    if "," in author:  # "Last, First"
        return _ascii_word(author.split(",")[0])
    return _ascii_word(parts[-1])


def base_key(entry: Entry) -> str:
    """``vaswani2017attention``: first author's last name, year, first real title word."""
    name = _last_name(entry.authors[0]) if entry.authors else ""
    words = [_ascii_word(w) for w in re.split(r"[\s\-–—:/]+", entry.title)]
    words = [w for w in words if w]
    first = next((w for w in words if w not in _STOP_WORDS), words[0] if words else "")
    key = f"{name}{entry.year or ''}{first}"
    if not name and not first:
        key = re.sub(r"[^a-z0-9]", "", entry.id)
    return key or "entry"


def citation_keys(entries: Iterable[Entry]) -> dict[str, str]:
    """A stable citation key per entry id, over the whole catalog in reading order, so
    a key does not change with the filters of one export. Keys that collide all get a
    letter suffix in reading order (``smith2020deepa``, ``smith2020deepb``)."""
    ordered = [(e.id, base_key(e)) for e in entries]
    counts: dict[str, int] = {}
    for _, key in ordered:
        counts[key] = counts.get(key, 0) + 1
    taken = {key for key, n in counts.items() if n == 1}
    seen: dict[str, int] = {}
    result: dict[str, str] = {}
    for entry_id, key in ordered:
        if counts[key] == 1:
            result[entry_id] = key
            continue
        index = seen.get(key, 0)
        while True:
            suffix = _letters(index)
            index += 1
            if key + suffix not in taken:
                break
        seen[key] = index
        taken.add(key + suffix)
        result[entry_id] = key + suffix
    return result


def _letters(index: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa: suffixes that never run out."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


def _bib_type(entry: Entry, eprint: str | None) -> tuple[str, list[tuple[str, str]]]:
    """The record type and its venue field: the catalog's venue when it has one (a
    journal: @article; a conference: @inproceedings), else arXiv as the journal."""
    if entry.venue is not None and entry.venue.type == "journal":
        return "article", [("journal", bib_escape(entry.venue.name))]
    if entry.venue is not None:
        return "inproceedings", [("booktitle", bib_escape(entry.venue.name))]
    if eprint is not None:
        return "article", [("journal", f"arXiv preprint arXiv:{bib_escape(eprint)}")]
    return "misc", []


def bib_record(item: Item, key: str) -> str:
    entry = item.entry
    eprint = entry.arxiv or arxiv_id(entry.url)
    fields: list[tuple[str, str]] = [("title", bib_title(entry.title))]
    authors = bib_authors(entry.authors)
    if authors:
        fields.append(("author", authors))
    else:  # styles sort (and label) by author; without one they need a key
        fields.append(("key", bib_escape(entry.title)))
    kind, venue = _bib_type(entry, eprint)
    fields += venue
    year = entry.venue.year if entry.venue is not None else entry.year
    if year:
        fields.append(("year", str(year)))
    if eprint is not None:
        fields.append(("eprint", bib_escape(eprint)))
        fields.append(("archivePrefix", "arXiv"))
    if entry.doi:
        fields.append(("doi", bib_escape(entry.doi)))
    if url_problem(entry.url) is None:  # a refused link is left out, as in Markdown
        if kind == "misc":
            fields.append(("howpublished", "\\url{" + bib_url(entry.url) + "}"))
        fields.append(("url", bib_url(entry.url)))
    if entry.tags:
        fields.append(("keywords", bib_escape(", ".join(entry.tags))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def to_bibtex(items: list[Item], keys: Mapping[str, str]) -> str:
    """One record per entry: papers with a venue as @inproceedings (conference) or
    @article (journal), other arXiv papers as @article in "arXiv preprint", each with
    ``eprint`` and ``archivePrefix`` when it has an arXiv id and ``doi`` when it has one;
    everything else as @misc with ``howpublished = {\\url{...}}``."""
    return "\n".join(bib_record(item, keys[item.entry.id]) for item in items)
