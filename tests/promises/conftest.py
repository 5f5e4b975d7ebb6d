"""Shared fixtures and helpers of the promise tests.

Every promise of the five seed charters (ids L1..L16, A1..A12, T1..T23, E1..E10,
N1..N11 in shared/seeds/README.md) has at least one test here named
``test_<ID>_...``. The tests drive the pure core: the charter files of
``charters/`` read with :func:`read_charter`, their calendars built with the real
public holidays of the ``holidays`` package, and clocks evaluated with
:func:`evaluate` at an explicit ``now`` (no test reads the real clock).

Each charter is read once per session. Test modules import the plain helpers
(``event``, ``case``) from here: ``from .conftest import ...``; ``utc`` from tests/helpers.py.
The seed organizations here are these charters as read (``Desk``), never installed: they
stand in for the installed ones of tests/conftest.py.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import FrameType

import pytest

from charterdesk.core.calendar import WorkCalendar
from charterdesk.core.charter import Charter, Commitment
from charterdesk.core.charter_calendars import calendars_of
from charterdesk.core.charter_checks import possible_cases
from charterdesk.core.charter_source import LoadedCharter, read_charter
from charterdesk.core.clocks import Clock, evaluate
from charterdesk.core.events import CaseFacts, Event

CHARTERS = Path(__file__).resolve().parents[2] / "charters"
SLUGS = ("leviatan", "ask4", "lt-pro", "eurolux", "anlp")

#: A clock is evaluated in milliseconds; one that takes this long is in an endless loop.
EVALUATION_LIMIT_SECONDS = 3.0


def event(kind: str, at: datetime, **data: object) -> Event:
    """One event of a case: ``event("delay_notice_sent", t, reason=..., new_date=...)``."""
    return Event(kind=kind, at=at, data=data)


def case(case_type: str, channel: str, received_at: datetime, **fields: object) -> CaseFacts:
    """A case's facts; keyword arguments are its fields (``exam_date=date(...)``)."""
    return CaseFacts(case_type=case_type, channel=channel, received_at=received_at, fields=fields)


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Turn an endless loop into a TimeoutError (so a hung clock fails instead of
    hanging the suite). Only where SIGALRM exists and in the main thread."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"clock evaluation took more than {seconds} s: an endless loop?")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Desk:
    """One organization's charter, read from ``charters/<slug>.yaml``, with its calendars."""

    slug: str
    loaded: LoadedCharter
    calendars: Mapping[str, WorkCalendar]

    @property
    def charter(self) -> Charter:
        return self.loaded.charter

    def commitment(self, commitment_id: str) -> Commitment:
        return self.charter.commitment(commitment_id)

    def calendar(self, commitment_id: str | None = None) -> WorkCalendar:
        """The calendar a commitment counts on (default: the charter's first)."""
        if commitment_id is None:
            return next(iter(self.calendars.values()))
        return self.calendars[self.charter.calendar_of(self.commitment(commitment_id))]

    def clock(
        self, commitment_id: str, facts: CaseFacts, events: Sequence[Event], now: datetime
    ) -> Clock:
        commitment = self.commitment(commitment_id)
        calendar = self.calendars[self.charter.calendar_of(commitment)]
        with time_limit(EVALUATION_LIMIT_SECONDS):
            return evaluate(commitment, facts, events, calendar, now)

    def possible_cases(self, commitment_id: str) -> set[tuple[str, str]]:
        return possible_cases(self.charter, self.commitment(commitment_id))

    def commitments_keeping(self, promise_id: str) -> list[str]:
        """The ids of the commitments whose ``promise:`` lists ``promise_id``."""
        return [c.id for c in self.charter.commitments if promise_id in c.promise]


def load_desk(slug: str) -> Desk:
    loaded = read_charter((CHARTERS / f"{slug}.yaml").read_text(encoding="utf-8"), f"{slug}.yaml")
    return Desk(slug, loaded, calendars_of(loaded.charter))


@pytest.fixture(scope="session")
def desks() -> dict[str, Desk]:
    """The five seed charters, each read and checked once per session."""
    return {slug: load_desk(slug) for slug in SLUGS}


@pytest.fixture(scope="session")
def leviatan(desks: dict[str, Desk]) -> Desk:
    return desks["leviatan"]


@pytest.fixture(scope="session")
def ask4(desks: dict[str, Desk]) -> Desk:
    return desks["ask4"]


@pytest.fixture(scope="session")
def lt_pro(desks: dict[str, Desk]) -> Desk:
    return desks["lt-pro"]


@pytest.fixture(scope="session")
def eurolux(desks: dict[str, Desk]) -> Desk:
    return desks["eurolux"]


@pytest.fixture(scope="session")
def anlp(desks: dict[str, Desk]) -> Desk:
    return desks["anlp"]


ClockOf = Callable[[str, str, CaseFacts, Sequence[Event], datetime], Clock]


@pytest.fixture(scope="session")
def clock(desks: dict[str, Desk]) -> ClockOf:
    """``clock(org, commitment_id, case, events, now)``: one commitment's clock on a case."""

    def of(
        org: str, commitment_id: str, facts: CaseFacts, events: Sequence[Event], now: datetime
    ) -> Clock:
        return desks[org].clock(commitment_id, facts, events, now)

    return of
