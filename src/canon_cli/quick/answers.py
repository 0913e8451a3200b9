"""The quick path's answers: the lines ``list``, ``next`` and ``open --print`` write to a
pipe, from the connection ``data.open_data`` gives, and what every answer shares (the
filters, the entries' columns, the check that text needs no cleaning).

Each function returns the whole text, or None when the general path must answer (an
unknown section, tag or kind, an empty result, which it explains on stderr, or text
that needs cleaning before it is shown). The columns are those of ``output/views.py``.
"""

from __future__ import annotations

from canon_cli.charsets import BIDI, CONTROL, INVISIBLE
from canon_cli.quick.data import MARKED
from canon_cli.vocab import status_named

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterable, Sequence

    Rows = list[list[object]]

ENTRY = "e.id, e.year, e.kind, c.value, e.section, e.title, e.title_zh, e.url_problem"
FROM = "FROM cat.entries e LEFT JOIN st.current c ON c.entry = e.id AND c.field = 'status'"
# status_of in SQL
STATUS = (
    "CASE WHEN c.value IN (" + ", ".join(f"'{m}'" for m in MARKED) + ")"
    " THEN substr(c.value, 2, length(c.value) - 2) ELSE 'unread' END"
)
# text_lines([entry_row(...)])'s line made by SQLite, so a long list costs one string per
# entry, not eight values and a join; the first parameter is the language of the title
LINE = (
    "e.id || char(9) || ifnull(nullif(e.year, 0), '') || char(9) || e.kind || char(9) || "
    f"{STATUS} || char(9) || e.section || char(9) || CASE WHEN ? = 'zh' AND e.title_zh != ''"
    " THEN e.title_zh ELSE e.title END || CASE WHEN e.url_problem IS NULL THEN '' ELSE '!' END"
)


def status_of(value: object) -> str:
    """A status as the state stores it (JSON text), as a word; "unread" for the rest."""
    return value[1:-1] if isinstance(value, str) and value in MARKED else "unread"


def title_in(title: str, title_zh: str | None, lang: str) -> str:
    """Entry.title_in: the Chinese title under zh, where there is one."""
    return title_zh if lang == "zh" and title_zh else title


_ESCAPED: list[tuple[int, int]] = []  # code point ranges text.clean escapes


def _escaped(code: int) -> bool:
    if not _ESCAPED:
        body = CONTROL + BIDI + INVISIBLE
        index = 0
        while index < len(body):
            low = high = ord(body[index])
            if body[index + 1 : index + 2] == "-":
                high = ord(body[index + 2])
                index += 2
            _ESCAPED.append((low, high))
            index += 1
    return any(low <= code <= high for low, high in _ESCAPED)


def as_is(text: str, one_line: bool = True) -> bool:
    """Whether text.clean (``one_line``: clean_line) leaves ``text`` as it is; when it
    would not, the general path answers with its escapes."""
    if text.isprintable():
        return True
    if one_line and ("\t" in text or "\n" in text):
        return False
    return not any(_escaped(ord(c)) for c in text if not c.isprintable())


_CONTROLS = bytes([*range(32), 127])


def plain_text(text: str, tabs: int, lines: int) -> bool:
    """Whether ``text`` is ``lines`` lines of ``tabs`` tabs in all and nothing else a
    reader's terminal would not print as it is: the one check for a whole answer. (The
    caller made ``tabs`` tabs and ``lines`` line breaks; any more is in a value.)"""
    if text.isascii():  # printable ASCII is what is left without the control bytes
        raw = text.encode("ascii")
        return len(raw) - len(raw.translate(None, _CONTROLS)) == tabs + lines
    if text.count("\n") != lines or text.count("\t") != tabs:
        return False
    return text.replace("\t", " ").replace("\n", " ").isprintable()


def text_lines(rows: Rows) -> str | None:
    """Tab-separated lines (streams.plain_rows), or None when a value would need
    cleaning (a control or invisible character: the general path escapes it)."""
    if not rows:
        return None
    lines = ["\t".join(["" if v is None else str(v) for v in row]) for row in rows]
    text = "\n".join(lines) + "\n"
    if plain_text(text, sum(len(row) - 1 for row in rows), len(lines)):
        return text  # the common case
    cells = ("" if v is None else str(v) for row in rows for v in row)
    return text if all(map(as_is, cells)) else None


class Sections:
    """The catalog's sections in reading order: slug -> path ("a/b")."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.paths: dict[str, str] = dict(
            db.execute("SELECT slug, path FROM cat.sections ORDER BY ord")
        )

    def subtree(self, slug: str) -> list[str]:
        """Catalog.subtree: the slug and every section below it."""
        return [s for s, path in self.paths.items() if slug in path.split("/")]


def in_list(column: str, values: Sequence[object]) -> str:
    return f"{column} IN ({','.join('?' * len(values))})"


def _years(text: str) -> tuple[int | None, int | None] | None:
    """query.parse_years for the plain forms (2022, 2020..2022, 2021.., ..2019)."""
    low, dots, high = text.partition("..")
    if not dots:
        high = low
    for part in (low, high):
        if part and not (len(part) == 4 and part.isascii() and part.isdigit()):
            return None
    if not (low or high):
        return None
    lo, hi = (int(low) if low else None), (int(high) if high else None)
    return None if lo is not None and hi is not None and lo > hi else (lo, hi)


def sql_filters(
    db: sqlite3.Connection, values: dict[str, object], sections: Sections
) -> tuple[list[str], list[object]] | None:
    """query._sql_filters for sections, years, tags and kinds; None for an unknown one."""
    where: list[str] = []
    params: list[object] = []
    wanted = values.get("section") or []
    assert isinstance(wanted, list)
    if wanted:
        if any(s not in sections.paths for s in wanted):
            return None
        slugs = sorted({s for slug in wanted for s in sections.subtree(slug)})
        where.append(in_list("e.section", slugs))
        params += slugs
    year = values.get("year")
    if year is not None:
        found = _years(str(year))
        if found is None:
            return None
        for op, bound in zip((">=", "<="), found, strict=True):
            if bound is not None:
                where.append(f"e.year {op} ?")
                params.append(bound)
    tags = values.get("tag") or []
    assert isinstance(tags, list)
    for tag in tags:
        if db.execute("SELECT 1 FROM cat.tags WHERE slug = ?", (tag,)).fetchone() is None:
            return None
        where.append("instr(e.tags, ?) > 0")
        params.append(f" {tag} ")
    kinds = values.get("kind") or []
    assert isinstance(kinds, list)
    if kinds:
        for kind in kinds:
            if (
                db.execute("SELECT 1 FROM cat.entries WHERE kind = ? LIMIT 1", (kind,)).fetchone()
                is None
            ):
                return None
        where.append(in_list("e.kind", kinds))
        params += kinds
    return where, params


def entries(
    db: sqlite3.Connection, where: list[str], params: list[object]
) -> Iterable[tuple[object, ...]]:
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    return db.execute(f"SELECT {ENTRY} {FROM}{clause} ORDER BY e.ord", params)


def entry_row(entry: tuple[object, ...], lang: str) -> list[object]:
    """views._show_list_plain's columns: id, year, kind, status, section, title."""
    entry_id, year, kind, value, section, title, title_zh, problem = entry
    shown = title_in(str(title), None if title_zh is None else str(title_zh), lang)
    return [
        entry_id,
        year or "",
        kind,
        status_of(value if isinstance(value, str) else None),
        section,
        shown + ("!" if problem else ""),
    ]


def section_names(db: sqlite3.Connection, lang: str) -> dict[str, str]:
    """Section.name(lang) of every section, by slug: the Chinese name under zh, where
    there is one."""
    return {
        str(slug): str(name)
        for slug, name in db.execute(
            "SELECT slug, CASE WHEN ? = 'zh' AND name_zh != '' THEN name_zh ELSE name_en END"
            " FROM cat.sections",
            (lang,),
        )
    }


def section_heading(db: sqlite3.Connection, section: str, lang: str) -> str:
    """views.section_heading: the names of the section's path, in ``lang``."""
    (path,) = db.execute("SELECT path FROM cat.sections WHERE slug = ?", (section,)).fetchone()
    names = section_names(db, lang)
    return " › ".join(names[slug] for slug in str(path).split("/"))


def entry_named(db: sqlite3.Connection, text: str) -> str | None:
    """query.resolve_entry's first rules: the id, in any case, or a former id (alias);
    None for the rest (a title, a prefix, a typo), which the general path resolves."""
    wanted = text.strip()
    for key in dict.fromkeys((wanted, wanted.lower())):
        if db.execute("SELECT 1 FROM cat.entries WHERE id = ?", (key,)).fetchone():
            return key
    found = db.execute("SELECT id FROM cat.aliases WHERE alias = ?", (wanted.lower(),)).fetchone()
    return None if found is None else str(found[0])


def open_answer(
    db: sqlite3.Connection, lang: str, values: dict[str, object], marks_reading: bool = True
) -> str | None:
    """``canon open [ID] --print``: the entry's main link, when opening it writes
    nothing (it is not unread, ``--no-mark`` is given or the setting is off)."""
    if not values.get("print_only"):
        return None  # a browser to launch
    typed = values.get("entry_id")
    where = ["e.id = ?"] if typed is not None else []
    params: list[object] = []
    if typed is not None:
        entry_id = entry_named(db, str(typed))
        if entry_id is None:
            return None
        params.append(entry_id)
    rows = [entry_row(entry, lang) for entry in entries(db, where, params)]
    if typed is None:  # what 'canon next' shows first
        rows = [r for r in rows if r[3] == "reading"] + [r for r in rows if r[3] == "unread"]
    if not rows:
        return None
    status = rows[0][3]
    url, problem = db.execute(
        "SELECT url, url_problem FROM cat.entries WHERE id = ?", (rows[0][0],)
    ).fetchone()
    if problem is not None:
        return None  # a refused link: the general path explains it
    if status == "unread" and marks_reading and not values.get("no_mark"):
        return None  # opening it marks it as reading: a write
    return text_lines([[url]])


def wanted_statuses(values: dict[str, object]) -> set[str] | None:
    """query.statuses_named: the statuses asked for (synonyms too); None for an unknown
    one (the general path lists the valid ones)."""
    typed = values.get("status") or []
    assert isinstance(typed, list)
    wanted = {status_named(str(s)) for s in typed}
    return None if None in wanted else {str(w) for w in wanted}


Picked = list[tuple[tuple[object, ...], str]]  # (the ENTRY columns, the status)


def _chosen(db: sqlite3.Connection, values: dict[str, object]) -> tuple[str, list[object]] | None:
    """``list``'s choice as the end of a query on ``FROM``: sections, years, tags, kinds,
    words, statuses and a limit, in reading order, with its parameters; None for an
    unknown filter or a word the general path widens."""
    found = sql_filters(db, values, Sections(db))
    wanted = wanted_statuses(values)
    if found is None or wanted is None:
        return None
    where, params = found
    if values.get("search") is not None:
        from canon_cli.quick.search import search_condition

        condition = search_condition(db, str(values["search"]))
        if condition is None:
            return None
        where, params = [*where, condition[0]], [*params, *condition[1]]
    if wanted:
        where, params = [*where, in_list(STATUS, sorted(wanted))], [*params, *sorted(wanted)]
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    limit = values.get("limit")
    if isinstance(limit, int):
        return clause + " ORDER BY e.ord LIMIT ?", [*params, limit]
    return clause + " ORDER BY e.ord", params


def chosen_entries(db: sqlite3.Connection, values: dict[str, object]) -> Picked | None:
    """``list``'s choice (see ``_chosen``): the ``ENTRY`` columns and the status of each."""
    chosen = _chosen(db, values)
    if chosen is None:
        return None
    clause, params = chosen
    return [(e, status_of(e[3])) for e in db.execute(f"SELECT {ENTRY} {FROM}{clause}", params)]


def list_answer(db: sqlite3.Connection, lang: str, values: dict[str, object]) -> str | None:
    """``canon list`` with sections, years, tags, kinds, words, statuses and a limit."""
    chosen = _chosen(db, values)
    if chosen is None:
        return None
    clause, params = chosen
    lines = [line for (line,) in db.execute(f"SELECT {LINE} {FROM}{clause}", [lang, *params])]
    if not lines:
        return None
    text = "\n".join(lines) + "\n"
    if plain_text(text, 5 * len(lines), len(lines)):
        return text
    # a value that may need cleaning, or a tab in one: cell by cell, as text_lines does
    rows = db.execute(f"SELECT {ENTRY} {FROM}{clause}", params)
    return text_lines([entry_row(e, lang) for e in rows])


def next_entries(db: sqlite3.Connection, values: dict[str, object]) -> Picked | None:
    """``next``'s choice: the entries being read, then the first unread, in reading order
    (``count`` in all); None for an unknown filter."""
    found = sql_filters(db, values, Sections(db))
    if found is None:
        return None
    count = values.get("count", 1)
    assert isinstance(count, int)
    reading_now: Picked = []
    unread: Picked = []
    for entry in entries(db, *found):
        status = status_of(entry[3])
        if status == "reading":
            reading_now.append((entry, status))
        elif status == "unread" and len(unread) < count:
            unread.append((entry, status))
    return (reading_now + unread)[:count]


def next_answer(db: sqlite3.Connection, lang: str, values: dict[str, object]) -> str | None:
    """``canon next``: entries being read, then the first unread, in curriculum order."""
    picked = next_entries(db, values)
    return None if picked is None else text_lines([entry_row(e, lang) for e, _s in picked])
