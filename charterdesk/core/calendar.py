"""Business time: working hours, holidays and deadlines of an organization's calendar.

A :class:`WorkCalendar` is an IANA time zone, a weekly schedule of half-open local
intervals ``[start, end)`` per weekday (split shifts allowed, ``"24:00"`` is the next
midnight), closed dates and extra working dates. A real instant is *working* when its
local date is a working day and its local wall-clock time lies in one of that day's
intervals. Working time is elapsed real time: a 00:00-24:00 day holds 23 working hours
on the spring-forward day and 25 on the fall-back day.

Every argument is a timezone-aware datetime (a naive one is a ValueError, never a
guess) and every instant returned is in UTC (``tzinfo=datetime.UTC``). Results are
exact to the microsecond.

Which dates are working days, in order of precedence:

1. a date in ``extra_open`` is a working day;
2. a date in ``closed``, or closed by the holiday source, is not;
3. a date the holiday source marks as worked (Russia's transferred Saturdays) is;
4. otherwise the weekday's hours decide: a weekday without hours is a day off.

A working date whose weekday has no hours of its own (a worked Saturday) works the
``extra_open_hours``; they default to the hours of the first weekday, Monday to
Sunday, that has any (normally Monday's).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt

from charterdesk.core._opening_hours import ClockText, DayHours, parse_day_hours, parse_week
from charterdesk.core._working_table import WorkingTable
from charterdesk.core._working_years import FIRST_YEAR, LAST_YEAR, WorkingYears
from charterdesk.core._zone_offsets import (
    EPOCH,
    EPOCH_ORDINAL,
    MICROS_PER_DAY,
    local_to_instant_near,
)
from charterdesk.core.holiday_calendars import CountryHolidays, HolidaySource

__all__ = ["FIRST_YEAR", "LAST_YEAR", "WorkCalendar"]

_MICROSECOND = timedelta(microseconds=1)

#: ``{"mon": [("09:00", "17:30")], ...}``; a missing key is a day off.
WeekHours = Mapping[str, Iterable[Sequence[ClockText]]]


class WorkCalendar:
    """An organization's working time; immutable and safe to share between threads.

    Interval tables are built lazily, a few local years at a time, the first time a
    question needs them, and kept on the instance (a lock guards their growth).
    """

    __slots__ = (
        "_closed",
        "_extra_hours",
        "_extra_open",
        "_holidays",
        "_local_epoch",
        "_tz",
        "_week",
        "_years",
        "_zone",
    )
    _closed: frozenset[date]
    _extra_hours: DayHours
    _extra_open: frozenset[date]
    _holidays: HolidaySource | None
    _local_epoch: datetime
    _tz: str
    _week: tuple[DayHours, ...]
    _years: WorkingYears
    _zone: ZoneInfo

    def __init__(
        self,
        tz: str,
        week: WeekHours,
        closed: Iterable[date] = (),
        extra_open: Iterable[date] = (),
        *,
        extra_open_hours: Iterable[Sequence[ClockText]] | None = None,
        holidays: HolidaySource | None = None,
    ) -> None:
        """Validate and keep the calendar's rules; raises ValueError on a bad one."""
        hours = parse_week(week)
        if extra_open_hours is None:
            extra_hours = next((day for day in hours if day), ())
        else:
            extra_hours = parse_day_hours(extra_open_hours, where="extra_open_hours")
        if not any(hours) and not extra_hours:
            raise ValueError("the week has no working hours (and no extra_open_hours)")
        closed_dates = _dates(closed, "closed")
        open_dates = _dates(extra_open, "extra_open")
        if both := sorted(closed_dates & open_dates):
            raise ValueError(f"dates both closed and extra_open: {[str(d) for d in both]}")
        setter = object.__setattr__
        setter(self, "_tz", tz)
        setter(self, "_zone", _zone(tz))
        # Same-zone datetimes subtract on their wall clocks: faster than via UTC.
        setter(self, "_local_epoch", datetime(1970, 1, 1, tzinfo=self._zone))
        setter(self, "_week", hours)
        setter(self, "_extra_hours", extra_hours)
        setter(self, "_closed", closed_dates)
        setter(self, "_extra_open", open_dates)
        setter(self, "_holidays", holidays)
        setter(self, "_years", WorkingYears(self._zone, self._hours_rule))

    @classmethod
    def for_country(
        cls,
        tz: str,
        week: WeekHours,
        country: str,
        subdiv: str | None = None,
        closed: Iterable[date] = (),
        extra_open: Iterable[date] = (),
        *,
        extra_open_hours: Iterable[Sequence[ClockText]] | None = None,
    ) -> WorkCalendar:
        """A calendar closed on ``country``'s public holidays (and open on its transfers).

        The organization's own ``closed`` dates win over the country's working days and
        its ``extra_open`` dates over the country's holidays.
        """
        source = CountryHolidays(country, subdiv)
        return cls(tz, week, closed, extra_open, extra_open_hours=extra_open_hours, holidays=source)

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"a WorkCalendar is immutable (tried to set {name!r})")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"a WorkCalendar is immutable (tried to delete {name!r})")

    def __repr__(self) -> str:
        return f"WorkCalendar(tz={self._tz!r}, closed={len(self._closed)} dates, ...)"

    @property
    def tz(self) -> str:
        """The IANA time zone name."""
        return self._tz

    @property
    def zone(self) -> ZoneInfo:
        """The time zone, for turning instants into local wall-clock time."""
        return self._zone

    @property
    def closed(self) -> frozenset[date]:
        """The organization's own closed dates (not the holiday source's)."""
        return self._closed

    @property
    def extra_open(self) -> frozenset[date]:
        """The organization's own extra working dates (not the holiday source's)."""
        return self._extra_open

    # -- working time -------------------------------------------------------------

    def add_working(self, t: datetime, d: timedelta) -> datetime:
        """The earliest instant after ``d`` of working time counted from ``t``.

        Running out exactly at a closing time gives the closing time. A start outside
        working time counts from the next opening. A negative ``d`` counts backwards and
        gives the latest such instant (an exact landing is an opening); ``d == 0`` gives
        ``t`` itself, in UTC.
        """
        try:  # _instant() inlined, like the table lookups below: this is the hot path
            if t.tzinfo is self._zone:
                offset = t.utcoffset()  # never None for a ZoneInfo
                start = (t - self._local_epoch - offset) // _MICROSECOND  # type: ignore[operator]
            else:
                start = (t - EPOCH) // _MICROSECOND
        except (TypeError, AttributeError):
            raise ValueError(f"expected a timezone-aware datetime, got {t!r}") from None
        amount = d // _MICROSECOND
        if not amount:
            return EPOCH + _MICROSECOND * start
        table = self._years.table
        if table.lo <= start <= table.hi:
            # W(start), the working time before start (see _working_table), plus amount.
            index = bisect_right(table.ends, start)
            starts, cum = table.starts, table.cum
            opening = starts[index]
            target = cum[index] + (start - opening if start > opening else 0) + amount
            if amount > 0:
                if target <= table.total:
                    # Earliest: the interval holding the target's last microsecond.
                    index = bisect_right(cum, target - 1) - 1
                    return EPOCH + _MICROSECOND * (starts[index] + target - cum[index])
            elif target >= 0:
                # Latest: the last interval starting at or before the target.
                index = bisect_right(cum, target) - 1
                return EPOCH + _MICROSECOND * (starts[index] + target - cum[index])
            self._years.grown(table, forward=amount > 0)
        else:
            self._years.covering(start, start)
        return self.add_working(t, d)  # with the wider table

    def working_between(self, a: datetime, b: datetime) -> timedelta:
        """The working time in ``[a, b)``; negative when ``b`` is before ``a``."""
        start, end = _instant(a), _instant(b)
        low, high = min(start, end), max(start, end)
        table = self._years.table
        if not table.lo <= low <= high <= table.hi:
            table = self._years.covering(low, high)
        worked = table.worked_before(end) - table.worked_before(start)
        return timedelta(microseconds=worked)

    def next_working_moment(self, t: datetime) -> datetime:
        """The first working instant at or after ``t`` (a closing time is not working)."""
        start = _instant(t)
        table = self._years.table
        while True:
            if table.lo <= start <= table.hi:
                found = table.next_moment(start)
                if found is not None:
                    return EPOCH + _MICROSECOND * found
                table = self._years.grown(table, forward=True)
            else:
                table = self._years.covering(start, start)

    def add_working_many(self, starts: npt.ArrayLike, durations: npt.ArrayLike) -> npt.NDArray[Any]:
        """:meth:`add_working` element by element, vectorized.

        ``starts`` is a ``datetime64`` array read as UTC, ``durations`` a ``timedelta64``
        array (broadcast against each other). Both are taken in whole microseconds
        (finer units are truncated); the result is ``datetime64[us]`` in UTC, with NaT
        wherever a start or a duration is NaT.
        """
        begin_raw = np.asarray(starts)
        amount_raw = np.asarray(durations)
        if begin_raw.dtype.kind != "M" or amount_raw.dtype.kind != "m":
            raise TypeError("starts must be datetime64 and durations timedelta64 arrays")
        begin_us, amount_us = np.broadcast_arrays(
            begin_raw.astype("datetime64[us]"), amount_raw.astype("timedelta64[us]")
        )
        missing = np.isnat(begin_us) | np.isnat(amount_us)
        begin = begin_us.view(np.int64)
        amount = amount_us.view(np.int64)
        any_missing = bool(missing.any())
        if any_missing:
            if missing.all():
                return np.full(missing.shape, np.datetime64("NaT"), dtype="datetime64[us]")
            begin = np.where(missing, begin[~missing][0], begin)
            amount = np.where(missing, 0, amount)
        if begin.size == 0:
            return np.empty(begin.shape, dtype="datetime64[us]")
        landed: npt.NDArray[Any] = self._landed_many(begin, amount).view("datetime64[us]")
        if any_missing:
            landed[missing] = np.datetime64("NaT")
        return landed

    # -- working days -------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """True when the local date ``day`` has working hours (a datetime: its local date)."""
        if isinstance(day, datetime):
            day = self._local(day).date()
        return bool(self._hours_rule(day.year)(day))

    def working_days_close(self, t: datetime, n: int) -> datetime:
        """The close of the ``n``-th working day strictly after the local date of ``t``.

        The day of ``t`` is day 0 whatever the hour, even a day off; "next working day"
        is ``n = 1``. ``n = 0`` is the close of ``t``'s own date when it is a working
        day, else of the next working day. The close is the end of the day's last
        working interval (``"24:00"`` is the next midnight).
        """
        table, index = self._working_day_after(self._local(t).toordinal(), _count(n))
        return EPOCH + _MICROSECOND * table.closes[index]

    def working_days_same_clock(self, t: datetime, n: int) -> datetime:
        """The ``n``-th working day strictly after ``t``'s date, at ``t``'s wall-clock time.

        The result is rolled forward to the next working moment. A wall time the clock
        skips that day (DST) becomes the moment the clock reaches after the gap; a wall
        time it shows twice is taken at its first occurrence. ``n = 0`` is
        :meth:`next_working_moment` of ``t``.
        """
        local = self._local(t)
        if _count(n) == 0:
            return self.next_working_moment(t)
        table, index = self._working_day_after(local.toordinal(), n)
        clock = (
            (local.hour * 60 + local.minute) * 60 + local.second
        ) * 1_000_000 + local.microsecond
        wall = (table.days[index] - EPOCH_ORDINAL) * MICROS_PER_DAY + clock
        instant = local_to_instant_near(self._zone, wall, later=False)
        return self.next_working_moment(EPOCH + _MICROSECOND * instant)

    def working_days_before(self, day: date, n: int) -> tuple[date, datetime]:
        """The ``n``-th working day strictly before the local date ``day``, and its close.

        ``n = 0`` is ``day`` itself when it is a working day, else the last working day
        before it. An aware datetime stands for its local date.
        """
        if isinstance(day, datetime):
            day = self._local(day).date()
        table, index = self._working_day_before(day.toordinal(), _count(n))
        close = EPOCH + _MICROSECOND * table.closes[index]
        return date.fromordinal(table.days[index]), close

    # -- tables -------------------------------------------------------------------

    def _local(self, t: datetime) -> datetime:
        if not isinstance(t, datetime) or t.utcoffset() is None:
            raise ValueError(f"expected a timezone-aware datetime, got {t!r}")
        return t.astimezone(self._zone)

    def _working_day_after(self, ordinal: int, n: int) -> tuple[WorkingTable, int]:
        table = self._years.table
        while True:
            if table.first_day <= ordinal <= table.last_day:
                days = table.days
                index = bisect_right(days, ordinal) + n - 1 if n else bisect_left(days, ordinal)
                if index < len(days):
                    return table, index
                table = self._years.grown(table, forward=True, by_days=True)
            else:
                year = date.fromordinal(ordinal).year
                table = self._years.covering_years(year, year + 1)

    def _working_day_before(self, ordinal: int, n: int) -> tuple[WorkingTable, int]:
        table = self._years.table
        while True:
            if table.first_day <= ordinal <= table.last_day:
                days = table.days
                index = bisect_left(days, ordinal) - n if n else bisect_right(days, ordinal) - 1
                if index >= 0:
                    return table, index
                table = self._years.grown(table, forward=False, by_days=True)
            else:
                year = date.fromordinal(ordinal).year
                table = self._years.covering_years(year - 1, year)

    def _landed_many(
        self, begin: npt.NDArray[np.int64], amount: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]:
        low, high = int(begin.min()), int(begin.max())
        table = self._years.table
        while True:
            if not table.lo <= low <= high <= table.hi:
                table = self._years.covering(low, high)
                continue
            targets = table.worked_before_many(begin) + amount
            beyond = int(targets.max()) - table.total
            if beyond > 0:
                table = self._years.grown(table, forward=True, missing=beyond)
                continue
            if int(targets.min()) < 0:
                table = self._years.grown(table, forward=False, missing=-int(targets.min()))
                continue
            landed: npt.NDArray[np.int64] = np.where(
                amount == 0, begin, table.land_many(targets, amount)
            )
            return landed

    def _hours_rule(self, year: int) -> Callable[[date], DayHours]:
        """Which hours each date of ``year`` works (see the module docstring)."""
        week, extra = self._week, self._extra_hours
        own_closed, own_open = self._closed, self._extra_open
        if self._holidays is None:
            source_closed: frozenset[date] = frozenset()
            source_open: frozenset[date] = frozenset()
        else:
            source_closed, source_open = self._holidays.dates_for_year(year)

        def hours_on(day: date) -> DayHours:
            if day in own_open:
                return week[day.weekday()] or extra
            if day in own_closed or day in source_closed:
                return ()
            if day in source_open:
                return week[day.weekday()] or extra
            return week[day.weekday()]

        return hours_on


def _instant(t: datetime) -> int:
    """Microseconds since the epoch of an aware datetime; ValueError for a naive one."""
    try:
        return (t - EPOCH) // _MICROSECOND
    except (TypeError, AttributeError):
        raise ValueError(f"expected a timezone-aware datetime, got {t!r}") from None


def _count(n: int) -> int:
    if n < 0:
        raise ValueError(f"a number of working days cannot be negative, got {n}")
    return n


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise ValueError(f"unknown time zone {tz!r}: {error}") from None


def _dates(values: Iterable[date], what: str) -> frozenset[date]:
    result = frozenset(values)
    for value in result:
        if isinstance(value, datetime) or not isinstance(value, date):
            raise ValueError(f"{what}: expected dates, got {value!r}")
    return result
