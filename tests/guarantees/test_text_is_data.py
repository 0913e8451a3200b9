"""Catalog and state text is data: never markup, never terminal control, never hidden.

A catalog whose every text field carries terminal escapes (screen clear, window-title
and clipboard OSC sequences, OSC 8 links, 8-bit CSI, a right-to-left override),
invisible characters (zero-width space and joiners, LRM, tag characters, a line
separator, a byte-order mark) and rich markup, plus a state file with the same in notes
and ids, is run through every reading command, both through rich (FORCE_COLOR) and
piped. Only canon's own SGR colour codes may carry an ESC; the payloads must show up as
visible, inert text. Export files (CSV, Markdown, BibTeX) keep invisible characters but
never controls or bidi overrides. The classes are checked against Python's Unicode
database, not against canon's own tables.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.pilot import Pilot

from canon_cli.cli.app import app
from tests.cli.browse.helpers import Terminal, details_text, drive, make_app, screen_text
from tests.terminal import drain

PAYLOADS = {
    "clear": "\x1b[2J",
    "title-bel": "\x1b]0;pwned-title\x07",
    "title-st": "\x1b]0;pwned-title\x1b\\",
    "clipboard": "\x1b]52;c;ZXZpbA==\x07",
    "hyperlink": "\x1b]8;;https://evil.invalid\x1b\\click\x1b]8;;\x1b\\",
    "csi8": "\x9b31mred",
    "rlo": "abc\u202egpj.exe",
    "bidi-isolate": "\u2067evil\u2069",
    "backspace-cr": "safe\x08\x08\x08\rEVIL",
    "markup": "[bold red]x[/bold red]",
    "link-markup": "[link=https://example.invalid]x[/link]",
    "lone-close": "lone [/] close",
    "invisible": "zw\u200bsp\u200cj\u200dw\u2060l\u200er\u061c\U000e0041\u2028p\u2029\ufeffb\xad",
}
ALL = " ".join(PAYLOADS.values())
MARKUP = PAYLOADS["markup"]

# Only Select Graphic Rendition (colour/bold) sequences may carry an ESC.
SGR = re.compile(r"\x1b\[[0-9;]*m")
BIDI_OVERRIDES = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))


def unsafe_for_files(ch: str) -> bool:
    """Controls (C0 but tab and newline, DEL, C1) and bidi embeddings/overrides/isolates."""
    return (unicodedata.category(ch) == "Cc" and ch not in "\t\n") or ord(ch) in BIDI_OVERRIDES


def unsafe_for_terminals(ch: str) -> bool:
    """Those, and invisible characters: every format character (Cf), U+2028 and U+2029."""
    return unsafe_for_files(ch) or unicodedata.category(ch) in ("Cf", "Zl", "Zp")


def assert_terminal_safe(output: str, where: str, unsafe: Any = unsafe_for_terminals) -> str:
    """The output with canon's SGR codes removed; fails on anything else a terminal acts on
    (or, with ``unsafe_for_files``, on what an export file must not hold)."""
    assert "\x1b]" not in output, f"OSC sequence in {where}"
    assert "\x1b[2J" not in output, f"screen clear in {where}"
    plain = SGR.sub("", output)
    at = next((i for i, ch in enumerate(plain) if unsafe(ch)), None)
    assert at is None, f"raw {plain[at]!r} in {where}: {plain[:at][-80:]!r}"
    return plain


def as_yaml(data: Any) -> str:
    """JSON (which is YAML) in ASCII, so raw controls never reach the YAML reader; a
    character beyond the BMP gets YAML's ``\\U`` escape, since YAML takes no surrogates."""

    def joined(match: re.Match[str]) -> str:
        high, low = int(match.group(1), 16), int(match.group(2), 16)
        return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"

    text = json.dumps(data, ensure_ascii=True, indent=1)
    return re.sub(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", joined, text)


def hostile_catalog() -> dict[str, Any]:
    return {
        "version": 1,
        "title": {"en": "Canon " + ALL, "zh": "经典 " + ALL},
        "source": "https://example.org/" + PAYLOADS["hyperlink"],
        "tags": {"evil": "Tag description " + ALL, "plain": "Plain tag"},
        "sections": [
            {
                "slug": "top",
                "name": {"en": "Top " + ALL, "zh": "顶 " + ALL},
                "description": {"en": "Described " + ALL, "zh": "描述 " + ALL},
                "sections": [{"slug": "sub", "name": {"en": "Sub " + ALL}}],
            }
        ],
        "entries": [
            {
                "id": "evil-entry",
                "title": "Title " + ALL,
                "title_zh": "标题 " + ALL,
                "url": "https://example.org/" + PAYLOADS["hyperlink"],
                "section": "top",
                "year": 2020,
                "authors": ["Author " + v for v in PAYLOADS.values()],
                "kind": "paper",
                "tags": ["evil"],
                "summary": {"en": "Summary pwned " + ALL, "zh": "摘要 pwned " + ALL},
                "links": [
                    {"label": "Label " + v, "url": f"https://example.org/{k}"}
                    for k, v in PAYLOADS.items()
                ]
                + [{"label": "escape in url", "url": "https://example.org/\x1b]0;x\x07"}],
                "aliases": ["evil-old"],
            },
            {
                "id": "plain-entry",
                "title": "Plain pwned " + MARKUP,
                "url": "https://example.org/plain",
                "section": "sub",
                "year": 2021,
                "kind": "article",
                "tags": ["plain"],
                "summary": {"en": "Nothing odd."},
            },
            {
                "id": "third-entry",
                "title": "Third " + PAYLOADS["title-bel"],
                "url": "https://example.org/third",
                "section": "sub",
                "kind": "video",
                "summary": {"en": "Third " + PAYLOADS["clipboard"]},
            },
        ],
    }


HAND_WRITTEN_STATE = """\
version: 1
entries:
  "gone-\\e]0;pwned-title\\a[bold red]x[/bold red]\\u202e":
    status: done
    started: '2024-01-01T09:00:00+00:00'
    finished: '2024-01-03T09:00:00+00:00'
    notes:
      - at: '2024-01-02T09:00:00+00:00'
        text: "hand note \\e[2J \\e]52;c;ZXZpbA==\\a \\x9b31m [link=https://x.invalid]x[/link]"
"""


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Built once: a hostile catalog, and a canon home whose state has hostile notes and
    ids (written through canon itself), with warm caches."""
    from typer.testing import CliRunner

    base = tmp_path_factory.mktemp("hostile")
    catalog = base / "hostile.yaml"
    catalog.write_text(as_yaml(hostile_catalog()))
    home = base / "home"
    home.mkdir()
    (home / "state.yaml").write_text(HAND_WRITTEN_STATE)
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CANON_HOME", str(home))
        mp.delenv("FORCE_COLOR", raising=False)
        for args in (
            ("start", "evil-entry"),
            ("done", "plain-entry"),
            ("skip", "third-entry"),
            ("rate", "evil-entry", "4"),
            *(("note", "evil-entry", f"note {k} {v}") for k, v in PAYLOADS.items()),
            ("list",),
        ):
            result = runner.invoke(app, ["--catalog", str(catalog), *args], catch_exceptions=False)
            assert result.exit_code == 0, (args, result.stderr)
            assert_terminal_safe(result.stdout + result.stderr, f"canon {' '.join(args)}")
    return catalog, home


@pytest.fixture
def hostile(hostile_files: tuple[Path, Path], canon_home: Path) -> Path:
    """This test's canon home holds a copy of the hostile state; returns the catalog."""
    catalog, home = hostile_files
    shutil.copytree(home, canon_home)
    return catalog


# (arguments, whether the markup payload must appear verbatim in the output)
READING_COMMANDS: list[tuple[tuple[str, ...], bool]] = [
    (("list",), True),
    (("list", "--json"), True),
    (("list", "--search", "pwned"), True),
    (("--lang", "zh", "list"), True),
    (("list", "--status", "reading", "--tag", "evil"), True),
    (("show", "evil-entry"), True),
    (("show", "evil-entry", "--json"), True),
    (("--lang", "zh", "show", "evil-old"), True),
    (("sections",), True),
    (("sections", "--json"), True),
    (("--lang", "zh", "sections"), True),
    (("progress",), True),
    (("progress", "--json"), False),
    (("progress", "--section", "top"), True),
    (("next",), True),
    (("next", "-n", "5", "--json"), True),
    (("log",), True),
    (("log", "--json"), True),
    (("stats",), False),
    (("stats", "--json"), False),
    (("paths",), False),
    (("paths", "--json"), False),
]
OPTIONAL_COMMANDS: list[tuple[tuple[str, ...], bool]] = [
    (("search", "pwned"), True),
    (("search", "pwned", "--json"), True),
    (("search", "gpj"), False),
    (("tags",), True),
    (("tags", "--json"), True),
    (("export", "--format", "json"), True),
    (("export", "--format", "md"), False),  # Markdown escapes the brackets, rightly
    (("export", "--format", "csv"), True),
]
EXPORT_TO_TERMINAL: list[tuple[tuple[str, ...], bool]] = [
    (("export", "--format", "bibtex"), False),
]


def run_both_ways(
    cli: Any, catalog: Path, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, Any]]:
    """The command run through rich (colour forced, wide) and piped (plain)."""
    results = []
    for mode in ("rich", "piped"):
        if mode == "rich":
            monkeypatch.setenv("FORCE_COLOR", "1")
            monkeypatch.setenv("COLUMNS", "2000")  # nothing wraps, so payloads stay whole
        else:
            monkeypatch.delenv("FORCE_COLOR", raising=False)
            monkeypatch.setenv("COLUMNS", "120")
        results.append((mode, cli("--catalog", str(catalog), *args)))
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return results


def check_command(
    cli: Any,
    hostile: Path,
    args: tuple[str, ...],
    shows_markup: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An export is a file for other programs: it keeps invisible characters.
    file_format = args[0] == "export" and args[-1] != "json"
    for mode, result in run_both_ways(cli, hostile, args, monkeypatch):
        where = f"canon {' '.join(args)} ({mode})"
        assert result.exit_code == 0, (where, result.stderr)
        if file_format:
            out = assert_terminal_safe(result.stdout, where + " stdout", unsafe_for_files)
            assert "zw\u200bsp" in out, f"{where} dropped or escaped invisible text"
        else:
            out = assert_terminal_safe(result.stdout, where + " stdout")
        assert_terminal_safe(result.stderr, where + " stderr")
        if "--json" in args or args[-1] == "json":
            json.loads(result.stdout)  # still valid JSON after escaping
        if shows_markup:
            assert MARKUP in out, f"markup not shown as literal text in {where}"
            assert "pwned" in out


ALL_COMMANDS = READING_COMMANDS + OPTIONAL_COMMANDS + EXPORT_TO_TERMINAL


@pytest.mark.parametrize(
    ("args", "shows_markup"), ALL_COMMANDS, ids=[" ".join(a) for a, _ in ALL_COMMANDS]
)
def test_commands_never_emit_terminal_control(
    cli: Any,
    hostile: Path,
    args: tuple[str, ...],
    shows_markup: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check_command(cli, hostile, args, shows_markup, monkeypatch)


def test_payloads_are_shown_as_visible_escapes(cli: Any, hostile: Path) -> None:
    """Inert is not the same as dropped: the user can see what the catalog holds."""
    result = cli("--catalog", str(hostile), "show", "evil-entry")
    out = result.stdout
    assert "\\x1b]0;pwned-title\\x07" in out
    assert "\\x9b31mred" in out
    assert "abc\\u202egpj.exe" in out
    assert "zw\\u200bsp\\u200cj\\u200dw\\u2060l\\u200er\\u061c\\U000e0041\\u2028p" in out
    assert PAYLOADS["link-markup"] in out and PAYLOADS["lone-close"] in out
    assert "note title-bel" in out  # the notes, from the state file


def test_json_keeps_the_data_exact(cli: Any, hostile: Path) -> None:
    """JSON escapes control characters, so a JSON reader gets the exact text back."""
    result = cli("--catalog", str(hostile), "show", "evil-entry", "--json")
    data = json.loads(result.stdout)
    assert data["title"] == "Title " + ALL
    assert data["authors"] == ["Author " + v for v in PAYLOADS.values()]
    assert [n["text"] for n in data["notes"]] == [
        f"note {name} {value}" for name, value in PAYLOADS.items()
    ]


def test_json_output_escapes_control_characters(cli: Any, hostile: Path) -> None:
    result = cli("--catalog", str(hostile), "list", "--json")
    assert "\\u001b" in result.stdout and "\\u009b" in result.stdout
    assert "\\u202e" in result.stdout
    assert "\\u200b" in result.stdout and "\\udb40\\udc41" in result.stdout


def test_log_shows_a_hostile_state_id_inertly(
    cli: Any, hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for mode, result in run_both_ways(cli, hostile, ("log",), monkeypatch):
        out = assert_terminal_safe(result.stdout, f"log ({mode})")
        assert "gone-\\x1b]0;pwned-title\\x07" + MARKUP in out


@pytest.mark.parametrize(
    "args",
    [
        ("show", PAYLOADS["title-bel"] + MARKUP),
        ("list", "--section", PAYLOADS["clipboard"]),
        ("list", "--tag", PAYLOADS["clear"]),
        ("list", "--year", PAYLOADS["csi8"]),
        ("list", "--kind", PAYLOADS["rlo"]),
        ("list", "--status", PAYLOADS["hyperlink"]),
        ("start", PAYLOADS["title-st"]),
        ("mark", "evil-entry", "--status", PAYLOADS["backspace-cr"]),
        ("--lang", PAYLOADS["title-bel"], "list"),
        (PAYLOADS["title-bel"],),
        ("list", "--" + PAYLOADS["clear"]),
        ("rate", "evil-entry", PAYLOADS["clear"]),
    ],
)
def test_error_messages_echo_hostile_input_inertly(
    cli: Any, hostile: Path, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    for mode, result in run_both_ways(cli, hostile, args, monkeypatch):
        assert result.exit_code == 2, (args, result.stderr)
        assert_terminal_safe(result.stdout, f"{args} ({mode}) stdout")
        assert_terminal_safe(result.stderr, f"{args} ({mode}) stderr")


def test_catalog_errors_quote_hostile_values_inertly(cli: Any, tmp_path: Path) -> None:
    data = hostile_catalog()
    data["entries"][0]["kind"] = "podcast " + ALL
    catalog = tmp_path / "bad.yaml"
    catalog.write_text(as_yaml(data))
    result = cli("--catalog", str(catalog), "list")
    assert result.exit_code == 3
    assert "kind" in assert_terminal_safe(result.stderr, "catalog error")


def test_marks_echo_hostile_titles_inertly(cli: Any, hostile: Path) -> None:
    result = cli("--catalog", str(hostile), "done", "evil-entry", "third-entry")
    assert result.exit_code == 0
    err = assert_terminal_safe(result.stderr, "done")
    assert "Title \\x1b[2J" in err


def test_real_process_output_is_terminal_safe(run_canon: Any, hostile: Path) -> None:
    """The same guarantee end to end, in a real process, colour forced and not."""
    for env in ({"FORCE_COLOR": "1", "COLUMNS": "2000"}, {}):
        for args in (("show", "evil-entry"), ("log",)):
            result = run_canon("--catalog", str(hostile), *args, env=env)
            assert result.exit_code == 0, result.stderr
            out = assert_terminal_safe(result.stdout, f"{args} {env}")
            assert_terminal_safe(result.stderr, f"{args} {env}")
            if args[0] != "log":
                assert MARKUP in out


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_real_terminal_output_is_terminal_safe(hostile: Path) -> None:
    """stdout a real (pseudo-)terminal, no FORCE_COLOR: the rich path a user sees."""
    master, slave = os.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    env["COLUMNS"] = "2000"
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "canon_cli", "--catalog", str(hostile), "show", "evil-entry"],
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=subprocess.PIPE,
            env=env,
        )
        os.close(slave)
        drawn = drain(master)
        _, err = proc.communicate(timeout=60)
    finally:
        os.close(master)
    assert proc.returncode == 0, err
    out = drawn.decode("utf-8").replace("\r\n", "\n")
    plain = assert_terminal_safe(out, "show on a terminal")
    assert MARKUP in plain
    assert "\x1b[" in out  # it really took the rich (colour) path


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_shell_completion_is_terminal_safe(hostile: Path, shell: str) -> None:
    """Completion help shows section names: the shell's menu must not get escapes."""
    from typer.testing import CliRunner

    env = {
        "CANON_CATALOG": str(hostile),
        "_CANON_COMPLETE": f"complete_{shell}",
        "_TYPER_COMPLETE_ARGS": "canon list --section ",
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
    }
    result = CliRunner().invoke(app, [], env=env, prog_name="canon")
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.stdout, f"{shell} completion")
    assert "top" in result.stdout


def test_output_the_terminal_cannot_encode_is_escaped(run_canon: Any) -> None:
    """Chinese names under an ASCII-only terminal: escapes, not a crash."""
    result = run_canon("--lang", "zh", "sections", env={"PYTHONIOENCODING": "ascii"})
    assert result.exit_code == 0, result.stderr
    assert "\\u" in result.stdout
    assert "Traceback" not in result.stderr


# --- canon browse: the full-screen app draws the same text, just as inertly -------------


def test_browse_shows_hostile_text_inertly(tmp_path: Path) -> None:
    catalog = tmp_path / "hostile.yaml"
    catalog.write_text(as_yaml(hostile_catalog()))
    for lang in ("en", "zh"):
        app = make_app(lang=lang, catalog=catalog)

        async def check(pilot: Pilot[int]) -> None:
            await pilot.press("slash", *"pwned")  # the search results are drawn too
            await pilot.pause()
            screen = screen_text(pilot.app)  # type: ignore[arg-type]
            assert_terminal_safe(screen, "canon browse")
            assert MARKUP in screen and "\\x1b" in screen and "\\u202e" in screen
            await pilot.press("escape", "tab", "k", "enter", "tab")
            await pilot.pause()
            screen = screen_text(pilot.app)  # type: ignore[arg-type]
            assert_terminal_safe(screen, "canon browse, an entry")
            assert "[link=https://example.invalid]x[/link]" in details_text(pilot.app)  # type: ignore[arg-type]

        drive(app, check, size=(200, 50))


def test_browse_in_a_real_terminal_is_terminal_safe(tmp_path: Path, canon_home: Path) -> None:
    catalog = tmp_path / "hostile.yaml"
    catalog.write_text(as_yaml(hostile_catalog()))
    term = Terminal(["--catalog", str(catalog), "browse"], columns=140, rows=40)
    try:
        term.read_until(b"Sections", b" quit")
        term.press(b"l")  # the Chinese texts too
        time.sleep(1)
        term.press(b"q")
        assert term.wait() == 0
    finally:
        term.close()
    out = term.output
    for payload in ("title-bel", "title-st", "clipboard", "hyperlink", "csi8", "clear"):
        assert PAYLOADS[payload].encode() not in out, payload
    for osc in (b"\x1b]0;", b"\x1b]2;", b"\x1b]8;", b"\x1b]52;"):  # title, link, clipboard
        assert osc not in out, osc
    assert b"[bold red]x[/bold red]" in out  # markup shown as the text it is
    assert b"\\x1b" in out  # escapes made visible


# --- invisible characters, and each output's rule ----------------------------------------

INVISIBLE_PAYLOADS = {
    "zwsp": "pay\u200bpal",
    "zwnj-zwj": "a\u200cb\u200dc",
    "word-joiner": "x\u2060y",
    "lrm-rlm-alm": "\u200eL\u200fR\u061cA",
    "tags": "hidden\U000e0069\U000e0067\U000e006e\U000e006f\U000e0072\U000e0065",
    "separators": "line\u2028para\u2029end",
    "bom": "mid\ufeffword",
    "soft-hyphen": "soft\xadhyphen",
}
ODD_URL = "https://example.org/plain\x7f\x9b\u202e\u200b"


def invisible_catalog(tmp_path: Path) -> Path:
    data = hostile_catalog()
    entry = data["entries"][1]
    entry["title"] = "Plain " + " ".join(INVISIBLE_PAYLOADS.values())
    entry["authors"] = list(INVISIBLE_PAYLOADS.values())
    entry["url"] = ODD_URL
    catalog = tmp_path / "invisible.yaml"
    catalog.write_text(as_yaml(data))
    return catalog


@pytest.mark.parametrize(
    "args",
    [
        ("show", "plain-entry"),
        ("list",),
        ("list", "--json"),
        ("show", "plain-entry", "--json"),
        ("search", "plain"),
        ("export", "--format", "json"),
    ],
)
def test_invisible_characters_are_escaped_on_terminals_and_in_json(
    cli: Any, tmp_path: Path, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = invisible_catalog(tmp_path)
    for mode, result in run_both_ways(cli, catalog, args, monkeypatch):
        assert result.exit_code == 0, result.stderr
        plain = assert_terminal_safe(result.stdout, f"{args} ({mode})")
        if "--json" in args or args[-1] == "json":
            assert "\\u200b" in plain and "\\udb40\\udc69" in plain
        else:
            assert "\\u200b" in plain and "\\U000e0069" in plain


@pytest.mark.parametrize("command", [("list", "--json"), ("export", "--format", "json")])
def test_json_decodes_to_the_exact_text(cli: Any, tmp_path: Path, command: tuple[str, ...]) -> None:
    """Every JSON output, the export's too: escaped for a terminal, exact once decoded."""
    catalog = invisible_catalog(tmp_path)
    entries = json.loads(cli("--catalog", str(catalog), *command).stdout)
    plain = next(e for e in entries if e["id"] == "plain-entry")
    assert plain["title"] == "Plain " + " ".join(INVISIBLE_PAYLOADS.values())
    assert plain["authors"] == list(INVISIBLE_PAYLOADS.values())
    assert plain["url"] == ODD_URL
    evil = next(e for e in entries if e["id"] == "evil-entry")
    assert evil["title"] == "Title " + ALL


def test_export_json_escapes_urls_as_list_json_does(cli: Any, tmp_path: Path) -> None:
    catalog = invisible_catalog(tmp_path)
    listed = cli("--catalog", str(catalog), "list", "--json").stdout
    exported = cli("--catalog", str(catalog), "export", "--format", "json").stdout
    for raw in ("\x7f", "\x9b", "\u202e", "\u200b"):
        assert raw not in exported, repr(raw)
    escaped = "https://example.org/plain\\u007f\\u009b\\u202e\\u200b"
    assert escaped in listed and escaped in exported


@pytest.mark.parametrize("fmt", ["csv", "md", "bibtex"])
def test_export_files_keep_invisible_characters_but_never_controls(
    cli: Any, tmp_path: Path, fmt: str
) -> None:
    catalog = invisible_catalog(tmp_path)
    out = tmp_path / f"list.{fmt}"
    assert cli("--catalog", str(catalog), "export", "--format", fmt, "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    assert_terminal_safe(text, f"the {fmt} export", unsafe_for_files)
    assert "pay\u200bpal" in text and "a\u200cb\u200dc" in text  # the text as written
    assert "x1b" in text  # the hostile entry's controls, made visible


def test_the_sanitiser_covers_every_control_format_and_separator_character() -> None:
    """Against the running Python's Unicode database, so a newer Unicode's format
    characters cannot slip through unnoticed."""
    from canon_cli.text import clean, clean_line, json_safe

    for code in range(0x110000):
        ch = chr(code)
        if unicodedata.category(ch) == "Cs":
            continue
        for_terminal = unsafe_for_terminals(ch)
        if for_terminal:
            assert clean(ch) != ch, hex(code)
        elif unicodedata.category(ch) != "Cn":  # unassigned here may be Cf in a newer Unicode
            assert clean(ch) == ch, hex(code)
        assert (clean(ch, keep_invisible=True) != ch) == unsafe_for_files(ch), hex(code)
        if for_terminal:
            assert ch not in clean_line(ch) and ch not in clean(ch), hex(code)
            encoded = json_safe(json.dumps("a" + ch, ensure_ascii=False))
            assert ch not in encoded and json.loads(encoded) == "a" + ch, hex(code)


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_cleaned_text_holds_nothing_unsafe(text: str) -> None:
    from canon_cli.text import clean, json_safe

    cleaned = clean(text)
    assert not any(unsafe_for_terminals(ch) for ch in cleaned), repr(cleaned)
    encoded = json_safe(json.dumps(text, ensure_ascii=False))
    assert not any(unsafe_for_terminals(ch) for ch in encoded)
    assert json.loads(encoded) == text
