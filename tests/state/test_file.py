"""The state file on disk: validation, hand edits, safe writes, the snapshot, and sync."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from canon_cli import fileio, paths
from canon_cli.errors import BusyError, CanonIOError, ConfigError, StateError, UsageError
from canon_cli.fileio import atomic_write_bytes, exclusive_lock
from canon_cli.state import file as statefile
from canon_cli.state import statuses
from canon_cli.state.file import (
    dump_state,
    export_state,
    import_state,
    load_state,
    load_state_fast,
    merge_state_file,
    read_statuses,
    update_state,
)
from canon_cli.state.records import (
    EntryState,
    Note,
    ReadingState,
    add_note,
    mark,
    set_rating,
)
from canon_cli.vocab import STATUSES

SRC = Path(__file__).resolve().parents[2] / "src"
NOW = "2026-12-01T10:00:00+00:00"

EXAMPLE = """\
# canon reading state: safe to edit by hand; canon keeps comments and order.
version: 1
entries:
  attention-is-all-you-need:
    status: done
    started: '2026-11-20T10:00:00+00:00'
    finished: '2026-11-21T09:00:00+00:00'
    rating: 5
    notes:
      - at: '2026-11-21T09:00:00+00:00'
        text: the multi-head attention figure is the key
    updated: '2026-11-21T09:00:00+00:00'
"""

HAND_EDITED = """\
# My reading, kept in my dotfiles.
version: 1
entries:
  # Papers first.
  attention-is-all-you-need:   # the classic
    status: reading  # on the train
    started: 2026-11-20T10:00:00+01:00
    # rated before finishing it:
    rating: 4
    notes:
      - at: '2026-11-20T10:00:00+01:00'
        text: figure 2  # look again
  # Then the blog posts.

  gpt-2:
    status: done
    finished: '2026-10-01'
    updated: '2026-10-01T00:00:00+00:00'   # typed by hand
# end of my list
"""


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("CANON_HOME", str(home))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.delenv("CANON_LOCK_TIMEOUT", raising=False)
    return home


@pytest.fixture
def state_file() -> Path:
    path = paths.state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def fingerprint(path: Path) -> tuple[bytes, int, int]:
    st = path.stat()
    return path.read_bytes(), st.st_mtime_ns, st.st_ino


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def mark_done(entry_id: str) -> Callable[[ReadingState], bool]:
    return lambda state: mark(state, entry_id, "done", NOW)


# -- reading --------------------------------------------------------------------------


def test_a_missing_file_is_an_empty_state(state_file: Path) -> None:
    assert load_state(state_file) == ReadingState()
    assert read_statuses(state_file) == {}
    assert not state_file.exists()


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "version: 1\n"])
def test_an_empty_file_is_an_empty_state(state_file: Path, text: str) -> None:
    write(state_file, text)
    assert load_state(state_file) == ReadingState()
    assert read_statuses(state_file) == {}


def test_the_documented_example_loads(state_file: Path) -> None:
    write(state_file, EXAMPLE)
    state = load_state(state_file)
    assert state.entries == {
        "attention-is-all-you-need": EntryState(
            status="done",
            started="2026-11-20T10:00:00+00:00",
            finished="2026-11-21T09:00:00+00:00",
            rating=5,
            notes=[
                Note(
                    at="2026-11-21T09:00:00+00:00",
                    text="the multi-head attention figure is the key",
                )
            ],
            updated="2026-11-21T09:00:00+00:00",
        )
    }
    assert dump_state(state) == EXAMPLE  # canon writes the format it documents


def test_unquoted_yaml_timestamps_typed_by_hand_are_accepted(state_file: Path) -> None:
    write(
        state_file,
        "entries:\n  x:\n    status: done\n    started: 2026-11-20\n"
        "    finished: 2026-11-21 09:30:00\n    updated: 2026-11-21T09:30:00+01:00\n",
    )
    record = load_state(state_file).entries["x"]
    assert (record.started, record.finished, record.updated) == (
        "2026-11-20",
        "2026-11-21T09:30:00",
        "2026-11-21T09:30:00+01:00",
    )


INVALID = [
    ("entries:\n  x:\n    status: finished\n", 3, "status 'finished' is not one of"),
    ("entries:\n  x:\n    status: done\n    rating: 0\n", 4, "rating must be a whole number"),
    ("entries:\n  x:\n    rating: 6\n", 3, "from 1 to 5"),
    ("entries:\n  x:\n    rating: '5'\n", 3, "rating must be"),
    ("entries:\n  x:\n    rating: true\n", 3, "rating must be"),
    ("entries:\n  x:\n    rating: 4.5\n", 3, "rating must be"),
    ("entries:\n  x:\n    started: last tuesday\n", 3, "is not an ISO 8601 date-time"),
    ("entries:\n  x:\n    updated: 12\n", 3, "must be a date-time"),
    ("entries:\n  x:\n    stauts: done\n", 3, "unknown field 'stauts'"),
    ("version: 1\ncolour: blue\n", 2, "unknown field 'colour'"),
    ("entries:\n  - x\n", 1, "'entries' must be a mapping"),
    ("entries:\n  x: done\n", 2, "must be a mapping of fields"),
    ("entries:\n  x:\n    notes: hello\n", 3, "notes must be a list"),
    ("entries:\n  x:\n    notes:\n      - text: hi\n", 4, "has no 'at'"),
    ("entries:\n  x:\n    notes:\n      - {at: '2026-01-01', text: hi, by: me}\n", 4, "'by'"),
    ("entries:\n  x:\n    notes:\n      - {at: '2026-01-01', text: 42}\n", 4, "must be a string"),
    ("entries:\n  42:\n    status: done\n", 2, "must be a non-empty string"),
    ("version: 2\nentries: {}\n", 1, "newer canon"),
    ("version: 2\nentries:\n  x: {status: someday}\n", 1, "newer canon"),
    ("version: one\n", 1, "'version' must be a whole number"),
    ("- just\n- a list\n", 1, "must be a mapping"),
    ("entries:\n  x:\n    status: 'done\n", None, "not valid YAML"),
    ("entries:\n  x:\n  x:\n", 3, "not valid YAML"),
    ("entries:\n\tx: 1\n", 2, "not valid YAML"),
    ("entries:\n  x:\n    started: 2026-02-30\n", None, "YAML cannot read"),
    (b"entries:\n  x:\n    status: \xff\xfe\n", 3, "not UTF-8"),
    ("{" * 5000, None, ""),
]


@pytest.mark.parametrize(("content", "line", "message"), INVALID)
def test_an_invalid_file_is_refused_and_never_touched(
    state_file: Path, content: str | bytes, line: int | None, message: str, tmp_path: Path
) -> None:
    write(state_file, content)
    before = fingerprint(state_file)
    folder_before = listing(state_file.parent)
    with pytest.raises(StateError) as info:
        load_state(state_file)
    assert str(state_file) in str(info.value)
    assert message in str(info.value)
    if line is not None:
        assert info.value.line == line
    assert "Fix the file by hand" in str(info.value) or "Upgrade canon" in str(info.value)

    for attempt in (
        lambda: read_statuses(state_file),
        lambda: load_state_fast(state_file),
        lambda: update_state(state_file, mark_done("y")),
        lambda: export_state(state_file, tmp_path / "out.yaml", force=True),
        lambda: import_state(state_file, write(tmp_path / "in.yaml", EXAMPLE)),
        lambda: merge_state_file(state_file, tmp_path / "in.yaml"),
    ):
        with pytest.raises(StateError):
            attempt()
    assert fingerprint(state_file) == before
    assert listing(state_file.parent) == sorted({*folder_before, "state.lock"})
    assert not (tmp_path / "out.yaml").exists()


def test_the_recovery_hint_names_the_backup_when_there_is_one(state_file: Path) -> None:
    write(state_file, EXAMPLE)
    update_state(state_file, mark_done("x"))  # leaves state.yaml.bak
    write(state_file, "entries: [\n")
    with pytest.raises(StateError) as info:
        update_state(state_file, mark_done("y"))
    assert f"cp {state_file}.bak {state_file}" in str(info.value)
    assert state_file.read_text() == "entries: [\n"


VALID_TEXT = EXAMPLE + HAND_EDITED.split("entries:\n", 1)[1]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(0, len(VALID_TEXT.encode())))
def test_a_truncated_file_is_valid_or_refused_untouched(state_file: Path, cut: int) -> None:
    data = VALID_TEXT.encode()[:cut]
    write(state_file, data)
    try:
        load_state(state_file)
    except StateError:
        with pytest.raises(StateError):
            update_state(state_file, mark_done("new"))
        assert state_file.read_bytes() == data


FRAGMENTS = [
    "version: 1\n",
    "version: 2\n",
    "entries:\n",
    "entries: {}\n",
    "  x:\n",
    "  'y z':\n",
    "  x: &a {status: done}\n",
    "  w: *a\n",
    "  <<: {q: {status: done}}\n",
    "    status: done\n",
    "    status: reading\n",
    "    status: [done]\n",
    "    rating: 3\n",
    "    rating: 9\n",
    "    started: 2026-11-20\n",
    "    started: '2026-11-20T10:00:00+00:00'\n",
    "    updated: 2026-11-20 10:00:00 +01:00\n",
    "    notes:\n",
    "      - at: '2026-11-20'\n",
    "        text: hello\n",
    "      - text: !!binary aGVsbG8=\n",
    "    notes: []\n",
    "# comment\n",
    "  # indented comment\n",
    "\n",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "? [a, b]\n: c\n",
    "!!set {a, b}\n",
    "  x: !!python/object:os.system {}\n",
    "\t",
    '"\\u0000"\n',
]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.one_of(
        st.binary(max_size=300),
        st.lists(st.sampled_from(FRAGMENTS), max_size=12).map(lambda p: "".join(p).encode()),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    )
)
@example(b"entries:\n  x: &a {status: done}\n  y: *a\n")
@example(b"\xef\xbb\xbfentries:\n  x: {status: done}\n")
@example(b"entries: {x: {status: done}}\n")
@example(b"entries:\n  x:\n    status: done\n    notes: &n\n      - {at: '2026-01-01', text: a}\n")
def test_any_bytes_load_or_raise_state_error_and_writes_stay_valid(
    state_file: Path, data: bytes
) -> None:
    for leftover in (state_file, statefile.backup_path(state_file)):
        leftover.unlink(missing_ok=True)
    write(state_file, data)
    try:
        state = load_state(state_file)
    except StateError:
        with pytest.raises(StateError):
            read_statuses(state_file)
        with pytest.raises(StateError):
            update_state(state_file, mark_done("new-id"))
        assert state_file.read_bytes() == data
        return
    assert read_statuses(state_file) == {k: r.status for k, r in state.entries.items()}
    changed = update_state(state_file, mark_done("new-id"))
    after = load_state(state_file)
    expected = dict(state.entries)
    if changed:
        expected["new-id"] = after.entries["new-id"]
        assert after.entries["new-id"].status == "done"
        assert statefile.backup_path(state_file).exists() == bool(data.strip())
    assert after.entries == expected  # nothing else lost or changed


# -- writing keeps the user's file ----------------------------------------------------


def test_comments_and_untouched_entries_survive_an_update(state_file: Path) -> None:
    write(state_file, HAND_EDITED)
    update_state(state_file, mark_done("attention-is-all-you-need"))
    text = state_file.read_text()
    for line in HAND_EDITED.splitlines():
        if "#" in line:
            assert line.split("#", 1)[1] in text, line
    gpt2 = HAND_EDITED[HAND_EDITED.index("  gpt-2:") : HAND_EDITED.index("# end")]
    assert gpt2 in text  # the untouched entry is byte-for-byte as the user wrote it
    assert text.endswith("# end of my list\n")
    assert text.index("# Then the blog posts.") < text.index("gpt-2:")
    record = load_state(state_file).entries["attention-is-all-you-need"]
    assert (record.status, record.started, record.finished, record.rating) == (
        "done",
        "2026-11-20T10:00:00+01:00",
        NOW,
        4,
    )
    assert f"finished: '{NOW}'" in text  # written quoted


def test_a_note_added_goes_after_the_last_note_not_after_the_next_comment(
    state_file: Path,
) -> None:
    write(state_file, HAND_EDITED)
    update_state(state_file, lambda s: add_note(s, "attention-is-all-you-need", "more", NOW))
    text = state_file.read_text()
    assert text.index("text: figure 2  # look again") < text.index("text: more")
    assert text.index("text: more") < text.index("# Then the blog posts.")


def test_a_new_entry_goes_at_the_end_before_a_closing_comment_only_if_it_trails(
    state_file: Path,
) -> None:
    write(state_file, HAND_EDITED)
    update_state(state_file, mark_done("new-one"))
    text = state_file.read_text()
    assert text.index("gpt-2:") < text.index("new-one:") < text.index("# end of my list")


def test_inserted_fields_keep_the_comment_above_the_next_field(state_file: Path) -> None:
    write(state_file, HAND_EDITED)
    update_state(state_file, mark_done("attention-is-all-you-need"))
    text = state_file.read_text()
    assert text.index("finished:") < text.index("# rated before finishing it:")
    assert text.index("# rated before finishing it:") < text.index("rating: 4")


def test_a_missing_file_is_created_with_the_header(state_file: Path) -> None:
    assert update_state(state_file, mark_done("x")) is True
    text = state_file.read_text()
    assert text.startswith(f"# {statefile.HEADER}\nversion: 1\nentries:\n  x:\n")
    assert not statefile.backup_path(state_file).exists()
    assert load_state(state_file).entries["x"].finished == NOW


def test_nothing_is_written_when_nothing_changed(state_file: Path) -> None:
    write(state_file, EXAMPLE)
    before = fingerprint(state_file)
    assert update_state(state_file, mark_done("attention-is-all-you-need")) is False
    assert update_state(state_file, lambda s: None) is None
    assert fingerprint(state_file) == before
    assert not statefile.backup_path(state_file).exists()


def test_the_backup_holds_the_previous_content(state_file: Path) -> None:
    write(state_file, HAND_EDITED)
    update_state(state_file, mark_done("x"))
    first = state_file.read_bytes()
    assert statefile.backup_path(state_file).read_text() == HAND_EDITED
    update_state(state_file, mark_done("y"))
    assert statefile.backup_path(state_file).read_bytes() == first


def test_entries_unknown_to_any_catalog_are_kept(state_file: Path) -> None:
    write(state_file, "entries:\n  renamed-long-ago: {status: done}\n")
    update_state(state_file, mark_done("x"))
    assert set(load_state(state_file).entries) == {"renamed-long-ago", "x"}


def test_the_file_keeps_its_permission_bits(state_file: Path) -> None:
    write(state_file, EXAMPLE)
    state_file.chmod(0o640)
    update_state(state_file, mark_done("x"))
    assert state_file.stat().st_mode & 0o777 == 0o640


def test_a_new_state_file_is_private(state_file: Path) -> None:
    update_state(state_file, mark_done("x"))
    assert state_file.stat().st_mode & 0o777 == 0o600


def test_an_edit_saved_while_canon_works_is_not_clobbered(state_file: Path) -> None:
    write(state_file, HAND_EDITED)
    calls = []

    def mutate(state: ReadingState) -> bool:
        calls.append(1)
        if len(calls) == 1:  # the user saves an edit while canon is between read and write
            text = state_file.read_text().replace("rating: 4", "rating: 2")
            state_file.write_text(text + "  by-hand:\n    status: skipped\n")
        return mark(state, "x", "reading", NOW)

    assert update_state(state_file, mutate) is True
    assert len(calls) == 2
    state = load_state(state_file)
    assert state.entries["attention-is-all-you-need"].rating == 2
    assert state.entries["by-hand"].status == "skipped"
    assert state.entries["x"].status == "reading"


def test_an_invalid_edit_saved_meanwhile_is_refused_not_overwritten(state_file: Path) -> None:
    write(state_file, EXAMPLE)

    def mutate(state: ReadingState) -> bool:
        state_file.write_text("entries:\n  x: {status: half-typed\n")
        return mark(state, "x", "done", NOW)

    with pytest.raises(StateError):
        update_state(state_file, mutate)
    assert state_file.read_text() == "entries:\n  x: {status: half-typed\n"


def test_a_file_that_keeps_changing_ends_in_busy_error_without_writing(
    state_file: Path,
) -> None:
    write(state_file, EXAMPLE)
    counter = iter(range(100))

    def mutate(state: ReadingState) -> bool:
        state_file.write_text(EXAMPLE + f"# edit {next(counter)}\n")
        return mark(state, "x", "done", NOW)

    with pytest.raises(BusyError, match="kept changing"):
        update_state(state_file, mutate)
    assert state_file.read_text().startswith(EXAMPLE + "# edit ")
    assert "x" not in load_state(state_file).entries


def test_orphan_temp_files_of_a_killed_writer_are_cleaned_up(state_file: Path) -> None:
    write(state_file, EXAMPLE)
    orphan = state_file.parent / ".state.yaml.0123456789ab.tmp"
    orphan.write_text("half")
    update_state(state_file, mark_done("x"))
    assert not orphan.exists()
    assert not [n for n in os.listdir(state_file.parent) if n.endswith(".tmp")]


# -- failures of the disk -------------------------------------------------------------


def _fd_name(fd: int) -> str:
    return os.readlink(f"/proc/self/fd/{fd}")


def _inject(m: pytest.MonkeyPatch, op: str, code: int, only: str | None) -> None:
    """Make os.<op> fail with ``code`` for the file ``only`` (its temp file), or for all."""
    real = getattr(os, op)

    def failing(*args: object, **kwargs: object) -> object:
        if op == "replace":
            name = os.path.basename(str(args[1]))
        else:
            target = _fd_name(args[0])  # type: ignore[arg-type]
            if os.path.isdir(target):  # the folder sync after the rename is best effort
                return real(*args, **kwargs)
            name = os.path.basename(target)
        if only is None or name == only or (name.startswith(f".{only}.") and ".bak." not in name):
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    m.setattr(os, op, failing)


needs_proc = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")


@needs_proc
@pytest.mark.parametrize("op", ["write", "fsync", "replace"])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
@pytest.mark.parametrize("only", [None, "state.yaml"])
def test_a_disk_error_leaves_the_state_file_as_it_was(
    state_file: Path, monkeypatch: pytest.MonkeyPatch, op: str, code: int, only: str | None
) -> None:
    """only=None: every write fails (the backup first); "state.yaml": the backup is
    written, then writing the state file itself fails."""
    write(state_file, HAND_EDITED)
    before = fingerprint(state_file)
    with monkeypatch.context() as m:
        _inject(m, op, code, only)
        with pytest.raises(CanonIOError) as info:
            update_state(state_file, mark_done("x"))
    assert str(state_file) in str(info.value)
    assert os.strerror(code) in str(info.value)
    assert fingerprint(state_file) == before
    assert [n for n in os.listdir(state_file.parent) if n.endswith(".tmp")] == []
    backup = statefile.backup_path(state_file)
    assert backup.exists() == (only is not None)
    assert not backup.exists() or backup.read_text() == HAND_EDITED
    update_state(state_file, mark_done("x"))  # the disk is back: the write goes through
    assert load_state(state_file).entries["x"].status == "done"


@needs_proc
@pytest.mark.parametrize("op", ["write", "fsync", "replace"])
def test_atomic_write_failure_keeps_the_original_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, op: str
) -> None:
    target = write(tmp_path / "d" / "file.txt", "original")
    with monkeypatch.context() as m:
        _inject(m, op, errno.ENOSPC, None)
        with pytest.raises(CanonIOError, match=r"cannot write .*file\.txt: No space left"):
            atomic_write_bytes(target, b"new content")
    assert target.read_text() == "original"
    assert listing(target.parent) == ["file.txt"]


def test_atomic_write_creates_folders_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "file.txt"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert listing(target.parent) == ["file.txt"]


def test_atomic_write_does_not_follow_a_symlink_at_a_predictable_temp_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = write(tmp_path / "victim.txt", "do not touch")
    target = write(tmp_path / "d" / "file.txt", "original")
    planted = target.parent / ".file.txt.fixed.tmp"
    planted.symlink_to(victim)
    tokens = iter(["fixed", "fixed", "random1"])
    monkeypatch.setattr(fileio, "_temp_token", lambda: next(tokens))
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert victim.read_text() == "do not touch"
    assert planted.is_symlink()


def test_a_symlinked_state_file_is_updated_through_the_link(state_file: Path) -> None:
    real = write(state_file.parent / "dotfiles" / "canon-state.yaml", EXAMPLE)
    state_file.symlink_to(real)
    update_state(state_file, mark_done("x"))
    assert state_file.is_symlink()
    assert "x" in load_state(real).entries


@pytest.fixture
def shared_home(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A CANON_HOME an unprivileged user can reach (pytest's tmp dirs are root-only)."""
    base = Path(tempfile.mkdtemp(prefix="canon-perm-"))
    base.chmod(0o755)
    home = base / "home"
    home.mkdir()
    monkeypatch.setenv("CANON_HOME", str(home))
    yield home
    for folder in (home, base):
        folder.chmod(0o755)
    shutil.rmtree(base)


def as_unprivileged(fn: Callable[[], object]) -> tuple[str, str]:
    """Run ``fn`` as a user without special rights; returns (error type, message).

    Root ignores permission bits, so as root ``fn`` runs in a forked child as nobody.
    """
    if os.geteuid() != 0:
        try:
            fn()
        except Exception as exc:
            return type(exc).__name__, str(exc)
        return "", ""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            try:
                fn()
                result = ["", ""]
            except Exception as exc:
                result = [type(exc).__name__, str(exc)]
            os.write(write_end, json.dumps(result).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        raw = pipe.read()
    os.waitpid(pid, 0)
    kind, message = json.loads(raw)
    return kind, message


def test_a_read_only_folder_refuses_the_write_and_keeps_the_file(shared_home: Path) -> None:
    state_file = write(paths.state_path(), EXAMPLE)
    state_file.chmod(0o644)
    lock = paths.lock_path()
    lock.touch()
    lock.chmod(0o666)
    shared_home.chmod(0o555)
    before = fingerprint(state_file)
    kind, message = as_unprivileged(lambda: update_state(state_file, mark_done("x")))
    shared_home.chmod(0o755)
    assert kind == "CanonIOError"
    assert str(state_file) in message
    assert "Permission denied" in message
    assert fingerprint(state_file) == before
    assert listing(shared_home) == ["state.lock", "state.yaml"]


def test_an_unreadable_state_file_is_an_io_error(shared_home: Path) -> None:
    state_file = write(paths.state_path(), EXAMPLE)
    state_file.chmod(0o000)
    shared_home.chmod(0o777)
    kind, message = as_unprivileged(lambda: load_state(state_file))
    assert (kind, f"cannot read {state_file}: Permission denied") == ("CanonIOError", message)
    kind, _ = as_unprivileged(lambda: update_state(state_file, mark_done("x")))
    assert kind == "CanonIOError"
    state_file.chmod(0o644)
    assert state_file.read_text() == EXAMPLE


def test_a_state_path_that_is_a_folder_is_refused(state_file: Path) -> None:
    state_file.mkdir()
    with pytest.raises(StateError, match="not a regular file"):
        load_state(state_file)


# -- the lock -------------------------------------------------------------------------


def test_a_symlink_at_the_lock_path_is_refused(state_file: Path, tmp_path: Path) -> None:
    victim = write(tmp_path / "victim", "precious")
    paths.lock_path().symlink_to(victim)
    write(state_file, EXAMPLE)
    with pytest.raises(CanonIOError, match="symbolic link") as info:
        update_state(state_file, mark_done("x"))
    assert str(paths.lock_path()) in str(info.value)
    assert victim.read_text() == "precious"
    assert state_file.read_text() == EXAMPLE


def test_a_dangling_symlink_at_the_lock_path_is_not_followed(tmp_path: Path) -> None:
    lock = tmp_path / "d" / "state.lock"
    lock.parent.mkdir()
    lock.symlink_to(tmp_path / "would-be-created")
    with pytest.raises(CanonIOError, match="symbolic link"), exclusive_lock(lock, 1):
        pass
    assert not (tmp_path / "would-be-created").exists()


def test_a_held_lock_times_out_with_busy_error(tmp_path: Path) -> None:
    lock = tmp_path / "state.lock"
    # A second open file in this process competes for the lock like another process.
    with exclusive_lock(lock, 1), pytest.raises(BusyError) as info, exclusive_lock(lock, 0.2):
        pass
    message = str(info.value)
    assert str(lock) in message and "CANON_LOCK_TIMEOUT" in message
    with exclusive_lock(lock, 0.2):  # released: free again
        pass
    assert lock.stat().st_mode & 0o777 == 0o600


def test_lock_timeout_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert fileio.lock_timeout() == 10.0
    monkeypatch.setenv("CANON_LOCK_TIMEOUT", "0.5")
    assert fileio.lock_timeout() == 0.5
    for bad in ("soon", "-1", "nan"):
        monkeypatch.setenv("CANON_LOCK_TIMEOUT", bad)
        with pytest.raises(ConfigError, match="CANON_LOCK_TIMEOUT"):
            fileio.lock_timeout()


# -- the fast read path ---------------------------------------------------------------


def test_read_statuses_builds_and_then_uses_the_snapshot(state_file: Path) -> None:
    write(state_file, HAND_EDITED)
    expected = {"attention-is-all-you-need": "reading", "gpt-2": "done"}
    assert read_statuses(state_file) == expected
    snapshot = paths.cache_dir() / statuses.SNAPSHOT_NAME
    assert snapshot.is_file()
    assert read_statuses(state_file) == expected
    assert load_state_fast(state_file) == load_state(state_file)


def test_a_warm_read_imports_neither_ruamel_nor_pydantic(state_file: Path, home: Path) -> None:
    write(state_file, HAND_EDITED)
    read_statuses(state_file)
    code = (
        "import sys\nfrom canon_cli import paths\nfrom canon_cli.state import file as statefile\n"
        "print(sorted(statefile.read_statuses(paths.state_path()).items()))\n"
        "print([m for m in sys.modules if m.startswith(('ruamel', 'pydantic'))])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC), "CANON_HOME": str(home)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == [
        "[('attention-is-all-you-need', 'reading'), ('gpt-2', 'done')]",
        "[]",
    ]


def test_an_edited_file_is_never_answered_from_a_stale_snapshot(state_file: Path) -> None:
    write(state_file, EXAMPLE)
    assert read_statuses(state_file) == {"attention-is-all-you-need": "done"}
    write(state_file, EXAMPLE.replace("status: done", "status: skipped"))
    assert read_statuses(state_file) == {"attention-is-all-you-need": "skipped"}


@pytest.mark.parametrize(
    "garbage",
    [b"", b"\x00\xff", b"{", b"[]", b'{"key": 1}', b"[" * 100000, None],
)
def test_a_corrupt_snapshot_is_rebuilt(state_file: Path, garbage: bytes | None) -> None:
    write(state_file, EXAMPLE)
    read_statuses(state_file)
    snapshot = paths.cache_dir() / statuses.SNAPSHOT_NAME
    if garbage is None:  # the right key but a broken body
        blob = json.loads(snapshot.read_text())
        blob["entries"] = [["x", "finished", None, None, None, [], None]]
        garbage = json.dumps(blob).encode()
    snapshot.write_bytes(garbage)
    assert read_statuses(state_file) == {"attention-is-all-you-need": "done"}
    assert json.loads(snapshot.read_text())["entries"][0][1] == "done"


def test_an_unwritable_cache_does_not_fail_a_read(state_file: Path) -> None:
    write(state_file, EXAMPLE)
    write(paths.cache_dir(), "a file where the cache folder should be")
    assert read_statuses(state_file) == {"attention-is-all-you-need": "done"}


# -- export, import, merge ------------------------------------------------------------

TIMESTAMPS = st.datetimes(
    min_value=datetime(1990, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([timezone(timedelta(hours=h)) for h in (0, 1, -5, 9)]),
).map(lambda d: d.isoformat(timespec="seconds"))
TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40)
RECORDS = st.builds(
    EntryState,
    status=st.sampled_from(STATUSES),
    started=st.none() | TIMESTAMPS,
    finished=st.none() | TIMESTAMPS,
    rating=st.none() | st.integers(1, 5),
    notes=st.lists(st.builds(Note, at=TIMESTAMPS, text=TEXT), max_size=3),
    updated=st.none() | TIMESTAMPS,
)
STATES = st.builds(
    ReadingState,
    entries=st.dictionaries(TEXT.filter(lambda s: s.strip() != ""), RECORDS, max_size=5),
)


def _reset(*files: Path) -> None:
    for file in files:
        file.unlink(missing_ok=True)
        statefile.backup_path(file).unlink(missing_ok=True)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(STATES)
def test_export_then_import_is_the_identity(
    state_file: Path, tmp_path: Path, state: ReadingState
) -> None:
    exported, other = tmp_path / "export.yaml", tmp_path / "other-machine.yaml"
    _reset(state_file, exported, other)
    write(exported, dump_state(state))
    assert import_state(state_file, exported) == len(state.entries)
    assert load_state(state_file) == state
    assert export_state(state_file, other, force=False) == len(state.entries)
    assert load_state(other) == state
    _reset(state_file)
    import_state(state_file, other)
    reloaded = load_state(state_file)
    assert reloaded == state
    assert list(reloaded.entries) == list(state.entries)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(STATES, st.lists(st.tuples(st.sampled_from(["mark", "note", "rate"]), st.integers(0, 4))))
def test_updates_in_place_read_back_exactly(
    state_file: Path, state: ReadingState, ops: list[tuple[str, int]]
) -> None:
    _reset(state_file)
    write(state_file, dump_state(state).replace("# canon", "# mine\n# canon"))
    ids = [*state.entries, "fresh-id"]

    def mutate(s: ReadingState) -> None:
        for op, n in ops:
            entry_id = ids[n % len(ids)]
            if op == "mark":
                mark(s, entry_id, STATUSES[n % 4], NOW)
            elif op == "note":
                add_note(s, entry_id, f"note {n}\nline two", NOW)
            else:
                set_rating(s, entry_id, n + 1, NOW)

    expected = ReadingState(entries={k: EntryState(**vars(v)) for k, v in state.entries.items()})
    mutate(expected)
    update_state(state_file, mutate)
    assert load_state(state_file) == expected
    assert state_file.read_text().startswith("# mine\n")


def test_export_refuses_to_overwrite_without_force(state_file: Path, tmp_path: Path) -> None:
    write(state_file, EXAMPLE)
    dest = write(tmp_path / "out.yaml", "mine")
    with pytest.raises(UsageError, match="already exists"):
        export_state(state_file, dest, force=False)
    assert dest.read_text() == "mine"
    assert export_state(state_file, dest, force=True) == 1
    assert load_state(dest) == load_state(state_file)


def test_import_of_an_invalid_file_names_it_and_changes_nothing(
    state_file: Path, tmp_path: Path
) -> None:
    write(state_file, EXAMPLE)
    before = fingerprint(state_file)
    bad = write(tmp_path / "bad.yaml", "entries:\n  x:\n    status: later\n")
    for action in (import_state, merge_state_file):
        with pytest.raises(StateError) as info:
            action(state_file, bad)
        assert str(bad) in str(info.value) and info.value.line == 3
    with pytest.raises(UsageError, match="no such file"):
        import_state(state_file, tmp_path / "missing.yaml")
    assert fingerprint(state_file) == before


def test_import_replaces_the_whole_state_and_keeps_a_backup(
    state_file: Path, tmp_path: Path
) -> None:
    write(state_file, HAND_EDITED)
    src = write(tmp_path / "in.yaml", EXAMPLE)
    assert import_state(state_file, src) == 1
    assert load_state(state_file) == load_state(src)
    assert statefile.backup_path(state_file).read_text() == HAND_EDITED


def test_merge_takes_newer_records_and_reports_how_many_changed(
    state_file: Path, tmp_path: Path
) -> None:
    write(state_file, HAND_EDITED)
    other = ReadingState()
    mark(other, "gpt-2", "skipped", "2026-09-01T00:00:00+00:00")  # older than ours: ignored
    mark(other, "attention-is-all-you-need", "done", NOW)  # newer: wins
    mark(other, "only-there", "reading", NOW)
    src = write(tmp_path / "other.yaml", dump_state(other))
    assert merge_state_file(state_file, src) == 2
    merged = load_state(state_file)
    assert merged.entries["gpt-2"].status == "done"
    assert merged.entries["attention-is-all-you-need"] == other.entries["attention-is-all-you-need"]
    assert merged.entries["only-there"].status == "reading"
    assert "# end of my list" in state_file.read_text()
    before = fingerprint(state_file)
    assert merge_state_file(state_file, src) == 0
    assert fingerprint(state_file) == before
