"""Reading a command line with the spec: which option a word names, which command a
line runs, and moving the global options to where typer expects them (``hoist``), so
they may be written before or after the command, on both paths.
"""

from __future__ import annotations

from canon_cli.cli.spec import COMMANDS
from canon_cli.cli.specmodel import AFTER_TOO, BEFORE_OR_AFTER, GLOBALS, Opt


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
