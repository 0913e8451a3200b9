"""Link-check results as the user sees them: a progress bar and a summary table on a
terminal, one tab-separated line per link in a pipe, or JSON; and the one-line
verdicts ``show`` and ``open`` print.

Plain lines have seven columns: result, status, id, url, final_url (empty when it is
the url itself), detail, checked_at.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from canon_cli.i18n import _, ngettext
from canon_cli.linkcheck.model import LinkResult, LinkStatus, format_time
from canon_cli.linkcheck.store import to_json
from canon_cli.output import render, streams

if TYPE_CHECKING:
    from canon_cli.reading.opener import NumberedLink

RESULT_ORDER = (LinkStatus.OK, LinkStatus.REDIRECTED, LinkStatus.BROKEN, LinkStatus.UNREACHABLE)


def ago(moment: datetime, now: datetime | None = None) -> str:
    """How long ago ``moment`` was, in words: "just now", "5 minutes ago", "3 days ago"."""
    seconds = max(0.0, ((now or datetime.now(UTC)) - moment).total_seconds())
    if seconds < 60:
        return _("just now")
    if seconds < 3600:
        n = int(seconds // 60)
        return ngettext("{n} minute ago", "{n} minutes ago", n).format(n=n)
    if seconds < 86400:
        n = int(seconds // 3600)
        return ngettext("{n} hour ago", "{n} hours ago", n).format(n=n)
    n = int(seconds // 86400)
    return ngettext("{n} day ago", "{n} days ago", n).format(n=n)


def local_date(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d")


def reason(record: LinkResult) -> str:
    """The status code and/or the detail: "404", "429: asked to retry after 3600 s"."""
    parts = [str(record.status)] if record.status is not None else []
    if record.detail:
        parts.append(record.detail)
    return ": ".join(parts)


def verdict(record: LinkResult, now: datetime | None = None) -> str:
    """What the last check found, for ``show``: "checked 3 days ago: moved to ...",
    "broken (404) when checked on 2024-05-01"."""
    when = ago(record.checked_at, now)
    if record.result is LinkStatus.OK:
        return _("checked {ago}: ok").format(ago=when)
    if record.result is LinkStatus.REDIRECTED:
        return _("checked {ago}: moved to {url}").format(ago=when, url=record.final_url)
    day = local_date(record.checked_at)
    if record.result is LinkStatus.BROKEN:
        return _("broken ({reason}) when checked on {date}").format(reason=reason(record), date=day)
    return _("unreachable ({reason}) when checked on {date}").format(
        reason=reason(record), date=day
    )


def with_verdicts(lines: Sequence[str], checks: Sequence[LinkResult | None]) -> list[str]:
    """``show``'s link lines, each followed by what the last check found for it."""
    shown: list[str] = []
    for index, line in enumerate(lines):
        shown.append(line)
        check = checks[index] if index < len(checks) else None
        if check is not None:
            shown.append("    " + verdict(check))
    return shown


def checks_json(checks: Sequence[LinkResult | None]) -> list[dict[str, Any]]:
    return [to_json(check) for check in checks if check is not None]


def plain_row(record: LinkResult) -> list[object]:
    final = "" if record.final_url in (None, record.url) else record.final_url
    return [
        record.result.value,
        record.status,
        record.entry_id,
        record.url,
        final,
        record.detail,
        format_time(record.checked_at),
    ]


@contextlib.contextmanager
def check_display(total: int, as_json: bool) -> Iterator[Callable[[LinkResult], None]]:
    """What the user sees while links are checked: a progress bar on a terminal, a line
    per link as it is found in a pipe, nothing with --json (the array comes at the end)."""
    if as_json or total == 0:
        yield lambda record: None
    elif streams.use_rich():
        with render.progress_bar(_("Checking links"), total) as step:
            yield lambda record: step()
    else:
        yield lambda record: streams.plain_rows([plain_row(record)])


def _counts_line(results: Sequence[LinkResult]) -> str:
    counts = Counter(r.result for r in results)
    parts = [f"{counts[result]} {result.value}" for result in RESULT_ORDER if counts[result]]
    n = len(results)
    return ngettext("{n} link: {parts}", "{n} links: {parts}", n).format(
        n=n, parts=", ".join(parts)
    )


def _problem_table(results: Sequence[LinkResult], with_date: bool) -> None:
    problems = [r for r in results if r.result is not LinkStatus.OK]
    if not problems:
        return
    headers = [_("ID"), _("Result"), _("Status"), _("URL")]
    if with_date:
        headers.append(_("Checked"))
    rows = []
    for r in problems:
        url = r.url if r.result is not LinkStatus.REDIRECTED else f"{r.url}\n→ {r.final_url}"
        row = [r.entry_id, r.result.value, reason(r), url]
        if with_date:
            row.append(local_date(r.checked_at))
        rows.append(row)
    render.simple_table(headers, rows, ["cyan", "bold", "", "", "dim"][: len(headers)])


def _json(results: Sequence[LinkResult], rechecked: Collection[tuple[str, str]] | None) -> None:
    items: list[dict[str, Any]] = []
    for record in results:
        item = to_json(record)
        if rechecked is not None:
            item["cached"] = record.key not in rechecked
        items.append(item)
    streams.print_json(items)


def show_check(
    results: Sequence[LinkResult], rechecked: Collection[tuple[str, str]], as_json: bool
) -> None:
    """After ``links check``: the JSON array, or the summary (the lines were printed as
    each link was checked; links not re-checked because of --max-age follow)."""
    if as_json:
        _json(results, rechecked)
        return
    remembered = [r for r in results if r.key not in rechecked]
    if not streams.use_rich():
        streams.plain_rows(plain_row(r) for r in remembered)
        streams.note(_counts_line(results) if results else _("no links to check"))
        return
    if not results:
        streams.note(_("no links to check"))
        return
    _problem_table(results, with_date=bool(remembered))
    render.lines([("bold", _counts_line(results))])
    if remembered:
        streams.note(
            ngettext(
                "{n} link was checked recently and not again (see --max-age).",
                "{n} links were checked recently and not again (see --max-age).",
                len(remembered),
            ).format(n=len(remembered))
        )


def show_remembered(results: Sequence[LinkResult], as_json: bool) -> None:
    """``canon links``: what the last checks found, without checking anything."""
    if as_json:
        _json(results, None)
        return
    if not results:
        streams.note(_("No links checked yet. Check them with: canon links check"))
        return
    if not streams.use_rich():
        streams.plain_rows(plain_row(r) for r in results)
        return
    _problem_table(results, with_date=True)
    oldest = min(r.checked_at for r in results)
    render.lines(
        [
            ("bold", _counts_line(results)),
            (
                "dim",
                _("oldest result: {ago}; check again with: canon links check").format(
                    ago=ago(oldest)
                ),
            ),
        ]
    )


def show_dead_links(entry_id: str, dead: Sequence[tuple[NumberedLink, LinkResult]]) -> None:
    """``open``: a link about to open was dead when last checked; say how to open its
    archived copy (on stderr, so ``--print`` output stays clean)."""
    for link, record in dead:
        command = f"canon open {entry_id} --archive"
        if link.number:
            command += f" --link {link.number}"
        streams.note(
            _("canon: {link} was {verdict}; its archived copy: {command}").format(
                link=link.describe(), verdict=verdict(record), command=command
            )
        )
