"""The start-up fast path: every read command and the marks, without typer.

Importing typer alone costs about four times the interpreter's own start-up, more than
these commands need in all. When the command line is one the option spec
(``spec.py``) declares an action for, and every word of it is plain and well-formed,
it is parsed here and handed to the same function the typer command calls
(``actions.py``). Anything else (help, completion, an unknown or repeated option, a
value that looks like an option or is out of range, a missing argument) returns
``None`` and typer handles it as usual, with its own messages. The tests run both
paths side by side.
"""

# Evaluated annotations (no `from __future__ import annotations`): a NamedTuple would
# compile each field's annotation string at import (docs/decisions.md, "Record classes").

import os
import sys
from pathlib import Path
from typing import NamedTuple

from canon_cli.cli.cmdline import command_path, find_option, hoist
from canon_cli.cli.spec import COMMANDS
from canon_cli.cli.specmodel import DASHBOARD, GLOBALS, Command, Opt


class Parsed(NamedTuple):
    command: Command
    globals: dict[str, object]  # parameter -> value, only those given
    values: dict[str, object]  # the action's keyword arguments


def _value(argv: list[str], index: int, inline: str | None) -> tuple[str, int] | None:
    """The value of the option at ``argv[index]`` (attached or the next word) and the
    index after it; None when missing, empty or looking like an option itself."""
    if inline is None:
        index += 1
        if index >= len(argv):
            return None
        inline = argv[index]
    if not inline or inline.startswith("-"):
        return None
    return inline, index + 1


def _convert(kind: str, raw: str, opt: Opt | None = None) -> object:
    """``raw`` as typer would pass it, or None when typer should judge it."""
    if kind == "text":
        return raw
    if kind == "int":
        if not (raw.isascii() and raw.isdigit()):
            return None
        number = int(raw)
        low = None if opt is None else opt.minimum
        high = None if opt is None else opt.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            return None
        return number
    if kind == "choice" and opt is not None:
        folded = raw.casefold()
        return next((c for c in opt.choices if c.casefold() == folded), None)
    if kind == "file":
        return Path(raw)  # canon itself refuses a folder or a missing file, on both paths
    return None


def _options(
    command: Command, argv: list[str], index: int
) -> tuple[dict[str, object], list[str]] | None:
    """The command's option values (defaults filled in) and its positional words."""
    values: dict[str, object] = {o.param: o.default for o in command.options}
    seen: set[str] = set()
    words: list[str] = []
    while index < len(argv):
        token = argv[index]
        if not token.startswith("-"):
            words.append(token)
            index += 1
            continue
        opt, inline = find_option(command.options, token)
        if opt is None:
            return None
        if opt.kind == "flag":
            if inline is not None or opt.param in seen:
                return None
            seen.add(opt.param)
            values[opt.param] = True
            index += 1
            continue
        taken = _value(argv, index, inline)
        if taken is None:
            return None
        raw, index = taken
        value = _convert(opt.kind, raw, opt)
        if value is None:
            return None
        if opt.many:
            existing = values[opt.param]
            values[opt.param] = [*existing, value] if isinstance(existing, list) else [value]
        elif opt.param in seen:
            return None  # typer keeps the last one; leave the judgement to it
        else:
            values[opt.param] = value
        seen.add(opt.param)
    if any(o.required and o.param not in seen for o in command.options):
        return None
    return values, words


def _arguments(command: Command, words: list[str]) -> dict[str, object] | None:
    values: dict[str, object] = {}
    for position, arg in enumerate(command.args):
        if arg.many:
            if position != len(command.args) - 1 or (arg.required and not words):
                return None
            values[arg.param], words = list(words), []
        elif words:
            values[arg.param], words = words[0], words[1:]
        elif arg.required:
            return None
        else:
            values[arg.param] = None
    if words or any(not w for w in values.values() if isinstance(w, str)):
        return None
    if any(a.kind != "text" for a in command.args):
        return None
    return values


def parse(argv: list[str]) -> Parsed | None:
    """The command, the global options and the action's arguments, or None for typer."""
    argv = hoist(argv)
    globals_: dict[str, object] = {}
    board: dict[str, object] = {}  # the dashboard's own options, if no command follows
    index = 0
    while index < len(argv) and argv[index].startswith("-"):
        opt, inline = find_option(GLOBALS, argv[index])
        mine, attached = find_option(DASHBOARD.options, argv[index])
        if opt is None and mine is not None and mine.kind == "flag" and attached is None:
            if mine.param in board:
                return None
            board[mine.param] = True
            index += 1
            continue
        if opt is None or opt.param in globals_ or opt.param == "version":
            return None
        if not opt.takes_value:  # --no-pager
            if inline is not None:
                return None
            globals_[opt.param] = True
            index += 1
            continue
        taken = _value(argv, index, inline)
        if taken is None:
            return None
        raw, index = taken
        value = _convert(opt.kind, raw, opt)
        if value is None:
            return None
        globals_[opt.param] = value
    if index == len(argv):
        defaults = {o.param: o.default for o in DASHBOARD.options}
        return Parsed(DASHBOARD, globals_, {**defaults, **board})
    if board:
        return None  # an option of the dashboard before a command that lacks it
    found = command_path(argv, index)
    if found is None or COMMANDS[found[0]].action is None:
        return None
    command = COMMANDS[found[0]]
    options = _options(command, argv, found[1])
    if options is None:
        return None
    values, words = options
    arguments = _arguments(command, words)
    if arguments is None:
        return None
    return Parsed(command, globals_, {**values, **arguments, **dict(command.fixed)})


def _env_is_plain() -> bool:
    """Environment values typer reads for the global options are ones it would accept."""
    for opt in GLOBALS:
        if opt.envvar is None or opt.envvar not in os.environ:
            continue
        value = os.environ[opt.envvar]
        if value == "" or _convert(opt.kind, value, opt) is None:
            return False
    return True


def run(argv: list[str]) -> int | None:
    """Run ``argv`` without typer if it is simple enough; None means "use typer"."""
    if argv[-1:] in (["--help"], ["-h"]):
        from canon_cli.cli import helpcache

        return helpcache.serve(argv)
    if argv == ["--version"]:
        from canon_cli import __version__

        sys.stdout.write(f"canon {__version__}\n")
        return 0
    parsed = parse(argv)
    if parsed is None or not _env_is_plain():
        return None
    from canon_cli.cli import actions
    from canon_cli.cli.guard import run_guarded
    from canon_cli.cli.session import Session

    given = dict(parsed.globals)
    for opt in GLOBALS:  # typer fills a global option from its variable when not given
        if opt.takes_value and opt.param not in given and os.environ.get(opt.envvar or ""):
            given[opt.param] = _convert(opt.kind, os.environ[opt.envvar or ""], opt)
    session = Session(**{f"{param}_option": value for param, value in given.items()})  # type: ignore[arg-type]
    action = getattr(actions, str(parsed.command.action))

    def act() -> None:
        session.activate_language()  # before anything is printed, as the typer callback
        session.activate_output()
        action(session, **parsed.values)

    return run_guarded(act, session.close)
