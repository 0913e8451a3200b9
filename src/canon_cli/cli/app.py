"""The command line: global options, error handling, and the command modules.

Commands are thin: they read options, call domain functions and hand results to
``views``. Every ``CanonError`` becomes one message on stderr and its exit code.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from canon_cli import __version__
from canon_cli.cli import clicklib as click
from canon_cli.cli import cmdline, spec, specmodel
from canon_cli.cli.guard import run_guarded
from canon_cli.cli.helptext import LocalHelp, adopt_typer_words
from canon_cli.cli.options import option
from canon_cli.cli.session import Session
from canon_cli.errors import CanonError, ExitCode
from canon_cli.i18n import N_, _
from canon_cli.output import streams


class OneValueOptions:
    """An option that takes one value, given twice, is a usage error (not "last wins").

    click keeps the last of ``--year 2020 --year 2022`` silently; canon refuses it, for
    every command, so a filter is never dropped without a word.
    """

    def make_parser(self, ctx: Any) -> Any:
        parser = super().make_parser(ctx)  # type: ignore[misc]
        parse = parser.parse_args

        def parse_once(args: list[str]) -> Any:
            opts, rest, order = parse(args)
            seen: set[str] = set()
            for param in order:
                if not click.takes_one_value(param):
                    continue
                if param.name in seen:
                    name = max(param.opts, key=len)
                    raise click.UsageError(
                        _("{option} was given more than once; it takes one value").format(
                            option=name
                        ),
                        ctx,
                    )
                seen.add(param.name)
            return opts, rest, order

        parser.parse_args = parse_once
        return parser


class CanonCommand(LocalHelp, OneValueOptions, TyperCommand):
    """Every canon command: one-value options refused when repeated, help in the run's
    language."""


class CanonSubgroup(LocalHelp, OneValueOptions, TyperGroup):
    """``canon state``, ``canon links`` and ``canon config``."""


class CanonGroup(LocalHelp, OneValueOptions, TyperGroup):
    """Turns canon's own errors into a clean message and a documented exit code, and
    click's usage errors into the same ``canon: error:`` style (exit code 2). Takes the
    global options after the command as well as before it (``cmdline.hoist``)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if ctx.parent is None:
            args = cmdline.hoist(args)
        result: list[str] = super().parse_args(ctx, args)
        return result

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        args = list(sys.argv[1:] if args is None else args)
        early_language(args)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as exc:
            code = report_click_error(exc)
        except click.Abort:
            streams.error(_("aborted"))
            code = int(ExitCode.FAILURE)
        except OSError as exc:
            # Only typer's own --install-completion writes files outside a command.
            streams.error(
                _("cannot install shell completion: {reason}").format(reason=os_reason(exc)),
            )
            code = int(ExitCode.IO)
        code = code if isinstance(code, int) else 0
        if not standalone_mode:
            return code
        sys.exit(code)

    def invoke(self, ctx: Any) -> Any:
        result = None

        def call() -> None:
            nonlocal result
            result = super(CanonGroup, self).invoke(ctx)

        def close() -> None:
            if isinstance(ctx.obj, Session):
                ctx.obj.close()

        code = run_guarded(call, close)
        if code:
            raise typer.Exit(code)
        return result


def early_language(args: list[str]) -> None:
    """Choose the language before click parses anything, so its errors and the help
    are in it too (a bad --lang is reported later, by the command)."""
    from canon_cli.errors import CanonError

    typed = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            typed = args[index + 1]
        elif arg.startswith("--lang="):
            typed = arg.split("=", 1)[1]
    try:
        Session(lang_option=typed).activate_language()
    except CanonError:
        from canon_cli.i18n import set_language

        set_language("en")


def os_reason(exc: OSError) -> str:
    where = f": {exc.filename}" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"


def report_click_error(exc: click.ClickException) -> int:
    """click's error in canon's style: ``canon: error: ...`` and a hint to the help."""
    if type(exc).__name__ == "NoArgsIsHelpError":
        exc.show()  # the help itself, as typer prints it for a bare group
        return int(exc.exit_code)
    from canon_cli.cli.clickwords import say

    message = say(exc.format_message())
    ctx = getattr(exc, "ctx", None)
    hint = None
    if isinstance(exc, click.UsageError) and ctx is not None:
        hint = _("Try '{command} --help' for help.").format(command=ctx.command_path)
    streams.error(message if hint is None else f"{message}\n{hint}")
    return int(exc.exit_code)


adopt_typer_words()
_app = typer.Typer(
    cls=CanonGroup,
    name="canon",
    help=N_("A reading-list manager for the AI Canon: list, open and track what you read."),
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class ColorChoice(enum.StrEnum):
    """``--color``'s values (specmodel.py declares them)."""

    auto = "auto"
    always = "always"
    never = "never"


def _version(value: bool) -> None:
    if value:
        streams.out(f"canon {__version__}")
        raise typer.Exit()


@_app.callback(invoke_without_command=True)
def main_options(
    ctx: typer.Context,
    catalog: Annotated[Path | None, option("", "catalog")] = None,
    lang: Annotated[str | None, option("", "lang")] = None,
    color: Annotated[ColorChoice | None, option("", "color")] = None,
    no_pager: Annotated[bool, option("", "no_pager")] = False,
    version: Annotated[bool, option("", "version", callback=_version, is_eager=True)] = False,
    as_json: Annotated[bool, option("", "as_json")] = False,
) -> None:
    """canon: work through the AI Canon, one paper at a time.

    With no command: what you are reading, what comes next and how far you are.
    """
    if as_json and ctx.invoked_subcommand is not None:
        # --json before a command that has none: as if the group had no --json
        raise click.NoSuchOption("--json", ctx=ctx)
    session = Session(
        catalog_option=catalog,
        lang_option=lang,
        color_option=None if color is None else color.value,
        no_pager_option=no_pager,
    )
    ctx.obj = session
    session.activate_language()
    session.activate_output()
    if ctx.invoked_subcommand is None:
        from canon_cli.cli import actions

        actions.show_dashboard(session, as_json)


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
    "notes": "marks",
    "rate": "marks",
    "progress": "progress",
    "next": "progress",
    "log": "progress",
    "stats": "progress",
    "plan": "plan",
    "state": "state",
    "undo": "state",
    "history": "state",
    "edit": "state",
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
            info.cls = _ours(info.cls, TyperCommand, CanonCommand)
            callback = info.callback
            command = info.name or (callback.__name__.replace("_", "-") if callback else "")
            if only is None or command == only:
                _app.registered_commands.append(info)
        for group in module.app.registered_groups:
            _adopt_group(group)
            if only is None or group.name == only:
                _app.registered_groups.append(group)


def _ours(cls: Any, default: type, ours: type) -> Any:
    """canon's class where typer would use its default (None, a placeholder, or the
    default class itself); a class a command chose is kept."""
    return ours if not isinstance(cls, type) or cls is default else cls


def _adopt_group(group: Any) -> None:
    """A command group and its commands get canon's classes too."""
    group.cls = _ours(group.cls, TyperGroup, CanonSubgroup)
    typer_instance = group.typer_instance
    if typer_instance is None:
        return
    for info in typer_instance.registered_commands:
        info.cls = _ours(info.cls, TyperCommand, CanonCommand)
    for sub in typer_instance.registered_groups:
        _adopt_group(sub)


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


def invoked_command(argv: list[str]) -> str | None:
    """The subcommand named on a command line, skipping the global options."""
    index = 0
    while index < len(argv):
        opt, value = cmdline.find_option(specmodel.GLOBALS, argv[index])
        if opt is not None:
            index += 2 if opt.takes_value and value is None else 1
        elif argv[index].startswith("-"):
            index += 1
        else:
            return argv[index]
    return None


def help_texts() -> dict[str, str]:
    """typer's help for canon and for every command, as ``COMMAND --help`` prints it."""
    import contextlib
    import io

    global _registered
    if not _registered:
        register(None)
        _registered = True
    group = typer.main.get_command(_app)
    texts: dict[str, str] = {}
    for path in ["", *spec.COMMANDS]:
        buffer = io.StringIO()
        # a help that fails (CANON_LANG=fr) is left out, its error kept quiet: the run
        # that follows reports it once
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(io.StringIO()):
            code = group.main([*path.split(), "--help"], "canon", standalone_mode=False)
        if code == 0:
            texts[path] = buffer.getvalue()
    return texts


def _help_sources() -> list[str]:
    """The files help texts come from: canon's and typer's modules, message catalogs and
    the config file (it may set the language)."""
    import os

    from canon_cli import paths
    from canon_cli.i18n import LOCALE_DIR

    roots = (str(paths.PACKAGE_DIR) + os.sep, os.path.dirname(typer.__file__) + os.sep)
    found = [
        str(module.__file__)
        for module in list(sys.modules.values())
        if str(getattr(module, "__file__", None) or "").startswith(roots)
    ]
    from pathlib import Path

    locale = Path(LOCALE_DIR)
    found += [str(p) for p in locale.rglob("*.mo")] if locale.is_dir() else []
    return [*found, str(paths.config_path())]


def _serve_help(path: str) -> None:
    """Answer a help request from typer's texts, and keep them for the next runs."""
    from canon_cli import paths
    from canon_cli.cli import helpcache

    texts = help_texts()
    if path not in texts:
        return
    helpcache.store(paths.cache_dir(), texts, _help_sources())
    stream = sys.stdout
    try:
        stream.write(texts[path])
        stream.flush()
    except CanonError as exc:  # stdout refused the text (a full disk): exit 5, no traceback
        streams.error(str(exc))
        sys.exit(int(exc.exit_code))
    sys.exit(0)


def run() -> None:
    """Entry point of the ``canon`` command."""
    import os

    from canon_cli.cli.helpcache import request

    global _registered
    completing = any(key.endswith("_COMPLETE") for key in os.environ)
    asked = None if completing else request(sys.argv[1:])
    if asked is not None:
        _serve_help(asked)
    register(None if completing else invoked_command(cmdline.hoist(sys.argv[1:])))
    _registered = True
    _app(prog_name="canon")
