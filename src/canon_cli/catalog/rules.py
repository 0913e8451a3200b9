"""The catalog schema's own checks, as plain functions (no pydantic).

``schema.py`` attaches them to its fields; ``validator.py`` finds them here by name
when it rebuilds the schema's validator from its stored form, so a catalog can be
checked without importing pydantic.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from canon_cli.i18n import _
from canon_cli.vocab import KINDS, VENUE_TYPES

# The newest catalog format this canon reads; every older one still loads.
CATALOG_VERSION = 2
# Entry fields a version 1 file may not use.
VERSION_2_FIELDS = ("note", "arxiv", "doi", "venue", "minutes", "archive")


def known_kind(value: str) -> str:
    if value not in KINDS:
        raise ValueError(
            _("kind must be one of {kinds} (got {value!r})").format(
                kinds=", ".join(KINDS), value=value
            )
        )
    return value


def known_venue_type(value: str) -> str:
    if value not in VENUE_TYPES:
        raise ValueError(
            _("venue type must be one of {types} (got {value!r})").format(
                types=", ".join(VENUE_TYPES), value=value
            )
        )
    return value


def english_only(value: Any) -> Any:
    """A plain string is a description in English."""
    return {"en": value} if isinstance(value, str) else value


# Every function the schema calls, by the name its stored form uses.
CHECKS: dict[str, Callable[[Any], Any]] = {
    "known_kind": known_kind,
    "known_venue_type": known_venue_type,
    "english_only": english_only,
}
