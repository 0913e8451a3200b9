"""The catalog schema (pydantic): validates a catalog file's plain data.

Imported only when a catalog has to be (re)validated; every other run reads the
snapshot (see ``snapshot.py``), so pydantic stays off the start-up path.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from canon_cli.vocab import KINDS, SLUG_MAX, SLUG_PATTERN, YEAR_MAX, YEAR_MIN


def _known_kind(value: str) -> str:
    if value not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)} (got {value!r})")
    return value


Kind = Annotated[str, AfterValidator(_known_kind)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=1_000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class I18nText(Strict):
    en: Text
    zh: Text | None = None


class Link(Strict):
    label: ShortText
    url: ShortText


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
    year: Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)] | None = None
    authors: list[ShortText] = Field(default_factory=list)
    kind: Kind
    tags: list[Slug] = Field(default_factory=list)
    summary: I18nText
    links: list[Link] = Field(default_factory=list)
    aliases: list[Slug] = Field(default_factory=list)


class CatalogModel(Strict):
    version: Literal[1]
    title: I18nText | None = None
    source: ShortText | None = None
    tags: dict[Slug, ShortText] = Field(default_factory=dict)
    sections: list[SectionModel] = Field(default_factory=list)
    entries: list[EntryModel] = Field(default_factory=list)
