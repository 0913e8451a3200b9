"""A git work tree as the sync folder: two clones of one bare repository stand for two
machines, each with its own state database. No network: the remote is a local path,
and remote failures come from a fake ssh command."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from canon_cli.errors import CanonError, ExitCode, FailureError
from canon_cli.state import gitsync
from canon_cli.state.store import StateStore, open_store
from canon_cli.state.sync import SyncReport, sync_now
from canon_cli.state.syncdir import device_file
from canon_cli.state.syncstore import FolderSync


class Machine(NamedTuple):
    folder: Path
    store: StateStore

    def done(self, *entries: str) -> None:
        sets = [(entry, "status", "done") for entry in entries]
        self.store.record(f"op done {' '.join(entries)}", sets, int(time.time() * 1000))

    def sync(self) -> SyncReport:
        return sync_now(self.store, self.folder)

    def done_entries(self) -> set[str]:
        return {e for e, value, _ in self.store.field_values("status") if value == "done"}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def machine(folder: Path, db: Path) -> Machine:
    return Machine(folder, open_store(db, FolderSync(folder)))


@pytest.fixture(autouse=True)
def git_identity(git_env: Path) -> Path:
    return git_env


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    path = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(path))
    return path


@pytest.fixture
def laptops(tmp_path: Path, remote: Path) -> Iterator[tuple[Machine, Machine]]:
    """Two clones of the remote (laptop A and laptop B), each with a state database."""
    made = []
    for name in ("a", "b"):
        clone = tmp_path / f"laptop-{name}"
        git(tmp_path, "clone", "--quiet", str(remote), str(clone))
        made.append(machine(clone, tmp_path / f"{name}.db"))
    yield made[0], made[1]
    for m in made:
        m.store.close()


def first_error(report: SyncReport) -> CanonError:
    assert report.errors, "the sync reported no error"
    return report.errors[0]


def test_two_clones_exchange_changes_through_the_remote(
    laptops: tuple[Machine, Machine], remote: Path
) -> None:
    a, b = laptops
    a.done("lora", "bert")
    first = a.sync()
    assert first.errors == [] and first.git is not None
    assert first.git.committed and first.git.pushed == 1 and first.git.received == 0
    assert git(remote, "log", "--format=%s", "main").splitlines() == [
        f"canon: reading state of device {a.store.device}"
    ]
    b.done("gpt-3")
    second = b.sync()
    assert second.git is not None and second.git.received == 1 and second.git.pushed == 1
    assert second.taken_in == 2
    assert {d.device for d in second.devices} == {a.store.device, b.store.device}
    assert b.done_entries() == {"lora", "bert", "gpt-3"}
    third = a.sync()
    assert third.git is not None and (third.git.received, third.git.pushed) == (1, 0)
    assert a.done_entries() == b.done_entries()
    assert git(a.folder, "status", "--porcelain") == ""


def test_a_push_raced_by_another_machine_is_rebased_and_sent(
    laptops: tuple[Machine, Machine],
) -> None:
    a, b = laptops
    a.done("lora")
    assert gitsync.commit_own_file(a.folder, device_file(a.folder, a.store.device), "a")
    plan, _ = gitsync.pull(a.folder)
    b.done("bert")
    assert b.sync().errors == []  # B pushes between A's pull and A's push
    assert gitsync.push(plan) == 1
    assert b.sync().git is not None
    assert b.done_entries() == {"lora", "bert"}
    assert a.sync().errors == [] and a.done_entries() == {"lora", "bert"}


def test_local_edits_elsewhere_in_the_work_tree_survive(laptops: tuple[Machine, Machine]) -> None:
    a, b = laptops
    (a.folder / "README.txt").write_text("my sync repo\n")
    git(a.folder, "add", "README.txt")
    git(a.folder, "commit", "--quiet", "-m", "readme")
    git(a.folder, "push", "--quiet", "origin", "main")
    b.done("bert")
    assert b.sync().errors == []
    (a.folder / "README.txt").write_text("edited, not committed\n")
    (a.folder / "scratch.txt").write_text("untracked\n")
    a.done("lora")
    report = a.sync()
    assert report.errors == []
    assert (a.folder / "README.txt").read_text() == "edited, not committed\n"
    assert (a.folder / "scratch.txt").exists()
    assert git(a.folder, "status", "--porcelain").split() == [
        "M",
        "README.txt",
        "??",
        "scratch.txt",
    ]
    assert a.done_entries() == {"lora", "bert"}


def test_a_subfolder_of_a_repository_works(
    laptops: tuple[Machine, Machine], remote: Path, tmp_path: Path
) -> None:
    a, _ = laptops
    sub = machine(a.folder / "canon", tmp_path / "sub.db")
    sub.folder.mkdir()
    sub.done("lora")
    report = sub.sync()
    sub.store.close()
    assert report.git is not None and report.git.root == a.folder and report.git.pushed == 1
    names = git(remote, "ls-tree", "-r", "--name-only", "main").split()
    assert names == [f"canon/{sub.store.device}.jsonl"]


def test_nothing_new_means_no_commit_and_no_push(laptops: tuple[Machine, Machine]) -> None:
    a, _ = laptops
    a.done("lora")
    a.sync()
    again = a.sync()
    assert again.git is not None and not again.git.committed and again.git.pushed == 0
    assert len(git(a.folder, "log", "--format=%h").split()) == 1


def test_a_work_tree_without_a_remote_is_reported_and_the_local_part_is_done(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "sync"
    git(tmp_path, "init", "--quiet", str(folder))
    a = machine(folder, tmp_path / "a.db")
    a.done("lora")
    report = a.sync()
    error = first_error(report)
    assert isinstance(error, FailureError) and error.exit_code == ExitCode.FAILURE
    assert "without a remote" in str(error) and "git -C" in str(error)
    assert [d.device for d in report.devices] == [a.store.device]  # the folder was still read
    assert git(folder, "log", "--format=%s").strip().startswith("canon: reading state")
    a.store.close()


def test_git_not_installed_is_a_clear_failure(
    laptops: tuple[Machine, Machine], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    a, _ = laptops
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert "git is not installed" in str(first_error(a.sync()))


def fake_ssh_remote(clone: Path, command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    git(clone, "remote", "set-url", "origin", "ssh://git.example.org/me/reading.git")
    monkeypatch.setenv("GIT_SSH_COMMAND", command)


def test_an_authentication_failure_is_named(
    laptops: tuple[Machine, Machine], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _ = laptops
    denied = "sh -c 'echo \"Permission denied (publickey).\" >&2; exit 255' --"
    fake_ssh_remote(a.folder, denied, monkeypatch)
    a.done("lora")
    error = str(first_error(a.sync()))
    assert "could not sign in" in error and "ssh key" in error
    assert git(a.folder, "log", "--format=%s").strip()  # committed locally, sent next time


def test_a_missing_remote_repository_is_named(
    laptops: tuple[Machine, Machine], tmp_path: Path
) -> None:
    a, _ = laptops
    git(a.folder, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    assert "not found" in str(first_error(a.sync()))


def test_a_remote_that_hangs_is_given_up_after_the_timeout(
    laptops: tuple[Machine, Machine], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _ = laptops
    fake_ssh_remote(a.folder, "sh -c 'sleep 30' --", monkeypatch)
    monkeypatch.setenv("CANON_GIT_TIMEOUT", "1")
    started = time.monotonic()
    error = str(first_error(a.sync()))
    assert time.monotonic() - started < 10
    assert "did not finish within 1 s" in error and "CANON_GIT_TIMEOUT" in error


def test_missing_identity_says_how_to_set_it(
    laptops: tuple[Machine, Machine], monkeypatch: pytest.MonkeyPatch, git_identity: Path
) -> None:
    a, _ = laptops
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.delenv(f"GIT_{who}_NAME")
        monkeypatch.delenv(f"GIT_{who}_EMAIL")
    git_identity.write_text("[user]\n\tuseConfigOnly = true\n")
    a.done("lora")
    error = str(first_error(a.sync()))
    assert "name and email" in error and "config user.email" in error


def test_a_detached_head_is_refused(laptops: tuple[Machine, Machine]) -> None:
    a, _ = laptops
    a.done("lora")
    a.sync()
    git(a.folder, "checkout", "--quiet", "--detach")
    assert "detached HEAD" in str(first_error(a.sync()))


def test_a_bad_timeout_setting_is_a_data_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANON_GIT_TIMEOUT", "soon")
    with pytest.raises(CanonError) as caught:
        gitsync.timeout()
    assert "CANON_GIT_TIMEOUT" in str(caught.value)
    assert caught.value.exit_code == ExitCode.DATA


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
