"""Each documented exit code, one situation at a time: 0 ok, 2 usage, 3 data, 4 busy, 5 io.

Every failure is one message on stderr (canon's own start with 'canon: error:'),
nothing on stdout, and no traceback.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from canon_cli.errors import ExitCode
from tests.conftest import Result
from tests.fsutil import state_locked, unwritable
from tests.statedb import statuses


@pytest.fixture(scope="module")
def built_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from canon_cli.catalog.snapshot import open_catalog
    from canon_cli.paths import builtin_catalog_path

    cache = tmp_path_factory.mktemp("cache")
    open_catalog([builtin_catalog_path()], cache).db.close()
    return cache


@pytest.fixture(autouse=True)
def warm(built_snapshot: Path, canon_home: Path) -> None:
    """Start from a warm catalog snapshot (a copy): these tests are about exit codes."""
    shutil.copytree(built_snapshot, canon_home / "cache")


def assert_failed(result: Any, code: ExitCode, *words: str, canon_message: bool = True) -> None:
    assert result.exit_code == code, (result.exit_code, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    if canon_message:
        assert result.stderr.startswith("canon: error: "), result.stderr
        assert result.stderr.count("canon: error:") == 1
    for word in words:
        assert word in result.stderr, (word, result.stderr)


# --- 0: success ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("--version",),
        ("--help",),
        ("list",),
        ("list", "--section", "agents", "--year", "2023.."),
        ("show", "attention"),
        ("done", "bert"),
        ("progress", "--json"),
    ],
)
def test_success_is_0(cli: Any, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stdout or result.stderr.startswith("done: bert")
    assert "error" not in result.stderr


# --- 2: usage -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("list", "--section", "nowhere"), ["unknown section 'nowhere'", "Valid sections"]),
        (("list", "--year", "twenty"), ["invalid year 'twenty'"]),
        (("list", "--year", "2023..2020"), ["2023 is after 2020"]),
        (("show", "no-such-entry-anywhere"), ["no entry matches"]),
        (("done", "bert", "no-such-entry-anywhere"), ["no entry matches"]),
        (("list", "--tag", "nope"), ["unknown tag 'nope'"]),
        (("list", "--kind", "podcast"), ["unknown kind 'podcast'"]),
        (("mark", "bert", "--status", "finish"), ["unknown status 'finish'"]),
        (("rate", "bert", "9"), ["rating must be"]),
        (("--lang", "fr", "list"), ["unknown language 'fr'"]),
        (("note", "bert", " "), ["the note is empty"]),
    ],
)
def test_usage_errors_are_2(
    cli: Any, canon_home: Path, args: tuple[str, ...], words: list[str]
) -> None:
    assert_failed(cli(*args), ExitCode.USAGE, *words)
    assert not (canon_home / "state.db").exists()  # nothing was written


@pytest.mark.parametrize(
    "args",
    [
        ("frobnicate",),
        ("list", "--frobnicate"),
        ("show",),
        ("rate", "bert", "x"),
        ("list", "-n", "0"),
    ],
)
def test_argument_errors_are_2(cli: Any, args: tuple[str, ...]) -> None:
    # click's own usage errors come in canon's one error style too, with a pointer to help
    result = cli(*args)
    assert_failed(result, ExitCode.USAGE, "--help' for help.")
    assert "Usage:" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--catalog", "{path}", "list"),
        ("--catalog", "{path}", "show", "x"),
        ("state", "import", "{path}"),
        ("state", "merge", "{path}"),
        ("config", "add-catalog", "{path}"),
        ("config", "set", "catalogs", "{path}"),
    ],
)
@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_a_missing_file_argument_is_2_for_every_command(
    cli: Any, tmp_path: Path, args: tuple[str, ...], kind: str
) -> None:
    path = tmp_path / "nope.yaml"
    if kind == "directory":
        path.mkdir()
    result = cli(*(a.format(path=path) for a in args))
    words = ["no such file: "] if kind == "missing" else ["is a directory, not a file"]
    assert_failed(result, ExitCode.USAGE, *words, str(path))


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_a_missing_catalog_in_the_environment_is_2(cli: Any, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "nope.yaml"
    if kind == "directory":
        path.mkdir()
    assert_failed(cli("list", env={"CANON_CATALOG": str(path)}), ExitCode.USAGE, str(path))


def test_a_directory_as_export_output_is_2(cli: Any, tmp_path: Path) -> None:
    assert_failed(cli("export", "-o", str(tmp_path)), ExitCode.USAGE, "is a directory")


def test_a_one_value_option_given_twice_is_2(cli: Any) -> None:
    # "--year 2020 --year 2022" once kept the last silently; now it is refused by name
    result = cli("list", "--year", "2020", "--year=2022")
    assert_failed(result, ExitCode.USAGE, "--year was given more than once")
    result = cli("open", "bert", "--link", "1", "-l", "2", "--print")
    assert_failed(result, ExitCode.USAGE, "--link was given more than once")


# --- 3: data ------------------------------------------------------------------------------


def test_corrupt_catalog_is_3(cli: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "broken.yaml"
    catalog.write_text("version: 1\nentries: [\n")
    assert_failed(cli("--catalog", str(catalog), "list"), ExitCode.DATA, f"{catalog}:")


def test_catalog_from_the_environment_is_3(cli: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "broken.yaml"
    catalog.write_text("version: 1\nentries: {}\n")
    result = cli("list", env={"CANON_CATALOG": str(catalog)})
    assert_failed(result, ExitCode.DATA, str(catalog))


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("version: 1\nentries: [\n", ["not valid YAML"]),
        ("version: 1\nentries:\n  bert:\n    status: finished\n", ["status 'finished'", ":4:"]),
        ("version: 99\nentries: {}\n", ["newer canon"]),
        ("- a list\n", ["must be a mapping"]),
    ],
    ids=["syntax", "bad-status", "too-new", "not-a-mapping"],
)
@pytest.mark.parametrize("command", [("list",), ("done", "bert"), ("show", "bert")])
def test_corrupt_state_is_3_and_left_alone(
    cli: Any, canon_home: Path, content: str, words: list[str], command: tuple[str, ...]
) -> None:
    state = canon_home / "state.yaml"  # a version-1 file canon would take in
    state.write_text(content)
    assert_failed(cli(*command), ExitCode.DATA, str(state), *words)
    assert state.read_text() == content
    assert not (canon_home / "state.db").exists()


def test_state_that_is_not_utf8_is_3(cli: Any, canon_home: Path) -> None:
    state = canon_home / "state.yaml"
    state.write_bytes(b"version: 1\nentries:\n  caf\xe9: {}\n")
    assert_failed(cli("done", "bert"), ExitCode.DATA, f"{state}:3:")


def test_invalid_config_is_3(cli: Any, canon_home: Path) -> None:
    config = canon_home / "config.toml"
    config.write_text('language = "fr"\n')
    assert_failed(cli("list"), ExitCode.DATA, f"{config}:1:")


def test_invalid_limit_settings_are_3(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANON_LOCK_TIMEOUT", "soon")
    assert_failed(cli("done", "bert"), ExitCode.DATA, "CANON_LOCK_TIMEOUT")


# --- 4: busy ------------------------------------------------------------------------------


def test_lock_held_past_the_timeout_is_4(
    cli: Any, canon_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CANON_LOCK_TIMEOUT", "0.5")
    assert cli("start", "bert").exit_code == 0
    before = statuses()
    with state_locked(canon_home / "state.db"):
        started = time.monotonic()
        result = cli("done", "bert")
        waited = time.monotonic() - started
    assert_failed(result, ExitCode.BUSY, "another canon process", "CANON_LOCK_TIMEOUT")
    assert 0.5 <= waited < 5
    assert statuses() == before == {"bert": "reading"}
    assert cli("done", "bert").exit_code == 0  # released: works again
    assert statuses() == {"bert": "done"}


def test_reading_does_not_wait_for_the_lock(cli: Any, canon_home: Path) -> None:
    assert cli("start", "bert").exit_code == 0
    with state_locked(canon_home / "state.db"):
        result = cli("list", "--status", "reading", env={"CANON_LOCK_TIMEOUT": "0"})
    assert result.exit_code == 0
    assert result.stdout.startswith("bert\t")


# --- 5: io --------------------------------------------------------------------------------


def test_unwritable_state_dir_is_5(cli: Any, canon_home: Path) -> None:
    assert cli("start", "bert").exit_code == 0
    with unwritable(canon_home):
        result = cli("done", "bert")
    assert_failed(result, ExitCode.IO, str(canon_home))
    assert statuses() == {"bert": "reading"}


def test_unwritable_state_dir_is_5_for_a_real_process(run_canon: Any, canon_home: Path) -> None:
    with unwritable(canon_home):
        result = run_canon("done", "bert")
    assert_failed(result, ExitCode.IO, str(canon_home))
    assert not (canon_home / "state.db").exists()


def test_state_dir_that_is_a_file_is_5(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    monkeypatch.setenv("CANON_HOME", str(blocker / "home"))
    assert_failed(cli("done", "bert"), ExitCode.IO, str(blocker / "home"))
    assert blocker.read_text() == "a file where a folder should be"


def test_state_that_is_a_directory_is_refused(cli: Any, canon_home: Path) -> None:
    (canon_home / "state.yaml").mkdir(parents=True)
    result = cli("done", "bert")
    assert result.exit_code in (ExitCode.DATA, ExitCode.IO)
    assert_failed(result, ExitCode(result.exit_code), str(canon_home / "state.yaml"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_state_is_5(cli: Any, canon_home: Path) -> None:
    assert cli("done", "bert").exit_code == 0
    state = canon_home / "state.db"
    state.chmod(0)
    try:
        assert_failed(cli("list"), ExitCode.IO, str(state))
    finally:
        state.chmod(0o600)


@pytest.mark.parametrize(
    "args",
    [
        ("show", "palm"),
        ("log",),
        ("search", "attention"),
        ("export", "--format", "md"),
        ("list",),
        ("progress",),
        ("sections",),
    ],
)
def test_a_reader_that_stops_early_is_0(args: tuple[str, ...], canon_home: Path) -> None:
    # `set -o pipefail; canon show palm | true` once failed (exit 1) for typer commands
    import subprocess
    import sys

    home = canon_home
    home.mkdir(parents=True, exist_ok=True)
    (home / "state.yaml").write_text(
        "version: 1\nentries:\n  bert:\n    status: done\n"
        "    started: '2024-01-02T10:00:00+00:00'\n    finished: '2024-01-03T10:00:00+00:00'\n",
        encoding="utf-8",
    )
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before canon writes a byte
    proc = subprocess.run(
        [sys.executable, "-m", "canon_cli", *args],
        stdout=write_end,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        timeout=60,
    )
    os.close(write_end)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_install_completion_under_an_unusable_home_is_5(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "home-is-a-file"
    not_a_dir.write_text("", encoding="utf-8")
    # typer installs for the shell it finds among canon's parents: bash here, whatever
    # runs the tests (a detached run has no shell above it, and typer then refuses)
    proc = subprocess.run(
        ["bash", "-c", '"$0" -m canon_cli --install-completion; exit $?', sys.executable],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(not_a_dir / "x")},
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    result = Result(proc.returncode, proc.stdout, proc.stderr)
    assert_failed(result, ExitCode.IO, "cannot install shell completion", str(not_a_dir))


# --- standard streams and signals ---------------------------------------------------------


def shell(command: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """``canon ARGS`` under ``sh -c`` with the redirections in ``command`` ($@ = canon)."""
    return subprocess.run(
        ["sh", "-c", command.replace("CANON", '"$0" -m canon_cli "$@"'), sys.executable, *args],
        capture_output=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    "args", [("list",), ("show", "bert"), ("list", "--json"), ("export",), ("--help",)]
)
def test_a_closed_stdout_is_like_dev_null(args: tuple[str, ...]) -> None:
    result = shell("exec CANON >&-", *args)
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr and result.stderr == b""


def test_a_mark_with_stdout_and_stderr_closed_is_recorded_and_exits_0(canon_home: Path) -> None:
    result = shell("exec CANON >&- 2>&-", "done", "bert")
    assert result.returncode == 0
    assert statuses(canon_home / "state.db")["bert"] == "done"
    assert shell("exec CANON <&-", "reset", "bert").returncode == 0


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args", [("list",), ("show", "bert"), ("list", "--json"), ("export",), ("sections",)]
)
def test_output_that_cannot_be_written_is_5(args: tuple[str, ...]) -> None:
    for redirect in (">/dev/full", "1</dev/null"):  # disk full; a descriptor opened read-only
        result = shell(f"exec CANON {redirect}", *args)
        assert result.returncode == ExitCode.IO, (redirect, result.stderr)
        err = result.stderr.decode()
        assert err.startswith("canon: error: cannot write to standard output: "), err
        assert "Traceback" not in err and err.count("canon: error:") == 1


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_mark_whose_message_cannot_be_written_still_exits_0(canon_home: Path) -> None:
    result = shell("exec CANON 2>/dev/full", "done", "bert")
    assert result.returncode == 0
    assert statuses(canon_home / "state.db")["bert"] == "done"


def wait_until_it_opens(pid: int, path: Path, timeout: float = 120) -> bool:
    """Whether process ``pid`` opened ``path`` within ``timeout`` (it is waiting on it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            return False
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                    return True
            except OSError:
                continue
        time.sleep(0.01)
    return False


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
@pytest.mark.parametrize(
    ("sig", "code"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143)],  # 128 + the signal's number
)
def test_a_signal_while_waiting_for_the_lock(canon_home: Path, sig: int, code: int) -> None:
    """Ctrl-C is 130 and SIGTERM 143, at once; nothing is written and the database is
    free after."""
    assert shell("exec CANON", "start", "bert").returncode == 0
    with state_locked(canon_home / "state.db"):
        proc = subprocess.Popen(
            [sys.executable, "-m", "canon_cli", "done", "bert"],
            env={**os.environ, "CANON_LOCK_TIMEOUT": "300"},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert wait_until_it_opens(proc.pid, canon_home / "state.db")
        time.sleep(0.5)  # waiting for the lock by now
        assert proc.poll() is None
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=20)  # not after the 300 s wait
    assert proc.returncode == code, (proc.returncode, err)
    assert b"Traceback" not in err
    assert statuses()["bert"] == "reading"
    assert shell("exec CANON", "done", "bert").returncode == 0
    assert not [p for p in canon_home.iterdir() if p.name.endswith(".tmp")]
    assert shell("exec CANON", "done", "bert").returncode == 0
