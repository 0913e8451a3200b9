"""The quick path's one entry: a command line in, the whole answer out (or None)."""

from __future__ import annotations

import os
import sqlite3
import sys

from canon_cli.quick import answers, history, show, where
from canon_cli.quick.argv import read_line
from canon_cli.quick.data import open_data

ANSWERS = {
    "": answers.dashboard_answer,
    "list": answers.list_answer,
    "next": answers.next_answer,
    "progress": answers.progress_answer,
    "log": history.log_answer,
    "stats": history.stats_answer,
}


def _plain_output(color: str | None) -> bool:
    """Plain lines to a pipe, as streams.use_rich would decide, in UTF-8."""
    if color is not None and color.casefold() not in ("auto", "never"):
        return False  # --color always draws a table (an unknown word: typer says so)
    never = (color or "").casefold() == "never" or bool(os.environ.get("NO_COLOR"))
    if not never and os.environ.get("FORCE_COLOR"):
        return False
    if os.environ.get("TTY_COMPATIBLE") == "1":
        return False
    stdout = sys.stdout
    try:
        if stdout.isatty():
            return False
    except (AttributeError, ValueError):
        return False
    return (getattr(stdout, "encoding", "") or "").replace("-", "").casefold() == "utf8"


def answer(argv: list[str]) -> str | None:
    """What canon writes to stdout for ``argv``, when the quick path can answer it."""
    line = read_line(argv)
    if line is None or not _plain_output(line.globals.get("color")):
        return None
    if "CANON_CATALOG" in os.environ or os.environ.get("CANON_LANG") == "":
        return None  # a catalog given by variable is checked by the general path
    places = where.places()
    if places is None:
        return None
    settings = where.config_settings(places.config)
    if settings is None or "sync_folder" in settings:
        return None  # other devices' changes are taken in by the general path
    chosen = where.choose_language(line.globals.get("lang"), settings, os.environ)
    sources = where.catalog_sources(places.config, settings)
    if chosen is None or sources is None:
        return None
    lang = chosen[0]
    if line.command in ("list", "open", "show") and os.path.lexists(
        os.path.join(places.cache, "links.json")
    ):
        return None  # a link check's verdicts: the general path reads them
    try:
        db = open_data(places.data, places.cache, sources)
        if db is None:
            return None
        try:
            if line.command == "show":
                return show.show_answer(db, lang, line.values, chosen[1])
            if line.command == "open":
                marks = settings.get("open_marks_reading", True) is True
                return answers.open_answer(db, lang, line.values, marks)
            return ANSWERS[line.command](db, lang, line.values)
        finally:
            db.close()
    except sqlite3.Error:
        return None
