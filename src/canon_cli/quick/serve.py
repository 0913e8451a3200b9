"""The quick path's one entry: a command line in, the whole answer out (or None)."""

from __future__ import annotations

import os
import sqlite3
import sys

from canon_cli.quick.argv import read_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from canon_cli.quick.argv import Line

    Reply = str | Callable[[], None] | None  # text for a pipe, a drawing for a terminal


def _output(color: str | None) -> str | None:
    """ "plain" lines to a pipe or a "terminal" table, as streams.use_rich would decide,
    in UTF-8; None for the general path (forced colour, another encoding)."""
    if color is not None and color.casefold() not in ("auto", "never"):
        return None  # --color always draws a table (an unknown word: typer says so)
    never = (color or "").casefold() == "never" or bool(os.environ.get("NO_COLOR"))
    if not never and os.environ.get("FORCE_COLOR"):
        return None
    if os.environ.get("TTY_COMPATIBLE") == "1":
        return None
    stdout = sys.stdout
    try:
        kind = "terminal" if stdout.isatty() else "plain"
    except (AttributeError, ValueError):
        return None
    utf8 = (getattr(stdout, "encoding", "") or "").replace("-", "").casefold() == "utf8"
    return kind if utf8 else None


def _line(argv: list[str]) -> tuple[Line, str] | None:
    """The command line and where its answer goes ("plain" or "terminal"), when the
    quick path reads it."""
    if not all(word.isascii() or _encodable(word) for word in argv):
        return None  # bytes that are not UTF-8 (a surrogate): the general path's to report
    line = read_line(argv)
    output = None if line is None else _output(line.globals.get("color"))
    if line is None or output is None:
        return None
    if os.environ.get("CANON_CATALOG") == "" or os.environ.get("CANON_LANG") == "":
        return None  # typer's reading of an empty variable is typer's to judge
    if line.command == "export" and str(line.values.get("fmt", "")).casefold() != "bibtex":
        return None  # the other formats (and the default, Markdown) are the general path's
    if output == "terminal" and line.command not in _DRAWN:
        return None
    return line, output


def _encodable(word: str) -> bool:
    try:
        word.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# the views quick/terminal.py draws on a terminal
_DRAWN = ("", "list", "next", "progress")


def answer(argv: list[str]) -> str | None:
    """What canon writes to a pipe for ``argv``, when the quick path can answer it (the
    rest of the quick path is imported only for a command line it reads)."""
    found = _line(argv)
    if found is None or found[1] != "plain":
        return None
    reply = _answer(found[0], False)
    return reply if isinstance(reply, str) else None


def respond(argv: list[str], built: str | None = None) -> bool:
    """Answer ``argv`` on stdout if the quick path can: text to a pipe, or on a terminal
    the dashboard, ``list``'s or ``next``'s table or ``progress``'s bars, read before
    anything is drawn (quick/terminal.py). False: nothing was written (and
    ``data.wanted`` says if a catalog snapshot to build was all that was missing).
    ``built``: the snapshot this process has just built (``data.open_data``)."""
    found = _line(argv)
    if found is None:
        return False
    line, output = found
    reply = _answer(line, output == "terminal", built)
    if reply is None:
        return False
    if isinstance(reply, str):
        sys.stdout.write(reply)
    else:
        reply()
    return True


def _answer(line: Line, terminal: bool, built: str | None = None) -> Reply:
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
        catalog = None if line.command == "stats" else sources
        db = open_data(places.data, places.cache, catalog, built)
        if db is None:
            return None
        if folder is not None and not _synced(db, places.data, folder):
            db.close()
            return None
        try:
            if terminal:  # one of the views in _DRAWN
                from canon_cli.quick import terminal as views

                drawn = {
                    "": views.dashboard_drawing,
                    "list": views.list_drawing,
                    "next": views.next_drawing,
                    "progress": views.progress_drawing,
                }[line.command]
                return drawn(db, chosen[0], line.values, line.globals)
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

        return bibtex_answer(db, values)
    if line.command in ("", "progress"):
        from canon_cli.quick import progress

        answer = progress.dashboard_answer if line.command == "" else progress.progress_answer
        return answer(db, lang, values)
    from canon_cli.quick import answers

    if line.command == "open":
        return answers.open_answer(db, lang, values, marks_reading)
    return (answers.list_answer if line.command == "list" else answers.next_answer)(
        db, lang, values
    )
