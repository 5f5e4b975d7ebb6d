"""The years of working time a calendar has built so far, grown on demand.

A :class:`WorkingYears` keeps one :class:`WorkingTable` of consecutive local years.
A question about an instant or a date outside it, or one whose answer lies beyond it,
asks for a wider table; the years already built are kept and reused. ``table`` is
always a complete immutable snapshot, so readers need no lock: they take the current
one and, if it falls short, ask for a wider one (growth holds a lock).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from charterdesk.core._opening_hours import DayHours
from charterdesk.core._working_table import EDGE_MARGIN, WorkingTable, YearOfWork, build_year
from charterdesk.core._zone_offsets import EPOCH_ORDINAL, MICROS_PER_DAY

#: The local years a calendar can answer about.
FIRST_YEAR = 2
LAST_YEAR = 9997
#: So many consecutive years without working time end a search with a ValueError.
IDLE_YEARS = 10
#: Years added at least whenever a table grows.
GROWTH_YEARS = 2

#: For a year, which hours each of its dates works.
HoursRule = Callable[[int], Callable[[date], DayHours]]


class WorkingYears:
    """A calendar's working-time table, built lazily a few local years at a time."""

    __slots__ = ("_built", "_hours_rule", "_lock", "_zone", "table")

    def __init__(self, zone: ZoneInfo, hours_rule: HoursRule) -> None:
        self._zone = zone
        self._hours_rule = hours_rule
        self._lock = threading.Lock()
        self._built: dict[int, YearOfWork] = {}
        self.table = WorkingTable(())

    def covering(self, low: int, high: int) -> WorkingTable:
        """A table covering the instants ``low..high``, and the next year (time runs on)."""
        return self.covering_years(year_of(low - EDGE_MARGIN), year_of(high + EDGE_MARGIN) + 1)

    def covering_years(self, first: int, last: int) -> WorkingTable:
        """A table covering the local years ``first..last`` (and any built before)."""
        if first < FIRST_YEAR or last > LAST_YEAR:
            raise ValueError(f"a calendar covers the years {FIRST_YEAR}..{LAST_YEAR} only")
        with self._lock:
            current = self.table
            if current.first_year <= current.last_year:
                first, last = min(first, current.first_year), max(last, current.last_year)
            return self._install(first, last)

    def grown(
        self, table: WorkingTable, *, forward: bool, by_days: bool = False, missing: int = 0
    ) -> WorkingTable:
        """A table reaching further than ``table``: later when ``forward``, else earlier.

        ``missing`` (working microseconds still lacking) sizes the step from the
        table's working time per year. Raises ValueError after :data:`IDLE_YEARS` years
        in a row without working time (or, ``by_days``, without a working day).
        """
        span = table.last_year - table.first_year + 1
        step = max(GROWTH_YEARS, span // 2)
        if missing and table.total:
            step = max(step, -(-missing * span // table.total) + 1)
        with self._lock:
            current = self.table
            if forward:
                if current.last_year > table.last_year:
                    return current
                if table.last_year >= LAST_YEAR:
                    raise ValueError(f"no working time before the end of year {LAST_YEAR}")
                grown = self._install(current.first_year, min(LAST_YEAR, table.last_year + step))
                outward = range(grown.last_year, grown.first_year - 1, -1)
            else:
                if current.first_year < table.first_year:
                    return current
                if table.first_year <= FIRST_YEAR:
                    raise ValueError(f"no working time after the start of year {FIRST_YEAR}")
                grown = self._install(max(FIRST_YEAR, table.first_year - step), current.last_year)
                outward = range(grown.first_year, grown.last_year + 1)
            self._check_not_idle(outward, by_days=by_days)
            return grown

    def _check_not_idle(self, outward: range, *, by_days: bool) -> None:
        """Raise when the years at the grown edge, counted inwards, are all idle."""
        idle = 0
        for year in outward:
            work = self._built[year]
            if (not work.days) if by_days else (work.working == 0):
                idle += 1
            else:
                break
        if idle >= IDLE_YEARS:
            edge = outward[idle - 1]
            raise ValueError(f"the calendar has no working time in the {idle} years to {edge}")

    def _install(self, first: int, last: int) -> WorkingTable:
        """Build (from cached years), publish and return the table of ``first..last``."""
        table = WorkingTable([self._year(year) for year in range(first, last + 1)])
        self.table = table
        return table

    def _year(self, year: int) -> YearOfWork:
        work = self._built.get(year)
        if work is None:
            work = build_year(year, self._zone, self._hours_rule(year))
            self._built[year] = work
        return work


def year_of(instant: int) -> int:
    """The UTC year of an instant (proleptic; may fall outside datetime's range)."""
    ordinal = instant // MICROS_PER_DAY + EPOCH_ORDINAL
    if ordinal < 1:
        return 0
    if ordinal > date.max.toordinal():
        return date.max.year + 1
    return date.fromordinal(ordinal).year
