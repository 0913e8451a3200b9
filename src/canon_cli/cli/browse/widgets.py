"""The panes of ``canon browse``: section tree, entry list, details, status line, dialogs.

Widgets get records from ``data`` and draw them as plain text (``Content`` and rich
``Text`` built from strings, never parsed as markup), so a catalog cannot style or
control the terminal.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static, Tree
from textual.widgets.option_list import Option
from textual.widgets.tree import TreeNode

from canon_cli.cli.browse.data import _
from canon_cli.cli.browse.records import Details, EntryRow, Overview, SectionRow

MARKS = {"unread": " ", "reading": "~", "done": "✓", "skipped": "-"}
STATUS_STYLE = {"unread": "", "reading": "$warning", "done": "$success", "skipped": "$text-muted"}
WIDE_TITLE = 30  # title cells that an entry needs to take one line instead of two

MOVE_KEYS: list[BindingType] = [
    Binding("j", "cursor_down", _("Down"), show=False),
    Binding("k", "cursor_up", _("Up"), show=False),
]


def minutes_text(minutes: int | None) -> str:
    """A time estimate as a reader plans with it: ``45 min``, ``3 h``, ``2 h 30``."""
    if minutes is None:
        return ""
    if minutes < 60:
        return _("{n} min").format(n=minutes)
    hours, rest = divmod(minutes, 60)
    return _("{h} h").format(h=hours) if rest == 0 else _("{h} h {m}").format(h=hours, m=rest)


def fit(text: str, width: int) -> Text:
    """``text`` cut to ``width`` cells, with an ellipsis when it had to be cut."""
    label = Text(text)
    if label.cell_len > width:
        label.truncate(max(width, 1), overflow="ellipsis")
    return label


Row = SectionRow | Overview


class SectionTree(Tree[Row]):
    """The section tree: every node shows its progress (done/total) after its name."""

    BINDINGS: ClassVar[list[BindingType]] = MOVE_KEYS

    def __init__(self, overview: Overview, rows: list[SectionRow], **kwargs: object) -> None:
        super().__init__(overview.title, data=overview, **kwargs)  # type: ignore[arg-type]
        self.guide_depth = 2
        self.nodes_by_slug: dict[str, TreeNode[Row]] = {}
        parents: list[TreeNode[Row]] = [self.root]
        has_children = {
            rows[i].slug for i in range(len(rows) - 1) if rows[i + 1].depth > rows[i].depth
        }
        for row in rows:
            del parents[row.depth + 1 :]
            parent = parents[-1]
            if row.slug in has_children:
                node = parent.add(row.name, data=row, expand=True)
            else:
                node = parent.add_leaf(row.name, data=row)
            parents.append(node)
            self.nodes_by_slug[row.slug] = node
        self.root.expand()

    def update_rows(self, overview: Overview, rows: list[SectionRow]) -> None:
        """New names or counts (a change of language or of the state)."""
        self.root.data = overview
        self.root.set_label(Text(overview.title))
        for row in rows:
            node = self.nodes_by_slug.get(row.slug)
            if node is not None:
                node.data = row
                node.set_label(Text(row.name))

    def process_label(self, label: str | Text) -> Text:
        # names are data: never parsed as markup
        return label if isinstance(label, Text) else Text(label)

    def render_label(self, node: TreeNode[Row], base_style: Style, style: Style) -> Text:
        row = node.data
        prefix = ""
        if node.allow_expand:
            prefix = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
        if row is None:
            return Text(prefix) + node.label if isinstance(node.label, Text) else Text(prefix)
        counts = f" {row.done}/{row.total}"
        depth = row.depth + 1 if isinstance(row, SectionRow) else 0
        room = self.scrollable_content_region.width - depth * self.guide_depth
        name = fit(str(node.label), room - len(prefix) - len(counts))
        name.stylize(style)
        label = Text(prefix, style=base_style + Style(bold=True)) + name
        complete = row.total > 0 and row.done == row.total
        label.append(counts, style="bold" if complete else "dim")
        return label


class EntryList(OptionList):
    """The entries of the selected section (or of a search), one option per entry."""

    BINDINGS: ClassVar[list[BindingType]] = MOVE_KEYS

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.rows: list[EntryRow] = []
        self._width = 0

    def show_rows(self, rows: list[EntryRow], keep: str | None = None) -> None:
        """Show ``rows``, keeping the highlight on ``keep`` (an id) if it is among them."""
        self.rows = rows
        self._width = self.scrollable_content_region.width
        self.set_options(self._entry_options())
        ids = [row.id for row in rows]
        if keep in ids:
            self.highlighted = ids.index(keep)
        elif rows:
            self.highlighted = 0

    @property
    def current(self) -> EntryRow | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.rows):
            return None
        return self.rows[index]

    def on_resize(self) -> None:
        if self.rows and self.scrollable_content_region.width != self._width:
            current = self.current
            self.show_rows(self.rows, current.id if current else None)

    def _entry_options(self) -> list[Option]:
        """One line per entry when the title keeps room beside the facts, else two."""
        kind_width = max((cell_len(row.kind) for row in self.rows), default=0)
        minutes_width = max((len(minutes_text(row.minutes)) for row in self.rows), default=0)
        facts_width = 4 + 1 + kind_width + (1 + minutes_width if minutes_width else 0)
        title_width = self._width - 2 - 2 - facts_width
        wide = title_width >= WIDE_TITLE
        options = []
        for row in self.rows:
            mark = (MARKS.get(row.status, "?") + " ", STATUS_STYLE.get(row.status, ""))
            title = row.title + (" ⚠" if row.refused else "")
            year = str(row.year) if row.year else ""
            minutes = minutes_text(row.minutes)
            if wide:
                kind = row.kind + " " * (kind_width - cell_len(row.kind))  # CJK: 2 cells
                facts = f"{year:>4} {kind}"
                facts += f" {minutes:>{minutes_width}}" if minutes_width else ""
                cut = Content(title).truncate(title_width, ellipsis=True, pad=True)
                prompt = Content.assemble(mark, cut, "  ", (facts, "$text-muted"))
            else:
                facts = "  " + " · ".join(p for p in (year, row.kind, minutes) if p)
                prompt = Content.assemble(mark, title, "\n", (facts, "$text-muted"))
            options.append(Option(prompt, id=row.id))
        return options


class DetailsView(VerticalScroll):
    """Everything about the highlighted entry; scrolls when it is taller than the pane."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", _("Down"), show=False),
        Binding("k", "scroll_up", _("Up"), show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.details: Details | None = None
        self._width = 0

    def compose(self) -> ComposeResult:
        yield Static(id="details-body")

    def show(self, details: Details | None) -> None:
        if details != self.details:
            self.scroll_home(animate=False)
        self.details = details
        self._width = self.scrollable_content_region.width
        body = self.query_one("#details-body", Static)
        if details is None:
            body.update(Content(_("No entry selected.")))
        else:
            body.update(details_content(details, max(self._width, 20)))

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._width:
            self.show(self.details)


KEY_WIDTH = 9


def _field(name: str, value: str | Content, width: int) -> list[Content]:
    """``name`` in a column, ``value`` wrapped beside it with a hanging indent."""
    text = value if isinstance(value, Content) else Content(value)
    lines = text.wrap(width - KEY_WIDTH) or [Content("")]
    first = Content.assemble((f"{name:<{KEY_WIDTH}}", "bold"), lines[0])
    return [first, *(Content(" " * KEY_WIDTH) + line for line in lines[1:])]


def _block(heading: str, lines: list[Content]) -> list[Content]:
    return [Content(""), Content.styled(heading, "bold underline"), *lines]


def _progress_fields(d: Details, width: int) -> list[Content]:
    lines = _field(_("status"), Content.styled(d.status, STATUS_STYLE.get(d.status, "")), width)
    if d.started:
        lines += _field(_("started"), d.started, width)
    if d.finished:
        lines += _field(_("finished"), d.finished, width)
    if d.rating:
        lines += _field(_("rating"), "★" * d.rating + "☆" * (5 - d.rating), width)
    if d.link_check is not None:
        lines += _field(_("checked"), link_check_text(d), width)
    return lines


def details_content(d: Details, width: int) -> Content:
    """The details pane's text: title, facts, your progress, summary, links, notes."""
    lines = [Content.styled(d.title, "bold")]
    if d.other_title:
        lines.append(Content.styled(d.other_title, "$text-muted"))
    lines.append(Content(""))
    facts = " · ".join(p for p in (str(d.year or ""), d.kind, minutes_text(d.minutes)) if p)
    lines += _field(_("id"), d.id, width) + _field(_("about"), facts, width)
    lines += _field(_("section"), d.section, width)
    if d.authors:
        lines += _field(_("authors"), ", ".join(d.authors), width)
    if d.tags:
        lines += _field(_("tags"), ", ".join(d.tags), width)
    lines += _progress_fields(d, width)
    heading = "摘要" if any("\u4e00" <= ch <= "\u9fff" for ch in d.summary) else _("Summary")
    lines += _block(heading, [Content(d.summary)])
    links = [
        Content.assemble((f"[{link.number}] ", "bold"), f"{link.label}: {link.url}")
        for link in d.links
    ]
    if d.refused:
        refused = _("(refused to open: {why})").format(why=d.refused)
        links.append(Content.styled(refused, "$text-error"))
    lines += _block(_("Links"), links)
    if d.notes:
        notes = [Content.assemble((note.at, "$text-muted"), "  ", note.text) for note in d.notes]
        lines += _block(_("Notes"), notes)
    return Content("\n").join(lines)


def link_check_text(d: Details) -> str:
    check = d.link_check
    assert check is not None
    if check.result == "ok":
        return _("ok, {age}").format(age=check.age)
    if check.result == "redirected":
        return _("moved to {url}, {age}").format(url=check.final_url or "?", age=check.age)
    if check.result == "broken":
        return _("broken ({status}), {age}").format(status=check.status, age=check.age)
    return _("unreachable, {age}").format(age=check.age)


class KeyBar(Static):
    """The bottom line: the keys that work here, each with what it does."""

    def __init__(self, keys: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.show_keys(keys)

    def show_keys(self, keys: list[tuple[str, str]]) -> None:
        parts: list[str | tuple[str, str]] = []
        for key, what in keys:
            parts += [(key, "bold $accent"), f" {what} "]  # fits 80 columns with every key
        self.update(Content.assemble(*parts).rstrip())


class HelpScreen(ModalScreen[None]):
    """Every key of the app; any key closes it."""

    KEYS: ClassVar[list[tuple[str, str]]] = [
        ("↑ ↓  j k", _("move in the focused pane")),
        ("Tab  Shift+Tab", _("next / previous pane")),
        ("Enter  o", _("open the main link (marks an unread entry reading)")),
        ("1-9", _("open extra link N, as 'canon show' numbers them")),
        ("s d x u", _("start, done, skip, unread")),
        ("r then 1-5", _("rate (0 clears)")),
        ("n", _("add a note")),
        ("/", _("search; Enter goes to the hits, Esc back to the sections")),
        ("l", _("switch language (English / 中文)")),
        ("?", _("this help")),
        ("q", _("quit")),
    ]

    def compose(self) -> ComposeResult:
        lines = [Content.assemble((f"{key:<16}", "bold"), what) for key, what in self.KEYS]
        body = Content("\n").join(lines)
        with Vertical(id="help"):
            yield Static(Content.styled(_("Keys"), "bold"), id="help-title")
            yield Static(body)
            yield Static(Content.styled(_("Press any key to close."), "$text-muted"))

    def on_key(self, event: events.Key) -> None:
        event.stop()  # the key closes the help and does nothing else
        self.dismiss(None)


class NoteScreen(ModalScreen[str | None]):
    """One line of note text: Enter saves it, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", _("Cancel"))]

    def __init__(self, entry_id: str) -> None:
        super().__init__()
        self.entry_id = entry_id

    def compose(self) -> ComposeResult:
        with Vertical(id="note"):
            yield Static(Content.styled(_("Note on {id}").format(id=self.entry_id), "bold"))
            yield Input(placeholder=_("your note (Enter saves, Esc cancels)"), id="note-text")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
