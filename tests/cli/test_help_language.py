"""``--help`` in the reader's language: Chinese in Chinese, every word canon's own, with
the same examples; English exactly as before; the stored help right for each language."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from canon_cli.cli import spec, specmodel
from canon_cli.cli.app import help_texts
from canon_cli.config import KEYS
from canon_cli.output.layout import cell_width
from canon_cli.vocab import KINDS, LANGUAGES, SORT_KEYS, STATUS_SYNONYMS, STATUSES

PATHS = ["", *spec.COMMANDS]
SNAPSHOTS = Path(__file__).resolve().parents[1] / "data" / "help"
Cli = Any

# Words a Chinese help may keep as they are: what the reader types or reads as a name.
VALUES = {
    *STATUSES,
    *STATUS_SYNONYMS,
    *KINDS,
    *SORT_KEYS,
    *LANGUAGES,
    *KEYS,
    *(word for command in spec.COMMANDS for word in command.split()),
    *(
        c
        for o in (*specmodel.GLOBALS, *(o for c in spec.COMMANDS.values() for o in c.options))
        for c in o.choices
    ),
}
LINK_CHECK_WORDS = {"ok", "redirected", "broken", "unreachable"}  # results, as piped
LINK_COLUMNS = {"result", "status", "id", "url", "final_url", "detail", "checked_at"}
NAMES = {
    "canon", "AI", "Canon", "BibTeX", "Markdown", "Python", "webbrowser", "git", "rebase",
    "shell", "arXiv", "Internet", "Archive", "Enter", "Tab", "less", "http", "true", "false",
    "zh-CN", "zh_CN",
    "agents", "research",  # section slugs, as examples
}  # fmt: skip
NOT_PROSE = [
    r"示例：.*?(?=\n\s*\n|\Z)",  # the example command line, kept as it is typed
    r"'[^']*'",  # a quoted command: 'canon show'
    r"\S*[./~$]\S*",  # file names, paths, URLs, $EDITOR
    r"(?<![\w])--?[A-Za-z][\w-]*",  # option names
    r"<[^>]*>|\{[^}]*\}|\[[^\]]*\]",  # placeholders and typer's [...] notes
]


def english_words(text: str) -> list[str]:
    """The words of a help text that are neither Chinese nor allowed as they are."""
    for pattern in NOT_PROSE:
        text = re.sub(pattern, " ", text, flags=re.S)
    allowed = VALUES | LINK_CHECK_WORDS | LINK_COLUMNS | NAMES
    words = re.findall(r"[A-Za-z][A-Za-z_-]*", text)
    return [w for w in words if not (w.isupper() or len(w) == 1 or w in allowed)]


def examples(text: str, label: str) -> list[str]:
    """The example lines, without the spaces of a line break (English breaks at a
    hyphen too: multi-head)."""
    return [
        "".join(paragraph.split()).removeprefix(label)
        for paragraph in re.split(r"\n\s*\n", text)
        if paragraph.strip().startswith(label)
    ]


@pytest.fixture
def no_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_locale")
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p or "canon")
def test_every_help_is_chinese_in_chinese(path: str, cli: Cli) -> None:
    result = cli("--lang", "zh", *path.split(), "--help")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith(f"用法：canon {path}".rstrip() + " "), text
    assert "选项：" in text and "显示此帮助并退出。" in text
    assert english_words(text) == [], text
    english = cli(*path.split(), "--help").stdout
    assert english_words(english), "the check finds English where there is some"


@pytest.mark.usefixtures("no_locale")
def test_typers_own_words_are_chinese_too(cli: Cli) -> None:
    text = cli("--lang", "zh", "config", "set", "--help").stdout
    assert "用法：canon config set [选项] {KEY} {VALUE}" in text
    assert "参数：" in text and "[必填]" in text
    text = cli("--lang", "zh", "links", "check", "--help").stdout
    assert "[默认：10.0; 0.1<=x<=300]" in text and "--catalog <文件>" in text
    text = cli("--lang", "zh", "--help").stdout
    assert "命令：" in text and "[环境变量：CANON_LANG]" in text
    assert "用法：canon [选项] 命令 [参数]..." in text


@pytest.mark.usefixtures("no_locale")
@pytest.mark.parametrize(("path", "name"), [("", "canon"), ("list", "list"), ("done", "done"),
                                            ("config set", "config-set")])  # fmt: skip
def test_english_help_is_unchanged(path: str, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    expected = (SNAPSHOTS / f"{name}.en-80.txt").read_text(encoding="utf-8")
    assert help_texts()[path] == expected, (
        f"{name}: the English help changed; if on purpose, write the new text to {name}.en-80.txt"
    )


@pytest.mark.usefixtures("no_locale")
@pytest.mark.parametrize("columns", ["50", "64", "80", "200"])
def test_chinese_help_fits_the_width_and_keeps_the_examples(
    columns: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    english = help_texts()
    monkeypatch.setenv("CANON_LANG", "zh")
    chinese = help_texts()
    assert sorted(chinese) == sorted(english) == sorted(PATHS)
    width = max(min(int(columns), 80) - 2, 50)
    for path in PATHS:
        lines = chinese[path].splitlines()
        assert all(cell_width(line) <= width for line in lines), (path, lines)
        assert examples(chinese[path], "示例：") == examples(english[path], "Example:"), path


@pytest.mark.usefixtures("no_locale")
@pytest.mark.parametrize(
    "argv",
    [
        ["--lang", "zh", "list", "--help"],
        ["list", "--help", "--lang", "zh"],
        ["list", "--lang", "zh", "--help"],
        ["list", "--lang=zh-CN", "-h"],
        ["--lang", "ZH", "config", "set", "-h"],
    ],
)
def test_lang_before_or_after_the_command_gives_chinese_help(
    argv: list[str], run_canon: Any
) -> None:
    result = run_canon(*argv)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("用法：canon "), result.stdout


@pytest.mark.usefixtures("no_locale")
@pytest.mark.parametrize(
    "argv", [["--lang", "fr", "list", "--help"], ["list", "--help", "--lang", "fr"]]
)
def test_an_unknown_lang_with_help_is_the_usage_error(argv: list[str], run_canon: Any) -> None:
    result = run_canon(*argv)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "canon: error: unknown language 'fr'\n  Valid languages: en, zh\n"


@pytest.mark.usefixtures("no_locale")
def test_an_unknown_canon_lang_with_help_is_said_once(run_canon: Any) -> None:
    result = run_canon("list", "--help", env={"CANON_LANG": "fr"})
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.count("unknown language 'fr'") == 1, result.stderr


PURE_TYPER = "from canon_cli.cli.app import app; app(prog_name='canon')"


@pytest.mark.usefixtures("no_locale")
@pytest.mark.parametrize(
    "choice", ["CANON_LANG=zh", "LANG=zh_CN.UTF-8", "LC_ALL=zh_TW.UTF-8", "setting"]
)
@pytest.mark.parametrize("path", ["", "list"])
def test_stored_chinese_help_is_typers_for_every_way_of_choosing_chinese(
    choice: str, path: str, run_canon: Any, cli: Cli
) -> None:
    env = dict([choice.split("=", 1)]) if "=" in choice else {}
    if choice == "setting":
        assert cli("config", "set", "language", "zh").exit_code == 0
    args = [*path.split(), "--help"]
    typer_says = subprocess.run(
        [sys.executable, "-c", PURE_TYPER, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    built = run_canon(*args, env=env)  # typer, storing the texts
    served = run_canon(*args, env=env)  # the stored text
    assert built.stdout == served.stdout == typer_says.stdout
    assert served.stdout.startswith("用法：canon"), served.stdout
    if choice != "setting":
        assert run_canon(*args).stdout.startswith("Usage: canon")  # English stays English
