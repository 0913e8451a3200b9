"""canon's own words in the user's language: gettext, with catalogs shipped in the package.

``_`` marks a message for translation and returns it in the chosen language. The
language is chosen once per run (``set_language``), from ``--lang``, ``CANON_LANG``,
the ``language`` setting or the locale; until then, and for English, ``_`` returns
the message unchanged. Message catalogs live in ``canon_cli/locale``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "canon"


class _Translations(Protocol):
    def gettext(self, message: str, /) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


_active: _Translations | None = None


def set_language(lang: str) -> None:
    """Use ``lang``'s catalog for canon's own messages from now on (English: none)."""
    global _active
    if lang == "en":
        _active = None
        return
    import gettext

    _active = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    return message if _active is None else _active.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if _active is None:
        return singular if n == 1 else plural
    return _active.ngettext(singular, plural, n)
