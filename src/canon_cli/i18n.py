"""canon's own words in the user's language: gettext, with catalogs shipped in the package.

``_`` marks a message for translation and returns it in the chosen language. The
language is chosen once per run (``set_language``), from ``--lang``, ``CANON_LANG``,
the ``language`` setting or the locale; until then, and for English, ``_`` returns
the message unchanged. Message catalogs live in ``canon_cli/locale``.
"""

from __future__ import annotations

import os

# No typing or pathlib at run time: the quick path (canon_cli/quick) reads the language
# rules below, and those two cost a third of its whole answer to import.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Protocol

    class _Translations(Protocol):
        def gettext(self, message: str, /) -> str: ...
        def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


LOCALE_DIR = os.path.join(os.path.dirname(os.path.realpath(__file__)), "locale")
DOMAIN = "canon"


_active: _Translations | None = None
_language = "en"

# The locale variables that choose a language when nothing else does, strongest first
# (POSIX: LC_ALL overrides LC_MESSAGES, which overrides LANG).
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def normalize_language(value: str) -> str | None:
    """The language a user typed, as canon names it: ``zh`` for ``zh``, ``ZH``,
    ``zh-CN``, ``zh_CN``, ``zh-Hans``, ``zh_CN.UTF-8``...; ``en`` likewise; else None."""
    base = value.strip().replace("_", "-").split(".", 1)[0].split("-", 1)[0].casefold()
    return base if base in ("en", "zh") else None


def locale_language(environ: Mapping[str, str]) -> str:
    """The language of the user's locale: ``zh`` for a Chinese locale, else ``en``.

    The first of LC_ALL, LC_MESSAGES and LANG that is set decides, as for every
    program that follows the locale.
    """
    for name in LOCALE_VARIABLES:
        value = environ.get(name)
        if value:
            return "zh" if normalize_language(value) == "zh" else "en"
    return "en"


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet (e.g. help text
    declared at import time, translated when it is shown)."""
    return message


def language() -> str:
    """The language of canon's own messages in this run."""
    return _language


def set_language(lang: str) -> None:
    """Use ``lang``'s catalog for canon's own messages from now on (English: none)."""
    global _active, _language
    _language = lang
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
