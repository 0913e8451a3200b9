"""``render.grid.FixedTable`` draws canon's tables byte for byte as rich's ``Table`` draws them:
the whole catalog, in English and Chinese, at many widths, with and without colour,
with ratings, dead links, refused links, search hits in two strengths and rows left
blank; and anything unusual is handed to rich's ``Table`` itself."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

from canon_cli import paths
from canon_cli.catalog.snapshot import open_catalog
from canon_cli.catalog.store import Entry
from canon_cli.i18n import set_language
from canon_cli.output import render
from canon_cli.output.layout import Column

WIDTHS = [24, 33, 40, 47, 52, 60, 66, 73, 80, 99, 120, 161, 200]
STATUSES = ["unread", "reading", "done", "skipped"]


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return list(open_catalog([paths.builtin_catalog_path()], paths.cache_dir()).entries())


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    yield
    set_language("en")


def drawn(table: Any, width: int, color: bool) -> str:
    from rich.console import Console

    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=color,
        color_system="truecolor" if color else None,
        no_color=not color,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )
    console.print(table)
    return out.getvalue()


def entry_cells(entries: list[Entry], lang: str, rated: bool) -> list[list[Any]]:
    rows = []
    for n, e in enumerate(entries):
        row = render.entry_row(
            e.id,
            e.title_in(lang),
            e.year,
            e.kind,
            e.minutes,
            STATUSES[n % 4],
            e.url_problem or ("refused" if n % 17 == 5 else None),
            dead=n % 11 == 3,
            rating=(n % 6) or None if rated else None,
        )
        rows.append(render._entry_cells(row, True, rated))
    return rows


def same_both_ways(cols: list[render.Col], rows: list[list[Any]], sections: set[int]) -> list[int]:
    """Draw ``rows`` both ways at every width; the widths drawn without rich's Table."""
    fast = []
    for width in WIDTHS:
        widths = render.fit_widths(cols, rows, width)
        ours = render.fitted_table(cols, widths, rows, sections)
        for color in (True, False):
            theirs = drawn(render.rich_table(cols, widths, rows, sections), width, color)
            assert drawn(ours, width, color) == theirs, (width, color)
        if ours._simple(_options(width)):
            fast.append(width)
    return fast


def _options(width: int) -> Any:
    from rich.console import Console

    return Console(width=width, file=io.StringIO()).options


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("rated", [False, True])
def test_the_catalog_list_is_drawn_as_richs_table_draws_it(
    entries: list[Entry], lang: str, rated: bool
) -> None:
    set_language(lang)
    cols = render._entry_cols(with_time=True, with_rating=rated)
    rows = entry_cells(entries, lang, rated)
    # below 52 columns the longest id and the status leave the title no room for its
    # header: rich's Table draws those (and the test shows it draws them the same)
    fast = same_both_ways(cols, rows, set())
    assert {w for w in WIDTHS if w >= 52} <= set(fast)


def test_search_hits_with_a_line_between_strengths(entries: list[Entry]) -> None:
    cols = render._entry_cols(with_time=False)
    rows = [
        render._entry_cells(
            {
                **render.entry_row(e.id, e.title, e.year, e.kind, None, "unread", None),
                "style": "" if n < 7 else "dim",
            },
            False,
        )
        for n, e in enumerate(entries[:20])
    ]
    assert same_both_ways(cols, rows, {7}) == [w for w in WIDTHS if w >= 47]


def test_blank_and_odd_cells(entries: list[Entry]) -> None:
    """Empty titles and years, a title of one long word, CJK with wide punctuation."""
    cols = render._entry_cols(with_time=True)
    odd = [
        ("a", "", None, "article", None),
        ("b", "x" * 90, 2020, "paper", 5),
        ("c", "注意力机制（Attention）就是你所需要的一切，全文" * 3, 2017, "paper", 1234),
        ("d", "Ünïcödé ́combining and emoji 📚 in a title", 1999, "book", 60),
    ]
    rows = [
        render._entry_cells(render.entry_row(i, t, y, k, m, "done", None), True)
        for i, t, y, k, m in odd
    ]
    same_both_ways(cols, rows, set())


@pytest.mark.parametrize(
    "title",
    ["a line\nbreak", "a\ttab", "two\n\nbreaks"],
)
def test_unusual_cells_are_left_to_rich(title: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cell rich would split or expand itself goes to rich's Table, whole."""
    from rich.text import Text

    cols = render._entry_cols(with_time=False)
    row = render.entry_row("x", "t", 2020, "paper", None, "done", None)
    cells = render._entry_cells(row, False)
    cells[1] = Text(title)  # as a caller that did not clean it would pass it
    widths = render.fit_widths(cols, [cells], 80)
    table = render.fitted_table(cols, widths, [cells])
    assert not table._simple(_options(80))
    assert drawn(table, 80, True) == drawn(render.rich_table(cols, widths, [cells]), 80, True)


def test_a_header_wider_than_its_column_is_left_to_rich() -> None:
    from rich.text import Text

    cols = [render.Col(Column("A very long header")), render.Col(Column("B"))]
    rows = [[Text("x"), Text("y")]]
    widths = [3, 1]
    table = render.fitted_table(cols, widths, rows)
    assert not table._simple(_options(80))
    assert drawn(table, 80, True) == drawn(render.rich_table(cols, widths, rows), 80, True)


def test_widths_wider_than_the_terminal_are_left_to_rich() -> None:
    from rich.text import Text

    cols = [render.Col(Column("A")), render.Col(Column("B"))]
    rows = [[Text("x" * 30), Text("y" * 30)]]
    table = render.fitted_table(cols, [30, 30], rows)
    assert not table._simple(_options(40))
    assert drawn(table, 40, False) == drawn(render.rich_table(cols, [30, 30], rows), 40, False)


def rich_grid(columns: list[tuple[int | None, bool]], rows: list[list[Any]]) -> Any:
    from rich.table import Table

    table = Table.grid(padding=(0, 2))
    for width, right in columns:
        table.add_column(no_wrap=True, width=width, justify="right" if right else "left")
    for row in rows:
        table.add_row(*row)
    return table


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_progress_grid_is_drawn_as_richs_grid_draws_it(lang: str) -> None:
    """Section names (indented, in either language), whole bars, counts and times."""
    from canon_cli.output.layout import cell_width, fit_progress
    from canon_cli.output.render import grid

    catalog = open_catalog([paths.builtin_catalog_path()], paths.cache_dir())
    names = ["  " * (len(s.path) - 1) + s.name(lang) for s in catalog.sections]
    counts = [f"{n % 7}/{n + 3}" for n in range(len(names))]
    times = ["-" if n % 5 == 0 else f"{n}h{n % 6}0" for n in range(len(names))]
    fast = []
    for width in WIDTHS:
        fit = fit_progress(width, max(map(cell_width, names)), max(map(len, counts)), 5)
        columns: list[tuple[int | None, bool]] = [(fit.name, False)]
        columns += [(fit.bar, False)] if fit.bar else []
        columns += [(None, True)] + ([(None, True)] if fit.time else [])
        rows = []
        for n, (name, count, left) in enumerate(zip(names, counts, times, strict=True)):
            cells = [render.text(name)]
            if fit.bar:
                cells.append(render.text(render.bar(n % 7, n + 3, fit.bar), "green"))
            cells.append(render.text(count))
            if fit.time:
                cells.append(render.text(left, "dim"))
            rows.append(cells)
        ours = grid.fixed_grid(columns, rows)
        for color in (True, False):
            assert drawn(ours, width, color) == drawn(rich_grid(columns, rows), width, color)
        if ours._simple(_options(width)):
            fast.append(width)
    assert fast == WIDTHS  # a long name is cut here as rich cuts it, not left to rich
