"""The catalog validator in its stored form (catalog/validator.py) checks exactly what
the pydantic models check, is made again whenever it may be stale or is damaged, and
spares a snapshot rebuild the import of pydantic."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from canon_cli import paths
from canon_cli.catalog import validator
from canon_cli.catalog.schema import CatalogModel, EntryModel
from canon_cli.errors import CatalogError
from canon_cli.yamlio import load_yaml


@pytest.fixture(autouse=True)
def fresh_validator(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test makes (or reads) the validator of its own cache dir."""
    monkeypatch.setattr(validator, "_cached", None)
    yield


def _plain(value: Any) -> Any:
    """A record or a pydantic model as plain data, to compare the two."""
    if isinstance(value, validator.Record | BaseModel):
        return {k: _plain(v) for k, v in vars(value).items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def builtin_catalog_text() -> str:
    return paths.builtin_catalog_path().read_text(encoding="utf-8")


def _builtin() -> Any:
    return load_yaml(builtin_catalog_text(), "canon.yaml", CatalogError)


def _problems(check: Any, data: Any) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as caught:
        check(data)
    found: list[dict[str, Any]] = json.loads(caught.value.json(include_url=False))
    assert found
    return found


def test_the_builtin_catalog_reads_the_same_as_through_the_models() -> None:
    data = _builtin()
    assert _plain(validator.validate_catalog(data)) == _plain(CatalogModel.model_validate(data))


ENTRY = {
    "id": "e1",
    "title": "T",
    "url": "https://example.org/",
    "section": "s",
    "kind": "paper",
    "summary": {"en": "s"},
}
BAD_ENTRIES = [
    {**ENTRY, "id": "Not A Slug"},
    {**ENTRY, "kind": "poem"},
    {**ENTRY, "year": 1700},
    {**ENTRY, "year": "soon"},
    {**ENTRY, "summary": "plain"},
    {**ENTRY, "summary": {"en": ""}},
    {**ENTRY, "colour": "red"},
    {**ENTRY, "venue": {"type": "blog", "name": "N", "year": 2020}},
    {**ENTRY, "arxiv": "arXiv:1706.03762"},
    {**ENTRY, "minutes": 0},
    {**ENTRY, "links": [{"label": "x"}]},
    {**ENTRY, "authors": "Ann"},
    {k: v for k, v in ENTRY.items() if k != "title"},
    ["not", "a", "mapping"],
]


@pytest.mark.parametrize("data", BAD_ENTRIES, ids=lambda d: str(d)[:60])
def test_a_bad_entry_gets_the_models_own_problems(data: Any) -> None:
    assert _problems(validator.validate_entry, data) == _problems(EntryModel.model_validate, data)


@pytest.mark.parametrize(
    "change",
    [
        {"version": 3},
        {"tags": {"Bad Tag": "x"}},
        {"tags": {"ok": {"en": "x", "fr": "y"}}},
        {"sections": [{"slug": "a", "name": {"en": "A"}, "sections": [{"slug": "B"}]}]},
        {"entries": {}},
        {"entries": [ENTRY, {**ENTRY, "kind": "poem"}]},
        {"title": {"zh": "only Chinese"}},
    ],
    ids=lambda d: str(d)[:60],
)
def test_a_bad_catalog_gets_the_models_own_problems(change: dict[str, Any]) -> None:
    data = {**_builtin(), **change}
    expected = _problems(CatalogModel.model_validate, data)
    assert _problems(validator.validate_catalog, data) == expected
    # and so does the form a later run reads back from the cache (fields in their order)
    assert validator.stored_path().is_file()
    stored = validator._from_stored(validator.stored_path(), validator.source_key())
    assert stored is not None
    assert _problems(stored.catalog.validate_python, data) == expected


def test_a_plain_tag_description_is_english_in_both() -> None:
    data = {**_builtin(), "tags": {"short": "Short text"}, "entries": []}
    record = validator.validate_catalog(data)
    assert _plain(record.tags["short"]) == {"en": "Short text", "zh": None}
    assert _plain(record) == _plain(CatalogModel.model_validate(data))


def test_an_entry_validated_alone_passes_as_it_is_inside_a_catalog() -> None:
    data = _builtin()
    entry = validator.validate_entry(data["entries"][0])
    assert validator.validate_catalog({**data, "entries": [entry]}).entries[0] is entry


def test_the_stored_form_is_what_pydantic_makes_of_the_models() -> None:
    validator.validators()
    stored = json.loads(validator.stored_path().read_text())
    assert stored["key"] == validator.source_key()
    assert stored["schemas"] == json.loads(json.dumps(validator.made_by_pydantic()))


def test_the_key_names_every_source_and_changes_with_them(tmp_path: Path) -> None:
    key = validator.source_key()
    import pydantic_core

    from canon_cli import __version__

    assert validator.FORMAT in key and __version__ in key and pydantic_core.__version__ in key
    for name in ("catalog/schema.py", "catalog/rules.py", "vocab.py"):
        assert name in key and f"{name} missing" not in key


def test_a_function_outside_rules_cannot_be_stored() -> None:
    with pytest.raises(TypeError, match="canon bug"):
        validator._named({"type": "function-plain", "function": len})


# --- through real processes ---------------------------------------------------------

PROBE = (  # canon's entry, then which pydantic modules the run imported, on stderr
    "import sys\nsys.argv = ['canon', *sys.argv[1:]]\n"
    "from canon_cli.__main__ import main\n"
    "try:\n    main()\n"
    "finally:\n"
    "    sys.stderr.write(' '.join(sorted(m for m in sys.modules if m.startswith('pydantic'))))\n"
)


def _rebuild(catalog: Path) -> tuple[int, str, list[str]]:
    """``canon list`` after touching ``catalog`` (so its snapshot is built again): the
    exit code, stdout, and the pydantic modules imported."""
    stat = catalog.stat()
    os.utime(catalog, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "--catalog", str(catalog), "list", "--section", "agents"],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    *_, modules = proc.stderr.split("\n")
    return proc.returncode, proc.stdout, modules.split()


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "canon.yaml"
    path.write_text(builtin_catalog_text(), encoding="utf-8")
    return path


def test_a_rebuild_with_the_stored_form_imports_no_pydantic(catalog: Path) -> None:
    code, first, modules = _rebuild(catalog)
    assert code == 0 and "react" in first
    assert "pydantic.main" in modules  # nothing stored yet: pydantic made it
    assert validator.stored_path().is_file()
    code, again, modules = _rebuild(catalog)
    assert (code, again) == (0, first)
    # pydantic-core's compiled module alone: not its package, not pydantic
    assert modules == ["pydantic_core._pydantic_core"]


ALONE = """
import sys
from canon_cli.catalog import validator
core = validator.core()
assert "pydantic_core" not in sys.modules, "the package was imported"
check = core.SchemaValidator({"type": "int"})
assert check.validate_python("3") == 3
import pydantic_core
import pydantic_core._pydantic_core as compiled  # as pydantic itself imports it
assert core is compiled
assert core.SchemaValidator is pydantic_core.SchemaValidator
try:
    check.validate_python("x")
except pydantic_core.ValidationError as exc:
    print(exc.errors()[0]["type"])
"""


def test_pydantic_cores_module_loaded_alone_is_the_packages() -> None:
    """Loaded without its package, it is still the one a later ``import pydantic_core``
    gives: the same classes, the same errors caught."""
    proc = subprocess.run(
        [sys.executable, "-c", ALONE], capture_output=True, text=True, timeout=60, check=False
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "int_parsing\n", "")


def test_pydantic_core_is_imported_as_usual_when_it_cannot_be_loaded_alone() -> None:
    code = (
        "import sys\nfrom canon_cli.catalog import validator\n"
        "validator._load_alone = lambda: None\n"
        "core = validator.core()\n"
        "import pydantic_core\n"
        "assert core.SchemaValidator is pydantic_core.SchemaValidator\n"
        "print(validator.validators().entry is not None)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "True\n", "")
