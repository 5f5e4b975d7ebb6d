"""Business time against a slow reference that walks minute by minute.

The reference knows nothing of the engine's tables: for each UTC minute of a bounded
window it asks zoneinfo for the local wall-clock time and checks the local date and
the weekday's hours, exactly as DESIGN.md words the rule. Inputs are minute-aligned
and every window's DST changes fall on whole UTC hours, so a minute is either wholly
working or not. Further properties (round trips, monotony, the vectorized path) need
no reference and use microsecond inputs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from itertools import pairwise
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from charterdesk.core.calendar import WorkCalendar
from charterdesk.core.holiday_calendars import public_holidays

MINUTE = timedelta(minutes=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS = WEEKDAY_KEYS[:5]

OFFICE = {day: [("09:00", "17:30")] for day in WEEKDAYS}
SPLIT = {day: [("09:00", "13:00"), ("14:00", "18:00")] for day in WEEKDAYS}
SHORT_SATURDAY = {**{day: [("09:00", "18:00")] for day in WEEKDAYS}, "sat": [("10:00", "14:00")]}
ALWAYS = {day: [("00:00", "24:00")] for day in WEEKDAY_KEYS}
NIGHT = {day: [("00:00", "01:30"), ("01:45", "03:00")] for day in WEEKDAY_KEYS}


@dataclass(frozen=True)
class Case:
    """A calendar, the window the reference covers, and the longest duration to try."""

    name: str
    tz: str
    week: dict[str, list[tuple[str, str]]] = field(repr=False, compare=False)
    country: str | None
    first: date
    last: date
    longest_minutes: int = 3000

    def window(self) -> tuple[datetime, datetime]:
        return (
            datetime(self.first.year, self.first.month, self.first.day, tzinfo=UTC),
            datetime(self.last.year, self.last.month, self.last.day, tzinfo=UTC),
        )


LONDON, BUCHAREST, BAKU, MOSCOW = "Europe/London", "Europe/Bucharest", "Asia/Baku", "Europe/Moscow"
D = date
CASES = [
    Case("london office spring", LONDON, OFFICE, "GB", D(2026, 3, 20), D(2026, 4, 16)),
    Case("london office autumn", LONDON, OFFICE, "GB", D(2026, 10, 16), D(2026, 11, 6)),
    Case("london office christmas", LONDON, OFFICE, "GB", D(2026, 12, 18), D(2027, 1, 8)),
    Case("bucharest split spring", BUCHAREST, SPLIT, "RO", D(2026, 3, 20), D(2026, 4, 22)),
    Case("bucharest split autumn", BUCHAREST, SPLIT, "RO", D(2026, 10, 16), D(2026, 11, 6)),
    Case("baku short saturday", BAKU, SHORT_SATURDAY, "AZ", D(2026, 3, 10), D(2026, 4, 7)),
    Case("london 24/7 spring", LONDON, ALWAYS, None, D(2026, 3, 26), D(2026, 4, 2)),
    Case("london 24/7 autumn", LONDON, ALWAYS, None, D(2026, 10, 22), D(2026, 10, 29)),
    Case("moscow new year", MOSCOW, OFFICE, "RU", D(2024, 12, 16), D(2025, 1, 31)),
    Case("moscow worked saturday", MOSCOW, OFFICE, "RU", D(2025, 10, 25), D(2025, 11, 15)),
    Case("london night spring", LONDON, NIGHT, None, D(2026, 3, 22), D(2026, 4, 12), 1200),
    Case("london night autumn", LONDON, NIGHT, None, D(2026, 10, 18), D(2026, 11, 8), 1200),
]


@cache
def engine(case: Case) -> WorkCalendar:
    if case.country is None:
        return WorkCalendar(case.tz, case.week)
    subdiv = "ENG" if case.country == "GB" else None
    return WorkCalendar.for_country(case.tz, case.week, case.country, subdiv)


@cache
def minute_flags(case: Case) -> tuple[bool, ...]:
    """Whether each UTC minute of the case's window is working, by the rule's words."""
    zone = ZoneInfo(case.tz)
    closed: frozenset[date] = frozenset()
    worked: frozenset[date] = frozenset()
    if case.country is not None:
        subdiv = "ENG" if case.country == "GB" else None
        years = range(case.first.year - 1, case.last.year + 2)
        closed, worked = public_holidays(case.country, subdiv, years)
    minutes_of = {
        key: [(_minutes(start), _minutes(end)) for start, end in hours]
        for key, hours in case.week.items()
    }
    start, end = case.window()
    flags = []
    moment = start
    while moment < end:
        wall = moment.astimezone(zone)
        key = WEEKDAY_KEYS[wall.weekday()]
        if wall.date() in closed:
            hours = []
        elif wall.date() in worked:
            hours = minutes_of.get(key) or minutes_of["mon"]  # the documented default
        else:
            hours = minutes_of.get(key, [])
        clock = wall.hour * 60 + wall.minute
        flags.append(any(low <= clock < high for low, high in hours))
        moment += MINUTE
    return tuple(flags)


@cache
def day_closes(case: Case) -> dict[date, int]:
    """Each local working date of the window -> the end of its last working minute."""
    zone = ZoneInfo(case.tz)
    closes: dict[date, int] = {}
    for index, working in enumerate(minute_flags(case)):
        if working:
            closes[at_minute(case, index).astimezone(zone).date()] = index + 1
    return closes


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def reference_add(flags: tuple[bool, ...], index: int, amount: int) -> int | None:
    """Minute index where ``amount`` working minutes from minute ``index`` run out."""
    count = 0
    if amount > 0:
        for position in range(index, len(flags)):
            count += flags[position]
            if count == amount:
                return position + 1  # the end of the last minute needed: earliest
    else:
        for position in range(index - 1, -1, -1):
            count += flags[position]
            if count == -amount:
                return position  # the start of the last minute needed: latest
    return None


def at_minute(case: Case, index: int) -> datetime:
    return case.window()[0] + index * MINUTE


@cache
def edges(case: Case) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Minute indexes of the window's closing times and of its opening times."""
    flags = minute_flags(case)
    pairs = list(pairwise(flags))
    closings = tuple(i + 1 for i, (now, then) in enumerate(pairs) if now and not then)
    openings = tuple(i + 1 for i, (now, then) in enumerate(pairs) if then and not now)
    return closings, openings


@st.composite
def start_and_amount(draw: st.DrawFn) -> tuple[Case, int, int]:
    """A case, a start minute and a non-zero working duration in minutes.

    A third of the durations are chosen to run out exactly at a closing time (forward)
    or an opening (backward), where the 'earliest'/'latest' rules matter.
    """
    case = draw(st.sampled_from(CASES))
    flags = minute_flags(case)
    size = len(flags)
    forward = draw(st.booleans())
    if forward:
        index = draw(st.integers(0, size * 6 // 10))
    else:
        index = draw(st.integers(size * 4 // 10, size - 1))
    if draw(st.integers(0, 2)) == 0:
        closings, openings = edges(case)
        if forward:
            edge = draw(st.sampled_from([e for e in closings if e > index] or [size]))
            amount = sum(flags[index:edge])
        else:
            edge = draw(st.sampled_from([e for e in openings if e < index] or [0]))
            amount = -sum(flags[edge:index])
        assume(amount != 0)
        return case, index, amount
    amount = draw(st.integers(1, case.longest_minutes))
    return case, index, amount if forward else -amount


PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(start_and_amount())
def test_add_working_matches_the_minute_walk(drawn: tuple[Case, int, int]) -> None:
    case, index, amount = drawn
    expected = reference_add(minute_flags(case), index, amount)
    assume(expected is not None)  # the walk stayed inside the window
    assert expected is not None
    result = engine(case).add_working(at_minute(case, index), amount * MINUTE)
    assert result == at_minute(case, expected)


@PROPERTY
@given(st.sampled_from(CASES), st.data())
def test_working_between_and_next_moment_match_the_minute_walk(
    case: Case, data: st.DataObject
) -> None:
    flags = minute_flags(case)
    first = data.draw(st.integers(0, len(flags) - 1))
    second = data.draw(st.integers(max(0, first - 8000), min(len(flags), first + 8000)))
    low, high = sorted((first, second))
    worked = sum(flags[low:high]) * (1 if second >= first else -1)
    calendar = engine(case)
    assert calendar.working_between(at_minute(case, first), at_minute(case, second)) == (
        worked * MINUTE
    )
    following = next((i for i in range(first, len(flags)) if flags[i]), None)
    assume(following is not None)
    assert following is not None
    assert calendar.next_working_moment(at_minute(case, first)) == at_minute(case, following)


@PROPERTY
@given(st.sampled_from(CASES), st.data())
def test_working_days_close_matches_the_minute_walk(case: Case, data: st.DataObject) -> None:
    zone = ZoneInfo(case.tz)
    flags = minute_flags(case)
    closes = day_closes(case)
    index = data.draw(st.integers(0, len(flags) * 4 // 10))
    n = data.draw(st.integers(0, 6))
    today = at_minute(case, index).astimezone(zone).date()
    days = sorted(day for day in closes if day > today or (n == 0 and day == today))
    assume(len(days) > max(n - 1, 0) + 1)  # the window goes on past the answer
    expected = closes[days[max(n - 1, 0)]]
    assert engine(case).working_days_close(at_minute(case, index), n) == at_minute(case, expected)


def microsecond_instants(case: Case) -> st.SearchStrategy[datetime]:
    start, end = case.window()
    span = (end - start) // timedelta(microseconds=1)
    return st.integers(0, span).map(lambda micros: start + timedelta(microseconds=micros))


def microsecond_durations(case: Case) -> st.SearchStrategy[timedelta]:
    longest = case.longest_minutes * 60_000_000
    return st.integers(-longest, longest).map(lambda micros: timedelta(microseconds=micros))


@PROPERTY
@given(st.sampled_from(CASES), st.data())
def test_working_between_gives_back_what_add_working_added(case: Case, data: st.DataObject) -> None:
    calendar = engine(case)
    start = data.draw(microsecond_instants(case))
    amount = abs(data.draw(microsecond_durations(case)))
    landed = calendar.add_working(start, amount)
    assert calendar.working_between(calendar.next_working_moment(start), landed) == amount
    assert landed.tzinfo is UTC
    # The same instant written on the calendar's own wall clock gives the same answer.
    assert calendar.add_working(start.astimezone(calendar.zone), amount) == landed


@PROPERTY
@given(st.sampled_from(CASES), st.data())
def test_add_working_is_monotone_in_start_and_duration(case: Case, data: st.DataObject) -> None:
    calendar = engine(case)
    early, late = sorted(data.draw(st.lists(microsecond_instants(case), min_size=2, max_size=2)))
    short, long = sorted(data.draw(st.lists(microsecond_durations(case), min_size=2, max_size=2)))
    assert calendar.add_working(early, short) <= calendar.add_working(late, short)
    assert calendar.add_working(early, short) <= calendar.add_working(early, long)


@PROPERTY
@given(st.sampled_from(CASES), st.data())
def test_negative_durations_undo_positive_ones(case: Case, data: st.DataObject) -> None:
    calendar = engine(case)
    start = data.draw(microsecond_instants(case))
    amount = abs(data.draw(microsecond_durations(case))) or timedelta(minutes=1)
    # Forward then back: the latest instant with the start's working time, i.e. the start
    # itself when it is working, else the next opening.
    there = calendar.add_working(start, amount)
    assert calendar.add_working(there, -amount) == calendar.next_working_moment(start)
    # Back then forward: the earliest such instant, never after the start, no work between.
    back = calendar.add_working(calendar.add_working(start, -amount), amount)
    assert back <= start
    assert calendar.working_between(back, start) == timedelta(0)


MANY_CASES = [CASES[3], CASES[5], CASES[8], CASES[10], CASES[11]]
HOUR_MICROS = 3_600_000_000
# 1990-01-01 .. 2060-01-01 in microseconds since the epoch; whole hours land exactly on
# openings and closings often, arbitrary microseconds almost never.
MANY_STARTS = st.one_of(
    st.integers(631_152_000_000_000, 2_840_140_800_000_000),
    st.integers(175_320, 788_928).map(lambda hour: hour * HOUR_MICROS),
)
MANY_AMOUNTS = st.one_of(
    st.just(0),
    st.integers(-2000 * HOUR_MICROS, 2000 * HOUR_MICROS),
    st.integers(-200, 200).map(lambda hours: hours * HOUR_MICROS),
)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(MANY_CASES),
    st.lists(st.tuples(MANY_STARTS, MANY_AMOUNTS), min_size=1, max_size=40),
)
def test_add_working_many_equals_add_working(case: Case, pairs: list[tuple[int, int]]) -> None:
    calendar = engine(case)
    starts = np.array([start for start, _ in pairs], dtype=np.int64).view("datetime64[us]")
    amounts = np.array([amount for _, amount in pairs], dtype=np.int64).view("timedelta64[us]")
    landed = calendar.add_working_many(starts, amounts).astype(np.int64)
    for (start, amount), result in zip(pairs, landed.tolist(), strict=True):
        expected = calendar.add_working(
            EPOCH + timedelta(microseconds=start), timedelta(microseconds=amount)
        )
        assert EPOCH + timedelta(microseconds=result) == expected


# Zones whose clocks change at midnight (Havana, Santiago), by 30 minutes (Lord Howe),
# backwards in winter (Dublin), at odd offsets (St John's, Kathmandu), or that skipped
# a whole day (Apia, 30 Dec 2011).
AROUND = {
    day: [("00:00", "01:30"), ("08:00", "12:30"), ("13:00", "17:00"), ("23:00", "24:00")]
    for day in WEEKDAY_KEYS
}
UNUSUAL = [
    Case("havana spring", "America/Havana", AROUND, None, D(2026, 3, 5), D(2026, 3, 15)),
    Case("havana autumn", "America/Havana", AROUND, None, D(2026, 10, 28), D(2026, 11, 7)),
    Case("santiago autumn", "America/Santiago", AROUND, None, D(2026, 4, 1), D(2026, 4, 8)),
    Case("santiago spring", "America/Santiago", AROUND, None, D(2026, 9, 2), D(2026, 9, 9)),
    Case("lord howe", "Australia/Lord_Howe", AROUND, None, D(2026, 4, 1), D(2026, 4, 8)),
    Case("dublin", "Europe/Dublin", AROUND, None, D(2026, 10, 21), D(2026, 10, 28)),
    Case("st john's", "America/St_Johns", AROUND, None, D(2026, 3, 5), D(2026, 3, 12)),
    Case("kathmandu", "Asia/Kathmandu", AROUND, None, D(2026, 3, 4), D(2026, 3, 8)),
    Case("apia skips a day", "Pacific/Apia", AROUND, None, D(2011, 12, 26), D(2012, 1, 3)),
]


@pytest.mark.parametrize("case", UNUSUAL, ids=lambda case: case.name)
def test_unusual_zones_match_the_minute_walk(case: Case) -> None:
    flags = minute_flags(case)
    calendar = engine(case)
    draw = random.Random(case.name)
    for _ in range(60):
        index, other = draw.randrange(len(flags) // 2), draw.randrange(len(flags))
        amount = draw.randint(1, 1500)
        expected = reference_add(flags, index, amount)
        assert expected is not None
        assert calendar.add_working(at_minute(case, index), amount * MINUTE) == at_minute(
            case, expected
        )
        low, high = sorted((index, other))
        worked = sum(flags[low:high]) * (1 if other >= index else -1)
        between = calendar.working_between(at_minute(case, index), at_minute(case, other))
        assert between == worked * MINUTE
