"""``canon sync``: read the whole sync folder again, and pull and push when it is git.

The order keeps every change: this device's file is committed first, then the
remote's commits are taken (a rebase, which never conflicts, as every device writes
only its own file), then every file in the folder is read from its start, and last
this device's commits are pushed. A git failure leaves the local part done and is
handed back to the caller, which shows what was read before reporting it.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from canon_cli.errors import CanonIOError, FailureError
from canon_cli.i18n import _
from canon_cli.state import gitsync, syncdir


class SyncReport(NamedTuple):
    folder: Path
    own_device: str | None
    devices: list[syncdir.DeviceSeen]  # newest change first
    files: list[str]  # the journal files read
    warnings: list[syncdir.SyncWarning]
    git: gitsync.GitReport | None  # None: the folder is not a git work tree (or git failed)
    git_error: FailureError | None


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


def sync_now(folder: Path, own_device: str | None = None) -> SyncReport:
    """Sync through ``folder`` now: git (when it is a work tree) and a full re-read."""
    check_folder(folder)
    root = gitsync.work_tree_root(folder)
    own_file = syncdir.device_file(folder, own_device) if own_device else None
    plan: gitsync.GitPlan | None = None
    committed, received, pushed = False, 0, 0
    error: FailureError | None = None
    if root is not None:
        try:
            if own_file is not None and own_device is not None:
                committed = gitsync.commit_own_file(root, own_file, own_device)
            plan, received = gitsync.pull(root)
        except FailureError as exc:
            error = exc
    result = syncdir.scan(folder, {}, full=True)
    if plan is not None:
        try:
            pushed = gitsync.push(plan)
        except FailureError as exc:
            error = exc
    git = None
    if plan is not None and error is None:
        git = gitsync.GitReport(plan.root, plan.remote, plan.branch, committed, received, pushed)
    devices = sorted(result.devices.values(), key=lambda d: d.last, reverse=True)
    return SyncReport(folder, own_device, devices, result.read, result.warnings, git, error)
