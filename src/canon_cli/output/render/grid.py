"""canon's table style drawn line by line, for columns whose widths are already fixed.

``render.fitted_table`` decides every column's width itself (``layout.fit_columns``)
and then asks for rich's table style: bold headers over a rule, no frame, two spaces
between columns. rich's ``Table`` would measure every cell again and render each one
through two nested passes (its padding, then the cell), which is most of the time a
terminal ``list`` takes (about 45 ms of the 83 ms for all 96 entries). With the widths
known, a line of the table is each cell's line, padded as rich pads it, and the two
spaces; that is what ``FixedTable`` yields, cell by cell with rich's own ``Text``
methods (slicing, ``truncate``, ``pad_left``, ``render``), so every character has the
glyph and the style rich's table gives it. tests/output/test_grid.py compares the two,
character by character and style by style, over the catalog at many widths.

Anything outside that simple case (a header or a cell that would need more than one
line where it may not wrap, a tab or a line break in a cell, widths wider than the
terminal) is drawn by rich's ``Table`` itself (``fallback``), so the result never
depends on this module getting an unusual case right.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions
    from rich.segment import Segment
    from rich.text import Text


class FixedTable:
    """Rows of rich ``Text`` in columns of fixed widths; ``wraps[i]``: column i's cells
    wrap (with ``lines``, as ``render.Wrapped`` wraps them), the others are one line.
    ``sections``: indexes of rows a section line goes above."""

    def __init__(
        self,
        headers: Sequence[Text],
        styles: Sequence[str],
        widths: Sequence[int],
        right: Sequence[bool],
        wraps: Sequence[bool],
        rows: Sequence[Sequence[Text]],
        sections: Collection[int],
        lines: Callable[[str, int], list[tuple[int, int]]],
        fallback: Callable[[], Any],
    ) -> None:
        self.headers, self.styles, self.widths = headers, styles, widths
        self.right, self.wraps, self.rows, self.sections = right, wraps, rows, sections
        self.lines, self.fallback = lines, fallback

    def _simple(self, options: ConsoleOptions) -> bool:
        """Whether every cell is drawn here exactly as rich's table would draw it."""
        if not self.widths or sum(self.widths) + 2 * (len(self.widths) - 1) > options.max_width:
            return False
        for row in (self.headers, *self.rows):
            for cell, width, wraps in zip(row, self.widths, self.wraps, strict=True):
                plain = cell.plain
                if "\t" in plain or "\n" in plain:
                    return False
                if cell.cell_len > width and (wraps is False or row is self.headers):
                    return False
        return True

    def _cell_lines(self, cell: Text, column: int) -> list[Text]:
        """The lines of one cell at its column's width, padded as rich pads them."""
        from rich.cells import cell_len

        width = self.widths[column]
        if self.wraps[column]:
            pieces = [cell[start:end] for start, end in self.lines(cell.plain, width)]
        else:
            pieces = [cell.copy()]
        for piece in pieces:
            if cell_len(piece.plain) > width:
                raise _NotSimple
            if self.right[column]:
                piece.rstrip()
                piece.pad_left(width - cell_len(piece.plain))
            else:
                piece.truncate(width, overflow="fold", pad=True)
        return pieces  # none: the row draws the cell blank, as rich does

    def _row(
        self, console: Console, cells: Sequence[Text], styles: Sequence[Any]
    ) -> Iterator[Segment]:
        from rich.segment import Segment

        rendered = [self._cell_lines(cell, i) for i, cell in enumerate(cells)]
        height = max(1, *(len(lines) for lines in rendered))
        last = len(cells) - 1
        for line_no in range(height):
            for i, lines in enumerate(rendered):
                style = styles[i]
                if line_no < len(lines):
                    # rich's table joins a cell's lines into one Text, which makes each
                    # line's own style a span under its other spans
                    line = lines[line_no]
                    base = style + console.get_style(line.style)
                    for segment in line.render(console, end=""):
                        yield Segment(segment.text, base + segment.style)
                    if i != last:
                        yield Segment(" ", style)
                else:  # below a shorter cell: blank, in the cell's style
                    yield Segment(" " * (self.widths[i] + (i != last)), style)
                if i != last:
                    yield Segment(" ")  # the divider between two columns
            yield Segment.line()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Any]:
        if not self._simple(options):
            yield self.fallback()
            return
        try:
            drawn = list(self._draw(console, options))
        except _NotSimple:
            yield self.fallback()
            return
        yield from drawn

    def _draw(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        from rich import box
        from rich.segment import Segment

        get_style = console.get_style
        bold = get_style("bold")
        styles = [get_style(style or "") for style in self.styles]
        frame = box.SIMPLE_HEAD.substitute(options, safe=console.safe_box)
        full = [width + 1 for width in self.widths[:-1]] + [self.widths[-1]]
        yield from self._row(console, self.headers, [bold] * len(self.headers))
        yield Segment(frame.get_row(full, "head", edge=False))
        yield Segment.line()
        for index, row in enumerate(self.rows):
            if index and index in self.sections:
                yield Segment(frame.get_row(full, "row", edge=False))
                yield Segment.line()
            yield from self._row(console, row, styles)


class _NotSimple(Exception):
    """A cell this module does not draw as rich's table would."""
