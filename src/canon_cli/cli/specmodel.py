"""The shapes of canon's command line (options, arguments, commands), and the options
and arguments several commands share.

``spec.py`` declares every command with these; ``cmdline.py`` reads a command line with
them. Plain data and no imports beyond the vocabulary: this module is on every start-up.
"""

# Evaluated annotations (no `from __future__ import annotations`): a NamedTuple would
# compile each field's annotation string at import (docs/decisions.md, "Record classes").

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
