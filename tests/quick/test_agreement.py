"""Each rule of the quick path agrees with the general path's rule it stands for."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import pytest

from canon_cli import i18n, paths, vocab
from canon_cli.catalog import snapshot
from canon_cli.cli.session import Session
from canon_cli.cli.spec import COMMANDS
from canon_cli.cli.specmodel import GLOBALS
from canon_cli.config import load_config
from canon_cli.quick import answers, argv, data, progress, where
from canon_cli.reading import dashboard
from canon_cli.state import store


def test_the_main_links_label_is_the_message_catalogs() -> None:
    from canon_cli.output.words import link_label
    from canon_cli.quick.show import MAIN_LABEL

    for lang in ("en", "zh"):
        i18n.set_language(lang)
        assert link_label("main") == MAIN_LABEL[lang]
    i18n.set_language("en")


def test_the_constants_are_the_general_paths() -> None:
    assert data.STATE_SCHEMA == store.SCHEMA_VERSION
    assert progress.UPCOMING == dashboard.UPCOMING
    assert set(where.CONFIG_KEYS) == set(load_config.__globals__["KEYS"])
    assert [s.strip('"') for s in data.MARKED] == [s for s in vocab.STATUSES if s != "unread"]


@pytest.mark.parametrize("command", [c for c in argv.COMMANDS if c])
def test_every_option_read_here_is_the_specs(command: str) -> None:
    options = {name: o for o in COMMANDS[command].options for name in o.names}
    for name, (param, how) in argv.COMMANDS[command].items():
        opt = options[name]
        assert opt.param == param
        assert opt.many == (how == "many")
        assert (opt.kind == "int") == (how == "count")
        if how == "count":
            assert (opt.minimum, opt.maximum) == (1, vocab.MAX_COUNT)
    spec_globals = {name: o for o in GLOBALS for name in o.names}
    for name, (param, _how) in argv.GLOBALS.items():
        assert spec_globals[name].param in (param, "no_pager")


@pytest.mark.parametrize(
    ("typed", "setting", "environ"),
    [
        (None, None, {}),
        ("zh", None, {}),
        (None, "zh", {}),
        (None, None, {"LANG": "zh_CN.UTF-8"}),
        (None, None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}),
        (None, None, {"LC_MESSAGES": "zh_TW"}),
        (None, "en", {"LANG": "zh_CN.UTF-8"}),
        (None, None, {"CANON_LANG": "zh-CN", "LANG": "en_US"}),
        ("en", "zh", {"CANON_LANG": "zh"}),
    ],
)
def test_the_language_is_chosen_alike(
    typed: str | None,
    setting: str | None,
    environ: dict[str, str],
    canon_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "CANON_LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    canon_home.mkdir(parents=True, exist_ok=True)
    text = "" if setting is None else f'language = "{setting}"\n'
    (canon_home / "config.toml").write_text(text, encoding="utf-8")
    settings = where.config_settings(str(canon_home))
    assert settings is not None
    session = Session(lang_option=typed)
    lang = session.lang()
    assert where.choose_language(typed, settings, os.environ) == (lang, session.lang_chosen)


PLAIN = [
    "",
    '# canon\'s settings\n\nlanguage = "zh"\n',
    'catalogs = ["my-catalog.yaml", "/abs/other.yaml"]\nopen_marks_reading = false\n',
    'catalogs = []\r\nlanguage="en"\r\n',
    '  language   =   "zh"  \n',
    'catalogs = [ "a.yaml", ]\n',
]
NOT_PLAIN = [
    "language = 'zh'\n",  # a literal string
    'language = "zh" # trailing comment\n',
    'language = "z\\u0068"\n',
    '[section]\nlanguage = "zh"\n',
    'language = "zh"\nlanguage = "en"\n',
    'colour = "red"\n',
    'catalogs = [\n  "a.yaml",\n]\n',
    'catalogs = ["a,b.yaml"]\n',
    "open_marks_reading = yes\n",
    '"language" = "zh"\n',
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_settings_read_as_tomllib_reads_them(text: str) -> None:
    assert where.read_settings(text) == tomllib.loads(text)


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_other_forms_are_left_to_the_general_path(text: str) -> None:
    found = where.read_settings(text)
    assert found is None or found != _toml_or_none(text)


def _toml_or_none(text: str) -> Any:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def test_invalid_values_are_left_to_the_general_path(canon_home: Path) -> None:
    canon_home.mkdir(parents=True, exist_ok=True)
    config = canon_home / "config.toml"
    for text in ('language = "fr"\n', 'catalogs = [""]\n', 'sync_folder = " "\n', "x"):
        config.write_text(text, encoding="utf-8")
        assert where.config_settings(str(canon_home)) is None
    config.write_bytes(b'\xef\xbb\xbflanguage = "zh"\n')
    assert where.config_settings(str(canon_home)) is None
    config.unlink()
    os.mkfifo(config)  # never opened (it would block)
    assert where.config_settings(str(canon_home)) is None


@pytest.mark.parametrize(
    "environ",
    [
        {"XDG_DATA_HOME": "/x/data", "XDG_CONFIG_HOME": "/x/config/", "XDG_CACHE_HOME": "/c"},
        {"XDG_DATA_HOME": "relative", "HOME": "/home/reader"},
        {"HOME": "/home/reader"},
        {"CANON_HOME": "~/canon", "HOME": "/home/reader"},
        {"CANON_HOME": "relative/home"},
    ],
)
def test_the_folders_are_the_general_paths(
    environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CANON_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    found = where.places()
    assert found is not None
    assert (Path(found.data), Path(found.config), Path(found.cache)) == (
        paths.data_dir(),
        paths.config_dir(),
        paths.cache_dir(),
    )


def test_a_home_only_the_password_database_knows_is_left(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CANON_HOME")
    monkeypatch.setenv("HOME", "relative")
    monkeypatch.delenv("XDG_DATA_HOME")
    assert where.places() is None


def test_catalogs_snapshot_and_identity_are_the_general_paths(
    cli: Any, canon_home: Path, tmp_path: Path
) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text("version: 1\nentries: []\n", encoding="utf-8")
    canon_home.mkdir(parents=True, exist_ok=True)
    text = f'catalogs = ["{extra}", "../canon-home/../extra.yaml"]\n'
    (canon_home / "config.toml").write_text(text, encoding="utf-8")
    settings = where.config_settings(str(canon_home))
    assert settings is not None
    assert where.catalog_sources(str(canon_home), settings) is None  # one file named twice
    text = f'catalogs = ["{extra}"]\n'
    (canon_home / "config.toml").write_text(text, encoding="utf-8")
    settings = where.config_settings(str(canon_home))
    assert settings is not None
    sources = where.catalog_sources(str(canon_home), settings)
    assert sources is not None
    general = Session().catalog_sources()
    assert [Path(s) for s in sources] == general
    assert Path(where.builtin_catalog()) == paths.builtin_catalog_path()
    cache = paths.cache_dir()
    assert Path(data.snapshot_file(str(cache), sources)) == snapshot.snapshot_path(cache, general)


@pytest.mark.parametrize(
    "stamp",
    [
        "2026-11-21T09:30:00Z",
        "2026-01-01T00:00:59Z",
        "2024-02-29T23:59:00Z",
        "1999-12-31T23:30:00Z",
    ],
)
def test_times_are_shown_alike(stamp: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from canon_cli.quick import history
    from canon_cli.state.fold import local_minute

    for zone in ("UTC", "Asia/Shanghai", "America/New_York"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        assert history.local_minute(stamp) == local_minute(stamp)
    monkeypatch.delenv("TZ")
    time.tzset()
    assert history.local_minute("2026-11-21T09:30:00+01:00") is None
    assert history.local_minute("2026-13-21T09:30:00Z") is None


def test_text_is_left_as_is_exactly_where_the_sanitiser_leaves_it() -> None:
    from canon_cli.text import clean, clean_line

    codes = [*range(0x30000), *range(0xE0000, 0xE0100), 0x10FFFD]
    for code in codes:
        if 0xD800 <= code <= 0xDFFF:
            continue
        text = f"a{chr(code)}b"
        assert answers.as_is(text) == (clean_line(text) == text), hex(code)
        assert answers.as_is(text, one_line=False) == (clean(text) == text), hex(code)
