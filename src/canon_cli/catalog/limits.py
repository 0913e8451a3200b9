"""What a catalog may cost: entries, sections, tags and the length of each text.

The byte cap (``CANON_MAX_YAML_BYTES``) bounds the file; these bound the work a build
does with what is in it. They are checked on the parsed data, before validation, which
is the costly part of a build, so an oversized catalog is refused in the time the parse
takes. Every limit is far above any real reading list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from canon_cli.errors import CatalogError
from canon_cli.fileio import SourceText
from canon_cli.i18n import _
from canon_cli.vocab import CATALOG_MAX_ENTRIES, CATALOG_MAX_SECTIONS, CATALOG_MAX_TAGS, TEXT_MAX

# find_line parses the whole file again for positions: only worth it for a small file.
_LINE_LOOKUP_MAX_CHARS = 1_000_000


def _split_hint() -> str:
    return _(
        "Split it into smaller catalogs and use them one at a time (--catalog FILE or "
        "CANON_CATALOG), or list fewer extra catalogs in the config."
    )


def _top_line(text: SourceText, key: str) -> int | None:
    """The line of a top-level block key (``entries:``), found without a second parse."""
    match = re.search(rb"^" + re.escape(key.encode()) + rb"\s*:", text.raw, re.MULTILINE)
    return None if match is None else text.raw.count(b"\n", 0, match.start()) + 1


def _count_sections(sections: Any, depth: int = 0) -> int:
    if not isinstance(sections, list) or depth > 64:  # the YAML reader caps depth at 32
        return 0
    total = len(sections)
    for section in sections:
        if isinstance(section, dict):
            total += _count_sections(section.get("sections"), depth + 1)
    return total


def _over_count(what: str, count: int, limit: int, before: int) -> str:
    if before:
        return _(
            "{count} {what} with the catalogs read before it, over the limit of {limit} "
            "canon reads at once"
        ).format(count=f"{count + before:,}", what=what, limit=f"{limit:,}")
    return _("{count} {what}, over the limit of {limit} canon reads at once").format(
        count=f"{count:,}", what=what, limit=f"{limit:,}"
    )


def _check_counts(
    data: dict[str, Any], text: SourceText, path: Path, before: tuple[int, int]
) -> None:
    counted = (
        ("entries", _("entries"), CATALOG_MAX_ENTRIES, before[0]),
        ("sections", _("sections"), CATALOG_MAX_SECTIONS, before[1]),
    )
    for key, what, limit, earlier in counted:
        node = data.get(key)
        if not isinstance(node, list):
            continue  # not a list: validation says what is wrong
        count = _count_sections(node) if key == "sections" else len(node)
        if count + earlier > limit:
            raise CatalogError(
                _over_count(what, count, limit, earlier),
                path=str(path),
                line=_top_line(text, key),
                hint=_split_hint(),
            )
    tags = data.get("tags")
    if isinstance(tags, dict) and len(tags) > CATALOG_MAX_TAGS:
        raise CatalogError(
            _over_count(_("tags"), len(tags), CATALOG_MAX_TAGS, 0),
            path=str(path),
            line=_top_line(text, "tags"),
            hint=_("A tag vocabulary is a few dozen words; check what {path} is.").format(
                path=path
            ),
        )


Where = tuple[str | int, ...]  # keys from the top: ("entries", 3, "summary", "en")


def _strings(node: Any, where: Where) -> Iterator[tuple[Where, str]]:
    """Every string in the data (keys too), with where it is; iterative, so no depth
    reaches Python's recursion limit."""
    stack: list[tuple[Any, Where]] = [(node, where)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, str):
            yield at, item
        elif isinstance(item, dict):
            for key, value in item.items():
                if isinstance(key, str):
                    yield at, key
                stack.append((value, (*at, str(key))))
        elif isinstance(item, list):
            stack.extend((value, (*at, i)) for i, value in enumerate(item))


def _where(data: dict[str, Any], at: Where) -> str:
    """'entry 'bert', summary, en' for ("entries", 3, "summary", "en")."""
    words: list[str] = []
    node: Any = data
    for i, key in enumerate(at):
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(key, int) and i > 0 and at[i - 1] in ("entries", "sections"):
            ident = node.get("id") or node.get("slug") if isinstance(node, dict) else None
            noun = _("entry") if at[i - 1] == "entries" else _("section")
            words[-1] = f"{noun} {ident!r}" if isinstance(ident, str) else f"{noun} #{key + 1}"
        else:
            words.append(str(key))
    return ", ".join(words) or _("the catalog")


def longest_string(node: Any) -> int:
    """The length of the longest string in the data (keys too): the cheap walk that
    every build makes; where that string is is looked up only when it is too long."""
    longest = 0
    stack = [node]
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is str:
            if len(item) > longest:
                longest = len(item)
        elif kind is dict:
            for key, value in item.items():
                if type(key) is str and len(key) > longest:
                    longest = len(key)
                push(value)
        elif kind is list:
            extend(item)
    return longest


def _check_text_lengths(data: dict[str, Any], text: SourceText, path: Path) -> None:
    from canon_cli.yamlio import find_line

    if longest_string(data) <= TEXT_MAX:
        return
    for at, value in _strings(data, ()):
        if len(value) > TEXT_MAX:
            line = find_line(text, at) if len(text) <= _LINE_LOOKUP_MAX_CHARS else None
            raise CatalogError(
                _("{where}: a text of {length} characters, over the limit of {limit}").format(
                    where=_where(data, at), length=f"{len(value):,}", limit=f"{TEXT_MAX:,}"
                ),
                path=str(path),
                line=line,
                hint=_(
                    "A summary or note is a paragraph or two; link to longer text instead "
                    "of copying it in."
                ),
            )


def check_catalog_cost(
    data: dict[str, Any], text: SourceText, path: Path, before: tuple[int, int] = (0, 0)
) -> None:
    """Refuse a parsed catalog that would cost more than canon reads at once: too many
    entries or sections (``before`` counts those of the catalogs merged before it), too
    many tags, or a text longer than ``TEXT_MAX`` anywhere. Raises ``CatalogError``."""
    _check_counts(data, text, path, before)
    _check_text_lengths(data, text, path)
