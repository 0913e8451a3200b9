"""Dynamic shell completion: entry ids, section slugs, tags, kinds, statuses, settings.

The shell runs canon on every <TAB> (typer's ``_CANON_COMPLETE`` protocol), so these
functions read the cached catalog snapshot (no YAML and no pydantic once it is warm)
and import nothing heavy at module level. They never fail: a broken config or catalog
means no completions, never a traceback in the user's prompt.

Each ``complete_*`` function has typer's ``autocompletion`` signature
``(ctx, incomplete) -> [(value, help)]``; attach one with
``typer.Option(..., autocompletion=complete_section)``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from canon_cli.catalog.store import Catalog

Completions = list[tuple[str, str]]
MAX_ITEMS = 500  # a shell cannot usefully show more; 100,000 ids would only be slow
HELP_WIDTH = 70
_RICH_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def _quiet(
    func: Callable[[typer.Context, str], Completions],
) -> Callable[[typer.Context, str], Completions]:
    @functools.wraps(func)
    def wrapper(ctx: typer.Context, incomplete: str) -> Completions:
        try:
            return func(ctx, incomplete or "")[:MAX_ITEMS]
        except Exception:  # completion must never break the prompt: no values instead
            return []

    return wrapper


def help_text(text: str) -> str:
    """A title or name as completion help: one line, short, and inert for the shells
    (typer passes zsh and fish help through rich markup, so '[...]' is escaped)."""
    from canon_cli.text import clean_line

    line = " ".join(clean_line(text).split())
    if len(line) > HELP_WIDTH:
        line = line[: HELP_WIDTH - 1].rstrip() + "…"
    return _RICH_TAG.sub(r"\1\1\\\2", line)


def _root_param(ctx: Any, name: str) -> Any:
    try:
        return ctx.find_root().params.get(name)
    except AttributeError:
        return None


def _session(ctx: Any) -> Any:
    from canon_cli.cli.session import Session

    catalog = _root_param(ctx, "catalog")  # a str: typer converts it only for the command
    lang = _root_param(ctx, "lang")
    return Session(
        catalog_option=Path(catalog) if isinstance(catalog, str | Path) and catalog else None,
        lang_option=lang if isinstance(lang, str) else None,
    )


def _catalog(ctx: Any) -> Catalog:
    catalog: Catalog = _session(ctx).catalog()
    return catalog


def entry_ids(catalog: Catalog, incomplete: str, source: Path | None = None) -> Completions:
    """Ids starting with ``incomplete`` in reading order, with their titles as help."""
    rows = catalog.ids_starting(incomplete)
    if source is None:
        return [(str(i), help_text(str(t))) for i, t, _ in rows]
    import os

    real = os.path.realpath(source)
    return [(str(i), help_text(str(t))) for i, t, s in rows if os.path.realpath(s) == real]


@_quiet
def complete_entry_id(ctx: typer.Context, incomplete: str) -> Completions:
    """Entry ids (for show, open, start, done, skip, reset, mark, note, rate)."""
    return entry_ids(_catalog(ctx), incomplete)


@_quiet
def complete_user_entry_id(ctx: typer.Context, incomplete: str) -> Completions:
    """Ids of the user's own entries (for ``remove``)."""
    from canon_cli import paths

    return entry_ids(_catalog(ctx), incomplete, paths.user_catalog_path())


def _lang(session: Any) -> str:
    try:
        lang: str = session.lang()
        return lang
    except Exception:  # a bad --lang or config still completes, in English
        return "en"


@_quiet
def complete_section(ctx: typer.Context, incomplete: str) -> Completions:
    session = _session(ctx)
    catalog = session.catalog()
    lang = _lang(session)
    return [
        (s.slug, help_text(s.name(lang))) for s in catalog.sections if s.slug.startswith(incomplete)
    ]


@_quiet
def complete_tag(ctx: typer.Context, incomplete: str) -> Completions:
    session = _session(ctx)
    catalog = session.catalog()
    lang = _lang(session)
    return [
        (slug, help_text(catalog.tag_description(slug, lang)))
        for slug in catalog.tags
        if slug.startswith(incomplete)
    ]


@_quiet
def complete_kind(ctx: typer.Context, incomplete: str) -> Completions:
    """Kinds the catalog has (what ``--kind`` filters accept)."""
    return [(k, "") for k in _catalog(ctx).kinds() if k.startswith(incomplete)]


@_quiet
def complete_any_kind(ctx: typer.Context, incomplete: str) -> Completions:
    """Every kind the catalog format allows (what ``canon add --kind`` accepts)."""
    from canon_cli.vocab import KINDS

    return [(k, "") for k in KINDS if k.startswith(incomplete)]


@_quiet
def complete_status(ctx: typer.Context, incomplete: str) -> Completions:
    from canon_cli.vocab import STATUSES

    return [(s, "") for s in STATUSES if s.startswith(incomplete)]


@_quiet
def complete_setting(ctx: typer.Context, incomplete: str) -> Completions:
    from canon_cli.config import KEYS

    return [(k, help_text(text)) for k, text in KEYS.items() if k.startswith(incomplete)]


@_quiet
def complete_setting_value(ctx: typer.Context, incomplete: str) -> Completions:
    """Values for ``config set KEY``: the fixed choices of the key already typed."""
    from canon_cli.vocab import LANGUAGES

    key = ctx.params.get("key")
    choices: tuple[str, ...] = ()
    if key == "language":
        choices = LANGUAGES
    elif key == "open_marks_reading":
        choices = ("true", "false")
    return [(c, "") for c in choices if c.startswith(incomplete)]
