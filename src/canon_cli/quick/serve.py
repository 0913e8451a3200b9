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


def _line(argv: list[str], output: str) -> Line | None:
    line = read_line(argv)
    if line is None or _output(line.globals.get("color")) != output:
        return None
    if os.environ.get("CANON_CATALOG") == "" or os.environ.get("CANON_LANG") == "":
        return None  # typer's reading of an empty variable is typer's to judge
    if line.command == "export" and str(line.values.get("fmt", "")).casefold() != "bibtex":
        return None  # the other formats (and the default, Markdown) are the general path's
    return line


def answer(argv: list[str]) -> str | None:
    """What canon writes to stdout for ``argv``, when the quick path can answer it (the
    rest of the quick path is imported only for a command line it reads)."""
    line = _line(argv, "plain")
    reply = None if line is None else _answer(line, False)
    return reply if isinstance(reply, str) else None


def drawing(argv: list[str]) -> Callable[[], None] | None:
    """On a terminal, the dashboard, the table of ``canon list`` or ``canon next``, or
    ``canon progress``'s bars, read and ready to draw (quick/terminal.py)."""
    line = _line(argv, "terminal")
    if line is None or line.command not in ("", "list", "next", "progress"):
        return None
    reply = _answer(line, True)
    return None if reply is None or isinstance(reply, str) else reply


def respond(argv: list[str]) -> bool:
    """Answer ``argv`` on stdout if the quick path can; False: nothing was written."""
    text = answer(argv)
    if text is not None:
        sys.stdout.write(text)
        return True
    draw = drawing(argv)
    if draw is None:
        return False
    draw()
    return True


def _answer(line: Line, terminal: bool) -> Reply:
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
            if terminal:  # the views drawing() asks for
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
