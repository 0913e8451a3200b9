"""A FIFO, a device or a socket where canon expects a file: canon never blocks on it,
never reads it as data, never replaces it.

Every file canon reads (the catalog from --catalog or CANON_CATALOG, the config, the
user's own catalog, the caches, the state and the files given to 'state import' and
'state merge') is refused with one message and exit 3, or, for a cache, done without.
An export target that is a named pipe or a character device is written into; one that
is a block device or a socket is refused. Real FIFOs and real processes, each with a
timeout: a canon that blocks fails the test instead of hanging it.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from canon_cli import paths

TIMEOUT = 120  # seconds, for a loaded machine; a blocked open would hang forever
NEEDS_ROOT = pytest.mark.skipif(os.geteuid() != 0, reason="creating device nodes needs root")

# Reads a FIFO without ever blocking on open: says "ready" once open, then copies
# everything a writer sends to stdout until the writer closes its end.
READER = """
import os, select, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
print("ready", flush=True)
poller = select.poll()
poller.register(fd, select.POLLIN)
data = b""
while True:
    events = poller.poll(120000)
    if not events:
        break
    chunk = os.read(fd, 65536)
    if not chunk and events[0][1] & select.POLLHUP:
        break
    data += chunk
sys.stdout.buffer.write(data)
"""


def fifo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


def char_device(path: Path) -> Path:
    """A node for the null device (1, 3), as /dev/null is."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return path


def canon(run_canon: Any, *args: str, env: dict[str, str] | None = None) -> Any:
    result = run_canon(*args, env=env, timeout=TIMEOUT)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def assert_refused(result: Any, path: Path, kind: str = "named pipe (FIFO)") -> None:
    assert result.exit_code == 3, (result.exit_code, result.stderr)
    assert result.stderr.count("canon: error:") == 1, result.stderr
    assert str(path) in result.stderr and kind in result.stderr, result.stderr


# --- files canon reads -----------------------------------------------------------------


def test_a_fifo_as_the_catalog_option(run_canon: Any, tmp_path: Path) -> None:
    pipe = fifo(tmp_path / "catalog.yaml")
    assert_refused(canon(run_canon, "--catalog", str(pipe), "list"), pipe)
    assert_refused(canon(run_canon, "--catalog", str(pipe), "show", "bert"), pipe)


def test_a_fifo_in_canon_catalog(run_canon: Any, tmp_path: Path) -> None:
    pipe = fifo(tmp_path / "catalog.yaml")
    for args in (("list",), ("progress",), ("done", "bert"), ("sections",)):
        assert_refused(canon(run_canon, *args, env={"CANON_CATALOG": str(pipe)}), pipe)


@NEEDS_ROOT
def test_a_device_as_the_catalog(run_canon: Any, tmp_path: Path) -> None:
    device = char_device(tmp_path / "null")
    assert_refused(canon(run_canon, "--catalog", str(device), "list"), device, "character device")


@pytest.mark.parametrize(
    "args",
    [("list",), ("config",), ("config", "set", "language", "zh"), ("done", "bert"), ("show", "x")],
)
def test_a_fifo_as_the_config_file(run_canon: Any, args: tuple[str, ...]) -> None:
    pipe = fifo(paths.config_path())
    assert_refused(canon(run_canon, *args), pipe)
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_the_config_linked_to_dev_zero_is_refused_at_once(run_canon: Any) -> None:
    config = paths.config_path()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.symlink_to("/dev/zero")
    assert_refused(canon(run_canon, "list"), config, "character device")


def test_a_fifo_as_your_own_catalog(run_canon: Any) -> None:
    pipe = fifo(paths.user_catalog_path())
    add = canon(
        run_canon, "add", "https://example.org/x", "--title", "X paper", "--section", "agents"
    )
    assert_refused(add, pipe)
    assert_refused(canon(run_canon, "remove", "x-paper"), pipe)
    assert canon(run_canon, "config", "add-catalog", str(pipe)).exit_code in (2, 3)
    (paths.config_path()).write_text(f'catalogs = ["{pipe}"]\n')
    assert_refused(canon(run_canon, "list"), pipe)
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_a_fifo_as_the_state_or_an_input_file(run_canon: Any, tmp_path: Path) -> None:
    pipe = fifo(tmp_path / "other.yaml")
    for verb in ("import", "merge"):
        assert_refused(canon(run_canon, "state", verb, str(pipe)), pipe, "not a regular file")
    state = fifo(paths.legacy_state_path())  # a version-1 file to take in
    for command in (("list",), ("done", "bert"), ("show", "bert")):
        assert_refused(canon(run_canon, *command), state, "not a regular file")


def test_a_fifo_as_the_state_database_is_refused(run_canon: Any) -> None:
    db = fifo(paths.state_db_path())
    for command in (("list",), ("done", "bert"), ("show", "bert")):
        result = canon(run_canon, *command)
        assert result.exit_code == 5, result.stderr
        assert str(db) in result.stderr and "named pipe" in result.stderr
    assert stat.S_ISFIFO(os.lstat(db).st_mode)


@pytest.mark.parametrize("name", ["catalog-snapshot"])
def test_a_fifo_in_the_cache_is_done_without(run_canon: Any, name: str) -> None:
    """Caches only save time: a FIFO there is ignored and left as it is."""
    assert canon(run_canon, "done", "bert").exit_code == 0
    baseline = canon(run_canon, "list").stdout
    assert "bert\t" in baseline and "\tdone\t" in baseline
    cache = paths.cache_dir()
    if name == "catalog-snapshot":
        (target,) = cache.glob("catalog-*.sqlite")
        target.unlink()
    else:
        target = cache / name
        target.unlink()
    fifo(target)
    for _ in range(2):
        listed = canon(run_canon, "list")
        assert listed.exit_code == 0, listed.stderr
        assert listed.stdout == baseline
    assert canon(run_canon, "start", "rlhf").exit_code == 0
    assert stat.S_ISFIFO(os.lstat(target).st_mode)


def test_reading_a_fifo_never_opens_it(tmp_path: Path) -> None:
    """The check comes before the open: a writer waiting on the FIFO stays waiting."""
    from canon_cli.errors import CatalogError
    from canon_cli.fileio import NotRegularFileError, read_data_file, read_regular

    pipe = fifo(tmp_path / "pipe")
    with pytest.raises(NotRegularFileError) as caught:
        read_regular(pipe, 100)
    assert caught.value.kind == "a named pipe (FIFO)"
    with pytest.raises(CatalogError, match="is a named pipe"):
        read_data_file(pipe, CatalogError, 100)
    # nobody ever opened it for reading: a non-blocking open for writing says so
    with pytest.raises(OSError) as no_reader:
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
    assert no_reader.value.errno == errno.ENXIO


# --- files canon writes ----------------------------------------------------------------


def read_fifo_in_background(pipe: Path) -> subprocess.Popen[bytes]:
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(pipe)], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL
    )
    assert reader.stdout is not None and reader.stdout.readline() == b"ready\n"
    return reader


@pytest.mark.parametrize("force", [False, True])
def test_export_to_a_fifo_writes_into_it(run_canon: Any, tmp_path: Path, force: bool) -> None:
    pipe = fifo(tmp_path / "out.csv")
    reader = read_fifo_in_background(pipe)
    try:
        args = ["export", "--format", "csv", "-o", str(pipe), *(["--force"] if force else [])]
        result = canon(run_canon, *args)
        data, _ = reader.communicate(timeout=TIMEOUT)
    finally:
        reader.kill()
    assert result.exit_code == 0, result.stderr
    assert data.startswith(b"\xef\xbb\xbfid,title,") and b"attention" in data
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_export_to_a_fifo_nobody_reads_fails_at_once(run_canon: Any, tmp_path: Path) -> None:
    pipe = fifo(tmp_path / "out.md")
    result = canon(run_canon, "export", "-o", str(pipe), "--force")
    assert result.exit_code == 5, result.stderr
    assert "no program is reading" in result.stderr
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_state_export_to_a_fifo_writes_into_it(run_canon: Any, tmp_path: Path) -> None:
    assert canon(run_canon, "done", "bert").exit_code == 0
    pipe = fifo(tmp_path / "state-copy.yaml")
    reader = read_fifo_in_background(pipe)
    try:
        result = canon(run_canon, "state", "export", str(pipe))
        data, _ = reader.communicate(timeout=TIMEOUT)
    finally:
        reader.kill()
    assert result.exit_code == 0, result.stderr
    assert b"bert" in data and b"status: done" in data
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


@NEEDS_ROOT
@pytest.mark.parametrize("command", [("export",), ("state", "export")])
def test_export_to_a_device_writes_through_and_keeps_the_device(
    run_canon: Any, tmp_path: Path, command: tuple[str, ...]
) -> None:
    device = char_device(tmp_path / "null")
    args = [*command, "-o", str(device)] if command == ("export",) else [*command, str(device)]
    for extra in ([], ["--force"]):
        result = canon(run_canon, *args, *extra)
        assert result.exit_code == 0, result.stderr
        mode = os.lstat(device).st_mode
        assert stat.S_ISCHR(mode) and os.lstat(device).st_rdev == os.makedev(1, 3)


@NEEDS_ROOT
def test_export_to_a_block_device_or_socket_is_refused(run_canon: Any, tmp_path: Path) -> None:
    import socket

    block = tmp_path / "disk"
    os.mknod(block, stat.S_IFBLK | 0o600, os.makedev(7, 200))  # a loop device number
    sock_path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        for target, kind in ((block, "block device"), (sock_path, "socket")):
            result = canon(run_canon, "export", "-o", str(target), "--force")
            assert result.exit_code == 2, result.stderr
            assert kind in result.stderr
        assert stat.S_ISBLK(os.lstat(block).st_mode)
        assert stat.S_ISSOCK(os.lstat(sock_path).st_mode)
    finally:
        server.close()


@pytest.mark.parametrize("name", ["state.db.bak", "config.toml"])
def test_canon_never_replaces_a_fifo_among_its_own_files(
    run_canon: Any, name: str, tmp_path: Path
) -> None:
    assert canon(run_canon, "done", "bert").exit_code == 0
    export = tmp_path / "export.yaml"
    assert canon(run_canon, "state", "export", str(export)).exit_code == 0
    target = paths.data_dir() / name
    if target.exists():
        target.unlink()
    fifo(target)
    args = (
        ("config", "set", "language", "zh")
        if name == "config.toml"
        else ("state", "import", str(export))
    )
    result = canon(run_canon, *args)
    assert result.exit_code in (3, 5), result.stderr
    assert str(target) in result.stderr and "named pipe" in result.stderr
    assert stat.S_ISFIFO(os.lstat(target).st_mode)


def test_atomic_write_refuses_a_fifo_target(tmp_path: Path) -> None:
    from canon_cli.errors import CanonIOError
    from canon_cli.fileio import atomic_write_bytes

    pipe = fifo(tmp_path / "file")
    link = tmp_path / "link"
    link.symlink_to(pipe)
    for target in (pipe, link):
        with pytest.raises(CanonIOError, match="refusing to replace"):
            atomic_write_bytes(target, b"data")
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode) and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "link"]
