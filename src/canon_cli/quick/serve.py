"""The quick path's one entry: a command line in, the whole answer out (or None)."""

from __future__ import annotations

import os
import sqlite3
import sys

from canon_cli.quick.argv import read_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from canon_cli.quick.argv import Line


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
    """What canon writes to stdout for ``argv``, when the quick path can answer it (the
    rest of the quick path is imported only for a command line it reads)."""
    line = read_line(argv)
    if line is None or not _plain_output(line.globals.get("color")):
        return None
    if os.environ.get("CANON_CATALOG") == "" or os.environ.get("CANON_LANG") == "":
        return None  # typer's reading of an empty variable is typer's to judge
    if line.command == "export" and str(line.values.get("fmt", "")).casefold() != "bibtex":
        return None  # the other formats (and the default, Markdown) are the general path's
    return _answer(line)


def _answer(line: Line) -> str | None:
    from canon_cli.quick import where
    from canon_cli.quick.data import open_data

    places = where.places()
    if places is None:
        return None
    settings = where.config_settings(places.config)
    if settings is None:
        return None
    folder = None
    if "sync_folder" in settings:  # read only if nothing is left to take in (quick/sync.py)
        from canon_cli.quick.sync import folder_path

        folder = folder_path(places.config, str(settings["sync_folder"]))
        if folder is None:
            return None
    chosen = where.choose_language(line.globals.get("lang"), settings, os.environ)
    main = line.globals.get("catalog") or os.environ.get("CANON_CATALOG")
    sources = where.catalog_sources(places.config, settings, main)
    if chosen is None or sources is None:
        return None
    if line.command in ("list", "open", "show") and os.path.lexists(
        os.path.join(places.cache, "links.json")
    ):
        return None  # a link check's verdicts: the general path reads them
    try:
        # stats reads the state alone, as the general path does (no snapshot needed)
        db = open_data(places.data, places.cache, None if line.command == "stats" else sources)
        if db is None:
            return None
        if folder is not None and not _synced(db, places.data, folder):
            db.close()
            return None
        try:
            return _reply(db, line, chosen, settings.get("open_marks_reading", True) is True)
        finally:
            db.close()
    except sqlite3.Error:
        return None


def _synced(db: sqlite3.Connection, data_dir: str, folder: str) -> bool:
    """With a sync folder: a state exists (the general path creates one) and opening it
    would take in and append nothing."""
    from canon_cli.quick.sync import nothing_to_take_in

    if not os.path.exists(os.path.join(data_dir, "state.db")):
        return False
    return nothing_to_take_in(db, folder)


def _reply(
    db: sqlite3.Connection, line: Line, chosen: tuple[str, bool], marks_reading: bool
) -> str | None:
    """The answer of the command's own module."""
    lang, values = chosen[0], line.values
    if line.command in ("log", "stats"):
        from canon_cli.quick import history

        return (history.log_answer if line.command == "log" else history.stats_answer)(
            db, lang, values
        )
    if line.command == "search":
        from canon_cli.quick.search import search_answer

        return search_answer(db, lang, values)
    if line.command == "show":
        from canon_cli.quick.show import show_answer

        return show_answer(db, lang, values, chosen[1])
    if line.command == "export":
        from canon_cli.quick.export import bibtex_answer

        return bibtex_answer(db, lang, values)
    from canon_cli.quick import answers

    if line.command == "open":
        return answers.open_answer(db, lang, values, marks_reading)
    reply = {
        "": answers.dashboard_answer,
        "list": answers.list_answer,
        "next": answers.next_answer,
        "progress": answers.progress_answer,
    }[line.command]
    return reply(db, lang, values)
