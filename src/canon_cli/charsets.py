"""Classes of characters canon treats apart, defined once.

The characters canon never shows as they are, as regular-expression class bodies:
``text.py`` (the sanitiser) compiles them; the quick path, which must not import
``re``, reads them as ranges (``quick/answers.py``). See text.py for why each class
is escaped. And the CJK ranges the search index holds one character at a time.
"""

from __future__ import annotations

CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
BIDI = "\u202a-\u202e\u2066-\u2069"
# Category Cf (Unicode 15) without the bidi controls above, plus Zl and Zp. A test checks
# this against the running Python's Unicode database.
INVISIBLE = (
    "\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u2028\u2029\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f"
)

# Han, kana, hangul, compatibility ideographs and full-width forms: text without spaces
# between its words, indexed one character at a time (catalog/snapshot.fts_text)
CJK_RANGES = ((0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))
