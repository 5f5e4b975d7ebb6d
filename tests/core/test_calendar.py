"""Business time, by example: every rule of DESIGN.md's "Business time" as a table.

Expected instants are literal UTC datetimes worked out by hand; the comment on each
row gives the reasoning. 2026 facts used throughout: Europe/London and
Europe/Bucharest spring forward on Sunday 29 March at 01:00Z and fall back on Sunday
25 October at 01:00Z (London GMT+0/BST+1, Bucharest EET+2/EEST+3); Asia/Baku is +4
and Europe/Moscow +3 all year.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from charterdesk.core.calendar import WorkCalendar
from tests.helpers import utc

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
EVERY_DAY = (*WEEKDAYS, "sat", "sun")

# ASK4/ANLP-like office: England's bank holidays (2026: Apr 3, Apr 6, Dec 25, Dec 28).
OFFICE = WorkCalendar.for_country(
    "Europe/London", {day: [("09:00", "17:30")] for day in WEEKDAYS}, "GB", "ENG"
)
# Leviatan-like studio: split shift, Romanian holidays (2026: Apr 10, Apr 13 Orthodox Easter).
STUDIO = WorkCalendar.for_country(
    "Europe/Bucharest", {day: [("09:00", "13:00"), ("14:00", "18:00")] for day in WEEKDAYS}, "RO"
)
# Eurolux-like shop: short Saturday, Azerbaijan's holidays (2026: Mar 20-27 and Mar 30 closed).
SHOP = WorkCalendar.for_country(
    "Asia/Baku",
    {**{day: [("09:00", "18:00")] for day in WEEKDAYS}, "sat": [("10:00", "14:00")]},
    "AZ",
)
# LT-Pro-like centre: Russia's holidays and transferred working Saturdays.
CENTRE = WorkCalendar.for_country(
    "Europe/Moscow", {day: [("09:00", "18:00")] for day in WEEKDAYS}, "RU"
)
# A 24/7 line in London: every real second works.
ALWAYS = WorkCalendar("Europe/London", {day: [("00:00", "24:00")] for day in EVERY_DAY})
# Night hours that straddle London's DST changes (01:00-02:00 local is skipped/repeated).
NIGHT = WorkCalendar(
    "Europe/London", {day: [("00:00", "01:30"), ("01:45", "03:00")] for day in EVERY_DAY}
)


def local(tz: str, *fields: int) -> datetime:
    return datetime(*fields, tzinfo=ZoneInfo(tz))  # type: ignore[misc]


def hours(value: float) -> timedelta:
    return timedelta(hours=value)


def london(*fields: int) -> datetime:
    return local("Europe/London", *fields)


def bucharest(*fields: int) -> datetime:
    return local("Europe/Bucharest", *fields)


def baku(*fields: int) -> datetime:
    return local("Asia/Baku", *fields)


def moscow(*fields: int) -> datetime:
    return local("Europe/Moscow", *fields)


ADD_WORKING = [
    # -- London office, Mon-Fri 09:00-17:30 --
    # Tuesday 10:00 GMT + 2h, same day.
    (OFFICE, london(2026, 3, 24, 10, 0), hours(2), utc(2026, 3, 24, 12, 0)),
    # Fri 16:30 GMT: 1h to the close, then Mon 30 Mar 09:00 BST (08:00Z) + 1h.
    (OFFICE, london(2026, 3, 27, 16, 30), hours(2), utc(2026, 3, 30, 9, 0)),
    # Running out exactly at Friday's close gives the close, not Monday's opening.
    (OFFICE, london(2026, 3, 27, 16, 30), hours(1), utc(2026, 3, 27, 17, 30)),
    # A start exactly at the close counts from Monday 09:00 BST (08:00Z).
    (OFFICE, london(2026, 3, 27, 17, 30), hours(1), utc(2026, 3, 30, 9, 0)),
    # A start on Saturday counts from Monday 09:00 BST.
    (OFFICE, london(2026, 3, 28, 12, 0), timedelta(minutes=30), utc(2026, 3, 30, 8, 30)),
    # A start on Good Friday: Apr 3 and Easter Monday Apr 6 are closed; Tue 09:00 BST + 1h.
    (OFFICE, london(2026, 4, 3, 10, 0), hours(1), utc(2026, 4, 7, 9, 0)),
    # Before opening, a whole day's 8.5h lands exactly on that day's close (17:30 BST).
    (OFFICE, london(2026, 4, 7, 7, 0), hours(8.5), utc(2026, 4, 7, 16, 30)),
    # Fri 23 Oct 17:00 BST: 30 min, then Mon 26 Oct 09:00 GMT (after fall-back) + 30 min.
    (OFFICE, london(2026, 10, 23, 17, 0), hours(1), utc(2026, 10, 26, 9, 30)),
    # Thu 24 Dec 17:00: 30 min; Dec 25, 26-27 (weekend), Dec 28 (Boxing Day observed) closed.
    (OFFICE, london(2026, 12, 24, 17, 0), hours(1), utc(2026, 12, 29, 9, 30)),
    # 40h from Fri 27 Mar 16:30: 1 + 8.5*4 (Mon-Thu) = 35, Apr 3 and 6 closed, Tue 7 09:00+5h
    # = 14:00 BST. pandas' CustomBusinessHour gives the same instant.
    (OFFICE, london(2026, 3, 27, 16, 30), hours(40), utc(2026, 4, 7, 13, 0)),
    # Microseconds are kept: 1 us before the close, plus 1 us, is the close.
    (
        OFFICE,
        utc(2026, 3, 24, 17, 29, 59, 999999),
        timedelta(microseconds=1),
        utc(2026, 3, 24, 17, 30),
    ),
    # ... plus 2 us is 1 us after Wednesday's opening.
    (
        OFFICE,
        utc(2026, 3, 24, 17, 29, 59, 999999),
        timedelta(microseconds=2),
        utc(2026, 3, 25, 9, 0, 0, 1),
    ),
    # d = 0 gives t unchanged (in UTC), even outside working time.
    (OFFICE, london(2026, 3, 28, 12, 0), timedelta(0), utc(2026, 3, 28, 12, 0)),
    # -- negative durations: the latest instant; an exact landing is the opening --
    # Mon 09:30 BST - 30 min is Monday's opening 09:00 BST, not Friday's close.
    (OFFICE, london(2026, 3, 30, 9, 30), timedelta(minutes=-30), utc(2026, 3, 30, 8, 0)),
    # Mon 09:30 BST - 1h: 30 min on Monday, 30 min back from Friday's 17:30 GMT close.
    (OFFICE, london(2026, 3, 30, 9, 30), hours(-1), utc(2026, 3, 27, 17, 0)),
    # From Tuesday's opening back 1h skips Easter: Thu 2 Apr 16:30 BST.
    (OFFICE, london(2026, 4, 7, 9, 0), hours(-1), utc(2026, 4, 2, 15, 30)),
    # Tue 09:00 back one whole day lands exactly on Monday's opening (09:00 BST).
    (OFFICE, london(2026, 3, 31, 9, 0), hours(-8.5), utc(2026, 3, 30, 8, 0)),
    # From Saturday back 1h: Friday 16:30 GMT.
    (OFFICE, london(2026, 3, 28, 12, 0), hours(-1), utc(2026, 3, 27, 16, 30)),
    # -- Bucharest studio, split shift 09:00-13:00 and 14:00-18:00 --
    # Mon 12:30 EET + 1h: 30 min, lunch, 14:00 + 30 min = 14:30 EET.
    (STUDIO, bucharest(2026, 3, 23, 12, 30), hours(1), utc(2026, 3, 23, 12, 30)),
    # Lands exactly at the lunch close 13:00 EET (11:00Z).
    (STUDIO, bucharest(2026, 3, 23, 12, 0), hours(1), utc(2026, 3, 23, 11, 0)),
    # A start at lunch counts from 14:00 EET: 15:00 EET.
    (STUDIO, bucharest(2026, 3, 23, 13, 30), hours(1), utc(2026, 3, 23, 13, 0)),
    # Back 1h from 15:00 EET lands exactly on the afternoon opening 14:00 EET.
    (STUDIO, bucharest(2026, 3, 23, 15, 0), hours(-1), utc(2026, 3, 23, 12, 0)),
    # A whole day (8h) from the opening lands on the 18:00 EET close.
    (STUDIO, bucharest(2026, 3, 24, 9, 0), hours(8), utc(2026, 3, 24, 16, 0)),
    # Fri 17:00 EET: 1h; Mon 30 Mar 09:00 EEST (06:00Z) + 1h.
    (STUDIO, bucharest(2026, 3, 27, 17, 0), hours(2), utc(2026, 3, 30, 7, 0)),
    # Fri 23 Oct 17:30 EEST: 30 min; Mon 26 Oct 09:00 EET (07:00Z) + 30 min.
    (STUDIO, bucharest(2026, 10, 23, 17, 30), hours(1), utc(2026, 10, 26, 7, 30)),
    # Thu 9 Apr 17:00 EEST: 1h; Orthodox Good Friday and Easter Monday closed; Tue 10:00 EEST.
    (STUDIO, bucharest(2026, 4, 9, 17, 0), hours(2), utc(2026, 4, 14, 7, 0)),
    # -- Baku shop, short Saturday 10:00-14:00, no DST --
    # Sat 13:00: 1h to 14:00; Mon 16 Mar 09:00 (+04) + 1h = 06:00Z.
    (SHOP, baku(2026, 3, 14, 13, 0), hours(2), utc(2026, 3, 16, 6, 0)),
    # Thu 19 Mar 17:00: 1h; Novruz/Eid closes Mar 20-27; Sat 28 Mar opens 10:00 (+04) + 1h.
    (SHOP, baku(2026, 3, 19, 17, 0), hours(2), utc(2026, 3, 28, 7, 0)),
    # -- Moscow centre: Sat 28 Dec 2024 is a transferred working day (Monday's hours) --
    # Fri 27 Dec 17:00 MSK: 1h; Sat 28 Dec 09:00 MSK (06:00Z) + 1h.
    (CENTRE, moscow(2024, 12, 27, 17, 0), hours(2), utc(2024, 12, 28, 7, 0)),
    # Sat 28 Dec 17:00: 1h; Dec 30-31 and Jan 1-8 closed; Thu 9 Jan 2025 09:00 MSK + 1h.
    (CENTRE, moscow(2024, 12, 28, 17, 0), hours(2), utc(2025, 1, 9, 7, 0)),
    # -- 24/7 line: working time is elapsed real time --
    # Across spring-forward: 24 real hours from Sat 12:00Z is Sun 12:00Z (13:00 BST).
    (ALWAYS, utc(2026, 3, 28, 12, 0), hours(24), utc(2026, 3, 29, 12, 0)),
    # The skipped wall-clock hour is not skipped in real time: 00:30Z + 1h = 01:30Z.
    (ALWAYS, utc(2026, 3, 29, 0, 30), hours(1), utc(2026, 3, 29, 1, 30)),
    # 01:30 on 25 Oct happens twice; fold picks the occurrence: 00:30Z + 1h, 01:30Z + 1h.
    (ALWAYS, london(2026, 10, 25, 1, 30), hours(1), utc(2026, 10, 25, 1, 30)),
    (ALWAYS, london(2026, 10, 25, 1, 30).replace(fold=1), hours(1), utc(2026, 10, 25, 2, 30)),
    # Across fall-back backwards: 48 real hours.
    (ALWAYS, utc(2026, 10, 26, 0, 0), hours(-48), utc(2026, 10, 24, 0, 0)),
    # -- night hours across DST --
    # 29 Mar: local 00:00-01:00 GMT is 00:00-01:00Z, 01:00-02:00 local is skipped, and
    # 02:00-03:00 BST is 01:00-02:00Z: one continuous stretch 00:00-02:00Z.
    (NIGHT, utc(2026, 3, 29, 0, 30), hours(1), utc(2026, 3, 29, 1, 30)),
    # 25 Oct: 01:00-01:30 local is worked twice: 00:00-00:30Z (BST) and 01:00-01:30Z (GMT);
    # 01:45-02:00 BST is 00:45-01:00Z. From 00:00Z: 30 min, gap, 00:45Z + 30 min = 01:15Z.
    (NIGHT, utc(2026, 10, 25, 0, 0), hours(1), utc(2026, 10, 25, 1, 15)),
]


@pytest.mark.parametrize(("calendar", "start", "duration", "expected"), ADD_WORKING)
def test_add_working(
    calendar: WorkCalendar, start: datetime, duration: timedelta, expected: datetime
) -> None:
    result = calendar.add_working(start, duration)
    assert result == expected
    assert result.tzinfo is UTC


WORKING_BETWEEN = [
    # Fri 8.5h + Mon 09:00-12:00 BST (3h).
    (OFFICE, utc(2026, 3, 27, 0, 0), london(2026, 3, 30, 12, 0), hours(11.5)),
    # Reversed: negative.
    (OFFICE, london(2026, 3, 30, 12, 0), utc(2026, 3, 27, 0, 0), hours(-11.5)),
    # A weekend holds no working time.
    (OFFICE, london(2026, 3, 28, 0, 0), london(2026, 3, 30, 0, 0), timedelta(0)),
    # Easter week: Thu 2 Apr to Wed 8 Apr 00:00 holds Thu and Tue only.
    (OFFICE, london(2026, 4, 2, 0, 0), london(2026, 4, 8, 0, 0), hours(17)),
    # A split-shift day holds 8h.
    (STUDIO, bucharest(2026, 3, 23, 0, 0), bucharest(2026, 3, 24, 0, 0), hours(8)),
    # The 24/7 line: 23h on spring-forward day, 25h on fall-back day.
    (ALWAYS, london(2026, 3, 29, 0, 0), london(2026, 3, 30, 0, 0), hours(23)),
    (ALWAYS, london(2026, 10, 25, 0, 0), london(2026, 10, 26, 0, 0), hours(25)),
    # Night hours: 29 Mar holds 00:00-02:00Z (2h); 25 Oct holds 1.5h + 45 min + 1.25h.
    (NIGHT, utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 12, 0), hours(2)),
    (NIGHT, utc(2026, 10, 24, 22, 0), utc(2026, 10, 25, 12, 0), hours(3.5)),
    # Russia's New Year run: Dec 30 2024 - Jan 8 2025 closed, so Dec 28 (Sat) to Jan 10.
    (CENTRE, moscow(2024, 12, 28, 0, 0), moscow(2025, 1, 10, 0, 0), hours(18)),
]


@pytest.mark.parametrize(("calendar", "start", "end", "expected"), WORKING_BETWEEN)
def test_working_between(
    calendar: WorkCalendar, start: datetime, end: datetime, expected: timedelta
) -> None:
    assert calendar.working_between(start, end) == expected


NEXT_WORKING_MOMENT = [
    # A closing time is not working: Fri 17:30 GMT -> Mon 09:00 BST.
    (OFFICE, utc(2026, 3, 27, 17, 30), utc(2026, 3, 30, 8, 0)),
    # Inside hours, at the opening, and 1 us before the close: unchanged.
    (OFFICE, utc(2026, 3, 24, 10, 0), utc(2026, 3, 24, 10, 0)),
    (OFFICE, utc(2026, 3, 24, 9, 0), utc(2026, 3, 24, 9, 0)),
    (OFFICE, utc(2026, 3, 24, 17, 29, 59, 999999), utc(2026, 3, 24, 17, 29, 59, 999999)),
    # Christmas Day -> Tue 29 Dec (28th is the observed Boxing Day).
    (OFFICE, utc(2026, 12, 25, 10, 0), utc(2026, 12, 29, 9, 0)),
    # Lunch close 13:00 EET -> 14:00 EET.
    (STUDIO, bucharest(2026, 3, 23, 13, 0), utc(2026, 3, 23, 12, 0)),
    # Baku, Friday evening -> Saturday 10:00 (+04).
    (SHOP, baku(2026, 3, 13, 18, 0), utc(2026, 3, 14, 6, 0)),
    # Russia, 31 Dec 2024 -> Thu 9 Jan 2025 09:00 MSK.
    (CENTRE, moscow(2024, 12, 31, 12, 0), utc(2025, 1, 9, 6, 0)),
]


@pytest.mark.parametrize(("calendar", "start", "expected"), NEXT_WORKING_MOMENT)
def test_next_working_moment(calendar: WorkCalendar, start: datetime, expected: datetime) -> None:
    assert calendar.next_working_moment(start) == expected


WORKING_DAYS_CLOSE = [
    # Thu 2 Apr at 20:00, next working day: Apr 3 and 6 are closed, Tue 17:30 BST.
    (OFFICE, london(2026, 4, 2, 20, 0), 1, utc(2026, 4, 7, 16, 30)),
    # Received on a Saturday: Saturday is day 0; day 1 is Monday (17:30 BST).
    (OFFICE, london(2026, 3, 28, 12, 0), 1, utc(2026, 3, 30, 16, 30)),
    # The local date counts: Sun 23:30Z is Mon 00:30 BST, so day 1 is Tuesday.
    (OFFICE, utc(2026, 3, 29, 23, 30), 1, utc(2026, 3, 31, 16, 30)),
    # n = 0: today's close on a working day, else the next working day's close.
    (OFFICE, london(2026, 3, 24, 10, 0), 0, utc(2026, 3, 24, 17, 30)),
    (OFFICE, london(2026, 3, 28, 12, 0), 0, utc(2026, 3, 30, 16, 30)),
    # From Wed 23 Dec: Thu 24 (1), 25 and 28 closed, Tue 29 (2), Wed 30 (3).
    (OFFICE, london(2026, 12, 23, 10, 0), 3, utc(2026, 12, 30, 17, 30)),
    # L7, 10 working days from Mon 6 Apr (Bucharest): 7, 8, 9, (10 and 13 closed) 14, 15, 16,
    # 17, 20, 21, 22 -> Wed 22 Apr 18:00 EEST.
    (STUDIO, bucharest(2026, 4, 6, 10, 0), 10, utc(2026, 4, 22, 15, 0)),
    # Baku: after Thu 19 Mar, Mar 20-27 are closed; Sat 28 Mar (short day) closes 14:00.
    (SHOP, baku(2026, 3, 19, 9, 0), 1, utc(2026, 3, 28, 10, 0)),
    # ... and Mon 30 Mar is closed too, so day 2 is Tue 31 Mar 18:00 (+04).
    (SHOP, baku(2026, 3, 19, 9, 0), 2, utc(2026, 3, 31, 14, 0)),
    # Russia: Sat 28 Dec 2024 is a working day (n = 0), its next working day is 9 Jan 2025.
    (CENTRE, moscow(2024, 12, 28, 15, 0), 0, utc(2024, 12, 28, 15, 0)),
    (CENTRE, moscow(2024, 12, 28, 15, 0), 1, utc(2025, 1, 9, 15, 0)),
    # Sat 1 Nov 2025 is worked; Nov 3-4 closed, so day 2 from Fri 31 Oct is Wed 5 Nov.
    (CENTRE, moscow(2025, 10, 31, 10, 0), 1, utc(2025, 11, 1, 15, 0)),
    (CENTRE, moscow(2025, 10, 31, 10, 0), 2, utc(2025, 11, 5, 15, 0)),
    # Jan 1-9 2026 closed (the 9th transferred): from 30 Dec 2025, Mon 12 Jan 2026.
    (CENTRE, moscow(2025, 12, 30, 10, 0), 1, utc(2026, 1, 12, 15, 0)),
    # 24:00 closes at the next local midnight: 25 Oct ends at 26 Oct 00:00 GMT.
    (ALWAYS, utc(2026, 10, 24, 12, 0), 1, utc(2026, 10, 26, 0, 0)),
    # ... and 29 Mar ends at 30 Mar 00:00 BST = 23:00Z.
    (ALWAYS, utc(2026, 3, 28, 12, 0), 1, utc(2026, 3, 29, 23, 0)),
    # Night hours on 29 Mar close at 03:00 BST = 02:00Z.
    (NIGHT, utc(2026, 3, 28, 12, 0), 1, utc(2026, 3, 29, 2, 0)),
]


@pytest.mark.parametrize(("calendar", "start", "n", "expected"), WORKING_DAYS_CLOSE)
def test_working_days_close(
    calendar: WorkCalendar, start: datetime, n: int, expected: datetime
) -> None:
    assert calendar.working_days_close(start, n) == expected


WORKING_DAYS_SAME_CLOCK = [
    # Fri 10:00 GMT -> Mon 10:00 BST.
    (OFFICE, london(2026, 3, 27, 10, 0), 1, utc(2026, 3, 30, 9, 0)),
    # Fri 19:00 -> Mon 19:00 is closed, rolled forward to Tue 09:00 BST.
    (OFFICE, london(2026, 3, 27, 19, 0), 1, utc(2026, 3, 31, 8, 0)),
    # Thu 2 Apr 11:15 -> Tue 7 Apr 11:15 BST (Easter closed).
    (OFFICE, london(2026, 4, 2, 11, 15), 1, utc(2026, 4, 7, 10, 15)),
    # n = 0 is the next working moment.
    (OFFICE, london(2026, 3, 28, 12, 0), 0, utc(2026, 3, 30, 8, 0)),
    # 01:30 does not exist on 29 Mar: the clock reaches 02:00 BST after the gap (01:00Z).
    (ALWAYS, london(2026, 3, 28, 1, 30), 1, utc(2026, 3, 29, 1, 0)),
    # 01:30 happens twice on 25 Oct: its first occurrence, 01:30 BST (00:30Z).
    (ALWAYS, london(2026, 10, 24, 1, 30), 1, utc(2026, 10, 25, 0, 30)),
    # Split shift: lunch time the next day rolls to 14:00 EET.
    (STUDIO, bucharest(2026, 3, 23, 13, 30), 1, utc(2026, 3, 24, 12, 0)),
]


@pytest.mark.parametrize(("calendar", "start", "n", "expected"), WORKING_DAYS_SAME_CLOCK)
def test_working_days_same_clock(
    calendar: WorkCalendar, start: datetime, n: int, expected: datetime
) -> None:
    assert calendar.working_days_same_clock(start, n) == expected


WORKING_DAYS_BEFORE = [
    # Before Tue 7 Apr: Apr 6 and 3 closed, Thu 2 Apr closes 17:30 BST.
    (OFFICE, date(2026, 4, 7), 1, date(2026, 4, 2), utc(2026, 4, 2, 16, 30)),
    # Before Monday after spring-forward: Friday 17:30 GMT.
    (OFFICE, date(2026, 3, 30), 1, date(2026, 3, 27), utc(2026, 3, 27, 17, 30)),
    # n = 0: the day itself when it works, else the last working day before it.
    (OFFICE, date(2026, 3, 30), 0, date(2026, 3, 30), utc(2026, 3, 30, 16, 30)),
    (OFFICE, date(2026, 3, 29), 0, date(2026, 3, 27), utc(2026, 3, 27, 17, 30)),
    # T21, 5 working days before an exam on Mon 13 Jan 2025 (Moscow): 10 (1), 9 (2),
    # Jan 1-8 and Dec 30-31 closed, Sat 28 Dec worked (3), 27 (4), 26 (5).
    (CENTRE, date(2025, 1, 13), 5, date(2024, 12, 26), utc(2024, 12, 26, 15, 0)),
    # Baku: 1 working day before Tue 31 Mar 2026 is the short Saturday 28 Mar.
    (SHOP, date(2026, 3, 31), 1, date(2026, 3, 28), utc(2026, 3, 28, 10, 0)),
]


@pytest.mark.parametrize(
    ("calendar", "day", "n", "expected_day", "expected_close"), WORKING_DAYS_BEFORE
)
def test_working_days_before(
    calendar: WorkCalendar, day: date, n: int, expected_day: date, expected_close: datetime
) -> None:
    assert calendar.working_days_before(day, n) == (expected_day, expected_close)


def test_working_days_before_takes_an_aware_datetime_as_its_local_date() -> None:
    # 23:30Z on Sun 29 Mar is Mon 30 Mar 00:30 BST: the day before is Friday.
    assert OFFICE.working_days_before(utc(2026, 3, 29, 23, 30), 1)[0] == date(2026, 3, 27)


NAIVE = datetime(2026, 3, 24, 10, 0)  # noqa: DTZ001 -- on purpose: it must be refused


@pytest.mark.parametrize(
    "call",
    [
        lambda: OFFICE.add_working(NAIVE, hours(1)),
        lambda: OFFICE.working_between(NAIVE, utc(2026, 3, 25)),
        lambda: OFFICE.working_between(utc(2026, 3, 25), NAIVE),
        lambda: OFFICE.next_working_moment(NAIVE),
        lambda: OFFICE.working_days_close(NAIVE, 1),
        lambda: OFFICE.working_days_same_clock(NAIVE, 1),
        lambda: OFFICE.working_days_before(NAIVE, 1),
    ],
)
def test_naive_datetimes_are_refused(call: object) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        call()  # type: ignore[operator]


@pytest.mark.parametrize(
    "call",
    [
        lambda: OFFICE.working_days_close(utc(2026, 3, 24), -1),
        lambda: OFFICE.working_days_same_clock(utc(2026, 3, 24), -1),
        lambda: OFFICE.working_days_before(date(2026, 3, 24), -1),
    ],
)
def test_negative_working_day_counts_are_refused(call: object) -> None:
    with pytest.raises(ValueError, match="negative"):
        call()  # type: ignore[operator]
