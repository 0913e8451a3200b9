"""The sync folder: own changes appended safely, every device's file read safely."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from canon_cli.errors import CanonIOError, ExitCode
from canon_cli.state import syncdir, syncscan
from canon_cli.state.changes import Change, Clock, from_line, to_line
from canon_cli.state.syncdir import FileOffset, append, device_file
from canon_cli.state.syncscan import scan

A = "a1a1a1a1a1a1a1a1"
B = "b2b2b2b2b2b2b2b2"


def change(n: int, device: str = A, entry: str = "lora") -> Change:
    return Change(entry, "rating", n % 5 + 1, Clock(1_700_000_000_000 + n, 0), device, f"op{n}")


def changes(first: int, count: int, device: str = A) -> list[Change]:
    return [change(n, device) for n in range(first, first + count)]


def write_lines(path: Path, items: list[Change], tail: bytes = b"") -> None:
    with path.open("ab") as out:
        out.write("".join(to_line(c) + "\n" for c in items).encode() + tail)


def kinds(result: syncscan.ScanResult) -> list[str]:
    return [w.kind for w in result.warnings]


# --- appending --------------------------------------------------------------


def test_append_writes_one_json_line_per_change_to_the_own_file(tmp_path: Path) -> None:
    first = append(tmp_path, A, changes(0, 2))
    second = append(tmp_path, A, changes(2, 1))
    path = tmp_path / f"{A}.jsonl"
    assert first.path == second.path == path == device_file(tmp_path, A)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [from_line(line) for line in lines] == changes(0, 3)
    assert second.offset.size == second.offset.offset == path.stat().st_size
    assert (first.start, first.lines, second.lines) == (0, 2, 1)
    assert scan(tmp_path, {str(path): second.offset}).read == []  # nothing left to read
    assert os.listdir(tmp_path) == [path.name]


def test_append_writes_only_the_own_file_whoever_made_the_changes(tmp_path: Path) -> None:
    write_lines(tmp_path / f"{B}.jsonl", changes(0, 1, B))
    before = (tmp_path / f"{B}.jsonl").read_bytes()
    append(tmp_path, A, [change(1, B), change(2, A)])  # B's change merged in from a file
    assert (tmp_path / f"{B}.jsonl").read_bytes() == before
    own = (tmp_path / f"{A}.jsonl").read_text().splitlines()
    assert [from_line(line) for line in own] == [change(1, B), change(2, A)]
    with pytest.raises(ValueError):
        device_file(tmp_path, "../evil")


def test_append_refuses_a_symbolic_link_at_its_own_path(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me\n")
    (tmp_path / f"{A}.jsonl").symlink_to(target)
    with pytest.raises(CanonIOError) as caught:
        append(tmp_path, A, changes(0, 1))
    assert caught.value.exit_code == ExitCode.IO
    assert f"{A}.jsonl" in str(caught.value) and "symbolic link" in str(caught.value)
    assert target.read_text() == "keep me\n"


@pytest.mark.parametrize("make", [os.mkdir, os.mkfifo])
def test_append_refuses_a_path_that_is_not_a_regular_file(tmp_path: Path, make: object) -> None:
    own = tmp_path / f"{A}.jsonl"
    make(own)  # type: ignore[operator]
    with pytest.raises(CanonIOError, match="not a regular file"):
        append(tmp_path, A, changes(0, 1))


def test_append_to_a_missing_folder_says_so_and_creates_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "Dropbox" / "canon"
    with pytest.raises(CanonIOError, match="does not exist"):
        append(folder, A, changes(0, 1))
    assert not (tmp_path / "Dropbox").exists()


def test_a_failed_append_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    append(tmp_path, A, changes(0, 2))
    before = (tmp_path / f"{A}.jsonl").read_bytes()
    real_write = os.write

    def half_then_full(fd: int, data: bytes | memoryview) -> int:
        monkeypatch.setattr(os, "write", full_disk)
        return real_write(fd, bytes(data)[:10])

    def full_disk(fd: int, data: bytes | memoryview) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(CanonIOError, match="No space left"):
        append(tmp_path, A, changes(2, 3))
    assert (tmp_path / f"{A}.jsonl").read_bytes() == before


def test_append_cuts_a_torn_last_line_so_it_cannot_swallow_a_new_one(tmp_path: Path) -> None:
    own = tmp_path / f"{A}.jsonl"
    write_lines(own, changes(0, 1), tail=to_line(change(1)).encode()[:30])  # died mid-write
    append(tmp_path, A, changes(2, 1))
    assert own.read_text().splitlines() == [to_line(change(0)), to_line(change(2))]
    result = scan(tmp_path, {})
    assert result.changes == [change(0), change(2)] and result.warnings == []


def test_append_ends_a_whole_last_line_before_writing(tmp_path: Path) -> None:
    own = tmp_path / f"{A}.jsonl"
    own.write_text(to_line(change(0)))  # whole, but its newline never came
    result = append(tmp_path, A, changes(1, 1))
    assert result.start == len(to_line(change(0)))
    assert own.read_text().splitlines() == [to_line(change(0)), to_line(change(1))]


# --- reading ----------------------------------------------------------------


def test_scan_reads_every_device_and_then_only_what_is_new(tmp_path: Path) -> None:
    append(tmp_path, A, changes(0, 2))
    write_lines(tmp_path / f"{B}.jsonl", changes(10, 3, B))
    first = scan(tmp_path, {})
    assert sorted(first.changes) == sorted(changes(0, 2) + changes(10, 3, B))
    assert first.warnings == [] and len(first.read) == 2
    assert first.devices[B].changes == 3 and first.devices[B].last == change(12, B).clock
    again = scan(tmp_path, first.offsets)
    assert again.changes == [] and again.read == [] and again.offsets == first.offsets
    write_lines(tmp_path / f"{B}.jsonl", changes(13, 1, B))
    later = scan(tmp_path, again.offsets)
    assert later.changes == [change(13, B)] and later.read == [str(tmp_path / f"{B}.jsonl")]
    assert list(later.devices) == [B]


def test_an_unchanged_file_is_not_even_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_lines(tmp_path / f"{B}.jsonl", changes(0, 5, B))
    offsets = scan(tmp_path, {}).offsets

    def no_open(*args: object, **kwargs: object) -> int:
        raise AssertionError("opened a file whose size had not changed")

    monkeypatch.setattr(os, "open", no_open)
    assert scan(tmp_path, offsets).changes == []


def test_a_full_scan_reads_everything_again(tmp_path: Path) -> None:
    write_lines(tmp_path / f"{B}.jsonl", changes(0, 3, B))
    offsets = scan(tmp_path, {}).offsets
    assert scan(tmp_path, offsets, full=True).changes == changes(0, 3, B)


def test_a_torn_last_line_is_left_until_it_is_whole(tmp_path: Path) -> None:
    other = tmp_path / f"{B}.jsonl"
    line = to_line(change(1, B)).encode()
    write_lines(other, changes(0, 1, B), tail=line[:25])
    first = scan(tmp_path, {})
    assert first.changes == [change(0, B)] and first.warnings == []
    assert first.offsets[str(other)].offset < other.stat().st_size
    with other.open("ab") as out:
        out.write(line[25:] + b"\n")
    second = scan(tmp_path, first.offsets)
    assert second.changes == [change(1, B)] and second.warnings == []


def test_a_whole_last_line_without_its_newline_is_read(tmp_path: Path) -> None:
    other = tmp_path / f"{B}.jsonl"
    other.write_bytes(to_line(change(0, B)).encode())
    result = scan(tmp_path, {})
    assert result.changes == [change(0, B)]
    assert result.offsets[str(other)].offset == other.stat().st_size


def test_a_damaged_line_is_skipped_with_one_warning_naming_file_and_line(tmp_path: Path) -> None:
    other = tmp_path / f"{B}.jsonl"
    write_lines(other, changes(0, 2, B))
    with other.open("ab") as out:
        out.write(b'{"v":1,"entry":"lora"}\n\xff\xfe\n\n[1,2]\n')
    write_lines(other, changes(2, 1, B))
    result = scan(tmp_path, {})
    assert result.changes == changes(0, 3, B)
    assert [(w.kind, w.line) for w in result.warnings] == [
        ("bad-line", 3),
        ("bad-line", 4),
        ("bad-line", 6),
    ]
    assert result.warnings[0].text().startswith(f"{other}:3: skipped a damaged line")
    assert "not UTF-8" in result.warnings[1].message
    assert scan(tmp_path, result.offsets).warnings == []  # warned once, not on every run


def test_many_damaged_lines_are_named_up_to_a_limit_then_counted(tmp_path: Path) -> None:
    (tmp_path / f"{B}.jsonl").write_bytes(b"garbage\n" * 12)
    result = scan(tmp_path, {})
    assert [w.line for w in result.warnings] == [1, 2, 3, 4, 5, None]
    assert "7 more damaged lines" in result.warnings[-1].message


def test_an_over_long_line_is_damaged_and_what_follows_is_read(tmp_path: Path) -> None:
    other = tmp_path / f"{B}.jsonl"
    with other.open("wb") as out:
        out.write(b"x" * (syncdir.MAX_LINE_BYTES + 5) + b"\n")
    write_lines(other, changes(0, 1, B))
    result = scan(tmp_path, {})
    assert result.changes == [change(0, B)]
    assert [(w.kind, w.line) for w in result.warnings] == [("bad-line", 1)]


def test_lines_with_windows_line_ends_are_read(tmp_path: Path) -> None:
    text = "".join(to_line(c) + "\r\n" for c in changes(0, 2, B))
    (tmp_path / f"{B}.jsonl").write_bytes(text.encode())
    assert scan(tmp_path, {}).changes == changes(0, 2, B)


def test_a_line_from_a_newer_canon_is_refused_and_nothing_after_it_is_taken(
    tmp_path: Path,
) -> None:
    other = tmp_path / f"{B}.jsonl"
    write_lines(other, changes(0, 1, B))
    newer = to_line(change(1, B)).replace('"v":1', '"v":2')
    with other.open("a") as out:
        out.write(newer + "\n")
    write_lines(other, changes(2, 1, B))
    result = scan(tmp_path, {})
    assert result.changes == [change(0, B)]
    assert [(w.kind, w.line) for w in result.warnings] == [("newer", 2)]
    assert "newer canon" in result.warnings[0].message and "upgrade" in result.warnings[0].message
    write_lines(other, changes(3, 1, B))
    again = scan(tmp_path, result.offsets)
    assert again.changes == [] and kinds(again) == ["newer"]  # still refused, still named


def test_conflict_copies_are_read_and_the_union_counts_each_change_once(tmp_path: Path) -> None:
    own = tmp_path / f"{B}.jsonl"
    write_lines(own, changes(0, 3, B))
    shutil.copy(own, tmp_path / f"{B} (conflicted copy 2026-01-01).jsonl")
    write_lines(tmp_path / f"{B}.sync-conflict-20260101-120000-ABCDEFG.jsonl", changes(5, 1, B))
    (tmp_path / ".syncthing.tmp.jsonl").write_text("half a file")  # an engine's temp file
    (tmp_path / "notes.txt").write_text("not a journal")
    result = scan(tmp_path, {})
    assert len(result.read) == 3 and result.warnings == []
    assert set(result.changes) == set(changes(0, 3, B) + changes(5, 1, B))
    assert result.devices[B].changes == 7 and len(result.devices[B].files) == 3


def test_a_rolled_back_file_is_read_again_from_its_start(tmp_path: Path) -> None:
    other = tmp_path / f"{B}.jsonl"
    write_lines(other, changes(0, 4, B))
    offsets = scan(tmp_path, {}).offsets
    other.write_bytes(b"")
    write_lines(other, changes(0, 2, B) + changes(10, 4, B))  # longer, but not a continuation
    result = scan(tmp_path, offsets)
    assert set(changes(10, 4, B)) <= set(result.changes)


def test_a_shrunk_file_is_read_again(tmp_path: Path) -> None:
    other = tmp_path / f"{B}.jsonl"
    write_lines(other, changes(0, 4, B))
    offsets = scan(tmp_path, {}).offsets
    other.write_bytes(b"")
    write_lines(other, changes(20, 1, B))
    assert scan(tmp_path, offsets).changes == [change(20, B)]


def test_a_symbolic_link_or_folder_in_the_sync_folder_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path.parent / f"{tmp_path.name}-secret"
    secret.write_text(to_line(change(0, B)) + "\n")
    (tmp_path / f"{B}.jsonl").symlink_to(secret)
    (tmp_path / "odd.jsonl").mkdir()
    result = scan(tmp_path, {})
    assert result.changes == []
    assert kinds(result) == ["not-regular", "not-regular"]
    assert "symbolic link" in result.warnings[0].message


def test_an_unreadable_file_is_reported_and_read_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / f"{B}.jsonl"
    write_lines(other, changes(0, 2, B))
    real_open = os.open

    def refuse(path: str, *args: int) -> int:
        if str(path) == str(other):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, *args)

    monkeypatch.setattr(os, "open", refuse)
    result = scan(tmp_path, {})
    assert result.changes == [] and kinds(result) == ["unreadable"]
    assert result.warnings[0].text() == (
        f"{other}: cannot be read (Permission denied); it is read again later"
    )
    monkeypatch.setattr(os, "open", real_open)
    assert scan(tmp_path, result.offsets).changes == changes(0, 2, B)


def test_a_read_error_midway_keeps_the_old_offset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / f"{B}.jsonl"
    write_lines(other, changes(0, 2, B))

    def broken(fd: int, n: int, offset: int) -> bytes:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "pread", broken)
    result = scan(tmp_path, {})
    assert kinds(result) == ["unreadable"] and str(other) not in result.offsets


def test_a_file_gone_from_the_folder_is_reported_once(tmp_path: Path) -> None:
    other = tmp_path / f"{B} (conflicted copy).jsonl"
    write_lines(other, changes(0, 1, B))
    offsets = scan(tmp_path, {}).offsets
    other.unlink()
    result = scan(tmp_path, offsets)
    assert kinds(result) == ["gone"] and result.offsets == {}
    assert "what was read from it is kept" in result.warnings[0].message
    assert scan(tmp_path, result.offsets).warnings == []


def test_a_missing_sync_folder_is_reported_and_keeps_what_was_read(tmp_path: Path) -> None:
    folder = tmp_path / "sync"
    folder.mkdir()
    write_lines(folder / f"{B}.jsonl", changes(0, 1, B))
    offsets = scan(folder, {}).offsets
    shutil.rmtree(folder)
    result = scan(folder, offsets)
    assert kinds(result) == ["folder-missing"] and result.offsets == offsets
    assert result.warnings[0].path == str(folder)


def test_offsets_of_another_folder_are_let_go_quietly(tmp_path: Path) -> None:
    stale = {str(tmp_path / "old" / f"{B}.jsonl"): FileOffset(10, 10, 1, "x")}
    result = scan(tmp_path, stale)
    assert result.warnings == [] and result.offsets == {}
