"""The command line: global options, error handling, and the command modules.

Commands are thin: they read options, call domain functions and hand results to
``views``. Every ``CanonError`` becomes one message on stderr and its exit code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from canon_cli import __version__
from canon_cli.cli.guard import run_guarded
from canon_cli.cli.session import Session
from canon_cli.output import render


class CanonGroup(TyperGroup):
    """Turns canon's own errors into a clean message and a documented exit code."""

    def invoke(self, ctx: Any) -> Any:
        result = None

        def call() -> None:
            nonlocal result
            result = super(CanonGroup, self).invoke(ctx)

        code = run_guarded(call)
        if code:
            raise typer.Exit(code)
        return result


_app = typer.Typer(
    cls=CanonGroup,
    name="canon",
    help="A reading-list manager for the AI Canon: list, open and track what you read.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        render.out(f"canon {__version__}")
        raise typer.Exit()


@_app.callback()
def main_options(
    ctx: typer.Context,
    catalog: Annotated[
        Path | None,
        typer.Option(
            "--catalog",
            envvar="CANON_CATALOG",
            help="Read this catalog file instead of the built-in one.",
            dir_okay=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", envvar="CANON_LANG", help="Language of summaries and names: en or zh."
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show canon's version."),
    ] = False,
) -> None:
    """canon: work through the AI Canon, one paper at a time."""
    ctx.obj = Session(catalog_option=catalog, lang_option=lang)


# Which module defines each command: a run imports and builds only the one it needs.
COMMAND_MODULES = {
    "list": "catalog",
    "show": "catalog",
    "sections": "catalog",
    "paths": "catalog",
    "tags": "catalog",
    "start": "marks",
    "done": "marks",
    "skip": "marks",
    "reset": "marks",
    "mark": "marks",
    "note": "marks",
    "rate": "marks",
    "progress": "progress",
    "next": "progress",
    "log": "progress",
    "stats": "progress",
    "state": "state",
    "open": "open",
    "links": "links",
    "search": "search",
    "config": "settings",
    "add": "own",
    "remove": "own",
    "export": "export",
    "sync": "sync",
    "browse": "browse",
}


def register(only: str | None = None) -> None:
    """Add the commands to the app: all of them, or just the one named ``only``.

    typer builds a click command, with every parameter, for each registered command on
    each run; importing and building only the invoked one saves a measurable share of
    start-up time. Help, completion and unknown names get the full set.
    """
    import importlib

    if only in COMMAND_MODULES:
        modules = [COMMAND_MODULES[only]]
    else:
        modules = list(dict.fromkeys(COMMAND_MODULES.values()))
        only = None
    for name in modules:
        module = importlib.import_module(f"{__package__}.commands.{name}")
        for info in module.app.registered_commands:
            callback = info.callback
            command = info.name or (callback.__name__.replace("_", "-") if callback else "")
            if only is None or command == only:
                _app.registered_commands.append(info)
        for group in module.app.registered_groups:
            if only is None or group.name == only:
                _app.registered_groups.append(group)


_registered = False


def __getattr__(name: str) -> typer.Typer:
    """``app``: the application with every command (for tests and tools)."""
    global _registered
    if name == "app":
        if not _registered:
            register(None)
            _registered = True
        return _app
    raise AttributeError(name)


_GLOBAL_OPTIONS_WITH_VALUE = ("--catalog", "--lang")


def invoked_command(argv: list[str]) -> str | None:
    """The subcommand named on a command line, skipping the global options."""
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in _GLOBAL_OPTIONS_WITH_VALUE:
            index += 2
        elif arg.startswith("-"):
            index += 1
        else:
            return arg
    return None


def run() -> None:
    """Entry point of the ``canon`` command."""
    import os

    global _registered
    completing = any(key.endswith("_COMPLETE") for key in os.environ)
    register(None if completing else invoked_command(sys.argv[1:]))
    _registered = True
    _app(prog_name="canon")
