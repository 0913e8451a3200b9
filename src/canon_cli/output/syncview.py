"""``canon sync``'s report: the devices seen, git's part, and what could not be read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from canon_cli.errors import CanonError
from canon_cli.i18n import _, ngettext
from canon_cli.output import render, streams

if TYPE_CHECKING:  # only 'canon sync' makes a report; the warnings come with every command
    from canon_cli.state.changes import Clock
    from canon_cli.state.sync import SyncReport
    from canon_cli.state.syncscan import SyncWarning


def _instant(clock: Clock) -> datetime:
    return datetime.fromtimestamp(clock.wall_ms / 1000, tz=UTC)


def _local(clock: Clock) -> str:
    return _instant(clock).astimezone().strftime("%Y-%m-%d %H:%M")


def show_warnings(warnings: Iterable[SyncWarning], problems: Iterable[CanonError] = ()) -> None:
    """What the sync folder held that could not be taken in, and what could not be done
    (an append refused, the database busy): warnings, as the command itself succeeded."""
    for warning in dict.fromkeys(warnings):
        streams.warning(_("sync folder: {problem}").format(problem=warning.text()))
    for problem in problems:
        streams.warning(str(problem))


def _json(report: SyncReport) -> dict[str, Any]:
    git = report.git
    return {
        "folder": str(report.folder),
        "this_device": report.own_device,
        "devices": [
            {
                "device": d.device,
                "this_device": d.device == report.own_device,
                "changes": d.changes,
                "last_change": _instant(d.last).isoformat(timespec="milliseconds"),
                "files": list(d.files),
            }
            for d in report.devices
        ],
        "files": report.files,
        "git": None
        if git is None
        else {
            "work_tree": str(git.root),
            "remote": git.remote,
            "branch": git.branch,
            "committed": git.committed,
            "received_commits": git.received,
            "pushed_commits": git.pushed,
        },
        "taken_in": report.taken_in,
        "appended": report.appended,
        "errors": [error.message for error in report.errors],
        "warnings": [
            {"kind": w.kind, "file": w.path, "line": w.line, "message": w.message}
            for w in report.warnings
        ],
    }


def show_sync(report: SyncReport, as_json: bool) -> None:
    if as_json:
        streams.print_json(_json(report))
        return
    rows = [
        [
            d.device + (_(" (this device)") if d.device == report.own_device else ""),
            str(d.changes),
            _local(d.last),
            str(len(d.files)),
        ]
        for d in report.devices
    ]
    if streams.use_rich():
        streams.out(_("Sync folder: {folder}").format(folder=report.folder))
        if rows:
            headers = [_("Device"), _("Changes"), _("Last change"), _("Files")]
            render.simple_table(headers, rows, ["cyan", "", "", "dim"])
    else:
        streams.plain_rows(rows)
    if not rows:
        streams.note(_("No changes in {folder} yet.").format(folder=report.folder))
    if report.taken_in or report.appended:
        streams.note(
            _("Took in {new}, appended {appended}.").format(
                new=ngettext("{n} change", "{n} changes", report.taken_in).format(
                    n=report.taken_in
                ),
                appended=ngettext("{n} change", "{n} changes", report.appended).format(
                    n=report.appended
                ),
            )
        )
    git = report.git
    if git is not None:
        received = ngettext("{n} commit", "{n} commits", git.received).format(n=git.received)
        pushed = ngettext("{n} commit", "{n} commits", git.pushed).format(n=git.pushed)
        streams.note(
            _("git: {remote}/{branch}: received {received}, pushed {pushed}").format(
                remote=git.remote, branch=git.branch, received=received, pushed=pushed
            )
        )
    show_warnings(report.warnings)
