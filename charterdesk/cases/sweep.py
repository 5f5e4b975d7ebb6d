"""The worker's clock sweep: warn before a promise is broken, act when it is.

One claim-check-act-commit loop. Due clocks are claimed with
``SELECT ... FOR UPDATE SKIP LOCKED`` (several workers on PostgreSQL share the work;
SQLite's IMMEDIATE transactions let one writer at a time in). Each clock is evaluated
again from events before anything is done, and every action goes to the outbox with
an idempotency key, so a warning or a breach action happens once, whoever sweeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet

from charterdesk.cases.charters import parsed
from charterdesk.cases.clock_index import refresh_clocks
from charterdesk.cases.models import Clock, OutboxMessage
from charterdesk.core.clocks import ClockState


@dataclass(frozen=True, slots=True)
class SweepResult:
    warnings: int = 0
    breaches: int = 0


def _claim(query: QuerySet[Clock], limit: int, now: datetime) -> list[Clock]:
    """Lock up to ``limit`` due clocks, evaluate each of their cases once from events,
    and return the clocks as they now stand."""
    rows = query.select_related("case", "case__charter").order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    claimed = list(rows[:limit])
    cases = {clock.case_id: clock.case for clock in claimed}
    for case in cases.values():
        refresh_clocks(case, now)
    fresh = Clock.objects.select_related("case", "case__charter").in_bulk(
        [clock.pk for clock in claimed]
    )
    return [fresh[clock.pk] for clock in claimed]


def sweep(now: datetime, limit: int = 500) -> SweepResult:
    """Handle up to ``limit`` due warnings and ``limit`` due breaches, in one transaction."""
    with transaction.atomic():
        warned = _warn(now, limit)
        breached = _breach(now, limit)
    return SweepResult(warnings=warned, breaches=breached)


def _warn(now: datetime, limit: int) -> int:
    due = Clock.objects.filter(
        state=ClockState.RUNNING.value, warn_at__lte=now, warned_at__isnull=True
    )
    done = 0
    for clock in _claim(due, limit, now):
        if clock.state == ClockState.RUNNING.value and clock.warn_at and clock.warn_at <= now:
            done += _queue(
                clock,
                f"warn:{clock.pk}:{clock.cycle}:{clock.due_at.isoformat() if clock.due_at else ''}",
                {"action": "warn", "to": "assignee"},
                now,
            )
        Clock.objects.filter(pk=clock.pk).update(warned_at=now)
    return done


def _breach(now: datetime, limit: int) -> int:
    due = Clock.objects.filter(
        Q(state=ClockState.RUNNING.value, due_at__lte=now) | Q(state=ClockState.BREACHED.value),
        breach_handled_at__isnull=True,
    )
    done = 0
    for clock in _claim(due, limit, now):
        if clock.state == ClockState.BREACHED.value and clock.met_at is None:
            commitment = parsed(clock.case.charter).charter.commitment(clock.commitment)
            actions = [a.model_dump(exclude_none=True) for a in commitment.on_breach]
            for index, action in enumerate(actions or [{"notify": "assignee"}]):
                ((kind, target),) = action.items()
                key = f"breach:{clock.pk}:{clock.cycle}:{index}"
                done += _queue(clock, key, {"action": kind, "to": target}, now)
        if clock.state in (ClockState.BREACHED.value, ClockState.MET.value):
            Clock.objects.filter(pk=clock.pk).update(breach_handled_at=now)
    return done


def _queue(clock: Clock, key: str, what: dict[str, str], now: datetime) -> int:
    """One outbox row per effect; a key already queued means it was done before."""
    payload = {
        **what,
        "case": clock.case.reference,
        "commitment": clock.commitment,
        "due_at": clock.due_at.isoformat() if clock.due_at else None,
    }
    try:
        with transaction.atomic():
            OutboxMessage.objects.create(
                organization_id=clock.organization_id,
                case_id=clock.case_id,
                kind="notification",
                key=key,
                payload=payload,
                next_attempt_at=now,
            )
    except IntegrityError:
        return 0
    return 1
