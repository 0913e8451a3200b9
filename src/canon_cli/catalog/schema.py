"""The catalog schema (pydantic): validates a catalog file's plain data.

Imported only when a catalog has to be (re)validated; every other run reads the
snapshot (see ``snapshot.py``), so pydantic stays off the start-up path.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from canon_cli.i18n import _
from canon_cli.vocab import (
    ARXIV_PATTERN,
    DOI_PATTERN,
    KINDS,
    MINUTES_MAX,
    SHORT_TEXT_MAX,
    SLUG_MAX,
    SLUG_PATTERN,
    TEXT_MAX,
    VENUE_TYPES,
    YEAR_MAX,
    YEAR_MIN,
)

# The newest catalog format this canon reads; every older one still loads.
CATALOG_VERSION = 2
# Entry fields a version 1 file may not use.
VERSION_2_FIELDS = ("note", "arxiv", "doi", "venue", "minutes", "archive")


def _known_kind(value: str) -> str:
    if value not in KINDS:
        raise ValueError(
            _("kind must be one of {kinds} (got {value!r})").format(
                kinds=", ".join(KINDS), value=value
            )
        )
    return value


def _known_venue_type(value: str) -> str:
    if value not in VENUE_TYPES:
        raise ValueError(
            _("venue type must be one of {types} (got {value!r})").format(
                types=", ".join(VENUE_TYPES), value=value
            )
        )
    return value


Kind = Annotated[str, AfterValidator(_known_kind)]
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=TEXT_MAX)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=SHORT_TEXT_MAX)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class I18nText(Strict):
    en: Text
    zh: Text | None = None


def _english_only(value: Any) -> Any:
    """A plain string is a description in English."""
    return {"en": value} if isinstance(value, str) else value


class TagText(Strict):
    """A tag's description in both languages (a plain string is the English one)."""

    en: ShortText
    zh: ShortText | None = None


class Link(Strict):
    label: ShortText
    url: ShortText


class Venue(Strict):
    """Where a paper was published; ``type`` picks @inproceedings or @article in BibTeX."""

    type: Annotated[str, AfterValidator(_known_venue_type)]
    name: ShortText
    year: Year


class SectionModel(Strict):
    slug: Slug
    name: I18nText
    description: I18nText | None = None
    parent: Slug | None = None
    sections: list[SectionModel] = Field(default_factory=list)


class EntryModel(Strict):
    id: Slug
    title: ShortText
    title_zh: ShortText | None = None
    url: ShortText
    section: Slug
    year: Year | None = None
    authors: list[ShortText] = Field(default_factory=list)
    kind: Kind
    tags: list[Slug] = Field(default_factory=list)
    summary: I18nText
    links: list[Link] = Field(default_factory=list)
    aliases: list[Slug] = Field(default_factory=list)
    # version 2
    note: I18nText | None = None
    arxiv: Annotated[str, StringConstraints(pattern=ARXIV_PATTERN)] | None = None
    doi: Annotated[str, StringConstraints(pattern=DOI_PATTERN, max_length=300)] | None = None
    venue: Venue | None = None
    minutes: Annotated[int, Field(ge=1, le=MINUTES_MAX)] | None = None
    archive: ShortText | None = None


class CatalogModel(Strict):
    version: Literal[1, 2]
    title: I18nText | None = None
    source: ShortText | None = None
    tags: dict[Slug, Annotated[TagText, BeforeValidator(_english_only)]] = Field(
        default_factory=dict
    )
    sections: list[SectionModel] = Field(default_factory=list)
    entries: list[EntryModel] = Field(default_factory=list)
