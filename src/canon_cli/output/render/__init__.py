"""How a view is drawn on a terminal: rich tables, trees, grids and bars.

This package is the only place that imports rich, and only inside the functions that
draw, so piped output never pays for it (``grid.py`` draws canon's fixed-width tables
line by line, as rich's ``Table`` would). Where the drawing goes (stdout, the pager) and whether a
view is drawn with rich at all is ``streams.py``'s decision. Text from catalogs and
state files is data: it is sanitised (control characters made visible) and drawn as
``rich.text.Text``, never parsed as markup.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from canon_cli.i18n import _
from canon_cli.output.layout import Column, fit_columns
from canon_cli.output.streams import color_mode, page_buffer
from canon_cli.output.words import status_label
from canon_cli.text import clean, clean_line
from canon_cli.vocab import STATUSES

if TYPE_CHECKING:
    from rich.console import Console


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    mode = color_mode()
    options: dict[str, Any] = {}
    if mode == "never":  # no escape code at all, not even bold
        options = {"color_system": None, "no_color": True, "force_terminal": False}
    elif mode == "always":
        options = {"force_terminal": True, "no_color": False}
    page = None if stderr else page_buffer()
    if page is not None:
        options["file"] = page
        options.setdefault("force_terminal", True)  # it is bound for the terminal
    return Console(
        stderr=stderr,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        **options,
    )


def text(value: str, style: str = "") -> Any:
    from rich.text import Text

    return Text(clean(value), style=style)


class Wrapped:
    """Text that wraps as ``layout.wrap`` does: at spaces, and between any two CJK
    characters (rich alone breaks only at spaces, and cuts a long Chinese title with an
    ellipsis or leaves a Chinese summary's lines half empty)."""

    def __init__(self, value: Any) -> None:
        self.value = value  # a rich Text

    def __rich_measure__(self, console: Any, options: Any) -> Any:
        from rich.measure import Measurement

        from canon_cli.output.layout import cell_width, longest_piece

        plain = self.value.plain
        widest = max((cell_width(line) for line in plain.split("\n")), default=0)
        return Measurement(min(longest_piece(plain), widest), widest).clamp(
            max_width=options.max_width
        )

    def __rich_console__(self, console: Any, options: Any) -> Iterator[Any]:
        from canon_cli.output.layout import wrap_spans

        for start, end in wrap_spans(self.value.plain, options.max_width):
            line = self.value[start:end]
            line.no_wrap = True
            line.overflow = "fold"
            yield line


def wrapped(value: str, style: str = "") -> Wrapped:
    return Wrapped(text(value, style))


STATUS_STYLE = {"unread": "dim", "reading": "yellow", "done": "green", "skipped": "magenta"}


class Col(NamedTuple):
    """A column of canon's tables: how it fits (``layout.Column``) and its style."""

    fit: Column
    style: str = ""


def fit_widths(cols: Sequence[Col], rows: Sequence[Sequence[Any]], width: int) -> list[int | None]:
    """Each column's width on a ``width``-cell terminal (None: dropped); ``rows`` of
    rich ``Text``. Ids and other unwrapped cells keep their whole width."""
    plain = [[cell.plain for cell in row] for row in rows]
    return fit_columns([c.fit for c in cols], plain, width)


def fitted_table(
    cols: Sequence[Col],
    widths: Sequence[int | None],
    rows: Sequence[Sequence[Any]],
    sections: Collection[int] = (),
) -> Any:
    """canon's one table style (list, next, search, log, ...): bold headers over a rule,
    no frame, two spaces between columns; wrapping cells wrap CJK by character.
    ``sections``: indexes of rows a rule goes above. Drawn by ``grid.FixedTable`` (the
    widths are fixed here already), which hands anything unusual to ``rich_table``."""
    from canon_cli.output.layout import wrap_spans
    from canon_cli.output.render.grid import FixedTable

    kept = [i for i, w in enumerate(widths) if w is not None]
    return FixedTable(
        headers=[text(cols[i].fit.header) for i in kept],
        styles=[cols[i].style for i in kept],
        widths=[w for w in widths if w is not None],
        right=[cols[i].fit.right for i in kept],
        wraps=[cols[i].fit.wraps for i in kept],
        rows=[[row[i] for i in kept] for row in rows],
        sections=sections,
        lines=wrap_spans,
        fallback=lambda: rich_table(cols, widths, rows, sections),
    )


def rich_table(
    cols: Sequence[Col],
    widths: Sequence[int | None],
    rows: Sequence[Sequence[Any]],
    sections: Collection[int] = (),
) -> Any:
    """``fitted_table`` as rich's own ``Table``: what ``grid.FixedTable`` writes byte for
    byte, and hands the unusual cases to."""
    from rich import box
    from rich.table import Table

    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        header_style="bold",
    )
    kept = [i for i, w in enumerate(widths) if w is not None]
    for i in kept:
        col = cols[i]
        table.add_column(
            text(col.fit.header),
            style=col.style,
            width=widths[i],
            justify="right" if col.fit.right else "left",
            no_wrap=not col.fit.wraps,
            overflow="fold",
        )
    for index, row in enumerate(rows):
        if index in sections:
            table.add_section()
        table.add_row(*(Wrapped(row[i]) if cols[i].fit.wraps else row[i] for i in kept))
    return table


def _entry_cols(with_time: bool, with_rating: bool = False, keep_rating: bool = False) -> list[Col]:
    cols = [
        Col(Column(_("ID")), "cyan"),
        Col(Column(_("Title"), wraps=True, min_width=16)),
        Col(Column(_("Year"), right=True, drop=3)),
        Col(Column(_("Kind"), drop=2)),
        Col(Column(_("Time"), right=True, drop=1), "dim"),
        Col(Column(_("Status"))),
    ]
    if with_rating:  # given up after the time, before the kind; last when sorted by it
        cols.append(Col(Column(_("Rating"), drop=4 if keep_rating else 1), "yellow"))
    return cols if with_time else [c for c in cols if c.fit.header != _("Time")]


def entry_row(
    entry_id: str,
    title: str,
    year: int | None,
    kind: str,
    minutes: int | None,
    status: str,
    problem: str | None,
    dead: bool = False,
    rating: int | None = None,
) -> dict[str, Any]:
    """One row of ``entry_table`` (``title`` already in the reader's language), as the
    general path (views.py) and the quick path (quick/terminal.py) both build it."""
    from canon_cli.output.words import kind_label, short_duration, stars

    return {
        "id": entry_id,
        "title": title,
        "year": year,
        "kind": kind_label(kind),
        "time": short_duration(minutes),
        "status": status,
        "status_label": status_label(status),
        "problem": problem,
        "dead": dead,
        "rating": stars(rating),
    }


def _entry_cells(row: dict[str, Any], with_time: bool, with_rating: bool = False) -> list[Any]:
    title = text(row["title"] + (" ⚠" if row.get("problem") else ""), row.get("style", ""))
    if row.get("dead"):  # the last link check found a link dead
        title.append(" ✗", style="red")
    cells = [
        text(row["id"]),
        title,
        text("" if row["year"] is None else str(row["year"])),
        text(row["kind"]),
    ]
    if with_time:
        cells.append(text(row.get("time", "")))
    cells.append(text(row["status_label"], STATUS_STYLE.get(row["status"], "")))
    if with_rating:
        cells.append(text(row.get("rating", "")))
    return cells


def entry_table(
    groups: list[tuple[str, list[dict[str, Any]]]],
    show_rating: bool = False,
    by_rating: bool = False,
) -> None:
    """The ``list`` and ``next`` view: a heading rule per section, then its table (each
    with its header), in reading order. Every section's table gets the same column
    widths so the blocks line up; when the terminal is narrow, the title wraps, then
    the time, kind and year columns go, and an id is never broken."""
    from rich.rule import Rule

    con = console()
    cols = _entry_cols(with_time=True, with_rating=show_rating, keep_rating=by_rating)
    cells = [[_entry_cells(row, True, show_rating) for row in rows] for _heading, rows in groups]
    widths = fit_widths(cols, [row for block in cells for row in block], con.width)
    from rich.console import Group

    drawn: list[Any] = []
    for index, ((heading, _rows), block) in enumerate(zip(groups, cells, strict=True)):
        if index:
            drawn.append(text(""))  # a blank line between two sections
        drawn.append(Rule(text(heading, "bold"), align="left", style="dim"))
        drawn.append(fitted_table(cols, widths, block))
    con.print(Group(*drawn))  # one print: rich's work per call is paid once


def key_values(title: str, pairs: list[tuple[str, str]], blocks: list[tuple[str, str]]) -> None:
    """``show``: a heading, aligned fields, then titled text blocks."""
    from rich.table import Table

    con = console()
    con.print(text(title, "bold"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for key, value in pairs:
        grid.add_row(text(key, "bold"), wrapped(value))
    con.print(grid)
    for heading, body in blocks:
        con.print()
        con.print(text(heading, "bold"))
        con.print(wrapped(body))


def tree(title: str, nodes: list[tuple[int, str, str]]) -> None:
    """``sections``: (depth, label, detail) nodes drawn as a tree."""
    from rich.tree import Tree

    root = Tree(text(title, "bold"))
    stack: list[Any] = [root]
    for depth, label, detail in nodes:
        del stack[depth + 1 :]
        node_text = text(label, "cyan")
        node_text.append(text("  " + detail, "dim"))
        stack.append(stack[-1].add(node_text))
    console().print(root)


def bar(done: int, total: int, width: int = 24) -> str:
    filled = 0 if total == 0 else round(width * done / total)
    return "█" * filled + "░" * (width - filled)


def progress_view(
    overall: dict[str, int],
    sections: list[tuple[int, str, dict[str, int]]],
    reading: list[tuple[str, str]],
    time_left: str = "",
    section_times: list[str] | None = None,
) -> None:
    """``progress``: an overall bar, one bar per section (with its reading time left),
    and what is being read. At any width the counts stay whole and a bar is drawn in
    full or not at all (``layout.fit_progress``): a cut bar would show a false share."""
    from canon_cli.output.layout import BAR_MIN, cell_width, fit_progress
    from canon_cli.output.render import grid

    con = console()
    total = overall["total"]
    done = overall["done"] + overall["skipped"]
    pct = 0 if total == 0 else 100 * done // total
    head = text(f"{done}/{total} ({pct}%)", "bold")
    head_bar = min(30, con.width - head.cell_len - 2)
    if head_bar >= BAR_MIN:
        head.append(text("  " + bar(done, total, head_bar), "green"))
    con.print(head)
    con.print(text("  ".join(f"{status_label(k)}: {overall[k]}" for k in STATUSES), "dim"))
    if time_left:
        con.print(text(time_left))
    times = section_times or [""] * len(sections)
    names = ["  " * depth + name for depth, name, _counts in sections]
    counts = [f"{c['done'] + c['skipped']}/{c['total']}" for _d, _n, c in sections]
    fit = fit_progress(
        con.width,
        max(map(cell_width, names), default=0),
        max(map(len, counts), default=0),
        max(map(len, times), default=0),
    )
    columns: list[tuple[int | None, bool]] = [(fit.name, False)]
    if fit.bar:
        columns.append((fit.bar, False))
    columns.append((None, True))
    if fit.time:
        columns.append((None, True))
    rows = []
    for name, count, left, (_depth, _name, c) in zip(names, counts, times, sections, strict=True):
        cells = [text(name)]
        if fit.bar:
            cells.append(text(bar(c["done"] + c["skipped"], c["total"], fit.bar), "green"))
        cells.append(text(count))
        if fit.time:
            cells.append(text(left, "dim"))
        rows.append(cells)
    con.print()
    con.print(grid.fixed_grid(columns, rows))
    if reading:
        con.print()
        con.print(text(_("Reading now"), "bold"))
        for entry_id, title in reading:
            line = text("  " + entry_id, "yellow")
            line.append(text("  " + title))
            con.print(line)


def simple_table(
    headers: list[str],
    rows: list[list[str]],
    styles: list[str] | None = None,
    whole: Collection[int] = (),
    drop: Sequence[int] = (),
    min_widths: Mapping[int, int] | None = None,
) -> None:
    """A table in canon's one style. The columns numbered in ``whole`` (times, ids) are
    never wrapped: the others wrap to make room for them; without ``whole``, the widest
    column wraps and the others are kept whole. ``drop``: columns a narrow terminal may
    give up, first to go first (before a wrapping column is narrower than its
    ``min_widths`` entry, 10 cells by default)."""
    con = console()
    cells = [[text(cell) for cell in row] for row in rows]
    if not whole:
        whole = set(range(len(headers))) - {
            max(
                range(len(headers)),
                key=lambda i: max((c[i].cell_len for c in cells), default=0),
                default=0,
            )
        }
    rank = {column: n + 1 for n, column in enumerate(drop)}
    cols = [
        Col(
            Column(
                header,
                wraps=i not in whole,
                min_width=(min_widths or {}).get(i, 10),
                drop=rank.get(i, 0),
            ),
            styles[i] if styles else "",
        )
        for i, header in enumerate(headers)
    ]
    con.print(fitted_table(cols, fit_widths(cols, cells, con.width), cells))


def lines(items: list[tuple[str, str]]) -> None:
    """Styled lines: (style, text) pairs."""
    con = console()
    for style, value in items:
        con.print(text(value, style))


def hit_table(rows: list[dict[str, Any]]) -> None:
    """``search``: ranked hits in the ``list`` table's style; a rule separates
    title/author/tag hits from those found only in a summary (drawn dim)."""
    con = console()
    cols = _entry_cols(with_time=False)
    cells = [_entry_cells({**row, "style": "" if row["strong"] else "dim"}, False) for row in rows]
    first_weak = next((i for i, row in enumerate(rows) if not row["strong"]), None)
    sections = {first_weak} if first_weak else set()
    con.print(fitted_table(cols, fit_widths(cols, cells, con.width), cells, sections))


@contextlib.contextmanager
def progress_bar(label: str, total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr for the ``with`` block, gone when it ends; yields the
    function that counts one step done."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console(stderr=True), transient=True) as progress:
        task = progress.add_task(clean_line(label), total=total)
        yield lambda: progress.advance(task)
