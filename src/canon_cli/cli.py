"""The command line: global options, error handling, and the command modules.

Commands are thin: they read options, call domain functions and hand results to
``views``. Every ``CanonError`` becomes one message on stderr and its exit code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from . import __version__, render
from .errors import CanonError, ExitCode
from .session import Session


class CanonGroup(TyperGroup):
    """Turns canon's own errors into a clean message and a documented exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CanonError as exc:
            render.error(str(exc))
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            render.error("interrupted")
            raise typer.Exit(130) from None


app = typer.Typer(
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


@app.callback()
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


def _register() -> None:
    from .commands import catalog, extra, open, progress

    for module in (catalog, progress, open, extra):
        for info in module.app.registered_commands:
            app.registered_commands.append(info)
        for group in module.app.registered_groups:
            app.registered_groups.append(group)


_register()


def run() -> None:
    """Entry point of the ``canon`` command."""
    import sys

    try:
        app(prog_name="canon")
    except BrokenPipeError:
        # the reader went away (canon list | head): stop quietly
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(int(ExitCode.OK))
