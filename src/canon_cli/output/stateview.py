"""What the state commands show: a merge's or import's report, undo, history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from canon_cli.i18n import _, ngettext
from canon_cli.output import render, streams
from canon_cli.output.words import field_label, status_label
from canon_cli.state.fold import local_minute
from canon_cli.text import clean_line

if TYPE_CHECKING:
    from pathlib import Path

    from canon_cli.state.exchange import Report
    from canon_cli.state.history import Step, Undo


def show_merge(report: Report, source: Path) -> None:
    """What a merge or import changed: one line per entry on stdout, a summary on stderr."""
    streams.plain_rows([line] for line in report.lines)
    count = len(report.lines)
    streams.note(
        ngettext(
            "merged {file}: {n} entry changed", "merged {file}: {n} entries changed", count
        ).format(file=source, n=count)
    )


def _value_text(field: str, value: object, terminal: bool = False) -> str:
    if value is None:
        return "-"
    if terminal and field == "status":
        return status_label(str(value))
    if field in ("started", "finished") and isinstance(value, str):
        return local_minute(value)
    if isinstance(value, dict):
        text = clean_line(str(value.get("text", "")))
        return text if len(text) <= 40 else text[:39] + "…"
    return clean_line(str(value))


def _field_name(field: str) -> str:
    return "note" if field.startswith("note:") else field


def show_undo(result: Undo) -> None:
    """What ``undo`` took back: one line per field restored, on stdout."""
    streams.note(_("took back: canon {command}").format(command=clean_line(result.label)))
    streams.plain_rows(
        [
            r.entry,
            _field_name(r.field),
            f"{_value_text(r.field, r.undone)} -> {_value_text(r.field, r.restored)}",
        ]
        for r in result.restored
    )
    for entry, field in result.kept:
        streams.note(
            _("kept {entry} {field}: changed again since").format(
                entry=entry, field=_field_name(field)
            )
        )


def show_history(steps: list[Step], device: str | None, as_json: bool) -> None:
    from datetime import UTC, datetime

    def when(ms: int) -> datetime:
        return datetime.fromtimestamp(ms / 1000, UTC).astimezone()

    if as_json:
        streams.print_json(
            [
                {
                    "at": when(s.wall_ms).isoformat(timespec="seconds"),
                    "device": s.device,
                    "this_device": s.device == device,
                    "id": s.entry,
                    "field": s.field,
                    "old": s.old,
                    "new": s.new,
                    "command": s.command,
                }
                for s in steps
            ]
        )
        return
    terminal = streams.use_rich()  # a terminal names fields and statuses in the reader's language
    rows = [
        [
            when(s.wall_ms).strftime("%Y-%m-%d %H:%M"),
            _("this device") if s.device == device else s.device[:8],
            s.entry,
            field_label(_field_name(s.field)) if terminal else _field_name(s.field),
            f"{_value_text(s.field, s.old, terminal)} -> {_value_text(s.field, s.new, terminal)}",
        ]
        for s in steps
    ]
    if terminal:
        if rows:
            render.simple_table(
                [_("When"), _("Device"), _("ID"), _("Field"), _("Change")],
                rows,
                ["dim", "", "cyan", "", ""],
                whole=(0, 2),
                drop=(1,),  # the device goes before a change of date is wrapped
                min_widths={4: len("- -> 2026-12-02 09:30")},
            )
        else:
            streams.note(_("No changes yet. Try: canon start ID"))
        return
    streams.plain_rows(rows)
