"""Opening hours of a calendar's week: parsing and validation.

A day's hours are half-open local intervals ``[start, end)`` written ``"HH:MM"``
(or given as :class:`datetime.time`); ``"24:00"`` is the next midnight. They are
kept as microseconds since local midnight so that the table builder can add them
to a local date without further conversion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import time
from itertools import pairwise

WEEKDAY_KEYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

MICROS_PER_MINUTE = 60_000_000
MICROS_PER_DAY = 86_400_000_000

#: One day's opening hours: sorted, disjoint ``(start, end)`` pairs in local
#: microseconds since midnight, ``end`` at most one day.
DayHours = tuple[tuple[int, int], ...]

#: What a caller may write for one interval boundary.
ClockText = str | time

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")


def parse_week(week: Mapping[str, Iterable[Sequence[ClockText]]]) -> tuple[DayHours, ...]:
    """Return the hours of Monday..Sunday (index 0..6) from a ``{"mon": [...], ...}`` mapping.

    A missing key means no working time that day. Raises ValueError for an unknown
    key or a malformed, empty or overlapping interval.
    """
    unknown = sorted(set(week) - set(WEEKDAY_KEYS))
    if unknown:
        raise ValueError(f"unknown weekday key(s) {unknown}; expected some of {list(WEEKDAY_KEYS)}")
    return tuple(parse_day_hours(week.get(key, ()), where=key) for key in WEEKDAY_KEYS)


def parse_day_hours(intervals: Iterable[Sequence[ClockText]], *, where: str) -> DayHours:
    """Parse and validate one day's intervals (sorted on the way; touching is allowed)."""
    if isinstance(intervals, str):
        raise ValueError(f"{where}: expected a list of (start, end) pairs, got {intervals!r}")
    parsed: list[tuple[int, int]] = []
    for interval in intervals:
        if isinstance(interval, str) or len(interval) != 2:
            raise ValueError(f"{where}: an interval is a (start, end) pair, got {interval!r}")
        start = _clock_micros(interval[0], where=where, is_end=False)
        end = _clock_micros(interval[1], where=where, is_end=True)
        if start >= end:
            raise ValueError(
                f"{where}: interval {_show(interval)} must start before it ends "
                "(write 24:00 for midnight at the end of the day)"
            )
        parsed.append((start, end))
    parsed.sort()
    for (_, previous_end), (start, end) in pairwise(parsed):
        if start < previous_end:
            raise ValueError(
                f"{where}: intervals overlap: one ends at {_format(previous_end)} "
                f"after the next starts at {_format(start)} (ends at {_format(end)})"
            )
    return tuple(parsed)


def _clock_micros(value: ClockText, *, where: str, is_end: bool) -> int:
    if isinstance(value, time):
        if value.tzinfo is not None:
            raise ValueError(f"{where}: opening hours are local wall-clock times, got {value!r}")
        return (
            (value.hour * 60 + value.minute) * MICROS_PER_MINUTE
            + value.second * 1_000_000
            + value.microsecond
        )
    if not isinstance(value, str):
        raise ValueError(f"{where}: expected 'HH:MM' or a datetime.time, got {value!r}")
    match = _CLOCK.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"{where}: {value!r} is not a clock time 'HH:MM'")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes != 0):
        raise ValueError(f"{where}: {value!r} is not a clock time between 00:00 and 24:00")
    if hours == 24 and not is_end:
        raise ValueError(f"{where}: 24:00 can only end an interval, not start one")
    return (hours * 60 + minutes) * MICROS_PER_MINUTE


def _format(micros: int) -> str:
    minutes, rest = divmod(micros, MICROS_PER_MINUTE)
    text = f"{minutes // 60:02d}:{minutes % 60:02d}"
    return text if rest == 0 else f"{text}+{rest}µs"


def _show(interval: Sequence[ClockText]) -> str:
    return "-".join(str(part) for part in interval)
