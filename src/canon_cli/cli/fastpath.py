"""A start-up fast path for the commands run most often: ``list``, ``progress``, ``next``
and the marks ``start``, ``done``, ``skip`` and ``reset``; and for ``browse``, whose
first screen has a time budget of its own.

Importing typer alone costs about six times the interpreter's own start-up, most of
canon's budget for these commands. When the command line is one of these commands with
plain, well-formed options, it is parsed here and handed to the same functions the typer
commands call (``actions.py``). Anything else (help, completion, an unknown or repeated
option, a value that looks like an option, a bad number, no command) returns ``None`` and
typer handles it as usual, with its own messages. The tests run both paths side by side.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from canon_cli.vocab import MAX_COUNT

# option spelling -> (parameter, kind); kind: "many" (repeatable), "one", "int", "flag"
_FILTERS = {
    "--section": ("section", "many"),
    "-s": ("section", "many"),
    "--json": ("as_json", "flag"),
}
COMMANDS: dict[str, dict[str, tuple[str, str]]] = {
    "list": {
        **_FILTERS,
        "--year": ("year", "one"),
        "-y": ("year", "one"),
        "--tag": ("tag", "many"),
        "-t": ("tag", "many"),
        "--kind": ("kind", "many"),
        "-k": ("kind", "many"),
        "--status": ("status", "many"),
        "--search": ("search", "one"),
        "-q": ("search", "one"),
        "-n": ("limit", "int"),
        "--limit": ("limit", "int"),
    },
    "progress": {
        "--section": ("section", "one"),
        "-s": ("section", "one"),
        "--json": ("as_json", "flag"),
    },
    "next": {
        **_FILTERS,
        "--kind": ("kind", "many"),
        "-k": ("kind", "many"),
        "-n": ("count", "int"),
        "--count": ("count", "int"),
    },
    "browse": {},
}
GLOBAL = {"--catalog": "catalog", "--lang": "lang"}
# commands that take ids and no options: the status each one sets
MARKS = {"start": "reading", "done": "done", "skip": "skipped", "reset": "unread"}


def _split(arg: str) -> tuple[str, str | None]:
    if arg.startswith("--") and "=" in arg:
        name, value = arg.split("=", 1)
        return name, value
    return arg, None


def _option_value(argv: list[str], index: int, inline: str | None) -> tuple[str, int] | None:
    """The value of the option at ``argv[index]`` (after '=' or the next word) and the
    index after it; None when missing or when it looks like an option itself."""
    if inline is None:
        index += 1
        if index >= len(argv):
            return None
        inline = argv[index]
    if not inline or inline.startswith("-"):
        return None
    return inline, index + 1


def parse(argv: list[str]) -> tuple[str, dict[str, str], dict[str, object]] | None:
    """(command, global options, command options), or None to leave it to typer."""
    globals_: dict[str, str] = {}
    index = 0
    while index < len(argv) and argv[index].startswith("-"):
        name, value = _split(argv[index])
        if name not in GLOBAL or name in globals_:
            return None
        taken = _option_value(argv, index, value)
        if taken is None:
            return None
        globals_[name], index = taken
    if index < len(argv) and argv[index] in MARKS:
        ids = argv[index + 1 :]
        if not ids or any(not i or i.startswith("-") for i in ids):
            return None
        return argv[index], globals_, {"ids": ids}
    if index >= len(argv) or argv[index] not in COMMANDS:
        return None
    command = argv[index]
    spec = COMMANDS[command]
    options: dict[str, object] = {}
    index += 1
    while index < len(argv):
        name, value = _split(argv[index])
        if name not in spec:
            return None
        param, kind = spec[name]
        if kind == "flag":
            if value is not None or param in options:
                return None
            options[param] = True
            index += 1
            continue
        taken = _option_value(argv, index, value)
        if taken is None:
            return None
        value, index = taken
        if kind == "many":
            existing = options.setdefault(param, [])
            assert isinstance(existing, list)
            existing.append(value)
        elif param in options:
            return None
        elif kind == "int":
            if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_COUNT:
                return None
            options[param] = int(value)
        else:
            options[param] = value
    return command, globals_, options


def _env_is_plain(name: str) -> bool:
    value = os.environ.get(name)
    return value is None or (value != "" and not (name == "CANON_CATALOG" and Path(value).is_dir()))


def run(argv: list[str]) -> int | None:
    """Run ``argv`` without typer if it is simple enough; None means "use typer"."""
    parsed = parse(argv)
    if parsed is None or not (_env_is_plain("CANON_CATALOG") and _env_is_plain("CANON_LANG")):
        return None
    command, globals_, options = parsed
    catalog = globals_.get("--catalog")
    if catalog is not None and Path(catalog).is_dir():
        return None  # typer reports a directory given as --catalog
    from canon_cli.cli import actions
    from canon_cli.cli.guard import run_guarded
    from canon_cli.cli.session import Session

    session = Session(
        catalog_option=None if catalog is None else Path(catalog),
        lang_option=globals_.get("--lang") or os.environ.get("CANON_LANG"),
    )
    table: dict[str, Callable[..., None]] = {
        "list": actions.list_entries,
        "progress": actions.show_progress,
        "next": actions.show_next,
        "browse": actions.browse,
    }
    if command in MARKS:
        ids = [str(i) for i in options["ids"]]  # type: ignore[attr-defined]
        status = MARKS[command]

        def mark() -> None:
            session.activate_language()
            actions.mark(session, ids, status)

        return run_guarded(mark)
    action = table[command]

    def act() -> None:
        session.activate_language()
        action(session, **options)

    return run_guarded(act)
