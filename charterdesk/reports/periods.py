"""Report periods: whole calendar months in the organization's time zone.

A period is written ``2026-03`` (a month), ``2026-Q1`` (a quarter) or ``2026`` (a year);
a case counts in the period it was received in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext as _

_CODE = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>0[1-9]|1[0-2])|Q(?P<quarter>[1-4])))?$")


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_of(at: datetime, zone: str) -> date:
    """The first day of the local month ``at`` falls in."""
    return month_start(at.astimezone(ZoneInfo(zone)).date())


def local_midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))


@dataclass(frozen=True, slots=True)
class Period:
    """Months ``first`` .. ``last`` (first days of months), both included."""

    first: date
    last: date

    @property
    def code(self) -> str:
        months = self.months()
        if len(months) == 1:
            return f"{self.first:%Y-%m}"
        if len(months) == 3 and self.first.month % 3 == 1:
            return f"{self.first.year}-Q{self.first.month // 3 + 1}"
        if len(months) == 12 and self.first.month == 1:
            return str(self.first.year)
        return f"{self.first:%Y-%m}..{self.last:%Y-%m}"

    @property
    def end(self) -> date:
        """The first day after the period."""
        return add_months(self.last, 1)

    def months(self) -> list[date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = add_months(month, 1)
        return months

    def label(self) -> str:
        months = self.months()
        if len(months) == 1:
            return str(formats.date_format(self.first, "YEAR_MONTH_FORMAT"))
        if len(months) == 3 and self.first.month % 3 == 1:
            return _("Q%(quarter)s %(year)s") % {
                "quarter": self.first.month // 3 + 1,
                "year": self.first.year,
            }
        if len(months) == 12 and self.first.month == 1:
            return str(self.first.year)
        return f"{formats.date_format(self.first, 'YEAR_MONTH_FORMAT')} – " + str(
            formats.date_format(self.last, "YEAR_MONTH_FORMAT")
        )

    def previous(self) -> Period:
        count = len(self.months())
        return Period(add_months(self.first, -count), add_months(self.last, -count))


def month_period(month: date) -> Period:
    return Period(month, month)


def quarter_of(day: date) -> Period:
    first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return Period(first, add_months(first, 2))


def parse_period(code: str) -> Period | None:
    """``2026-03``, ``2026-Q1`` or ``2026``; None for anything else."""
    found = _CODE.match(code.strip())
    if found is None:
        return None
    year = int(found["year"])
    if found["month"]:
        return month_period(date(year, int(found["month"]), 1))
    if found["quarter"]:
        return quarter_of(date(year, int(found["quarter"]) * 3, 1))
    return Period(date(year, 1, 1), date(year, 12, 1))


def current_quarter(today: date) -> Period:
    return quarter_of(today)


def last_full_quarter(today: date) -> Period:
    return quarter_of(today).previous()


def recent_periods(today: date) -> list[Period]:
    """What the period filter offers: this year's and last year's quarters, the last
    twelve months and the last three years, most recent first."""
    quarter = quarter_of(today)
    quarters = [quarter]
    while len(quarters) < 8:
        quarters.append(quarters[-1].previous())
    months = [month_period(add_months(month_start(today), -n)) for n in range(12)]
    years = [Period(date(today.year - n, 1, 1), date(today.year - n, 12, 1)) for n in range(3)]
    return [*quarters, *months, *years]
