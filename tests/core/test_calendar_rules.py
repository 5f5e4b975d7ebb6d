"""Building a WorkCalendar: validation, closed and extra dates, holiday sources, sharing."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pytest

from charterdesk.core.calendar import WorkCalendar
from charterdesk.core.holiday_calendars import CountryHolidays, public_holidays
from tests.helpers import utc

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
OFFICE_WEEK = {day: [("09:00", "17:30")] for day in WEEKDAYS}


BAD_WEEKS = [
    ({"monday": [("09:00", "17:00")]}, "unknown weekday"),
    ({"mon": [("09:00", "25:00")]}, "between 00:00 and 24:00"),
    ({"mon": [("09:60", "17:00")]}, "between 00:00 and 24:00"),
    ({"mon": [("9am", "17:00")]}, "not a clock time"),
    ({"mon": [("17:00", "09:00")]}, "must start before it ends"),
    ({"mon": [("09:00", "09:00")]}, "must start before it ends"),
    ({"mon": [("22:00", "00:00")]}, "write 24:00"),
    ({"mon": [("24:00", "24:00")]}, "24:00 can only end"),
    ({"mon": [("09:00", "13:00"), ("12:00", "18:00")]}, "overlap"),
    ({"mon": [("09:00",)]}, "pair"),
    ({"mon": "09:00-17:00"}, "list of"),
    ({"mon": [(time(9, tzinfo=UTC), time(17))]}, "local wall-clock"),
    ({"sat": []}, "no working hours"),
]


@pytest.mark.parametrize(("week", "message"), BAD_WEEKS)
def test_bad_weeks_are_refused_with_a_clear_message(week: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WorkCalendar("Europe/London", week)  # type: ignore[arg-type]


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        WorkCalendar("Europe/Atlantis", OFFICE_WEEK)


def test_a_date_both_closed_and_extra_open_is_refused() -> None:
    with pytest.raises(ValueError, match="both closed and extra_open"):
        WorkCalendar("UTC", OFFICE_WEEK, [date(2026, 3, 28)], [date(2026, 3, 28)])


def test_datetimes_are_not_closed_dates() -> None:
    with pytest.raises(ValueError, match="expected dates"):
        WorkCalendar("UTC", OFFICE_WEEK, closed=[utc(2026, 3, 24)])


def test_touching_intervals_and_time_objects_are_accepted() -> None:
    calendar = WorkCalendar(
        "UTC", {"mon": [(time(13, 0), "17:00"), ("09:00", time(13, 0))]}
    )  # unsorted on purpose
    # Mon 23 Mar 2026: 09:00-17:00 without a break.
    assert calendar.working_between(utc(2026, 3, 23), utc(2026, 3, 24)) == timedelta(hours=8)
    assert calendar.add_working(utc(2026, 3, 23, 12, 0), timedelta(hours=2)) == utc(
        2026, 3, 23, 14, 0
    )


def test_own_closures_and_extra_working_dates() -> None:
    calendar = WorkCalendar(
        "UTC", OFFICE_WEEK, closed=[date(2026, 3, 24)], extra_open=[date(2026, 3, 28)]
    )
    assert not calendar.is_working_day(date(2026, 3, 24))  # a Tuesday, closed
    # Saturday 28 Mar works Monday's hours, 09:00-17:30.
    assert calendar.working_between(utc(2026, 3, 28), utc(2026, 3, 29)) == timedelta(hours=8.5)
    # Next working day after Fri 27 Mar is that Saturday.
    assert calendar.working_days_close(utc(2026, 3, 27, 10), 1) == utc(2026, 3, 28, 17, 30)


def test_extra_open_hours_can_be_given() -> None:
    calendar = WorkCalendar(
        "UTC",
        OFFICE_WEEK,
        extra_open=[date(2026, 3, 28)],
        extra_open_hours=[("10:00", "14:00")],
    )
    assert calendar.working_between(utc(2026, 3, 28), utc(2026, 3, 29)) == timedelta(hours=4)
    # A weekday keeps its own hours even when listed as extra_open.
    weekday = WorkCalendar("UTC", OFFICE_WEEK, extra_open=[date(2026, 3, 27)])
    assert weekday.working_between(utc(2026, 3, 27), utc(2026, 3, 28)) == timedelta(hours=8.5)


def test_the_organization_overrides_the_country() -> None:
    # Russia works Sat 1 Nov 2025 and closes Jan 1-8 2025; this centre does the opposite
    # on two of those days.
    calendar = WorkCalendar.for_country(
        "Europe/Moscow",
        OFFICE_WEEK,
        "RU",
        closed=[date(2025, 11, 1)],
        extra_open=[date(2025, 1, 8)],
    )
    assert not calendar.is_working_day(date(2025, 11, 1))
    assert calendar.is_working_day(date(2025, 1, 8))
    assert not calendar.is_working_day(date(2025, 1, 7))
    plain_russia = WorkCalendar.for_country("Europe/Moscow", OFFICE_WEEK, "RU")
    assert plain_russia.is_working_day(date(2025, 11, 1))


HOLIDAY_FACTS = [
    # England's bank holidays 2026 include Good Friday, Easter Monday, Boxing Day observed.
    ("GB", "ENG", 2026, {date(2026, 4, 3), date(2026, 4, 6), date(2026, 12, 28)}, set()),
    # Romania: Orthodox Good Friday and Easter Monday 2026.
    ("RO", None, 2026, {date(2026, 4, 10), date(2026, 4, 13)}, set()),
    # Russia 2024: New Year run and three transferred working Saturdays.
    (
        "RU",
        None,
        2024,
        {date(2024, 1, d) for d in range(1, 9)} | {date(2024, 12, 30), date(2024, 12, 31)},
        {date(2024, 4, 27), date(2024, 11, 2), date(2024, 12, 28)},
    ),
    ("RU", None, 2025, {date(2025, 11, 3), date(2025, 11, 4)}, {date(2025, 11, 1)}),
    # Azerbaijan 2026: Novruz and Eid al-Fitr run.
    ("AZ", None, 2026, {date(2026, 3, d) for d in range(20, 28)} | {date(2026, 3, 30)}, set()),
]


@pytest.mark.parametrize(("country", "subdiv", "year", "closed", "worked"), HOLIDAY_FACTS)
def test_public_holidays(
    country: str, subdiv: str | None, year: int, closed: set[date], worked: set[date]
) -> None:
    all_closed, all_worked = public_holidays(country, subdiv, [year])
    assert closed <= all_closed
    assert all_worked == worked
    assert all(day.year == year for day in all_closed | all_worked)


def test_azerbaijan_commemorations_are_working_days() -> None:
    # 17 Nov (National Revival Day) is in the package's "workday" category, not a day off.
    closed, _ = public_holidays("AZ", None, [2026])
    assert date(2026, 11, 17) not in closed


def test_unknown_countries_are_refused() -> None:
    with pytest.raises(ValueError, match="no public holidays"):
        CountryHolidays("XX")
    with pytest.raises(ValueError, match="no public holidays"):
        CountryHolidays("GB", "XYZ")


def test_a_calendar_is_immutable() -> None:
    calendar = WorkCalendar("UTC", OFFICE_WEEK)
    with pytest.raises(AttributeError, match="immutable"):
        calendar._tz = "Europe/Paris"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        calendar.tz = "Europe/Paris"  # type: ignore[misc]
    assert calendar.tz == "UTC"


def test_far_years_in_any_order_agree_with_fresh_calendars() -> None:
    week = {day: [("09:00", "13:00"), ("14:00", "18:00")] for day in WEEKDAYS}
    shared = WorkCalendar.for_country("Europe/London", week, "GB", "ENG")
    starts = [utc(2026, 3, 27, 15), utc(1970, 1, 2, 12), utc(2100, 12, 30, 12), utc(1999, 12, 31)]
    for start in starts:
        fresh = WorkCalendar.for_country("Europe/London", week, "GB", "ENG")
        for amount in (timedelta(hours=100), timedelta(hours=-100), timedelta(hours=3000)):
            assert shared.add_working(start, amount) == fresh.add_working(start, amount)
        assert shared.working_days_close(start, 30) == fresh.working_days_close(start, 30)
        assert shared.working_days_before(start.date(), 30) == fresh.working_days_before(
            start.date(), 30
        )
    # A long span: from 1970 to 2100, about 131 years of 2000-odd hours.
    total = shared.working_between(utc(1970, 1, 1), utc(2100, 1, 1))
    assert 131 * 1900 < total / timedelta(hours=1) < 131 * 2100


def test_a_calendar_without_working_time_says_so() -> None:
    calendar = WorkCalendar("UTC", {}, extra_open_hours=[("09:00", "17:00")])
    with pytest.raises(ValueError, match="no working time"):
        calendar.add_working(utc(2026, 3, 24), timedelta(hours=1))
    with pytest.raises(ValueError, match="no working time"):
        calendar.working_days_close(utc(2026, 3, 24), 1)
    with pytest.raises(ValueError, match="no working time"):
        calendar.next_working_moment(utc(2026, 3, 24))


def test_a_calendar_can_be_shared_between_threads() -> None:
    calendar = WorkCalendar.for_country("Europe/London", OFFICE_WEEK, "GB", "ENG")
    reference = WorkCalendar.for_country("Europe/London", OFFICE_WEEK, "GB", "ENG")
    starts = [utc(year, 6, 1, 10) for year in range(1975, 2095, 7)]
    expected = [reference.add_working(start, timedelta(hours=500)) for start in starts]
    results: dict[int, list[datetime]] = {}

    def work(worker: int) -> None:
        order = starts[worker:] + starts[:worker]
        got = {s: calendar.add_working(s, timedelta(hours=500)) for s in order}
        results[worker] = [got[s] for s in starts]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result == expected for result in results.values())


def test_add_working_many_handles_units_broadcasting_and_nat() -> None:
    calendar = WorkCalendar.for_country("Europe/London", OFFICE_WEEK, "GB", "ENG")
    starts = np.array(["2026-03-27T16:30", "NaT", "2026-04-03T10:00"], dtype="datetime64[ns]")
    # One duration for every start (broadcast): 2h. Fri 16:30 -> Mon 09:00 BST + 1h;
    # Good Friday -> Tue 7 Apr 09:00 BST + 2h.
    landed = calendar.add_working_many(starts, np.timedelta64(2, "h"))
    assert landed.dtype == np.dtype("datetime64[us]")
    assert landed[0] == np.datetime64("2026-03-30T09:00")
    assert np.isnat(landed[1])
    assert landed[2] == np.datetime64("2026-04-07T10:00")
    empty = calendar.add_working_many(
        np.array([], dtype="datetime64[s]"), np.array([], dtype="timedelta64[s]")
    )
    assert empty.shape == (0,)
    with pytest.raises(TypeError):
        calendar.add_working_many(np.array([1, 2]), np.timedelta64(1, "h"))
