"""The catalog schema (pydantic): what a catalog file's plain data may be.

These models are the contract. Catalogs are checked by the validator pydantic builds
from them, kept in a stored form by ``validator.py`` so that a run that rebuilds the
snapshot need not import pydantic; this module is imported when that form is missing
or stale. The models' own checks are plain functions in ``rules.py``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from canon_cli.catalog.rules import (
    english_only,
    known_kind,
    known_venue_type,
)
from canon_cli.vocab import (
    ARXIV_PATTERN,
    DOI_PATTERN,
    MINUTES_MAX,
    SHORT_TEXT_MAX,
    SLUG_MAX,
    SLUG_PATTERN,
    TEXT_MAX,
    YEAR_MAX,
    YEAR_MIN,
)

Kind = Annotated[str, AfterValidator(known_kind)]
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=TEXT_MAX)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=SHORT_TEXT_MAX)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class I18nText(Strict):
    en: Text
    zh: Text | None = None


class TagText(Strict):
    """A tag's description in both languages (a plain string is the English one)."""

    en: ShortText
    zh: ShortText | None = None


class Link(Strict):
    label: ShortText
    url: ShortText


class Venue(Strict):
    """Where a paper was published; ``type`` picks @inproceedings or @article in BibTeX."""

    type: Annotated[str, AfterValidator(known_venue_type)]
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
    tags: dict[Slug, Annotated[TagText, BeforeValidator(english_only)]] = Field(
        default_factory=dict
    )
    sections: list[SectionModel] = Field(default_factory=list)
    entries: list[EntryModel] = Field(default_factory=list)
