"""canon add / canon remove: the user's own catalog, checked before anything is written."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from canon_cli import paths
from canon_cli.catalog.newentry import slugify

Cli = Any

ARXIV = "https://arxiv.org/abs/2305.10601v2"


def user_catalog(home: Path) -> Path:
    return home / "my-catalog.yaml"


def config_file(home: Path) -> Path:
    path = paths.config_path()
    assert path.parent == home
    return path


def rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if line]


def add_tree_of_thoughts(cli: Cli, *extra: str) -> Any:
    return cli(
        "add",
        ARXIV,
        "--title",
        "Tree of Thoughts: Deliberate problem solving with large language models",
        "--section",
        "agents",
        "--year",
        "2023",
        "--tag",
        "reasoning",
        "--tag",
        "agents",
        "--author",
        "Shunyu Yao",
        "--author",
        "Dian Yu",
        "--summary",
        "Search over chains of thought.",
        "--summary-zh",
        "在思维链上搜索。",
        *extra,
    )


def test_first_add_creates_the_catalog_and_lists_it_in_the_config(
    cli: Cli, canon_home: Path
) -> None:
    result = add_tree_of_thoughts(cli)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "tree-of-thoughts\n"
    assert "Added 'Tree of Thoughts" in result.stderr
    assert str(user_catalog(canon_home)) in result.stderr

    text = user_catalog(canon_home).read_text(encoding="utf-8")
    assert "version: 1\n" in text and "entries:\n" in text
    assert "  - id: tree-of-thoughts\n" in text
    assert "tags: [reasoning, agents]" in text
    assert "在思维链上搜索。" in text  # written as text, not as \u escapes

    settings = tomllib.loads(config_file(canon_home).read_text(encoding="utf-8"))
    assert settings["catalogs"] == ["my-catalog.yaml"]  # relative to the config's folder

    shown = json.loads(cli("show", "tree-of-thoughts", "--json").stdout)
    assert shown["kind"] == "paper"  # an arXiv link is a paper unless --kind says otherwise
    assert shown["year"] == 2023
    assert shown["authors"] == ["Shunyu Yao", "Dian Yu"]
    assert shown["summary_zh"] == "在思维链上搜索。"
    agents = rows(cli("list", "--section", "agents").stdout)
    assert agents[-1][0] == "tree-of-thoughts"  # merged after the built-in entries


def test_second_add_appends_and_does_not_list_the_catalog_twice(cli: Cli, canon_home: Path) -> None:
    assert add_tree_of_thoughts(cli).exit_code == 0
    result = cli("add", "https://example.org/notes", "--title", "My notes", "--section", "agents")
    assert result.exit_code == 0
    assert result.stdout == "my-notes\n"
    settings = tomllib.loads(config_file(canon_home).read_text(encoding="utf-8"))
    assert settings["catalogs"] == ["my-catalog.yaml"]  # relative to the config's folder
    shown = json.loads(cli("show", "my-notes", "--json").stdout)
    assert shown["kind"] == "article"
    assert shown["summary_en"] == "No summary yet."


def test_an_id_clash_is_refused_and_nothing_is_written(cli: Cli, canon_home: Path) -> None:
    assert add_tree_of_thoughts(cli).exit_code == 0
    before = user_catalog(canon_home).read_bytes()
    again = add_tree_of_thoughts(cli)
    assert again.exit_code == 2
    assert "the id 'tree-of-thoughts' is already used" in again.stderr
    assert "--id" in again.stderr
    assert again.stdout == ""
    assert user_catalog(canon_home).read_bytes() == before


def test_a_clash_with_a_built_in_entry_names_it_and_id_resolves_it(
    cli: Cli, canon_home: Path
) -> None:
    clash = cli(
        "add",
        "https://example.org/attention",
        "--title",
        "Attention is all you need",
        "--section",
        "agents",
    )
    assert clash.exit_code == 2
    assert "'attention-is-all-you-need' is already used by 'Attention is all you need'" in (
        clash.stderr
    )
    assert "canon.yaml" in clash.stderr
    assert not user_catalog(canon_home).exists()
    assert not config_file(canon_home).exists()

    chosen = cli(
        "add",
        "https://example.org/attention",
        "--title",
        "Attention is all you need",
        "--section",
        "agents",
        "--id",
        "attention-my-copy",
    )
    assert chosen.exit_code == 0
    assert chosen.stdout == "attention-my-copy\n"


def test_an_alias_counts_as_taken(cli: Cli, canon_home: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "version: 1\nentries:\n"
        "  - id: renamed\n    title: Renamed\n    url: https://example.org/r\n"
        "    section: agents\n    kind: article\n    aliases: [old-name]\n"
        "    summary: {en: x}\n",
        encoding="utf-8",
    )
    assert cli("config", "add-catalog", str(extra)).exit_code == 0
    result = cli("add", "https://example.org/o", "--title", "Old name", "--section", "agents")
    assert result.exit_code == 2
    assert "an alias of 'renamed'" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["javascript:alert(1)", "--section", "agents"], "only http and https"),
        (["https://example.org/x", "--section", "nowhere"], "unknown section 'nowhere'"),
        (["https://example.org/x", "--section", "agent"], "Did you mean 'agents'?"),
        (["https://example.org/x", "--section", "agents", "--tag", "nope"], "unknown tag 'nope'"),
        (["https://example.org/x", "--section", "agents", "--kind", "blog"], "unknown kind"),
        (["https://example.org/x", "--section", "agents", "--id", "Bad Id"], "invalid id"),
        (["https://example.org/x", "--section", "agents", "--year", "3000"], "out of range"),
    ],
)
def test_an_invalid_add_writes_nothing(
    cli: Cli, canon_home: Path, args: list[str], message: str
) -> None:
    result = cli("add", *args[:1], "--title", "Something new", *args[1:])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert not user_catalog(canon_home).exists()
    assert not config_file(canon_home).exists()


def test_a_link_that_looks_like_an_option_is_refused(cli: Cli, canon_home: Path) -> None:
    result = cli("add", "--title", "X", "--section", "agents", "--", "-https://example.org/x")
    assert result.exit_code == 2
    assert "starts with '-'" in result.stderr
    assert not user_catalog(canon_home).exists()


def test_a_title_without_ascii_needs_an_id(cli: Cli, canon_home: Path) -> None:
    result = cli("add", "https://example.org/zh", "--title", "注意力", "--section", "agents")
    assert result.exit_code == 2
    assert "--id" in result.stderr
    ok = cli(
        "add", "https://example.org/zh", "--title", "注意力", "--section", "agents", "--id", "zh"
    )
    assert ok.exit_code == 0 and ok.stdout == "zh\n"


USER_CATALOG = """\
# My additions — this comment must survive
version: 1
tags:
    papers-i-like: Papers I like   # a tag of my own
entries:
    # the first one
    -   id: first-note
        title: First note
        url: https://example.org/1
        section: agents
        kind: article
        summary: {en: one}   # inline comment
    # the second one
    -   id: second-note
        title: Second note
        url: https://example.org/2
        section: agents
        kind: article
        tags: [papers-i-like]
        summary:
            en: two
# end of file
"""


def write_user_catalog(cli: Cli, home: Path) -> Path:
    path = user_catalog(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(USER_CATALOG, encoding="utf-8")
    assert cli("config", "add-catalog", str(path)).exit_code == 0
    return path


def is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(line in it for line in small)


def test_comments_and_layout_survive_add(cli: Cli, canon_home: Path) -> None:
    path = write_user_catalog(cli, canon_home)
    result = cli(
        "add",
        "https://example.org/3",
        "--title",
        "Third note",
        "--section",
        "agents",
        "--tag",
        "papers-i-like",  # a tag from the user's own vocabulary
    )
    assert result.exit_code == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert is_subsequence(USER_CATALOG.splitlines(), text.splitlines())
    assert "    -   id: third-note\n        title: Third note\n" in text  # the file's indentation
    assert text.endswith("            en: No summary yet.\n# end of file\n")  # still last
    assert [r[0] for r in rows(cli("list", "--tag", "papers-i-like").stdout)] == [
        "second-note",
        "third-note",
    ]


def test_remove_takes_out_only_that_entry(cli: Cli, canon_home: Path) -> None:
    path = write_user_catalog(cli, canon_home)
    result = cli("remove", "first-note")
    assert result.exit_code == 0
    assert result.stdout == "first-note\n"
    assert "Removed 'First note'" in result.stderr
    first_entry = USER_CATALOG[
        USER_CATALOG.index("    -   id: first-note") : USER_CATALOG.index("    # the second one")
    ]
    # every other line, comments included, is as it was
    assert path.read_text(encoding="utf-8") == USER_CATALOG.replace(first_entry, "")
    assert cli("show", "first-note").exit_code == 2
    assert cli("show", "second-note").exit_code == 0


def test_remove_refuses_a_built_in_entry(cli: Cli, canon_home: Path) -> None:
    assert add_tree_of_thoughts(cli).exit_code == 0
    before = user_catalog(canon_home).read_bytes()
    result = cli("remove", "attention-is-all-you-need")
    assert result.exit_code == 2
    assert "is in the built-in catalog" in result.stderr
    assert "canon skip attention-is-all-you-need" in result.stderr
    assert user_catalog(canon_home).read_bytes() == before
    assert cli("show", "attention-is-all-you-need").exit_code == 0


def test_remove_needs_the_exact_id(cli: Cli, canon_home: Path) -> None:
    assert add_tree_of_thoughts(cli).exit_code == 0
    result = cli("remove", "tree-of")
    assert result.exit_code == 2
    assert "no entry has the id 'tree-of'" in result.stderr
    assert "Did you mean tree-of-thoughts?" in result.stderr
    assert cli("remove", "no-such-thing-at-all").exit_code == 2
    assert cli("show", "tree-of-thoughts").exit_code == 0


def test_an_invalid_user_catalog_is_reported_and_left_alone(cli: Cli, canon_home: Path) -> None:
    path = user_catalog(canon_home)
    path.parent.mkdir(parents=True, exist_ok=True)
    broken = "version: 1\nentries:\n  - id: x\n    title: X\n    colour: red\n"
    path.write_text(broken, encoding="utf-8")
    result = cli("add", "https://example.org/y", "--title", "Y", "--section", "agents")
    assert result.exit_code == 3
    assert str(path) in result.stderr
    assert path.read_text(encoding="utf-8") == broken


def test_slugs_look_like_the_built_in_ids() -> None:
    assert slugify("Let's build GPT from scratch") == "lets-build-gpt-from-scratch"
    assert slugify("What’s new in Ré-ranking?") == "whats-new-in-re-ranking"
    assert slugify("LoRA: Low-rank adaptation of large language models") == "lora"
    assert slugify("GPT-4 technical report") == "gpt-4-technical-report"
    assert slugify("注意力") == ""
    long = slugify("word " * 60)
    assert len(long) <= 32 and not long.endswith("-")


def test_most_built_in_ids_are_what_slugify_makes(cli: Cli) -> None:
    # ids shortened by hand (gpt-3, chinchilla) keep their long form as an alias
    entries = [e for e in json.loads(cli("list", "--json").stdout) if not e["aliases"]]
    assert len(entries) >= 50
    same = sum(1 for e in entries if slugify(e["title"]) == e["id"])
    assert same >= 0.9 * len(entries)


def test_help_has_an_example(cli: Cli) -> None:
    for command in ("add", "remove"):
        result = cli(command, "--help")
        assert result.exit_code == 0
        assert "Example: canon " + command in result.stdout
