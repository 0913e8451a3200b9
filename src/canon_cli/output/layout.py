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


def _tokens(text: str) -> list[str]:
    """Pieces a line may break between: runs of spaces, words, and single wide
    characters (a CJK character is a break opportunity on both sides)."""
    tokens: list[str] = []
    current = ""
    for char in text:
        if char == " ":
            if current and not current.endswith(" "):
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
            if current:
                tokens.append(current)
            tokens.append(char)
            current = ""
        else:
            if current.endswith(" ") or (current and _is_wide(current[-1])):
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


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` cells (each newline starts a new line)."""
    width = max(width, 1)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for token in _tokens(paragraph):
            w = cell_width(token)
            if token.isspace():
                if line:
                    line, used = line + token, used + w
                continue
            if used + w > width and line.strip():
                lines.append(line.rstrip())
                line, used = "", 0
            if w > width:
                *full, token = _split_to_width(token, width)
                lines.extend(full)
                w = cell_width(token)
            line, used = line + token, used + w
        lines.append(line.rstrip())
    return lines


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
    if widths is None:  # nothing left to drop: wrapping columns at their minimum
        widths = {
            i: (columns[i].min_width or natural[i]) if columns[i].wraps else natural[i]
            for i in kept
        }
        widths = {i: min(w, natural[i]) for i, w in widths.items()}
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
