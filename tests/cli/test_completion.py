"""Shell completion: the value functions, and the protocol the shells use, end to end."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from canon_cli import paths
from canon_cli.cli.app import app
from canon_cli.cli.completion import (
    MAX_ITEMS,
    complete_any_kind,
    complete_entry_id,
    complete_kind,
    complete_section,
    complete_setting,
    complete_setting_value,
    complete_status,
    complete_tag,
    complete_user_entry_id,
    help_text,
)
from canon_cli.cli.options import EntryIdArg

Cli = Any
RunCanon = Any

ODD = """\
version: 1
tags:
  odd: "Odd [bold]tag[/bold]"
sections:
  - slug: odd
    name: {en: "Odd [/bold] names: a 'quote' $HOME `cmd`"}
entries:
  - id: odd-one
    title: "An [x] odd \\x1b[31m title"
    url: https://example.org/odd
    section: odd
    kind: article
    tags: [odd]
    summary: {en: odd}
"""


def context(**params: Any) -> typer.Context:
    ctx = typer.Context(get_command(app))
    ctx.params.update(params)
    return ctx


def values(items: list[tuple[str, str]]) -> list[str]:
    return [value for value, _ in items]


def completion_env(**extra: str) -> dict[str, str]:
    return {"_CANON_COMPLETE": "complete_bash", **extra}


def bash_complete(run_canon: RunCanon, words: str, env: dict[str, str] | None = None) -> Any:
    cword = len(words.split(" ")) - 1
    return run_canon(
        env={
            "_CANON_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(cword),
            **(env or {}),
        }
    )


@pytest.fixture
def odd_catalog(tmp_path: Path) -> Path:
    path = tmp_path / "odd.yaml"
    path.write_text(ODD, encoding="utf-8")
    return path


# --- the value functions ------------------------------------------------------


def test_entry_ids_complete_with_their_titles() -> None:
    assert complete_entry_id(context(), "atten") == [
        ("attention-is-all-you-need", "Attention is all you need")
    ]
    everything = values(complete_entry_id(context(), ""))
    assert len(everything) == 96 <= MAX_ITEMS
    assert everything[0] == "software-2-0"  # reading order
    assert complete_entry_id(context(), "no-such-prefix") == []
    assert complete_entry_id(context(), "%") == []  # LIKE wildcards are literal
    assert complete_entry_id(context(), "_") == []


def test_sections_tags_kinds_statuses_and_settings() -> None:
    assert complete_section(context(), "ag") == [("agents", "Agents")]
    assert values(complete_tag(context(), "re")) == ["reasoning", "retrieval"]
    assert ("retrieval", "Retrieval, vector search and RAG") in complete_tag(context(), "re")
    assert values(complete_kind(context(), "")) == sorted(values(complete_kind(context(), "")))
    assert "paper" in values(complete_kind(context(), "pa"))
    assert values(complete_any_kind(context(), "le")) == ["leaderboard"]
    assert values(complete_status(context(), "")) == ["unread", "reading", "done", "skipped"]
    assert values(complete_setting(context(), "")) == [
        "language",
        "catalogs",
        "open_marks_reading",
        "sync_folder",
    ]
    assert values(complete_setting_value(context(key="language"), "")) == ["en", "zh"]
    assert values(complete_setting_value(context(key="open_marks_reading"), "t")) == ["true"]
    assert complete_setting_value(context(key="catalogs"), "") == []


def test_section_names_follow_the_language(cli: Cli) -> None:
    assert complete_section(context(lang="zh"), "age") == [("agents", "代理")]
    assert cli("config", "set", "language", "zh").exit_code == 0
    assert complete_section(context(), "age") == [("agents", "代理")]


def test_the_catalog_option_is_honoured(odd_catalog: Path) -> None:
    ctx = context(catalog=odd_catalog)
    assert values(complete_entry_id(ctx, "")) == ["odd-one"]
    assert values(complete_section(ctx, "")) == ["odd"]


def test_user_entry_ids_are_only_the_users_own(cli: Cli) -> None:
    assert complete_user_entry_id(context(), "") == []
    added = cli("add", "https://example.org/a", "--title", "Attention, mine", "--section", "agents")
    assert added.exit_code == 0
    assert complete_user_entry_id(context(), "attention-is") == []  # never a built-in one
    assert complete_user_entry_id(context(), "") == [("attention-mine", "Attention, mine")]


def test_any_error_means_no_completions(canon_home: Path, tmp_path: Path) -> None:
    canon_home.mkdir(parents=True, exist_ok=True)
    paths.config_path().write_text("catalogs = [\n", encoding="utf-8")
    assert complete_entry_id(context(), "a") == []
    assert complete_section(context(), "") == []
    paths.config_path().write_text("", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\nentries: [\n", encoding="utf-8")
    assert complete_entry_id(context(catalog=broken), "") == []
    assert complete_entry_id(context(catalog=tmp_path / "missing.yaml"), "") == []


def test_help_text_is_one_inert_short_line() -> None:
    assert help_text("a\nb\tc") == "a b c"
    assert help_text("x\x1b[31my") == "x\\x1b[31my"
    assert help_text("[bold]x[/bold]") == "\\[bold]x\\[/bold]"
    long = help_text("word " * 40)
    assert len(long) <= 70 and long.endswith("…")


def test_a_warm_completion_reads_no_yaml(canon_home: Path) -> None:
    assert complete_entry_id(context(), "bert")  # builds the snapshot
    code = (
        "import sys, typer\n"
        "from typer.main import get_command\n"
        "from canon_cli.cli.app import app\n"
        "from canon_cli.cli.completion import complete_entry_id\n"
        "ctx = typer.Context(get_command(app))\n"
        "assert [v for v, _ in complete_entry_id(ctx, 'bert')] == ['bert']\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('ruamel', 'pydantic')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# --- the protocol, through a real canon process -------------------------------


def test_bash_protocol_completes_option_values(run_canon: RunCanon) -> None:
    result = bash_complete(run_canon, "canon search --section ag")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "agents\n", "")
    # progress takes one section: it completes like the others
    assert bash_complete(run_canon, "canon progress --section ag").stdout == "agents\n"
    assert bash_complete(run_canon, "canon list --tag re").stdout.split() == [
        "reasoning",
        "retrieval",
    ]
    assert bash_complete(run_canon, "canon export --status re").stdout.split() == ["reading"]
    assert bash_complete(run_canon, "canon list --kind vid").stdout.split() == ["video"]
    assert bash_complete(run_canon, "canon add --kind rep").stdout.split() == [
        "report",
        "repository",
    ]
    assert bash_complete(run_canon, "canon export --format b").stdout.split() == ["bibtex"]
    assert bash_complete(run_canon, "canon config set lang").stdout.split() == ["language"]
    assert bash_complete(run_canon, "canon config set language ").stdout.split() == ["en", "zh"]


def test_bash_protocol_completes_the_users_ids_for_remove(cli: Cli, run_canon: RunCanon) -> None:
    assert cli("add", "https://example.org/n", "--title", "My notes", "--section", "agents")
    assert bash_complete(run_canon, "canon remove ").stdout.split() == ["my-notes"]


def test_zsh_and_fish_protocols_show_help_text(run_canon: RunCanon) -> None:
    zsh = run_canon(
        env={"_CANON_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "canon list --tag retr"}
    )
    assert zsh.exit_code == 0
    assert zsh.stdout == '_arguments \'*: :(("retrieval":"Retrieval, vector search and RAG"))\'\n'
    fish = run_canon(
        env={
            "_CANON_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
            "_TYPER_COMPLETE_ARGS": "canon search --section ag",
        }
    )
    assert (fish.exit_code, fish.stdout) == (0, "agents\tAgents\n")


def test_odd_names_reach_the_shell_literally(run_canon: RunCanon, odd_catalog: Path) -> None:
    for shell in ("zsh", "fish"):
        result = run_canon(
            env={
                "_CANON_COMPLETE": f"complete_{shell}",
                "_TYPER_COMPLETE_FISH_ACTION": "get-args",
                "_TYPER_COMPLETE_ARGS": f"canon --catalog {odd_catalog} search --section o",
            }
        )
        assert result.exit_code == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert "Odd [/bold] names" in result.stdout
    tags = run_canon(
        env={
            "_CANON_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
            "_TYPER_COMPLETE_ARGS": f"canon --catalog {odd_catalog} list --tag o",
        }
    )
    assert tags.stdout == "odd\tOdd [bold]tag[/bold]\n"


def test_a_broken_config_gives_no_completions_and_no_traceback(
    run_canon: RunCanon, canon_home: Path
) -> None:
    canon_home.mkdir(parents=True, exist_ok=True)
    paths.config_path().write_text("language = [\n", encoding="utf-8")
    result = bash_complete(run_canon, "canon search --section ag")
    assert (result.exit_code, result.stdout.strip(), result.stderr) == (0, "", "")


def test_entry_id_arguments_complete_ids() -> None:
    """What ``show``, ``open``, ``done``... get by declaring their id with EntryIdArg."""
    demo = typer.Typer()

    @demo.command()
    def show(entry_id: EntryIdArg) -> None:
        """Example: canon show ID"""

    @demo.command()
    def other(flag: Annotated[bool, typer.Option("--flag")] = False) -> None:
        """Example: canon other"""

    result = CliRunner().invoke(
        demo,
        [],
        prog_name="canon",
        env={
            "_CANON_COMPLETE": "complete_bash",
            "COMP_WORDS": "canon show atten",
            "COMP_CWORD": "2",
        },
    )
    assert result.stdout == "attention-is-all-you-need\n"


# --- installing ---------------------------------------------------------------


def canon_script() -> Path | None:
    script = Path(sys.executable).parent / "canon"
    return script if script.is_file() else None


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_install_completion_for_bash_works_in_a_real_bash(tmp_path: Path) -> None:
    script = canon_script()
    if script is None:
        pytest.skip("canon is not installed as a script next to this Python")
    home = Path(os.environ["HOME"])
    env = {**os.environ, "PATH": f"{script.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    # run from a bash that is not replaced by exec, so typer detects it as the shell
    install = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", "canon --install-completion; true"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert "bash completion installed" in install.stdout, install.stderr
    installed = home / ".bash_completions" / "canon.sh"
    assert f"source '{installed}'" in (home / ".bashrc").read_text(encoding="utf-8")
    complete = subprocess.run(
        [
            "bash",
            "--norc",
            "--noprofile",
            "-c",
            'source "$1"; COMP_WORDS=(canon search --section ag); COMP_CWORD=3; '
            '_canon_completion canon; printf "%s\\n" "${COMPREPLY[@]}"',
            "bash",
            str(installed),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert complete.stdout == "agents\n", complete.stderr


@pytest.mark.parametrize(
    ("shell", "installed", "line"),
    [
        ("zsh", ".zfunc/_canon", "compdef _canon_completion canon"),
        ("fish", ".config/fish/completions/canon.fish", "complete --command canon"),
        ("bash", ".bash_completions/canon.sh", "complete -o default -F _canon_completion canon"),
    ],
)
def test_install_completion_writes_each_shells_script(
    run_canon: RunCanon, shell: str, installed: str, line: str
) -> None:
    result = run_canon(
        "--install-completion", shell, env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    )
    assert result.exit_code == 0, result.stderr
    script = Path(os.environ["HOME"]) / installed
    text = script.read_text(encoding="utf-8")
    assert line in text
    assert "_CANON_COMPLETE" in text
