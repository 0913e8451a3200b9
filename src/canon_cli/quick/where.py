"""Where the quick path finds canon's files, and the language it answers in.

The rules of ``paths.py``, ``config.py`` and ``cli/session.py`` for the common case,
as plain strings. Whatever only the general path can judge (platformdirs outside
Linux, a config file in a form canon does not write, a catalog given on the command
line) gives None. ``tests/quick/test_where.py`` checks each rule against the general
one.
"""

from __future__ import annotations

import os
import sys
from stat import S_ISREG

from canon_cli.i18n import locale_language, normalize_language
from canon_cli.vocab import CONFIG_MAX_BYTES

TYPE_CHECKING = False  # typing costs a third of the quick path's budget to import
if TYPE_CHECKING:
    from collections.abc import Mapping

APP = "canon"
CONFIG_KEYS = ("language", "catalogs", "open_marks_reading", "sync_folder")


def _xdg(variable: str, default: str) -> str | None:
    """paths.xdg_dir on plain Linux; None where platformdirs decides."""
    if not sys.platform.startswith("linux") or hasattr(sys, "getandroidapilevel"):
        return None
    if "ANDROID_DATA" in os.environ:
        return None
    value = os.environ.get(variable, "")
    if value.startswith("/"):
        return os.path.join(value, APP)
    home = os.environ.get("HOME", "")
    if not home.startswith("/"):
        return None
    return os.path.join(home, default, APP)


def _canon_home() -> str | None:
    home = os.environ.get("CANON_HOME")
    if not home:
        return None
    home = os.path.expanduser(home)
    return None if home.startswith("~") else home


class Places:
    """The folders of one run (``paths.data_dir``, ``config_dir``, ``cache_dir``)."""

    __slots__ = ("cache", "config", "data")

    def __init__(self, data: str, config: str, cache: str) -> None:
        self.data = data
        self.config = config
        self.cache = cache


def places() -> Places | None:
    home = _canon_home()
    if home is not None:
        return Places(home, home, os.path.join(home, "cache"))
    if os.environ.get("CANON_HOME"):
        return None  # a ~user that does not expand: the general path explains
    data = _xdg("XDG_DATA_HOME", ".local/share")
    config = _xdg("XDG_CONFIG_HOME", ".config")
    cache = _xdg("XDG_CACHE_HOME", ".cache")
    if data is None or config is None or cache is None:
        return None
    return Places(data, config, cache)


def _string(raw: str) -> str | None:
    """A TOML basic string without escapes, as canon writes a path or a language."""
    if len(raw) < 2 or raw[0] != '"' or raw[-1] != '"':
        return None
    inner = raw[1:-1]
    return None if '"' in inner or "\\" in inner else inner


def _value(raw: str) -> object:
    """A value of the plain forms canon writes, or None for anything else."""
    if raw in ("true", "false"):
        return raw == "true"
    if raw.startswith("[") and raw.endswith("]"):
        inner = raw[1:-1].strip()
        if not inner:
            return []
        items = [_string(part.strip()) for part in inner.rstrip(",").split(",")]
        return None if None in items else items
    return _string(raw)


def read_settings(text: str) -> dict[str, object] | None:
    """The settings of a config file written in the plain forms (comment lines, and
    ``key = "text"``, ``key = true`` or ``key = ["a", "b"]`` one to a line), each value
    as tomllib reads it; None for any other form, an unknown key or one set twice."""
    found: dict[str, object] = {}
    for line in text.split("\n"):
        line = line.strip(" \t\r")
        if not line or line.startswith("#"):
            continue
        key, equals, raw = line.partition("=")
        key = key.strip(" \t")
        if not equals or key not in CONFIG_KEYS or key in found:
            return None
        value = _value(raw.strip(" \t"))
        if value is None:
            return None
        found[key] = value
    return found


def _valid(found: dict[str, object]) -> bool:
    """config.validate's rules, for the keys the plain forms can hold."""
    language = found.get("language", "en")
    catalogs = found.get("catalogs", [])
    folder = found.get("sync_folder", "x")
    return (
        language in ("en", "zh")
        and isinstance(catalogs, list)
        and all(isinstance(c, str) and c for c in catalogs)
        and isinstance(found.get("open_marks_reading", True), bool)
        and isinstance(folder, str)
        and bool(folder.strip())
    )


def config_settings(config_dir: str) -> dict[str, object] | None:
    """What ``config.toml`` sets ({} when there is none), or None when only the
    general path can read it (or report it)."""
    path = os.path.join(config_dir, "config.toml")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None if os.path.lexists(path) else {}
    except OSError:
        return None
    if not S_ISREG(info.st_mode) or info.st_size > CONFIG_MAX_BYTES:
        return None  # a FIFO is never opened here; the general path refuses it
    try:
        with open(path, "rb") as handle:
            raw = handle.read(CONFIG_MAX_BYTES + 1)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if len(raw) > CONFIG_MAX_BYTES or text.startswith("\ufeff") or "\x00" in text:
        return None
    found = read_settings(text)
    return found if found is not None and _valid(found) else None


def choose_language(
    typed: str | None, settings: Mapping[str, object], environ: Mapping[str, str]
) -> tuple[str, bool] | None:
    """Session._choose_lang: the option or CANON_LANG, else the setting, else the
    locale; and whether one of them chose it (else English is only the default). None
    for a language canon does not know (the general path reports it)."""
    typed = typed or environ.get("CANON_LANG")
    if typed:
        lang = normalize_language(typed)
        return None if lang is None else (lang, True)
    if "language" in settings:
        setting = settings["language"]
        return (setting, True) if setting in ("en", "zh") else None
    lang = locale_language(environ)
    return lang, lang != "en"


def builtin_catalog() -> str:
    """paths.builtin_catalog_path: in the wheel, or data/ in a source checkout."""
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    packaged = os.path.join(package, "data", "canon.yaml")
    if os.path.isfile(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(package)), "data", "canon.yaml")


def catalog_sources(
    config_dir: str, settings: Mapping[str, object], main: str | None = None
) -> list[str] | None:
    """Session.catalog_sources: the main catalog (``main``, from --catalog or
    CANON_CATALOG, else the built-in one), then the ``catalogs`` setting's files
    (relative ones from the config's folder); None when two name one file (the general
    path compares them as it does)."""
    extra = settings.get("catalogs", [])
    if not isinstance(extra, list):
        return None
    sources = [builtin_catalog() if main is None else os.path.expanduser(main)]
    sources += [os.path.join(config_dir, os.path.expanduser(str(p))) for p in extra]
    if not all(sources) or len({os.path.realpath(s) for s in sources}) != len(sources):
        return None
    return sources
