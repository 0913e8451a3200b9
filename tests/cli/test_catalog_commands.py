"""list, show, sections and paths as a user sees them: output and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

Cli = Any


def rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if line]


def test_list_section_agents_prints_the_seven_agent_entries(cli: Cli) -> None:
    result = cli("list", "--section", "agents")
    assert result.exit_code == 0
    listed = rows(result.stdout)
    assert len(listed) == 7
    assert listed[0][0] == "autonomous-machine-intelligence"
    assert all(row[4] == "agents" for row in listed)
    assert "\x1b" not in result.stdout  # a pipe gets plain text


def test_list_all_is_one_line_per_entry_in_reading_order(cli: Cli) -> None:
    listed = rows(cli("list").stdout)
    assert len(listed) == 96
    assert listed[0][0] == "software-2-0"
    assert listed[-1][0] == "dreamfusion"


def test_parent_section_includes_subsections(cli: Cli) -> None:
    research = rows(cli("list", "--section", "research").stdout)
    assert len(research) == 45
    llms = rows(cli("list", "-s", "llms").stdout)
    assert {row[4] for row in llms} == {"new-models", "model-improvements"}
    assert len(llms) == 19


def test_filters_combine(cli: Cli) -> None:
    listed = rows(
        cli("list", "--section", "research", "--year", "2022", "--tag", "diffusion").stdout
    )
    assert listed and all(row[1] == "2022" for row in listed)
    ids = {row[0] for row in listed}
    assert "dreambooth" in ids and "attention-is-all-you-need" not in ids
    between = rows(cli("list", "--year", "2020..2021").stdout)
    assert between and all(2020 <= int(row[1]) <= 2021 for row in between)
    since = rows(cli("list", "--year", "2023..", "--kind", "repository").stdout)
    assert {row[0] for row in since} == {"auto-gpt", "babyagi"}
    both_tags = json.loads(cli("list", "--tag", "agents", "--tag", "reasoning", "--json").stdout)
    assert both_tags
    assert all({"agents", "reasoning"} <= set(item["tags"]) for item in both_tags)
    one_tag = json.loads(cli("list", "--tag", "agents", "--json").stdout)
    assert len(one_tag) > len(both_tags)


def test_search_filter_is_case_insensitive_over_both_languages(cli: Cli) -> None:
    assert "attention-is-all-you-need" in cli("list", "--search", "ATTENTION").stdout
    chinese = rows(cli("list", "--search", "扩散").stdout)
    assert any("diffusion" in row[0] for row in chinese)
    assert rows(cli("list", "--search", "Karpathy").stdout)  # authors


def test_unknown_section_tag_kind_list_the_valid_ones(cli: Cli) -> None:
    result = cli("list", "--section", "agentz")
    assert result.exit_code == 2
    assert "unknown section 'agentz'" in result.stderr
    assert "agents" in result.stderr and "Traceback" not in result.stderr
    tag = cli("list", "--tag", "nope")
    assert tag.exit_code == 2 and "transformers" in tag.stderr
    kind = cli("list", "--kind", "poem")
    assert kind.exit_code == 2 and "paper" in kind.stderr
    year = cli("list", "--year", "20x2")
    assert year.exit_code == 2 and "invalid year" in year.stderr


def test_list_json_has_the_documented_fields(cli: Cli) -> None:
    result = cli("list", "--section", "new-models", "--json")
    items = json.loads(result.stdout)
    first = items[0]
    for key in (
        "id",
        "title",
        "url",
        "links",
        "year",
        "section",
        "kind",
        "tags",
        "authors",
        "summary",
        "status",
    ):
        assert key in first
    assert first["section"] == ["research", "llms", "new-models"]
    assert first["links"][0]["label"] == "Blog post"
    assert first["status"] == "unread"
    assert isinstance(first["year"], int)
    zh = json.loads(cli("--lang", "zh", "list", "--section", "new-models", "--json").stdout)
    assert zh[0]["summary"].startswith("Google Brain")
    assert "开始" in zh[0]["summary"]


def test_show_prints_everything_about_one_entry(cli: Cli) -> None:
    result = cli("show", "attention-is-all-you-need")
    assert result.exit_code == 0
    out = result.stdout
    assert "Attention is all you need" in out
    assert "https://arxiv.org/abs/1706.03762" in out
    assert "[1] Blog post:" in out
    assert "research › Large language models › New models" in out or "New models" in out
    assert "Google Brain" in out and "开始这一切" in out  # both languages by default
    only_zh = cli("--lang", "zh", "show", "attention-is-all-you-need").stdout
    assert "开始这一切" in only_zh and "The original transformer" not in only_zh


def test_show_json_and_unknown_id(cli: Cli) -> None:
    data = json.loads(cli("show", "bert", "--json").stdout)
    assert data["id"] == "bert" and data["summary_zh"]
    missing = cli("show", "atention-is-all-you-need")
    assert missing.exit_code == 2
    assert "did you mean" in missing.stderr.lower()
    assert "attention-is-all-you-need" in missing.stderr


def test_sections_tree_with_counts(cli: Cli) -> None:
    result = cli("sections")
    listed = rows(result.stdout)
    assert listed[0][0] == "introductions" and listed[0][1] == "5"
    research = next(row for row in listed if row[0] == "research")
    assert research[1] == "45"
    data = json.loads(cli("sections", "--json").stdout)
    agents = next(s for s in data if s["slug"] == "agents")
    assert agents["path"] == ["research", "agents"] and agents["count"] == 7
    zh = json.loads(cli("--lang", "zh", "sections", "--json").stdout)
    assert zh[0]["name"] == "友好的引言"


def test_paths_json(cli: Cli, canon_home: Path) -> None:
    data = json.loads(cli("paths", "--json").stdout)
    assert set(data) >= {"catalog", "state", "config", "cache"}
    assert data["state"].startswith(str(canon_home))
    assert data["cache"].startswith(str(canon_home))
    assert Path(data["catalog"]).is_file()


def test_catalog_option_and_env(cli: Cli, tmp_path: Path) -> None:
    small = tmp_path / "mine.yaml"
    small.write_text(
        "version: 1\nsections:\n  - slug: reading\n    name: {en: Reading}\nentries:\n"
        "  - id: my-paper\n    title: My paper\n    url: https://example.org/p\n"
        "    section: reading\n    kind: paper\n    summary: {en: Mine.}\n",
        encoding="utf-8",
    )
    assert rows(cli("--catalog", str(small), "list").stdout)[0][0] == "my-paper"
    assert rows(cli("list", env={"CANON_CATALOG": str(small)}).stdout)[0][0] == "my-paper"
    missing = cli("--catalog", str(tmp_path / "nope.yaml"), "list")
    assert missing.exit_code == 2 and "no such file: " in missing.stderr


def test_terminal_gets_a_rich_table_and_no_color_is_honoured(cli: Cli) -> None:
    result = cli("list", "--section", "agents", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout  # coloured
    assert "Agents" in result.stdout and "react" in result.stdout
    plain = cli("list", "--section", "agents", env={"TTY_COMPATIBLE": "1", "NO_COLOR": "1"})
    assert "react" in plain.stdout
    colours = re.findall(r"\x1b\[([0-9;]*)m", plain.stdout)
    assert not [c for c in colours if re.search(r"(^|;)(3[0-8]|9[0-7])(;|$)", c)]


def test_help_has_an_example_for_every_command(cli: Cli) -> None:
    from typer.main import get_command

    from canon_cli.cli.app import app

    group = get_command(app)
    names = list(group.commands)  # type: ignore[attr-defined]
    assert {"list", "show", "sections", "paths", "progress", "next", "done"} <= set(names)
    for name in names:
        command = group.commands[name]  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        for leaf_name, leaf in (sub or {name: command}).items():
            assert leaf.help and "Example: canon" in leaf.help, (
                f"{name} {leaf_name} lacks an example"
            )
        result = cli(name, "--help")
        assert result.exit_code == 0


def test_python_dash_m_works(run_canon: Any) -> None:
    result = run_canon("list", "--section", "agents")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 7


def test_every_command_is_known_to_the_lazy_loader() -> None:
    """A run builds only the invoked command; a command missing from the table would vanish."""
    from typer.main import get_command

    from canon_cli.cli.app import COMMAND_MODULES, app

    group = get_command(app)
    assert set(group.commands) == set(COMMAND_MODULES)  # type: ignore[attr-defined]


def test_each_command_runs_alone_as_a_real_process(run_canon: Any) -> None:
    for name in ("sections", "paths", "progress", "search"):
        args = [name, "attention"] if name == "search" else [name]
        result = run_canon(*args)
        assert result.exit_code == 0, (name, result.stderr)
        assert result.stdout


def test_tags_lists_the_vocabulary_with_counts(cli: Cli) -> None:
    listed = rows(cli("tags").stdout)
    by_tag = {row[0]: int(row[1]) for row in listed}
    assert by_tag["agents"] >= 7 and "transformers" in by_tag
    entries = json.loads(cli("list", "--tag", "diffusion", "--json").stdout)
    assert by_tag["diffusion"] == len(entries)
    data = json.loads(cli("tags", "--json").stdout)
    assert {"tag", "description", "description_zh", "count"} <= set(data[0])


def test_tag_descriptions_are_in_the_reader_s_language(cli: Cli) -> None:
    english = {row[0]: row[2] for row in rows(cli("tags").stdout)}
    chinese = {row[0]: row[2] for row in rows(cli("--lang", "zh", "tags").stdout)}
    assert english["diffusion"] == "Diffusion models" and chinese["diffusion"] == "扩散模型"
    assert all(re.search(r"[\u4e00-\u9fff]", text) for text in chinese.values()), chinese
    data = {t["tag"]: t for t in json.loads(cli("--lang", "zh", "tags", "--json").stdout)}
    assert data["llm"]["description"] == "Large language models"
    assert data["llm"]["description_zh"] == "大型语言模型"


def test_a_tag_description_may_be_english_only_or_both(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "version: 2\ntags:\n  a: Only English\n  b: {en: Both, zh: 两种}\n", encoding="utf-8"
    )
    chinese = {
        row[0]: row[2] for row in rows(cli("--lang", "zh", "--catalog", str(path), "tags").stdout)
    }
    assert chinese == {"a": "Only English", "b": "两种"}
    path.write_text("version: 2\ntags:\n  a: {zh: 只有中文}\n", encoding="utf-8")
    result = cli("--catalog", str(path), "tags")
    assert result.exit_code == 3
    assert f"{path}:3: tags, a, en: Field required" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("args", "what", "hint"),
    [
        (("list", "--status", "red"), "status", "Valid statuses: unread, reading, done, skipped"),
        (("mark", "bert", "--status", "red"), "status", "Valid statuses: unread, reading, done"),
        (("list", "--kind", "podcast"), "kind", "Valid kinds: "),
        (("list", "--tag", "difusion"), "tag", "Did you mean 'diffusion'? Valid tags: "),
        (("config", "get", "langauge"), "setting", "Did you mean 'language'? Valid settings: "),
    ],
)
def test_an_unknown_choice_is_worded_one_way(
    cli: Any, args: tuple[str, ...], what: str, hint: str
) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert f"canon: error: unknown {what} " in result.stderr
    assert hint in result.stderr


# --- catalog version 2 fields: reading time, citation identifiers, editorial notes ----


def test_show_gives_the_time_the_identifiers_and_the_note(cli: Cli) -> None:
    out = cli("show", "alphacode").stdout  # a pipe: canon's field names
    assert "minutes:\t20" in out
    assert "venue:\tScience 2022" in out
    assert "arxiv:\t2203.07814" in out and "doi:\t10.1126/science.abq1158" in out
    assert "\nnote:\n" in out and "median competitor" in out
    assert "\nnote_zh:\n" in out and "中位水平" in out
    zh = cli("--lang", "zh", "show", "alphacode").stdout
    assert "note_zh:" in zh and "\nnote:\n" not in zh
    plain = cli("show", "software-2-0").stdout
    assert "venue:" not in plain and "doi:" not in plain and "note" not in plain
    screen = cli("show", "lets-build-gpt", env={"TTY_COMPATIBLE": "1", "NO_COLOR": "1"}).stdout
    assert re.search(r"time\W+about 1 h 56 min", re.sub(r"\x1b\[[0-9;]*m", "", screen))
    noted = cli("show", "alphacode", env={"TTY_COMPATIBLE": "1", "NO_COLOR": "1"}).stdout
    assert "Editor's note" in noted and "编者注" in noted


def test_show_json_carries_the_version_2_fields(cli: Cli) -> None:
    data = json.loads(
        cli("show", "competition-level-code-generation-with-alphacode", "--json").stdout
    )
    assert data["id"] == "alphacode"
    assert data["minutes"] == 20 and data["arxiv"] == "2203.07814"
    assert data["venue"] == {"type": "journal", "name": "Science", "year": 2022}
    assert data["doi"] == "10.1126/science.abq1158"
    assert data["note_en"].startswith("The source list dates") and data["note_zh"]
    assert data["note"] == data["note_en"]
    bare = json.loads(cli("show", "software-2-0", "--json").stdout)
    assert bare["venue"] is None and bare["note"] is None and bare["minutes"] == 10


def test_list_gives_the_reading_time(cli: Cli) -> None:
    listed = json.loads(cli("list", "--section", "agents", "--json").stdout)
    assert [e["minutes"] for e in listed] == [180, 105, 65, 60, 45, 15, 10]
    table = cli("list", "--section", "agents", env={"TTY_COMPATIBLE": "1", "NO_COLOR": "1"})
    screen = re.sub(r"\x1b\[[0-9;]*m", "", table.stdout)
    header = next(line for line in screen.splitlines() if line.startswith("ID"))
    assert "Time" in header
    assert re.search(r"react .* 1h45", screen)
    assert re.search(r"babyagi .* 10m", screen)
