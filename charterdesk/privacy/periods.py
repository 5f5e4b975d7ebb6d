"""The charter's retention periods (``6 years``, ``18 months``, ``90 days``) counted back
from an instant: the moment before which data is too old to keep."""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta

_PERIOD = re.compile(r"^(\d+) (day|month|year)s?$")


def _months_back(at: datetime, months: int) -> datetime:
    total = at.year * 12 + (at.month - 1) - months
    year, month = divmod(total, 12)
    day = min(at.day, calendar.monthrange(year, month + 1)[1])  # 29 Feb -> 28 Feb
    return at.replace(year=year, month=month + 1, day=day)


def cutoff(now: datetime, period: str) -> datetime:
    """``now`` less ``period``, in UTC; data from before it has outlived the period."""
    found = _PERIOD.match(period.strip())
    if found is None:
        raise ValueError(f"{period!r} is not a period such as '6 years' or '90 days'")
    amount, unit = int(found[1]), found[2]
    if unit == "day":
        return now - timedelta(days=amount)
    return _months_back(now, amount * 12 if unit == "year" else amount)
