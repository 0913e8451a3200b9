"""Every location canon reads or writes, in one place.

``CANON_HOME`` moves all of canon's own files (state, config, cache) under one folder;
otherwise they follow the platform's conventions: platformdirs decides, except on Linux,
where its rules are the XDG ones, a few lines applied here without importing it (the
import alone costs about the interpreter's start-up). A test checks both agree.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "canon"
PACKAGE_DIR = Path(__file__).resolve().parent


def _home() -> Path | None:
    home = os.environ.get("CANON_HOME")
    return Path(home).expanduser() if home else None


def _plain_linux() -> bool:
    """Linux, and not an Android app (platformdirs has its own rules there)."""
    return sys.platform.startswith("linux") and not (
        hasattr(sys, "getandroidapilevel") or "ANDROID_DATA" in os.environ
    )


def xdg_dir(variable: str, default: str) -> Path | None:
    """platformdirs' rule on Linux: ``$VARIABLE/canon`` when it is an absolute path,
    else ``~/<default>/canon``; None when only platformdirs can tell (no absolute HOME)."""
    value = os.environ.get(variable, "")
    if value.startswith("/"):
        return Path(value, APP_NAME)
    home = os.environ.get("HOME", "")
    if not home.startswith("/"):
        return None  # platformdirs then asks the password database
    return Path(os.path.expanduser(f"~/{default}"), APP_NAME)


def _platform_dir(kind: str) -> Path:
    variable, default = {
        "data": ("XDG_DATA_HOME", ".local/share"),
        "config": ("XDG_CONFIG_HOME", ".config"),
        "cache": ("XDG_CACHE_HOME", ".cache"),
    }[kind]
    if _plain_linux():
        found = xdg_dir(variable, default)
        if found is not None:
            return found
    import platformdirs

    where = getattr(platformdirs, f"user_{kind}_dir")
    return Path(where(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """Where personal data (the reading state) lives."""
    home = _home()
    return home if home is not None else _platform_dir("data")


def config_dir() -> Path:
    home = _home()
    return home if home is not None else _platform_dir("config")


def cache_dir() -> Path:
    home = _home()
    return home / "cache" if home is not None else _platform_dir("cache")


def link_results_path() -> Path:
    """What the last ``canon links check`` runs found (a cache: JSON, see linkcheck/store.py)."""
    return cache_dir() / "links.json"


def state_db_path() -> Path:
    """The reading state: a SQLite database (a journal of changes and its fold)."""
    return data_dir() / "state.db"


def legacy_state_path() -> Path:
    """Where canon before the journal kept the state (version 1, YAML): read once, kept."""
    return data_dir() / "state.yaml"


def config_path() -> Path:
    return config_dir() / "config.toml"


def user_catalog_path() -> Path:
    """The user's own catalog, written by ``canon add``."""
    return data_dir() / "my-catalog.yaml"


def builtin_catalog_path() -> Path:
    """The catalog shipped with canon: inside the wheel, or data/ in a source checkout."""
    packaged = PACKAGE_DIR / "data" / "canon.yaml"
    if packaged.is_file():
        return packaged
    return PACKAGE_DIR.parent.parent / "data" / "canon.yaml"


def catalog_format_doc() -> Path:
    """The catalog format's description: shipped in the wheel, or docs/ in a checkout."""
    packaged = PACKAGE_DIR / "docs" / "catalog-format.md"
    if packaged.is_file():
        return packaged
    return PACKAGE_DIR.parent.parent / "docs" / "catalog-format.md"


def catalog_override() -> Path | None:
    value = os.environ.get("CANON_CATALOG")
    return Path(value).expanduser() if value else None
