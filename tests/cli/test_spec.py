"""The option spec and typer's commands are one: any drift between them fails here."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest
import typer.main

from canon_cli.cli import actions, cmdline, spec, specmodel
from canon_cli.cli.app import app
from canon_cli.cli.options import COMPLETERS

TYPER_ONLY = {"install_completion", "show_completion"}  # typer's own completion options


def _commands() -> Iterator[tuple[str, Any]]:
    root = typer.main.get_command(app)

    def walk(command: Any, path: str) -> Iterator[tuple[str, Any]]:
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, f"{path} {name}".strip())

    yield from walk(root, "")


TYPER_COMMANDS = dict(_commands())


def _completer(param: Any) -> object:
    """The canon function behind typer's completion wrappers (closures in closures)."""
    found = getattr(param, "_custom_shell_complete", None)
    for _ in range(4):
        if found is None or any(found is c for c in COMPLETERS.values()):
            return found
        cells = [cell.cell_contents for cell in getattr(found, "__closure__", None) or ()]
        found = next((c for c in cells if callable(c)), None)
    return found


def _type_of(param: Any) -> tuple[object, ...]:
    kind = type(param.type).__name__
    if kind == "IntRange":
        return ("int", param.type.min, param.type.max)
    if kind == "FloatRange":
        return ("float", param.type.min, param.type.max)
    if kind == "TyperChoice":
        return ("choice", tuple(param.type.choices), param.type.case_sensitive)
    if kind == "TyperPath":
        return ("file", param.type.dir_okay)
    if kind == "FloatParamType":
        return ("float", None, None)
    return {"StringParamType": ("text",), "IntParamType": ("int", None, None)}[kind]


def _expected_type(kind: str, item: specmodel.Opt | specmodel.Arg) -> tuple[object, ...]:
    if kind in ("int", "float"):
        return (kind, getattr(item, "minimum", None), getattr(item, "maximum", None))
    if kind == "choice":
        assert isinstance(item, specmodel.Opt)
        return ("choice", item.choices, False)
    if kind == "file":
        return ("file", item.dir_okay)
    return ("text",)


def test_every_typer_command_is_in_the_spec_and_back() -> None:
    assert set(TYPER_COMMANDS) - {""} == set(spec.COMMANDS)
    for name, command in spec.COMMANDS.items():
        assert command.group == hasattr(TYPER_COMMANDS[name], "commands"), name


def _check_option(where: str, param: Any, opt: specmodel.Opt) -> None:
    assert param.opts == list(opt.names), where
    assert param.help == opt.help, where
    assert bool(param.is_flag) == (opt.kind == "flag"), where
    if opt.kind != "flag":
        assert _type_of(param) == _expected_type(opt.kind, opt), where
    assert param.multiple == opt.many, where
    assert param.required == opt.required, where
    assert param.default == opt.default, where
    assert param.metavar == opt.metavar, where
    assert param.show_default == opt.show_default, where
    assert param.envvar == opt.envvar, where
    expected = None if opt.complete is None else COMPLETERS[opt.complete]
    assert _completer(param) is expected, where


def _check_argument(where: str, param: Any, arg: specmodel.Arg) -> None:
    assert param.metavar == arg.metavar, where
    assert param.help == arg.help, where
    assert param.nargs == (-1 if arg.many else 1), where
    assert param.required == arg.required, where
    assert param.show_default == arg.show_default, where
    assert _type_of(param) == _expected_type(arg.kind, arg), where
    expected = None if arg.complete is None else COMPLETERS[arg.complete]
    assert _completer(param) is expected, where


@pytest.mark.parametrize("name", sorted(TYPER_COMMANDS), ids=lambda n: n or "canon")
def test_typer_parameters_match_the_spec(name: str) -> None:
    params = [p for p in TYPER_COMMANDS[name].params if p.name not in TYPER_ONLY]
    declared = spec.COMMANDS[name] if name else None
    options = (
        (*specmodel.GLOBALS, *specmodel.DASHBOARD.options) if declared is None else declared.options
    )
    arguments = () if declared is None else declared.args
    typer_options = [p for p in params if type(p).__name__ == "TyperOption"]
    typer_arguments = [p for p in params if type(p).__name__ == "TyperArgument"]
    assert [p.name for p in typer_options] == [o.param for o in options]
    assert [p.name for p in typer_arguments] == [a.param for a in arguments]
    for param, opt in zip(typer_options, options, strict=True):
        _check_option(f"{name} {param.name}", param, opt)
    for param, arg in zip(typer_arguments, arguments, strict=True):
        _check_argument(f"{name} {param.name}", param, arg)


def _chinese() -> Any:
    import gettext

    from canon_cli.i18n import DOMAIN, LOCALE_DIR

    return gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh"])


def test_every_help_text_has_its_chinese() -> None:
    # help texts are message ids, translated when the help is shown: one without a
    # translation would be English in the middle of a Chinese --help
    chinese = _chinese()
    items: list[specmodel.Opt | specmodel.Arg] = [*specmodel.GLOBALS, *specmodel.DASHBOARD.options]
    for command in spec.COMMANDS.values():
        items += [*command.options, *command.args]
    for item in items:
        if item.help is not None:
            assert chinese.gettext(item.help) != item.help, item
    for name, command in TYPER_COMMANDS.items():
        for paragraph in (command.help or "").split("\n\n"):
            plain = " ".join(paragraph.split())
            if plain and not plain.startswith("Example: "):
                assert chinese.gettext(plain) != plain, (name or "canon", plain)


@pytest.mark.parametrize(
    "command",
    [specmodel.DASHBOARD, *(c for c in spec.COMMANDS.values() if c.action)],
    ids=lambda c: c.name or "canon",
)
def test_each_fast_action_takes_exactly_the_declared_parameters(command: specmodel.Command) -> None:
    action = getattr(actions, str(command.action))
    names = list(inspect.signature(action).parameters)[1:]  # after the session
    declared = [o.param for o in command.options] + [a.param for a in command.args]
    assert sorted(names) == sorted(declared + [k for k, _ in command.fixed])


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["list", "--lang", "zh"], ["--lang", "zh", "list"]),
        (["list", "-s", "agents", "--lang=zh"], ["--lang=zh", "list", "-s", "agents"]),
        (["show", "bert", "--catalog", "x.yaml"], ["--catalog", "x.yaml", "show", "bert"]),
        (["--json", "list", "-n", "2"], ["list", "--json", "-n", "2"]),
        (["--lang", "zh", "--json", "progress"], ["--lang", "zh", "progress", "--json"]),
        (["--json", "config", "get", "language"], ["config", "get", "--json", "language"]),
        (
            ["config", "set", "language", "zh", "--lang", "en"],
            ["--lang", "en", "config", "set", "language", "zh"],
        ),
        (["--json", "done", "bert"], ["--json", "done", "bert"]),  # done has no --json
        (["list", "--search", "--lang", "zh"], ["list", "--search", "--lang", "zh"]),  # a value
        (["list", "-q--lang"], ["list", "-q--lang"]),
        (["search", "--", "--lang", "zh"], ["search", "--", "--lang", "zh"]),
        (["list", "--lang"], ["list", "--lang"]),  # no value: typer reports it in place
        (["list", "--version"], ["list", "--version"]),
        (["nope", "--lang", "zh"], ["nope", "--lang", "zh"]),
        (["--json"], ["--json"]),
        ([], []),
    ],
)
def test_hoist(argv: list[str], expected: list[str]) -> None:
    assert cmdline.hoist(argv) == expected
