"""Hostile catalog files: YAML is loaded safely and bounded, and every problem is one
clean message (file, line, field) with exit code 3, never a traceback."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canon_cli.catalog.load import LoadedCatalog, load_catalogs
from canon_cli.catalog.snapshot import open_catalog
from canon_cli.errors import CatalogError, ExitCode

PROPERTY = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def valid_catalog() -> dict[str, Any]:
    return {
        "version": 1,
        "title": {"en": "Test canon"},
        "tags": {"llm": "Large language models"},
        "sections": [
            {
                "slug": "research",
                "name": {"en": "Research"},
                "sections": [{"slug": "agents", "name": {"en": "Agents"}}],
            }
        ],
        "entries": [
            {
                "id": "attention",
                "title": "Attention is all you need",
                "url": "https://arxiv.org/abs/1706.03762",
                "section": "research",
                "year": 2017,
                "authors": ["Ashish Vaswani"],
                "kind": "paper",
                "tags": ["llm"],
                "summary": {"en": "The transformer paper."},
                "links": [{"label": "blog", "url": "https://example.org/blog"}],
                "aliases": ["aiayn"],
            },
            {
                "id": "react",
                "title": "ReAct",
                "url": "https://arxiv.org/abs/2210.03629",
                "section": "agents",
                "kind": "paper",
                "summary": {"en": "Reasoning and acting."},
            },
        ],
    }


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def assert_one_clean_error(result: Any, path: Path, line: int | None = None) -> str:
    """Exit 3, nothing on stdout, one 'canon: error:' message naming the file."""
    assert result.exit_code == ExitCode.DATA, (result.exit_code, result.stderr)
    assert result.stdout == ""
    err = result.stderr
    assert "Traceback" not in err
    assert err.startswith(f"canon: error: {path}"), err
    assert err.count("canon: error:") == 1
    if line is not None:
        assert err.startswith(f"canon: error: {path}:{line}: "), err
    return str(err)


# --- safe loading --------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/apply:subprocess.call",
        "!!python/object/new:os.system",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!python/object:pathlib.Path",
        "!!python/object/apply:builtins.exec",
    ],
)
def test_object_building_tags_are_refused_and_never_run(cli: Any, tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    payload = f"touch {marker}" if "exec" not in tag else f"open({str(marker)!r}, 'w')"
    catalog = write(
        tmp_path / "evil.yaml",
        f"version: 1\ntitle:\n  en: {tag} [{json.dumps(payload)}]\nsections: []\nentries: []\n",
    )
    result = cli("--catalog", str(catalog), "list")
    err = assert_one_clean_error(result, catalog, line=3)
    assert "tags that build objects are not allowed" in err
    assert not marker.exists()


def test_object_building_tag_refused_by_a_real_process(run_canon: Any, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    catalog = write(
        tmp_path / "evil.yaml",
        f"version: 1\nentries: !!python/object/apply:os.system ['touch {marker}']\n",
    )
    result = run_canon("--catalog", str(catalog), "list")
    assert_one_clean_error(result, catalog, line=2)
    assert not marker.exists()


# --- bounded loading -------------------------------------------------------------------


def test_size_cap_is_read_at_call_time(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = write(tmp_path / "big.yaml", json.dumps(valid_catalog()))
    monkeypatch.setenv("CANON_MAX_YAML_BYTES", "200")
    err = assert_one_clean_error(cli("--catalog", str(catalog), "list"), catalog)
    assert "over the 200-byte limit" in err
    assert "CANON_MAX_YAML_BYTES" in err
    monkeypatch.setenv("CANON_MAX_YAML_BYTES", "100000")
    assert cli("--catalog", str(catalog), "list").exit_code == 0


@pytest.mark.parametrize("value", ["abc", "-5", "1e9"])
def test_bad_size_cap_setting_is_a_clean_error(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    catalog = write(tmp_path / "c.yaml", json.dumps(valid_catalog()))
    monkeypatch.setenv("CANON_MAX_YAML_BYTES", value)
    result = cli("--catalog", str(catalog), "list")
    assert result.exit_code == ExitCode.DATA
    assert result.stderr.startswith("canon: error: CANON_MAX_YAML_BYTES must be")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("version: 1\nentries: " + "[" * 100 + "]" * 100 + "\n", 2),
        ("version: 1\ntitle: " + "{a: " * 100 + "x" + "}" * 100 + "\n", 2),
        ("version: 1\nentries:\n" + "".join("  " * i + "- \n" for i in range(1, 60)), 34),
        # deeper than any recursion limit: refused while streaming, without building anything
        ("version: 1\nentries: " + "[" * 200_000 + "\n", 2),
    ],
    ids=["flow-seq", "flow-map", "block", "unclosed-200k"],
)
def test_deep_nesting_is_refused(cli: Any, tmp_path: Path, text: str, line: int) -> None:
    catalog = write(tmp_path / "deep.yaml", text)
    started = time.monotonic()
    err = assert_one_clean_error(cli("--catalog", str(catalog), "list"), catalog, line=line)
    assert time.monotonic() - started < 2
    assert "nesting deeper than" in err


BILLION_LAUGHS = """\
version: 1
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def fan_out_bomb(levels: int = 30) -> str:
    """Few aliases (two per level) that still expand to 2**levels sections to validate."""
    lines = ["version: 1", "sections:", "  - &s0 {slug: a, name: {en: x}}"]
    for i in range(1, levels + 1):
        lines.append(f"  - &s{i} {{slug: a, name: {{en: x}}, sections: [*s{i - 1}, *s{i - 1}]}}")
    return "\n".join(lines) + "\n"


def wide_bomb() -> str:
    """Under the alias count limit, but each alias repeats a big node."""
    items = ", ".join(["a"] * 300)
    return "version: 1\nbase: &b [" + items + "]\nentries: [" + ", ".join(["*b"] * 40) + "]\n"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (BILLION_LAUGHS, "YAML aliases"),
        (fan_out_bomb(), "expand to more than"),
        (wide_bomb(), "expand to more than"),
        ("version: 1\nsections: &s [{slug: a, name: {en: x}, sections: *s}]\n", "contains it"),
        ("version: 1\ntitle: &t {en: *t}\n", "contains it"),
    ],
    ids=["billion-laughs", "fan-out", "wide", "recursive-seq", "recursive-map"],
)
def test_alias_bombs_are_refused_quickly(
    cli: Any, run_canon: Any, tmp_path: Path, text: str, words: str
) -> None:
    assert len(text.encode()) < 2000
    catalog = write(tmp_path / "bomb.yaml", text)
    started = time.monotonic()
    err = assert_one_clean_error(cli("--catalog", str(catalog), "list"), catalog)
    assert time.monotonic() - started < 2
    assert words in err


def test_billion_laughs_refused_quickly_by_a_real_process(run_canon: Any, tmp_path: Path) -> None:
    catalog = write(tmp_path / "bomb.yaml", fan_out_bomb())
    result = run_canon("--catalog", str(catalog), "list", timeout=20)
    assert_one_clean_error(result, catalog)


def test_a_few_aliases_are_still_allowed(cli: Any, tmp_path: Path) -> None:
    text = """\
version: 1
sections: [{slug: s, name: {en: S}}]
entries:
  - {id: a, title: A, url: "https://a.example/", section: s, kind: paper,
     authors: &who [Ann, Bob], summary: &sum {en: Shared summary}}
  - {id: b, title: B, url: "https://b.example/", section: s, kind: paper,
     authors: *who, summary: *sum}
"""
    catalog = write(tmp_path / "aliases.yaml", text)
    result = cli("--catalog", str(catalog), "show", "b", "--json")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["authors"] == ["Ann", "Bob"]
    assert shown["summary"] == "Shared summary"


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ("version: 1\nversion: 1\n", 2, "version"),
        (
            "version: 1\nsections:\n  - slug: a\n    name: {en: A}\n    slug: b\n",
            5,
            "slug",
        ),
        ("version: 1\ntags:\n  llm: one\n  x: y\n  llm: two\n", 5, "llm"),
    ],
)
def test_duplicate_keys_are_an_error_with_a_line(
    cli: Any, tmp_path: Path, text: str, line: int, key: str
) -> None:
    catalog = write(tmp_path / "dup.yaml", text)
    err = assert_one_clean_error(cli("--catalog", str(catalog), "list"), catalog, line=line)
    assert f"duplicate key {key!r}" in err or f'duplicate key "{key}"' in err


# --- every catalog problem: one message, file, line, field, exit 3 ---------------------


def mutated(path: tuple[Any, ...], value: Any) -> str:
    data = valid_catalog()
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    if value is DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return json.dumps(data, indent=1, ensure_ascii=False)


DELETE = object()

BAD_CATALOGS = {
    "unknown-field": (mutated(("entries", 0, "colour"), "red"), ["'attention'", "colour"]),
    "bad-kind": (mutated(("entries", 0, "kind"), "podcast"), ["kind", "'podcast'"]),
    "missing-title": (mutated(("entries", 1, "title"), DELETE), ["'react'", "title"]),
    "bad-slug": (mutated(("entries", 1, "id"), "Not A Slug"), ["entry", "id"]),
    "bad-year": (mutated(("entries", 0, "year"), "soon"), ["'attention'", "year"]),
    "year-range": (mutated(("entries", 0, "year"), 99999), ["'attention'", "year"]),
    "unknown-section": (mutated(("entries", 0, "section"), "nowhere"), ["'nowhere'"]),
    "unknown-tag": (mutated(("entries", 0, "tags"), ["nope"]), ["'nope'"]),
    "duplicate-id": (mutated(("entries", 1, "id"), "attention"), ["'attention'"]),
    "alias-clash": (mutated(("entries", 1, "aliases"), ["aiayn"]), ["'aiayn'"]),
    "duplicate-section": (
        mutated(("sections", 0, "sections", 0, "slug"), "research"),
        ["'research'"],
    ),
    "newer-version": (mutated(("version",), 7), ["version 7"]),
    "summary-not-mapping": (mutated(("entries", 0, "summary"), "text"), ["summary"]),
    "title-too-long": (mutated(("entries", 0, "title"), "x" * 5000), ["title"]),
    "not-a-mapping": ("- just\n- a list\n", ["must be a mapping"]),
    "scalar": ("hello\n", ["must be a mapping"]),
    "empty": ("", ["must be a mapping"]),
    "syntax": ("version: 1\nentries: [\n", ["not valid YAML"]),
    "tab-indent": ("version: 1\nentries:\n\t- id: x\n", ["not valid YAML"]),
    "raw-control-char": ("version: 1\ntitle: {en: a\x01b}\n", ["U+0001"]),
    "raw-escape-char": ("version: 1\ntitle: {en: a\x1b[2Jb}\n", ["U+001B"]),
    "bad-bool-tag": ("version: 1\ntitle: {en: !!bool maybe}\n", ["not valid YAML"]),
    "bad-omap": ("version: 1\nx: !!omap [{[1]: 1}]\n", ["not valid YAML"]),
    "bad-date": ("version: 1\nx: 2001-02-30\n", ["not valid YAML"]),
    "bad-base64": ("version: 1\nx: !!binary 'x*'\n", ["not valid YAML"]),
    "two-documents": ("version: 1\n---\nversion: 1\n", ["not valid YAML"]),
    "unhashable-key": ("version: 1\n? {a: 1}\n: 1\n", ["not valid YAML"]),
    "list-key": ("version: 1\n? [a]\n: 1\n", ["Keys should be strings"]),
}


@pytest.mark.parametrize("name", sorted(BAD_CATALOGS))
def test_each_catalog_problem_is_one_clean_message(cli: Any, tmp_path: Path, name: str) -> None:
    text, words = BAD_CATALOGS[name]
    catalog = write(tmp_path / f"{name}.yaml", text)
    err = assert_one_clean_error(cli("--catalog", str(catalog), "list"), catalog)
    for word in words:
        assert word in err, (word, err)
    if name not in ("empty", "bad-bool-tag", "bad-omap", "bad-date", "list-key"):
        assert err.startswith(f"canon: error: {catalog}:"), "no line number"
    assert "\x1b" not in err and "\x01" not in err


def test_not_utf8_names_the_line(cli: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "latin1.yaml"
    catalog.write_bytes(b"version: 1\ntitle: {en: caf\xe9}\n")
    err = assert_one_clean_error(cli("--catalog", str(catalog), "list"), catalog, line=2)
    assert "UTF-8" in err


def test_missing_catalog_is_one_clean_error(cli: Any, tmp_path: Path) -> None:
    # a file named on the command line that is not there is a usage error (exit 2)
    missing = tmp_path / "nope.yaml"
    result = cli("--catalog", str(missing), "list")
    assert result.exit_code == 2
    assert result.stderr == f"canon: error: no such file: {missing}\n"


def test_catalog_error_through_a_real_process(run_canon: Any, tmp_path: Path) -> None:
    catalog = write(tmp_path / "bad.yaml", BAD_CATALOGS["bad-kind"][0])
    result = run_canon("--catalog", str(catalog), "list")
    assert_one_clean_error(result, catalog)


def test_extra_catalog_clash_names_both_files(tmp_path: Path) -> None:
    main = write(tmp_path / "main.yaml", json.dumps(valid_catalog()))
    extra = write(
        tmp_path / "extra.yaml",
        json.dumps(
            {
                "version": 1,
                "entries": [
                    {
                        "id": "attention",
                        "title": "Copy",
                        "url": "https://example.org/",
                        "section": "research",
                        "kind": "paper",
                        "summary": {"en": "x"},
                    }
                ],
            }
        ),
    )
    with pytest.raises(CatalogError) as caught:
        load_catalogs([main, extra])
    assert str(extra) in str(caught.value) and str(main) in str(caught.value)


# --- property tests: anything in, a catalog or a CatalogError out ---------------------

YAML_BITS = st.sampled_from(
    [
        "version: 1\n",
        "entries:\n",
        "sections:\n",
        "- ",
        "  ",
        ": ",
        "&a ",
        "*a",
        "!!bool ",
        "!!binary ",
        "!!omap ",
        "!!set ",
        "!!timestamp ",
        "!!python/object/apply:os.system ",
        "? ",
        "[",
        "]",
        "{",
        "}",
        "<<: ",
        "\n",
        "---\n",
        "%YAML 1.1\n",
        '"\\x1b"',
        '"\\ud800"',
        "'",
        "2001-02-30",
        "0x",
        "1e9999",
        "\t",
        "\x00",
        "\ufeff",
    ]
)
YAML_TEXT = st.lists(st.one_of(YAML_BITS, st.text(max_size=8)), max_size=30).map("".join)

JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["paper", "research", "agents", "llm", "https://example.org/", "1"]),
)
JSON_TREE = st.recursive(
    JSON_LEAF,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(
                st.text(max_size=10),
                st.sampled_from(
                    ["version", "entries", "sections", "tags", "id", "slug", "name", "en"]
                ),
            ),
            children,
            max_size=4,
        ),
    ),
    max_leaves=25,
)

CATALOG_PATHS = st.sampled_from(
    [
        ("version",),
        ("title",),
        ("tags",),
        ("tags", "llm"),
        ("sections",),
        ("sections", 0),
        ("sections", 0, "slug"),
        ("sections", 0, "name"),
        ("sections", 0, "sections"),
        ("sections", 0, "parent"),
        ("entries",),
        ("entries", 0),
        ("entries", 0, "id"),
        ("entries", 0, "url"),
        ("entries", 0, "year"),
        ("entries", 0, "authors"),
        ("entries", 0, "kind"),
        ("entries", 0, "tags"),
        ("entries", 0, "summary"),
        ("entries", 0, "links"),
        ("entries", 0, "links", 0, "url"),
        ("entries", 0, "aliases"),
        ("entries", 1, "section"),
    ]
)


def dump_yaml(data: Any) -> str:
    import io

    from ruamel.yaml import YAML

    stream = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.dump(data, stream)
    return stream.getvalue()


def check_loads_or_refuses(text: str | bytes) -> LoadedCatalog | None:
    """Loading gives a catalog or a CatalogError (with the file named), nothing else."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalog.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            loaded = load_catalogs([path])
        except CatalogError as exc:
            assert str(path) in str(exc)
            return None
        # a valid catalog must also go into a snapshot and come back out
        try:
            catalog = open_catalog([path], Path(tmp) / "cache")
        except CatalogError:
            raise AssertionError("loaded, but the snapshot refused it") from None
        assert len(catalog) == len(loaded.entries)
        catalog.db.close()
        return loaded


@PROPERTY
@given(YAML_TEXT)
def test_arbitrary_yaml_like_text_loads_or_is_a_catalog_error(text: str) -> None:
    check_loads_or_refuses(text)


@PROPERTY
@given(st.binary(max_size=200))
def test_arbitrary_bytes_load_or_are_a_catalog_error(data: bytes) -> None:
    check_loads_or_refuses(data)


@PROPERTY
@given(JSON_TREE, st.booleans())
def test_arbitrary_structures_load_or_are_a_catalog_error(data: Any, as_json: bool) -> None:
    if as_json:
        text = json.dumps(data, ensure_ascii=False)
    else:
        try:
            text = dump_yaml(data)
        except Exception:  # some structures have no YAML form; nothing to test then
            return
    check_loads_or_refuses(text)


@PROPERTY
@given(st.lists(st.tuples(CATALOG_PATHS, JSON_TREE), min_size=1, max_size=3), st.booleans())
def test_damaged_valid_catalogs_load_or_are_a_catalog_error(
    changes: list[tuple[tuple[Any, ...], Any]], as_json: bool
) -> None:
    data = valid_catalog()
    for path, value in changes:
        node: Any = data
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    text = json.dumps(data, ensure_ascii=False) if as_json else dump_yaml(data)
    check_loads_or_refuses(text)


@PROPERTY
@given(
    st.text(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        min_size=1,
        max_size=40,
    )
)
def test_any_text_in_a_field_round_trips_or_is_refused(value: str) -> None:
    """Whatever a title holds, a valid catalog keeps it exactly (through the snapshot)."""
    data = valid_catalog()
    data["entries"][0]["title"] = value
    data["entries"][0]["authors"] = [value]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalog.yaml"
        path.write_text(json.dumps(data), encoding="utf-8")
        try:
            load_catalogs([path])
        except CatalogError:
            return
        catalog = open_catalog([path], Path(tmp) / "cache")
        entry = catalog.get("attention")
        assert entry is not None
        assert entry.title == value and entry.authors == (value,)
        catalog.db.close()


# --- state files to import are YAML from elsewhere too --------------------------------


def state_alias_bomb(levels: int = 6) -> str:
    """Notes that repeat an anchored list ten times per level: a few hundred bytes that
    would expand to millions of nodes ("billion laughs")."""
    lines = ["version: 1", "entries:", "  e0:", "    status: done"]
    lines.append("    notes: &l0 [{at: '2024-01-01T00:00:00+00:00', text: t}]")
    for level in range(1, levels + 1):
        lines.append(f"  e{level}: {{notes: &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]}}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("command", ["import", "merge"])
def test_state_file_alias_bomb_is_refused(
    cli: Any, canon_home: Path, tmp_path: Path, command: str
) -> None:
    bomb = write(tmp_path / "other-machine.yaml", state_alias_bomb())
    result = cli("state", command, str(bomb))
    assert result.exit_code == ExitCode.DATA, "the expanded state was accepted"
    assert "aliases" in result.stderr
    assert not (canon_home / "state.db").exists()


# --- links ----------------------------------------------------------------------------

URL_STARTS = st.sampled_from(
    ["http://", "https://", "HTTPS://", "javascript:", "file://", "data:", "-", "http://[", ""]
)


@PROPERTY
@given(st.one_of(st.text(max_size=40), st.tuples(URL_STARTS, st.text(max_size=30)).map("".join)))
def test_only_plain_web_links_are_accepted(url: str) -> None:
    """What canon would hand to a browser: http(s), a host, no controls, no leading '-'."""
    from urllib.parse import urlsplit

    from canon_cli.catalog.urls import url_problem

    problem = url_problem(url)
    if problem is None:
        parts = urlsplit(url)
        assert parts.scheme.lower() in ("http", "https")
        assert parts.hostname
        assert not url.startswith("-")
        assert not any(ch.isspace() or not ch.isprintable() for ch in url), url
    else:
        assert isinstance(problem, str) and problem


# --- the config file is read within bounds too -----------------------------------------


def test_a_config_over_the_size_cap_is_refused(run_canon: Any, canon_home: Path) -> None:
    from canon_cli.vocab import CONFIG_MAX_BYTES

    config = canon_home / "config.toml"
    canon_home.mkdir(parents=True, exist_ok=True)
    comment = "# " + "x" * 1000 + "\n"
    config.write_text('language = "zh"\n' + comment * (CONFIG_MAX_BYTES // len(comment) + 1))
    for args in (("list",), ("config",), ("config", "set", "language", "en")):
        err = assert_one_clean_error(run_canon(*args), config)
        assert f"over the {CONFIG_MAX_BYTES}-byte limit" in err
    assert config.read_text().startswith('language = "zh"\n')


@pytest.mark.parametrize(
    "nested",
    [
        "a = " + "[" * 600 + "]" * 600,
        "a = " + "{b = " * 600 + "1" + "}" * 600,
        "a = " + "[" * 100_000,
    ],
    ids=["arrays", "inline-tables", "unclosed"],
)
@pytest.mark.parametrize(
    "args", [("list",), ("config",), ("config", "set", "language", "zh"), ("done", "bert")]
)
def test_a_deeply_nested_config_is_one_message(
    cli: Any, canon_home: Path, nested: str, args: tuple[str, ...]
) -> None:
    config = canon_home / "config.toml"
    canon_home.mkdir(parents=True, exist_ok=True)
    config.write_text(nested + "\n")
    err = assert_one_clean_error(cli(*args), config)
    assert "nested too deeply" in err or "invalid TOML" in err
    assert config.read_text() == nested + "\n"


def test_a_deeply_nested_config_in_a_real_process(run_canon: Any, canon_home: Path) -> None:
    config = canon_home / "config.toml"
    canon_home.mkdir(parents=True, exist_ok=True)
    config.write_text("a = " + "[" * 500 + "]" * 500 + "\n")
    for args in (("list",), ("config", "set", "language", "zh")):
        assert "nested too deeply" in assert_one_clean_error(run_canon(*args), config)


TOML_PIECES = st.sampled_from(
    [
        "language",
        "catalogs",
        "open_marks_reading",
        " = ",
        "=",
        '"en"',
        '"zh"',
        "'x'",
        '"""',
        "true",
        "1979-05-27",
        "1e999",
        "0x1F",
        "[",
        "]",
        "{",
        "}",
        "[[t]]",
        "[t]",
        ",",
        ".",
        "#",
        "\n",
        "\\",
        "\x00",
        "\x1b[2J",
        "\u202e",
        "经",
        '"my-catalog.yaml"',
    ]
)
TOML_TEXT = st.one_of(
    st.lists(TOML_PIECES, max_size=30).map("".join),
    st.text(max_size=60),
    st.lists(st.sampled_from(["[", "{a=", "]", "}"]), min_size=200, max_size=800).map(
        lambda parts: "a = " + "".join(parts)
    ),
)


@PROPERTY
@given(text=st.one_of(TOML_TEXT.map(str.encode), st.binary(max_size=80)))
def test_any_config_file_is_read_or_is_one_message(text: bytes) -> None:
    """Arbitrary config.toml contents: settings, or one ConfigError (exit 3) naming the
    file; ``config set`` on it either writes a file that reads back or changes nothing."""
    from canon_cli.config import change_settings, load_config
    from canon_cli.errors import ConfigError

    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.toml"
        config.write_bytes(text)
        try:
            load_config(config)
        except ConfigError as exc:
            assert str(config) in str(exc)
        try:
            change_settings(config, lambda _: {"language": "zh"})
        except ConfigError as exc:
            assert str(config) in str(exc)
            assert config.read_bytes() == text
        else:
            assert load_config(config).language == "zh"


# --- what a catalog may cost: entries, sections, tags, text -------------------------------


def many_entries(count: int, first: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "id": f"e{i}",
            "title": "T",
            "url": f"https://example.org/{i}",
            "section": "research",
            "kind": "paper",
            "summary": {"en": "x"},
        }
        for i in range(first, first + count)
    ]


def test_more_entries_than_the_limit_is_refused_before_validation(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from canon_cli.catalog import limits

    monkeypatch.setattr(limits, "CATALOG_MAX_ENTRIES", 50)
    data = valid_catalog()
    data["entries"] = many_entries(50)
    fits = write(tmp_path / "fits.yaml", json.dumps(data))
    assert cli("--catalog", str(fits), "list").exit_code == 0
    data["entries"] = many_entries(51)
    data["entries"][50]["kind"] = "not-a-kind"  # never validated: the count comes first
    over = write(tmp_path / "over.yaml", json.dumps(data))
    err = assert_one_clean_error(cli("--catalog", str(over), "list"), over)
    assert "51 entries, over the limit of 50 canon reads at once" in err
    assert "Split it into smaller catalogs" in err and "not-a-kind" not in err


def test_the_entry_limit_counts_every_catalog_merged(
    cli: Any, tmp_path: Path, canon_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from canon_cli.catalog import limits

    monkeypatch.setattr(limits, "CATALOG_MAX_ENTRIES", 60)
    main = valid_catalog()
    main["entries"] = many_entries(40)
    extra_entries = many_entries(30, first=100)
    for entry in extra_entries:
        entry["section"] = "agents"
    extra = {"version": 1, "entries": extra_entries}
    write(tmp_path / "main.yaml", json.dumps(main))
    second = write(tmp_path / "extra.yaml", json.dumps(extra))
    canon_home.mkdir(parents=True, exist_ok=True)
    (canon_home / "config.toml").write_text(f'catalogs = ["{second}"]\n')
    err = assert_one_clean_error(cli("--catalog", str(tmp_path / "main.yaml"), "list"), second)
    assert "70 entries with the catalogs read before it, over the limit of 60" in err


@pytest.mark.parametrize("what", ["sections", "tags"])
def test_more_sections_or_tags_than_the_limit_is_refused(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: str
) -> None:
    from canon_cli.catalog import limits

    monkeypatch.setattr(limits, "CATALOG_MAX_SECTIONS", 5)
    monkeypatch.setattr(limits, "CATALOG_MAX_TAGS", 5)
    data = valid_catalog()
    if what == "sections":  # nested ones count too: 2 at the top, 2 + 2 inside
        data["sections"][0]["sections"] += [
            {"slug": f"s{i}", "name": {"en": "S"}} for i in range(4)
        ]
    else:
        data["tags"] |= {f"t{i}": "T" for i in range(5)}
    catalog = write(tmp_path / "catalog.yaml", json.dumps(data))
    err = assert_one_clean_error(cli("--catalog", str(catalog), "list"), catalog)
    assert f"6 {what}, over the limit of 5" in err


@pytest.mark.parametrize("field", [("summary", "en"), ("note", "zh"), ("unknown",)])
def test_a_text_over_the_limit_is_refused_naming_entry_field_and_limit(
    cli: Any, tmp_path: Path, field: tuple[str, ...]
) -> None:
    from canon_cli.vocab import TEXT_MAX

    data = valid_catalog()
    data["version"] = 2
    entry = data["entries"][1]
    node = entry
    for key in field[:-1]:
        node = node.setdefault(key, {"en": "short"})
    node[field[-1]] = "y" * (TEXT_MAX + 1)
    catalog = write(tmp_path / "catalog.yaml", json.dumps(data, indent=1))
    started = time.perf_counter()
    err = assert_one_clean_error(cli("--catalog", str(catalog), "list"), catalog)
    assert time.perf_counter() - started < 10
    where = ", ".join(field)
    assert f"entry 'react', {where}: a text of 20,001 characters, over the limit of 20,000" in err
    node[field[-1]] = "y" * TEXT_MAX
    if field != ("unknown",):
        assert cli("--catalog", str(write(catalog, json.dumps(data))), "list").exit_code == 0
