"""The command lines the quick path answers, read without the option spec's machinery.

A deliberately small grammar: the dashboard, ``list``, ``next`` and ``progress`` with
their filters and counts, ``search``, ``show``, ``open [ID] --print``, ``log``,
``stats`` and ``export --format bibtex`` to stdout, and the global ``--catalog``,
``--lang``, ``--color`` and ``--no-pager`` before or after the command. Every word
must be one of these, well formed; anything else (``--json``, ``--sort``,
``-sagents``, ``--``, a repeated option, a value that looks like an option) gives None
and the general path reads the line, with its own messages.
``tests/quick/test_agreement.py`` checks each name here against ``cli/spec.py``.
"""

from __future__ import annotations

from canon_cli.vocab import MAX_COUNT

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

# option word -> (parameter, how it is read): "many" (repeatable text), "text", "count"
_FILTERS = {
    "--section": ("section", "many"),
    "-s": ("section", "many"),
    "--year": ("year", "text"),
    "-y": ("year", "text"),
    "--tag": ("tag", "many"),
    "-t": ("tag", "many"),
    "--kind": ("kind", "many"),
    "-k": ("kind", "many"),
    "--status": ("status", "many"),
    "--limit": ("limit", "count"),
    "-n": ("limit", "count"),
}
_LIST = {**_FILTERS, "--search": ("search", "text"), "-q": ("search", "text")}
_NEXT = {
    "--section": ("section", "many"),
    "-s": ("section", "many"),
    "--kind": ("kind", "many"),
    "-k": ("kind", "many"),
    "--count": ("count", "count"),
    "-n": ("count", "count"),
}
_PROGRESS = {"--section": ("section", "text"), "-s": ("section", "text")}
_OPEN = {"--print": ("print_only", ""), "--no-mark": ("no_mark", "")}
_LOG = {"--limit": ("limit", "count"), "-n": ("limit", "count")}
# export's filters (it has no limit) and its format; only bibtex is answered (serve.py)
_EXPORT = {
    **{name: read for name, read in _FILTERS.items() if read[0] != "limit"},
    "--format": ("fmt", "text"),
    "-f": ("fmt", "text"),
}
COMMANDS: dict[str, Mapping[str, tuple[str, str]]] = {
    "": {},  # canon with no command: the dashboard
    "list": _LIST,
    "next": _NEXT,
    "progress": _PROGRESS,
    "open": _OPEN,
    "log": _LOG,
    "stats": {},
    "show": {},
    "search": _FILTERS,
    "export": _EXPORT,
}
# commands that take positional words: their parameter, and whether it takes several
ARGUMENTS = {"open": ("entry_id", False), "show": ("entry_id", False), "search": ("query", True)}
GLOBALS = {
    "--catalog": ("catalog", "text"),
    "--lang": ("lang", "text"),
    "--color": ("color", "text"),
    "--no-pager": ("pager", ""),
}


class Line:
    """A command line the quick path answers: the command ("" for the dashboard), its
    option values by parameter and the global options given."""

    __slots__ = ("command", "globals", "values")

    def __init__(self, command: str, values: dict[str, object], globals_: dict[str, str]) -> None:
        self.command = command
        self.values = values
        self.globals = globals_


def _count(raw: str) -> int | None:
    if not (raw.isascii() and raw.isdigit()):
        return None
    number = int(raw)
    return number if 1 <= number <= MAX_COUNT else None


def _take(found: dict[str, object], param: str, how: str, raw: str | None) -> bool:
    """Store one option's value; False when the line is not one to answer here."""
    if how == "":
        if raw is not None or param in found:
            return False
        found[param] = True
        return True
    if raw is None or not raw or raw.startswith("-"):
        return False
    if how == "many":
        values = found.setdefault(param, [])
        assert isinstance(values, list)
        values.append(raw)
        return True
    if param in found:
        return False  # typer keeps the last of a repeated option: let it judge
    value = _count(raw) if how == "count" else raw
    if value is None:
        return False
    found[param] = value
    return True


def read_line(argv: list[str]) -> Line | None:
    """The command line as a ``Line``, or None for the general path."""
    command: str | None = None
    values: dict[str, object] = {}
    given: dict[str, object] = {}
    index = 0
    while index < len(argv):
        word = argv[index]
        index += 1
        if not word.startswith("-"):
            if command is None and word in COMMANDS and word:
                command = word
            elif command in ARGUMENTS and word.strip():
                param, several = ARGUMENTS[command]
                if several:
                    found = values.setdefault(param, [])
                    assert isinstance(found, list)
                    found.append(word)
                elif param in values:
                    return None
                else:
                    values[param] = word
            else:
                return None
            continue
        name, equals, attached = word.partition("=")
        options = COMMANDS[command or ""]
        param, how = options.get(name) or GLOBALS.get(name) or ("", "?")
        if how == "?" or (equals and not name.startswith("--")):
            return None
        raw: str | None = attached if equals else None
        if how and not equals:
            if index == len(argv):
                return None
            raw = argv[index]
            index += 1
        target = given if name in GLOBALS else values
        if not _take(target, param, how, raw):
            return None
    strings = {k: v if isinstance(v, str) else "" for k, v in given.items()}  # "pager": ""
    return Line(command or "", values, strings)
