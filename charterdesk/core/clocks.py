"""Clock evaluation: one commitment applied to one case, as a pure function.

``evaluate(commitment, case, events, calendar, now)`` gives the clock's state,
its due and warning instants and a plain-language reason. Nothing is stored:
the same inputs always give the same clock, so clocks can be rebuilt from events
at any time (DESIGN.md principle 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from operator import attrgetter

from charterdesk.core.calendar import WorkCalendar
from charterdesk.core.charter import Commitment
from charterdesk.core.clock_timing import Pause, Timing, deadline, pauses_of, shifted
from charterdesk.core.durations import Basis, Duration, parse_share
from charterdesk.core.durations import parse_duration as _parse_duration
from charterdesk.core.events import CaseFacts, Event, as_date

#: Charters repeat a few duration texts, and a Duration is immutable: parse each once.
parse_duration = lru_cache(maxsize=1024)(_parse_duration)


class ClockState(StrEnum):
    NOT_APPLICABLE = "not_applicable"
    PENDING = "pending"
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"


@dataclass(frozen=True, kw_only=True, slots=True)
class Clock:
    commitment_id: str
    state: ClockState
    reason: str
    started_at: datetime | None = None
    due_at: datetime | None = None
    warn_at: datetime | None = None
    met_at: datetime | None = None  # when a met_by event came, on time or late
    cycle: int = 1  # for repeating commitments: which cycle is current
    missed_cycles: int = 0  # earlier cycles that were late

    @property
    def met_late(self) -> bool:
        return self.met_at is not None and self.due_at is not None and self.met_at > self.due_at


def evaluate(
    commitment: Commitment,
    case: CaseFacts,
    events: Sequence[Event],
    calendar: WorkCalendar,
    now: datetime,
) -> Clock:
    """The state at ``now`` of ``commitment``'s clock on ``case``."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    # Arithmetic on aware datetimes that share a zone is wall-clock arithmetic in
    # Python; in UTC it is elapsed time, which is what every rule means.
    if now.tzinfo is not UTC:
        now = now.astimezone(UTC)
    if case.received_at.tzinfo is not UTC:
        case = replace(case, received_at=case.received_at.astimezone(UTC))
    refusal = _not_applicable(commitment, case, calendar)
    if refusal:
        return Clock(commitment_id=commitment.id, state=ClockState.NOT_APPLICABLE, reason=refusal)
    history = _history(case, events, now)
    timing = _timing(commitment, case, history, calendar)
    if isinstance(timing, str):
        return Clock(commitment_id=commitment.id, state=ClockState.PENDING, reason=timing)
    if commitment.repeat:
        return _repeating(commitment, timing, history, calendar, now)
    return _single(commitment, timing, history, calendar, now)


def _history(case: CaseFacts, events: Sequence[Event], now: datetime) -> list[Event]:
    """The events up to ``now`` in time order, with ``received`` always present."""
    in_utc = (
        event if event.at.tzinfo is UTC else replace(event, at=event.at.astimezone(UTC))
        for event in events
    )
    history = sorted((event for event in in_utc if event.at <= now), key=_at)
    if not any(event.kind == "received" for event in history):
        history.insert(0, Event(kind="received", at=case.received_at))
    return history


_at = attrgetter("at")


def _not_applicable(commitment: Commitment, case: CaseFacts, calendar: WorkCalendar) -> str:
    rule = commitment.applies
    if case.internal and case.case_type not in (rule.case_types or ()):
        # a promise to customers (any case type, or by channel) is no promise about the
        # desk's own records: a breach logged from a phone call is not a call to answer
        return f"applies only to customers' cases, not to {case.case_type}"
    if rule.case_types is not None and case.case_type not in rule.case_types:
        return f"applies only to {', '.join(rule.case_types)} cases"
    if rule.channels is not None and case.channel not in rule.channels:
        return f"applies only to cases received by {', '.join(rule.channels)}"
    if rule.received is not None:
        in_hours = calendar.next_working_moment(case.received_at) == case.received_at
        if in_hours != (rule.received == "in_hours"):
            wanted = "in" if rule.received == "in_hours" else "out of"
            return f"applies only to cases received {wanted} working hours"
    for name, expected in rule.fields.items():
        actual = case.fields.get(name)
        if actual is None and isinstance(expected, bool):
            actual = False  # a box left unticked
        if actual != expected:
            return f"applies only when {name} is {expected}"
    return ""


def _timing(
    commitment: Commitment, case: CaseFacts, history: list[Event], calendar: WorkCalendar
) -> Timing | str:
    """When the clock started and when it falls due, or why it has not started."""
    start, durations = commitment.starts, _durations(commitment)
    if start.before or start.after:
        return _date_field_timing(
            start.before or start.after or "", bool(start.before), case, durations, calendar
        )
    candidates = [event for event in history if event.kind == start.event]
    if not candidates:
        return f"starts when {start.event} happens"
    trigger = candidates[0] if start.which == "first" else candidates[-1]
    restarts = [e for e in history if e.kind in commitment.restart_on and e.at > trigger.at]
    met = _first_meeting(commitment, history, trigger.at)
    restarts = [e for e in restarts if met is None or e.at < met.at]
    if restarts:
        trigger = restarts[-1]
    started = _after_cutoff(commitment.cutoff, trigger.at, calendar)
    due = _earliest_or_latest(
        commitment, [deadline(calendar, started, d, trigger) for d in durations]
    )
    if due is None:
        return f"{trigger.kind} on {trigger.at:%Y-%m-%d} states no new date"
    return Timing(
        started=started,
        due=due,
        trigger=trigger.kind,
        basis=durations[0].basis,
        length=str(commitment.within) if isinstance(commitment.within, str) else None,
    )


def _durations(commitment: Commitment) -> list[Duration]:
    within = commitment.within
    texts = [within] if isinstance(within, str) else (within.earliest or within.latest or [])
    return [parse_duration(text) for text in texts]


def _date_field_timing(
    name: str, before: bool, case: CaseFacts, durations: list[Duration], calendar: WorkCalendar
) -> Timing | str:
    value = as_date(case.fields.get(name), calendar.zone)
    if value is None:
        return f"waits for the case's {name}"
    days = durations[0].amount
    if before:
        _, due = calendar.working_days_before(value, days)
        started = case.received_at
        return Timing(
            started=started,
            due=due,
            trigger=f"{days} working days before {name}",
            basis=Basis.WORKING_DAYS,
            length=None,
        )
    noon = datetime.combine(value, time(12), tzinfo=calendar.zone)
    due = calendar.working_days_close(noon, days)
    started = datetime.combine(value, time(0), tzinfo=calendar.zone).astimezone(UTC)
    # a step taken before the date (the customer told in advance, L3) still counts
    return Timing(
        started=started,
        due=due,
        trigger=name,
        basis=Basis.WORKING_DAYS,
        length=str(durations[0]),
        counts_from=min(started, case.received_at),
    )


def _after_cutoff(cutoff: str | None, at: datetime, calendar: WorkCalendar) -> datetime:
    """With a cut-off, what arrives out of hours counts from the next working moment,
    and what arrives at or after the cut-off from the next working day (N5)."""
    if cutoff is None:
        return at
    local = at.astimezone(calendar.zone)
    if local.time() < time.fromisoformat(cutoff):
        return calendar.next_working_moment(at)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=calendar.zone)
    return calendar.next_working_moment(midnight)


def _earliest_or_latest(commitment: Commitment, dues: list[datetime | None]) -> datetime | None:
    known = [due for due in dues if due is not None]
    if not known:
        return None
    latest = not isinstance(commitment.within, str) and commitment.within.latest is not None
    return max(known) if latest else min(known)


def _counts(event: Event) -> bool:
    """A delay notice without a reason and a real date, say, keeps no promise."""
    return not event.data_problems()


def _pausing(commitment: Commitment) -> list[str]:
    """The states a clock pauses in: the charter's, and always a restricted contact's
    (no clock runs while contact is ended for abuse: A3, N7)."""
    return list(dict.fromkeys([*commitment.pause_while, "contact_restricted"]))


def _first_meeting(
    commitment: Commitment, history: list[Event], since: datetime, after: Event | None = None
) -> Event | None:
    """The first event at or after ``since`` that meets the clock (past ``after``, if given)."""
    skipping = after is not None
    for event in history:
        if skipping:
            skipping = event is not after
            continue
        if event.at >= since and event.kind in commitment.met_by and _counts(event):
            return event
    return None


def _single(
    commitment: Commitment,
    timing: Timing,
    history: list[Event],
    calendar: WorkCalendar,
    now: datetime,
) -> Clock:
    met = _first_meeting(commitment, history, timing.counts_from or timing.started)
    until = met.at if met else now
    pauses = pauses_of(_pausing(commitment), history, timing.started, until)
    if met is not None:  # a pause still open when the clock was met ended there
        pauses = [Pause(p.start, p.end, False) for p in pauses]
    due, paused_since = shifted(calendar, timing, pauses)
    due = _extended(commitment, calendar, timing, due, history)
    base = Clock(
        commitment_id=commitment.id, state=ClockState.RUNNING, reason="", started_at=timing.started
    )
    if met is not None:
        on_time = met.at <= due
        return replace(
            base,
            state=ClockState.MET if on_time else ClockState.BREACHED,
            due_at=due,
            met_at=met.at,
            reason=timing.explain(calendar, due, met=met.kind, on_time=on_time),
        )
    return _unmet(base, commitment, calendar, timing, due, paused_since, now)


def _unmet(
    base: Clock,
    commitment: Commitment,
    calendar: WorkCalendar,
    timing: Timing,
    due: datetime,
    paused_since: datetime | None,
    now: datetime,
) -> Clock:
    """A clock not (yet) met: paused, running toward its due time, or breached."""
    if paused_since is not None:
        return replace(
            base, state=ClockState.PAUSED, reason=timing.explain_pause(calendar, paused_since)
        )
    warn = _warning(commitment, calendar, timing, due)
    state = ClockState.BREACHED if now >= due else ClockState.RUNNING
    return replace(
        base, state=state, due_at=due, warn_at=warn, reason=timing.explain(calendar, due)
    )


def _extended(
    commitment: Commitment,
    calendar: WorkCalendar,
    timing: Timing,
    due: datetime,
    history: list[Event],
) -> datetime:
    """Apply granted extensions, each capped by the charter, at most ``times`` of them."""
    rule = commitment.extension
    if rule is None:
        return due
    cap = parse_duration(rule.max)
    granted = [e for e in history if e.kind == "extension_granted" and e.at >= timing.started]
    for event in granted[: rule.times]:
        if rule.reason_required and not event.data.get("reason"):
            continue
        try:
            asked = parse_duration(str(event.data.get("by", "")))
        except ValueError:
            continue
        same_kind = asked.basis == cap.basis and asked.unit == cap.unit
        by = asked if same_kind and asked.amount <= cap.amount else cap
        due = deadline(calendar, due, by, event) or due
    return due


def _warning(
    commitment: Commitment, calendar: WorkCalendar, timing: Timing, due: datetime
) -> datetime | None:
    if commitment.warn is None:
        return None
    if commitment.warn.strip().endswith("%"):
        share = parse_share(commitment.warn)
        if timing.basis == Basis.ELAPSED:
            return timing.started + (due - timing.started) * share
        total = calendar.working_between(timing.started, due)
        return calendar.add_working(timing.started, total * share)
    ahead = parse_duration(commitment.warn)
    if ahead.basis == Basis.ELAPSED:
        return due - ahead.span
    if ahead.basis == Basis.WORKING_TIME:
        return calendar.add_working(due, -ahead.span)
    _, close = calendar.working_days_before(due.astimezone(calendar.zone).date(), ahead.amount)
    return close


def _repeating(
    commitment: Commitment,
    timing: Timing,
    history: list[Event],
    calendar: WorkCalendar,
    now: datetime,
) -> Clock:
    """'An update every 4 weeks until resolved': each update starts the next cycle."""
    assert commitment.repeat is not None
    every = parse_duration(commitment.repeat.every)
    end = next(
        (e for e in history if e.kind in commitment.repeat.until and e.at >= timing.started), None
    )
    horizon = end.at if end else now
    cycle, missed, current, previous = 1, 0, timing, None
    while True:
        met = _first_meeting(commitment, history, current.started, after=previous)
        if met is not None and met.at > horizon:
            met = None
        due, paused_since = shifted(
            calendar,
            current,
            pauses_of(_pausing(commitment), history, current.started, met.at if met else horizon),
        )
        if met is None:
            break
        missed += met.at > due
        cycle, previous = cycle + 1, met
        next_due = deadline(calendar, met.at, every, met) or met.at
        current = Timing(
            started=met.at,
            due=next_due,
            trigger=met.kind,
            basis=every.basis,
            length=commitment.repeat.every,
        )
    base = Clock(
        commitment_id=commitment.id,
        state=ClockState.RUNNING,
        reason="",
        started_at=current.started,
        cycle=cycle,
        missed_cycles=missed,
    )
    if end is not None:
        missed += due < end.at
        state = ClockState.MET if missed == 0 else ClockState.BREACHED
        return replace(
            base,
            missed_cycles=missed,
            state=state,
            met_at=end.at,
            reason=f"ended by {end.kind}; {missed} of {cycle} cycles late",
        )
    return _unmet(base, commitment, calendar, current, due, paused_since, now)
