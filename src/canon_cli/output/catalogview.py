"""The catalog views: ``sections`` (the section tree with entry counts), ``tags`` (the
controlled vocabulary with how many entries carry each tag) and ``paths`` (where canon
reads and writes), each as JSON, plain rows or a rich view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from canon_cli.i18n import _
from canon_cli.output import render, streams

if TYPE_CHECKING:
    from canon_cli.catalog.store import Catalog


def show_sections(catalog: Catalog, lang: str, as_json: bool) -> None:
    direct = catalog.section_counts()
    totals = {
        s.slug: sum(direct.get(sub, 0) for sub in catalog.subtree(s.slug)) for s in catalog.sections
    }
    if as_json:
        streams.print_json(
            [
                {
                    "slug": s.slug,
                    "name": s.name(lang),
                    "path": list(s.path),
                    "parent": s.parent,
                    "count": totals[s.slug],
                    "description": s.description(lang),
                }
                for s in catalog.sections
            ]
        )
        return
    if streams.use_rich():
        nodes = [
            (len(s.path) - 1, s.slug, f"{s.name(lang)} ({totals[s.slug]})")
            for s in catalog.sections
        ]
        render.tree(f"{catalog.title or 'Catalog'} ({len(catalog)})", nodes)
        return
    streams.plain_rows(
        ["  " * (len(s.path) - 1) + s.slug, totals[s.slug], s.name(lang)] for s in catalog.sections
    )


def show_paths(found: dict[str, str], extra_catalogs: list[str], as_json: bool) -> None:
    if as_json:
        streams.print_json({**found, "extra_catalogs": extra_catalogs})
        return
    rows = [[key, value] for key, value in found.items()]
    rows += [["extra catalog", path] for path in extra_catalogs]
    streams.plain_rows(rows)


def show_tags(catalog: Catalog, lang: str, as_json: bool) -> None:
    """``tags``: the controlled vocabulary, with how many entries carry each tag."""
    counts = catalog.tag_counts()
    if as_json:
        streams.print_json(
            [
                {
                    "tag": tag,
                    "description": catalog.tags.get(tag, ""),
                    "description_zh": catalog.tags_zh.get(tag),
                    "count": count,
                }
                for tag, count in counts.items()
            ]
        )
        return
    rows = [[tag, str(count), catalog.tag_description(tag, lang)] for tag, count in counts.items()]
    if streams.use_rich():
        render.simple_table([_("Tag"), _("Entries"), _("Description")], rows, ["cyan", "", ""])
        return
    streams.plain_rows(rows)
