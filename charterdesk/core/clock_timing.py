"""Deadline arithmetic for clocks: from a start and a rule duration to a due instant.

Pauses stop counting and resume where they stopped: the due instant moves by the
time spent paused, measured the way the rule counts (working or elapsed time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from charterdesk.core.calendar import WorkCalendar
from charterdesk.core.clock_why import Start
from charterdesk.core.durations import Basis, Duration
from charterdesk.core.events import STATES, Event


@dataclass(frozen=True, kw_only=True, slots=True)
class Timing:
    started: datetime
    due: datetime  # before any pause moved it
    basis: Basis
    start: Start  # what it counts from
    counts_from: datetime | None = None  # meeting steps count from here (default: started)


@dataclass(frozen=True, slots=True)
class Pause:
    start: datetime
    end: datetime
    open: bool  # still paused at the end of the history considered
    state: str = "awaiting_customer"  # the state that holds (STATES); an open one's, merged


def deadline(
    calendar: WorkCalendar, start: datetime, duration: Duration, trigger: Event
) -> datetime | None:
    """When ``duration`` counted from ``start`` runs out; None for a missing stated date."""
    match duration.basis:
        case Basis.ELAPSED:
            return start.astimezone(UTC) + duration.span
        case Basis.WORKING_TIME:
            return calendar.add_working(start, duration.span)
        case Basis.WORKING_DAYS:
            return calendar.working_days_close(start, duration.amount)
        case Basis.WORKING_DAYS_SAME_CLOCK:
            return calendar.working_days_same_clock(start, duration.amount)
        case Basis.STATED_DATE:
            promised = trigger.stated_date(calendar.zone)
            if promised is None:
                return None
            end_of_day = datetime.combine(promised + timedelta(days=1), time(0), calendar.zone)
            return end_of_day.astimezone(UTC)


def pauses_of(
    states: Sequence[str], history: Sequence[Event], start: datetime, until: datetime
) -> list[Pause]:
    """The merged intervals in ``[start, until]`` during which any of ``states`` held."""
    raw: list[Pause] = []
    for state in states:
        enter, leave = STATES[state]
        opened: datetime | None = None
        for event in history:
            if event.at > until:
                break
            if event.kind == enter and opened is None:
                opened = event.at
            elif event.kind in leave and opened is not None:
                raw.append(Pause(opened, event.at, False, state))
                opened = None
        if opened is not None:
            raw.append(Pause(opened, until, True, state))
    # an open pause that began as the clock started holds even at that very instant
    kept = [p for p in raw if p.end > start or (p.open and p.end == start)]
    clipped = [Pause(max(p.start, start), p.end, p.open, p.state) for p in kept]
    return _merged(sorted(clipped, key=lambda p: p.start))


def _merged(pauses: list[Pause]) -> list[Pause]:
    merged: list[Pause] = []
    for pause in pauses:
        if merged and pause.start <= merged[-1].end:
            last = merged[-1]
            state = pause.state if pause.open or not last.open else last.state
            merged[-1] = Pause(last.start, max(last.end, pause.end), last.open or pause.open, state)
        else:
            merged.append(pause)
    return merged


def shifted(
    calendar: WorkCalendar, timing: Timing, pauses: Sequence[Pause]
) -> tuple[datetime, Pause | None]:
    """The due instant moved by every pause that began before it; and the open pause,
    if the clock is paused now."""
    due = timing.due
    if timing.basis == Basis.STATED_DATE:
        return due, None
    for pause in pauses:
        if pause.start >= due:
            break
        if pause.open:
            return due, pause
        if timing.basis == Basis.ELAPSED:
            due += pause.end - pause.start
        else:
            due = calendar.add_working(due, calendar.working_between(pause.start, pause.end))
    return due, None
