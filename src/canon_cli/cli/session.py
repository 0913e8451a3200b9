"""What one run of canon works with: settings, the catalog and the state, loaded lazily.

Created by the CLI callback from the global options and handed to every command via
the typer context, so there is no module-level mutable state to patch in tests.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from canon_cli import paths
from canon_cli.config import Config, catalog_paths, load_config
from canon_cli.errors import UsageError
from canon_cli.vocab import LANGUAGES

if TYPE_CHECKING:
    from canon_cli.catalog.store import Catalog
    from canon_cli.state.store import StateStore
    from canon_cli.state.syncstore import FolderSync


class Session:
    """Settings, catalog and statuses for one run, each loaded on first use."""

    def __init__(
        self,
        catalog_option: Path | None = None,
        lang_option: str | None = None,
        config: Config | None = None,
    ) -> None:
        self.catalog_option = catalog_option
        self.lang_option = lang_option
        self._config: Config | None = config
        self._catalog: Catalog | None = None
        self._statuses: dict[str, str] | None = None
        self._store: StateStore | None = None
        self._sync: FolderSync | None = None

    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(paths.config_path())
        return self._config

    def lang(self) -> str:
        lang = self.lang_option or os.environ.get("CANON_LANG") or self.config().language
        if lang not in LANGUAGES:
            raise UsageError(
                f"unknown language {lang!r}", hint="Use --lang en or --lang zh (or CANON_LANG)."
            )
        return lang

    def main_catalog_path(self) -> Path:
        return self.catalog_option or paths.catalog_override() or paths.builtin_catalog_path()

    def _check_catalog_option(self) -> None:
        chosen = self.catalog_option or paths.catalog_override()
        if chosen is not None:
            from canon_cli.fileio import check_input_file

            check_input_file(chosen)

    def catalog_sources(self) -> list[Path]:
        sources = [self.main_catalog_path()]
        for extra in catalog_paths(self.config()):
            if extra not in sources:
                sources.append(extra)
        return sources

    def catalog(self) -> Catalog:
        if self._catalog is None:
            from canon_cli.catalog.snapshot import open_catalog

            self._check_catalog_option()
            self._catalog = open_catalog(self.catalog_sources(), paths.cache_dir())
        return self._catalog

    def _sync_hook(self) -> FolderSync | None:
        """With a sync folder set, the state takes in other devices' changes when it is
        opened and appends this device's after each write."""
        from canon_cli.config import sync_folder_path

        folder = sync_folder_path(self.config())
        if folder is None:
            return None
        from canon_cli.state.syncstore import FolderSync

        self._sync = FolderSync(folder)
        return self._sync

    def reading_state(self) -> StateStore | None:
        """The state database for reading (None while there is no state at all; with a
        sync folder set it is created, so other devices' progress shows at once)."""
        if self._store is None:
            from canon_cli.reading.status import open_state

            self._store = open_state(self._sync_hook(), create=False)
        return self._store

    def state(self, *, sync: bool = True) -> StateStore:
        """The state database for a command that writes (created on first use);
        ``sync=False``: without the sync folder's hook (``canon sync`` reads it itself)."""
        if self._store is None:
            from canon_cli.reading.status import open_state

            self._store = open_state(self._sync_hook() if sync else None)
        assert self._store is not None
        return self._store

    def statuses(self) -> dict[str, str]:
        """Status per current entry id (aliases folded in); unread entries left out."""
        if self._statuses is None:
            from canon_cli.reading.status import statuses

            self._statuses = statuses(self.reading_state(), self.catalog())
        return self._statuses

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        sync, self._sync = self._sync, None
        if sync is not None and (sync.warnings or sync.problems):
            from canon_cli.output.syncview import show_warnings

            show_warnings(sync.warnings, sync.problems)
