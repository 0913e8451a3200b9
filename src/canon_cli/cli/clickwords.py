"""click's own error messages in the run's language.

typer's copy of click writes its messages as fixed English f-strings, so they cannot
go through gettext where they are made. canon recognises the common ones here by
their shape and says them again through its own catalog; a message of another shape
is shown as click wrote it (in English).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from canon_cli.i18n import _, language

_Words = Callable[[re.Match[str]], str]


def _detail(text: str) -> str:
    """The detail after "Invalid value for X:", itself often one of click's shapes."""
    for pattern, words in _DETAILS:
        match = re.fullmatch(pattern, text)
        if match:
            return words(match)
    return text


_DETAILS: list[tuple[str, _Words]] = [
    (
        r"(?P<value>.+) is not one of (?P<choices>.+)\.",
        lambda m: _("{value} is not one of {choices}.").format(**m.groupdict()),
    ),
    (
        r"(?P<value>.+) is not a valid (?:integer|int|int range|float range)\.",
        lambda m: _("{value} is not a whole number.").format(**m.groupdict()),
    ),
    (
        r"(?P<value>\S+) is not in the range (?P<range>.+)\.",
        lambda m: _("{value} is not in the range {range}.").format(**m.groupdict()),
    ),
]

_SHAPES: list[tuple[str, _Words]] = [
    (
        r"No such option: (?P<option>\S+) \(Possible options: (?P<choices>.+)\)",
        lambda m: _("no such option: {option} (did you mean {choices}?)").format(**m.groupdict()),
    ),
    (
        r"No such option: (?P<option>\S+)(?: Did you mean (?P<close>.+)\?)?",
        lambda m: (
            _("no such option: {option}; did you mean {close}?").format(**m.groupdict())
            if m["close"]
            else _("no such option: {option}").format(option=m["option"])
        ),
    ),
    (
        r"No such command '(?P<name>.+)'\.(?: Did you mean (?P<close>.+)\?)?",
        lambda m: (
            _("no such command {name}; did you mean {close}?").format(
                name=repr(m["name"]), close=m["close"]
            )
            if m["close"]
            else _("no such command {name}").format(name=repr(m["name"]))
        ),
    ),
    (r"Missing command\.", lambda m: _("missing command")),
    (
        r"Missing argument (?P<name>.+?)\.",
        lambda m: _("missing argument {name}").format(**m.groupdict()),
    ),
    (
        r"Missing option (?P<name>.+?)\.(?P<rest>.*)",
        lambda m: _("missing option {name}").format(name=m["name"]),
    ),
    (
        r"Option (?P<option>.+) requires an argument\.",
        lambda m: _("option {option} needs a value").format(**m.groupdict()),
    ),
    (
        r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.+)\)",
        lambda m: _("unexpected extra arguments: {args}").format(**m.groupdict()),
    ),
    (
        r"Invalid value for (?P<param>.+?): (?P<detail>.+)",
        lambda m: _("invalid value for {param}: {detail}").format(
            param=m["param"], detail=_detail(m["detail"])
        ),
    ),
]


def say(message: str) -> str:
    """click's message as canon says it: lower-case start (canon's error style), and in
    the run's language where its shape is known."""
    if language() != "en":
        for pattern, words in _SHAPES:
            match = re.fullmatch(pattern, message, flags=re.S)
            if match:
                return words(match)
    if len(message) > 1 and message[0].isupper() and message[1].islower():
        message = message[0].lower() + message[1:]
    return message
