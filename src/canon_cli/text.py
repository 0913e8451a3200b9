"""The one sanitiser: text from catalogs and state files made safe to show.

Catalog and state text is data. Three classes of characters are made visible as
escapes (``\\x1b``, ``\\u202e``, ``\\u200b``) before text reaches a reader:

* controls: C0 except tab and newline, DEL, C1 (they act on a terminal);
* bidi embeddings, overrides and isolates (they reorder what the reader sees);
* invisible characters: every other format character (Unicode category Cf: zero-width
  space and joiners, word joiner, LRM/RLM/ALM, soft hyphen, byte-order mark, tag
  characters, ...) and the line and paragraph separators U+2028 and U+2029 (they hide
  text or break lines where none is seen).

Terminals, pipes and messages escape all three; JSON escapes all three with its own
``\\uXXXX`` escapes, so a JSON reader gets the exact text back; files meant for other
programs (CSV, Markdown, BibTeX exports) escape controls and bidi overrides and keep
invisible characters, which are part of the text there (an emoji's joiner, a Persian
word's non-joiner).
"""

from __future__ import annotations

import re

from canon_cli.charsets import BIDI, CONTROL, INVISIBLE

# Compiled on first use (most runs meet only printable text, and compiling these
# classes is about a millisecond of start-up): what a terminal, a file meant for
# other programs, and JSON text escape (JSON on top of what json.dumps already does:
# it escapes C0 itself)
_CLASSES = {
    "terminal": f"[{CONTROL}{BIDI}{INVISIBLE}]",
    "file": f"[{CONTROL}{BIDI}]",
    "json": f"[\x7f-\x9f{BIDI}{INVISIBLE}]",
}
_compiled: dict[str, re.Pattern[str]] = {}


def _pattern(kind: str) -> re.Pattern[str]:
    found = _compiled.get(kind)
    if found is None:
        found = _compiled[kind] = re.compile(_CLASSES[kind])
    return found


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def clean(text: str, *, keep_invisible: bool = False) -> str:
    """Catalog or state text made safe to show: controls, bidi overrides and invisible
    characters as visible escapes. ``keep_invisible`` (for export files) escapes only
    controls and bidi overrides."""
    if text.isprintable():  # no control, format or separator characters: nothing to do
        return text
    return _pattern("file" if keep_invisible else "terminal").sub(_visible, text)


def clean_line(text: str, *, keep_invisible: bool = False) -> str:
    """Like ``clean`` and also on one line (for tab-separated output)."""
    if text.isprintable():
        return text
    cleaned = clean(text, keep_invisible=keep_invisible)
    return cleaned.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON escapes a character beyond the BMP as a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_safe(text: str) -> str:
    """Serialised JSON with controls, bidi overrides and invisible characters escaped as
    \\uXXXX. The escapes are JSON's own, so the decoded data is exactly the original."""
    return _pattern("json").sub(_json_escape, text)
