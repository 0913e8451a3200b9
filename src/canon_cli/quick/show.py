"""The quick path's ``canon show ID`` to a pipe: ``field:<TAB>value`` lines, then the
text blocks, as ``output/views.py`` writes them (``_show_entry_plain``).

Only for an entry named by its id or a former id, with no record kept under a former
id (the general path folds those), and dates in the form canon stores. The entry's
lists (authors, links, aliases, venue) and the record's values are JSON in the
snapshot and the state, so this answer alone imports ``json``.
"""

from __future__ import annotations

from canon_cli.quick.answers import as_is, entry_named, section_heading
from canon_cli.quick.history import local_minute

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3

# the message catalog's Chinese for "main", the label of an entry's own link (a test
# compares it with locale/zh): words.link_label
MAIN_LABEL = {"en": "main", "zh": "主链接"}
_COLUMNS = (
    "id, title, title_zh, section, kind, year, authors, tags, minutes, venue, arxiv, doi,"
    " aliases, summary_en, summary_zh, note_en, note_zh, url, links"
)
_NOTE = "note:"


def _record(db: sqlite3.Connection, entry_id: str, aliases: list[str]) -> dict[str, object] | None:
    """fold.fold of the entry's fields (status, started, finished, rating, notes in
    time order); None when a former id holds some of them."""
    import json

    if aliases:
        held = db.execute(
            f"SELECT 1 FROM st.current WHERE entry IN ({','.join('?' * len(aliases))}) LIMIT 1",
            aliases,
        ).fetchone()
        if held is not None:
            return None
    record: dict[str, object] = {"status": "unread"}
    notes: list[tuple[str, str]] = []
    for field, raw in db.execute(
        "SELECT field, value FROM st.current WHERE entry = ? ORDER BY clock, device, field",
        (entry_id,),
    ):
        value = json.loads(raw)
        if value is None:
            continue
        text = field in ("status", "started", "finished") and isinstance(value, str)
        if text or (field == "rating" and isinstance(value, int)):
            record[field] = value
        elif field.startswith(_NOTE) and isinstance(value, dict):
            if not isinstance(value.get("text"), str):
                return None  # a note canon did not write: the general path's to judge
            notes.append((str(value.get("at", "")), value["text"]))
    notes.sort(key=lambda n: n[0])
    record["notes"] = notes
    return record


def _when(stamp: object) -> str | None:
    """words.when: "" for none, else the local minute (None: a form only the general
    path reads)."""
    return "" if not stamp else local_minute(str(stamp))


def _blocks(row: dict[str, object], both: bool, lang: str) -> list[tuple[str, str]]:
    """views._text_blocks with the field names a pipe shows."""
    english, chinese = both or lang == "en", both or lang == "zh"
    wanted = [
        ("summary", row["summary_en"], english),
        ("summary_zh", row["summary_zh"], chinese),
        ("note", row["note_en"], english),
        ("note_zh", row["note_zh"], chinese),
    ]
    return [(h, str(text)) for h, text, shown in wanted if shown and (text or h == "summary")]


def _fields(
    db: sqlite3.Connection, row: dict[str, object], record: dict[str, object], lang: str
) -> list[tuple[str, str]] | None:
    """The ``field:<TAB>value`` pairs that have a value, in views._show_entry_plain's
    order; None for a time in a form only the general path reads."""
    import json

    times = [_when(record.get("started")), _when(record.get("finished"))]
    if None in times:
        return None
    venue = json.loads(str(row["venue"])) if row["venue"] else None
    pairs = [
        ("title_zh", row["title_zh"] or ""),
        ("id", row["id"]),
        ("section", section_heading(db, str(row["section"]), lang)),
        ("kind", row["kind"]),
        ("year", str(row["year"] or "")),
        ("authors", ", ".join(json.loads(str(row["authors"])))),
        ("tags", ", ".join(str(row["tags"]).split())),
        ("minutes", str(row["minutes"] or "")),
        ("venue", f"{venue[1]} {venue[2]}" if venue else ""),
        ("arxiv", row["arxiv"] or ""),
        ("doi", row["doi"] or ""),
        ("status", record["status"]),
        ("started", times[0]),
        ("finished", times[1]),
        ("rating", str(record.get("rating") or "")),
        ("aliases", ", ".join(json.loads(str(row["aliases"])))),
    ]
    if lang == "zh" and row["title_zh"] and row["title_zh"] != row["title"]:
        pairs.insert(0, ("title", row["title"]))  # the Chinese title heads it
    return [(key, str(value)) for key, value in pairs if value]


def _text_blocks(
    row: dict[str, object], record: dict[str, object], lang: str, chosen: bool
) -> list[tuple[str, str]] | None:
    """The summaries and notes, the links and the reader's notes, as (heading, text)."""
    import json

    notes = record["notes"]
    assert isinstance(notes, list)
    noted = [(_when(at), text) for at, text in notes]
    if any(at is None for at, _text in noted):
        return None
    links = [(MAIN_LABEL[lang], str(row["url"]))]
    links += [(str(label), str(url)) for label, url in json.loads(str(row["links"]))]
    blocks = _blocks(row, not chosen, lang)
    blocks.append(("links", "\n".join(f"[{i}] {lb}: {url}" for i, (lb, url) in enumerate(links))))
    if noted:
        numbered = (f"[{i}] {at}  {text}" for i, (at, text) in enumerate(noted, 1))
        blocks.append(("notes", "\n".join(numbered)))
    return blocks


def show_answer(
    db: sqlite3.Connection, lang: str, values: dict[str, object], chosen: bool = True
) -> str | None:
    """``canon show ID``; ``chosen``: whether something chose the language (else both
    languages' texts are shown, as Session.lang_chosen decides)."""
    import json

    entry_id = entry_named(db, str(values.get("entry_id", "")))
    if entry_id is None:
        return None
    found = db.execute(f"SELECT {_COLUMNS} FROM cat.entries WHERE id = ?", (entry_id,))
    row = dict(zip(_COLUMNS.replace(" ", "").split(","), found.fetchone(), strict=True))
    record = _record(db, entry_id, json.loads(str(row["aliases"])))
    if record is None:
        return None
    pairs = _fields(db, row, record, lang)
    blocks = _text_blocks(row, record, lang, chosen)
    if pairs is None or blocks is None:
        return None
    shown = str(row["title_zh"]) if lang == "zh" and row["title_zh"] else str(row["title"])
    body = [line for _heading, text in blocks for line in text.split("\n")]
    if not all(map(as_is, [shown, *(v for _k, v in pairs)])):
        return None  # text the general path shows escaped
    if not all(as_is(line, one_line=False) for line in body):
        return None
    lines = [shown, *(f"{key}:\t{value}" for key, value in pairs)]
    for heading, text in blocks:
        lines += ["", heading + ":", *("  " + line for line in text.split("\n"))]
    return "".join(line + "\n" for line in lines)
