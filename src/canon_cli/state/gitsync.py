"""A sync folder that is a git work tree: commit this device's file, rebase, push.

Only ``canon sync`` calls this module; no other command starts git or touches the
network. Each device's journal is its own append-only file, so a rebase of this
device's commits onto what the remote holds never conflicts. git runs as a child
process with a time limit (``CANON_GIT_TIMEOUT`` seconds, default 60), without a
terminal to prompt on (``GIT_TERMINAL_PROMPT=0``; ssh in batch mode unless you set
``GIT_SSH_COMMAND``), so it can fail but never hang. Every failure is a
``FailureError`` (exit code 1) that says what git could not do and how to fix it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import NamedTuple

from canon_cli.errors import ConfigError, FailureError
from canon_cli.i18n import _

TIMEOUT_ENV = "CANON_GIT_TIMEOUT"
DEFAULT_TIMEOUT = 60.0
PUSH_ATTEMPTS = 3  # another machine may push between our rebase and our push

_AUTH = (
    "authentication failed",
    "permission denied (publickey",
    "could not read username",
    "could not read password",
    "terminal prompts disabled",
    "invalid username or password",
    "access denied",
    "host key verification failed",
    "the requested url returned error: 403",
    "the requested url returned error: 401",
)
_NETWORK = (
    "could not resolve host",
    "could not resolve hostname",
    "connection refused",
    "connection timed out",
    "network is unreachable",
    "operation timed out",
    "no route to host",
)
_MISSING = ("does not appear to be a git repository", "repository not found", "' not found")


class GitReport(NamedTuple):
    """What one git sync did."""

    root: Path
    remote: str
    branch: str
    committed: bool  # this device's file had new lines to commit
    received: int  # commits taken from the remote
    pushed: int  # commits sent to the remote


class GitPlan(NamedTuple):
    """Where to sync: the work tree, its remote and the branch there."""

    root: Path
    remote: str
    branch: str  # the branch on the remote
    set_upstream: bool


def work_tree_root(folder: Path) -> Path | None:
    """The git work tree ``folder`` is in (found by its ``.git``; git is not run)."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def timeout() -> float:
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise ConfigError(
            _("{env} must be a number of seconds above 0, got {raw!r}").format(
                env=TIMEOUT_ENV, raw=raw
            )
        )
    return value


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"  # no password prompt that nobody can answer
    env["LC_ALL"] = "C"  # git's messages in English, so failures can be told apart
    if "GIT_SSH_COMMAND" not in env and "GIT_SSH" not in env:
        env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes"
    return env


class _Done(NamedTuple):
    code: int
    out: str
    err: str


def _git(root: Path, *args: str, check: bool = True, what: str = "") -> _Done:
    """Run ``git -C root ARGS``; a failure (when ``check``) becomes a FailureError."""
    executable = shutil.which("git")
    if executable is None:
        raise FailureError(
            _("{root} is a git work tree, but git is not installed").format(root=root),
            hint=_("Install git (and set up access to the remote), then run canon sync again."),
        )
    limit = timeout()
    proc = subprocess.Popen(
        [executable, "-C", str(root), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        text=True,
        errors="replace",
        start_new_session=True,  # so a timeout ends ssh and helpers too
    )
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise FailureError(
            _("git {args} did not finish within {limit:g} s").format(
                args=" ".join(args[:1]), limit=limit
            ),
            hint=_("Check your network and the remote, or allow longer with {env}.").format(
                env=TIMEOUT_ENV
            ),
        ) from None
    done = _Done(proc.returncode, out, err)
    if check and done.code != 0:
        raise _failure(root, what or f"git {args[0]}", done.err)
    return done


def _failure(root: Path, what: str, stderr: str) -> FailureError:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    said = lines[0].removeprefix("fatal: ").removeprefix("error: ") if lines else ""
    low = stderr.lower()
    if any(marker in low for marker in _AUTH):
        message = _("{what} failed: git could not sign in to the remote ({said})")
        hint = _("Check your credentials or ssh key; 'git -C {root} fetch' shows git's own words.")
    elif any(marker in low for marker in _NETWORK):
        message = _("{what} failed: the remote cannot be reached ({said})")
        hint = _("Check your network connection; your changes are kept and sent next time.")
    elif any(marker in low for marker in _MISSING):
        message = _("{what} failed: the remote repository was not found ({said})")
        hint = _("Check the remote's address: git -C {root} remote -v")
    else:
        message = _("{what} failed: {said}")
        hint = _("Run the git command in {root} yourself to see the whole message.")
    return FailureError(
        message.format(what=what, said=said or _("no message")), hint=hint.format(root=root)
    )


def _plan(root: Path) -> GitPlan:
    """Which remote and branch to sync with: the branch's upstream, else the only (or
    the ``origin``) remote with a branch of the same name."""
    head = _git(root, "symbolic-ref", "--short", "-q", "HEAD", check=False)
    branch = head.out.strip()
    if head.code != 0 or not branch:
        raise FailureError(
            _("{root} is not on a branch (a detached HEAD), so canon cannot sync it").format(
                root=root
            ),
            hint=_("Check out the branch you sync on: git -C {root} switch main").format(root=root),
        )
    remote = _git(root, "config", "--get", f"branch.{branch}.remote", check=False).out.strip()
    merge = _git(root, "config", "--get", f"branch.{branch}.merge", check=False).out.strip()
    if remote and merge.startswith("refs/heads/"):
        return GitPlan(root, remote, merge.removeprefix("refs/heads/"), False)
    remotes = _git(root, "remote").out.split()
    if not remotes:
        raise FailureError(
            _(
                "{root} is a git work tree without a remote, so there is nothing to sync with"
            ).format(root=root),
            hint=_(
                "Your changes are committed there. Add a private remote: "
                "git -C {root} remote add origin URL"
            ).format(root=root),
        )
    chosen = "origin" if "origin" in remotes else remotes[0]
    return GitPlan(root, chosen, branch, True)


def commit_own_file(root: Path, own_file: Path, device: str) -> bool:
    """Commit this device's journal file if it has lines git does not have yet."""
    if not own_file.is_file():
        return False
    relative = os.path.relpath(own_file, root)
    _git(root, "add", "--", relative)
    staged = _git(root, "diff", "--cached", "--quiet", "--", relative, check=False)
    if staged.code == 0:
        return False
    message = f"canon: reading state of device {device}"
    done = _git(root, "commit", "--quiet", "-m", message, "--", relative, check=False)
    if done.code != 0:
        if "please tell me who you are" in done.err.lower() or "user.email" in done.err:
            raise FailureError(
                _("git needs your name and email before it can commit in {root}").format(root=root),
                hint=_(
                    "Run: git -C {root} config user.name 'Your Name' && "
                    "git -C {root} config user.email you@example.org"
                ).format(root=root),
            )
        raise _failure(root, "git commit", done.err)
    return True


def pull(root: Path) -> tuple[GitPlan, int]:
    """Fetch and rebase this device's commits onto the remote branch; how many commits
    came in. A rebase that stops (only possible if two machines share a device id) is
    undone, so the work tree is left as it was."""
    plan = _plan(root)
    _git(
        root,
        "fetch",
        "--quiet",
        plan.remote,
        what=_("git fetch from {remote}").format(remote=plan.remote),
    )
    tracking = f"refs/remotes/{plan.remote}/{plan.branch}"
    if _git(root, "rev-parse", "-q", "--verify", tracking, check=False).code != 0:
        return plan, 0  # the remote branch does not exist yet: the push creates it
    has_head = _git(root, "rev-parse", "-q", "--verify", "HEAD", check=False).code == 0
    if not has_head:
        _git(root, "merge", "--quiet", "--ff-only", tracking)
        return plan, int(_git(root, "rev-list", "--count", "HEAD").out.strip() or 0)
    incoming = int(_git(root, "rev-list", "--count", f"HEAD..{tracking}").out.strip() or 0)
    if incoming:
        done = _git(root, "rebase", "--quiet", "--autostash", tracking, check=False)
        if done.code != 0:
            _git(root, "rebase", "--abort", check=False)
            raise _failure(root, "git rebase", done.err or done.out)
    return plan, incoming


def push(plan: GitPlan) -> int:
    """Push this branch's commits that the remote lacks (re-pulling if another machine
    pushed in between); returns how many were sent."""
    root = plan.root
    if _git(root, "rev-parse", "-q", "--verify", "HEAD", check=False).code != 0:
        return 0  # nothing committed yet
    for attempt in range(PUSH_ATTEMPTS):
        tracking = f"refs/remotes/{plan.remote}/{plan.branch}"
        known = _git(root, "rev-parse", "-q", "--verify", tracking, check=False).code == 0
        span = f"{tracking}..HEAD" if known else "HEAD"
        ahead = int(_git(root, "rev-list", "--count", span).out.strip() or 0)
        if ahead == 0:
            return 0
        args = ["push", "--quiet", *(["-u"] if plan.set_upstream else [])]
        done = _git(root, *args, plan.remote, f"HEAD:refs/heads/{plan.branch}", check=False)
        if done.code == 0:
            return ahead
        rejected = "rejected" in done.err or "fetch first" in done.err
        if not rejected or attempt == PUSH_ATTEMPTS - 1:
            raise _failure(root, _("git push to {remote}").format(remote=plan.remote), done.err)
        pull(root)
    return 0
