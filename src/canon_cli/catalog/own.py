"""The user's own catalog: the one catalog file canon writes (``canon add`` / ``remove``).

Every check of a new entry (``newentry.py``) runs before anything is written, against
the whole merged catalog, so an invalid ``add`` leaves both the file and the config as
they were. The file is edited as a round-trip YAML document: the user's comments, order
and layout survive, and only the entry added (or removed) changes.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from canon_cli.catalog.newentry import NewEntry, check_new_entry
from canon_cli.catalog.store import Catalog
from canon_cli.errors import CatalogError, UsageError
from canon_cli.yamlio import guess_indent

NEW_CATALOG = (
    "# Your own additions to the AI Canon, kept by 'canon add' and 'canon remove'.\n"
    "# Safe to edit by hand; canon keeps your comments. The format is described in\n"
    "# catalog-format.md, shipped with canon ('canon paths' shows where).\n"
    "version: 1\n"
    "entries:\n"
)


def _same_file(a: str | Path, b: str | Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def _yaml(indent: tuple[int, int, int]) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    mapping, sequence, offset = indent
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


@dataclass
class UserCatalog:
    """The user's catalog file as a round-trip document."""

    path: Path
    text: str
    doc: Any

    def entries(self) -> list[Any]:
        entries = self.doc.get("entries")
        return list(entries) if isinstance(entries, list) else []

    def ids(self) -> dict[str, str]:
        return {
            str(e.get("id")): str(e.get("title", ""))
            for e in self.entries()
            if isinstance(e, dict) and e.get("id") is not None
        }

    def dump(self) -> bytes:
        stream = io.StringIO()
        _yaml(guess_indent(self.text)).dump(self.doc, stream)
        return stream.getvalue().encode("utf-8")


def read_user_catalog(path: Path) -> UserCatalog:
    """The user's catalog (a new one when the file does not exist yet); a file that is
    not a valid catalog is refused, naming the file and line, and never rewritten."""
    from canon_cli.catalog.load import parse_catalog_file

    text = parse_catalog_file(path)[1].text if path.exists() else NEW_CATALOG
    doc = _yaml(guess_indent(text)).load(text)
    return UserCatalog(path, text, doc)


def _entry_node(data: dict[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node = CommentedMap()
    for key, value in data.items():
        if isinstance(value, list):
            seq = CommentedSeq(value)
            seq.fa.set_flow_style()
            node[key] = seq
        elif isinstance(value, dict):
            node[key] = CommentedMap(value)
        else:
            node[key] = value
    return node


# ruamel keeps the comment lines that follow a block on the deepest last value inside
# it. Appending or deleting an entry would carry them along (an end-of-file comment
# would end up above the new entry), so they are moved to where they belong.


def _trailing_slot(node: Any) -> tuple[Any, Any, int] | None:
    """(container, key, comment index) of the deepest last value in ``node``."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    while True:
        if isinstance(node, CommentedMap) and len(node):
            key: Any = list(node.keys())[-1]
        elif isinstance(node, CommentedSeq) and len(node):
            key = len(node) - 1
        else:
            return None
        child = node[key]
        if (
            isinstance(child, CommentedMap | CommentedSeq)
            and len(child)
            and child.fa.flow_style() is not True
        ):
            node = child
            continue
        return node, key, 2 if isinstance(node, CommentedMap) else 0


def _take_trailing(node: Any) -> str:
    """Remove and return the whole-line comments after ``node`` (its end-of-line
    comment stays)."""
    slot = _trailing_slot(node)
    if slot is None:
        return ""
    container, key, index = slot
    entry = container.ca.items.get(key)
    token = entry[index] if entry is not None and len(entry) > index else None
    if token is None or not isinstance(token.value, str):
        return ""
    head, newline, rest = token.value.partition("\n")
    if "#" not in rest:
        return ""
    token.value = head + newline
    return rest


def _put_trailing(node: Any, text: str) -> bool:
    """Place comment lines (as taken by ``_take_trailing``) right after ``node``."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    slot = _trailing_slot(node)
    if slot is None or not text:
        return False
    container, key, index = slot
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    while len(entry) <= index:
        entry.append(None)
    token = entry[index]
    if token is None:
        entry[index] = CommentToken("\n" + text, CommentMark(0))
    else:
        token.value = token.value + text
    return True


def _put_before_first(doc: Any, text: str) -> None:
    """Place comment lines above the first entry (where they were, above the second)."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    seq = doc["entries"]
    tokens = [
        CommentToken(line.lstrip(" ") + "\n", CommentMark(len(line) - len(line.lstrip(" "))))
        for line in text.splitlines()
        if line.strip()
    ]
    if seq.ca.comment is None:
        seq.ca.comment = [None, tokens]
    elif seq.ca.comment[1] is None:
        seq.ca.comment[1] = tokens
    else:
        seq.ca.comment[1].extend(tokens)


def _validated(user: UserCatalog, data: bytes) -> bytes:
    """``data`` if it reads back as a valid catalog; anything else is a bug in canon."""
    from pydantic_core import ValidationError

    from canon_cli.catalog.validator import validate_catalog
    from canon_cli.yamlio import load_yaml

    try:
        validate_catalog(load_yaml(data.decode("utf-8"), str(user.path), CatalogError))
    except (CatalogError, ValidationError) as exc:
        raise RuntimeError(f"canon bug: the new {user.path} would not be valid: {exc}") from None
    return data


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    from canon_cli.locks import exclusive_lock

    with exclusive_lock(path.with_name(path.name + ".lock")):
        yield


def add_entry(catalog: Catalog, path: Path, new: NewEntry) -> dict[str, Any]:
    """Append a checked entry to the user's catalog at ``path`` (created on first use);
    return the entry as written. Nothing is written when a check fails."""
    from ruamel.yaml.comments import CommentedSeq

    from canon_cli.fileio import atomic_write_bytes

    with _locked(path):
        user = read_user_catalog(path)
        data = check_new_entry(catalog, new, user.ids(), path)
        entries = user.doc.get("entries")
        if not isinstance(entries, CommentedSeq):
            entries = CommentedSeq()
            user.doc["entries"] = entries
        trailing = _take_trailing(entries[-1]) if len(entries) else ""
        entries.append(_entry_node(data))
        _put_trailing(entries[-1], trailing)
        atomic_write_bytes(path, _validated(user, user.dump()), new_file_mode=0o644)
    return data


def remove_entry(catalog: Catalog, path: Path, entry_id: str) -> str:
    """Remove one of the user's own entries by its exact id; return its title.

    An entry from the built-in catalog (or another extra catalog) is refused: canon
    never writes those files.
    """
    from canon_cli.fileio import atomic_write_bytes

    wanted = entry_id.strip()
    with _locked(path):
        user = read_user_catalog(path) if path.exists() else None
        entries = user.entries() if user is not None else []
        index = next(
            (i for i, e in enumerate(entries) if isinstance(e, dict) and e.get("id") == wanted),
            None,
        )
        if user is None or index is None:
            raise _not_removable(catalog, wanted, path)
        title = str(entries[index].get("title", ""))
        seq = user.doc["entries"]
        trailing = _take_trailing(seq[index])
        del seq[index]
        if trailing and index > 0:
            _put_trailing(seq[index - 1], trailing)
        elif trailing and len(seq):
            _put_before_first(user.doc, trailing)
        atomic_write_bytes(path, _validated(user, user.dump()), new_file_mode=0o644)
    return title


def _not_removable(catalog: Catalog, entry_id: str, path: Path) -> UsageError:
    from canon_cli.catalog.query import resolve_entry
    from canon_cli.paths import builtin_catalog_path

    found = catalog.get(entry_id)
    if found is not None:
        where = (
            "the built-in catalog"
            if _same_file(found.source, builtin_catalog_path())
            else f"the catalog {found.source}"
        )
        return UsageError(
            f"{entry_id!r} is in {where}, not in your own catalog ({path}); "
            "canon only removes entries added with 'canon add'",
            hint=f"To set it aside instead, mark it skipped: canon skip {entry_id}",
        )
    try:
        meant = resolve_entry(catalog, entry_id)
    except UsageError as exc:
        return UsageError(f"no entry has the id {entry_id!r}", hint=exc.hint)
    return UsageError(
        f"no entry has the id {entry_id!r}",
        hint=f"Did you mean {meant.id}? 'canon remove' needs the exact id.",
    )
