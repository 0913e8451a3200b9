"""What the browse app draws: plain, frozen records, already sanitised by ``data.py``.

The widgets and the app see canon only as these records (and ``data.Library``, which
makes them), so the catalog and the state can change behind that one adapter. Nothing
here imports canon's internals or Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from canon_cli.reading.opener import NumberedLink


class BrowseError(Exception):
    """Something canon refused or could not do, as one message for the status line."""


@dataclass(frozen=True)
class SectionRow:
    """One node of the section tree with its progress (done or skipped, of all below it)."""

    slug: str
    name: str
    depth: int  # 0 for a top-level section
    done: int
    total: int


@dataclass(frozen=True)
class Overview:
    """The whole catalog: its title and progress, counted as ``canon progress`` does."""

    title: str
    done: int
    total: int


@dataclass(frozen=True)
class EntryRow:
    """One line of the entry list."""

    id: str
    title: str
    year: int | None
    kind: str
    minutes: int | None  # the catalog's time estimate, when it has one
    status: str
    refused: bool  # a link of the entry is one canon will not open


@dataclass(frozen=True)
class LinkRow:
    number: int  # as ``canon show`` numbers them: 0 is the main link
    label: str
    url: str


@dataclass(frozen=True)
class NoteRow:
    at: str
    text: str


@dataclass(frozen=True)
class LinkCheck:
    """The last link check of the entry's main link."""

    result: str  # ok, redirected, broken, unreachable
    status: int | None
    final_url: str | None
    checked_at: str
    age: str  # "3 days ago", from the library's clock


@dataclass(frozen=True)
class Details:
    """Everything the details pane shows about one entry."""

    id: str
    title: str
    other_title: str | None  # the title in the other language, when it differs
    section: str  # names from the top level down, "Research › Agents"
    kind: str
    year: int | None
    minutes: int | None
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    summary: str
    links: tuple[LinkRow, ...]
    refused: str | None  # why canon refuses a link of this entry
    status: str
    started: str | None
    finished: str | None
    rating: int | None
    notes: tuple[NoteRow, ...]
    link_check: LinkCheck | None


@dataclass(frozen=True)
class OpenPlan:
    """Links checked and the mark written: what is left is handing them to a browser."""

    entry_id: str
    links: tuple[NumberedLink, ...]
    marked: bool  # the entry was unread and is now marked reading
