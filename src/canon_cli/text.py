"""The one sanitiser: text from catalogs and state files made safe to show.

Catalog and state text is data. Before it reaches a terminal or a JSON stream, the
characters that could act on a terminal (C0/C1 controls, DEL) or reorder what the
reader sees (bidi embeddings, overrides and isolates) are made visible as escapes.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, and bidi embeddings/overrides/isolates
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What JSON text escapes on top of what json.dumps already does (it escapes C0 itself)
_UNSAFE_JSON = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """Catalog or state text made safe for a terminal: controls shown as \\xNN escapes."""
    if text.isprintable():  # no control, format or separator characters: nothing to do
        return text
    return _UNSAFE.sub(_visible, text)


def clean_line(text: str) -> str:
    """Like ``clean`` and also on one line (for tab-separated output)."""
    if text.isprintable():
        return text
    return clean(text).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def json_safe(text: str) -> str:
    """Serialised JSON with the characters a terminal would act on escaped as \\uXXXX.

    The escapes are JSON's own, so the decoded data is exactly the original.
    """
    return _UNSAFE_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
