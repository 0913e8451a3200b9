"""``canon browse``: sections on the left, their entries in the middle, details on the right.

Keys act on the highlighted entry wherever the focus is; every change goes through
``data.Library`` (the CLI's own state functions), and the state is polled so changes
made by another canon process show up within ``poll_seconds``.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import App, ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Input, OptionList, Static, Tree

from canon_cli.cli.browse.data import Library, _
from canon_cli.cli.browse.records import BrowseError, Overview, SectionRow
from canon_cli.cli.browse.widgets import (
    DetailsView,
    EntryList,
    HelpScreen,
    KeyBar,
    NoteScreen,
    SectionTree,
)

LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
KEY_LABELS = {"question_mark": "?", "slash": "/"}
SEARCH_KEYS = [("Enter", _("go to the hits")), ("Esc", _("back to the sections"))]
POLL_SECONDS = 1.0

CSS = """
Screen { layout: vertical; }
#top { height: 1; padding: 0 1; background: $panel; }
#panes { height: 1fr; }
#sections, #middle, #details {
    border: round $border-blurred; border-title-color: $text-muted; background: $surface;
    scrollbar-size-vertical: 1;
}
#sections:focus, #middle:focus-within, #details:focus {
    border: round $border; border-title-color: $text;
}
#sections { width: 30%; padding: 0; scrollbar-gutter: stable; }
#middle { width: 36%; }
#details { width: 1fr; padding: 0 0 0 1; scrollbar-gutter: stable; }
#entries { border: none; padding: 0; height: 1fr; max-height: 100%;
    scrollbar-gutter: stable; scrollbar-size-vertical: 1;
    text-wrap: nowrap; text-overflow: ellipsis; background: $surface; }
#entries:focus { background-tint: $foreground 0%; }
#search { display: none; border: none; height: 1; padding: 0 1; margin: 0; }
#middle.-searching #search { display: block; }
#status { height: 1; padding: 0 1; color: $text-muted; text-wrap: nowrap;
    text-overflow: ellipsis; }
#status.-error { color: $text-error; }
#keys { height: 1; padding: 0 0 0 1; background: $panel; text-wrap: nowrap;
    text-overflow: ellipsis; }
HelpScreen, NoteScreen { align: center middle; }
#help, #note { width: 72; max-width: 100%; height: auto; max-height: 100%;
    border: round $border; padding: 1 2; background: $surface; }
#help Static, #note Static { width: 100%; }
#help-title { margin-bottom: 1; }
"""


class BrowseApp(App[int]):
    """The full-screen reader; ``run()`` returns the exit code (0 after ``q``)."""

    TITLE = "canon browse"
    CSS = CSS
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open(0)", _("open")),
        Binding("enter", "open(0)", _("open"), show=False),
        Binding("s", "mark('reading')", _("start")),
        Binding("d", "mark('done')", _("done")),
        Binding("x", "mark('skipped')", _("skip")),
        Binding("u", "mark('unread')", _("unread")),
        Binding("r", "rate", _("rate")),
        Binding("n", "note", _("note")),
        Binding("slash", "search", _("find")),
        Binding("l", "language", _("lang")),
        Binding("question_mark", "help", _("help")),
        Binding("q", "quit_app", _("quit")),
        Binding("escape", "cancel", _("back"), show=False),
        *(Binding(str(n), f"digit({n})", show=False) for n in range(10)),
    ]

    def __init__(
        self, library: Library, lang: str | None = None, poll_seconds: float = POLL_SECONDS
    ) -> None:
        super().__init__()
        self.library = library
        self.lang = lang or library.language()
        self.poll_seconds = poll_seconds
        self.section: str | None = None  # the selected section's slug; None: every entry
        self.rating_for: str | None = None  # an entry id while waiting for r's digit
        self.searching = False
        self._section_pending = False
        self._details_shown: tuple[str | None, str, int] | None = None
        self._generation = 0  # counts redraws from the library (after changes and polls)
        self._stale = False  # the library changed while the panes were not on screen

    # --- building ---------------------------------------------------------

    def compose(self) -> ComposeResult:
        overview = self.library.overview()
        tree = SectionTree(overview, self.library.sections(self.lang), id="sections")
        tree.border_title = Content(_("Sections"))
        yield Static(id="top")
        with Horizontal(id="panes"):
            yield tree
            with Vertical(id="middle"):
                yield Input(placeholder=_("search titles, authors, tags, summaries"), id="search")
                yield EntryList(id="entries")
            yield DetailsView(id="details")
        yield Static(id="status")
        yield KeyBar(self._footer_keys(), id="keys")

    def _footer_keys(self) -> list[tuple[str, str]]:
        shown = [b for b in self.BINDINGS if isinstance(b, Binding) and b.show]
        return [(KEY_LABELS.get(b.key, b.key), b.description) for b in shown]

    def on_mount(self) -> None:
        self.query_one("#details").border_title = Content(_("Details"))
        start = self.library.first_entry()
        tree = self.query_one(SectionTree)
        if start is not None:
            self.section = start[0]
            tree.move_cursor(tree.nodes_by_slug[start[0]], animate=False)
        self._show_entries(start[1] if start else None)
        self.query_one(EntryList).focus()
        self._show_top()
        self.set_interval(self.poll_seconds, self._poll)

    # --- drawing ----------------------------------------------------------

    def _show_top(self) -> None:
        overview = self.library.overview()
        line = Content.assemble(
            (overview.title, "bold"),
            f"  {overview.done}/{overview.total} ",
            _("done"),
            ("  ·  " + LANGUAGE_NAMES.get(self.lang, self.lang), "$text-muted"),
            ("  ·  ? " + _("keys"), "$text-muted"),
        )
        self.query_one("#top", Static).update(line)

    def _show_entries(self, keep: str | None = None) -> None:
        entries = self.query_one(EntryList)
        middle = self.query_one("#middle")
        if self.searching:
            text = self.query_one("#search", Input).value
            rows = self.library.search(text, self.lang)
            middle.border_title = Content(_("Search: {n} found").format(n=len(rows)))
        else:
            rows = self.library.entries(self.section, self.lang)
            name = self._section_name()
            middle.border_title = Content(f"{name} ({len(rows)})")  # a name is text, not markup
        entries.show_rows(rows, keep)
        self._show_details()

    def _section_name(self) -> str:
        node = self.query_one(SectionTree).cursor_node
        data = node.data if node is not None else None
        if isinstance(data, SectionRow | Overview):
            return data.name if isinstance(data, SectionRow) else data.title
        return _("Entries")

    def _show_details(self) -> None:
        current = self.query_one(EntryList).current
        shown = (current.id if current else None, self.lang, self._generation)
        if shown == self._details_shown:
            return  # highlight events repeat: draw each entry once
        self._details_shown = shown
        details = None
        if current is not None:
            try:
                details = self.library.details(current.id, self.lang)
            except BrowseError as exc:
                self._say(str(exc), error=True)
        self.query_one(DetailsView).show(details)

    def _refresh_all(self) -> None:
        """Redraw every pane from the library (after a change, a poll or a new language)."""
        self._generation += 1
        tree = self.query_one(SectionTree)
        tree.update_rows(self.library.overview(), self.library.sections(self.lang))
        current = self.query_one(EntryList).current
        self._show_entries(current.id if current else None)
        self._show_top()

    def _say(self, message: str, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(Content(message))
        status.set_class(error, "-error")

    def _poll(self) -> None:
        try:
            changed = self.library.changed()
        except BrowseError as exc:
            self._say(str(exc), error=True)
            return
        self._stale = self._stale or changed
        if not self._stale:
            return
        try:
            self.query_one(SectionTree)
        except NoMatches:
            return  # a dialog is over the panes, or the app is closing: redraw later
        self._stale = False
        self._refresh_all()

    # --- events -----------------------------------------------------------

    @on(Tree.NodeHighlighted, "#sections")
    def _section_highlighted(self) -> None:
        # Moving through the tree sends one event per line, delivered after the cursor
        # has moved on: show the section the cursor is on now, once.
        if not self._section_pending:
            self._section_pending = True
            self.call_later(self._apply_section)

    def _apply_section(self) -> None:
        self._section_pending = False
        node = self.query_one(SectionTree).cursor_node
        data = node.data if node is not None else None
        section = data.slug if isinstance(data, SectionRow) else None
        if section != self.section or self.searching:
            self.section = section
            self._close_search()
            current = self.query_one(EntryList).current
            self._show_entries(current.id if current else None)

    @on(Tree.NodeSelected, "#sections")
    def _section_selected(self) -> None:
        self.query_one(EntryList).focus()

    @on(OptionList.OptionHighlighted, "#entries")
    def _entry_highlighted(self) -> None:
        self._show_details()

    @on(OptionList.OptionSelected, "#entries")
    def _entry_selected(self) -> None:
        self.action_open(0)

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        if self.searching:
            self._show_entries()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one(EntryList).focus()
        self.query_one(KeyBar).show_keys([*self._footer_keys()])

    # --- actions ----------------------------------------------------------

    def _current_id(self) -> str | None:
        current = self.query_one(EntryList).current
        if current is None:
            self._say(_("No entry selected."), error=True)
            return None
        return current.id

    def _change(self, change: str) -> None:
        self._say(change)
        self._refresh_all()

    def action_quit_app(self) -> None:
        self.exit(0)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_mark(self, status: str) -> None:
        entry_id = self._current_id()
        if entry_id is None:
            return
        try:
            self._change(self.library.mark(entry_id, status))
        except BrowseError as exc:
            self._say(str(exc), error=True)

    def action_rate(self) -> None:
        self.rating_for = self._current_id()
        if self.rating_for is not None:
            self._say(_("Rate {id}: press 1-5 (0 clears, Esc cancels)").format(id=self.rating_for))

    def action_digit(self, number: int) -> None:
        if self.rating_for is None:
            if number > 0:
                self.action_open(number)
            return
        entry_id, self.rating_for = self.rating_for, None
        if number > 5:
            self._say(_("A rating is 1 to 5 (0 clears it)."), error=True)
            return
        try:
            self._change(self.library.rate(entry_id, number))
        except BrowseError as exc:
            self._say(str(exc), error=True)

    def action_note(self) -> None:
        entry_id = self._current_id()
        if entry_id is None:
            return

        def save(text: str | None) -> None:
            if text is None:
                self._say(_("No note added."))
                return
            try:
                self._change(self.library.note(entry_id, text))
            except BrowseError as exc:
                self._say(str(exc), error=True)

        self.push_screen(NoteScreen(entry_id), save)

    def action_open(self, number: int) -> None:
        entry_id = self._current_id()
        if entry_id is None:
            return
        try:
            plan = self.library.prepare_open(entry_id, number)
        except BrowseError as exc:
            self._say(str(exc), error=True)
            return
        try:
            # The browser may be a terminal program (BROWSER=lynx) or print to the
            # terminal: it gets the terminal while it starts, then the app redraws.
            with self.suspend():
                message = self.library.launch(plan)
        except SuspendNotSupported:
            message = self.library.launch(plan)
        self._change(message)

    def action_language(self) -> None:
        self.lang = "zh" if self.lang == "en" else "en"
        self._refresh_all()
        self._say(_("Language: {name}").format(name=LANGUAGE_NAMES[self.lang]))

    def action_search(self) -> None:
        self.searching = True
        self.query_one("#middle").add_class("-searching")
        self.query_one(KeyBar).show_keys(SEARCH_KEYS)
        search = self.query_one("#search", Input)
        search.focus()
        self._show_entries()

    def _close_search(self) -> None:
        if self.searching:
            self.searching = False
            self.query_one("#middle").remove_class("-searching")
            self.query_one(KeyBar).show_keys(self._footer_keys())

    def action_cancel(self) -> None:
        if self.rating_for is not None:
            self.rating_for = None
            self._say(_("Rating cancelled."))
        elif self.searching:
            self._close_search()
            self._show_entries()
            self.query_one(EntryList).focus()
