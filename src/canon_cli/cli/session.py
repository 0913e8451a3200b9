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
from canon_cli.errors import CanonIOError, DataError, unknown_choice
from canon_cli.i18n import _, locale_language, normalize_language, set_language
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
        color_option: str | None = None,
        no_pager_option: bool = False,
    ) -> None:
        self.catalog_option = catalog_option
        self.lang_option = lang_option
        self.color_option = color_option
        self.no_pager_option = no_pager_option
        self._config: Config | None = config
        self._catalog: Catalog | None = None
        self._statuses: dict[str, str] | None = None
        self._store: StateStore | None = None
        self._sync: FolderSync | None = None
        self._lang: str | None = None
        # whether something chose the language (an option, a variable, the setting or a
        # Chinese locale), or English is only the default
        self.lang_chosen = False

    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(paths.config_path())
        return self._config

    def lang(self) -> str:
        """The run's language, chosen once: ``--lang``, else ``CANON_LANG``, else the
        ``language`` setting, else the locale (LC_ALL, LC_MESSAGES, LANG: ``zh_*`` is
        Chinese), else English. It also becomes the language of canon's messages."""
        if self._lang is None:
            self._lang, self.lang_chosen = self._choose_lang()
            set_language(self._lang)
        return self._lang

    def activate_language(self) -> None:
        """Choose the language now, before anything is printed. A config file that
        cannot be read leaves English for now: the command that needs the file reports
        it (an unknown --lang or CANON_LANG is reported here)."""
        try:
            self.lang()
        except (DataError, CanonIOError):
            set_language("en")

    def activate_output(self) -> None:
        """The run's ``--color`` and ``--no-pager`` choices, before anything is drawn."""
        from canon_cli.output.streams import set_output

        set_output(color=self.color_option or "auto", pager=not self.no_pager_option)

    def _choose_lang(self) -> tuple[str, bool]:
        typed = self.lang_option or os.environ.get("CANON_LANG")
        if typed:
            lang = normalize_language(typed)
            if lang is None:
                raise unknown_choice("language", typed, LANGUAGES)
            return lang, True
        config = self.config()
        if "language" in config.set_keys:
            return config.language, True
        lang = locale_language(os.environ)
        return lang, lang != "en"

    def main_catalog_path(self) -> Path:
        return self.catalog_option or paths.catalog_override() or paths.builtin_catalog_path()

    def _check_catalog_option(self) -> None:
        chosen = self.catalog_option or paths.catalog_override()
        if chosen is not None:
            from canon_cli.userfiles import check_input_file

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
            try:
                self._catalog = open_catalog(self.catalog_sources(), paths.cache_dir())
            except DataError as exc:
                self._explain_missing_setting(exc)
                raise
        return self._catalog

    def _explain_missing_setting(self, exc: DataError) -> None:
        """A catalog listed in the config that is gone (moved with a folder, say): the
        error says where it is listed and how to change that."""
        config = self.config()
        listed = dict(zip(map(str, catalog_paths(config)), config.catalogs, strict=True))
        if exc.hint is None and exc.path in listed and not os.path.lexists(exc.path):
            exc.hint = _(
                "It is listed in the catalogs setting of {config}; if it moved, change the "
                "setting: canon config remove-catalog {listed}, then add-catalog its new path."
            ).format(config=config.path, listed=listed[exc.path])

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
