"""Commands on the user's own catalog: add and remove."""

from __future__ import annotations

from typing import Annotated

import typer

from canon_cli import paths
from canon_cli.cli.helptext import command_help
from canon_cli.cli.options import argument, option
from canon_cli.cli.session import Session
from canon_cli.i18n import N_, _
from canon_cli.output import streams

app = typer.Typer()


@app.command(
    help=command_help(
        N_("Add an entry to your own catalog, merged after the built-in one."),
        N_(
            "Everything is checked first (link, section, tags, kind, a free id), so a refused add "
            "writes nothing. Prints the new id."
        ),
        example=(
            'canon add https://arxiv.org/abs/2305.10601 --title "Tree of thoughts" '
            '--section agents --year 2023 --tag reasoning --author "Shunyu Yao"'
        ),
    )
)
def add(
    ctx: typer.Context,
    url: Annotated[str, argument("add", "url")],
    title: Annotated[str, option("add", "title")],
    section: Annotated[str, option("add", "section")],
    year: Annotated[int | None, option("add", "year")] = None,
    kind: Annotated[str | None, option("add", "kind")] = None,
    tag: Annotated[list[str] | None, option("add", "tag")] = None,
    author: Annotated[list[str] | None, option("add", "author")] = None,
    summary: Annotated[str | None, option("add", "summary")] = None,
    summary_zh: Annotated[str | None, option("add", "summary_zh")] = None,
    title_zh: Annotated[str | None, option("add", "title_zh")] = None,
    entry_id: Annotated[str | None, option("add", "entry_id")] = None,
) -> None:
    from canon_cli.catalog.newentry import NewEntry, default_kind
    from canon_cli.catalog.own import add_entry
    from canon_cli.config import add_catalog, stored_path

    session: Session = ctx.obj
    new = NewEntry(
        url=url,
        title=title,
        section=section,
        year=year,
        kind=kind or default_kind(url),
        tags=tuple(tag or ()),
        authors=tuple(author or ()),
        summary=summary,
        summary_zh=summary_zh,
        title_zh=title_zh,
        entry_id=entry_id,
    )
    target = paths.user_catalog_path()
    data = add_entry(session.catalog(), target, new)
    listed = add_catalog(paths.config_path(), stored_path(target, paths.config_path()))[1]
    streams.note(
        _("Added {title!r} as {id} to {path}").format(
            title=data["title"], id=data["id"], path=target
        )
    )
    if listed:
        streams.note(
            _("Your catalog is now merged after the built-in one ({path}).").format(
                path=paths.config_path()
            )
        )
    streams.out(data["id"])


@app.command(
    help=command_help(
        N_("Remove an entry you added with 'canon add' (built-in entries are never removed)."),
        N_("Your reading progress for it is kept in the state file."),
        example="canon remove tree-of-thoughts",
    )
)
def remove(
    ctx: typer.Context,
    entry_id: Annotated[str, argument("remove", "entry_id")],
) -> None:
    from canon_cli.catalog.own import remove_entry

    session: Session = ctx.obj
    target = paths.user_catalog_path()
    title = remove_entry(session.catalog(), target, entry_id)
    streams.note(
        _("Removed {title!r} ({id}) from {path}").format(title=title, id=entry_id, path=target)
    )
    streams.out(entry_id.strip())
