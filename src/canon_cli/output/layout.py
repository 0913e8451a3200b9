"""Text layout for a terminal of any width: cell widths, wrapping, and fitting columns.

Pure functions of strings and numbers (no rich), so every rule is tested directly:

- a cell's width is counted in terminal cells: a Chinese character takes two;
- text wraps at spaces, and CJK text between any two characters (it has no spaces);
- a word is broken only when it is wider than the whole column;
- columns that may not wrap (ids, years, counts) keep their full width: when a table
  does not fit, the wrapping columns give up width first, then whole columns are
  dropped in the order the view chose, never an id cut in the middle.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

ELLIPSIS = "…"


def char_width(char: str) -> int:
    """Terminal cells one character takes: 2 for wide (CJK) characters, 0 for combining."""
    if char.isascii():
        return 1 if char.isprintable() else 0
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes on one line."""
    if text.isascii():
        return len(text)
    return sum(char_width(c) for c in text)


def _is_wide(char: str) -> bool:
    return not char.isascii() and unicodedata.east_asian_width(char) in ("W", "F")


def _is_opening(char: str) -> bool:
    """A wide opening bracket (（, 「, 《...)."""
    return _is_wide(char) and unicodedata.category(char) == "Ps"


_RUNS = re.compile(r" +|[^ ]+")


def _tokens(text: str) -> list[str]:
    """Pieces a line may break between: runs of spaces, words, and single wide
    characters (a CJK character is a break opportunity on both sides)."""
    if text.isascii():  # no wide character: the runs of spaces and of the rest
        return _RUNS.findall(text)
    return _mixed_tokens(text)


def _mixed_tokens(text: str) -> list[str]:
    """``_tokens`` of any text, character by character."""
    tokens: list[str] = []
    current = ""
    for char in text:
        if char == " ":
            if current and not current.endswith(" "):
                tokens.append(current)
                current = ""
            current += char
        elif _is_opening(char):
            # an opening bracket stays with what follows: no line ends with "（"
            if current and not _is_opening(current[-1]):
                tokens.append(current)
                current = ""
            current += char
        elif _is_wide(char) and unicodedata.category(char).startswith("P"):
            # CJK punctuation stays with what it follows: no line starts with "，"
            if current:
                current += char
            elif tokens and not tokens[-1].isspace():
                tokens[-1] += char
            else:
                current = char
        elif _is_wide(char):
            if current and _is_opening(current[-1]):
                tokens.append(current + char)
            else:
                tokens += [current, char] if current else [char]
            current = ""
        else:
            after_wide = current and _is_wide(current[-1]) and not _is_opening(current[-1])
            if current.endswith(" ") or after_wide:
                tokens.append(current)
                current = ""
            current += char
    if current:
        tokens.append(current)
    return tokens


def _split_to_width(word: str, width: int) -> list[str]:
    """A word wider than the column, cut into pieces of at most ``width`` cells."""
    pieces: list[str] = []
    current, used = "", 0
    for char in word:
        w = char_width(char)
        if used + w > width and current:
            pieces.append(current)
            current, used = "", 0
        current += char
        used += w
    if current:
        pieces.append(current)
    return pieces


def wrap_spans(text: str, width: int) -> list[tuple[int, int]]:
    """Where ``text`` breaks into lines of at most ``width`` cells: (start, end) offsets
    of each line, without the spaces at a break (each newline starts a new line)."""
    width = max(width, 1)
    spans: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        start = end = offset  # the line being filled: text[start:end]
        used = 0
        position = offset
        for token in _tokens(paragraph):
            w = cell_width(token)
            if token.isspace():
                if end > start:
                    end, used = position + len(token), used + w
                position += len(token)
                start = start if end > start else position
                end = max(end, start)
                continue
            if used + w > width and text[start:end].strip():
                spans.append((start, len(text[start:end].rstrip()) + start))
                start = end = position
                used = 0
            if w > width:
                for piece in _split_to_width(token, width)[:-1]:
                    spans.append((position, position + len(piece)))
                    position += len(piece)
                    token = token[len(piece) :]
                start = end = position
                w = cell_width(token)
            end, used = position + len(token), used + w
            position = end
        spans.append((start, start + len(text[start:end].rstrip())))
        offset += len(paragraph) + 1
    return spans


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` cells (each newline starts a new line)."""
    return [text[start:end] for start, end in wrap_spans(text, width)]


def longest_piece(text: str) -> int:
    """The cells of the widest piece ``wrap`` never breaks (a word, a CJK character)."""
    return max(
        (cell_width(t) for t in _tokens(text.replace("\n", " ")) if not t.isspace()), default=0
    )


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis (for a single-line label)."""
    if cell_width(text) <= width:
        return text
    out, used = "", 0
    for char in text:
        w = char_width(char)
        if used + w > width - 1:
            break
        out += char
        used += w
    return out + ELLIPSIS


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` cells (on the left when ``right``)."""
    gap = " " * max(width - cell_width(text), 0)
    return gap + text if right else text + gap


class Column(NamedTuple):
    """One column of a table, as a view declares it."""

    header: str
    wraps: bool = False  # may wrap onto several lines (titles); else kept whole (ids)
    min_width: int = 0  # a wrapping column narrower than this is dropped instead
    drop: int = 0  # 0: never dropped; otherwise dropped in rising order when space runs out
    right: bool = False  # right-aligned (numbers)


GAP = 2


def natural_width(column: Column, cells: Sequence[str]) -> int:
    widths = [cell_width(line) for cell in cells for line in cell.split("\n")]
    return max([cell_width(column.header), *widths])


def fit_columns(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int
) -> list[int | None]:
    """The width of each column on a terminal ``width`` cells wide; None: dropped.

    Wrapping columns shrink first (down to their ``min_width``); then columns are
    dropped by their ``drop`` rank; a column with ``drop == 0`` is always kept, even
    when the table is then wider than the terminal.
    """
    natural = [natural_width(c, [row[i] for row in rows]) for i, c in enumerate(columns)]
    kept = list(range(len(columns)))
    droppable = sorted((c.drop, i) for i, c in enumerate(columns) if c.drop)
    while True:
        widths = _shrink(columns, natural, kept, width)
        if widths is not None or not droppable:
            break
        kept.remove(droppable.pop(0)[1])
    if widths is None:  # nothing left to drop: the wrapping columns share what is left
        widths = {i: natural[i] for i in kept}
        flexible = [i for i in kept if columns[i].wraps]
        fixed = sum(widths[i] for i in kept if i not in flexible) + GAP * (len(kept) - 1)
        share = max((width - fixed) // max(len(flexible), 1), 1)
        widths.update({i: min(share, natural[i]) for i in flexible})
    return [widths.get(i) for i in range(len(columns))]


def _shrink(
    columns: Sequence[Column], natural: list[int], kept: list[int], width: int
) -> dict[int, int] | None:
    """Widths for the ``kept`` columns within ``width``, or None if they cannot fit."""
    widths = {i: natural[i] for i in kept}
    total = sum(widths.values()) + GAP * (len(kept) - 1)
    excess = total - width
    if excess <= 0:
        return widths
    flexible = [i for i in kept if columns[i].wraps]
    room = sum(max(natural[i] - max(columns[i].min_width, 1), 0) for i in flexible)
    if room < excess:
        return None
    # take the excess from the widest wrapping columns first
    for i in sorted(flexible, key=lambda i: -natural[i]):
        give = min(excess, max(natural[i] - max(columns[i].min_width, 1), 0))
        widths[i] -= give
        excess -= give
        if excess == 0:
            break
    return widths


def table_lines(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], widths: Sequence[int | None]
) -> list[list[list[str]]]:
    """Every row as its screen lines, each line a list of padded cells (dropped columns
    left out): ``result[row][line][column]``."""
    kept = [i for i, w in enumerate(widths) if w is not None]
    out: list[list[list[str]]] = []
    for row in rows:
        wrapped = {}
        for i in kept:
            w = widths[i]
            assert w is not None
            wrapped[i] = wrap(row[i], w) if columns[i].wraps else row[i].split("\n")
        height = max((len(lines) for lines in wrapped.values()), default=1)
        out.append(
            [
                [
                    pad(
                        wrapped[i][n] if n < len(wrapped[i]) else "",
                        widths[i] or 0,
                        columns[i].right,
                    )
                    for i in kept
                ]
                for n in range(height)
            ]
        )
    return out


class ProgressFit(NamedTuple):
    """Widths of ``progress``'s section rows: name, bar (0: no bar), time shown or not;
    the count (``3/8``) always keeps its full width."""

    name: int
    bar: int
    time: bool


BAR_WIDTH = 20
BAR_MIN = 6


def fit_progress(width: int, name: int, count: int, time: int) -> ProgressFit:
    """How ``progress``'s rows fit ``width`` cells: the names give way first (down to 16
    cells), then the bar shrinks (down to 6 cells), then the names again (down to 10),
    then the bar goes, then the time. The count is never cut, and neither is a bar: a
    narrower bar is drawn in full, so its filled share stays true."""

    def room(bar: int, with_time: bool) -> int:
        used = count + (bar + GAP if bar else 0) + (time + GAP if with_time else 0)
        return width - used - GAP

    for floor in (16, 10):
        for bar in (BAR_WIDTH, *range(BAR_WIDTH - 1, BAR_MIN - 1, -1)):
            left = room(bar, True)
            if left >= min(name, floor):
                return ProgressFit(min(name, left), bar, True)
    for with_time in (True, False):
        left = room(0, with_time)
        if left >= min(name, 10):
            return ProgressFit(min(name, left), 0, with_time)
    return ProgressFit(max(room(0, False), 1), 0, False)
