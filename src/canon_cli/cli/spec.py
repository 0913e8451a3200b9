"""The command line, declared once: every command's options and arguments.

Both ways a command line is read use this table. The typer commands build their
parameters from it (``options.py``), and the start-up fast path (``fastpath.py``)
parses with it without importing typer; ``tests/cli/test_spec.py`` derives typer's
side and fails on any difference, so the two cannot drift. ``hoist`` lets the global
options stand before or after the command, on both paths.

Plain data and no imports beyond the vocabulary: this module is on every start-up. The
help texts are message ids (``N_``), translated when the help is shown (``helptext``).
"""

from __future__ import annotations

from typing import NamedTuple

from canon_cli.i18n import N_
from canon_cli.vocab import MAX_COUNT, RATING_MAX, RATING_MIN, SORT_KEYS


class Opt(NamedTuple):
    """An option. ``kind``: "flag", "text", "int", "float", "choice" or "file"."""

    param: str  # the Python parameter it fills
    names: tuple[str, ...]
    kind: str
    help: str
    many: bool = False  # repeatable: the values are collected in a list
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()  # "choice": matched case-insensitively
    default: object = None
    required: bool = False
    metavar: str | None = None
    show_default: bool = True
    complete: str | None = None  # which completion function (options.COMPLETERS)
    envvar: str | None = None
    dir_okay: bool = True  # "file": a folder is accepted (canon then words the error)

    @property
    def takes_value(self) -> bool:
        return self.kind != "flag"


class Arg(NamedTuple):
    """A positional argument. ``kind``: "text", "int" or "file"."""

    param: str
    metavar: str
    help: str | None = None
    kind: str = "text"
    many: bool = False  # ID...: one or more
    required: bool = True
    show_default: bool = True
    complete: str | None = None
    dir_okay: bool = True


class Command(NamedTuple):
    """A command (``name`` is its path, e.g. "config set") and how the fast path runs it."""

    name: str
    options: tuple[Opt, ...] = ()
    args: tuple[Arg, ...] = ()
    action: str | None = None  # the ``actions`` function the fast path calls, if it serves it
    fixed: tuple[tuple[str, object], ...] = ()  # extra keyword arguments for ``action``
    group: bool = False  # has subcommands


# --- options shared by several commands ---------------------------------------

SECTIONS = Opt(
    "section",
    ("--section", "-s"),
    "text",
    N_("Section slug at any level (e.g. agents, research); repeat for several."),
    many=True,
    show_default=False,
    complete="section",
)
YEAR = Opt(
    "year", ("--year", "-y"), "text", N_("A year (2022) or a range: 2020..2022, 2021.., ..2019.")
)
TAGS = Opt(
    "tag",
    ("--tag", "-t"),
    "text",
    N_("Topic tag; repeat to require several."),
    many=True,
    show_default=False,
    complete="tag",
)
KINDS = Opt(
    "kind",
    ("--kind", "-k"),
    "text",
    N_("Kind (paper, article, video, ...); repeat for any of several."),
    many=True,
    show_default=False,
    complete="kind",
)
STATUSES = Opt(
    "status",
    ("--status",),
    "text",
    N_(
        "unread, reading, done or skipped (or read, finished, todo, started); "
        "repeat for any of several."
    ),
    many=True,
    show_default=False,
    complete="status",
)
SEARCH = Opt(
    "search",
    ("--search", "-q"),
    "text",
    N_("Words that must all match title, authors, tags or summaries."),
)
RATING = Opt(
    "rating",
    ("--rating",),
    "int",
    N_("Only entries you rated N or more (1-5)."),
    minimum=RATING_MIN,
    maximum=RATING_MAX,
    metavar="N",
    show_default=False,
)
SORT = Opt(
    "sort",
    ("--sort",),
    "choice",
    N_(
        "Order by year (oldest first), title, rating (best first) or finished (latest "
        "first) instead of curriculum order."
    ),
    choices=SORT_KEYS,
    show_default=False,
)
JSON = Opt("as_json", ("--json",), "flag", N_("Print JSON and nothing else."), default=False)
LIMIT = Opt(
    "limit", ("-n", "--limit"), "int", N_("Show at most N entries."), minimum=1, maximum=MAX_COUNT
)
FORCE = Opt("force", ("--force",), "flag", N_("Overwrite FILE if it exists."), default=False)

ONE_SECTION = Opt(
    "section",
    ("--section", "-s"),
    "text",
    N_("Only this section (any level)."),
    show_default=False,
    complete="section",
)
ENTRY_ID = Arg("entry_id", "ID", N_("Id, alias, id prefix or title."), complete="entry")
ENTRY_IDS = Arg(
    "ids", "ID...", N_("Ids, aliases, id prefixes or titles."), many=True, complete="entry"
)
STATE_FILE = Arg("file", "FILE", kind="file")
ONE_ENTRY = Arg(
    "entry_id", "[ID]", N_("Only this entry."), required=False, show_default=False, complete="entry"
)
SHOWN_ENTRY_IDS = Arg(
    "ids",
    "[ID]...",
    N_("Check these entries only (default: every entry)."),
    many=True,
    required=False,
    show_default=False,
    complete="entry",
)
SETTING = Arg("key", "KEY", N_("A setting's name."), complete="setting")
CATALOG_FILE = Arg("path", "PATH", N_("A catalog file."))

# --- options before the command -----------------------------------------------

GLOBALS = (
    Opt(
        "catalog",
        ("--catalog",),
        "file",
        N_("Read this catalog file instead of the built-in one."),
        envvar="CANON_CATALOG",
    ),
    Opt(
        "lang",
        ("--lang",),
        "text",
        N_(
            "Language of canon's messages, summaries and names: en or zh (any case; "
            "zh-CN and zh_CN too). Default: the language setting, else the locale."
        ),
        envvar="CANON_LANG",
    ),
    Opt(
        "color",
        ("--color",),
        "choice",
        N_(
            "Colour: auto (on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), "
            "always (also in a pipe) or never (no escape codes at all)."
        ),
        choices=("auto", "always", "never"),
        metavar="auto|always|never",
    ),
    Opt(
        "no_pager",
        ("--no-pager",),
        "flag",
        N_(
            "Never page long output (else a terminal pages what is longer than the screen "
            "through CANON_PAGER, else PAGER, else less -FRX)."
        ),
        default=False,
    ),
    Opt("version", ("--version",), "flag", N_("Show canon's version."), default=False),
)
# Global options that may also be written after the command (``hoist``)...
AFTER_TOO = ("--catalog", "--lang", "--color", "--no-pager")
# ...and options of the commands that may also be written before it.
BEFORE_OR_AFTER = ("--json",)


# ``canon`` with no command: the dashboard (its options stand with the global ones).
DASHBOARD = Command(
    "",
    (JSON._replace(help=N_("With no command: print the dashboard as JSON.")),),
    action="show_dashboard",
)


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


def find_option(options: tuple[Opt, ...], token: str) -> tuple[Opt | None, str | None]:
    """The option a command-line word names, and its value if attached
    (``--name=value``, ``-nVALUE``); (None, None) when it names none of ``options``."""
    if token.startswith("--"):
        name, eq, value = token.partition("=")
        for opt in options:
            if name in opt.names:
                return opt, value if eq else None
        return None, None
    for opt in options:
        if token in opt.names:
            return opt, None
        if len(token) > 2 and token[:2] in opt.names and opt.takes_value:
            return opt, token[2:]
    return None, None


def command_path(argv: list[str], start: int) -> tuple[str, int] | None:
    """The command named at ``argv[start]`` with its subcommand (e.g. "config set"), and
    the index after it; None when ``argv[start]`` names no command."""
    if start >= len(argv) or argv[start] not in COMMANDS:
        return None
    name = argv[start]
    index = start + 1
    if COMMANDS[name].group:
        # group options (config --json) may stand between the group and its subcommand
        scan = index
        while scan < len(argv) and argv[scan].startswith("-"):
            opt, value = find_option(COMMANDS[name].options, argv[scan])
            if opt is None:
                return name, index
            scan += 2 if opt.takes_value and value is None else 1
        sub = f"{name} {argv[scan]}" if scan < len(argv) else ""
        if sub in COMMANDS:
            return sub, scan + 1
    return name, index


def hoist(argv: list[str]) -> list[str]:
    """``argv`` with the global options moved before the command and the options of
    ``BEFORE_OR_AFTER`` given before it moved after it, so both places work.

    Words the table does not know are left where they are (typer reports them), and
    nothing after ``--`` moves. The values of a command's own options never move.
    """
    front: list[str] = []
    index = 0
    moved_after: list[str] = []
    while index < len(argv) and argv[index].startswith("-") and argv[index] != "--":
        token = argv[index]
        opt, value = find_option(GLOBALS, token)
        width = 2 if opt is not None and opt.takes_value and value is None else 1
        if opt is None and token in BEFORE_OR_AFTER:
            moved_after.append(token)
        else:
            front.extend(argv[index : index + width])
        index += width
    found = command_path(argv, index)
    if found is None:
        return list(argv)
    name, after = found
    command = COMMANDS[name]
    keep_before = [t for t in moved_after if find_option(command.options, t)[0] is None]
    moved_after = [t for t in moved_after if t not in keep_before]
    rest: list[str] = []
    tail = argv[after:]
    i = 0
    while i < len(tail):
        token = tail[i]
        if token == "--":
            rest.extend(tail[i:])
            break
        own, value = find_option(command.options, token) if token.startswith("-") else (None, None)
        if own is not None:
            width = 2 if own.takes_value and value is None else 1
            rest.extend(tail[i : i + width])
            i += width
            continue
        opt, value = find_option(GLOBALS, token) if token.startswith("--") else (None, None)
        if opt is not None and opt.names[0] not in AFTER_TOO:
            opt = None
        if opt is not None and opt.takes_value and value is None and i + 1 >= len(tail):
            opt = None  # no value to move with it: typer reports it where it stands
        if opt is None:
            rest.append(token)
            i += 1
            continue
        width = 2 if opt.takes_value and value is None else 1
        front.extend(tail[i : i + width])
        i += width
    return [*front, *keep_before, *argv[index:after], *moved_after, *rest]
