"""Stored help is typer's help, byte for byte, and is never used when it could be stale."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from canon_cli import paths
from canon_cli.cli import fastpath, helpcache, spec, specmodel
from canon_cli.cli.app import _help_sources, app, help_texts

PATHS = ["", *spec.COMMANDS]


def _typer_help(path: str, capsys: pytest.CaptureFixture[str]) -> str:
    """What typer itself prints for ``canon PATH --help`` in this process (not through
    click's test runner, which forces a width of 80)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        app([*path.split(), "--help"], prog_name="canon")
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("columns", ["50", "64", "80", "200"])
def test_the_texts_are_what_typer_prints(
    columns: str, lang: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setenv("CANON_LANG", lang)
    texts = help_texts()
    assert sorted(texts) == sorted(PATHS)
    for path in PATHS:
        assert texts[path] == _typer_help(path, capsys), path
    assert len(max(texts[""].splitlines(), key=len)) <= max(min(int(columns), 80) - 2, 50)


PURE_TYPER = "import sys; from canon_cli.cli.app import app; app(prog_name='canon')"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("columns", ["55", "100"])
@pytest.mark.parametrize("path", ["", "list", "config set"])
def test_a_real_run_prints_what_typer_prints(
    path: str, columns: str, lang: str, run_canon: Any
) -> None:
    settings = {"COLUMNS": columns, "CANON_LANG": lang}
    args = [*path.split(), "--help"]
    typer_says = subprocess.run(
        [sys.executable, "-c", PURE_TYPER, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **settings},
    )
    assert typer_says.returncode == 0, typer_says.stderr
    built = run_canon(*args, env=settings)  # typer, storing the texts
    served = run_canon(*args, env=settings)  # the stored text
    assert built.stdout == served.stdout == typer_says.stdout
    assert served.stdout.startswith("用法：" if lang == "zh" else "Usage: ")


def _store() -> dict[str, str]:
    texts = help_texts()
    helpcache.store(paths.cache_dir(), texts, _help_sources())
    return texts


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p or "canon")
def test_stored_help_is_served_exactly(path: str, capsys: pytest.CaptureFixture[str]) -> None:
    texts = _store()
    capsys.readouterr()
    assert fastpath.run([*path.split(), "--help"]) == 0
    assert capsys.readouterr().out == texts[path]
    assert fastpath.run([*path.split(), "-h"]) == 0
    assert capsys.readouterr().out == texts[path]


def test_another_width_or_terminal_is_a_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    _store()
    assert helpcache.serve(["list", "--help"]) == 0
    monkeypatch.setenv("COLUMNS", "60")
    assert helpcache.serve(["list", "--help"]) is None
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setattr(helpcache, "_stdout_is_terminal", lambda: True)
    assert helpcache.serve(["list", "--help"]) is None


def test_a_changed_source_makes_it_stale(tmp_path: Path) -> None:
    source = tmp_path / "module.py"
    source.write_text("x = 1\n")
    helpcache.store(paths.cache_dir(), {"list": "help\n"}, [str(source)])
    assert helpcache.lookup(paths.cache_dir(), "list") == "help\n"
    source.write_text("x = 22\n")
    assert helpcache.lookup(paths.cache_dir(), "list") is None
    source.unlink()
    assert helpcache.lookup(paths.cache_dir(), "list") is None


def test_a_changed_config_makes_it_stale(cli: Any) -> None:
    _store()
    assert helpcache.lookup(paths.cache_dir(), "list") is not None
    assert cli("config", "set", "language", "zh").exit_code == 0
    assert helpcache.lookup(paths.cache_dir(), "list") is None


@pytest.mark.parametrize("content", [b"", b"garbage", b"canon-help 1\nkey x\n\n\0list\0x", b"\xff"])
def test_a_damaged_file_is_a_miss(content: bytes) -> None:
    _store()
    target = Path(helpcache.cache_file(paths.cache_dir(), helpcache.key()))
    target.write_bytes(content)
    assert helpcache.serve(["list", "--help"]) is None


def test_a_fifo_is_never_opened_for_reading() -> None:
    target = Path(helpcache.cache_file(paths.cache_dir(), helpcache.key()))
    target.parent.mkdir(parents=True)
    os.mkfifo(target)
    assert helpcache.serve(["--help"]) is None  # returns at once instead of blocking


@pytest.mark.parametrize(
    "argv",
    [["list"], ["--help", "list"], ["list", "-s", "x", "--help"], ["nope", "--help"]],
)
def test_only_plain_help_requests_are_served(argv: list[str]) -> None:
    _store()
    assert helpcache.serve(argv) is None


@pytest.mark.parametrize(
    "environment",
    [{}, {"COLUMNS": "0"}, {"COLUMNS": "x"}, {"COLUMNS": "63"}, {"COLUMNS": "63", "LINES": "9"}],
)
def test_the_width_is_shutils(environment: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    expected = max(min(shutil.get_terminal_size().columns, 80) - 2, 50)
    assert helpcache.help_width() == expected


def test_a_real_run_builds_then_serves_without_typer(run_canon: Any) -> None:
    first = run_canon("list", "--help")
    second = run_canon("list", "--help")
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout and "Usage: canon list" in first.stdout
    code = (
        "import sys\n"
        "sys.argv = ['canon', 'list', '--help']\n"
        "from canon_cli.__main__ import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "assert 'typer' not in sys.modules\n"
    )
    served = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert served.returncode == 0, served.stderr
    assert served.stdout == first.stdout


def test_canon_alone_is_the_dashboard_even_with_a_stored_help(
    run_canon: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _store()
    capsys.readouterr()
    assert fastpath.run([]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("next\tsoftware-2-0\t") and captured.err == ""
    served = run_canon()
    assert (served.exit_code, served.stderr) == (0, "")
    assert served.stdout == captured.out


def test_the_help_variables_are_the_global_options_variables() -> None:
    assert set(helpcache.OPTION_VARIABLES) == {o.envvar for o in specmodel.GLOBALS if o.envvar}


@pytest.mark.parametrize(
    "environment",
    [
        {"CANON_HOME": "/tmp/ch"},
        {"CANON_HOME": "~/ch"},
        {"XDG_CACHE_HOME": "/tmp/xc"},
        {"XDG_CACHE_HOME": "relative", "HOME": "/tmp/h"},
        {"HOME": "/tmp/h"},
    ],
)
def test_the_help_cache_dir_is_canons(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CANON_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert helpcache.cache_dir() == str(paths.cache_dir())


def test_serving_help_imports_no_more_of_canon() -> None:
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "from canon_cli.cli import helpcache\n"
        "helpcache.serve(['list', '--help'])\n"
        "new = sorted(m for m in set(sys.modules) - before if m.startswith('canon_cli'))\n"
        "print(new, 'pathlib' in sys.modules, 'typing' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    modules = "['canon_cli', 'canon_cli.cli', 'canon_cli.cli.helpcache']"
    assert done.stdout.strip() == f"{modules} False False"


def test_the_entry_point_knows_the_help_words_without_importing_the_cache() -> None:
    import canon_cli.__main__ as entry

    assert entry.HELP_NAMES == helpcache.HELP_NAMES
