"""Every location canon reads or writes, in one place.

``CANON_HOME`` moves all of canon's own files (state, config, cache) under one folder;
otherwise they follow the platform's conventions via platformdirs (XDG on Linux).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "canon"
PACKAGE_DIR = Path(__file__).resolve().parent


def _home() -> Path | None:
    home = os.environ.get("CANON_HOME")
    return Path(home).expanduser() if home else None


def data_dir() -> Path:
    """Where personal data (the reading state) lives."""
    home = _home()
    if home is not None:
        return home
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    home = _home()
    if home is not None:
        return home
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


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
