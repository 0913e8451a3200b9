"""canon's Chinese interface: the message catalog is complete and compiled, and the
language is chosen by the documented rules.

The catalog's source is ``src/canon_cli/locale/zh/LC_MESSAGES/canon.po``; the compiled
``canon.mo`` beside it is committed (and shipped in the wheel, see test_install.py).
These tests fail when a new message is not in the catalog, is not translated, lost a
placeholder in translation, or when the .mo was not rebuilt after the .po changed.
"""

from __future__ import annotations

import gettext
import re
import string
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from canon_cli.i18n import locale_language, normalize_language

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "canon_cli"
PO = PACKAGE / "locale" / "zh" / "LC_MESSAGES" / "canon.po"
MO = PO.with_suffix(".mo")
Cli = Any


def _po() -> Any:
    with PO.open("rb") as fh:
        return read_po(fh, locale="zh")


def _extracted() -> set[str | tuple[str, str]]:
    """Every message canon's code marks for translation (as pyproject's babel config)."""
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=keywords
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def _key(message_id: Any) -> str | tuple[str, str]:
    return message_id if isinstance(message_id, str) else (message_id[0], message_id[1])


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_message_is_in_the_catalog_and_translated() -> None:
    catalog = _po()
    translated = {_key(m.id): m for m in catalog if m.id}
    missing = sorted(map(str, _extracted() - set(translated)))
    assert not missing, f"not in canon.po (run pybabel extract and update): {missing}"
    untranslated = [
        str(m.id)
        for m in translated.values()
        if "fuzzy" in m.flags or not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    assert not untranslated, f"untranslated or fuzzy in canon.po: {untranslated}"


def test_translations_keep_every_placeholder() -> None:
    for message in _po():
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        wanted = set().union(*(_fields(i) for i in ids))
        for text in strings:
            assert _fields(text) == wanted, (message.id, text)


def test_the_compiled_catalog_matches_the_po_file() -> None:
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for message in _po():
        if not message.id:
            continue
        if isinstance(message.id, str):
            assert compiled.gettext(message.id) == message.string, message.id
        else:
            singular, plural = message.id[0], message.id[1]
            assert compiled.ngettext(singular, plural, 2) == message.string[0], message.id


@pytest.mark.parametrize(
    ("typed", "lang"),
    [
        ("zh", "zh"),
        ("ZH", "zh"),
        ("zh-CN", "zh"),
        ("zh_CN", "zh"),
        ("zh-Hans", "zh"),
        ("zh_CN.UTF-8", "zh"),
        ("en", "en"),
        ("en_GB", "en"),
        ("fr", None),
        ("", None),
    ],
)
def test_language_names_are_normalised(typed: str, lang: str | None) -> None:
    assert normalize_language(typed) == lang


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),  # LC_ALL overrides the others
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "C"}, "zh"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_locale_decides_when_nothing_else_does(env: dict[str, str], lang: str) -> None:
    assert locale_language(env) == lang


def _is_chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


@pytest.fixture
def no_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_locale")
@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--lang", "zh-CN"), {}),
        (("--lang", "ZH"), {}),
        ((), {"CANON_LANG": "zh_CN"}),
        ((), {"LANG": "zh_CN.UTF-8"}),
        ((), {"LC_ALL": "zh_CN.UTF-8"}),
    ],
)
def test_every_way_of_choosing_chinese_gives_chinese_messages(
    cli: Cli, args: tuple[str, ...], env: dict[str, str]
) -> None:
    result = cli(*args, "list", "--status", "reed", env=env)
    assert result.exit_code == 2
    assert result.stderr.startswith("canon：错误：未知的状态 'reed'"), result.stderr


@pytest.mark.usefixtures("no_locale")
def test_the_language_setting_beats_the_locale_and_the_option_beats_both(
    cli: Cli, canon_home: Path
) -> None:
    canon_home.mkdir(parents=True, exist_ok=True)
    (canon_home / "config.toml").write_text('language = "en"\n', encoding="utf-8")
    english = cli("done", "bert", env={"LANG": "zh_CN.UTF-8"})
    assert english.stderr.startswith("done: bert"), english.stderr
    chinese = cli("--lang", "zh", "reset", "bert", env={"LANG": "en_US.UTF-8"})
    assert chinese.stderr.startswith("已重置：bert"), chinese.stderr


@pytest.mark.usefixtures("no_locale")
def test_an_unknown_language_is_a_usage_error(cli: Cli) -> None:
    result = cli("--lang", "fr", "list")
    assert result.exit_code == 2
    assert "unknown language 'fr'" in result.stderr and "Valid languages: en, zh" in result.stderr


def test_the_english_path_does_not_import_gettext(tmp_path: Path) -> None:
    # the hot commands are benchmarked: English must not pay for gettext's import
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from canon_cli.cli.fastpath import run\n"
        "code = run(['list', '--section', 'agents'])\n"
        "sys.stdout.flush()\n"
        "sys.exit(3 if 'gettext' in sys.modules else code)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    zh = subprocess.run(
        [sys.executable, "-c", code.replace("'list'", "'--lang', 'zh', 'list'")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert zh.returncode == 3  # and Chinese does load it: the check can fail


@pytest.mark.usefixtures("no_locale")
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("lisst",), "没有这个命令 'lisst'；你是不是想输入"),
        (("state",), "缺少子命令"),
        (("list", "--frob"), "没有这个选项：--frob"),
        (("show",), "缺少参数 'ID'"),
        (("export", "-f", "foo"), "的值无效：'foo' 不是"),
        (("list", "-n", "x"), "'x' 不是整数"),
        (("show", "atention"), "没有条目匹配 'atention'"),
        (("list", "--year", "twenty"), "无效的年份 'twenty'"),
        (("rate", "bert", "9"), "评分必须是 1 到 5 的整数"),
        (("open", "palm", "--link", "9", "--print"), "palm 没有链接 [9]"),
    ],
)
def test_errors_are_chinese_too_click_s_own_included(
    cli: Cli, args: tuple[str, ...], words: str
) -> None:
    result = cli("--lang", "zh", *args)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("canon：错误："), result.stderr
    assert words in result.stderr, result.stderr
    english = cli(*args)
    assert english.stderr.startswith("canon: error: ") and not _is_chinese(english.stderr)
