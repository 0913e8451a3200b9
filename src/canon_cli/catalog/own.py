"""The user's own catalog: the one catalog file canon writes (``canon add`` / ``remove``).

Every check runs before anything is written, against the whole merged catalog, so an
invalid ``add`` leaves both the file and the config as they were. The file is edited as
a round-trip YAML document: the user's comments, order and layout survive, and only
the entry added (or removed) changes.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from canon_cli.catalog.store import Catalog
from canon_cli.catalog.urls import url_problem
from canon_cli.errors import CatalogError, UsageError, unknown_choice
from canon_cli.i18n import _
from canon_cli.vocab import ID_TARGET_LENGTH, KINDS, SLUG_MAX, SLUG_PATTERN, YEAR_MAX, YEAR_MIN
from canon_cli.yamlio import guess_indent

SLUG = re.compile(SLUG_PATTERN)
MAX_ID_LENGTH = ID_TARGET_LENGTH  # ids a table can show and a person can type
NEW_CATALOG = (
    "# Your own additions to the AI Canon, kept by 'canon add' and 'canon remove'.\n"
    "# Safe to edit by hand; canon keeps your comments. The format is described in\n"
    "# catalog-format.md, shipped with canon ('canon paths' shows where).\n"
    "version: 1\n"
    "entries:\n"
)
DEFAULT_SUMMARY = "No summary yet."
_APOSTROPHES = re.compile(r"['’ʼ`]")


@dataclass(frozen=True)
class NewEntry:
    """What ``canon add`` was given, before it is checked."""

    url: str
    title: str
    section: str
    year: int | None = None
    kind: str = "article"
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    summary: str | None = None
    summary_zh: str | None = None
    title_zh: str | None = None
    entry_id: str | None = None


def slugify(title: str) -> str:
    """An id in the style of the built-in ones: lowercase ASCII words joined by '-'.

    As in the built-in catalog, a title of the form ``Name: subtitle`` gives the name
    alone (``LoRA: Low-rank adaptation ...`` -> ``lora``). Apostrophes are dropped
    (``Let's build`` -> ``lets-build``), accents are folded (``Ré`` -> ``re``), other
    characters separate words; a long title is cut at a word boundary. Returns "" when
    the title has no ASCII letters or digits.
    """
    name = title.split(":", 1)[0]
    if ":" in title and _slug_words(name):
        title = name
    words = _slug_words(title)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_ID_LENGTH:
            break
        slug = candidate
    return slug or ("-".join(words)[:MAX_ID_LENGTH].strip("-") if words else "")


def _slug_words(title: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", title))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.findall(r"[a-z0-9]+", ascii_text)


def _same_file(a: str | Path, b: str | Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def _clash(catalog: Catalog, own_ids: dict[str, str], entry_id: str, own_path: Path) -> str | None:
    """Why ``entry_id`` cannot be used, or None when it is free everywhere."""
    found = catalog.get(entry_id)
    if found is not None:
        return f"{found.title!r} in {found.source}"
    target = catalog.alias_target(entry_id)
    if target is not None:
        owner = catalog.get(target)
        where = owner.source if owner is not None else "the catalog"
        return f"an alias of {target!r} in {where}"
    if entry_id in own_ids:
        return f"{own_ids[entry_id]!r} in {own_path}"
    return None


def check_new_entry(
    catalog: Catalog, new: NewEntry, own_ids: dict[str, str], own_path: Path
) -> dict[str, Any]:
    """The entry as it will be written, after every check; raises UsageError naming
    the first problem. ``own_ids`` (id -> title) are the entries already in the user's
    file, which the merged catalog lacks when the file is not in the config."""
    title = new.title.strip()
    if not title:
        raise UsageError(_("the title is empty"), hint=_('Give one with --title "..."'))
    url = new.url.strip()
    problem = url_problem(url)
    if problem is not None:
        raise UsageError(
            _("the URL {problem}").format(problem=problem),
            hint=_("Give a plain http:// or https:// link."),
        )
    _check_choices(catalog, new)
    entry_id = _new_id(new, title)
    clash = _clash(catalog, own_ids, entry_id, own_path)
    if clash is not None:
        raise UsageError(
            _("the id {id!r} is already used by {clash}").format(id=entry_id, clash=clash),
            hint=_("Choose another id with --id."),
        )
    return _entry_data(new, entry_id, title, url)


def _check_choices(catalog: Catalog, new: NewEntry) -> None:
    """Section, tags and kind from the vocabularies; the year in range."""
    if new.section not in catalog.section_by_slug:
        raise unknown_choice("section", new.section, list(catalog.section_by_slug))
    for tag in new.tags:
        if tag not in catalog.tags:
            raise unknown_choice("tag", tag, list(catalog.tags))
    if new.kind not in KINDS:
        raise unknown_choice("kind", new.kind, list(KINDS))
    if new.year is not None and not YEAR_MIN <= new.year <= YEAR_MAX:
        raise UsageError(
            _("year {year} is out of range ({low}..{high})").format(
                year=new.year, low=YEAR_MIN, high=YEAR_MAX
            )
        )


def _new_id(new: NewEntry, title: str) -> str:
    """``--id`` checked against the slug rule, or an id made from the title."""
    if new.entry_id is not None:
        entry_id = new.entry_id.strip()
        if not SLUG.fullmatch(entry_id) or len(entry_id) > SLUG_MAX:
            raise UsageError(
                _("invalid id {id!r}").format(id=entry_id),
                hint=_("An id is lowercase ASCII words joined by '-', e.g. my-paper-2024."),
            )
        return entry_id
    entry_id = slugify(title)
    if not entry_id:
        raise UsageError(
            _("cannot make an id from the title {title!r} (no ASCII letters or digits)").format(
                title=title
            ),
            hint=_("Choose one with --id, e.g. --id my-paper."),
        )
    return entry_id


def _entry_data(new: NewEntry, entry_id: str, title: str, url: str) -> dict[str, Any]:
    """The entry as written to the file, in the catalog's field order; schema-checked."""
    data: dict[str, Any] = {"id": entry_id, "title": title}
    if new.title_zh and new.title_zh.strip():
        data["title_zh"] = new.title_zh.strip()
    data["url"] = url
    data["section"] = new.section
    if new.year is not None:
        data["year"] = new.year
    authors = [a.strip() for a in new.authors if a.strip()]
    if authors:
        data["authors"] = authors
    data["kind"] = new.kind
    if new.tags:
        data["tags"] = list(dict.fromkeys(new.tags))
    summary = {"en": (new.summary or "").strip() or DEFAULT_SUMMARY}
    if new.summary_zh and new.summary_zh.strip():
        summary["zh"] = new.summary_zh.strip()
    data["summary"] = summary
    _check_schema(data)
    return data


def _check_schema(data: dict[str, Any]) -> None:
    """The catalog schema's own limits (text lengths and the like), as a usage error."""
    from pydantic import ValidationError

    from canon_cli.catalog.schema import EntryModel

    try:
        EntryModel.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise UsageError(f"{where}: {first['msg']}") from None


# --- the file ---------------------------------------------------------------


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
    from pydantic import ValidationError

    from canon_cli.catalog.schema import CatalogModel
    from canon_cli.yamlio import load_yaml

    try:
        CatalogModel.model_validate(load_yaml(data.decode("utf-8"), str(user.path), CatalogError))
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


def default_kind(url: str) -> str:
    """The kind ``canon add`` assumes when none is given: arXiv links are papers."""
    from canon_cli.catalog.urls import arxiv_id

    return "paper" if arxiv_id(url) is not None else "article"
