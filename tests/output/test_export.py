"""canon export: Markdown, JSON, CSV and BibTeX, to stdout or atomically to a file."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
from bibtexparser.bparser import BibTexParser

from canon_cli.catalog.urls import arxiv_id
from canon_cli.output.export import md_escape

Cli = Any

SPECIAL = "Q&A: 100% of $5 #1 snake_case {braces} ~tilde ^caret back\\slash [x] *bold* <b>"

ODD_CATALOG = """\
version: 1
sections:
  - slug: odd
    name: {{en: Odd titles, zh: 奇怪的标题}}
entries:
  - id: special-characters
    title: "{special}"
    url: https://example.org/a_(b)?q=1%20&x=#frag
    section: odd
    year: 2020
    authors: [Ann Smith, "Bob, Jr. Brown", Research and Development Lab, et al.]
    kind: paper
    summary: {{en: "=HYPERLINK(\\"http://evil\\")", zh: 中文摘要}}
  - id: smith-one
    title: Deep nets
    url: https://arxiv.org/pdf/2303.18223v4.pdf
    section: odd
    year: 2020
    authors: [Ann Smith]
    kind: paper
    summary: {{en: one}}
  - id: smith-two
    title: Deep nets, again
    url: https://arxiv.org/abs/cs/0112017v1
    section: odd
    year: 2020
    authors: [Ann Smith]
    kind: paper
    summary: {{en: two}}
  - id: a-video
    title: A video
    url: https://example.org/video
    section: odd
    kind: video
    summary: {{en: three}}
"""


@pytest.fixture
def odd_catalog(cli: Cli, tmp_path: Path) -> Path:
    path = tmp_path / "odd.yaml"
    path.write_text(ODD_CATALOG.format(special=SPECIAL.replace("\\", "\\\\")), encoding="utf-8")
    assert cli("config", "add-catalog", str(path)).exit_code == 0
    return path


def all_entries(cli: Cli) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(cli("list", "--json").stdout)
    return entries


def mark_some(cli: Cli) -> None:
    assert cli("done", "attention-is-all-you-need", "bert").exit_code == 0
    assert cli("rate", "bert", "5").exit_code == 0
    assert cli("start", "lora").exit_code == 0
    assert cli("skip", "palm").exit_code == 0


def parse_bibtex(text: str) -> Any:
    parser = BibTexParser(common_strings=False)
    parser.ignore_nonstandard_types = False
    return bibtexparser.loads(text, parser)


# --- Markdown ---------------------------------------------------------------


def test_markdown_is_a_checklist_of_every_entry_in_section_order(cli: Cli) -> None:
    mark_some(cli)
    result = cli("export", "--format", "md")
    assert result.exit_code == 0
    text = result.stdout
    lines = text.splitlines()
    assert lines[0] == "# AI Canon"
    assert "2 of 96 done." in lines
    items = [line for line in lines if line.startswith("- [")]
    entries = all_entries(cli)
    assert len(items) == len(entries)
    for line, entry in zip(items, entries, strict=True):  # reading order
        assert f"]({entry['url']})" in line or "](" not in line
        assert line.startswith(
            "- [x] " if entry["id"] in ("attention-is-all-you-need", "bert") else "- [ ] "
        )
        if entry["year"]:
            assert f"({entry['year']})" in line
    attention = next(line for line in items if "Attention is all you need" in line)
    assert attention == (
        "- [x] [Attention is all you need](https://arxiv.org/abs/1706.03762) (2017)"
    )
    assert any("*(reading)*" in line and "LoRA" in line for line in items)
    headings = [line for line in lines if line.startswith("#")]
    assert "## Gentle introductions" in headings
    assert "### Large language models" in headings and "#### New models" in headings
    assert headings.index("## Landmark research results") < headings.index("#### New models")
    assert "\n\n\n" not in text  # tidy: one blank line between blocks


def test_markdown_escapes_titles_and_links(cli: Cli, odd_catalog: Path) -> None:
    text = cli("export", "--section", "odd").stdout
    line = next(line for line in text.splitlines() if "Q\\&A" in line)
    title = line[line.index("[", 5) + 1 : line.index("](")]
    assert title == md_escape(SPECIAL)
    assert "\\[x\\]" in title and "\\*bold\\*" in title and "\\<b\\>" in title
    assert "snake\\_case" in title
    unescaped = re.sub(r"\\(.)", r"\1", title)
    assert unescaped == SPECIAL
    assert line.endswith("](https://example.org/a_\\(b\\)?q=1%20&x=#frag) (2020)")
    assert "## Odd titles" in text


def test_markdown_renders_each_title_as_one_link_with_its_text(cli: Cli, odd_catalog: Path) -> None:
    from markdown_it import MarkdownIt  # CommonMark, as code-hosting sites render it

    text = cli("export").stdout
    tokens = MarkdownIt("commonmark").parse(text)
    links: list[tuple[str, str]] = []
    for block in tokens:
        children = block.children or []
        for i, tok in enumerate(children):
            if tok.type == "link_open":
                label = ""
                for inner in children[i + 1 :]:
                    if inner.type == "link_close":
                        break
                    label += inner.content
                links.append((str(tok.attrs["href"]), label))
    expected = [(e["url"], e["title"]) for e in all_entries(cli)]
    assert len(links) == len(expected)
    for (href, label), (url, title) in zip(links, expected, strict=True):
        assert label == title
        assert href == url
    assert (
        "https://example.org/a_(b)?q=1%20&x=#frag",
        SPECIAL,
    ) in links


# --- JSON -------------------------------------------------------------------


def test_json_carries_status_dates_and_rating(cli: Cli) -> None:
    mark_some(cli)
    result = cli("export", "--format", "json", "--section", "new-models")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [d["id"] for d in data] == [
        e["id"] for e in json.loads(cli("list", "--section", "new-models", "--json").stdout)
    ]
    bert = next(d for d in data if d["id"] == "bert")
    assert bert["status"] == "done" and bert["rating"] == 5
    assert bert["started"] and bert["finished"]
    assert bert["summary_zh"]
    assert bert["title_zh"] == "BERT：用于语言理解的深度双向 Transformer 预训练"
    palm = next(d for d in data if d["id"] == "palm")
    assert palm["status"] == "skipped"
    unread = next(d for d in data if d["id"] == "opt")
    assert (unread["status"], unread["started"], unread["rating"]) == ("unread", None, None)


def test_status_filter(cli: Cli) -> None:
    mark_some(cli)
    data = json.loads(cli("export", "-f", "json", "--status", "done").stdout)
    assert sorted(d["id"] for d in data) == ["attention-is-all-you-need", "bert"]
    bad = cli("export", "--status", "finish")
    assert bad.exit_code == 2 and "unknown status 'finish'" in bad.stderr


# --- CSV --------------------------------------------------------------------


def test_csv_reads_back_in_a_spreadsheet_friendly_encoding(
    cli: Cli, canon_home: Path, tmp_path: Path
) -> None:
    mark_some(cli)
    out = tmp_path / "canon.csv"
    result = cli("export", "-o", str(out))  # the format comes from the suffix
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"Wrote 96 entries to {out} (csv)" in result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark for spreadsheet programs
    with out.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == 96
    attention = next(r for r in table if r["id"] == "attention-is-all-you-need")
    assert attention["title_zh"] == "注意力就是你需要的"
    assert attention["status"] == "done" and attention["finished"]
    assert "Ashish Vaswani; Noam Shazeer" in attention["authors"]
    bert = next(r for r in table if r["id"] == "bert")
    assert bert["rating"] == "5"
    assert all(r["summary_zh"] for r in table if r["id"] == "bert")


def test_csv_cells_are_quoted_and_formulas_are_defused(cli: Cli, odd_catalog: Path) -> None:
    raw = cli("export", "-f", "csv", "--section", "odd").stdout
    table = list(csv.DictReader(io.StringIO(raw.lstrip("\ufeff"))))
    special = next(r for r in table if r["id"] == "special-characters")
    assert special["title"] == SPECIAL
    assert special["authors"] == "Ann Smith; Bob, Jr. Brown; Research and Development Lab; et al."
    assert special["summary_en"] == '\'=HYPERLINK("http://evil")'
    assert special["summary_zh"] == "中文摘要"


# --- BibTeX -----------------------------------------------------------------


def test_bibtex_parses_back_with_one_record_per_entry(cli: Cli) -> None:
    result = cli("export", "--format", "bibtex")
    assert result.exit_code == 0
    db = parse_bibtex(result.stdout)
    assert len(db.entries) == 96
    keys = [e["ID"] for e in db.entries]
    assert len(set(keys)) == 96
    assert all(re.fullmatch(r"[a-z0-9]+", k) for k in keys)
    by_key = db.entries_dict
    attention = by_key["vaswani2017attention"]
    assert attention["ENTRYTYPE"] == "inproceedings"  # the catalog's venue: NeurIPS 2017
    assert attention["booktitle"] == "NeurIPS"
    assert attention["eprint"] == "1706.03762"
    assert attention["archiveprefix"] == "arXiv"
    lamda = next(e for e in db.entries if e.get("eprint") == "2201.08239")  # no venue
    assert lamda["ENTRYTYPE"] == "article"
    assert lamda["journal"] == "arXiv preprint arXiv:2201.08239"
    assert attention["title"] == "Attention is all you need"  # a first capital needs no braces
    bert = by_key["devlin2018bert"]
    assert bert["title"] == (
        "{BERT:} {Pre-training} of deep bidirectional transformers for language understanding"
    )
    assert attention["author"].startswith("Ashish Vaswani and Noam Shazeer and ")
    assert attention["year"] == "2017"
    survey = next(e for e in db.entries if "2303.18223" in e.get("url", ""))
    assert survey["eprint"] == "2303.18223"  # no version, no .pdf
    assert survey["author"].endswith(" and others")  # "et al." in the catalog
    course = next(e for e in db.entries if e["url"].startswith("https://www.youtube.com"))
    assert "eprint" not in course and "doi" not in course
    assert course["ENTRYTYPE"] == "misc"
    assert course["howpublished"] == "\\url{" + course["url"] + "}"


def test_bibtex_carries_the_catalogs_arxiv_ids_dois_and_venues(cli: Cli) -> None:
    db = parse_bibtex(cli("export", "--format", "bibtex").stdout)
    with_eprint = [e for e in db.entries if "eprint" in e]
    assert len(with_eprint) >= 43
    assert all(e["archiveprefix"] == "arXiv" for e in with_eprint)
    by_eprint = {e["eprint"]: e for e in with_eprint}
    # arXiv ids that the URLs do not show
    preferences = by_eprint["1706.03741"]
    assert preferences["ENTRYTYPE"] == "inproceedings" and preferences["booktitle"] == "NeurIPS"
    alphacode = by_eprint["2203.07814"]
    assert alphacode["ENTRYTYPE"] == "article" and alphacode["journal"] == "Science"
    assert alphacode["doi"] == "10.1126/science.abq1158"
    journals = [e for e in db.entries if "journal" in e and not e["journal"].startswith("arXiv")]
    assert {e["journal"] for e in journals} >= {"Nature", "Science"}
    for record in journals:
        if record["journal"] != "Journal of Machine Learning Research":  # JMLR has no DOIs
            assert record.get("doi", "").startswith("10."), record["ID"]
    alphafold = next(e for e in journals if e.get("doi") == "10.1038/s41586-019-1923-7")
    assert alphafold["year"] == "2020" and "eprint" not in alphafold
    bert = by_eprint["1810.04805"]  # the venue's year: NAACL 2019, first released 2018
    assert (bert["booktitle"], bert["year"], bert["doi"]) == (
        "NAACL",
        "2019",
        "10.18653/v1/N19-1423",
    )


def test_bibtex_escapes_special_characters(cli: Cli, odd_catalog: Path) -> None:
    text = cli("export", "-f", "bibtex", "--section", "odd").stdout
    db = parse_bibtex(text)
    special = db.entries_dict["smith2020qa"]
    assert special["title"] == (
        "{Q\\&A:} 100\\% of \\$5 \\#1 snake\\_case \\textbraceleft{}braces\\textbraceright{}"
        " \\textasciitilde{}tilde \\textasciicircum{}caret back\\textbackslash{}slash [x]"
        " *bold* <b>"
    )
    for raw, escaped in [("&", "\\&"), ("%", "\\%"), ("$", "\\$"), ("#", "\\#"), ("_", "\\_")]:
        assert escaped in special["title"], raw
    assert "\\textbraceleft{}braces\\textbraceright{}" in special["title"]
    assert "\\textasciitilde{}" in special["title"] and "\\textasciicircum{}" in special["title"]
    assert "back\\textbackslash{}slash" in special["title"]
    assert special["author"] == (
        "Ann Smith and {Bob, Jr. Brown} and {Research and Development Lab} and others"
    )
    assert special["url"] == "https://example.org/a_(b)?q=1\\%20&x=\\#frag"
    assert special["ENTRYTYPE"] == "misc"  # a paper that is not on arXiv
    # every record's braces balance (BibTeX counts escaped braces too)
    for record in text.split("\n@"):
        assert record.count("{") == record.count("}")
    old_style = next(e for e in db.entries if "0112017" in e["url"])
    assert old_style["eprint"] == "cs/0112017"


def test_colliding_citation_keys_get_letters_stable_across_filters(
    cli: Cli, odd_catalog: Path
) -> None:
    everything = parse_bibtex(cli("export", "-f", "bibtex").stdout).entries
    keys = {e["url"]: e["ID"] for e in everything}
    assert keys["https://arxiv.org/pdf/2303.18223v4.pdf"] == "smith2020deepa"
    assert keys["https://arxiv.org/abs/cs/0112017v1"] == "smith2020deepb"
    # the same keys when only one of them is exported
    one = parse_bibtex(cli("export", "-f", "bibtex", "--section", "odd").stdout).entries
    assert {e["url"]: e["ID"] for e in one}.items() <= keys.items()
    video = next(e for e in everything if e["url"] == "https://example.org/video")
    assert video["ID"] == "video" and "year" not in video  # no author, no year


@pytest.mark.parametrize("catalog", ["built-in", "odd"])
@pytest.mark.parametrize("style", ["plain", "alpha", "unsrt"])
def test_a_bibtex_processor_takes_the_file_without_a_warning(
    cli: Cli, odd_catalog: Path, tmp_path: Path, style: str, catalog: str
) -> None:
    """pybtex, a BibTeX implementation, runs the export through its standard styles in
    strict mode (every warning an error) and cites every entry."""
    work = tmp_path / "tex"
    options = ["--catalog", str(odd_catalog)] if catalog == "odd" else []
    assert cli(*options, "export", "-o", str(work / "refs.bib")).exit_code == 0
    (work / "doc.aux").write_text(
        f"\\relax\n\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "pybtex", "-l", "python", "--strict", "doc.aux"],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    cited = (work / "doc.bbl").read_text(encoding="utf-8").count("\\bibitem")
    exported = len(re.findall(r"^@", (work / "refs.bib").read_text(encoding="utf-8"), re.M))
    assert cited == exported > 0


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="needs bibtex")
@pytest.mark.parametrize("style", ["plain", "alpha", "unsrt"])
def test_bibtex_runs_the_file_without_errors_or_warnings(
    cli: Cli, odd_catalog: Path, tmp_path: Path, style: str
) -> None:
    work = tmp_path / "tex"
    assert cli("export", "-o", str(work / "refs.bib")).exit_code == 0
    (work / "doc.aux").write_text(
        f"\\relax\n\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n",
        encoding="utf-8",
    )
    run = subprocess.run(["bibtex", "doc"], cwd=work, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
    assert "warning" not in run.stdout.lower() and "error" not in run.stdout.lower(), run.stdout
    bbl = (work / "doc.bbl").read_text(encoding="utf-8")
    assert bbl.count("\\bibitem") == 100


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/1706.03762", "1706.03762"),
        ("https://arxiv.org/abs/1706.03762v5", "1706.03762"),
        ("http://www.arxiv.org/pdf/2303.18223v4.pdf", "2303.18223"),
        ("https://arxiv.org/pdf/2303.18223", "2303.18223"),
        ("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
        ("https://example.org/abs/1706.03762", None),
        ("https://arxiv.org/list/cs.CL/recent", None),
    ],
)
def test_arxiv_ids(url: str, expected: str | None) -> None:
    assert arxiv_id(url) == expected


# --- files ------------------------------------------------------------------


def test_output_refuses_to_overwrite_without_force(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "list.md"
    out.write_text("precious\n", encoding="utf-8")
    refused = cli("export", "-o", str(out))
    assert refused.exit_code == 2
    assert f"{out} already exists" in refused.stderr and "--force" in refused.stderr
    assert out.read_text(encoding="utf-8") == "precious\n"
    forced = cli("export", "-o", str(out), "--force")
    assert forced.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# AI Canon\n")
    assert [p.name for p in folder.iterdir()] == ["list.md"]  # no temp file left


def test_output_format_follows_the_suffix_unless_given(cli: Cli, tmp_path: Path) -> None:
    assert cli("export", "-o", str(tmp_path / "a.bib")).exit_code == 0
    assert (tmp_path / "a.bib").read_text(encoding="utf-8").startswith("@")
    assert cli("export", "-o", str(tmp_path / "b.json")).exit_code == 0
    assert json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert cli("export", "-o", str(tmp_path / "c.txt"), "-f", "json").exit_code == 0
    assert json.loads((tmp_path / "c.txt").read_text(encoding="utf-8"))
    assert cli("export", "-o", str(tmp_path / "d.txt")).exit_code == 0
    assert (tmp_path / "d.txt").read_text(encoding="utf-8").startswith("# AI Canon")


def test_stdout_and_file_hold_the_same_bytes(cli: Cli, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from canon_cli.cli.app import app

    out = tmp_path / "x.csv"
    assert cli("export", "-f", "csv", "-o", str(out)).exit_code == 0
    piped = CliRunner().invoke(app, ["export", "-f", "csv"], catch_exceptions=False)
    assert piped.stdout_bytes == out.read_bytes()


def test_an_unknown_format_is_a_usage_error(cli: Cli) -> None:
    result = cli("export", "--format", "docx")
    assert result.exit_code == 2
    assert "docx" in result.stderr


def test_help_has_an_example(cli: Cli) -> None:
    result = cli("export", "--help")
    assert result.exit_code == 0
    assert "Example: canon export" in result.stdout
