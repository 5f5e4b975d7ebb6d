"""When a restriction comes up for review: the charter's ``review_after`` ("6 months",
"30 days", "1 year") counted from the local date of the decision."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

_PERIOD = re.compile(r"^(\d+) (day|month|year)s?$")


def review_date(decided_on: date, period: str) -> date:
    """``decided_on`` plus ``period``; a month end that does not exist is the month's
    last day (31 August + 6 months is 28 or 29 February)."""
    match = _PERIOD.match(period.strip())
    if match is None:
        raise ValueError(f"{period!r} is not a period like '6 months'")
    amount, unit = int(match.group(1)), match.group(2)
    if unit == "day":
        return decided_on + timedelta(days=amount)
    months = amount * (12 if unit == "year" else 1)
    index = decided_on.month - 1 + months
    year, month = decided_on.year + index // 12, index % 12 + 1
    day = min(decided_on.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def local_date(now: datetime, zone: str) -> date:
    return now.astimezone(ZoneInfo(zone)).date()
