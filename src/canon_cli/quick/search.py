"""The quick path's ``canon search WORDS`` to a pipe: the FTS5 query of
``catalog/query.py``, ranked the same way, then the entries found by the reader's
notes alone, in the columns of ``output/searchview.py``.

Only when every word matches somewhere as typed: a word with no hit is widened to
close index terms by the general path (difflib), and a query of nothing but
punctuation is its to explain. Notes kept under a former id go there too.
"""

from __future__ import annotations

from canon_cli.charsets import CJK_RANGES
from canon_cli.quick.answers import (
    ENTRY,
    Sections,
    entries,
    entry_row,
    sql_filters,
    text_lines,
    wanted_statuses,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3

# bm25 weights of title, authors, tags and summaries (catalog/store.Catalog.search)
_SEARCH = (
    "WITH hits AS (SELECT rowid AS r, bm25(fts, 8.0, 4.0, 6.0, 1.0) AS score"
    " FROM cat.fts WHERE fts MATCH ?),"
    " strong AS (SELECT rowid AS r FROM cat.fts WHERE fts MATCH ?)"
    " SELECT {columns} FROM cat.entries e JOIN hits ON e.ord = hits.r"
    " LEFT JOIN st.current c ON c.entry = e.id AND c.field = 'status'"
    " WHERE 1{where} ORDER BY e.ord IN strong DESC, hits.score, e.ord"
)


def _cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in CJK_RANGES)


def tokens(text: str) -> list[str]:
    """query._query_tokens without re: ``\\w+`` runs of the casefolded text, each CJK
    character a token of its own (snapshot.fts_text spaces them apart)."""
    found: list[str] = []
    current = ""
    for char in text.casefold():
        if _cjk(char):
            found += [current, char] if current else [char]
            current = ""
        elif char.isalnum() or char == "_":
            current += char
        elif current:
            found.append(current)
            current = ""
    return [*found, current] if current else found


def _phrase(words: list[str]) -> str:
    quoted = '"' + " ".join(word.replace('"', '""') for word in words) + '"'
    return quoted if len(words[-1]) == 1 and _cjk(words[-1]) else quoted + "*"


def match_expression(db: sqlite3.Connection, text: str) -> str | None:
    """query._match_expression when every word matches as typed; None otherwise (no
    words, or one the general path widens to close terms)."""
    chunks = [found for chunk in text.split() if (found := tokens(chunk))]
    meaningful = [
        c for c in chunks if len(c) > 1 or len(c[0]) > 1 or (len(c[0]) == 1 and _cjk(c[0]))
    ]
    chunks = meaningful or chunks
    if not chunks:
        return None
    groups = []
    for words in chunks:
        term = _phrase(words)
        if len(words) == 1 and len(words[0]) >= 4:
            hit = db.execute("SELECT 1 FROM cat.fts WHERE fts MATCH ? LIMIT 1", (term,))
            if hit.fetchone() is None:
                return None
        groups.append(term)
    return " AND ".join(groups)


def _noting(db: sqlite3.Connection, text: str) -> set[str] | None:
    """notes.entries_noting: ids whose notes, together, hold every word (any case);
    None when a note is kept under a former id (the general path folds those)."""
    words = text.casefold().split()
    rows = db.execute(
        "SELECT c.entry, c.value, a.id FROM st.current c LEFT JOIN cat.aliases a"
        " ON a.alias = c.entry WHERE c.field >= 'note:' AND c.field < 'note;'"
        " AND c.value != 'null' ORDER BY c.clock, c.device, c.field"
    ).fetchall()
    if not rows or not words:
        return set()
    import json

    notes: dict[str, list[tuple[str, str]]] = {}
    for entry, value, alias_of in rows:
        if alias_of is not None:
            return None
        note = json.loads(value)
        if isinstance(note, dict):
            notes.setdefault(entry, []).append((str(note.get("at", "")), str(note.get("text", ""))))
    found = set()
    for entry, entry_notes in notes.items():
        entry_notes.sort(key=lambda n: n[0])
        joined = "\n".join(text for _at, text in entry_notes).casefold()
        if all(word in joined for word in words):
            found.add(entry)
    return found


def search_condition(db: sqlite3.Connection, text: str) -> tuple[str, list[object]] | None:
    """query.find_entries' condition for ``list --search``: an index match, or notes
    that hold every word; None where the general path decides."""
    match = match_expression(db, text)
    noted = _noting(db, text)
    if match is None or noted is None:
        return None
    clause = "e.ord IN (SELECT rowid FROM cat.fts WHERE fts MATCH ?)"
    if not noted:
        return clause, [match]
    ids = sorted(noted)
    return f"({clause} OR e.id IN ({','.join('?' * len(ids))}))", [match, *ids]


def search_answer(db: sqlite3.Connection, lang: str, values: dict[str, object]) -> str | None:
    """``canon search WORDS`` with sections, years, tags, kinds, statuses and a limit."""
    query = values.get("query") or []
    assert isinstance(query, list)
    text = " ".join(map(str, query))
    filters = sql_filters(db, values, Sections(db))
    wanted = wanted_statuses(values)
    match = match_expression(db, text)
    noted = _noting(db, text)
    if filters is None or wanted is None or match is None or noted is None:
        return None
    where, params = filters
    strong = "{title authors tags} : (" + match + ")"
    sql = _SEARCH.format(columns=ENTRY, where="".join(" AND " + w for w in where))
    found = [entry_row(e, lang) for e in db.execute(sql, [match, strong, *params])]
    seen = {row[0] for row in found}
    rest = sorted(noted - seen)
    if rest:  # found by the reader's notes alone: after the ranked hits, in reading order
        only = [*where, f"e.id IN ({','.join('?' * len(rest))})"]
        found += [entry_row(e, lang) for e in entries(db, only, [*params, *rest])]
    rows = [row for row in found if not wanted or row[3] in wanted]
    limit = values.get("limit")
    return text_lines(rows[:limit] if isinstance(limit, int) else rows)
