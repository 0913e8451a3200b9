"""Counting reading days: streaks and months of finishes, from ``{local day: entries
finished}``. One home for the general path (``reading/progress.py``) and the quick
path; it imports nothing but ``datetime``, which every command already has.
"""

from __future__ import annotations

from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def current_streak(days: dict[date, int], today: date) -> int:
    """Consecutive days with a finish up to today (or yesterday, while today has none)."""
    current = 0
    cursor = today if today in days else today - ONE_DAY
    while cursor in days:
        current += 1
        cursor -= ONE_DAY
    return current


def longest_streak(days: dict[date, int]) -> int:
    longest = 0
    for day in days:
        if day - ONE_DAY not in days:
            length = 1
            while day + timedelta(days=length) in days:
                length += 1
            longest = max(longest, length)
    return longest


def months(days: dict[date, int], today: date) -> list[tuple[str, int]]:
    """``(YYYY-MM, finished)`` for every month from the first finish to this one."""
    counts: dict[str, int] = {}
    for day, n in days.items():
        key = f"{day.year:04d}-{day.month:02d}"
        counts[key] = counts.get(key, 0) + n
    filled: list[tuple[str, int]] = []
    if counts:
        year, month = int(min(counts)[:4]), int(min(counts)[5:])
        last = max(max(counts), f"{today.year:04d}-{today.month:02d}")
        while (key := f"{year:04d}-{month:02d}") <= last:
            filled.append((key, counts.get(key, 0)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return filled


def week_total(days: dict[date, int], today: date) -> int:
    """Entries finished from this week's Monday to its Sunday."""
    monday = today - timedelta(days=today.weekday())
    return sum(n for day, n in days.items() if monday <= day <= monday + 6 * ONE_DAY)
