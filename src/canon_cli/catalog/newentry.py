"""A new entry for the user's catalog (``canon add``): what was given, every check it
must pass, and the entry as it will be written.

The checks run against the whole merged catalog before anything is written: a free id
(made from the title when none is given), a safe link, known section, tags and kind, a
year in range, and the catalog schema's own limits. The first problem is one
``UsageError`` saying what to change.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from canon_cli.catalog.store import Catalog
from canon_cli.catalog.urls import url_problem
from canon_cli.errors import UsageError, unknown_choice
from canon_cli.i18n import _
from canon_cli.vocab import ID_TARGET_LENGTH, KINDS, SLUG_MAX, SLUG_PATTERN, YEAR_MAX, YEAR_MIN

SLUG = re.compile(SLUG_PATTERN)
MAX_ID_LENGTH = ID_TARGET_LENGTH  # ids a table can show and a person can type
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
    from pydantic_core import ValidationError

    from canon_cli.catalog.validator import validate_entry

    try:
        validate_entry(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise UsageError(f"{where}: {first['msg']}") from None


def default_kind(url: str) -> str:
    """The kind ``canon add`` assumes when none is given: arXiv links are papers."""
    from canon_cli.catalog.urls import arxiv_id

    return "paper" if arxiv_id(url) is not None else "article"
