"""click's help layout for text that is not all narrow: a CJK character takes two
columns, and Chinese wraps between any two characters (it has no spaces).

click measures and wraps help with ``len`` and ``textwrap``, which is right for English
(and stays in charge of it) but lets a Chinese line run to twice the width and
misaligns the columns of the option list. This formatter lays out the same parts, in
the same places, with ``output.layout``'s cell widths and wrapping.
"""

from __future__ import annotations

from collections.abc import Sequence

from canon_cli.cli.clicklib import HelpFormatter
from canon_cli.i18n import _
from canon_cli.output.layout import cell_width, shorten, wrap


def _lines(text: str, width: int) -> list[str]:
    """``text``'s paragraphs wrapped to ``width`` columns, a blank line between them.
    The ``[...]`` typer adds to an option's help (default, range, required) is kept
    whole when it fits on a line: a break inside it would split "[默认：" from its value."""
    main, sep, extra = text.rpartition("  [")
    if not (sep and main and extra.endswith("]") and cell_width("[" + extra) <= width):
        main, extra = text, ""
    lines: list[str] = []
    for index, paragraph in enumerate(main.split("\n\n")):
        if index:
            lines.append("")
        lines += wrap(" ".join(paragraph.split()), max(width, 1))
    if extra:
        bracket = "[" + extra
        fits = cell_width(lines[-1]) + 1 + cell_width(bracket) <= width
        lines[-1:] = [f"{lines[-1]} {bracket}"] if fits else [lines[-1], bracket]
    return lines


class WideHelpFormatter(HelpFormatter):
    """click's ``HelpFormatter``, measuring in terminal columns."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = _("Usage: ") if prefix is None else prefix
        head = f"{' ' * self.current_indent}{prefix}{prog} "
        text_width = self.width - self.current_indent
        if text_width >= cell_width(head) + 20:
            rest = " " * cell_width(head)
            lines = wrap(args, text_width - cell_width(head)) or [""]
            self.write(head + f"\n{rest}".join(lines) + "\n")
            return
        # the prefix is too long: the arguments go on the next lines
        indent = " " * (max(self.current_indent, cell_width(prefix)) + 4)
        lines = wrap(args, text_width - len(indent)) or [""]
        self.write(head + "\n" + "\n".join(indent + line for line in lines) + "\n")

    def write_heading(self, heading: str) -> None:
        said = _("{heading}:").format(heading=heading)
        self.write(f"{' ' * self.current_indent}{said}\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        lines = _lines(text, self.width - self.current_indent)
        self.write("\n".join(indent + line if line else "" for line in lines) + "\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        if not rows:
            return
        first_col = min(max(cell_width(row[0]) for row in rows), col_max) + col_spacing
        margin = " " * (first_col + self.current_indent)
        text_width = max(self.width - first_col - 2, 10)
        for first, second in rows:
            self.write(f"{' ' * self.current_indent}{first}")
            if not second:
                self.write("\n")
                continue
            if cell_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cell_width(first)))
            else:
                self.write("\n" + margin)
            lines = _lines(second, text_width) or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write((margin + line if line else "") + "\n")


def short_help(text: str, limit: int) -> str:
    """A command's line in its group's list: the first sentence of its help when it
    fits in ``limit`` columns, else as much of the first paragraph as fits."""
    first = " ".join(text.split("\n\n", 1)[0].split())
    end = first.find("。")
    if end != -1 and cell_width(first[: end + 1]) <= limit:
        return first[: end + 1]
    return shorten(first, limit)
