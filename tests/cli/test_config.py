"""canon config: show, get, set (checked, comment-preserving, atomic), extra catalogs."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canon_cli import paths
from canon_cli.configfile import edit_settings_text, toml_value

Cli = Any

EXTRA = """\
version: 1
tags:
  my-topic: Something of my own
sections:
  - slug: my-reading
    name: {{en: My reading, zh: 我的阅读}}
entries:
  - id: {id}
    title: {title}
    url: https://example.org/{id}
    section: {section}
    kind: article
    tags: [my-topic]
    summary: {{en: An extra entry.}}
"""


def config_file(home: Path) -> Path:
    path = paths.config_path()
    assert path.parent == home
    return path


def rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if line]


def write_catalog(path: Path, entry_id: str = "extra-one", section: str = "agents") -> Path:
    text = EXTRA.format(id=entry_id, title=entry_id.replace("-", " "), section=section)
    if entry_id != "extra-one":  # a second extra catalog must not redefine the tag/section
        text = text.replace("tags:\n  my-topic: Something of my own\n", "")
        text = text.replace(
            "sections:\n  - slug: my-reading\n    name: {en: My reading, zh: 我的阅读}\n", ""
        )
    path.write_text(text, encoding="utf-8")
    return path


def test_config_shows_defaults_before_a_file_exists(cli: Cli, canon_home: Path) -> None:
    result = cli("config")
    assert result.exit_code == 0
    assert rows(result.stdout) == [
        ["language", "en"],
        ["catalogs", ""],
        ["open_marks_reading", "true"],
        ["sync_folder", ""],
    ]
    assert str(config_file(canon_home)) in result.stderr
    assert "not created yet" in result.stderr
    data = json.loads(cli("config", "--json").stdout)
    assert data["path"] == str(config_file(canon_home))
    assert data["exists"] is False
    assert data["settings"] == {
        "language": "en",
        "catalogs": [],
        "open_marks_reading": True,
        "sync_folder": None,
    }


def test_config_in_a_terminal_is_a_table_with_the_file(cli: Cli, canon_home: Path) -> None:
    assert cli("config", "set", "open_marks_reading", "false").exit_code == 0
    result = cli("config", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert f"Config file: {config_file(canon_home)}" in result.stdout
    assert "Setting" in result.stdout and "Meaning" in result.stdout
    assert "file" in result.stdout and "default" in result.stdout
    assert cli("config", "set", "language", "zh").exit_code == 0
    chinese = cli("config", env={"FORCE_COLOR": "1"}).stdout  # now in the reader's language
    assert f"配置文件：{config_file(canon_home)}" in chinese
    assert (
        "设置" in chinese and "含义" in chinese and "默认" in chinese and "Meaning" not in chinese
    )


def test_set_writes_the_value_and_canon_uses_it(cli: Cli, canon_home: Path) -> None:
    result = cli("config", "set", "language", "zh")
    assert result.exit_code == 0
    assert "language = zh" in result.stderr
    assert tomllib.loads(config_file(canon_home).read_text(encoding="utf-8")) == {"language": "zh"}
    assert cli("config", "get", "language").stdout == "zh\n"
    assert "里程碑式的研究成果" in cli("sections").stdout  # section names now in Chinese
    assert cli("config", "set", "open_marks_reading", "NO").exit_code == 0
    assert cli("config", "get", "open_marks_reading").stdout == "false\n"
    assert json.loads(cli("config", "get", "open_marks_reading", "--json").stdout) is False


HAND_WRITTEN = """\
# my canon settings
language = "en"   # English for now

# catalogs I merge
catalogs = [
    "/somewhere/a.yaml",  # team list
]
open_marks_reading = true
"""


def test_set_edits_only_that_line_and_keeps_comments(cli: Cli, canon_home: Path) -> None:
    path = config_file(canon_home)
    path.parent.mkdir(parents=True)
    path.write_text(HAND_WRITTEN.replace("/somewhere/a.yaml", "a.yaml"), encoding="utf-8")
    write_catalog(canon_home / "a.yaml")
    result = cli("config", "set", "language", "zh")
    assert result.exit_code == 0, result.stderr
    expected = HAND_WRITTEN.replace("/somewhere/a.yaml", "a.yaml").replace(
        'language = "en"   # English for now', 'language = "zh"   # English for now'
    )
    assert path.read_text(encoding="utf-8") == expected


def test_unset_removes_the_line_and_the_default_applies(cli: Cli, canon_home: Path) -> None:
    assert cli("config", "set", "language", "zh").exit_code == 0
    assert cli("config", "set", "open_marks_reading", "false").exit_code == 0
    result = cli("config", "unset", "language")
    assert result.exit_code == 0
    # said in the language this run started in
    assert "language 已恢复默认值：en" in result.stderr
    text = config_file(canon_home).read_text(encoding="utf-8")
    assert "language" not in tomllib.loads(text)
    assert "open_marks_reading = false" in text
    assert cli("config", "get", "language").stdout == "en\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["set", "language", "fr"], "language must be one of en, zh, not 'fr'"),
        (["set", "open_marks_reading", "maybe"], "open_marks_reading must be true or false"),
        (["set", "colour", "red"], "unknown setting 'colour'"),
        (["set", "langauge", "zh"], "Did you mean 'language'?"),
        (["set", "catalogs", "missing.yaml"], "no such file: "),
        (["set", "sync_folder", "no-such-dir"], "sync folder 'no-such-dir' does not exist"),
        (["set", "sync_folder", "  "], "the sync folder path is empty"),
        (["get", "colour"], "unknown setting 'colour'"),
        (["unset", "colour"], "unknown setting 'colour'"),
    ],
)
def test_a_bad_key_or_value_is_a_usage_error_and_nothing_is_written(
    cli: Cli, canon_home: Path, args: list[str], message: str
) -> None:
    result = cli("config", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not config_file(canon_home).exists()


def test_a_bad_value_leaves_an_existing_file_byte_for_byte(cli: Cli, canon_home: Path) -> None:
    path = config_file(canon_home)
    path.parent.mkdir(parents=True)
    path.write_text('# mine\nlanguage = "zh"\n', encoding="utf-8")
    assert cli("config", "set", "language", "de").exit_code == 2
    assert path.read_text(encoding="utf-8") == '# mine\nlanguage = "zh"\n'


def test_a_broken_file_is_reported_with_its_line_and_not_rewritten(
    cli: Cli, canon_home: Path
) -> None:
    path = config_file(canon_home)
    path.parent.mkdir(parents=True)
    path.write_text('language = "en"\ncatalogs = [\n', encoding="utf-8")
    result = cli("config", "set", "language", "zh")
    assert result.exit_code == 3
    assert f"{path}:" in result.stderr and "invalid TOML" in result.stderr
    assert path.read_text(encoding="utf-8") == 'language = "en"\ncatalogs = [\n'


def test_set_can_repair_a_bad_value(cli: Cli, canon_home: Path) -> None:
    path = config_file(canon_home)
    path.parent.mkdir(parents=True)
    path.write_text('language = "fr"  # oops\n', encoding="utf-8")
    assert cli("list").exit_code == 3  # every command refuses the bad value...
    assert cli("config", "set", "language", "en").exit_code == 0  # ...and set can fix it
    assert path.read_text(encoding="utf-8") == 'language = "en"  # oops\n'
    assert cli("list").exit_code == 0


def test_set_catalogs_merges_them_after_the_built_in_one(
    cli: Cli, canon_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    write_catalog(work / "a.yaml", "extra-one", "agents")
    write_catalog(work / "b.yaml", "extra-two", "my-reading")
    monkeypatch.chdir(work)
    result = cli("config", "set", "catalogs", "a.yaml, b.yaml")
    assert result.exit_code == 0, result.stderr
    stored = tomllib.loads(config_file(canon_home).read_text(encoding="utf-8"))["catalogs"]
    assert stored == [str(work / "a.yaml"), str(work / "b.yaml")]  # relative to where typed
    assert cli("config", "get", "catalogs").stdout == f"{work / 'a.yaml'}\n{work / 'b.yaml'}\n"

    listed = rows(cli("list").stdout)
    assert len(listed) == 98
    ids = [row[0] for row in listed]
    agents = [row[0] for row in listed if row[4] == "agents"]
    assert agents[-1] == "extra-one"  # after the built-in agents entries
    assert ids[-1] == "extra-two"  # its new top-level section comes after the built-in ones
    assert rows(cli("list", "--tag", "my-topic").stdout)[0][0] == "extra-one"
    paths_out = cli("paths").stdout
    assert str(work / "a.yaml") in paths_out and str(work / "b.yaml") in paths_out


def test_an_extra_catalog_that_does_not_merge_is_refused_before_writing(
    cli: Cli, canon_home: Path, tmp_path: Path
) -> None:
    clash = write_catalog(tmp_path / "clash.yaml", "attention-is-all-you-need")
    result = cli("config", "set", "catalogs", str(clash))
    assert result.exit_code == 3
    assert str(clash) in result.stderr
    assert "canon.yaml" in result.stderr  # the file that has the id already
    assert not config_file(canon_home).exists()
    assert cli("config", "add-catalog", str(clash)).exit_code == 3
    assert not config_file(canon_home).exists()


def test_a_duplicate_id_in_a_hand_written_config_names_both_files(
    cli: Cli, canon_home: Path, tmp_path: Path
) -> None:
    first = write_catalog(tmp_path / "first.yaml", "extra-one")
    second = write_catalog(tmp_path / "second.yaml", "extra-two")
    second.write_text(
        second.read_text(encoding="utf-8").replace("extra-two", "extra-one"), encoding="utf-8"
    )
    path = config_file(canon_home)
    path.parent.mkdir(parents=True)
    path.write_text(f'catalogs = ["{first}", "{second}"]\n', encoding="utf-8")
    result = cli("list")
    assert result.exit_code == 3
    assert f"{second}:" in result.stderr
    assert f"already used in {first}" in result.stderr


def test_add_and_remove_catalog(cli: Cli, canon_home: Path, tmp_path: Path) -> None:
    extra = write_catalog(tmp_path / "extra.yaml")
    result = cli("config", "add-catalog", str(extra))
    assert result.exit_code == 0
    assert "Added catalog" in result.stderr
    again = cli("config", "add-catalog", str(extra))
    assert again.exit_code == 0 and "already listed" in again.stderr
    settings = tomllib.loads(config_file(canon_home).read_text(encoding="utf-8"))
    assert settings["catalogs"] == [str(extra)]
    assert "extra-one" in cli("list").stdout

    missing = cli("config", "remove-catalog", str(tmp_path / "other.yaml"))
    assert missing.exit_code == 2 and "is not in the catalogs setting" in missing.stderr
    assert cli("config", "remove-catalog", str(extra)).exit_code == 0
    assert extra.exists()  # the file itself is left alone
    assert "extra-one" not in cli("list").stdout


def test_the_config_file_is_replaced_atomically(cli: Cli, canon_home: Path) -> None:
    assert cli("config", "set", "language", "zh").exit_code == 0
    inode = os.stat(config_file(canon_home)).st_ino
    assert cli("config", "set", "language", "en").exit_code == 0
    assert os.stat(config_file(canon_home)).st_ino != inode  # a new file renamed into place
    leftovers = [p.name for p in canon_home.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


# --- the TOML editing itself ------------------------------------------------


def test_edit_replaces_in_place_appends_and_removes() -> None:
    text = '# top\nlanguage = "en"\n\n# cats\ncatalogs = [\n  "a",\n  "b",\n]\n# bottom\n'
    assert edit_settings_text(text, {"catalogs": ["c"]}) == (
        '# top\nlanguage = "en"\n\n# cats\ncatalogs = ["c"]\n# bottom\n'
    )
    assert edit_settings_text(text, {"open_marks_reading": False}) == (
        text + "open_marks_reading = false\n"
    )
    assert edit_settings_text(text, {"language": None}) == (
        '# top\n\n# cats\ncatalogs = [\n  "a",\n  "b",\n]\n# bottom\n'
    )
    assert edit_settings_text('"language"="en"', {"language": "zh"}) == 'language = "zh"\n'
    assert edit_settings_text("", {"language": "zh"}) == 'language = "zh"\n'


def test_a_hash_inside_a_string_is_not_a_comment() -> None:
    text = 'catalogs = ["/x/#1.yaml"]  # keep\n'
    assert edit_settings_text(text, {"catalogs": ["/y/#2.yaml"]}) == (
        'catalogs = ["/y/#2.yaml"]  # keep\n'
    )


@given(st.text())
def test_any_string_round_trips_through_toml(value: str) -> None:
    written = edit_settings_text("# c\n", {"catalogs": [value, "x"]})
    assert tomllib.loads(written) == {"catalogs": [value, "x"]}
    assert tomllib.loads(f"k = {toml_value(value)}")["k"] == value


def test_help_has_an_example(cli: Cli) -> None:
    for command in ("get", "set", "unset", "add-catalog", "remove-catalog"):
        result = cli("config", command, "--help")
        assert result.exit_code == 0
        assert "Example: canon config " in result.stdout
    assert "Example: canon config" in cli("config", "--help").stdout


def test_sync_folder_is_stored_absolute_and_tilde_is_kept(
    cli: Cli, canon_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from canon_cli.config import load_config, sync_folder_path

    work = tmp_path / "work"
    (work / "Dropbox" / "canon").mkdir(parents=True)
    monkeypatch.chdir(work)
    result = cli("config", "set", "sync_folder", "Dropbox/canon")
    assert result.exit_code == 0, result.stderr
    assert cli("config", "get", "sync_folder").stdout == f"{work / 'Dropbox' / 'canon'}\n"
    home = Path(os.environ["HOME"])
    (home / "Sync").mkdir(parents=True)
    assert cli("config", "set", "sync_folder", "~/Sync").exit_code == 0
    text = config_file(canon_home).read_text(encoding="utf-8")
    assert tomllib.loads(text)["sync_folder"] == "~/Sync"
    assert sync_folder_path(load_config(config_file(canon_home))) == home / "Sync"
    assert cli("config", "unset", "sync_folder").exit_code == 0
    assert json.loads(cli("config", "get", "sync_folder", "--json").stdout) is None


def test_sync_folder_must_be_a_folder(cli: Cli, canon_home: Path, tmp_path: Path) -> None:
    afile = tmp_path / "a-file"
    afile.write_text("x")
    result = cli("config", "set", "sync_folder", str(afile))
    assert result.exit_code == 2
    assert "is a file, not a folder" in result.stderr and "Create the folder" in result.stderr
    assert not config_file(canon_home).exists()


def test_a_hand_written_sync_folder_that_is_not_text_is_named(cli: Cli, canon_home: Path) -> None:
    path = config_file(canon_home)
    path.parent.mkdir(parents=True)
    path.write_text("language = 'en'\nsync_folder = 3\n", encoding="utf-8")
    result = cli("config")
    assert result.exit_code == 3
    assert f"{path}:2: sync_folder must be the path of a folder" in result.stderr
