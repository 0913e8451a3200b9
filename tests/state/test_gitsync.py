"""A git work tree as the sync folder: two clones of one bare repository stand for two
machines. No network: the remote is a local path, and remote failures come from a fake
ssh command."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from canon_cli.errors import ExitCode, FailureError
from canon_cli.state import gitsync
from canon_cli.state.changes import Change, Clock
from canon_cli.state.sync import sync_now
from canon_cli.state.syncdir import append, device_file, scan

A = "a1a1a1a1a1a1a1a1"
B = "b2b2b2b2b2b2b2b2"


def change(n: int, device: str) -> Change:
    return Change(f"entry-{n}", "status", "done", Clock(1_700_000_000_000 + n, 0), device, "op")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture(autouse=True)
def git_identity(git_env: Path) -> Path:
    return git_env


@pytest.fixture
def machines(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A bare remote and two clones of it (laptop A and laptop B)."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    a, b = tmp_path / "laptop-a", tmp_path / "laptop-b"
    for clone in (a, b):
        git(tmp_path, "clone", "--quiet", str(remote), str(clone))
    return remote, a, b


def test_two_clones_exchange_changes_through_the_remote(machines: tuple[Path, Path, Path]) -> None:
    remote, a, b = machines
    append(a, A, [change(1, A), change(2, A)])
    first = sync_now(a, A)
    assert first.git_error is None and first.git is not None
    assert first.git.committed and first.git.pushed == 1 and first.git.received == 0
    assert git(remote, "log", "--format=%s", "main").splitlines() == [
        f"canon: reading state of device {A}"
    ]
    append(b, B, [change(3, B)])
    second = sync_now(b, B)
    assert second.git is not None and second.git.received == 1 and second.git.pushed == 1
    assert {d.device for d in second.devices} == {A, B}
    assert set(scan(b, {}).changes) == {change(1, A), change(2, A), change(3, B)}
    third = sync_now(a, A)
    assert third.git is not None and (third.git.received, third.git.pushed) == (1, 0)
    assert set(scan(a, {}).changes) == set(scan(b, {}).changes)
    assert git(a, "status", "--porcelain") == ""


def test_a_push_raced_by_another_machine_is_rebased_and_sent(
    machines: tuple[Path, Path, Path],
) -> None:
    _, a, b = machines
    append(a, A, [change(1, A)])
    assert gitsync.commit_own_file(a, device_file(a, A), A)
    plan, _ = gitsync.pull(a)
    append(b, B, [change(2, B)])
    assert sync_now(b, B).git_error is None  # B pushes between A's pull and A's push
    assert gitsync.push(plan) == 1
    assert set(scan(a, {}).changes) == {change(1, A), change(2, B)}
    assert sync_now(b, B).git is not None
    assert set(scan(b, {}).changes) == {change(1, A), change(2, B)}


def test_local_edits_elsewhere_in_the_work_tree_survive(machines: tuple[Path, Path, Path]) -> None:
    _, a, b = machines
    (a / "README.txt").write_text("my sync repo\n")
    git(a, "add", "README.txt")
    git(a, "commit", "--quiet", "-m", "readme")
    git(a, "push", "--quiet", "origin", "main")
    append(b, B, [change(1, B)])
    assert sync_now(b, B).git_error is None
    (a / "README.txt").write_text("edited, not committed\n")
    (a / "scratch.txt").write_text("untracked\n")
    append(a, A, [change(2, A)])
    report = sync_now(a, A)
    assert report.git_error is None, report.git_error
    assert (a / "README.txt").read_text() == "edited, not committed\n"
    assert (a / "scratch.txt").exists()
    assert git(a, "status", "--porcelain").split() == ["M", "README.txt", "??", "scratch.txt"]


def test_a_subfolder_of_a_repository_works(machines: tuple[Path, Path, Path]) -> None:
    remote, a, _ = machines
    folder = a / "canon"
    folder.mkdir()
    append(folder, A, [change(1, A)])
    report = sync_now(folder, A)
    assert report.git is not None and report.git.root == a and report.git.pushed == 1
    assert git(remote, "ls-tree", "-r", "--name-only", "main").split() == [f"canon/{A}.jsonl"]


def test_nothing_new_means_no_commit_and_no_push(machines: tuple[Path, Path, Path]) -> None:
    _, a, _ = machines
    append(a, A, [change(1, A)])
    sync_now(a, A)
    again = sync_now(a, A)
    assert again.git is not None and not again.git.committed and again.git.pushed == 0
    assert len(git(a, "log", "--format=%h").split()) == 1


def test_a_work_tree_without_a_remote_is_reported_and_the_local_part_is_done(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "sync"
    git(tmp_path, "init", "--quiet", str(folder))
    append(folder, A, [change(1, A)])
    report = sync_now(folder, A)
    assert isinstance(report.git_error, FailureError)
    assert report.git_error.exit_code == ExitCode.FAILURE
    assert "without a remote" in str(report.git_error) and "git -C" in str(report.git_error)
    assert [d.device for d in report.devices] == [A]  # the folder was still read
    assert git(folder, "log", "--format=%s").strip() == f"canon: reading state of device {A}"


def test_git_not_installed_is_a_clear_failure(
    machines: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _, a, _ = machines
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    report = sync_now(a, A)
    assert report.git_error is not None and "git is not installed" in str(report.git_error)


def fake_ssh_remote(clone: Path, command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    git(clone, "remote", "set-url", "origin", "ssh://git.example.org/me/reading.git")
    monkeypatch.setenv("GIT_SSH_COMMAND", command)


def test_an_authentication_failure_is_named(
    machines: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, a, _ = machines
    fake_ssh_remote(
        a, "sh -c 'echo \"Permission denied (publickey).\" >&2; exit 255' --", monkeypatch
    )
    append(a, A, [change(1, A)])
    report = sync_now(a, A)
    assert report.git_error is not None
    assert "could not sign in" in str(report.git_error) and "ssh key" in str(report.git_error)
    assert git(a, "log", "--format=%s").strip()  # committed locally, sent next time


def test_a_missing_remote_repository_is_named(
    machines: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, a, _ = machines
    git(a, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    report = sync_now(a, A)
    assert report.git_error is not None and "not found" in str(report.git_error)


def test_a_remote_that_hangs_is_given_up_after_the_timeout(
    machines: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, a, _ = machines
    fake_ssh_remote(a, "sh -c 'sleep 30' --", monkeypatch)
    monkeypatch.setenv("CANON_GIT_TIMEOUT", "1")
    started = time.monotonic()
    report = sync_now(a, A)
    assert time.monotonic() - started < 10
    assert report.git_error is not None and "did not finish within 1 s" in str(report.git_error)
    assert "CANON_GIT_TIMEOUT" in str(report.git_error)


def test_missing_identity_says_how_to_set_it(
    machines: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch, git_identity: Path
) -> None:
    _, a, _ = machines
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.delenv(f"GIT_{who}_NAME")
        monkeypatch.delenv(f"GIT_{who}_EMAIL")
    git_identity.write_text("[user]\n\tuseConfigOnly = true\n")
    append(a, A, [change(1, A)])
    report = sync_now(a, A)
    assert report.git_error is not None and "name and email" in str(report.git_error)
    assert "config user.email" in str(report.git_error)


def test_a_detached_head_is_refused(machines: tuple[Path, Path, Path]) -> None:
    _, a, _ = machines
    append(a, A, [change(1, A)])
    sync_now(a, A)
    git(a, "checkout", "--quiet", "--detach")
    report = sync_now(a, A)
    assert report.git_error is not None and "detached HEAD" in str(report.git_error)


def test_a_bad_timeout_setting_is_a_data_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANON_GIT_TIMEOUT", "soon")
    with pytest.raises(Exception) as caught:
        gitsync.timeout()
    assert "CANON_GIT_TIMEOUT" in str(caught.value)
    assert getattr(caught.value, "exit_code", None) == ExitCode.DATA


def test_a_work_tree_is_found_by_its_git_folder_as_git_finds_it(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    inside = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"], cwd=plain, capture_output=True, text=True
    )
    assert (gitsync.work_tree_root(plain) is not None) == (inside.stdout.strip() == "true")
    git(tmp_path, "init", "--quiet", "repo")
    inner = tmp_path / "repo" / "a" / "b"
    inner.mkdir(parents=True)
    assert gitsync.work_tree_root(inner) == tmp_path / "repo"
