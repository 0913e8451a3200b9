"""Reading catalog files: parse, validate, merge and check references.

This is the slow path, taken only when a catalog changed since the last snapshot
(see ``snapshot.py``). The schema's checks come from ``validator.py``.
"""

# Evaluated annotations (no `from __future__ import annotations`): a NamedTuple would
# compile each field's annotation string at import (docs/decisions.md, "Record classes").

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from canon_cli.catalog.limits import check_catalog_cost, longest_string
from canon_cli.catalog.rules import CATALOG_VERSION, VERSION_2_FIELDS
from canon_cli.catalog.urls import url_problem
from canon_cli.errors import CatalogError
from canon_cli.fileio import SourceText, read_utf8
from canon_cli.i18n import _
from canon_cli.vocab import TEXT_MAX
from canon_cli.yamlio import DEFERRED, fast_load, find_line, load_yaml


class SectionRow(NamedTuple):
    slug: str
    name_en: str
    name_zh: str | None
    desc_en: str | None
    desc_zh: str | None
    parent: str | None
    path: tuple[str, ...]
    source: str


class LoadedCatalog:
    """Every source merged, in reading order, with each item's file of origin. (A plain
    class: a dataclass would import ``dataclasses`` and ``inspect`` on every rebuild.)"""

    def __init__(self) -> None:
        self.title = ""
        self.source_url: str | None = None
        self.tags: dict[str, str] = {}  # slug -> English description
        self.tags_zh: dict[str, str] = {}  # slug -> Chinese, where given
        self.sections: list[SectionRow] = []
        # (the entry's model, or its Brief once staged; its file; its line)
        self.entries: list[tuple[Any, str, int | None]] = []


def _location(loc: tuple[int | str, ...], data: Any) -> str:
    """Describe a pydantic error location as 'entry <id>, field <name>'."""
    parts: list[str] = []
    node = data
    i = 0
    while i < len(loc):
        key = loc[i]
        if key in ("entries", "sections") and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            index = loc[i + 1]
            assert isinstance(index, int)
            try:
                node = node[key][index]
                ident = node.get("id") or node.get("slug")
            except (KeyError, IndexError, TypeError, AttributeError):
                ident = None
            noun = "entry" if key == "entries" else "section"
            parts.append(f"{noun} {ident!r}" if isinstance(ident, str) else f"{noun} #{index + 1}")
            i += 2
            continue
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
        parts.append(str(key))
        i += 1
    return ", ".join(parts)


class Brief(NamedTuple):
    """What the merge checks of an entry once its row is staged (``load_catalogs`` with
    a ``stage``): the model itself is then gone."""

    id: str
    aliases: tuple[str, ...]
    section: str
    tags: tuple[str, ...]
    version_2_field: str | None  # the first field only catalog version 2 has, if any


def _brief(entry: Any, shared: dict[Any, Any] | None = None) -> Brief:
    """``entry``'s Brief; ``shared`` keeps one copy of each section and set of tags, which
    many entries repeat (at 100,000 entries, a fifth of what the briefs would hold)."""
    v2 = next((name for name in VERSION_2_FIELDS if getattr(entry, name) is not None), None)
    section, tags = entry.section, tuple(entry.tags)
    if shared is not None:
        section, tags = shared.setdefault(section, section), shared.setdefault(tags, tags)
    return Brief(entry.id, tuple(entry.aliases), section, tags, v2)


class Stage(Protocol):
    """Where validated entries go as they are read, so that no model outlives its row
    (the snapshot's staging table, catalog/staging.py)."""

    def add(self, entry: Any, source: str) -> None: ...
    def mark(self) -> int: ...
    def truncate(self, mark: int) -> None: ...


def parse_catalog_file(path: Path, before: tuple[int, int] = (0, 0)) -> tuple[Any, SourceText]:
    """Parse and validate one catalog file into a ``CatalogModel`` (and its text, decoded
    only if an error needs a line); ``before`` counts the entries and sections of the
    catalogs merged before it."""
    model, text, _entries = _parse(path, before, None)
    return model, text


def _parse(
    path: Path, before: tuple[int, int], stage: Stage | None
) -> tuple[Any, SourceText, list[Any]]:
    """``parse_catalog_file``, with the file's entries: their models, or with a
    ``stage``, each model handed to it as it is validated and only its ``Brief`` kept
    (the header's model then has no entries)."""
    text = read_utf8(path, CatalogError)
    source = str(path)
    briefs: list[Any] | None = None
    mark = 0 if stage is None else stage.mark()
    if stage is None:
        data = _load_streaming(text)
    else:
        briefs = []
        kept: list[Any] = briefs
        shared: dict[Any, Any] = {}

        def keep(entry: Any) -> None:
            stage.add(entry, source)
            kept.append(_brief(entry, shared))

        data = _load_streaming(text, keep)
        if data is not None and not _all_staged(data):
            data = None  # entries that are not all mappings: the full report, below
    if data is None:  # unusual YAML or an invalid entry: the full loader, then the report
        if stage is not None:
            stage.truncate(mark)  # what the stream staged before it stopped
        briefs = None
        data = load_yaml(text, source, CatalogError)
    _check_form(data, text, source)
    check_catalog_cost(data, text, path, before)
    if briefs is not None:  # the entries are staged: validate the rest of the file
        data = {**data, "entries": []}
    model = _validated(data, text, path)
    if briefs is not None:  # staged as they were read
        _check_version_1_fields(model.version, briefs, text, path)
        return model, text, briefs
    models = list(model.entries)  # read the usual way: the models are all here
    briefs = [_brief(e) for e in models]
    _check_version_1_fields(model.version, briefs, text, path)
    if stage is None:
        return model, text, models
    for entry in models:
        stage.add(entry, source)
    model.entries = []  # a record of this call's own: the header alone goes on
    return model, text, briefs


def _check_form(data: Any, text: SourceText, source: str) -> None:
    """A mapping, of a catalog version this canon reads."""
    if not isinstance(data, dict):
        raise CatalogError(
            "a catalog must be a mapping with 'version', 'sections' and 'entries'",
            path=source,
            line=1,
            hint=format_hint(),
        )
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > CATALOG_VERSION:
        raise CatalogError(
            f"catalog version {version} is newer than this canon understands ({CATALOG_VERSION})",
            path=source,
            line=find_line(text, ("version",)),
            hint="Upgrade canon to read this catalog.",
        )


def _all_staged(data: Any) -> bool:
    """Whether every item of the file's ``entries`` went to the stage (its place is None);
    a mapping or a scalar there instead is for the validation's own message."""
    entries = data.get("entries", []) if isinstance(data, dict) else []
    return isinstance(entries, list) and all(item is None for item in entries)


def _load_streaming(text: SourceText, keep: Callable[[Any], None] | None = None) -> Any:
    """The file's data with each entry already an ``EntryModel``, built as the parser
    finishes it (so the parsed data of all entries is never held at once); None when
    the fast parser defers, or an entry is too long or invalid (the caller then reads
    the file the usual way, to report the problem with its full context). ``keep``:
    given each model instead, which then takes no place in the data (None does)."""
    from canon_cli.catalog.validator import core, validate_entry

    ValidationError = core().ValidationError

    failed = False

    def build(item: dict[str, Any]) -> Any:
        nonlocal failed
        if failed or longest_string(item) > TEXT_MAX:
            failed = True
            return item
        try:
            model = validate_entry(item)
        except ValidationError:
            failed = True
            return item
        if keep is None:
            return model
        keep(model)
        return None

    data = fast_load(text.raw, build)
    return None if data is DEFERRED or failed else data


def _validated(data: Any, text: SourceText, path: Path) -> Any:
    """The ``CatalogModel`` record of the file's data (its entries may be records
    already: the validator takes those as they are), or the ``CatalogError`` that says
    where the first problem is, what it is, and how many more there are."""
    from canon_cli.catalog.validator import core, validate_catalog

    ValidationError = core().ValidationError

    try:
        return validate_catalog(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        where = _location(loc, data)
        message = first["msg"]
        if first["type"] == "extra_forbidden":
            message = "unknown field"
        elif first["type"] == "value_error":
            message = message.removeprefix("Value error, ")
        count = len(exc.errors())
        more = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
        raise CatalogError(
            f"{where}: {message}{more}",
            path=str(path),
            line=find_line(text, loc),
            hint=format_hint(),
        ) from None


def _check_version_1_fields(
    version: int, entries: list[Brief], text: SourceText, path: Path
) -> None:
    """A version 1 file may not use the fields version 2 added: say which, and the fix."""
    if version >= 2:
        return
    for index, entry in enumerate(entries):
        if entry.version_2_field is not None:
            name = entry.version_2_field
            raise CatalogError(
                f"entry {entry.id!r}, {name}: this field needs catalog version 2",
                path=str(path),
                line=find_line(text, ("entries", index, name)),
                hint="Write 'version: 2' at the top of the file.",
            )


def format_hint() -> str:
    from canon_cli.i18n import _
    from canon_cli.paths import catalog_format_doc

    return _("The catalog format is described in {path}").format(path=catalog_format_doc())


def _walk_sections(
    sections: list[Any], parent_path: tuple[str, ...]
) -> Iterator[tuple[Any, int, tuple[str, ...]]]:
    for index, section in enumerate(sections):
        path = (*parent_path, section.slug)
        yield section, index, path
        yield from _walk_sections(section.sections, path)


def load_catalogs(paths: list[Path], stage: Stage | None = None) -> LoadedCatalog:
    """Parse every source and merge them; a clash names both files. Tags and sections
    of every file come first, so an entry may use those of a later file. ``stage``: each
    validated entry goes there as it is read, and the merged entries are ``Brief``s (in
    the order they were staged), so that memory does not grow with the catalog's text."""
    merger = _Merger()
    parsed: list[tuple[Any, SourceText, str, list[Any]]] = []
    count = 0
    for path in paths:
        model, text, entries = _parse(path, (count, len(merger.merged.sections)), stage)
        count += len(entries)
        parsed.append((model, text, str(path), entries))
        merger.add_header(model, text, str(path))
    for _model, text, source, entries in parsed:
        for index, entry in enumerate(entries):
            merger.add_entry(entry, index, text, source)
    return merger.merged


class _Merger:
    """The catalog being merged, and which file defined each tag, section and id."""

    def __init__(self) -> None:
        self.merged = LoadedCatalog()
        self.section_origin: dict[str, str] = {}
        self.entry_origin: dict[str, str] = {}
        self.tag_origin: dict[str, str] = {}

    def add_header(self, model: Any, text: SourceText, source: str) -> None:
        """A file's title, source, tags and sections."""
        merged = self.merged
        if model.title is not None and not merged.title:
            merged.title = model.title.en
        if model.source is not None and merged.source_url is None:
            merged.source_url = model.source
        for slug, description in model.tags.items():
            if slug in self.tag_origin and self.tag_origin[slug] != source:
                raise CatalogError(
                    _("tag {slug!r} is already defined in {other}").format(
                        slug=slug, other=self.tag_origin[slug]
                    ),
                    path=source,
                    line=find_line(text, ("tags", slug)),
                )
            self.tag_origin[slug] = source
            merged.tags[slug] = description.en
            if description.zh:
                merged.tags_zh[slug] = description.zh
        for index, top in enumerate(model.sections):
            self.add_section(top, index, text, source)

    def add_section(self, top: Any, index: int, text: SourceText, source: str) -> None:
        """A top-level section of a file and its subsections, in reading order: at the
        end, or after the last descendant of the ``parent`` it names."""
        sections = self.merged.sections
        base: tuple[str, ...] = ()
        if top.parent is not None:
            parent = next((s for s in sections if s.slug == top.parent), None)
            if parent is None:
                raise CatalogError(
                    _("section {slug!r}: parent {parent!r} is not a known section").format(
                        slug=top.slug, parent=top.parent
                    ),
                    path=source,
                    line=find_line(text, ("sections", index, "parent")),
                )
            base = parent.path
        rows = []
        for section, _index, spath in _walk_sections([top], base):
            if section.slug in self.section_origin:
                raise CatalogError(
                    _("section {slug!r} is already defined in {other}").format(
                        slug=section.slug, other=self.section_origin[section.slug]
                    ),
                    path=source,
                    line=find_line(text, ("sections", index)),
                )
            self.section_origin[section.slug] = source
            rows.append(_section_row(section, (*base, *spath[len(base) :]), source))
        if top.parent is None:
            sections.extend(rows)
        else:
            last = max(i for i, s in enumerate(sections) if top.parent in s.path)
            sections[last + 1 : last + 1] = rows

    def add_entry(self, entry: Any, index: int, text: SourceText, source: str) -> None:
        """An entry, once its ids are unique and its section and tags are known."""
        for ident in (entry.id, *entry.aliases):
            if ident in self.entry_origin:
                other = self.entry_origin[ident]
                raise CatalogError(
                    _("entry {id!r}: id or alias {ident!r} is already used in {where}").format(
                        id=entry.id, ident=ident, where=_("this file") if other == source else other
                    ),
                    path=source,
                    line=find_line(text, ("entries", index)),
                    hint=_("Ids and aliases must be unique across all catalogs."),
                )
            self.entry_origin[ident] = source
        if entry.section not in self.section_origin:
            raise CatalogError(
                _("entry {id!r}, section: {section!r} is not a known section").format(
                    id=entry.id, section=entry.section
                ),
                path=source,
                line=find_line(text, ("entries", index, "section")),
                hint=_("Valid sections: {names}").format(names=", ".join(self.section_origin)),
            )
        for tag in entry.tags:
            if tag not in self.merged.tags:
                raise CatalogError(
                    _("entry {id!r}, tags: {tag!r} is not in the tag vocabulary").format(
                        id=entry.id, tag=tag
                    ),
                    path=source,
                    line=find_line(text, ("entries", index, "tags")),
                    hint=_("Valid tags: {names}").format(names=", ".join(self.merged.tags)),
                )
        self.merged.entries.append((entry, source, None))


def _section_row(section: Any, path: tuple[str, ...], source: str) -> SectionRow:
    description = section.description
    return SectionRow(
        slug=section.slug,
        name_en=section.name.en,
        name_zh=section.name.zh,
        desc_en=None if description is None else description.en,
        desc_zh=None if description is None else description.zh,
        parent=path[-2] if len(path) > 1 else None,
        path=path,
        source=source,
    )


def entry_url_problem(entry: Any) -> str | None:
    """The first refused link of an entry, described for ``list`` and ``open``."""
    problem = url_problem(entry.url)
    if problem is not None:
        return f"main link {problem}"
    if entry.archive is not None:
        problem = url_problem(entry.archive)
        if problem is not None:
            return f"archive link {problem}"
    for link in entry.links:
        problem = url_problem(link.url)
        if problem is not None:
            return f"link {link.label!r} {problem}"
    return None
