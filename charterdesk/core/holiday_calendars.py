"""Public holidays and transferred working days of a country, from the ``holidays`` package.

A :class:`WorkCalendar <charterdesk.core.calendar.WorkCalendar>` asks its holiday
source one local year at a time, when it first needs that year, so a calendar can be
asked about any year without loading every year up front.

Only the package's ``public`` category closes a day: Azerbaijan's ``workday``
category, for instance, lists commemorations that are ordinary working days.
Transferred working days are the package's ``weekend_workdays`` (Russia's and
Azerbaijan's Saturdays worked in exchange for a bridge day off).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Protocol

import holidays

#: ``(closed dates, extra working dates)`` of one year.
YearDates = tuple[frozenset[date], frozenset[date]]


class HolidaySource(Protocol):
    """Anything that can say which dates of a year are closed and which are worked."""

    def dates_for_year(self, year: int) -> YearDates:
        """The closed dates and the extra working dates that fall in ``year``."""
        ...


@dataclass(frozen=True, slots=True)
class CountryHolidays:
    """The public holidays of ``country`` (ISO 3166-1 alpha-2), optionally of a subdivision.

    ``CountryHolidays("GB", "ENG")`` is England's bank holidays; ``"RO"``, ``"RU"``
    (with its transferred working Saturdays) and ``"AZ"`` are the other seed countries.
    Raises ValueError for a country or subdivision the package does not know.
    """

    country: str
    subdiv: str | None = None

    def __post_init__(self) -> None:
        try:
            holidays.country_holidays(self.country, subdiv=self.subdiv, years=())
        except NotImplementedError as error:
            raise ValueError(f"no public holidays known for {self._name()}: {error}") from None

    def dates_for_year(self, year: int) -> YearDates:
        """The closed dates and transferred working dates that fall in ``year``."""
        return _country_year(self.country, self.subdiv, year)

    def _name(self) -> str:
        return self.country if self.subdiv is None else f"{self.country}-{self.subdiv}"


@lru_cache(maxsize=1024)
def _country_year(country: str, subdiv: str | None, year: int) -> YearDates:
    # A transfer may be written under a neighbouring year's data (e.g. a Saturday of
    # late December worked for a bridge day in January), so the neighbours are asked
    # too and everything is filtered to ``year``.
    table = holidays.country_holidays(country, subdiv=subdiv, years=(year - 1, year, year + 1))
    closed = frozenset(day for day in table if day.year == year)
    worked = frozenset(day for day in table.weekend_workdays if day.year == year)
    return closed, worked - closed


def public_holidays(country: str, subdiv: str | None, years: Iterable[int]) -> YearDates:
    """The closed dates and transferred working dates of ``country`` in ``years``, eagerly."""
    source = CountryHolidays(country, subdiv)
    closed: set[date] = set()
    worked: set[date] = set()
    for year in years:
        year_closed, year_worked = source.dates_for_year(year)
        closed |= year_closed
        worked |= year_worked
    return frozenset(closed), frozenset(worked)
