"""canon's tables and grids drawn line by line, for columns whose widths are fixed.

``render.fitted_table`` decides every column's width itself (``layout.fit_columns``)
and then asks for rich's table style: bold headers over a rule, no frame, two spaces
between columns; ``progress`` draws a grid whose widths ``layout.fit_progress`` chose.
rich's ``Table`` would measure every cell again and render each one through two nested
passes (its padding, then the cell): that was about 45 ms of the 83 ms a terminal
``list`` of all 96 entries took. With the widths known, a line is each cell's line,
padded as rich pads it, and the gap between columns; that is what ``FixedTable``
yields, cell by cell with rich's own ``Text`` methods (slicing, ``truncate``,
``pad_left``, ``render``), so every character has the glyph and the style rich's
table gives it. tests/output/test_grid.py compares the bytes both write, over the
catalog at 13 widths, in both languages, with and without colour.

Anything outside that simple case (a header or a cell that would need more than one
line where it may not wrap, a tab or a line break in a cell, widths wider than the
terminal) is drawn by rich's ``Table`` itself (``fallback``), so the result never
depends on this module getting an unusual case right.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions
    from rich.segment import Segment
    from rich.style import Style
    from rich.text import Text


# Between two columns: the left one's right padding, the divider, the right one's left
# padding. canon's table (SIMPLE_HEAD, collapsed padding of 1) has a space of padding
# and a space of divider; rich's ``Table.grid(padding=(0, 2))`` collapses its padding to two.
TABLE_GAP = (1, 1, 0)
GRID_GAP = (2, 0, 0)


class FixedTable:
    """Rows of rich ``Text`` in columns of fixed widths; ``wraps[i]``: column i's cells
    wrap (with ``lines``, as ``render.Wrapped`` wraps them), the others are one line.
    ``headers``: bold, over a rule (None: a grid without them); ``sections``: indexes of
    rows a section line goes above."""

    def __init__(
        self,
        headers: Sequence[Text] | None,
        styles: Sequence[str],
        widths: Sequence[int],
        right: Sequence[bool],
        wraps: Sequence[bool],
        rows: Sequence[Sequence[Text]],
        sections: Collection[int],
        lines: Callable[[str, int], list[tuple[int, int]]],
        fallback: Callable[[], Any],
        gap: tuple[int, int, int] = TABLE_GAP,
        cut: bool = False,
    ) -> None:
        self.headers, self.styles, self.widths = headers, styles, widths
        self.right, self.wraps, self.rows, self.sections = right, wraps, rows, sections
        self.lines, self.fallback, self.gap = lines, fallback, gap
        self.cut = cut  # a one-line cell wider than its column ends in an ellipsis

    def _simple(self, options: ConsoleOptions) -> bool:
        """Whether every cell is drawn here exactly as rich's table would draw it."""
        between = sum(self.gap) * (len(self.widths) - 1)
        if not self.widths or sum(self.widths) + between > options.max_width:
            return False
        headed = [] if self.headers is None else [self.headers]
        for row in (*headed, *self.rows):
            for cell, width, wraps in zip(row, self.widths, self.wraps, strict=True):
                plain = cell.plain
                if "\t" in plain or "\n" in plain:
                    return False
                one_line = not wraps and not self.cut
                if cell.cell_len > width and (one_line or row is self.headers):
                    return False
        return True

    def _cell_lines(self, cell: Text, column: int) -> list[Text | tuple[str, str | Style]]:
        """The lines of one cell at its column's width, padded as rich pads them."""
        from rich.cells import cell_len

        width = self.widths[column]
        if not self.wraps[column] and not cell.spans:
            # one line in one style (ids, years, kinds, counts): the padded text, as
            # ``truncate``/``pad_left`` would make it, without a Text for each cell
            plain = cell.plain
            if cell_len(plain) <= width:
                if self.right[column]:
                    plain = plain.rstrip()
                    return [(" " * (width - cell_len(plain)) + plain, cell.style)]
                return [(plain + " " * (width - cell_len(plain)), cell.style)]
        if self.wraps[column]:
            pieces = [cell[start:end] for start, end in self.lines(cell.plain, width)]
        else:
            pieces = [cell.copy()]
        overflow: Literal["ellipsis", "fold"] = "ellipsis" if self.cut else "fold"
        for piece in pieces:
            if cell_len(piece.plain) > width and not (self.cut and not self.wraps[column]):
                raise _NotSimple
            if self.right[column]:
                piece.rstrip()
                piece.truncate(width, overflow=overflow)
                piece.pad_left(width - cell_len(piece.plain))
            else:
                piece.truncate(width, overflow=overflow, pad=True)
        return list(pieces)  # none: the row draws the cell blank, as rich does

    def _row(
        self, console: Console, cells: Sequence[Text], styles: Sequence[Any]
    ) -> Iterator[Segment]:
        """The lines of one row. Unstyled text is written as it is, so a run of unstyled
        pieces goes out as one segment: the same bytes, fewer segments for the console."""
        from rich.segment import Segment

        rendered = [self._cell_lines(cell, i) for i, cell in enumerate(cells)]
        height = max([1, *(len(lines) for lines in rendered)])
        for line_no in range(height):
            plain = ""
            for text, style in self._pieces(console, rendered, styles, line_no):
                if style:
                    if plain:
                        yield Segment(plain)
                        plain = ""
                    yield Segment(text, style)
                else:
                    plain += text
            if plain:
                yield Segment(plain)
            yield Segment.line()

    def _pieces(
        self,
        console: Console,
        rendered: list[list[Text | tuple[str, str | Style]]],
        styles: Sequence[Any],
        line_no: int,
    ) -> Iterator[tuple[str, Any]]:
        """(text, style) of one screen line of a row, cell by cell, with the gaps."""
        last = len(rendered) - 1
        pad_right, divider, pad_left = self.gap
        for i, lines in enumerate(rendered):
            style = styles[i]
            left = pad_left if i else 0
            right = pad_right if i != last else 0
            if line_no >= len(lines):  # below a shorter cell: blank, in its style
                yield " " * (left + self.widths[i] + right), style
            else:
                if left:
                    yield " " * left, style
                # rich's table joins a cell's lines into one Text, which makes each
                # line's own style a span under its other spans
                line = lines[line_no]
                if isinstance(line, tuple):  # one piece, in one style
                    yield line[0], style + console.get_style(line[1])
                else:
                    base = style + console.get_style(line.style)
                    for segment in line.render(console, end=""):
                        yield segment.text, base + segment.style
                if right:
                    yield " " * right, style
            if divider and i != last:
                yield " " * divider, None

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
        styles = [get_style(style or "") for style in self.styles]
        frame = box.SIMPLE_HEAD.substitute(options, safe=console.safe_box)
        pad_right, _divider, pad_left = self.gap
        full = [pad_left * bool(i) + w + pad_right for i, w in enumerate(self.widths[:-1])]
        full.append(pad_left * (len(self.widths) > 1) + self.widths[-1])
        if self.headers is not None:
            yield from self._row(console, self.headers, [get_style("bold")] * len(styles))
            yield Segment(frame.get_row(full, "head", edge=False))
            yield Segment.line()
        for index, row in enumerate(self.rows):
            if index and index in self.sections:
                yield Segment(frame.get_row(full, "row", edge=False))
                yield Segment.line()
            yield from self._row(console, row, styles)


def fixed_grid(columns: Sequence[tuple[int | None, bool]], rows: list[list[Any]]) -> Any:
    """rich's ``Table.grid(padding=(0, 2))`` of one-line cells (rich ``Text``), drawn by
    ``FixedTable``: per column, its width (None: its widest cell) and whether it
    is right-aligned. A cell wider than its column is cut with an ellipsis, as rich cuts it."""
    from canon_cli.output.layout import wrap_spans

    def rich_grid() -> Any:
        from rich.table import Table

        grid = Table.grid(padding=(0, 2))
        for width, right in columns:
            grid.add_column(no_wrap=True, width=width, justify="right" if right else "left")
        for row in rows:
            grid.add_row(*row)
        return grid

    widths = [
        max((row[i].cell_len for row in rows), default=0) if width is None else width
        for i, (width, _right) in enumerate(columns)
    ]
    if not all(widths):  # rich gives an empty column its padding only
        return rich_grid()
    count = len(columns)
    return FixedTable(
        headers=None,
        styles=[""] * count,
        widths=widths,
        right=[right for _width, right in columns],
        wraps=[False] * count,
        rows=rows,
        sections=(),
        lines=wrap_spans,
        fallback=rich_grid,
        gap=GRID_GAP,
        cut=True,
    )


class _NotSimple(Exception):
    """A cell this module does not draw as rich's table would."""
