"""canon's vocabulary, defined once: statuses, kinds, languages and limits.

Every other module imports these names; none repeats a literal list, so adding a
kind or a status is a change in one place (and the tests that check each use).
"""

from __future__ import annotations

# Reading statuses, in the order progress counts them.
STATUSES = ("unread", "reading", "done", "skipped")

# Other words a user may type for a status (README, "Tracking what you read").
STATUS_SYNONYMS = {"read": "done", "finished": "done", "todo": "unread", "started": "reading"}


def status_named(text: str) -> str | None:
    """The status ``text`` names (any case, or a synonym), or None."""
    key = text.strip().casefold()
    return key if key in STATUSES else STATUS_SYNONYMS.get(key)


# Kinds of catalog entry.
KINDS = (
    "paper",
    "article",
    "video",
    "talk",
    "course",
    "book",
    "report",
    "leaderboard",
    "repository",
    "website",
    "guide",
)

# Languages of catalog text and of canon's own messages.
LANGUAGES = ("en", "zh")

# Ids, section slugs and tags: lower-case words joined by single hyphens.
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_MAX = 120
# The built-in catalog's ids, and the ids `canon add` makes, are at most this long.
ID_TARGET_LENGTH = 32

# Citation identifiers, bare: "1706.03762" (new-style arXiv ids) and "10.1038/nature14539".
ARXIV_PATTERN = r"^\d{4}\.\d{4,5}$"
DOI_PATTERN = r"^10\.\d{4,9}/[^\s]+$"

# Where a paper was published: a conference (BibTeX @inproceedings) or a journal (@article).
VENUE_TYPES = ("conference", "journal")

# An entry's reading time, in minutes: about 70 days of reading, far above any real entry,
# so that a typo is caught while a long course fits.
MINUTES_MAX = 100_000

# Years an entry may carry.
YEAR_MIN = 1800
YEAR_MAX = 2100

# The largest -n / --limit / --count accepted: beyond it is a usage error, not an overflow.
MAX_COUNT = 1_000_000_000

# The largest config.toml canon reads: it holds a few settings, so anything near this
# is not a config file (a link to /dev/zero, a log written there by mistake).
CONFIG_MAX_BYTES = 1024 * 1024

# What a catalog may cost, beyond its size in bytes (see catalog/limits.py): counted over
# every catalog read at once, except tags (per file). A list larger than this is several
# catalogs used one at a time. A text field (a summary, a note) holds up to TEXT_MAX
# characters; titles, names, labels and links up to SHORT_TEXT_MAX.
CATALOG_MAX_ENTRIES = 200_000
CATALOG_MAX_SECTIONS = 10_000
CATALOG_MAX_TAGS = 10_000
TEXT_MAX = 20_000
SHORT_TEXT_MAX = 1_000

# What 'canon list --sort' orders by (curriculum order when not given), and the ratings.
SORT_KEYS = ("year", "title", "rating", "finished")
RATING_MIN = 1
RATING_MAX = 5
