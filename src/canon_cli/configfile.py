"""The config file as TOML text: reading it (bounded, UTF-8, one message naming the
file and line for any problem) and editing it in place.

The standard library reads TOML but does not write it, and a rewritten file would lose
the user's comments, so ``edit_settings_text`` replaces the one statement it changes
(or appends it) and keeps every other line as it was. What the settings mean is
``config.py``'s business.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from canon_cli.errors import ConfigError
from canon_cli.i18n import _
from canon_cli.vocab import CONFIG_MAX_BYTES


def read_config_text(path: Path) -> str:
    """The config file's text ("" when it does not exist): a regular file of at most
    ``CONFIG_MAX_BYTES``, in UTF-8."""
    from canon_cli.fileio import read_data_file

    raw = read_data_file(
        path,
        ConfigError,
        CONFIG_MAX_BYTES,
        too_large_hint=_("A config file holds a few settings; check what {path} is.").format(
            path=path
        ),
        missing=b"",
    )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError("not valid UTF-8 text", path=str(path)) from None


# patterns as text: re compiles them on first use (only editing the file needs them)
_BARE_KEY = r"[A-Za-z0-9_-]+"
_STATEMENT = (
    r"""[ \t]*(?:"(?P<quoted>[^"\\]*)"|'(?P<literal>[^']*)'|(?P<bare>[A-Za-z0-9_-]+))[ \t]*="""
)
_TOML_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def toml_value(value: Any) -> str:
    """A string, boolean or list of strings as a TOML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        body = "".join(
            _TOML_ESCAPES.get(ch)
            or (f"\\u{ord(ch):04x}" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch)
            for ch in value
        )
        return f'"{body}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(_("cannot write {kind} to the config").format(kind=type(value).__name__))


def _statement_key(line: str) -> str | None:
    match = re.match(_STATEMENT, line)
    if match is None:
        return None
    for group in ("quoted", "literal", "bare"):
        if match.group(group) is not None:
            return match.group(group)
    return None


def _statement_end(lines: list[str], start: int) -> int:
    """The line after the statement that starts at ``start`` (arrays and strings may
    span lines: the statement ends where its first lines parse as TOML on their own)."""
    import tomllib

    for end in range(start + 1, len(lines) + 1):
        try:
            tomllib.loads("\n".join(lines[start:end]))
        except (tomllib.TOMLDecodeError, RecursionError):
            continue
        return end
    return start + 1


def _trailing_comment(line: str) -> str:
    """The ``# ...`` comment at the end of a one-line statement, with its spacing."""
    import tomllib

    whole = tomllib.loads(line)
    for match in re.finditer("#", line):
        try:
            if tomllib.loads(line[: match.start()]) == whole:
                code = line[: match.start()]
                return line[len(code.rstrip()) :]
        except tomllib.TOMLDecodeError:
            continue
    return ""


def edit_settings_text(text: str, changes: Mapping[str, Any]) -> str:
    """``text`` with each changed key's statement replaced in place, appended when the
    file lacks it, or removed when the new value is None. Every other line (comments,
    blank lines, other settings) stays as it was."""
    lines = text.splitlines()
    found: dict[str, tuple[int, int]] = {}
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped.startswith("["):
            break  # a table: the settings canon knows are all above any table
        key = _statement_key(lines[i]) if stripped and not stripped.startswith("#") else None
        if key is None:
            i += 1
            continue
        end = _statement_end(lines, i)
        found.setdefault(key, (i, end))
        i = end
    replacements: dict[int, tuple[int, list[str]]] = {}
    appended: list[str] = []
    for key, value in changes.items():
        name = key if re.fullmatch(_BARE_KEY, key) else toml_value(key)
        if key in found:
            start, end = found[key]
            new: list[str] = []
            if value is not None:
                first = lines[start]
                indent = first[: len(first) - len(first.lstrip())]
                comment = _trailing_comment(first) if end == start + 1 else ""
                new = [f"{indent}{name} = {toml_value(value)}{comment}"]
            replacements[start] = (end, new)
        elif value is not None:
            appended.append(f"{name} = {toml_value(value)}")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in replacements:
            end, new = replacements[i]
            out.extend(new)
            i = end
            continue
        out.append(lines[i])
        i += 1
    out.extend(appended)
    return "\n".join(out) + "\n" if out else ""


def parse_config_text(text: str, path: Path) -> dict[str, Any]:
    if not text:  # no config file: not worth importing tomllib (3 ms) to read nothing
        return {}
    import tomllib

    try:
        return tomllib.loads(text)
    except RecursionError:
        raise ConfigError(
            _("invalid TOML: values are nested too deeply to read"),
            path=str(path),
            hint=_("Settings are plain values and lists; fix the file by hand."),
        ) from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ConfigError(
            _("invalid TOML: {reason}").format(reason=exc),
            path=str(path),
            line=int(match.group(1)) if match else None,
            hint=_("Fix the file by hand; canon changes it only when it parses."),
        ) from None
