"""The user's settings: which keys there are, what values they take, and changing them.

The settings live in a small TOML file in the config dir: pleasant to edit by hand,
and read quickly by the standard library, so every run can honour it without a cache.
``configfile.py`` reads that file and edits its statements in place, keeping the
user's comments; this module decides what the settings mean.
"""

# Evaluated annotations (no `from __future__ import annotations`): a NamedTuple would
# compile each field's annotation string at import (docs/decisions.md, "Record classes").

import os
import re
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from canon_cli.configfile import (
    edit_settings_text,
    parse_config_text,
    read_config_text,
    toml_value,
)
from canon_cli.errors import ConfigError, UsageError
from canon_cli.i18n import N_, _
from canon_cli.vocab import LANGUAGES

KEYS = {
    "language": N_("Language of canon's messages, summaries and names: en or zh."),
    "catalogs": N_("Extra catalog files merged after the built-in one (a list of paths)."),
    "open_marks_reading": N_("Whether 'canon open' marks an unread entry as reading (true/false)."),
    "sync_folder": N_(
        "A folder your machines share (Dropbox, Syncthing, a git work tree); "
        "canon syncs the reading state through it."
    ),
}


class Config(NamedTuple):  # a NamedTuple: defining a dataclass costs start-up time
    language: str = "en"
    catalogs: tuple[str, ...] = ()
    open_marks_reading: bool = True
    sync_folder: str | None = None
    path: Path | None = None
    set_keys: frozenset[str] = frozenset()  # keys present in the file

    def as_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "catalogs": list(self.catalogs),
            "open_marks_reading": self.open_marks_reading,
            "sync_folder": self.sync_folder,
        }


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None


def validate(data: dict[str, Any], path: Path, text: str = "") -> Config:
    """Check every key and value; the error names the file, line and key."""
    for key in data:
        if key not in KEYS:
            raise ConfigError(
                _("unknown setting {key!r}").format(key=key),
                path=str(path),
                line=_line_of(text, key),
                hint=_("Valid settings: {names}").format(names=", ".join(KEYS)),
            )
    language = data.get("language", "en")
    if language not in LANGUAGES:
        raise ConfigError(
            _("language must be one of {choices}, not {value!r}").format(
                choices=", ".join(LANGUAGES), value=language
            ),
            path=str(path),
            line=_line_of(text, "language"),
        )
    catalogs = data.get("catalogs", [])
    if not isinstance(catalogs, list) or not all(isinstance(c, str) and c for c in catalogs):
        raise ConfigError(
            _("catalogs must be a list of file paths"),
            path=str(path),
            line=_line_of(text, "catalogs"),
        )
    marks = data.get("open_marks_reading", True)
    if not isinstance(marks, bool):
        raise ConfigError(
            _("open_marks_reading must be true or false"),
            path=str(path),
            line=_line_of(text, "open_marks_reading"),
        )
    sync_folder = data.get("sync_folder")
    if sync_folder is not None and not (isinstance(sync_folder, str) and sync_folder.strip()):
        raise ConfigError(
            _("sync_folder must be the path of a folder"),
            path=str(path),
            line=_line_of(text, "sync_folder"),
        )
    return Config(
        language=language,
        catalogs=tuple(catalogs),
        open_marks_reading=marks,
        sync_folder=sync_folder,
        path=path,
        set_keys=frozenset(data),
    )


def load_config(path: Path) -> Config:
    """The settings in ``path``; defaults when the file does not exist."""
    text = read_config_text(path)
    return validate(parse_config_text(text, path), path, text)


def catalog_paths(config: Config) -> list[Path]:
    """Extra catalogs from the config, relative paths taken from the config's folder."""
    base = config.path.parent if config.path is not None else Path.cwd()
    return [(base / Path(p).expanduser()) for p in config.catalogs]


def sync_folder_path(config: Config) -> Path | None:
    """The sync folder, if one is set: ``~`` expanded, a relative path taken from the
    config's folder (like ``catalogs``)."""
    if config.sync_folder is None:
        return None
    base = config.path.parent if config.path is not None else Path.cwd()
    return base / Path(config.sync_folder).expanduser()


# --- changing settings ------------------------------------------------------

NEW_FILE_HEADER = (
    "# canon settings (TOML). Change them with 'canon config set KEY VALUE' or edit here;\n"
    "# canon keeps your comments. Keys: " + ", ".join(KEYS) + ".\n"
)
_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


def unknown_setting(key: str) -> UsageError:
    from canon_cli.errors import unknown_choice

    return unknown_choice("setting", key, KEYS)


def format_setting(value: Any) -> str:
    """A setting's value as the user types it: ``true``, ``en``, ``a.yaml,b.yaml``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def stored_path(path: Path, config_path: Path) -> str:
    """How the config stores a path to a file: one inside canon's own folders (the
    config's folder, the data folder) relative to the config's folder, where relative
    paths are read from, so moving or copying ``CANON_HOME`` (or a home folder) keeps it
    working; any other path absolute."""
    from canon_cli import paths

    full = os.path.abspath(path)
    for own in (config_path.parent, paths.data_dir()):
        folder = os.path.abspath(own)
        if full == folder or full.startswith(folder.rstrip(os.sep) + os.sep):
            return os.path.relpath(full, os.path.abspath(config_path.parent))
    return full


def catalog_setting(text: str, cwd: Path) -> str:
    """A catalog path from the command line as it is stored: a relative path is taken
    from ``cwd`` (the config reads relative paths from its own folder, which is not what
    someone typing a path means), then stored as ``stored_path`` says; ``~`` is kept.
    The file must exist."""
    from canon_cli import paths

    raw = text.strip()
    if not raw:
        raise UsageError(_("a catalog path is empty"))
    expanded = Path(raw).expanduser()
    stored = raw if raw.startswith("~") else stored_path(cwd / expanded, paths.config_path())
    full = expanded if expanded.is_absolute() else cwd / expanded
    from canon_cli.fileio import file_kind
    from canon_cli.userfiles import check_input_file

    check_input_file(full)
    try:
        mode = os.stat(full).st_mode
    except OSError:
        raise UsageError(_("no such file: {path}").format(path=full)) from None
    if not stat.S_ISREG(mode):
        raise UsageError(
            _("catalog file {path!r} is {kind}, not a catalog file").format(
                path=raw, kind=file_kind(mode)
            )
        )
    return stored


def sync_folder_setting(text: str, cwd: Path) -> str:
    """A sync folder from the command line as it is stored: a relative path made
    absolute from ``cwd``, ``~`` kept (so one config suits machines whose home
    differs). The folder must exist: canon never creates it, as a sync folder that is
    missing is usually one not mounted or synced yet."""
    raw = text.strip()
    if not raw:
        raise UsageError(_("the sync folder path is empty"))
    expanded = Path(raw).expanduser()
    full = expanded if expanded.is_absolute() else cwd / expanded
    if not full.is_dir():
        what = _("is a file, not a folder") if full.exists() else _("does not exist")
        raise UsageError(
            _("sync folder {path!r} {what}").format(path=raw, what=what),
            hint=_(
                "Create the folder first (for example inside your Dropbox or Syncthing "
                "folder, or clone your git sync repository), then set it again."
            ),
        )
    return raw if raw.startswith("~") else os.path.normpath(cwd / expanded)


def parse_setting(key: str, text: str, cwd: Path) -> Any:
    """A value typed on the command line, checked and converted for ``key``."""
    if key not in KEYS:
        raise unknown_setting(key)
    if key == "language":
        from canon_cli.i18n import normalize_language

        value = normalize_language(text)  # zh-CN, zh_CN, ZH... are zh
        if value is None:
            raise UsageError(
                _("language must be one of {choices}, not {value!r}").format(
                    choices=", ".join(LANGUAGES), value=text
                )
            )
        return value
    if key == "open_marks_reading":
        word = text.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise UsageError(
            _("open_marks_reading must be true or false, not {value!r}").format(value=text)
        )
    if key == "sync_folder":
        return sync_folder_setting(text, cwd)
    catalogs: list[str] = []
    for part in text.split(","):
        if part.strip():
            stored = catalog_setting(part, cwd)
            if stored not in catalogs:
                catalogs.append(stored)
    return catalogs


def change_settings(
    path: Path,
    compute: Callable[[dict[str, Any]], Mapping[str, Any]],
    check: Callable[[Config], None] | None = None,
) -> Config:
    """Change settings in the config file and return the new settings.

    ``compute`` gets the file's current values and returns the changes (a value of
    None removes the key, so the default applies). The new file is validated, and
    ``check`` (if given) may refuse the new settings, before anything is written; the
    write is atomic and holds a lock, so two canons changing settings do not lose one.
    """
    from canon_cli.fileio import atomic_write_bytes
    from canon_cli.locks import exclusive_lock

    with exclusive_lock(path.with_name(path.name + ".lock")):
        text = read_config_text(path)
        current = parse_config_text(text, path)
        changes = dict(compute(dict(current)))
        if not changes:
            return validate(current, path, text)
        new_text = edit_settings_text(text or NEW_FILE_HEADER, changes)
        new_data = parse_config_text(new_text, path)
        config = validate(new_data, path, new_text)
        for key, value in changes.items():
            if new_data.get(key) != value:  # the edit did not land as meant: never write it
                raise ConfigError(
                    _("canon could not change {key!r} in place; nothing was written").format(
                        key=key
                    ),
                    path=str(path),
                    line=_line_of(text, key),
                    hint=_("Edit the file by hand: {line}").format(
                        line=f"{key} = {toml_value(value)}"
                    ),
                )
        if check is not None:
            check(config)
        atomic_write_bytes(path, new_text.encode("utf-8"))
        return config


def _same_catalog(config_path: Path, listed: str, wanted: str) -> bool:
    base = config_path.parent
    a = base / Path(listed).expanduser()
    b = base / Path(wanted).expanduser()
    return listed == wanted or os.path.realpath(a) == os.path.realpath(b)


def _listed_catalogs(current: dict[str, Any]) -> list[str]:
    listed = current.get("catalogs", [])
    return [c for c in listed if isinstance(c, str)] if isinstance(listed, list) else []


def add_catalog(
    path: Path, catalog: str, check: Callable[[Config], None] | None = None
) -> tuple[Config, bool]:
    """Append ``catalog`` to the ``catalogs`` setting unless it is listed already;
    returns the settings and whether the list changed."""
    added = False

    def compute(current: dict[str, Any]) -> dict[str, Any]:
        nonlocal added
        listed = _listed_catalogs(current)
        if any(_same_catalog(path, c, catalog) for c in listed):
            return {}
        added = True
        return {"catalogs": [*listed, catalog]}

    return change_settings(path, compute, check), added


def remove_catalog(path: Path, catalog: str) -> Config:
    """Drop ``catalog`` (as listed, or the same file by another spelling) from ``catalogs``."""

    def compute(current: dict[str, Any]) -> dict[str, Any]:
        listed = _listed_catalogs(current)
        kept = [c for c in listed if not _same_catalog(path, c, catalog)]
        if kept == listed:
            raise UsageError(
                _("{catalog!r} is not in the catalogs setting").format(catalog=catalog),
                hint=_("Listed: {names}").format(
                    names=", ".join(listed) if listed else _("(none)")
                ),
            )
        return {"catalogs": kept}

    return change_settings(path, compute)
