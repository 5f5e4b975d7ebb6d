"""The duration grammar of charter rules: `within: 3 working days` and its kin.

A rule duration says how much time and how it is counted:

=============================  ===================================================
``48 hours``, ``10 days``      elapsed real time (DST-aware); also minutes, weeks
``3 working hours``            working time on the commitment's calendar
``2 working days``             close of the N-th working day after the start day
``next working day``           the same, N = 1
``5 working days, same clock`` N-th working day at the same wall-clock time
``stated date``                the date the starting event promised (a delay notice)
=============================  ===================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


class Basis(StrEnum):
    ELAPSED = "elapsed"
    WORKING_TIME = "working_time"
    WORKING_DAYS = "working_days"
    WORKING_DAYS_SAME_CLOCK = "working_days_same_clock"
    STATED_DATE = "stated_date"


_UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}

_PATTERN = re.compile(
    r"""^\s*(?:
        (?P<next>next\s+working\s+day)
      | (?P<stated>stated\s+date)
      | (?P<amount>\d+)\s+(?P<working>working\s+)?(?P<unit>second|minute|hour|day|week)s?
        (?P<same>\s*,\s*same\s+clock)?
    )\s*$""",
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True, kw_only=True, slots=True)
class Duration:
    """A parsed rule duration. ``amount`` counts ``unit``s; ``basis`` says how."""

    amount: int
    unit: str  # second | minute | hour | day | week | date
    basis: Basis
    source: str

    @property
    def is_working(self) -> bool:
        return self.basis in (
            Basis.WORKING_TIME,
            Basis.WORKING_DAYS,
            Basis.WORKING_DAYS_SAME_CLOCK,
        )

    @property
    def span(self) -> timedelta:
        """The length for elapsed and working-time durations (not for day counts)."""
        if self.basis not in (Basis.ELAPSED, Basis.WORKING_TIME):
            raise ValueError(f"{self.source!r} is a count of days, not a length of time")
        return timedelta(seconds=self.amount * _UNIT_SECONDS[self.unit])

    def __str__(self) -> str:
        return self.source


def parse_duration(text: str) -> Duration:
    """Parse a rule duration; raise ValueError with the accepted forms otherwise."""
    match = _PATTERN.match(text)
    if match is None:
        raise ValueError(
            f"{text!r} is not a duration; write e.g. '48 hours', '3 working hours', "
            "'2 working days', 'next working day', '5 working days, same clock' or "
            "'stated date'"
        )
    source = " ".join(text.split())
    if match["next"]:
        return Duration(amount=1, unit="day", basis=Basis.WORKING_DAYS, source=source)
    if match["stated"]:
        return Duration(amount=0, unit="date", basis=Basis.STATED_DATE, source=source)
    amount, unit = int(match["amount"]), match["unit"].lower()
    working, same_clock = bool(match["working"]), bool(match["same"])
    if same_clock and not (working and unit == "day"):
        raise ValueError(f"{text!r}: ', same clock' goes only with 'working days'")
    if not working:
        basis = Basis.ELAPSED
    elif unit == "day":
        basis = Basis.WORKING_DAYS_SAME_CLOCK if same_clock else Basis.WORKING_DAYS
    elif unit == "week":
        raise ValueError(f"{text!r}: say 'N working days' rather than working weeks")
    else:
        basis = Basis.WORKING_TIME
    return Duration(amount=amount, unit=unit, basis=basis, source=source)


_SHARE = re.compile(r"^\s*(?P<value>\d+(?:\.\d+)?)\s*%\s*$")


def parse_share(text: str) -> float:
    """Parse '80%' into 0.8; raise ValueError for anything outside 0..100%."""
    match = _SHARE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a percentage such as '80%'")
    value = float(match["value"])
    if not 0 < value <= 100:
        raise ValueError(f"{text!r} must be more than 0% and at most 100%")
    return value / 100
