"""Fuzzed files through whole commands: a random config.toml or own catalog gives every
command a documented exit code and at most one message, never a traceback, and never
costs a change already made or a file canon did not mean to change.

Each example runs in a fresh copy of one home that already has a mark (bert done), so a
lost change would show. Runs are in-process, so an exception fails the test.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from canon_cli.cli.app import app
from tests.guarantees.test_catalogs_are_read_safely import TOML_TEXT

EXIT_CODES = {0, 1, 2, 3, 4, 5}
FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def invoke(home: Path, *args: str, extra: dict[str, str] | None = None) -> Any:
    env = {"CANON_HOME": str(home), "CANON_LOCK_TIMEOUT": "1", "BROWSER": "true", **(extra or {})}
    result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    output = result.stdout + result.stderr
    assert result.exit_code in EXIT_CODES, (args, result.exit_code, output)
    assert "Traceback" not in output, (args, output)
    assert result.stderr.count("canon: error:") <= 1, (args, result.stderr)
    return result


def done_ids(home: Path) -> set[str]:
    """What the state says is done, read with a config that cannot get in the way."""
    (home / "config.toml").write_text("")
    listed = invoke(home, "list", "--status", "done", "--json")
    assert listed.exit_code == 0, listed.stderr
    return {item["id"] for item in json.loads(listed.stdout)}


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    """A home with bert done, a warm catalog snapshot and an own catalog of one entry."""
    with tempfile.TemporaryDirectory(prefix="canon-fuzz-") as tmp:
        home = Path(tmp) / "home"
        assert invoke(home, "done", "bert").exit_code == 0
        added = invoke(
            home, "add", "https://example.org/mine", "--title", "Mine", "--section", "agents"
        )
        assert added.exit_code == 0, added.stderr
        yield home


def fresh_home(template: Path, tmp: str) -> Path:
    home = Path(tmp) / "home"
    shutil.copytree(template, home)
    return home


# --- config.toml ------------------------------------------------------------------------


def _nested(kind: str, depth: int) -> str:
    if kind == "arrays":
        return "a = " + "[" * depth + "]" * depth
    if kind == "inline":
        return "a = " + "{b = " * depth + "1" + "}" * depth
    if kind == "tables":
        return "[" + ".".join(["t"] * depth) + "]\nx = 1"
    if kind == "dotted":
        return ".".join(["k"] * depth) + " = 1"
    return "catalogs = " + "[" * depth + '"x.yaml"' + "]" * depth


def _huge(extra: int) -> str:
    from canon_cli.vocab import CONFIG_MAX_BYTES

    head = 'language = "zh"\n#'
    return head + "x" * (CONFIG_MAX_BYTES - len(head) - 1 + extra) + "\n"


SETTINGS_LINES = st.sampled_from(
    [
        'language = "zh"',
        'language = "fr"',
        'catalogs = ["my-catalog.yaml"]',
        'catalogs = ["missing.yaml"]',
        "catalogs = []",
        "open_marks_reading = true",
        'open_marks_reading = "yes"',
        'sync_folder = "sync"',
        'sync_folder = ""',
        "language = 1e999",
    ]
)
CONFIG_TEXTS = st.one_of(
    TOML_TEXT,
    st.lists(SETTINGS_LINES, max_size=4).map("\n".join),
    st.builds(
        _nested,
        st.sampled_from(["arrays", "inline", "tables", "dotted", "catalogs"]),
        st.integers(1, 3000),
    ),
    st.builds(_huge, st.sampled_from([-1, 0, 1, 4096])),
)
COMMANDS = [
    ("list",),
    ("show", "bert", "--json"),
    ("config",),
    ("config", "--json"),
    ("config", "set", "language", "zh"),
    ("config", "add-catalog", "my-catalog.yaml"),
    ("done", "lora"),
    ("progress",),
]


@FUZZ
@given(
    text=st.one_of(CONFIG_TEXTS.map(str.encode), st.binary(max_size=200)),
    command=st.sampled_from(COMMANDS),
)
def test_any_config_file_through_any_command(
    template: Path, text: bytes, command: tuple[str, ...]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = fresh_home(template, tmp)
        config = home / "config.toml"
        config.write_bytes(text)
        result = invoke(home, *command)
        if result.exit_code == 3:
            assert str(config) in result.stderr or "catalog" in result.stderr, result.stderr
        if result.exit_code != 0 or command[0] != "config" or len(command) < 3:
            assert config.read_bytes() == text  # only a successful change writes it
        done = done_ids(home)
        assert "bert" in done
        if command == ("done", "lora"):
            assert ("lora" in done) == (result.exit_code == 0)


# --- the own catalog --------------------------------------------------------------------

YAML_PIECES = st.sampled_from(
    [
        "\n",
        "  ",
        "- ",
        ": ",
        "{",
        "}",
        "[",
        "]",
        "&a ",
        "*a",
        "!!python/object:os.system ",
        "!!binary ",
        "'",
        '"',
        "#",
        "---\n",
        "...\n",
        "\t",
        "\x00",
        "\x1b[2J",
        "\u202e",
        "经",
        "id: mine\n",
        "  - id: x\n",
        "version: 3\n",
        "section: nowhere\n",
        "kind: podcast\n",
    ]
)


@st.composite
def own_catalog_texts(draw: st.DrawFn, valid: str) -> bytes:
    choice = draw(st.integers(0, 4))
    if choice == 0:  # the valid file with pieces put in at random places
        text = valid
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(YAML_PIECES) + text[at:]
        return text.encode()
    if choice == 1:  # cut short, or with a span deleted
        at = draw(st.integers(0, len(valid)))
        end = draw(st.integers(at, len(valid)))
        return (valid[:at] + valid[end:]).encode()
    if choice == 2:  # nested too deeply
        depth = draw(st.integers(20, 2000))
        opener, closer = draw(st.sampled_from([("[", "]"), ("{a: ", "}")]))
        return (valid + "extra: " + opener * depth + closer * depth + "\n").encode()
    if choice == 3:  # an alias bomb
        lines = ['a0: &a0 "lol"'] + [
            f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)
        ]
        return (valid + "\n".join(lines) + "\n").encode()
    return draw(st.binary(max_size=300))


OWN_COMMANDS = [
    ("list",),
    ("show", "mine"),
    ("add", "https://example.org/other", "--title", "Other", "--section", "agents"),
    ("remove", "mine"),
    ("done", "lora"),
]


def own_cap() -> int:
    """A YAML size cap the built-in catalog fits under, so an own catalog can go over it."""
    from canon_cli.paths import builtin_catalog_path

    return builtin_catalog_path().stat().st_size + 4096


@settings(FUZZ, max_examples=30)  # most examples rebuild the catalog snapshot
@given(data=st.data(), command=st.sampled_from(OWN_COMMANDS), huge=st.booleans())
def test_any_own_catalog_through_any_command(
    template: Path, data: st.DataObject, command: tuple[str, ...], huge: bool
) -> None:
    valid = (template / "my-catalog.yaml").read_text()
    text = data.draw(own_catalog_texts(valid))
    cap = own_cap()
    if huge:  # one byte over the cap
        text += b"#" * (cap - len(text)) + b"\n"
    with tempfile.TemporaryDirectory() as tmp:
        home = fresh_home(template, tmp)
        own = home / "my-catalog.yaml"
        own.write_bytes(text)
        result = invoke(home, *command, extra={"CANON_MAX_YAML_BYTES": str(cap)})
        if result.exit_code == 3:
            assert str(own) in result.stderr, result.stderr
        if huge:
            assert result.exit_code == 3 and "limit" in result.stderr, result.stderr
        if result.exit_code != 0 or command[0] not in ("add", "remove"):
            assert own.read_bytes() == text  # an unreadable catalog is never rewritten
        done = done_ids(home)
        assert "bert" in done
        if command == ("done", "lora"):
            assert ("lora" in done) == (result.exit_code == 0)
