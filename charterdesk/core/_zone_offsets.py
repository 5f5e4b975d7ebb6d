"""UTC offsets of a time zone as periods, and local wall-clock time mapped to real time.

Instants are integers: microseconds since 1970-01-01T00:00Z. A *local* value is the
same count taken on the wall clock (microseconds since local 1970-01-01 00:00), so a
local value minus the UTC offset in force is an instant.

``zoneinfo`` does not publish a zone's transitions, so :func:`offset_periods` finds
them by sampling the offset every few hours and bisecting to the second where it
changes. Two transitions less than :data:`SAMPLE_SECONDS` apart would be missed; no
zone in the tz database has had such a pair in the years a service desk deals with.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
MICROS_PER_SECOND = 1_000_000
MICROS_PER_DAY = 86_400 * MICROS_PER_SECOND
SAMPLE_SECONDS = 6 * 3600

#: ``(start, end, offset)``: from instant ``start`` (inclusive) to ``end`` (exclusive)
#: the wall clock reads the instant plus ``offset`` microseconds.
OffsetPeriod = tuple[int, int, int]


def local_midnight(day: date) -> int:
    """The local value of 00:00 on ``day``."""
    return (day.toordinal() - EPOCH_ORDINAL) * MICROS_PER_DAY


def offset_at(zone: ZoneInfo, second: int) -> int:
    """The zone's UTC offset, in microseconds, at the instant ``second`` (epoch seconds)."""
    offset = (EPOCH + timedelta(seconds=second)).astimezone(zone).utcoffset()
    assert offset is not None  # a ZoneInfo always knows its offset
    return offset // timedelta(microseconds=1)


def offset_periods(zone: ZoneInfo, start: int, end: int) -> list[OffsetPeriod]:
    """The offset periods covering the instants ``[start, end)``, in order.

    The first period starts at ``start`` and the last ends at ``end``.
    """
    first = start // MICROS_PER_SECOND
    last = -(-end // MICROS_PER_SECOND)
    periods: list[OffsetPeriod] = []
    period_start, offset = start, offset_at(zone, first)
    sample, sample_offset = first, offset
    while sample < last:
        following = min(sample + SAMPLE_SECONDS, last)
        following_offset = offset_at(zone, following)
        if following_offset != sample_offset:
            change = _transition_second(zone, sample, following, sample_offset)
            change_us = change * MICROS_PER_SECOND
            if change_us >= end:
                break
            if change_us > start:
                periods.append((period_start, change_us, offset))
                period_start = change_us
            offset = following_offset
        sample, sample_offset = following, following_offset
    periods.append((period_start, end, offset))
    return periods


@lru_cache(maxsize=2048)
def year_periods(zone: ZoneInfo, year: int) -> tuple[OffsetPeriod, ...]:
    """The offset periods from two days before local ``year`` to three days after it.

    Cached for the process: they depend on the tz database only.
    """
    start = local_midnight(date(year, 1, 1)) - 2 * MICROS_PER_DAY
    end = local_midnight(date(year, 12, 31)) + 3 * MICROS_PER_DAY
    return tuple(offset_periods(zone, start, end))


def _transition_second(zone: ZoneInfo, before: int, after: int, old_offset: int) -> int:
    """The first second in ``(before, after]`` whose offset is no longer ``old_offset``."""
    while after - before > 1:
        middle = (before + after) // 2
        if offset_at(zone, middle) == old_offset:
            before = middle
        else:
            after = middle
    return after


def local_pieces(periods: Sequence[OffsetPeriod], start: int, end: int) -> list[tuple[int, int]]:
    """The instants whose wall-clock time lies in the local range ``[start, end)``.

    Usually one piece; two or more around a transition (a repeated hour is included
    twice, a skipped hour not at all). Pieces come in period order and may interleave
    with those of a neighbouring range on a fall-back day.
    """
    pieces: list[tuple[int, int]] = []
    for period_start, period_end, offset in periods:
        low = start - offset
        high = end - offset
        if low < period_start:
            low = period_start
        if high > period_end:
            high = period_end
        if low < high:
            pieces.append((low, high))
    return pieces


def local_to_instant(periods: Sequence[OffsetPeriod], local: int, *, later: bool) -> int:
    """The instant at which the wall clock shows ``local``.

    A repeated wall time gives its later occurrence when ``later`` is true, else its
    earlier one. A skipped wall time gives the moment the clock reaches the end of the
    gap (the transition instant).
    """
    hits = [
        local - offset
        for period_start, period_end, offset in periods
        if period_start <= local - offset < period_end
    ]
    if hits:
        return max(hits) if later else min(hits)
    for period_start, _, offset in periods:
        if period_start + offset > local:
            return period_start
    raise ValueError("local time outside the periods given")  # pragma: no cover


def local_to_instant_near(zone: ZoneInfo, local: int, *, later: bool) -> int:
    """:func:`local_to_instant` with the zone's periods around ``local`` looked up."""
    margin = 2 * MICROS_PER_DAY
    return local_to_instant(
        offset_periods(zone, local - margin, local + margin), local, later=later
    )
