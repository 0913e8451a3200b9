"""All terminal output: rich tables for a terminal, plain lines for pipes, JSON.

The only module that imports rich, and only inside the functions that draw for a
terminal, so piped output never pays for it. Text from catalogs and state files is
data: it is sanitised (control characters made visible) and drawn as ``rich.text.Text``,
never parsed as markup.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from canon_cli.errors import CanonIOError
from canon_cli.i18n import _
from canon_cli.text import clean, clean_line, json_safe
from canon_cli.vocab import STATUSES

if TYPE_CHECKING:
    from rich.console import Console


def use_rich() -> bool:
    """Rich tables for a terminal (or when colour is forced); plain text for pipes."""
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
        return True
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(
        stderr=stderr,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def plain_rows(rows: Iterable[Sequence[object]]) -> None:
    """Tab-separated lines, one record per line (for grep, cut and wc -l)."""
    write = sys.stdout.write
    for row in rows:
        write("\t".join("" if v is None else clean_line(str(v)) for v in row) + "\n")


def print_json(data: Any) -> None:
    """JSON on stdout and nothing else; C1/bidi characters escaped so a terminal is safe."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    sys.stdout.write(json_safe(text) + "\n")


def error(message: str) -> None:
    """An error for the user on stderr, sanitised, with a 'canon: error:' prefix."""
    lines = clean(message).split("\n")
    sys.stderr.write(_("canon: error: ") + lines[0] + "\n")
    for line in lines[1:]:
        sys.stderr.write("  " + line + "\n")


def warning(message: str) -> None:
    """Something went wrong but the command carried on: ``canon: warning:`` on stderr."""
    lines = clean(message).split("\n")
    sys.stderr.write(_("canon: warning: ") + lines[0] + "\n")
    for line in lines[1:]:
        sys.stderr.write("  " + line + "\n")


def note(message: str) -> None:
    """A short confirmation or hint on stderr (keeps stdout clean for pipes)."""
    sys.stderr.write(clean(message) + "\n")


STATUS_STYLE = {"unread": "dim", "reading": "yellow", "done": "green", "skipped": "magenta"}


def text(value: str, style: str = "") -> Any:
    from rich.text import Text

    return Text(clean(value), style=style)


def entry_table(
    groups: list[tuple[str, list[dict[str, Any]]]], show_status: bool, show_rating: bool = False
) -> None:
    """The ``list`` view: a heading rule per section, then its rows, in reading order.

    Every section's table gets the same fixed column widths so the blocks line up; the
    id column is capped (long ids fold) so titles keep room on an 80-column terminal.
    """
    from rich.rule import Rule
    from rich.table import Table

    con = console()
    rows_all = [row for _, rows in groups for row in rows]
    id_width = min(max(len(row["id"]) for row in rows_all), max(12, con.width // 3))
    kind_width = max(len(row["kind"]) for row in rows_all)
    status_width = 7 if show_status else 0
    time_width = 5  # "1h55", "27h", "45m"
    fixed = id_width + 4 + kind_width + time_width + status_width + 2 * (4 + show_status)
    # the rating ("★★★★★", under "Rating") only where the title keeps its room
    show_rating = show_rating and con.width - fixed - 8 - 1 >= 20
    fixed += 8 if show_rating else 0
    title_width = max(con.width - fixed - 1, 20)
    for index, (heading, rows) in enumerate(groups):
        con.print(Rule(text(heading, "bold"), align="left", style="dim"))
        table = Table(
            box=None, show_header=index == 0, header_style="bold", show_edge=False, pad_edge=False
        )
        table.add_column("ID", style="cyan", width=id_width, overflow="fold")
        table.add_column("Title", width=title_width)
        table.add_column("Year", justify="right", width=4, no_wrap=True)
        table.add_column("Kind", width=kind_width, no_wrap=True)
        table.add_column("Time", justify="right", width=time_width, no_wrap=True)
        if show_status:
            table.add_column("Status", width=status_width, no_wrap=True)
        if show_rating:
            table.add_column("Rating", width=6, no_wrap=True)
        for row in rows:
            title = text(row["title"] + (" ⚠" if row.get("problem") else ""))
            if row.get("dead"):  # the last link check found a link dead
                title.append(" ✗", style="red")
            cells = [
                text(row["id"], "cyan"),
                title,
                text("" if row["year"] is None else str(row["year"])),
                text(row["kind"]),
                text(row.get("time", ""), "dim"),
            ]
            if show_status:
                cells.append(text(row["status"], STATUS_STYLE.get(row["status"], "")))
            if show_rating:
                cells.append(text(row.get("rating", ""), "yellow"))
            table.add_row(*cells)
        con.print(table)


def key_values(title: str, pairs: list[tuple[str, str]], blocks: list[tuple[str, str]]) -> None:
    """``show``: a heading, aligned fields, then titled text blocks."""
    from rich.table import Table

    con = console()
    con.print(text(title, "bold"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for key, value in pairs:
        grid.add_row(text(key, "bold"), text(value))
    con.print(grid)
    for heading, body in blocks:
        con.print()
        con.print(text(heading, "bold"))
        con.print(text(body))


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
    and what is being read."""
    from rich.table import Table

    con = console()
    total = overall["total"]
    done = overall["done"] + overall["skipped"]
    pct = 0 if total == 0 else 100 * done // total
    head = text(f"{done}/{total} ({pct}%)  ", "bold")
    head.append(text(bar(done, total, 30), "green"))
    con.print(head)
    con.print(
        text(
            "  ".join(f"{k}: {overall[k]}" for k in STATUSES),
            "dim",
        )
    )
    if time_left:
        con.print(text(time_left))
    grid = Table.grid(padding=(0, 2))
    # the name gives way (ellipsis) so the bar, the count and the time always fit
    grid.add_column(no_wrap=True, overflow="ellipsis", max_width=max(16, con.width - 45))
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    times = section_times or [""] * len(sections)
    for (depth, name, counts), left in zip(sections, times, strict=True):
        finished = counts["done"] + counts["skipped"]
        grid.add_row(
            text("  " * depth + name),
            text(bar(finished, counts["total"], 20), "green"),
            text(f"{finished}/{counts['total']}"),
            text(left, "dim"),
        )
    con.print()
    con.print(grid)
    if reading:
        con.print()
        con.print(text("Reading now", "bold"))
        for entry_id, title in reading:
            line = text("  " + entry_id, "yellow")
            line.append(text("  " + title))
            con.print(line)


def simple_table(
    headers: list[str],
    rows: list[list[str]],
    styles: list[str] | None = None,
    whole: Collection[int] = (),
) -> None:
    """A table; the columns numbered in ``whole`` (times, ids) are never wrapped: the
    other columns wrap to make room for them."""
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for index, header in enumerate(headers):
        style = styles[index] if styles else ""
        if index in whole:
            widest = max((cell_len(row[index]) for row in rows), default=0)
            table.add_column(header, style=style, no_wrap=True, min_width=widest)
        else:
            table.add_column(header, style=style, overflow="fold")
    for row in rows:
        table.add_row(*(text(cell) for cell in row))
    console().print(table)


def lines(items: list[tuple[str, str]]) -> None:
    """Styled lines: (style, text) pairs."""
    con = console()
    for style, value in items:
        con.print(text(value, style))


def hit_table(rows: list[dict[str, Any]], show_status: bool) -> None:
    """``search``: ranked hits; a rule separates title/author/tag hits from those found
    only in a summary."""
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    table.add_column("ID", style="cyan", overflow="fold", max_width=40)
    table.add_column("Title", ratio=1)
    table.add_column("Year", justify="right", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    if show_status:
        table.add_column("Status", no_wrap=True)
    previous: bool | None = None
    for row in rows:
        if previous is True and not row["strong"]:
            table.add_section()
        previous = bool(row["strong"])
        cells = [
            text(row["id"], "cyan"),
            text(
                row["title"] + (" ⚠" if row.get("problem") else ""),
                "" if row["strong"] else "dim",
            ),
            text("" if row["year"] is None else str(row["year"])),
            text(row["kind"]),
        ]
        if show_status:
            cells.append(text(row["status"], STATUS_STYLE.get(row["status"], "")))
        table.add_row(*cells)
    console().print(table)


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


def write_bytes(data: bytes) -> None:
    """Bytes on stdout as they are (an export: the same bytes ``-o FILE`` would hold)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    try:
        buffer.write(data)
        buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise stdout_failed(exc) from None


def point_at_devnull(fd: int) -> None:
    """Point ``fd`` at /dev/null, so later writes to it (a flush at exit) succeed."""
    null = os.open(os.devnull, os.O_RDWR)
    if null != fd:
        os.dup2(null, fd)
        os.close(null)


def stdout_failed(exc: OSError) -> CanonIOError:
    """A write to stdout that the system refused, as canon's I/O error (exit 5). What is
    still buffered for stdout goes to /dev/null from now on."""
    point_at_devnull(1)
    reason = exc.strerror or str(exc)
    return CanonIOError(_("cannot write to standard output: {reason}").format(reason=reason))
