"""The quick path's ``canon export --format bibtex`` to stdout.

The records are written by the general path's own writer (``output/bibtex.py``), from
light records read out of the snapshot instead of catalog ``Entry`` tuples: the same
entries in reading order (sections, years, tags, kinds and statuses chosen as ``list``
chooses them), and citation keys over the whole catalog, so that a key does not depend
on an export's filters. The writer's escaping needs ``re`` and ``unicodedata``, and the
entries' lists are JSON in the snapshot, read by SQLite's own JSON functions: this
answer alone imports ``re`` and ``unicodedata``.
"""

from __future__ import annotations

from canon_cli.quick.answers import chosen_entries

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3

# the lists come out of their JSON in SQLite (json_each, json_extract): no json import
_COLUMNS = (
    "id, title, year, json_extract(venue, '$[0]'), json_extract(venue, '$[1]'),"
    " json_extract(venue, '$[2]'), arxiv, url, doi, tags, url_problem"
)
_AUTHORS = "SELECT e.id, a.value FROM cat.entries e, json_each(e.authors) a ORDER BY e.ord, a.key"


class Venue:
    """store.Venue's fields, as bibtex.BibVenue reads them."""

    __slots__ = ("name", "type", "year")

    def __init__(self, type_: str, name: str, year: int) -> None:
        self.type, self.name, self.year = type_, name, year


class Record:
    """The fields of a catalog entry that a BibTeX record is made of."""

    __slots__ = (
        "arxiv",
        "authors",
        "doi",
        "id",
        "tags",
        "title",
        "url",
        "url_problem",
        "venue",
        "year",
    )

    def __init__(self, row: tuple[object, ...], authors: list[str]) -> None:
        entry_id, title, year, venue_type, venue_name, venue_year, *rest = row
        arxiv, url, doi, tags, problem = rest
        self.id, self.title, self.url, self.authors = str(entry_id), str(title), str(url), authors
        self.year = year if isinstance(year, int) else None
        self.venue = (
            None
            if venue_type is None
            else Venue(str(venue_type), str(venue_name), int(str(venue_year)))
        )
        self.arxiv = None if arxiv is None else str(arxiv)
        self.doi = None if doi is None else str(doi)
        self.tags = str(tags).split()
        self.url_problem = None if problem is None else str(problem)


def bibtex_answer(db: sqlite3.Connection, values: dict[str, object]) -> str | None:
    """The BibTeX file of the entries chosen (empty when none is, as on the general
    path: an empty file is a valid one); None when a filter is unknown."""
    picked = chosen_entries(db, values)  # export has no words or limit: list's filters
    if picked is None:
        return None
    chosen = {entry[0] for entry, _status in picked}
    if not chosen:
        return ""
    from canon_cli.output.bibtex import citation_keys, to_bibtex

    authors: dict[str, list[str]] = {}
    for entry_id, name in db.execute(_AUTHORS):
        authors.setdefault(entry_id, []).append(name)
    rows_all = db.execute(f"SELECT {_COLUMNS} FROM cat.entries ORDER BY ord")
    records = [Record(row, authors.get(str(row[0]), [])) for row in rows_all]
    keys = citation_keys(records)
    return to_bibtex([r for r in records if r.id in chosen], keys)
