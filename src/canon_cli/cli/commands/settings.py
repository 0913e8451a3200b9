"""The config commands: show, get, set and unset settings; extra catalogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from canon_cli import paths
from canon_cli.cli.helptext import command_help
from canon_cli.cli.options import JsonOpt, argument
from canon_cli.cli.session import Session
from canon_cli.i18n import N_, _
from canon_cli.output import render, streams
from canon_cli.text import clean_line

if TYPE_CHECKING:
    from canon_cli.config import Config

app = typer.Typer()
config_app = typer.Typer()
app.add_typer(config_app, name="config")


# --- config -----------------------------------------------------------------

KeyArg = Annotated[str, argument("config get", "key")]
CatalogArg = Annotated[str, argument("config add-catalog", "path")]


@config_app.callback(
    invoke_without_command=True,
    help=command_help(
        N_("Show canon's settings, or change them with a subcommand."),
        N_(
            "With no subcommand: every setting, its value, and whether it comes from the config "
            "file (a TOML file, see 'canon paths') or is the default."
        ),
        example="canon config set language zh",
    ),
)
def config_show(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    if ctx.invoked_subcommand is not None:
        return
    session: Session = ctx.obj
    _show_config(session.config(), paths.config_path(), as_json)


def _show_config(config: Config, path: Path, as_json: bool) -> None:
    from canon_cli.config import KEYS, format_setting

    values = config.as_dict()
    if as_json:
        streams.print_json({"path": str(path), "exists": path.is_file(), "settings": values})
        return
    if path.is_file():
        where = str(path)
    else:
        where = _("{path} (not created yet: defaults apply)").format(path=path)
    if not streams.use_rich():
        streams.note(_("config file: {path}").format(path=where))
        streams.plain_rows([key, format_setting(value)] for key, value in values.items())
        return
    streams.out(_("Config file: {path}").format(path=clean_line(where)))
    rows = [
        [
            key,
            format_setting(value),
            _("file") if key in config.set_keys else _("default"),
            _(KEYS[key]),
        ]
        for key, value in values.items()
    ]
    headers = [_("Setting"), _("Value"), _("From"), _("Meaning")]
    render.simple_table(headers, rows, ["cyan", "", "dim", ""])


@config_app.command(
    "get",
    help=command_help(
        N_("Print one setting's value (a list prints one item per line)."),
        example="canon config get language",
    ),
)
def config_get(ctx: typer.Context, key: KeyArg, as_json: JsonOpt = False) -> None:
    from canon_cli.config import KEYS, format_setting, unknown_setting

    if key not in KEYS:
        raise unknown_setting(key)
    session: Session = ctx.obj
    value = session.config().as_dict()[key]
    if as_json:
        streams.print_json(value)
    elif isinstance(value, list):
        for item in value:
            streams.out(clean_line(item))
    else:
        streams.out(format_setting(value))


def _catalog_check(session: Session) -> Callable[[Config], None]:
    """Refuse new settings whose catalogs do not load and merge (nothing is written)."""

    def check(config: Config) -> None:
        Session(catalog_option=session.catalog_option, config=config).catalog()

    return check


@config_app.command(
    "set",
    help=command_help(
        N_("Change a setting; the value is checked before the file is written."),
        example="canon config set catalogs ~/reading/extra.yaml,more.yaml",
    ),
)
def config_set(
    ctx: typer.Context,
    key: KeyArg,
    value: Annotated[str, argument("config set", "value")],
) -> None:
    from canon_cli.config import change_settings, format_setting, parse_setting

    session: Session = ctx.obj
    parsed = parse_setting(key, value, Path.cwd())
    check = _catalog_check(session) if key == "catalogs" else None
    change_settings(paths.config_path(), lambda _current: {key: parsed}, check)
    streams.note(
        _("{key} = {value} (in {path})").format(
            key=key, value=format_setting(parsed), path=paths.config_path()
        )
    )


@config_app.command(
    "unset",
    help=command_help(
        N_("Remove a setting from the file, so its default applies again."),
        example="canon config unset language",
    ),
)
def config_unset(ctx: typer.Context, key: KeyArg) -> None:
    from canon_cli.config import KEYS, Config, change_settings, format_setting, unknown_setting

    if key not in KEYS:
        raise unknown_setting(key)
    session: Session = ctx.obj
    check = _catalog_check(session) if key == "catalogs" else None
    change_settings(
        paths.config_path(), lambda current: {key: None} if key in current else {}, check
    )
    default = format_setting(Config().as_dict()[key]) or _("(empty)")
    streams.note(_("{key} is back to its default: {value}").format(key=key, value=default))


@config_app.command(
    "add-catalog",
    help=command_help(
        N_("Merge another catalog file after the built-in one (checked before it is added)."),
        example="canon config add-catalog ~/reading/team-list.yaml",
    ),
)
def config_add_catalog(ctx: typer.Context, path: CatalogArg) -> None:
    from canon_cli.config import add_catalog, catalog_setting

    session: Session = ctx.obj
    stored = catalog_setting(path, Path.cwd())
    added = add_catalog(paths.config_path(), stored, _catalog_check(session))[1]
    if added:
        streams.note(_("Added catalog {path}").format(path=stored))
    else:
        streams.note(_("{path} is already listed").format(path=stored))


@config_app.command(
    "remove-catalog",
    help=command_help(
        N_("Stop merging a catalog file (the file itself is left alone)."),
        example="canon config remove-catalog ~/reading/team-list.yaml",
    ),
)
def config_remove_catalog(ctx: typer.Context, path: CatalogArg) -> None:
    from canon_cli.config import remove_catalog

    remove_catalog(paths.config_path(), path)
    streams.note(_("Removed catalog {path} from the settings").format(path=path))
