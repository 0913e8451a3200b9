"""On a terminal of any width: progress keeps its counts and whole bars, Chinese wraps
by character like English wraps by word."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from canon_cli.output.layout import cell_width
from tests.terminal import needs_tmux, screen

Cli = Any
ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")


def drawn(cli: Cli, *args: str, columns: int) -> str:
    env = {"TTY_COMPATIBLE": "1", "NO_COLOR": "1", "COLUMNS": str(columns)}
    result = cli(*args, env=env)
    assert result.exit_code == 0, result.stderr
    return ANSI.sub("", result.stdout)


def check_progress(text: str, sections: list[dict[str, Any]], columns: int) -> None:
    """Every section row shows its exact count; a bar shows the true share."""
    rows = [line for line in text.splitlines() if re.search(r"\d+/\d+", line)][1:]
    assert len(rows) == len(sections)
    for line, section in zip(rows, sections, strict=True):
        assert cell_width(line) <= columns, line
        finished = section["done"] + section["skipped"]
        assert re.search(rf"(^|\s){finished}/{section['total']}(\s|$)", line), line
        bar = re.search(r"[█░]+", line)
        if bar is not None:
            filled = bar.group().count("█")
            assert filled == round(len(bar.group()) * finished / section["total"]), line


@pytest.mark.parametrize("columns", [40, 60, 66, 70, 80, 120])
def test_progress_keeps_counts_and_whole_bars(cli: Cli, columns: int) -> None:
    assert cli("done", "gpt-3", "gpt-4", "palm", "react", "toolformer").exit_code == 0
    sections = json.loads(cli("progress", "--json").stdout)["sections"]
    text = drawn(cli, "progress", columns=columns)
    check_progress(text, sections, columns)
    if columns >= 60:  # room for a bar: it is drawn (shrunk, not cut)
        assert all(re.search(r"[█░]{6,}", ln) for ln in text.splitlines() if "/" in ln)


@needs_tmux
@pytest.mark.parametrize("columns", [40, 60])
def test_progress_in_a_real_terminal(cli: Cli, columns: int) -> None:
    assert cli("done", "react", "toolformer", "gpt-4").exit_code == 0
    sections = json.loads(cli("--lang", "zh", "progress", "--json").stdout)["sections"]
    text, code = screen(["--lang", "zh", "progress"], columns, rows=60)
    assert code == 0
    check_progress(text, sections, columns)


def cells_of(line: str, start: int, end: int) -> str:
    """The characters of ``line`` between terminal cells ``start`` and ``end``."""
    out, at = "", 0
    for char in line:
        if start <= at < end:
            out += char
        at += cell_width(char)
    return out


def column(text: str, header: str) -> list[tuple[str, str]]:
    """(id, text of the column ``header``) of each row of every table in ``text``."""
    rows: list[tuple[str, str]] = []
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if n + 1 < len(lines) and lines[n + 1].startswith("──") and line.startswith("ID"):
            words = line.split()
            prefix = line[: line.index(header)]
            start = cell_width(prefix)
            after = words[words.index(header) + 1]
            end = cell_width(line[: line.index(after, len(prefix))])
            for row in lines[n + 2 :]:
                if not row.strip() or row.startswith(("──", "ID")) or "──" in row:
                    break
                if not row.startswith(" "):
                    rows.append((row.split()[0], ""))
                rows[-1] = (rows[-1][0], rows[-1][1] + cells_of(row, start, end).strip())
    return rows


def test_chinese_titles_wrap_instead_of_being_cut(cli: Cli) -> None:
    titles = {e["id"]: e["title_zh"] for e in json.loads(cli("list", "--json").stdout)}
    for args in (["list", "--section", "agents"], ["search", "agents"], ["next", "-n", "5"]):
        text = drawn(cli, "--lang", "zh", *args, columns=60)
        rows = column(text, "标题")
        assert rows, text
        for entry_id, title in rows:
            assert title.replace(" ", "") == titles[entry_id].replace(" ", ""), text


def test_chinese_summary_wraps_by_character(cli: Cli) -> None:
    summary = json.loads(cli("show", "react", "--json", "--lang", "zh").stdout)["summary"]
    text = drawn(cli, "--lang", "zh", "show", "react", columns=40)
    lines = text.splitlines()
    first = next(i for i, ln in enumerate(lines) if ln and ln[0] == summary[0])
    block = []
    for line in lines[first:]:
        if not line.strip():
            break
        block.append(line)
    assert "".join(block).replace(" ", "") == summary.replace(" ", "")
    assert all(38 <= cell_width(line) <= 40 for line in block[:-1]), block


def ids_of(cli: Cli, *args: str) -> list[str]:
    return [e["id"] for e in json.loads(cli(*args, "--json").stdout)]


@pytest.mark.parametrize("columns", [60, 80])
def test_ids_stay_whole_and_every_table_has_its_header(cli: Cli, columns: int) -> None:
    marked = ("autonomous-machine-intelligence", "how-stable-diffusion-works")
    assert cli("done", *marked).exit_code == 0
    for args in (["list"], ["search", "agents"], ["next", "-n", "3"], ["log"]):
        ids = ids_of(cli, *args)
        text = drawn(cli, *args, columns=columns)
        lines = text.splitlines()
        assert set(ids) <= set(text.split()), (args, text)  # no id broken over two lines
        assert all(cell_width(line) <= columns for line in lines), text
        headers = [ln for ln in lines if ln.split()[:1] in (["ID"], ["When"])]
        under = [lines[i + 1] for i, ln in enumerate(lines[:-1]) if ln in headers]
        assert headers and all(ln.startswith("──") for ln in under), text
        sections = [ln for ln in lines if ln.rstrip().endswith("─") and ln[0] != "─"]
        if args[0] in ("list", "next"):  # a header on every section's table
            assert len(headers) == len(sections) > (1 if args == ["list"] else 0), text


def test_the_status_column_is_there_before_anything_is_marked(cli: Cli) -> None:
    text = drawn(cli, "list", "-s", "agents", columns=100)
    assert "Status" in text.splitlines()[1] and "unread" in text
    assert "Status" in drawn(cli, "search", "agents", columns=100)


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_history_keeps_each_time_and_date_change_whole(cli: Cli, columns: int) -> None:
    for args in (("done", "bert"), ("rate", "bert", "4")):
        assert cli(*args).exit_code == 0
    out = drawn(cli, "history", columns=columns)
    lines = out.splitlines()
    assert all(cell_width(line) <= columns for line in lines), out
    finished = next(line for line in lines if " finished " in line)
    assert re.search(r"- -> \d{4}-\d\d-\d\d \d\d:\d\d\s*$", finished), out
    assert ("Device" in lines[0]) == (columns > 60), out  # the first column to go
    chinese = drawn(cli, "--lang", "zh", "history", columns=columns)
    assert "读完" in chinese and "- -> 已读" in chinese and "finished" not in chinese, chinese
