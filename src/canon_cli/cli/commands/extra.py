"""Commands beyond the shipped list: search, config, add/remove, export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from canon_cli import paths
from canon_cli.cli.completion import (
    complete_any_kind,
    complete_section,
    complete_setting,
    complete_setting_value,
    complete_tag,
    complete_user_entry_id,
)
from canon_cli.cli.options import JsonOpt, KindOpt, LimitOpt, SectionOpt, StatusOpt, TagOpt, YearOpt
from canon_cli.cli.session import Session
from canon_cli.output import render
from canon_cli.output.export import ExportFormat
from canon_cli.text import clean_line

if TYPE_CHECKING:
    from canon_cli.catalog.query import Hit
    from canon_cli.config import Config

app = typer.Typer()
config_app = typer.Typer()
app.add_typer(config_app, name="config")


# --- search -----------------------------------------------------------------


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(metavar="QUERY...", help="Words that must all match."),
    ],
    section: SectionOpt = None,
    tag: TagOpt = None,
    kind: KindOpt = None,
    year: YearOpt = None,
    status: StatusOpt = None,
    limit: LimitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Search titles, authors, tags and summaries (English and Chinese), best first.

    Every word must match. Title, author and tag matches rank above matches found only
    in a summary; a mistyped word also matches close spellings.

    Example: canon search "retrieval language" --section research -n 5
    """
    from itertools import islice

    from canon_cli.cli.actions import make_filters
    from canon_cli.reading.status import search_entries

    session: Session = ctx.obj
    catalog = session.catalog()
    statuses = session.statuses()
    text = " ".join(query)
    filters = make_filters(section, year, tag, kind, None, status)
    hits = list(islice(search_entries(catalog, text, filters, statuses), limit))
    _show_hits(hits, statuses, session.lang(), as_json)
    if not hits and not as_json:
        render.note(f"No entries match {text!r}.")


def _show_hits(hits: list[Hit], statuses: dict[str, str], lang: str, as_json: bool) -> None:
    from canon_cli.output.views import entry_json
    from canon_cli.reading.status import entry_status

    if as_json:
        render.print_json(
            [
                {
                    **entry_json(h.entry, lang, entry_status(h.entry, statuses)),
                    "match": "title-author-tag" if h.strong else "summary-only",
                }
                for h in hits
            ]
        )
    elif not render.use_rich():
        render.plain_rows(
            [
                h.entry.id,
                h.entry.year or "",
                h.entry.kind,
                entry_status(h.entry, statuses),
                h.entry.section,
                h.entry.title + ("!" if h.entry.url_problem else ""),
            ]
            for h in hits
        )
    elif hits:
        rows = [
            {
                "id": h.entry.id,
                "title": h.entry.title_zh if lang == "zh" and h.entry.title_zh else h.entry.title,
                "year": h.entry.year,
                "kind": h.entry.kind,
                "status": entry_status(h.entry, statuses),
                "problem": h.entry.url_problem,
                "strong": h.strong,
            }
            for h in hits
        ]
        render.hit_table(rows, show_status=bool(statuses))


# --- config -----------------------------------------------------------------

KeyArg = Annotated[
    str, typer.Argument(metavar="KEY", help="A setting's name.", autocompletion=complete_setting)
]
CatalogArg = Annotated[str, typer.Argument(metavar="PATH", help="A catalog file.")]


@config_app.callback(invoke_without_command=True)
def config_show(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show canon's settings, or change them with a subcommand.

    With no subcommand: every setting, its value, and whether it comes from the config
    file (a TOML file, see 'canon paths') or is the default.

    Example: canon config set language zh
    """
    if ctx.invoked_subcommand is not None:
        return
    session: Session = ctx.obj
    _show_config(session.config(), paths.config_path(), as_json)


def _show_config(config: Config, path: Path, as_json: bool) -> None:
    from canon_cli.config import KEYS, format_setting

    values = config.as_dict()
    if as_json:
        render.print_json({"path": str(path), "exists": path.is_file(), "settings": values})
        return
    where = str(path) if path.is_file() else f"{path} (not created yet: defaults apply)"
    if not render.use_rich():
        render.note(f"config file: {where}")
        render.plain_rows([key, format_setting(value)] for key, value in values.items())
        return
    render.out(f"Config file: {clean_line(where)}")
    rows = [
        [
            key,
            format_setting(value),
            "file" if key in config.set_keys else "default",
            KEYS[key],
        ]
        for key, value in values.items()
    ]
    render.simple_table(["Setting", "Value", "From", "Meaning"], rows, ["cyan", "", "dim", ""])


@config_app.command("get")
def config_get(ctx: typer.Context, key: KeyArg, as_json: JsonOpt = False) -> None:
    """Print one setting's value (a list prints one item per line).

    Example: canon config get language
    """
    from canon_cli.config import KEYS, format_setting, unknown_setting

    if key not in KEYS:
        raise unknown_setting(key)
    session: Session = ctx.obj
    value = session.config().as_dict()[key]
    if as_json:
        render.print_json(value)
    elif isinstance(value, list):
        for item in value:
            render.out(clean_line(item))
    else:
        render.out(format_setting(value))


def _catalog_check(session: Session) -> Callable[[Config], None]:
    """Refuse new settings whose catalogs do not load and merge (nothing is written)."""

    def check(config: Config) -> None:
        Session(catalog_option=session.catalog_option, config=config).catalog()

    return check


@config_app.command("set")
def config_set(
    ctx: typer.Context,
    key: KeyArg,
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE",
            help="en/zh, true/false, or comma-separated catalog files.",
            autocompletion=complete_setting_value,
        ),
    ],
) -> None:
    """Change a setting; the value is checked before the file is written.

    Example: canon config set catalogs ~/reading/extra.yaml,more.yaml
    """
    from canon_cli.config import change_settings, format_setting, parse_setting

    session: Session = ctx.obj
    parsed = parse_setting(key, value, Path.cwd())
    check = _catalog_check(session) if key == "catalogs" else None
    change_settings(paths.config_path(), lambda _: {key: parsed}, check)
    render.note(f"{key} = {format_setting(parsed)} (in {paths.config_path()})")


@config_app.command("unset")
def config_unset(ctx: typer.Context, key: KeyArg) -> None:
    """Remove a setting from the file, so its default applies again.

    Example: canon config unset language
    """
    from canon_cli.config import KEYS, Config, change_settings, format_setting, unknown_setting

    if key not in KEYS:
        raise unknown_setting(key)
    session: Session = ctx.obj
    check = _catalog_check(session) if key == "catalogs" else None
    change_settings(
        paths.config_path(), lambda current: {key: None} if key in current else {}, check
    )
    default = format_setting(Config().as_dict()[key]) or "(empty)"
    render.note(f"{key} is back to its default: {default}")


@config_app.command("add-catalog")
def config_add_catalog(ctx: typer.Context, path: CatalogArg) -> None:
    """Merge another catalog file after the built-in one (checked before it is added).

    Example: canon config add-catalog ~/reading/team-list.yaml
    """
    from canon_cli.config import add_catalog, catalog_setting

    session: Session = ctx.obj
    stored = catalog_setting(path, Path.cwd())
    _, added = add_catalog(paths.config_path(), stored, _catalog_check(session))
    render.note(f"Added catalog {stored}" if added else f"{stored} is already listed")


@config_app.command("remove-catalog")
def config_remove_catalog(ctx: typer.Context, path: CatalogArg) -> None:
    """Stop merging a catalog file (the file itself is left alone).

    Example: canon config remove-catalog ~/reading/team-list.yaml
    """
    from canon_cli.config import remove_catalog

    remove_catalog(paths.config_path(), path)
    render.note(f"Removed catalog {path} from the settings")


# --- add / remove -----------------------------------------------------------


@app.command()
def add(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(metavar="URL", help="The http(s) link to the work.")],
    title: Annotated[str, typer.Option("--title", help="The title, as written.")],
    section: Annotated[
        str,
        typer.Option(
            "--section", "-s", help="Section slug it belongs in.", autocompletion=complete_section
        ),
    ],
    year: Annotated[int | None, typer.Option("--year", "-y", help="Year published.")] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            "-k",
            help="paper, article, video, ... (default: paper for arXiv links, else article).",
            autocompletion=complete_any_kind,
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag", "-t", help="Topic tag; repeat for several.", autocompletion=complete_tag
        ),
    ] = None,
    author: Annotated[
        list[str] | None, typer.Option("--author", "-a", help="An author; repeat for several.")
    ] = None,
    summary: Annotated[str | None, typer.Option("--summary", help="A short summary.")] = None,
    summary_zh: Annotated[
        str | None, typer.Option("--summary-zh", help="The summary in Chinese.")
    ] = None,
    title_zh: Annotated[
        str | None, typer.Option("--title-zh", help="The title in Chinese.")
    ] = None,
    entry_id: Annotated[
        str | None, typer.Option("--id", help="Choose the id (default: made from the title).")
    ] = None,
) -> None:
    """Add an entry to your own catalog, merged after the built-in one.

    Everything is checked first (link, section, tags, kind, a free id), so a refused
    add writes nothing. Prints the new id.

    Example: canon add https://arxiv.org/abs/2305.10601 --title "Tree of thoughts"
    --section agents --year 2023 --tag reasoning --author "Shunyu Yao"
    """
    from canon_cli.catalog.own import NewEntry, add_entry, default_kind
    from canon_cli.config import add_catalog

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
    _, listed = add_catalog(paths.config_path(), str(target))
    render.note(f"Added {data['title']!r} as {data['id']} to {target}")
    if listed:
        render.note(f"Your catalog is now merged after the built-in one ({paths.config_path()}).")
    render.out(data["id"])


@app.command()
def remove(
    ctx: typer.Context,
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="The exact id of an entry you added.",
            autocompletion=complete_user_entry_id,
        ),
    ],
) -> None:
    """Remove an entry you added with 'canon add' (built-in entries are never removed).

    Your reading progress for it is kept in the state file.

    Example: canon remove tree-of-thoughts
    """
    from canon_cli.catalog.own import remove_entry

    session: Session = ctx.obj
    target = paths.user_catalog_path()
    title = remove_entry(session.catalog(), target, entry_id)
    render.note(f"Removed {title!r} ({entry_id}) from {target}")
    render.out(entry_id.strip())


# --- export -----------------------------------------------------------------


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="md, json, csv or bibtex (default: from the -o suffix, else md).",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    section: SectionOpt = None,
    status: StatusOpt = None,
    tag: TagOpt = None,
    kind: KindOpt = None,
    year: YearOpt = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to FILE instead of stdout.", dir_okay=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Export the reading list: a Markdown checklist, JSON, CSV or BibTeX.

    JSON and CSV carry your status, start and finish dates and rating. CSV is UTF-8
    with a byte-order mark, so spreadsheet programs read Chinese text correctly.

    Example: canon export --format bibtex --section research -o canon.bib
    """
    from canon_cli.cli.actions import make_filters
    from canon_cli.output import export as exporters
    from canon_cli.state.file import load_state

    session: Session = ctx.obj
    chosen = fmt or exporters.format_for(output)
    if output is not None:
        exporters.check_output(output, force)  # before any work: a refusal is quick
    catalog = session.catalog()
    filters = make_filters(section, year, tag, kind, None, status)
    items = exporters.select_items(catalog, filters, load_state(paths.state_path()))
    data = exporters.encode(chosen, exporters.export_text(chosen, catalog, items, session.lang()))
    if output is None:
        render.write_bytes(data)
        return
    exporters.write_output(output, data, force)
    render.note(f"Wrote {len(items)} entries to {output} ({chosen.value})")
