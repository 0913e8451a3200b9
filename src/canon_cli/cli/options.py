"""typer's parameters, built from the one option spec (``spec.py``).

A command declares a parameter as ``Annotated[type, option("list", "limit")]``; names,
help, ranges, choices, defaults shown and completion all come from the spec, which the
fast path parses with too. The shared ones are ready-made aliases below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from canon_cli.cli import spec, specmodel
from canon_cli.cli.completion import (
    complete_any_kind,
    complete_entry_id,
    complete_kind,
    complete_section,
    complete_setting,
    complete_setting_value,
    complete_status,
    complete_tag,
    complete_user_entry_id,
)

COMPLETERS: dict[str, Callable[[typer.Context, str], list[tuple[str, str]]]] = {
    "section": complete_section,
    "tag": complete_tag,
    "kind": complete_kind,
    "any_kind": complete_any_kind,
    "status": complete_status,
    "entry": complete_entry_id,
    "user_entry": complete_user_entry_id,
    "setting": complete_setting,
    "setting_value": complete_setting_value,
}


def typer_option(opt: specmodel.Opt, **extra: Any) -> Any:
    """``typer.Option`` for ``opt`` (``extra``: what only typer knows, e.g. a callback)."""
    kwargs: dict[str, Any] = {"help": opt.help, "show_default": opt.show_default, **extra}
    if opt.minimum is not None or opt.maximum is not None:
        kwargs.update(min=opt.minimum, max=opt.maximum)
    if opt.metavar is not None:
        kwargs["metavar"] = opt.metavar
    if opt.complete is not None:
        kwargs["autocompletion"] = COMPLETERS[opt.complete]
    if opt.envvar is not None:
        kwargs["envvar"] = opt.envvar
    if opt.kind == "choice":
        kwargs["case_sensitive"] = False
    if opt.kind == "file" and not opt.dir_okay:
        kwargs["dir_okay"] = False
    return typer.Option(*opt.names, **kwargs)


def typer_argument(arg: specmodel.Arg) -> Any:
    kwargs: dict[str, Any] = {"metavar": arg.metavar, "show_default": arg.show_default}
    if arg.help is not None:
        kwargs["help"] = arg.help
    if arg.complete is not None:
        kwargs["autocompletion"] = COMPLETERS[arg.complete]
    if arg.kind == "file" and not arg.dir_okay:
        kwargs["dir_okay"] = False
    return typer.Argument(**kwargs)


def _command(name: str) -> specmodel.Command:
    return spec.COMMANDS[name]


def option(command: str, param: str, **extra: Any) -> Any:
    """The typer option for ``param`` of ``command`` ("" for the global options)."""
    if command == "":
        options = (*specmodel.GLOBALS, *specmodel.DASHBOARD.options)
    else:
        options = _command(command).options
    for found in options:
        if found.param == param:
            return typer_option(found, **extra)
    raise LookupError(f"spec.py declares no option {param!r} for {command or 'canon'!r}")


def argument(command: str, param: str) -> Any:
    for found in _command(command).args:
        if found.param == param:
            return typer_argument(found)
    raise LookupError(f"spec.py declares no argument {param!r} for {command!r}")


SectionOpt = Annotated[list[str] | None, typer_option(specmodel.SECTIONS)]
YearOpt = Annotated[str | None, typer_option(specmodel.YEAR)]
TagOpt = Annotated[list[str] | None, typer_option(specmodel.TAGS)]
KindOpt = Annotated[list[str] | None, typer_option(specmodel.KINDS)]
StatusOpt = Annotated[list[str] | None, typer_option(specmodel.STATUSES)]
SearchOpt = Annotated[str | None, typer_option(specmodel.SEARCH)]
JsonOpt = Annotated[bool, typer_option(specmodel.JSON)]
LimitOpt = Annotated[int | None, typer_option(specmodel.LIMIT)]
ForceOpt = Annotated[bool, typer_option(specmodel.FORCE)]

# Entry-id arguments, with the ids completed by the shell.
EntryIdArg = Annotated[str, typer_argument(specmodel.ENTRY_ID)]
EntryIdsArg = Annotated[list[str], typer_argument(specmodel.ENTRY_IDS)]
