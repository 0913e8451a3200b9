"""Link rot: ``canon links check`` checks the catalog's links over the network;
``canon links`` shows what the last checks found, without any network."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from canon_cli.cli.helptext import command_help
from canon_cli.cli.options import JsonOpt, SectionOpt, argument, option
from canon_cli.cli.session import Session
from canon_cli.errors import ExitCode
from canon_cli.i18n import N_

app = typer.Typer()
links_app = typer.Typer()
app.add_typer(links_app, name="links")


def _max_age(value: str | None) -> timedelta | None:
    if value is None:
        return None
    from canon_cli.linkcheck.model import parse_age

    try:
        return parse_age(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


@links_app.callback(
    invoke_without_command=True,
    help=command_help(
        N_("Show what the last link checks found; nothing is fetched."),
        N_(
            "On a terminal: the links that moved, broke or could not be reached, and the counts; "
            "in a pipe: one tab-separated line per link (result, status, id, url, final_url, "
            "detail, checked_at). Check again with 'canon links check'."
        ),
        example="canon links --json",
    ),
)
def links_show(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from canon_cli.linkcheck.store import load_results
    from canon_cli.output.links import show_remembered
    from canon_cli.reading.links import remembered

    session: Session = ctx.obj
    show_remembered(remembered(session.catalog(), load_results()), as_json)


@links_app.command(
    "check",
    help=command_help(
        N_("Check every main and extra link over HTTP and remember what was found."),
        N_(
            "Many links are checked at once (at most 6 at a time per host), HEAD first and GET "
            "when a server refuses HEAD; redirects are followed and 429/503 answers retried after "
            "the wait the server asks for. Each link is ok, redirected (with the final URL), "
            "broken (the status code) or unreachable (DNS, TLS, refused, timeout, redirect loop). "
            "Exit code 1 when any link is broken or unreachable, 0 otherwise."
        ),
        example="canon links check --section agents --max-age 3d",
    ),
)
def links_check(
    ctx: typer.Context,
    ids: Annotated[list[str] | None, argument("links check", "ids")] = None,
    section: SectionOpt = None,
    catalog: Annotated[Path | None, option("links check", "catalog")] = None,
    timeout: Annotated[float, option("links check", "timeout")] = 10.0,
    max_age: Annotated[str | None, option("links check", "max_age")] = None,
    as_json: JsonOpt = False,
) -> None:
    from canon_cli.linkcheck.model import CheckSettings
    from canon_cli.output.links import check_display, show_check
    from canon_cli.reading import links

    age = _max_age(max_age)
    session: Session = ctx.obj
    entries = links.select_for_check(session.catalog(), ids or (), section or (), catalog)
    pairs = [pair for entry in entries for pair in links.entry_pairs(entry)]
    current = links.catalog_pairs(session.catalog())
    plan = links.plan_check(pairs, age)
    with check_display(len(plan.todo), as_json) as on_result:
        run = links.run_check(plan, current, CheckSettings(timeout=timeout), on_result)
    show_check(run.results, run.rechecked, as_json)
    if run.save_error is not None:
        raise run.save_error
    if run.failed:
        raise typer.Exit(int(ExitCode.FAILURE))
