"""BibTeX records for ``canon export --format bibtex``: one per entry, with a citation
key that stays the same whatever an export's filters are.

Papers with a venue are @inproceedings (a conference) or @article (a journal), other
arXiv papers @article in "arXiv preprint", the rest @misc. Catalog text is data: LaTeX
specials are escaped and braces kept balanced, so no catalog can break the file.
"""

from __future__ import annotations

import re
import unicodedata

from canon_cli.catalog.urls import arxiv_id
from canon_cli.text import clean_line

# no typing at run time: the quick path (quick/export.py) writes these records too
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Protocol

    class BibVenue(Protocol):
        @property
        def type(self) -> str: ...
        @property
        def name(self) -> str: ...
        @property
        def year(self) -> int: ...

    class BibEntry(Protocol):
        """What a record is made of: a catalog ``Entry`` has these, and so has the
        quick path's lighter record."""

        @property
        def id(self) -> str: ...
        @property
        def title(self) -> str: ...
        @property
        def authors(self) -> Sequence[str]: ...
        @property
        def year(self) -> int | None: ...
        @property
        def venue(self) -> BibVenue | None: ...
        @property
        def arxiv(self) -> str | None: ...
        @property
        def url(self) -> str: ...
        @property
        def doi(self) -> str | None: ...
        @property
        def tags(self) -> Sequence[str]: ...
        @property
        def url_problem(self) -> str | None: ...


_ET_AL = re.compile(r"^(et\.? al\.?|others)$", re.IGNORECASE)
_AND = re.compile(r"\band\b", re.IGNORECASE)
_NOT_KEY = re.compile(r"[^a-z0-9]")
_WORD_BREAK = re.compile(r"[\s\-–—:/]+")
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
_BIB_TABLE = str.maketrans(_BIB_SPECIAL)


def bib_escape(text: str) -> str:
    """Text safe inside a BibTeX field: LaTeX specials escaped, braces kept balanced
    (BibTeX counts every brace, escaped or not, so literal braces become commands)."""
    return clean_line(text, keep_invisible=True).translate(_BIB_TABLE)


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
        if "," in name or _AND.search(name):
            escaped = "{" + escaped + "}"
        names.append(escaped)
    return " and ".join(names)


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_KEY.sub("", folded.lower())


def _last_name(author: str) -> str:
    parts = [p for p in author.replace(",", " ").split() if p.lower() not in _NAME_SUFFIXES]
    if not parts or _ET_AL.match(author.strip()):
        return ""
    if "," in author:  # "Last, First"
        return _ascii_word(author.split(",")[0])
    return _ascii_word(parts[-1])


def base_key(entry: BibEntry) -> str:
    """``vaswani2017attention``: first author's last name, year, first real title word."""
    name = _last_name(entry.authors[0]) if entry.authors else ""
    words = [_ascii_word(w) for w in _WORD_BREAK.split(entry.title)]
    words = [w for w in words if w]
    first = next((w for w in words if w not in _STOP_WORDS), words[0] if words else "")
    key = f"{name}{entry.year or ''}{first}"
    if not name and not first:
        key = _NOT_KEY.sub("", entry.id)
    return key or "entry"


def citation_keys(entries: Iterable[BibEntry]) -> dict[str, str]:
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


def _bib_type(entry: BibEntry, eprint: str | None) -> tuple[str, list[tuple[str, str]]]:
    """The record type and its venue field: the catalog's venue when it has one (a
    journal: @article; a conference: @inproceedings), else arXiv as the journal."""
    if entry.venue is not None and entry.venue.type == "journal":
        return "article", [("journal", bib_escape(entry.venue.name))]
    if entry.venue is not None:
        return "inproceedings", [("booktitle", bib_escape(entry.venue.name))]
    if eprint is not None:
        return "article", [("journal", f"arXiv preprint arXiv:{bib_escape(eprint)}")]
    return "misc", []


def _main_link_plain(entry: BibEntry) -> bool:
    """The main link passes urls.url_problem. An entry none of whose links is refused
    (``url_problem`` is the first refusal among them) needs no second look."""
    if entry.url_problem is None:
        return True
    from canon_cli.catalog.urls import url_problem

    return url_problem(entry.url) is None


def bib_record(entry: BibEntry, key: str) -> str:
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
    if _main_link_plain(entry):  # a refused link is left out, as in Markdown
        if kind == "misc":
            fields.append(("howpublished", "\\url{" + bib_url(entry.url) + "}"))
        fields.append(("url", bib_url(entry.url)))
    if entry.tags:
        fields.append(("keywords", bib_escape(", ".join(entry.tags))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def to_bibtex(entries: Iterable[BibEntry], keys: Mapping[str, str]) -> str:
    """One record per entry: papers with a venue as @inproceedings (conference) or
    @article (journal), other arXiv papers as @article in "arXiv preprint", each with
    ``eprint`` and ``archivePrefix`` when it has an arXiv id and ``doi`` when it has one;
    everything else as @misc with ``howpublished = {\\url{...}}``."""
    return "\n".join(bib_record(entry, keys[entry.id]) for entry in entries)
