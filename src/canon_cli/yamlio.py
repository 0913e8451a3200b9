"""Safe, bounded YAML reading for files canon did not write (catalogs, config).

Loading is "safe" (no tag constructs objects or runs code) and bounded: a size cap
before parsing, and a pass over the parser's events that limits nesting depth and the
number of aliases, so a "billion laughs" file is refused before anything expands.
Every problem becomes the caller's ``DataError`` subclass with a file and line.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
from collections.abc import Callable
from typing import Any

from canon_cli.errors import DataError
from canon_cli.fileio import SourceText
from canon_cli.i18n import _

MAX_DEPTH = 32
MAX_ALIASES = 64
# Nodes that aliases may add when expanded: a few aliases that each repeat a node full of
# aliases grow exponentially, so counting aliases alone does not bound memory or time.
MAX_ALIAS_NODES = 10_000


def _parser_events(text: str) -> Callable[[], Any]:
    """The function that gives the parser's next event (None at the end)."""
    try:
        from _ruamel_yaml import (  # type: ignore[import-not-found,unused-ignore]
            CParser,  # the C parser, when ruamel.yaml.clib is installed
        )

        parser: Any = CParser(io.BytesIO(text.encode("utf-8", "surrogatepass")))
        return parser.get_event  # type: ignore[no-any-return]
    except ImportError:  # pragma: no cover - pure-Python fallback
        from ruamel.yaml import YAML

        events = YAML(typ="safe", pure=True).parse(text)
        return lambda: next(events, None)


class _Budget:
    """What a document may cost: nesting depth, aliases, and nodes added by aliases.
    Each event goes to ``see``, which raises ``error`` when a bound is passed."""

    def __init__(self, path: str, error: Callable[..., DataError], max_aliases: int) -> None:
        self.path, self.error, self.max_aliases = path, error, max_aliases
        self.aliases = 0
        self.nodes = 0  # nodes seen so far, an alias counting as the whole node it repeats
        self.expanded = 0  # nodes added by aliases
        self.open: list[tuple[str | None, int]] = []  # (anchor, ``nodes`` when it started)
        self.sizes: dict[str, int] = {}  # finished anchors and the nodes each stands for

    def fail(self, message: str, event: Any) -> DataError:
        return self.error(message, path=self.path, line=_event_line(event))

    def see(self, event: Any) -> None:
        name = type(event).__name__
        if name in ("MappingStartEvent", "SequenceStartEvent"):
            self.nodes += 1
            self.open.append((event.anchor, self.nodes))
            if len(self.open) > MAX_DEPTH:
                raise self.fail(
                    _("nesting deeper than {limit} levels").format(limit=MAX_DEPTH), event
                )
        elif name in ("MappingEndEvent", "SequenceEndEvent"):
            anchor, start = self.open.pop()
            if anchor is not None:
                self.sizes[anchor] = self.nodes - start + 1
        elif name == "ScalarEvent":
            self.nodes += 1
            if event.anchor is not None:
                self.sizes[event.anchor] = 1
        elif name == "AliasEvent":
            self.alias(event)

    def alias(self, event: Any) -> None:
        self.aliases += 1
        if self.aliases > self.max_aliases:
            message = (
                _("more than {limit} YAML aliases (refused to guard memory)").format(
                    limit=self.max_aliases
                )
                if self.max_aliases
                else _("YAML aliases (*name) are not allowed in this file")
            )
            raise self.fail(message, event)
        if event.anchor not in self.sizes:
            # the parser rejects unknown anchors; a known one still open is a cycle
            if any(anchor == event.anchor for anchor, _start in self.open):
                raise self.fail(
                    _("alias *{name} refers to a node that contains it").format(name=event.anchor),
                    event,
                )
            return
        self.nodes += self.sizes[event.anchor]
        self.expanded += self.sizes[event.anchor]
        if self.expanded > MAX_ALIAS_NODES:
            raise self.fail(
                _(
                    "YAML aliases expand to more than {limit} nodes (refused to guard memory)"
                ).format(limit=MAX_ALIAS_NODES),
                event,
            )


def check_events(
    text: str, path: str, error: Callable[..., DataError], max_aliases: int = MAX_ALIASES
) -> None:
    """Walk the parser's events: bound nesting depth, alias count and alias expansion."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    next_event = _parser_events(text)
    budget = _Budget(path, error, max_aliases)
    try:
        while True:
            event = next_event()
            if event is None or type(event).__name__ == "StreamEndEvent":
                return
            budget.see(event)
    except MarkedYAMLError as exc:
        raise _yaml_error(exc, path, error) from None
    except YAMLError as exc:
        # e.g. ReaderError for a raw control character: it has a position, not a mark
        raise _reader_error(exc, text, path, error) from None


def _reader_error(exc: Any, text: str, path: str, error: Callable[..., DataError]) -> DataError:
    position = getattr(exc, "position", None)  # a byte offset into the UTF-8 text
    line = None
    if isinstance(position, int):
        line = text.encode("utf-8", "surrogatepass")[:position].count(b"\n") + 1
    character = getattr(exc, "character", None)
    if isinstance(character, int):
        problem = f"character U+{character:04X} is not allowed in YAML"
    else:
        problem = "invalid YAML"
    return error(f"not valid YAML: {problem}", path=path, line=line)


def _event_line(event: Any) -> int | None:
    mark = getattr(event, "start_mark", None)
    return None if mark is None else int(mark.line) + 1


def _yaml_error(exc: Any, path: str, error: Callable[..., DataError]) -> DataError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = None if mark is None else int(mark.line) + 1
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or "invalid YAML"
    context = getattr(exc, "context", None)
    if type(exc).__name__ == "DuplicateKeyError":
        problem = problem.replace("found duplicate key", "duplicate key")
        problem = problem.split(" with value")[0]
    elif type(exc).__name__ == "ConstructorError" and "could not determine" in str(problem):
        problem = f"{problem} (tags that build objects are not allowed)"
    elif context and context != problem:
        problem = f"{problem} ({context})"
    return error(f"not valid YAML: {problem}", path=path, line=line)


_DEFER: Any = object()  # fast_load's answer when only the full loader may decide
DEFERRED = _DEFER
_NO_KEY: Any = object()  # no mapping key pending
_FAST_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FAST_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
_TAG = "tag:yaml.org,2002:"


@functools.cache
def _plain_resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """The safe loader's implicit resolvers (YAML 1.2), keyed by first character."""
    from ruamel.yaml.resolver import VersionedResolver

    table = VersionedResolver().versioned_resolver
    return {first: [(str(tag), regexp) for tag, regexp in rules] for first, rules in table.items()}


def _resolve_plain(value: str) -> Any:
    """A plain scalar as the safe loader builds it, or ``_DEFER`` if not plainly so."""
    table = _plain_resolvers()
    rules = table.get(value[0] if value else "")
    if not rules and None not in table:
        return value
    for tag, regexp in (rules or []) + table.get(None, []):
        if not regexp.match(value):
            continue
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            lowered = value.lower()
            return True if lowered == "true" else False if lowered == "false" else _DEFER
        if tag == _TAG + "int" and _FAST_INT.fullmatch(value):
            return int(value)
        if tag == _TAG + "float" and _FAST_FLOAT.fullmatch(value):
            return float(value)
        return _DEFER  # timestamps, merge keys, octal, underscores, .inf, ...
    return value


def fast_load(text: str | bytes, entry: Callable[[dict[str, Any]], Any] | None = None) -> Any:
    """Plain data built straight from the C parser's events, in one pass.

    Handles what catalogs hold: one document of mappings, sequences and untagged
    scalars. Anything else (tags, anchors, aliases, several documents, directives,
    duplicate or non-scalar keys, nesting over the limit, plain scalars that are not
    plain null/bool/int/float/str, parse errors) returns ``_DEFER``, so the full loader
    decides, with its checks and its messages. The result equals ``YAML(typ="safe")``'s.

    ``entry``: called with each mapping of the top-level ``entries`` list as soon as it
    is complete; what it returns takes the mapping's place (so a catalog's entries can
    become models one by one, never all held as parsed data at once).
    """
    try:
        from _ruamel_yaml import (  # type: ignore[import-not-found,unused-ignore]
            CParser,
        )
    except ImportError:  # pragma: no cover - pure-Python ruamel only
        return _DEFER
    raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    parser: Any = CParser(io.BytesIO(raw))
    try:
        return _build(parser.get_event, entry)
    except Exception:  # a parse error: the full loader reports it with its message
        return _DEFER


def _build(get_event: Callable[[], Any], entry: Callable[[dict[str, Any]], Any] | None) -> Any:
    """``fast_load``'s loop: one value per scalar or collection event, put where it goes
    (a hot loop: written inline, as a call per event would cost a sixth of the time)."""
    from ruamel.yaml import events as ev

    scalar, doc_start, stream_end = ev.ScalarEvent, ev.DocumentStartEvent, ev.StreamEndEvent
    starts: dict[Any, Any] = {ev.MappingStartEvent: dict, ev.SequenceStartEvent: list}
    ends = (ev.MappingEndEvent, ev.SequenceEndEvent)
    skipped = (ev.StreamStartEvent, ev.DocumentEndEvent)
    top: list[Any] = []  # the document's one value goes here
    containers: list[Any] = [top]  # the open collections, innermost last
    pending: list[Any] = [_NO_KEY]  # for each open mapping: its key awaiting a value
    entries: Any = None  # the top-level "entries" list, when ``entry`` is given
    documents = 0
    while (event := get_event()) is not None:
        kind = type(event)
        if kind is scalar or kind in starts:
            if event.anchor is not None or event.tag is not None:
                return _DEFER
            if kind is scalar:
                value = _resolve_plain(event.value) if event.implicit[0] else event.value
                if value is _DEFER:
                    return _DEFER
            elif len(containers) > MAX_DEPTH:
                return _DEFER
            else:
                value = starts[kind]()
            parent = containers[-1]
            if type(parent) is list:
                parent.append(value)
            elif pending[-1] is _NO_KEY:
                if (type(value) not in (str, int, bool) and value is not None) or value in parent:
                    return _DEFER  # a collection or float as a key, or a duplicate key
                pending[-1] = value
                continue
            else:
                key, pending[-1] = pending[-1], _NO_KEY
                parent[key] = value
                if entry is not None and key == "entries" and len(containers) == 2:
                    entries = value if type(value) is list else None
            if kind is not scalar:
                containers.append(value)
                pending.append(_NO_KEY)
        elif kind in ends:
            done = containers.pop()
            pending.pop()
            if entries is not None and len(containers) == 3 and containers[2] is entries:
                entries[-1] = entry(done)  # type: ignore[misc]
        elif kind is doc_start:
            documents += 1
            if documents > 1 or event.version is not None or event.tags:
                return _DEFER
        elif kind is stream_end:
            break
        elif kind not in skipped:  # AliasEvent, or anything unknown
            return _DEFER
    return top[0] if top else None


def load_yaml(text: str | SourceText, path: str, error: type[DataError]) -> Any:
    """Parse ``text`` safely into plain Python data, or raise ``error``."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    data = fast_load(text.raw if isinstance(text, SourceText) else text)
    if data is not _DEFER:
        return data
    if isinstance(text, SourceText):
        text = text.text
    check_events(text, path, error)
    yaml = YAML(typ="safe")
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except YAMLError as exc:
        raise _yaml_error(exc, path, error) from None
    except (RecursionError, ValueError, OverflowError) as exc:
        raise error(f"not valid YAML: {exc}", path=path) from None
    except (LookupError, TypeError) as exc:
        # the safe constructors let these through for some tagged values, e.g.
        # `!!bool maybe` (KeyError) or `!!omap [{[1]: 1}]` (unhashable key)
        raise error(f"not valid YAML: a tagged value cannot be read ({exc})", path=path) from None


def find_line(text: str | SourceText, keys: tuple[str | int, ...]) -> int | None:
    """The 1-based line of the node at ``keys`` (e.g. ("entries", 3, "kind")), if known.

    Used only on the error path: a round-trip parse keeps positions, the fast one does not.
    """
    from ruamel.yaml import YAML

    if isinstance(text, SourceText):
        text = text.text
    try:
        node: Any = YAML(typ="rt").load(text)
    except Exception:  # the fast parse already succeeded; positions are best effort
        return None
    line: int | None = None
    for key in keys:
        lc = getattr(node, "lc", None)
        try:
            if lc is not None:
                line = int(lc.item(key)[0]) + 1 if isinstance(key, int) else int(lc.key(key)[0]) + 1
            node = node[key]
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return line


def guess_indent(text: str) -> tuple[int, int, int]:
    """The file's (mapping, sequence, offset) indentation, so a rewrite keeps its layout."""
    mapping, sequence, offset = 2, 4, 2
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    found_map = found_seq = False
    for previous, line in itertools.pairwise(lines):
        if not previous.rstrip().endswith(":"):
            continue
        base = len(previous) - len(previous.lstrip(" "))
        if previous.lstrip().startswith("- "):
            base += 2
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if stripped.startswith("- ") and not found_seq and indent >= base:
            rest = stripped[1:]
            content = indent + 1 + len(rest) - len(rest.lstrip(" "))
            offset, sequence, found_seq = indent - base, content - base, True
        elif not stripped.startswith("-") and indent > base and not found_map:
            mapping, found_map = indent - base, True
        if found_map and found_seq:
            break
    mapping = min(max(mapping, 1), 8)
    offset = min(max(offset, 0), 8)
    sequence = min(max(sequence, offset + 2), 10)
    return mapping, sequence, offset


def dump_yaml(doc: object) -> str:
    """``doc`` (plain dicts, lists and scalars) as block-style YAML, keys in their given
    order, text as written (no \\u escapes), long lines kept whole."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    stream = io.StringIO()
    yaml.dump(doc, stream)
    return stream.getvalue()
