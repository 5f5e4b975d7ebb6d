"""A charter's calendars as :class:`WorkCalendar` objects.

A calendar's public holidays are those of the organization's country (and
subdivision) unless the calendar names another country, or says ``holidays: null``.
"""

from __future__ import annotations

from charterdesk.core.calendar import WorkCalendar
from charterdesk.core.charter import CalendarSpec, Charter
from charterdesk.core.holiday_calendars import CountryHolidays


def build_calendar(charter: Charter, spec: CalendarSpec) -> WorkCalendar:
    """Raises ValueError (with the reason) for hours or a country it cannot use."""
    org = charter.organization
    source = None
    if spec.holidays is not None:
        country = spec.holidays.country or org.country
        subdivision = spec.holidays.subdivision
        if spec.holidays.country is None:
            subdivision = subdivision or org.subdivision
        source = CountryHolidays(country, subdivision)
    return WorkCalendar(
        org.timezone, spec.intervals(), spec.closed, spec.extra_open, holidays=source
    )


def calendars_of(charter: Charter) -> dict[str, WorkCalendar]:
    return {name: build_calendar(charter, spec) for name, spec in charter.calendars.items()}
