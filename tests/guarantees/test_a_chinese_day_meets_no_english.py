"""A Chinese reader works through a day (``canon``, ``list``, ``show``, ``done``, ``rate``,
``progress``, ``stats``, ``log``, an error) and meets no English word from canon itself.

What may stay Latin is data, not canon's words: ids, URLs, tag slugs, authors, venues,
arXiv ids, the English part of a bilingual title such as "LoRA", the command lines canon
suggests (``canon start ID``), and units ("h", "m"). Everything else in the output is
checked word by word against that list, on a terminal and through a pipe.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from canon_cli.catalog.load import load_catalogs
from canon_cli.config import KEYS
from canon_cli.vocab import KINDS, STATUSES

DATA = Path(__file__).resolve().parents[2] / "data" / "canon.yaml"
CHINESE = {"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": "", "CANON_LANG": ""}
TERMINAL = {"TTY_COMPATIBLE": "1", "NO_COLOR": "1", "COLUMNS": "100"}
# the words canon writes on purpose: its own name, command lines it suggests, units
# a word: Latin letters not glued to a number ("1h45" is a duration, not a word)
WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z](?:[A-Za-z0-9'-]*[A-Za-z0-9])?")
CANON_WORDS = {"canon", "ID", "start", "open", "h", "m", "arXiv", "DOI"}
# settings are typed as named (open_marks_reading), with their values, and products
CANON_WORDS |= {part for key in KEYS for part in key.split("_")}
CANON_WORDS |= {"true", "false", "en", "zh", "Dropbox", "Syncthing", "git"}
# a pipe's field names and values are for scripts, the same in every language (README,
# "In Chinese"): the statuses and kinds --status and --kind take, the log's events, and
# the keys of `show` and of the dashboard's lines
PIPE_WORDS = {*STATUSES, *KINDS, "started", "finished", "overall", "section", "streak", "week"}
PIPE_WORDS |= {"title", "zh", "authors", "kind", "links", "minutes", "notes", "rating"}
PIPE_WORDS |= {"status", "summary", "tags", "venue", "year", "aliases", "note", "arxiv"}
PIPE_WORDS |= {"next", "all"}  # the dashboard's and progress's row keys
PIPE_WORDS |= {"this", "device"}  # history's device column: its value, not a label
# show's "title:" field: the English title of the entry shown (data, under its field name)
PIPE_WORDS |= set(WORD.findall("LoRA: Low-rank adaptation of large language models"))


def _data_words() -> set[str]:
    """Every Latin word of the catalog's data (ids, tags, authors, Chinese titles, venues,
    URLs, link labels)."""
    loaded = load_catalogs([DATA])
    words: set[str] = set()
    for entry, _file, _line in loaded.entries:
        # the English title is not here: a Chinese reader is shown the Chinese one
        fields = [entry.id, *entry.tags, *entry.authors, entry.title_zh or entry.title]
        fields += [entry.url, *(link.url for link in entry.links), *entry.aliases]
        fields += [link.label for link in entry.links]
        if entry.venue:
            fields.append(entry.venue.name)
        fields.append(entry.arxiv or "")
        for field in fields:
            words.update(WORD.findall(field))
    words.update(section.slug for section in loaded.sections)
    words.update(loaded.tags)
    return words


def _english(text: str, allowed: set[str]) -> list[str]:
    text = re.sub(r"https?://\S+", "", text)
    text = re.sub(r"[^\s（]*/[^\s）]*", "", text)  # file paths are the reader's
    return [w for w in WORD.findall(text) if w not in allowed]


@pytest.fixture(scope="module")
def allowed() -> set[str]:
    return _data_words() | CANON_WORDS


def _canon(home: Path, *args: str, terminal: bool) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **CHINESE, "CANON_HOME": str(home), **(TERMINAL if terminal else {})}
    env = {k: v for k, v in env.items() if v != ""}
    return subprocess.run(
        [sys.executable, "-m", "canon_cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


DAY = [
    (),
    ("list", "--section", "agents"),
    ("start", "bert"),
    ("done", "lora"),
    ("rate", "lora", "4"),
    ("note", "lora", "低秩分解很巧妙"),
    ("show", "lora"),
    ("progress",),
    ("stats",),
    ("log",),
    ("next", "-n", "3"),
    ("search", "注意力"),
    ("notes",),
    ("history",),
    ("config",),
    ("config", "set", "open_marks_reading", "true"),
    ("config", "unset", "open_marks_reading"),
    ("rate", "lora", "0"),
]


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "pipe"])
def test_a_day_in_chinese_prints_no_english_word_of_canon_s_own(
    tmp_path: Path, allowed: set[str], terminal: bool
) -> None:
    home = tmp_path / "home"
    allowed = allowed if terminal else allowed | PIPE_WORDS
    found: dict[str, list[str]] = {}
    for args in DAY:
        result = _canon(home, *args, terminal=terminal)
        assert result.returncode == 0, (args, result.stderr)
        words = _english(result.stdout + result.stderr, allowed)
        if words:
            found[" ".join(args) or "(dashboard)"] = words
    assert found == {}, repr({k: sorted(set(v)) for k, v in found.items()})


def test_an_error_in_chinese_is_all_chinese(tmp_path: Path, allowed: set[str]) -> None:
    for args in (("show", "atention"), ("list", "--status", "foo"), ("rate", "lora", "9")):
        result = _canon(tmp_path / "home", *args, terminal=False)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith("canon：错误："), result.stderr
        # the valid statuses are the values --status takes, so they stay English
        # what the reader typed is quoted back as typed
        typed = set(WORD.findall(" ".join(args)))
        words = _english(result.stderr, allowed | typed | {*STATUSES})
        assert words == [], (args, result.stderr)


def test_titles_are_chinese_in_pipes_and_on_terminals(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _canon(home, "done", "lora", terminal=False)
    for terminal in (False, True):
        for args in (("list", "-s", "model-improvements"), ("log",), ("search", "lora")):
            out = _canon(home, *args, terminal=terminal).stdout
            assert "LoRA：大型语言模型的低秩适应性" in out, (args, terminal, out)
            assert "Low-rank adaptation" not in out, (args, terminal, out)
