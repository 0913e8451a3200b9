"""The catalog schema's validator, without importing pydantic on every rebuild.

pydantic turns the models of ``schema.py`` into a core schema, and pydantic-core
validates with it. Importing pydantic and building the models costs about ten times
an interpreter's start-up, while pydantic-core alone costs a fraction of that; so the
core schema pydantic builds is stored once (in the cache dir, as JSON) and later
rebuilds hand it straight to pydantic-core. The models stay the one contract: the
stored form is what pydantic made of them, and it is used only while it was made
from exactly these sources (``schema.py``, ``rules.py``, ``vocab.py``, this canon and
this pydantic-core). Anything else (missing, garbled, stale, refused by pydantic-core)
means "ask pydantic again" and store its answer, never a different check.

Two things in a core schema are not data, and the stored form names them instead:
the models' classes, replaced by plain records with the same fields (``Record``:
attributes, nothing else), and the functions of ``rules.py``, found again by name.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from pydantic_core import SchemaValidator

FORMAT = "canon-validator 1"
MAX_BYTES = 1 << 20
# the files the core schema is made from (besides pydantic itself)
_SOURCES = ("catalog/schema.py", "catalog/rules.py", "vocab.py")
_REFS = ("ref", "schema_ref")  # names of model definitions, and uses of them
_FACTORIES: dict[str, Callable[[], Any]] = {"list": list, "dict": dict}


class Record:
    """A validated catalog item: its fields as attributes (what pydantic-core sets on
    the instances of a model class), in place of the pydantic model."""

    __slots__ = (
        "__dict__",
        "__pydantic_extra__",
        "__pydantic_fields_set__",
        "__pydantic_private__",
    )

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({fields})"


_RECORDS: dict[str, type[Record]] = {}


def record_class(name: str) -> type[Record]:
    """The one record class standing for model ``name`` (shared by both validators, so
    an entry validated alone passes as it is inside a catalog)."""
    found = _RECORDS.get(name)
    if found is None:
        found = _RECORDS[name] = type(name, (Record,), {"__slots__": ()})
    return found


class Validators(NamedTuple):
    catalog: SchemaValidator
    entry: SchemaValidator


_cached: Validators | None = None
_CORE = "pydantic_core._pydantic_core"


def core() -> Any:
    """pydantic-core's compiled module: ``SchemaValidator``, ``SchemaError``,
    ``ValidationError`` and ``__version__`` (the package re-exports these same objects).

    Loaded by itself when it can be: the package's ``__init__`` also imports its schema
    type declarations (``core_schema``, typing_extensions, inspect), about three quarters
    of its import time, and a stored schema needs none of them. A later ``import
    pydantic_core`` (pydantic, or an error path) finds this module already loaded and
    uses it. Anything unexpected falls back to the package's own import."""
    found = sys.modules.get(_CORE)
    if found is None:
        found = _load_alone()
    if found is None:
        from importlib import import_module

        found = import_module(_CORE)  # the package first, as any import of it
    return found


def _load_alone() -> Any:
    from importlib.machinery import EXTENSION_SUFFIXES, ExtensionFileLoader, ModuleSpec, PathFinder

    if "pydantic_core" in sys.modules:
        return None  # imported already: its own compiled module is the one to use
    package = PathFinder.find_spec("pydantic_core")  # finds the folder, imports nothing
    if package is None:
        return None
    for folder in package.submodule_search_locations or ():
        for suffix in EXTENSION_SUFFIXES:
            path = os.path.join(folder, "_pydantic_core" + suffix)
            if not os.path.isfile(path):
                continue
            loader = ExtensionFileLoader(_CORE, path)
            spec = ModuleSpec(_CORE, loader, origin=path)
            try:
                module = loader.create_module(spec)
                loader.exec_module(module)
            except ImportError:
                return None
            sys.modules[_CORE] = module
            return module
    return None


def validators() -> Validators:
    """The catalog's and an entry's validators, from the stored form when it is current."""
    global _cached
    if _cached is None:
        _cached = _load()
    return _cached


def validate_catalog(data: Any) -> Any:
    """A catalog file's data as records; raises ``pydantic_core.ValidationError``."""
    return validators().catalog.validate_python(data)


def validate_entry(data: Any) -> Any:
    """One entry's data as a record; raises ``pydantic_core.ValidationError``."""
    return validators().entry.validate_python(data)


def stored_path() -> Path:
    from canon_cli.paths import cache_dir

    return cache_dir() / "validator.json"


def source_key() -> str:
    """What the stored form must have been made from: this canon, this pydantic-core
    and the size and time of each source file."""
    from canon_cli import __version__

    root = Path(__file__).resolve().parent.parent
    parts = [FORMAT, __version__, core().__version__]
    for name in _SOURCES:
        try:
            st = os.stat(root / name)
            parts.append(f"{name} {st.st_size} {st.st_mtime_ns}")
        except OSError:
            parts.append(f"{name} missing")
    return "\n".join(parts)


def _load() -> Validators:
    key = source_key()
    path = stored_path()
    found = _from_stored(path, key)
    if found is not None:
        return found
    # not sorted: the order of a model's fields is the order its problems are reported in
    text = json.dumps({"key": key, "schemas": made_by_pydantic()})
    made = _build(_revived(text)["schemas"])
    _store(path, text.encode())
    return made


def _from_stored(path: Path, key: str) -> Validators | None:
    from canon_cli.fileio import read_regular

    SchemaError = core().SchemaError

    try:
        stored = _revived(read_regular(path, MAX_BYTES))
        if stored.get("key") != key:
            return None
        return _build(stored["schemas"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError, SchemaError):
        return None


def _build(schemas: Any) -> Validators:
    make = core().SchemaValidator
    return Validators(make(schemas["catalog"]), make(schemas["entry"]))


def _store(path: Path, data: bytes) -> None:
    """Keep the stored form for the next rebuild; a cache that cannot be written costs
    only the speed of the next one."""
    from canon_cli.errors import CanonIOError
    from canon_cli.fileio import atomic_write_bytes

    with contextlib.suppress(OSError, CanonIOError):  # a FIFO there is refused, not replaced
        atomic_write_bytes(path, data, new_file_mode=0o644, durable=False)


def made_by_pydantic() -> dict[str, Any]:
    """The core schemas pydantic makes of ``CatalogModel`` and ``EntryModel``, in stored
    form: plain data, with each model class and each function of ``rules.py`` named."""
    from canon_cli.catalog.schema import CatalogModel, EntryModel

    return {
        "catalog": _named(CatalogModel.__pydantic_core_schema__),
        "entry": _named(EntryModel.__pydantic_core_schema__),
    }


def _named(node: Any) -> Any:
    from canon_cli.catalog.rules import CHECKS

    if isinstance(node, dict):
        # metadata is pydantic's own (JSON Schema hooks), not part of validation; a
        # reference ends in the id of its class in this process: dropped, so that the
        # stored form is the same every time it is made
        return {
            k: v.rpartition(":")[0] if k in _REFS and ":" in v else _named(v)
            for k, v in node.items()
            if k != "metadata"
        }
    if isinstance(node, list | tuple):
        return [_named(v) for v in node]
    if node is None or isinstance(node, str | int | float | bool):
        return node
    if isinstance(node, type):
        for name, factory in _FACTORIES.items():
            if node is factory:
                return {"$factory": name}
        if issubclass(node, _pydantic_model()):
            return {"$model": node.__name__}
    for name, check in CHECKS.items():
        if node is check:
            return {"$check": name}
    raise TypeError(f"canon bug: the catalog schema holds {node!r}, which cannot be stored")


def _pydantic_model() -> type:
    from pydantic import BaseModel

    return BaseModel


def _hook(obj: dict[str, Any]) -> Any:
    """A named class or function of the stored form, turned back into one (an unknown
    name is a ``KeyError``: a stale or foreign file)."""
    from canon_cli.catalog.rules import CHECKS

    if len(obj) == 1:
        if "$model" in obj:
            return record_class(str(obj["$model"]))
        if "$check" in obj:
            return CHECKS[obj["$check"]]
        if "$factory" in obj:
            return _FACTORIES[obj["$factory"]]
    return obj


def _revived(text: str | bytes) -> Any:
    return json.loads(text, object_hook=_hook)
