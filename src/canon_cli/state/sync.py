"""``canon sync``: append, read the whole sync folder again, and pull and push when it
is a git work tree.

The order keeps every change: this device's pending changes are appended to its own
file and (in git) committed first, then the remote's commits are taken (a rebase,
which never conflicts, as every device writes only its own file), then every file in
the folder is read from its start into the state, and last this device's commits are
pushed. A git failure leaves the local part done and is handed back to the caller,
which shows what was read before reporting it.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from canon_cli.errors import CanonError, CanonIOError, FailureError
from canon_cli.i18n import _
from canon_cli.state import gitsync, syncdir, syncscan
from canon_cli.state.store import StateStore
from canon_cli.state.syncstore import publish, take_in


class SyncReport(NamedTuple):
    folder: Path
    own_device: str
    devices: list[syncscan.DeviceSeen]  # newest change first
    files: list[str]  # the journal files read
    warnings: list[syncscan.SyncWarning]
    taken_in: int  # changes new to this device
    appended: int  # changes of this device written to the folder
    git: gitsync.GitReport | None  # None: the folder is not a git work tree (or git failed)
    errors: list[CanonError]  # what could not be done (append, git); the rest was


def check_folder(folder: Path) -> None:
    """A sync folder that is missing is an error for ``canon sync`` (other commands only
    warn): it is most often a drive not mounted or a sync app not set up yet."""
    if not folder.is_dir():
        what = _("is not a folder") if folder.exists() else _("does not exist")
        raise CanonIOError(
            _("the sync folder {folder} {what}").format(folder=folder, what=what),
            hint=_(
                "Mount or create it, or point canon elsewhere: canon config set sync_folder DIR"
            ),
        )


def sync_now(store: StateStore, folder: Path) -> SyncReport:
    """Sync through ``folder`` now: append, git (when it is a work tree), a full re-read."""
    check_folder(folder)
    errors: list[CanonError] = []
    appended = 0
    try:
        appended = publish(store, folder)
    except CanonIOError as exc:
        errors.append(exc)
    root = gitsync.work_tree_root(folder)
    plan: gitsync.GitPlan | None = None
    committed, received, pushed = False, 0, 0
    if root is not None:
        try:
            own_file = syncdir.device_file(folder, store.device)
            committed = gitsync.commit_own_file(root, own_file, store.device)
            plan, received = gitsync.pull(root)
        except FailureError as exc:
            errors.append(exc)
            plan = None
    result, new = take_in(store, folder, full=True)
    if plan is not None:
        try:
            pushed = gitsync.push(plan)
        except FailureError as exc:
            errors.append(exc)
            plan = None
    git = None
    if plan is not None:
        git = gitsync.GitReport(plan.root, plan.remote, plan.branch, committed, received, pushed)
    devices = sorted(result.devices.values(), key=lambda d: d.last, reverse=True)
    return SyncReport(
        folder, store.device, devices, result.read, result.warnings, new, appended, git, errors
    )
