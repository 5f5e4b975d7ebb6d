"""Working-time tables: a calendar's working intervals as instants, with running totals.

A calendar's working time is built one local year at a time (:func:`build_year`) and
the years a question needs are joined into a :class:`WorkingTable`, an immutable
snapshot that answers every question by bisection:

* ``starts[i]``, ``ends[i]``: the i-th working interval ``[start, end)`` in instants
  (microseconds since 1970-01-01T00:00Z), sorted, disjoint, touching ones merged;
* ``cum[i]``: the working microseconds before ``starts[i]`` counted from the table's
  first instant ``lo``; ``cum[n]`` is the total, and ``starts[n]`` is ``hi``, so that
  index ``n`` stands for "after the last interval";
* ``days``/``closes``: the working days (proleptic ordinals of local dates) and the
  instant each one closes.

``W(x) = cum[i] + max(0, x - starts[i])`` with ``i`` the first interval ending after
``x`` is the working time in ``[lo, x)``; it is exact for ``lo <= x <= hi``. Intervals
are clipped to ``[lo, hi]``, which lie :data:`EDGE_MARGIN` inside the local years so
that no working time of a neighbouring year can fall between them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from charterdesk.core._opening_hours import DayHours
from charterdesk.core._zone_offsets import (
    local_midnight,
    local_pieces,
    local_to_instant,
    year_periods,
)

#: More than any UTC offset a zone has had (the extremes are -12:00 and +14:00).
EDGE_MARGIN = 18 * 3600 * 1_000_000

Int64Array = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class YearOfWork:
    """One local year of a calendar: its working intervals and working days."""

    year: int
    pieces: tuple[tuple[int, int], ...]
    days: tuple[int, ...]
    closes: tuple[int, ...]
    working: int


def build_year(year: int, zone: ZoneInfo, hours_on: Callable[[date], DayHours]) -> YearOfWork:
    """Turn the local year ``year`` into instants.

    A working day's close is the end of its last working instant; a working day
    whose every hour falls in a skipped (DST) hour closes when the clock reaches its
    closing time, i.e. at the end of the gap.
    """
    first = date(year, 1, 1).toordinal()
    last = date(year, 12, 31).toordinal()
    periods = year_periods(zone, year)
    pieces: list[tuple[int, int]] = []
    days: list[int] = []
    closes: list[int] = []
    for ordinal in range(first, last + 1):
        day = date.fromordinal(ordinal)
        hours = hours_on(day)
        if not hours:
            continue
        midnight = local_midnight(day)
        day_pieces: list[tuple[int, int]] = []
        for start, end in hours:
            day_pieces += local_pieces(periods, midnight + start, midnight + end)
        days.append(ordinal)
        if day_pieces:
            closes.append(max(end for _, end in day_pieces))
        else:
            closes.append(local_to_instant(periods, midnight + hours[-1][1], later=True))
        pieces += day_pieces
    merged = _merged(sorted(pieces), low=None, high=None)
    working = sum(end - start for start, end in merged)
    return YearOfWork(year, tuple(merged), tuple(days), tuple(closes), working)


def _merged(
    pieces: Sequence[tuple[int, int]], *, low: int | None, high: int | None
) -> list[tuple[int, int]]:
    """Sorted pieces clipped to ``[low, high]``, with touching ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in pieces:
        if low is not None and start < low:
            start = low
        if high is not None and end > high:
            end = high
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class WorkingTable:
    """The working time of consecutive local years ``first_year..last_year``; immutable."""

    __slots__ = (
        "closes",
        "cum",
        "cum_array",
        "days",
        "ends",
        "ends_array",
        "first_day",
        "first_year",
        "hi",
        "last_day",
        "last_year",
        "lo",
        "starts",
        "starts_array",
        "total",
    )

    def __init__(self, years: Sequence[YearOfWork]) -> None:
        """Join consecutive years; no years make an empty table that covers nothing."""
        if years:
            self.first_year, self.last_year = years[0].year, years[-1].year
            self.first_day = date(self.first_year, 1, 1).toordinal()
            self.last_day = date(self.last_year, 12, 31).toordinal()
            self.lo = local_midnight(date(self.first_year, 1, 1)) + EDGE_MARGIN
            self.hi = local_midnight(date(self.last_year + 1, 1, 1)) - EDGE_MARGIN
        else:
            self.first_year, self.last_year = 1, 0
            self.first_day, self.last_day = 1, 0
            self.lo, self.hi = 1, 0
        joined = sorted(piece for year in years for piece in year.pieces)
        pieces = _merged(joined, low=self.lo, high=self.hi)
        self.starts = [start for start, _ in pieces] + [self.hi]
        self.ends = [end for _, end in pieces]
        cum = [0]
        for start, end in pieces:
            cum.append(cum[-1] + end - start)
        self.cum = cum
        self.total = cum[-1]
        self.days = [day for year in years for day in year.days]
        self.closes = [close for year in years for close in year.closes]
        self.starts_array: Int64Array = np.array(self.starts, dtype=np.int64)
        self.ends_array: Int64Array = np.array(self.ends, dtype=np.int64)
        self.cum_array: Int64Array = np.array(self.cum, dtype=np.int64)

    def worked_before(self, instant: int) -> int:
        """``W(instant)``: working microseconds in ``[lo, instant)``; needs lo <= instant <= hi."""
        index = bisect_right(self.ends, instant)
        start = self.starts[index]
        return self.cum[index] + (instant - start if instant > start else 0)

    def next_moment(self, instant: int) -> int | None:
        """The first working instant at or after ``instant``, or None beyond the table."""
        index = bisect_right(self.ends, instant)
        if index == len(self.ends):
            return None
        start = self.starts[index]
        return instant if instant > start else start

    def worked_before_many(self, instants: Int64Array) -> Int64Array:
        """:meth:`worked_before` element by element."""
        index = np.searchsorted(self.ends_array, instants, side="right")
        started = np.maximum(instants - self.starts_array[index], 0)
        result: Int64Array = self.cum_array[index] + started
        return result

    def land_many(self, targets: Int64Array, amounts: Int64Array) -> Int64Array:
        """Where ``WorkCalendar.add_working`` lands, for targets known to be in the table.

        ``targets - 1`` for positive amounts turns the 'earliest' search into the same
        right-bisection the 'latest' search uses (values are whole microseconds).
        """
        keys = targets - (amounts > 0)
        index = np.searchsorted(self.cum_array, keys, side="right") - 1
        landed: Int64Array = self.starts_array[index] + (targets - self.cum_array[index])
        return landed
