"""canon search: ranked results over titles, authors, tags and both summaries."""

from __future__ import annotations

import json
from typing import Any

import pytest

Cli = Any


def rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if line]


def ids(text: str) -> list[str]:
    return [row[0] for row in rows(text)]


def search_json(cli: Cli, *args: str) -> list[dict[str, Any]]:
    result = cli("search", *args, "--json")
    assert result.exit_code == 0, result.stderr
    hits: list[dict[str, Any]] = json.loads(result.stdout)
    return hits


def test_a_typo_still_finds_the_paper(cli: Cli) -> None:
    result = cli("search", "atention")
    assert result.exit_code == 0
    assert ids(result.stdout)[0] == "attention-is-all-you-need"
    assert "\x1b" not in result.stdout  # a pipe gets tab-separated text
    first = rows(result.stdout)[0]
    assert first == [
        "attention-is-all-you-need",
        "2017",
        "paper",
        "unread",
        "new-models",
        "Attention is all you need",
    ]


def test_chinese_words_find_entries_by_their_chinese_summary(cli: Cli) -> None:
    found = ids(cli("search", "扩散").stdout)
    assert "latent-diffusion-models" in found
    assert "dreambooth" in found
    assert "attention-is-all-you-need" not in found
    diffusion_tagged = {
        e["id"] for e in json.loads(cli("list", "--tag", "diffusion", "--json").stdout)
    }
    assert len(set(found) & diffusion_tagged) >= len(found) - 1  # nearly all tagged diffusion
    assert ids(cli("search", "注意力").stdout)[0] == "attention-is-all-you-need"


def test_every_word_must_match(cli: Cli) -> None:
    both = set(ids(cli("search", "retrieval language").stdout))
    retrieval = set(ids(cli("search", "retrieval").stdout))
    language = set(ids(cli("search", "language").stdout))
    assert both
    assert both <= retrieval & language
    assert retrieval - both  # e.g. entries about retrieval that never say "language"
    assert both == set(ids(cli("search", "retrieval", "language").stdout))  # unquoted words


def test_title_author_and_tag_hits_rank_above_summary_only_hits(cli: Cli) -> None:
    hits = search_json(cli, "stable diffusion")
    matches = [h["match"] for h in hits]
    assert hits[-1]["id"] == "latent-diffusion-models"
    assert "title-author-tag" in matches and "summary-only" in matches
    assert matches == sorted(matches, key=lambda m: m != "title-author-tag")
    by_author = search_json(cli, "karpathy")
    assert by_author and all(h["match"] == "title-author-tag" for h in by_author)
    assert all("Andrej Karpathy" in h["authors"] for h in by_author)


def test_filters_and_limit(cli: Cli) -> None:
    intro = rows(cli("search", "diffusion", "--section", "introductions").stdout)
    assert intro and all(row[4] == "introductions" for row in intro)
    assert len(rows(cli("search", "language", "-n", "3").stdout)) == 3
    assert cli("done", "bert").exit_code == 0
    done = ids(cli("search", "language", "--status", "done").stdout)
    assert done == ["bert"]
    unread = ids(cli("search", "language", "--status", "unread").stdout)
    assert "bert" not in unread and unread
    assert rows(cli("search", "bert").stdout)[0][3] == "done"
    papers = rows(cli("search", "language", "--kind", "paper", "--year", "2022").stdout)
    assert papers and all(row[2] == "paper" and row[1] == "2022" for row in papers)


def test_json_has_the_entry_fields_and_where_it_matched(cli: Cli) -> None:
    hits = search_json(cli, "attention", "-n", "1")
    assert len(hits) == 1
    hit = hits[0]
    assert hit["id"] == "attention-is-all-you-need"
    assert hit["match"] == "title-author-tag"
    assert hit["status"] == "unread"
    assert hit["section"] == ["research", "llms", "new-models"]


def test_no_match_is_quiet_on_stdout(cli: Cli) -> None:
    result = cli("search", "qwxzv")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No entries match 'qwxzv'" in result.stderr
    assert search_json(cli, "qwxzv") == []
    assert cli("search", "???").stdout == ""  # nothing searchable in the query


def test_query_syntax_is_inert(cli: Cli) -> None:
    for query in ('"unbalanced', "attention OR", "NOT", "title:attention", "a*b", "(x"):
        result = cli("search", query)
        assert result.exit_code == 0, query
        assert "Traceback" not in result.stderr


def test_unknown_section_is_a_usage_error(cli: Cli) -> None:
    result = cli("search", "attention", "--section", "agent")
    assert result.exit_code == 2
    assert "unknown section 'agent'" in result.stderr
    assert "Did you mean 'agents'?" in result.stderr


def test_terminal_output_is_a_table(cli: Cli) -> None:
    result = cli("search", "diffusion", env={"FORCE_COLOR": "1", "COLUMNS": "160"})
    assert result.exit_code == 0
    assert "ID" in result.stdout and "Title" in result.stdout
    assert "how-stable-diffusion-works" in result.stdout
    assert "\x1b[" in result.stdout


def test_chinese_titles_in_chinese(cli: Cli) -> None:
    result = cli("--lang", "zh", "search", "attention", env={"FORCE_COLOR": "1"})
    assert "注意力就是你需要的" in result.stdout


def test_help_has_an_example(cli: Cli) -> None:
    result = cli("search", "--help")
    assert result.exit_code == 0
    assert "Example: canon search" in result.stdout


def test_a_mistyped_id_suggests_what_search_ranks_first(cli: Cli) -> None:
    # 'canon show atention' once suggested flashattention while search ranked the
    # attention paper first
    first = ids(cli("search", "atention").stdout)[0]
    result = cli("show", "atention")
    assert result.exit_code == 2
    hint = result.stderr.splitlines()[1]
    assert hint.split()[3].rstrip("?,") == first


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("read", "done"),
        ("finished", "done"),
        ("Done", "done"),
        ("todo", "unread"),
        ("started", "reading"),
        ("SKIPPED", "skipped"),
    ],
)
def test_status_synonyms_are_accepted_everywhere(cli: Cli, typed: str, status: str) -> None:
    assert cli("mark", "bert", "--status", typed).exit_code == 0
    listed = cli("list", "--status", typed)
    assert ids(listed.stdout) == ["bert"] or status == "unread"
    assert "bert" in ids(cli("search", "bert", "--status", typed).stdout)
    assert "1810.04805" in cli("export", "--format", "md", "--status", typed).stdout
    assert json.loads(cli("show", "bert", "--json").stdout)["status"] == status


def test_an_unknown_status_suggests_a_synonym_and_lists_the_statuses(cli: Cli) -> None:
    result = cli("list", "--status", "reed")
    assert result.exit_code == 2
    assert "Did you mean 'read'?" in result.stderr
    assert "Valid statuses: unread, reading, done, skipped" in result.stderr
    assert "statuss" not in result.stderr
