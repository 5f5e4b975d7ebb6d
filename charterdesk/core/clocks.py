"""Clock evaluation: one commitment applied to one case, as a pure function.

``evaluate(commitment, case, events, calendar, now)`` gives the clock's state,
its due and warning instants and a plain-language reason (in English, and in parts:
:class:`~charterdesk.core.clock_why.Why`). Nothing is stored:
the same inputs always give the same clock, so clocks can be rebuilt from events
at any time (DESIGN.md principle 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum

from charterdesk.core.calendar import WorkCalendar
from charterdesk.core.charter import Commitment
from charterdesk.core.clock_applies import why_not_applicable
from charterdesk.core.clock_history import History, history_at
from charterdesk.core.clock_plan import Plan, parse_duration, plan_of
from charterdesk.core.clock_timing import Pause, Timing, deadline, pauses_of, shifted
from charterdesk.core.clock_why import (
    COUNTED,
    Why,
    WhyKind,
    after_event,
    counted,
    cycles,
    ended,
    english,
    start_of,
    waiting,
)
from charterdesk.core.durations import Basis
from charterdesk.core.events import BUILTIN_EVENTS, STATES, CaseFacts, Event, as_date


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
    #: The reason in parts (:attr:`why`), shared: without the instants and numbers the
    #: clock's own fields give. Last, for clocks pickled before it; not compared:
    #: ``reason`` is its text.
    explained: Why = field(compare=False)

    @property
    def met_late(self) -> bool:
        return self.met_at is not None and self.due_at is not None and self.met_at > self.due_at

    @property
    def why(self) -> Why:
        """The reason in parts, for reading in other languages (:mod:`clock_why`)."""
        why = self.explained
        if why.kind in COUNTED:
            return replace(why, at=self.due_at, since=self.started_at)
        if why.kind == WhyKind.CYCLES:
            return replace(why, missed=self.missed_cycles, cycles=self.cycle)
        return why


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
    received = case.received_at
    if received.tzinfo is not UTC:
        received = received.astimezone(UTC)
    plan = plan_of(commitment)
    refused = why_not_applicable(commitment, plan, case, received, calendar)
    if refused is not None:
        why, reason = refused
        return _timeless(commitment.id, ClockState.NOT_APPLICABLE, why, reason)
    history = history_at(received, events, now)
    timing = _timing(commitment, plan, case, received, history, calendar)
    if isinstance(timing, Why):
        if timing.kind == WhyKind.NO_NEW_DATE:  # names an instant: shared by no other case
            reason = english(timing, calendar)
            return Clock(
                commitment_id=commitment.id,
                state=ClockState.PENDING,
                reason=reason,
                explained=timing,
            )
        return _pending(commitment.id, timing, calendar)
    if plan.repeat_every is not None:
        return _repeating(commitment, plan, timing, history, calendar, now)
    return _single(commitment, plan, timing, history, calendar, now)


def _timeless(commitment_id: str, state: ClockState, why: Why, reason: str) -> Clock:
    """A clock without times (not applicable, not started). Many cases share one: a
    Clock is immutable, and finding it costs less than making it. (Kept by its reason's
    text: a reason without times says all its Why does.)"""
    key = (commitment_id, state, reason)
    clock = _TIMELESS.get(key)
    if clock is None:
        if len(_TIMELESS) >= _MAX_TIMELESS:
            _TIMELESS.clear()
        clock = Clock(commitment_id=commitment_id, state=state, reason=reason, explained=why)
        _TIMELESS[key] = clock
    return clock


_TIMELESS: dict[tuple[str, ClockState, str], Clock] = {}
_MAX_TIMELESS = 4096


def _pending(commitment_id: str, why: Why, calendar: WorkCalendar) -> Clock:
    """The shared clock of a commitment not started for this reason (a shared Why)."""
    key = (commitment_id, why.kind, why.event, why.field)
    clock = _PENDING.get(key)
    if clock is None:
        if len(_PENDING) >= _MAX_TIMELESS:
            _PENDING.clear()
        reason = english(why, calendar)
        clock = _timeless(commitment_id, ClockState.PENDING, why, reason)
        _PENDING[key] = clock
    return clock


_PENDING: dict[tuple[str, WhyKind, str, str], Clock] = {}


def _timing(
    commitment: Commitment,
    plan: Plan,
    case: CaseFacts,
    received: datetime,
    history: History,
    calendar: WorkCalendar,
) -> Timing | Why:
    """When the clock started and when it falls due, or why it has not started."""
    if plan.date_field:
        return _date_field_timing(plan, case, received, calendar)
    start = commitment.starts
    if start.event not in history.kinds:
        return waiting(WhyKind.STARTS_WHEN, event=str(start.event))
    trigger = _trigger(history, start.event, start.which == "first")
    if not plan.restart_on.isdisjoint(history.kinds):
        restarts = [e for e in history.events if e.kind in plan.restart_on and e.at > trigger.at]
        met = _first_meeting(plan, history, trigger.at)
        restarts = [e for e in restarts if met is None or e.at < met.at]
        if restarts:
            trigger = restarts[-1]
    started = _after_cutoff(commitment.cutoff, trigger.at, calendar)
    due = _due(plan, calendar, started, trigger)
    if due is None:
        return Why(kind=WhyKind.NO_NEW_DATE, at=trigger.at, event=trigger.kind)
    length = plan.length
    rule = plan.durations[0] if length is not None else None
    return Timing(
        started=started,
        due=due,
        basis=plan.durations[0].basis,
        start=after_event(trigger.kind, rule, length or ""),
    )


def _trigger(history: History, kind: str, first: bool) -> Event:
    """The first (or last) event of ``kind``; there is one."""
    for event in history.events if first else reversed(history.events):
        if event.kind == kind:
            return event
    raise ValueError(f"no {kind} event")  # _timing asks only for a kind that happened


def _date_field_timing(
    plan: Plan, case: CaseFacts, received: datetime, calendar: WorkCalendar
) -> Timing | Why:
    name = plan.date_field
    value = as_date(case.fields.get(name), calendar.zone)
    if value is None:
        return waiting(WhyKind.WAITS_FOR_DATE, field=name)
    rule = plan.durations[0]
    if plan.before_date:
        _, due = calendar.working_days_before(value, rule.amount)
        return Timing(
            started=received,
            due=due,
            basis=Basis.WORKING_DAYS,
            start=start_of("", name, rule, True, str(rule)),
        )
    noon = datetime.combine(value, time(12), tzinfo=calendar.zone)
    due = calendar.working_days_close(noon, rule.amount)
    started = datetime.combine(value, time(0), tzinfo=calendar.zone).astimezone(UTC)
    # a step taken before the date (the customer told in advance, L3) still counts
    return Timing(
        started=started,
        due=due,
        basis=Basis.WORKING_DAYS,
        start=start_of("", name, rule, False, str(rule)),
        counts_from=min(started, received),
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


def _due(plan: Plan, calendar: WorkCalendar, started: datetime, trigger: Event) -> datetime | None:
    """The deadline of the plan's limit, or the earliest (latest) of its several limits."""
    if len(plan.durations) == 1:  # most commitments: no list to make
        return deadline(calendar, started, plan.durations[0], trigger)
    dues = [deadline(calendar, started, d, trigger) for d in plan.durations]
    known = [due for due in dues if due is not None]
    if not known:
        return None
    return max(known) if plan.latest else min(known)


def _counts(event: Event) -> bool:
    """A delay notice without a reason and a real date, say, keeps no promise. (Most
    kinds need no data, so nothing can be wrong with them: asked first, for speed.)"""
    return not BUILTIN_EVENTS.get(event.kind) or not event.data_problems()


def _first_meeting(
    plan: Plan, history: History, since: datetime, after: Event | None = None
) -> Event | None:
    """The first event at or after ``since`` that meets the clock (past ``after``, if given)."""
    if plan.met_by.isdisjoint(history.kinds):
        return None
    skipping = after is not None
    for event in history.events:
        if skipping:
            skipping = event is not after
            continue
        if event.at >= since and event.kind in plan.met_by and _counts(event):
            return event
    return None


def _pauses(plan: Plan, history: History, start: datetime, until: datetime) -> list[Pause]:
    """:func:`pauses_of` the plan's states; none without an event that enters one."""
    entries = plan.pause_entries
    if entries is not None and entries.isdisjoint(history.kinds):
        return []
    return pauses_of(plan.pausing, history.events, start, until)


def _single(
    commitment: Commitment,
    plan: Plan,
    timing: Timing,
    history: History,
    calendar: WorkCalendar,
    now: datetime,
) -> Clock:
    met = _first_meeting(plan, history, timing.counts_from or timing.started)
    until = met.at if met else now
    pauses = _pauses(plan, history, timing.started, until)
    if met is not None:  # a pause still open when the clock was met ended there
        pauses = [Pause(p.start, p.end, False, p.state) for p in pauses]
    due, paused = shifted(calendar, timing, pauses)
    due = _extended(commitment, plan, calendar, timing, due, history)
    if met is not None:
        on_time = met.at <= due
        why = timing.start.why(WhyKind.MET if on_time else WhyKind.MET_LATE, met.kind)
        return Clock(
            commitment_id=commitment.id,
            state=ClockState.MET if on_time else ClockState.BREACHED,
            reason=counted(why, due, timing.started, calendar),
            started_at=timing.started,
            due_at=due,
            met_at=met.at,
            explained=why,
        )
    return _unmet(commitment.id, plan, calendar, timing, due, paused, now)


def _unmet(
    commitment_id: str,
    plan: Plan,
    calendar: WorkCalendar,
    timing: Timing,
    due: datetime,
    paused: Pause | None,
    now: datetime,
    *,
    cycle: int = 1,
    missed: int = 0,
) -> Clock:
    """A clock not (yet) met: paused, running toward its due time, or breached."""
    if paused is not None:  # (few clocks: a Why each) what holds it: its state's event
        why = Why(kind=WhyKind.PAUSED, at=paused.start, event=STATES[paused.state][0])
        return Clock(
            commitment_id=commitment_id,
            state=ClockState.PAUSED,
            reason=english(why, calendar),
            started_at=timing.started,
            cycle=cycle,
            missed_cycles=missed,
            explained=why,
        )
    why = timing.start.why(WhyKind.DUE)
    return Clock(
        commitment_id=commitment_id,
        state=ClockState.BREACHED if now >= due else ClockState.RUNNING,
        reason=counted(why, due, timing.started, calendar),
        started_at=timing.started,
        due_at=due,
        warn_at=_warning(plan, calendar, timing, due),
        cycle=cycle,
        missed_cycles=missed,
        explained=why,
    )


def _extended(
    commitment: Commitment,
    plan: Plan,
    calendar: WorkCalendar,
    timing: Timing,
    due: datetime,
    history: History,
) -> datetime:
    """Apply granted extensions, each capped by the charter, at most ``times`` of them."""
    rule, cap = commitment.extension, plan.extension_cap
    if rule is None or cap is None or "extension_granted" not in history.kinds:
        return due
    granted = [
        e for e in history.events if e.kind == "extension_granted" and e.at >= timing.started
    ]
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


def _warning(plan: Plan, calendar: WorkCalendar, timing: Timing, due: datetime) -> datetime | None:
    share = plan.warn_share
    if share is not None:
        if timing.basis == Basis.ELAPSED:
            return timing.started + (due - timing.started) * share
        total = calendar.working_between(timing.started, due)
        return calendar.add_working(timing.started, total * share)
    ahead = plan.warn_ahead
    if ahead is None:
        return None
    if ahead.basis == Basis.ELAPSED:
        return due - ahead.span
    if ahead.basis == Basis.WORKING_TIME:
        return calendar.add_working(due, -ahead.span)
    _, close = calendar.working_days_before(due.astimezone(calendar.zone).date(), ahead.amount)
    return close


def _repeating(
    commitment: Commitment,
    plan: Plan,
    timing: Timing,
    history: History,
    calendar: WorkCalendar,
    now: datetime,
) -> Clock:
    """'An update every 4 weeks until resolved': each update starts the next cycle."""
    assert commitment.repeat is not None
    assert plan.repeat_every is not None
    every, until = plan.repeat_every, commitment.repeat.until
    end = next((e for e in history.events if e.kind in until and e.at >= timing.started), None)
    horizon = end.at if end else now
    cycle, missed, current, previous = 1, 0, timing, None
    while True:
        met = _first_meeting(plan, history, current.started, after=previous)
        if met is not None and met.at > horizon:
            met = None
        pauses = _pauses(plan, history, current.started, met.at if met else horizon)
        due, paused = shifted(calendar, current, pauses)
        if met is None:
            break
        missed += met.at > due
        cycle, previous = cycle + 1, met
        next_due = deadline(calendar, met.at, every, met) or met.at
        current = Timing(
            started=met.at,
            due=next_due,
            basis=every.basis,
            start=after_event(met.kind, every, commitment.repeat.every),
        )
    if end is not None:
        missed += due < end.at
        why = ended(end.kind)
        return Clock(
            commitment_id=commitment.id,
            state=ClockState.MET if missed == 0 else ClockState.BREACHED,
            reason=cycles(why, missed, cycle),
            started_at=current.started,
            met_at=end.at,
            cycle=cycle,
            missed_cycles=missed,
            explained=why,
        )
    return _unmet(
        commitment.id, plan, calendar, current, due, paused, now, cycle=cycle, missed=missed
    )
