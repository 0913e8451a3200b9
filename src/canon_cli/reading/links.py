"""The catalog's links and what link checks found: which links to check, each entry's
link health, and the archived copy of a link.

Nothing here touches the network except ``run_check``, which imports the checker only
when it is called (``canon links check``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from canon_cli.catalog.query import Filters, find_entries, resolve_entry
from canon_cli.catalog.store import Catalog, Entry
from canon_cli.errors import CanonError, UsageError
from canon_cli.i18n import _
from canon_cli.linkcheck.model import CheckSettings, LinkResult
from canon_cli.linkcheck.store import load_results, needing_check, save_results

if TYPE_CHECKING:
    from canon_cli.reading.opener import NumberedLink

WAYBACK = "https://web.archive.org/web/"
Pair = tuple[str, str]
Records = Mapping[Pair, LinkResult]


def entry_pairs(entry: Entry) -> list[Pair]:
    """(entry id, url) for the entry's main link and extra links, each URL once."""
    return [(entry.id, url) for url in dict.fromkeys(link.url for link in entry.all_links())]


def catalog_pairs(catalog: Catalog) -> set[Pair]:
    """Every (entry id, url) pair the catalog has now."""
    return {pair for entry in catalog.entries() for pair in entry_pairs(entry)}


def _same_file(a: str, b: Path) -> bool:
    try:
        return Path(a).resolve() == b.resolve()
    except OSError:
        return False


def select_for_check(
    catalog: Catalog,
    ids: Sequence[str] = (),
    sections: Sequence[str] = (),
    source: Path | None = None,
) -> list[Entry]:
    """The entries whose links to check: the ``ids`` (or every entry), narrowed to the
    ``sections`` and to the entries defined in the catalog file ``source``."""
    if ids:
        chosen = list({e.id: e for e in (resolve_entry(catalog, text) for text in ids)}.values())
        if sections:
            keep = {e.id for e in find_entries(catalog, Filters(sections=tuple(sections)))}
            chosen = [e for e in chosen if e.id in keep]
    else:
        chosen = list(find_entries(catalog, Filters(sections=tuple(sections))))
    if source is not None:
        if not any(_same_file(str(path), source) for path in catalog.sources):
            listed = "\n".join(f"  {path}" for path in catalog.sources)
            raise UsageError(
                _("{source} is not one of the catalogs canon reads:\n{listed}").format(
                    source=source, listed=listed
                ),
                hint=_("To check another catalog file, run: canon --catalog FILE links check"),
            )
        chosen = [e for e in chosen if _same_file(e.source, source)]
    return chosen


class CheckPlan(NamedTuple):
    """The links asked about, what is remembered of them, and those to check now."""

    pairs: list[Pair]
    records: dict[Pair, LinkResult]
    todo: list[Pair]


def plan_check(
    pairs: Sequence[Pair], max_age: timedelta | None = None, path: Path | None = None
) -> CheckPlan:
    """Every pair is checked, or with ``max_age`` only those not checked since."""
    records = load_results(path)
    return CheckPlan(list(pairs), records, needing_check(pairs, records, max_age))


class CheckRun(NamedTuple):
    """What ``canon links check`` found, for every link asked about, in the order asked."""

    results: list[LinkResult]
    rechecked: frozenset[Pair]  # the pairs checked now (the others were recent enough)
    save_error: CanonError | None = None  # the results could not be remembered

    @property
    def failed(self) -> list[LinkResult]:
        return [r for r in self.results if r.result.failed]


def run_check(
    plan: CheckPlan,
    current: Collection[Pair],
    settings: CheckSettings,
    on_result: Callable[[LinkResult], None] | None = None,
    path: Path | None = None,
) -> CheckRun:
    """Check the plan's links over the network and remember the results; ``current`` is
    every pair of the catalog, so records of links it no longer has are dropped. Results
    found before an interrupt are remembered too."""
    from canon_cli.linkcheck.checker import check_links

    found: list[LinkResult] = []

    def collect(result: LinkResult) -> None:
        found.append(result)
        if on_result is not None:
            on_result(result)

    save_error: CanonError | None = None
    try:
        check_links(plan.todo, settings, collect)
    finally:
        try:
            save_results(found, path, current=current)
        except CanonError as exc:
            save_error = exc
    fresh = {r.key: r for r in found}
    results = [fresh.get(pair) or plan.records[pair] for pair in plan.pairs]
    return CheckRun(results, frozenset(fresh), save_error)


def remembered(catalog: Catalog, records: Records) -> list[LinkResult]:
    """The remembered results of links the catalog still has, in reading order."""
    if not records:
        return []
    return [records[p] for e in catalog.entries() for p in entry_pairs(e) if p in records]


def entry_checks(entry: Entry, records: Records) -> list[LinkResult | None]:
    """The last result for each of the entry's links (as ``show`` numbers them)."""
    return [records.get((entry.id, link.url)) for link in entry.all_links()]


def remembered_checks(entry: Entry) -> list[LinkResult | None]:
    """``entry_checks`` from the remembered results; never touches the network."""
    records = load_results()
    return entry_checks(entry, records) if records else []


def dead_entry_ids(catalog: Catalog, records: Records) -> set[str]:
    """Entries with a current link that the last check found broken or unreachable."""
    failed = {key for key, record in records.items() if record.result.failed}
    dead: set[str] = set()
    for entry_id in {key[0] for key in failed}:
        entry = catalog.get(entry_id)
        if entry is not None and any(pair in failed for pair in entry_pairs(entry)):
            dead.add(entry_id)
    return dead


def dead_entry_ids_remembered(catalog: Catalog) -> set[str]:
    """``dead_entry_ids`` from the remembered results (none when nothing was checked)."""
    return dead_entry_ids(catalog, load_results())


def dead_links(
    entry: Entry, links: Iterable[NumberedLink], records: Records
) -> list[tuple[NumberedLink, LinkResult]]:
    """The chosen links that the last check found broken or unreachable."""
    found = [(link, records.get((entry.id, link.url))) for link in links]
    return [(link, record) for link, record in found if record is not None and record.result.failed]


def archive_url(entry: Entry, url: str) -> str:
    """Where the archived copy of ``url`` is: the entry's own ``archive`` link for its
    main link when the catalog gives one, else the Internet Archive's Wayback Machine."""
    explicit = getattr(entry, "archive", None)
    if url == entry.url and isinstance(explicit, str) and explicit:
        return explicit
    return WAYBACK + url


def archive_links(entry: Entry, links: Iterable[NumberedLink]) -> list[NumberedLink]:
    """The archived copies of ``links``, numbered and labelled as the originals."""
    from canon_cli.reading.opener import NumberedLink

    return [
        NumberedLink(
            link.number,
            _("{label} (archived)").format(label=link.label),
            archive_url(entry, link.url),
        )
        for link in links
    ]


def for_opening(
    entry: Entry, links: list[NumberedLink], archive: bool
) -> tuple[list[NumberedLink], list[tuple[NumberedLink, LinkResult]]]:
    """The links ``open`` hands to the browser (their archived copies with ``archive``),
    and those of them the last check found dead."""
    if archive:
        return archive_links(entry, links), []
    return links, dead_links(entry, links, load_results())
