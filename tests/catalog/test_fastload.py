"""The one-pass YAML loader gives exactly what ruamel's safe load gives, or defers to it;
and the faster ``fts_text`` gives exactly what the old template substitution gave."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from canon_cli.catalog.snapshot import fts_text
from canon_cli.charsets import CJK_RANGES
from canon_cli.errors import CatalogError
from canon_cli.yamlio import _DEFER, fast_load, load_yaml

ROOT = Path(__file__).resolve().parents[2]
PROPERTY = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def safe_load(text: str) -> Any:
    yaml = YAML(typ="safe")
    yaml.allow_duplicate_keys = False
    return yaml.load(text)


def same(a: Any, b: Any) -> bool:
    """Equal values of the same types, mapping keys in the same order (NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a != a:
        return bool(b != b)
    return bool(a == b)


def assert_matches_safe_load(text: str) -> None:
    """The fast loader's data equals the safe load's, or it deferred; what the safe load
    refuses, the fast loader always defers (so the error comes from the same place)."""
    fast = fast_load(text)
    try:
        expected = safe_load(text)
    except Exception:
        assert fast is _DEFER, text
        return
    if fast is not _DEFER:
        assert same(fast, expected), text


def dump(data: Any, **options: Any) -> str:
    yaml = YAML(typ="safe")
    for name, value in options.items():
        setattr(yaml, name, value)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


PLAIN_FORMS = [
    "yes", "no", "on", "off", "y", "n", "true", "True", "TRUE", "tRUE", "false", "False",
    "FALSE", "null", "Null", "NULL", "nULL", "~", "", "0", "-0", "+0", "007", "12", "-12",
    "+12", "1_000", "0x1F", "0X1F", "0o17", "0b101", "017", "1.5", "-1.5", "+1.5", "1.", ".5",
    "1.50", "01.5", "1e3", "1E3", "1.0e+3", "-1e-3", ".inf", "-.inf", "+.Inf", ".nan", ".NaN",
    "2024-01-01", "2024-01-01T10:00:00Z", "2024-1-1 1:00:00", "12:30", "1:20:30", "<<", "=",
    "- x", "a: b", "a #b", "x!", "&x", "*x", "1,000", "1.2.3", "0.1.2", "Norway", "nope",
    "truely", "fals", "注意力", "～", "１２", "1 2", "--", "-", "+", ".", "..", "0x", "0o",
]  # fmt: skip

plain_scalar = st.one_of(
    st.sampled_from(PLAIN_FORMS),
    st.from_regex(r"[-+]?[0-9_.eExXoOb]{1,8}", fullmatch=True),
    st.from_regex(r"[a-zA-Z~.][a-zA-Z0-9 _.~-]{0,10}[a-zA-Z0-9]", fullmatch=True),
)

text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
        st.sampled_from(list(":#'\"-?[]{},&*!|>%@` \n\t注意力你需要한국ＡＢ")),
    ),
    max_size=30,
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    text,
    plain_scalar,
)
keys = st.one_of(text, plain_scalar, st.integers(min_value=-1000, max_value=1000))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=20,
)


@PROPERTY
@given(documents, st.booleans(), st.sampled_from([None, True, False]))
def test_dumped_documents_load_as_ruamel_loads_them(
    data: Any, explicit_start: bool, flow: bool | None
) -> None:
    text = dump(data, explicit_start=explicit_start, default_flow_style=flow)
    assert_matches_safe_load(text)


@PROPERTY
@given(st.lists(st.tuples(plain_scalar, plain_scalar), max_size=6), plain_scalar)
def test_hand_written_plain_scalars_load_as_ruamel_loads_them(
    pairs: list[tuple[str, str]], item: str
) -> None:
    lines = [f"k{i}: {value}" for i, (_, value) in enumerate(pairs)]
    lines += [f"{key}: v{i}" for i, (key, _) in enumerate(pairs)]
    lines.append(f"seq: [{item}, '{item}', \"{item}\"]")
    lines.append(f"block:\n  - {item}\n  -   {item}  # comment")
    assert_matches_safe_load("\n".join(lines))


@pytest.mark.parametrize("form", PLAIN_FORMS)
def test_each_plain_form_alone(form: str) -> None:
    for text in (f"x: {form}\n", f"- {form}\n", f"{form}\n", f"[{form}]\n", f"{{{form}: 1}}\n"):
        assert_matches_safe_load(text)


def test_simple_values_take_the_fast_path() -> None:
    text = "a: 1\nb: -2.5\nc: true\nd: ~\ne: 'x: y'\nf: [注意力, null]\ng: {h: False}\n"
    result = fast_load(text)
    assert result is not _DEFER
    assert same(result, safe_load(text))


@pytest.mark.parametrize(
    "text",
    [
        "a: !!str 1\n",
        "a: !foo 1\n",
        "a: &x 1\nb: *x\n",
        "a: 1\n---\nb: 2\n",
        "%YAML 1.1\n---\na: yes\n",
        "a: 2024-01-01\n",
        "<<: {a: 1}\n",
        "a: 1\na: 2\n",
        "? [1]\n: 2\n",
        "a: [1\n",
        "a: 0x1F\n",
        "a: 1e3\n",
        "a: .inf\n",
        "[" * 40 + "]" * 40,
    ],
)
def test_unusual_documents_are_deferred(text: str) -> None:
    assert fast_load(text) is _DEFER


def test_deferred_documents_keep_todays_errors() -> None:
    with pytest.raises(CatalogError, match=r"duplicate key") as info:
        load_yaml("a: 1\nb: 2\na: 3\n", "f.yaml", CatalogError)
    assert info.value.line == 3
    with pytest.raises(CatalogError, match="nesting deeper than"):
        load_yaml("[" * 40 + "]" * 40, "f.yaml", CatalogError)
    with pytest.raises(CatalogError, match="tags that build objects"):
        load_yaml("a: !!python/object:os.system 1\n", "f.yaml", CatalogError)
    assert load_yaml("a: 2024-01-01\n", "f.yaml", CatalogError) == safe_load("a: 2024-01-01\n")


def test_the_shipped_catalog_loads_identically() -> None:
    text = (ROOT / "data" / "canon.yaml").read_text(encoding="utf-8")
    fast = fast_load(text)
    assert fast is not _DEFER
    assert same(fast, safe_load(text))


def old_fts_text(text: str) -> str:
    ranges = "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in CJK_RANGES)
    return re.sub(f"([{ranges}])", r" \1 ", text.casefold())


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Attention Is All You Need",
        "注意力就是你所需要的",
        "Transformer 模型 and 扩散模型 (Diffusion)",
        "한국어 텍스트 and ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ",
        "Straße ǅ ΣΑΣ 注\u2e80\u9fff\uac00\ud7af\uf900\ufaff\uff00\uffef end",
    ],
)
def test_fts_text_matches_the_template_substitution(text: str) -> None:
    assert fts_text(text) == old_fts_text(text)


@PROPERTY
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from("注意力한국ＡＢ 　"))))
def test_fts_text_matches_the_template_substitution_on_any_text(text: str) -> None:
    assert fts_text(text) == old_fts_text(text)


def test_each_entry_is_handed_over_as_soon_as_it_is_parsed() -> None:
    text = (
        "version: 2\n"
        "entries:\n"
        "  - {id: a, nested: {entries: [{x: 1}]}}\n"
        "  - id: b\n"
        "    links: [{label: l, url: u}]\n"
        "sections: []\n"
        "other: {entries: [{id: not-an-entry}]}\n"
    )
    seen: list[str] = []

    def entry(item: dict[str, Any]) -> Any:
        seen.append(item["id"])
        return ("built", item["id"])

    result = fast_load(text, entry)
    assert seen == ["a", "b"]
    assert result["entries"] == [("built", "a"), ("built", "b")]
    assert result["other"] == {"entries": [{"id": "not-an-entry"}]}  # only the top level
    assert result["sections"] == []
    assert same(fast_load(text, lambda item: item), safe_load(text))
    # handed over while the parse goes on: the first entry before a later parse error
    seen.clear()
    assert fast_load("entries:\n  - {id: a}\n  - {id: b\n", entry) is _DEFER
    assert seen == ["a"]


def test_a_catalog_reads_the_same_entry_by_entry_and_reports_the_same_error(
    tmp_path: Path,
) -> None:
    from canon_cli.catalog.load import load_catalogs

    builtin = load_catalogs([ROOT / "data" / "canon.yaml"])
    assert len(builtin.entries) == 96
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: 2\nsections:\n  - {slug: s, name: {en: S}}\nentries:\n"
        "  - {id: a, title: A, url: 'https://a.example', section: s, kind: paper,"
        " summary: {en: x}}\n"
        "  - {id: b, title: B, url: 'https://b.example', section: s, kind: podcast,"
        " summary: {en: x}, colour: red}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as caught:
        load_catalogs([bad])
    message = str(caught.value)
    assert "entry 'b', kind" in message and "(and 1 more problem)" in message, message
    assert caught.value.line == 6
