"""The command line, declared once: every command's options and arguments.

Both ways a command line is read use this table. The typer commands build their
parameters from it (``options.py``), and the start-up fast path (``fastpath.py``)
parses with it without importing typer; ``tests/cli/test_spec.py`` derives typer's
side and fails on any difference, so the two cannot drift. The shapes, the options
several commands share and the global options are in ``specmodel.py``; ``cmdline.py``
reads a command line with them (``hoist`` lets the global options stand before or
after the command, on both paths).

Plain data and no imports beyond the vocabulary: this module is on every start-up. The
help texts are message ids (``N_``), translated when the help is shown (``helptext``).
"""

from __future__ import annotations

from canon_cli.cli.specmodel import (
    CATALOG_FILE,
    ENTRY_ID,
    ENTRY_IDS,
    FORCE,
    JSON,
    KINDS,
    LIMIT,
    ONE_ENTRY,
    ONE_SECTION,
    RATING,
    SEARCH,
    SECTIONS,
    SETTING,
    SHOWN_ENTRY_IDS,
    SORT,
    STATE_FILE,
    STATUSES,
    TAGS,
    YEAR,
    Arg,
    Command,
    Opt,
)
from canon_cli.i18n import N_
from canon_cli.vocab import MAX_COUNT


def _marks(name: str, status: str) -> Command:
    return Command(name, args=(ENTRY_IDS,), action="mark", fixed=(("status", status),))


COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (
        Command(
            "list",
            (SECTIONS, YEAR, TAGS, KINDS, SEARCH, STATUSES, RATING, SORT, LIMIT, JSON),
            action="list_entries",
        ),
        Command("show", (JSON,), (ENTRY_ID,), action="show_entry"),
        Command("sections", (JSON,), action="show_sections"),
        Command("tags", (JSON,), action="show_tags"),
        Command("paths", (JSON,), action="show_paths"),
        _marks("start", "reading"),
        _marks("done", "done"),
        _marks("skip", "skipped"),
        _marks("reset", "unread"),
        Command(
            "mark",
            (
                Opt(
                    "status",
                    ("--status",),
                    "text",
                    N_("unread, reading, done or skipped (or read, finished, todo, started)."),
                    required=True,
                    show_default=False,
                    complete="status",
                ),
            ),
            (ENTRY_IDS,),
            action="set_status",
        ),
        Command(
            "note",
            (
                Opt(
                    "edit",
                    ("--edit",),
                    "int",
                    N_(
                        "Replace the text of note N (1 is the oldest, as 'canon show' numbers "
                        "them)."
                    ),
                    minimum=1,
                    maximum=MAX_COUNT,
                    metavar="N",
                    show_default=False,
                ),
                Opt(
                    "delete",
                    ("--delete",),
                    "int",
                    N_("Delete note N (1 is the oldest, as 'canon show' numbers them)."),
                    minimum=1,
                    maximum=MAX_COUNT,
                    metavar="N",
                    show_default=False,
                ),
            ),
            (
                ENTRY_ID,
                Arg(
                    "text",
                    "[TEXT]...",
                    N_("The note (with --edit: its new text)."),
                    many=True,
                    required=False,
                    show_default=False,
                ),
            ),
        ),
        Command(
            "notes",
            (JSON,),
            (
                Arg(
                    "entry_id",
                    "[ID]",
                    N_("Only this entry's notes."),
                    required=False,
                    show_default=False,
                    complete="entry",
                ),
            ),
            action="show_notes",
        ),
        Command(
            "rate",
            args=(ENTRY_ID, Arg("rating", "N", N_("1 to 5; 0 clears the rating."), kind="int")),
        ),
        Command(
            "progress",
            (
                ONE_SECTION,
                JSON,
            ),
            action="show_progress",
        ),
        Command(
            "next",
            (
                SECTIONS,
                KINDS,
                Opt(
                    "count",
                    ("-n", "--count"),
                    "int",
                    N_("How many entries."),
                    minimum=1,
                    maximum=MAX_COUNT,
                    default=1,
                ),
                JSON,
            ),
            action="show_next",
        ),
        Command(
            "log",
            (LIMIT._replace(help=N_("Show at most N events.")), JSON),
            action="show_log",
        ),
        Command("stats", (JSON,), action="show_stats"),
        Command(
            "plan",
            (
                Opt(
                    "per_week",
                    ("--per-week",),
                    "text",
                    N_("Reading time a week (5h, 90m, 1h30m). Default: your pace so far."),
                    metavar="TIME",
                    show_default=False,
                ),
                ONE_SECTION,
                JSON,
            ),
        ),
        Command(
            "open",
            (
                Opt(
                    "link",
                    ("--link", "-l"),
                    "text",
                    N_(
                        "Open this link: a label (or its start) or a number as 'canon show' lists "
                        "them; 0 is the main link."
                    ),
                    metavar="LABEL|N",
                    show_default=False,
                ),
                Opt(
                    "every", ("--all",), "flag", N_("Open every link of the entry."), default=False
                ),
                Opt(
                    "print_only",
                    ("--print",),
                    "flag",
                    N_("Print the URLs, one a line, instead of opening them."),
                    default=False,
                ),
                Opt(
                    "no_mark",
                    ("--no-mark",),
                    "flag",
                    N_("Leave the entry's status as it is."),
                    default=False,
                ),
                Opt(
                    "archive",
                    ("--archive",),
                    "flag",
                    N_(
                        "Open the archived copy instead: the entry's archive link, else the "
                        "Internet Archive's (web.archive.org)."
                    ),
                    default=False,
                ),
            ),
            (
                Arg(
                    "entry_id",
                    "[ID]",
                    N_("Id, alias, id prefix or title. Default: the entry 'canon next' shows."),
                    required=False,
                    show_default=False,
                    complete="entry",
                ),
            ),
            action="open_entry",
        ),
        Command(
            "search",
            (SECTIONS, TAGS, KINDS, YEAR, STATUSES, LIMIT, JSON),
            (Arg("query", "QUERY...", N_("Words that must all match."), many=True),),
            action="search",
        ),
        Command(
            "add",
            (
                Opt("title", ("--title",), "text", N_("The title, as written."), required=True),
                Opt(
                    "section",
                    ("--section", "-s"),
                    "text",
                    N_("Section slug it belongs in."),
                    required=True,
                    complete="section",
                ),
                Opt("year", ("--year", "-y"), "int", N_("Year published.")),
                Opt(
                    "kind",
                    ("--kind", "-k"),
                    "text",
                    N_(
                        "paper, article, video, ... (default: paper for arXiv links, else article)."
                    ),
                    complete="any_kind",
                ),
                Opt(
                    "tag",
                    ("--tag", "-t"),
                    "text",
                    N_("Topic tag; repeat for several."),
                    many=True,
                    complete="tag",
                ),
                Opt(
                    "author",
                    ("--author", "-a"),
                    "text",
                    N_("An author; repeat for several."),
                    many=True,
                ),
                Opt("summary", ("--summary",), "text", N_("A short summary.")),
                Opt("summary_zh", ("--summary-zh",), "text", N_("The summary in Chinese.")),
                Opt("title_zh", ("--title-zh",), "text", N_("The title in Chinese.")),
                Opt(
                    "entry_id",
                    ("--id",),
                    "text",
                    N_("Choose the id (default: made from the title)."),
                ),
            ),
            (Arg("url", "URL", N_("The http(s) link to the work.")),),
        ),
        Command(
            "remove",
            args=(
                Arg(
                    "entry_id",
                    "ID",
                    N_("The exact id of an entry you added."),
                    complete="user_entry",
                ),
            ),
        ),
        Command(
            "export",
            (
                Opt(
                    "fmt",
                    ("--format", "-f"),
                    "choice",
                    N_("md, json, csv or bibtex (default: from the -o suffix, else md)."),
                    choices=("md", "json", "csv", "bibtex"),
                    show_default=False,
                ),
                SECTIONS,
                STATUSES,
                TAGS,
                KINDS,
                YEAR,
                Opt("output", ("--output", "-o"), "file", N_("Write to FILE instead of stdout.")),
                FORCE,
            ),
            action="export",
        ),
        Command("state", group=True),
        Command(
            "state export",
            (
                Opt(
                    "fmt",
                    ("--format", "-f"),
                    "choice",
                    N_("yaml (readable) or journal (every change)."),
                    choices=("yaml", "journal"),
                    default="yaml",
                ),
                FORCE,
            ),
            (STATE_FILE,),
        ),
        Command("state import", args=(STATE_FILE,)),
        Command("state merge", args=(STATE_FILE,)),
        Command("sync", (JSON,)),
        Command("undo"),
        Command(
            "history",
            (
                Opt(
                    "limit",
                    ("-n", "--limit"),
                    "int",
                    N_("Show the newest N changes."),
                    minimum=1,
                    maximum=MAX_COUNT,
                ),
                JSON,
            ),
            (ONE_ENTRY,),
        ),
        Command("edit", args=(ONE_ENTRY,)),
        Command("browse", action="browse"),
        Command("links", (JSON,), group=True),
        Command(
            "links check",
            (
                SECTIONS,
                Opt(
                    "catalog",
                    ("--catalog",),
                    "file",
                    N_(
                        "Only the entries of this catalog file (one canon reads: see "
                        "'canon paths')."
                    ),
                    show_default=False,
                    dir_okay=False,
                ),
                Opt(
                    "timeout",
                    ("--timeout",),
                    "float",
                    N_("Seconds to wait for each request."),
                    minimum=0.1,
                    maximum=300,
                    default=10.0,
                ),
                Opt(
                    "max_age",
                    ("--max-age",),
                    "text",
                    N_("Re-check only links last checked longer ago than AGE (30m, 12h, 3d, 2w)."),
                    metavar="AGE",
                    show_default=False,
                ),
                JSON,
            ),
            (SHOWN_ENTRY_IDS,),
        ),
        Command("config", (JSON,), group=True),
        Command("config get", (JSON,), (SETTING,)),
        Command(
            "config set",
            args=(
                SETTING,
                Arg(
                    "value",
                    "VALUE",
                    N_("en/zh, true/false, or comma-separated catalog files."),
                    complete="setting_value",
                ),
            ),
        ),
        Command("config unset", args=(SETTING,)),
        Command("config add-catalog", args=(CATALOG_FILE,)),
        Command("config remove-catalog", args=(CATALOG_FILE,)),
    )
}
