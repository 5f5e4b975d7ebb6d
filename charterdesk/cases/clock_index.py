"""Keeping the Clock index rows in step with a case's events.

A clock's state is a pure function of (commitment, case facts, events, calendar,
now): this module feeds the stored case to :func:`charterdesk.core.clocks.evaluate`
and writes what comes out, so the rows can always be rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from charterdesk.cases.charters import parsed
from charterdesk.cases.models import Case, Clock
from charterdesk.cases.models import Event as StoredEvent
from charterdesk.core.clocks import ClockState, evaluate
from charterdesk.core.events import CaseFacts, Event

RUNNING = (ClockState.RUNNING.value, ClockState.PAUSED.value, ClockState.PENDING.value)


@dataclass(frozen=True, slots=True)
class Moved:
    """A clock whose state or due time changed in a refresh."""

    case: str
    commitment: str
    before: tuple[str, datetime | None] | None
    after: tuple[str, datetime | None]


def facts_of(case: Case) -> CaseFacts:
    return CaseFacts(
        case_type=case.case_type,
        channel=case.channel,
        received_at=case.received_at,
        language=case.language,
        fields=case.fields,
    )


def events_of(case: Case) -> list[Event]:
    stored = StoredEvent.objects.filter(case=case).order_by("at", "pk")
    return [Event(kind=e.kind, at=e.at, data=e.data) for e in stored]


def refresh_clocks(case: Case, now: datetime) -> list[Moved]:
    """Evaluate every commitment of the case's charter and store the results."""
    charter = parsed(case.charter)
    facts, events = facts_of(case), events_of(case)
    existing = {clock.commitment: clock for clock in Clock.objects.filter(case=case)}
    moved, changed, created = [], [], []
    for commitment in charter.charter.commitments:
        result = evaluate(commitment, facts, events, charter.calendar_for(commitment.id), now)
        row = existing.get(commitment.id)
        before = (row.state, row.due_at) if row else None
        values = {
            "state": result.state.value,
            "started_at": result.started_at,
            "due_at": result.due_at,
            "warn_at": result.warn_at,
            "met_at": result.met_at,
            "reason": result.reason[:500],
            "cycle": result.cycle,
            "missed_cycles": result.missed_cycles,
        }
        if row is None:
            row = Clock(
                organization_id=case.organization_id, case=case, commitment=commitment.id, **values
            )
            created.append(row)
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
        if before != (row.state, row.due_at):
            moved.append(Moved(case.reference, commitment.id, before, (row.state, row.due_at)))
    Clock.objects.bulk_create(created)
    if changed:
        Clock.objects.bulk_update(changed, [*values])
    _set_next_due(case, [*existing.values(), *created])
    return moved


def _set_next_due(case: Case, clocks: list[Clock]) -> None:
    dues = [c.due_at for c in clocks if c.state == ClockState.RUNNING.value and c.due_at]
    next_due = min(dues) if dues else None
    if case.next_due_at != next_due:
        case.next_due_at = next_due
        Case.objects.filter(pk=case.pk).update(next_due_at=next_due)
