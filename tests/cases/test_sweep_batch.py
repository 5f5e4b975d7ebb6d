"""The sweep works a batch at a time: a fixed number of queries whatever the batch, each
due clock handled once however many sweeps it takes, and the case index kept right."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from charterdesk.cases.clock_index import refresh_clocks
from charterdesk.cases.models import Case, Clock, Event, Organization, OutboxMessage
from charterdesk.cases.sweep import sweep
from tests.helpers import utc

from .conftest import arrived

pytestmark = pytest.mark.django_db
RECEIVED = utc(2026, 11, 23, 9)
NOW = utc(2026, 12, 1, 12)


def due_receipts(org: Organization, count: int, first: int = 1) -> None:
    """``count`` complaints whose A8 receipt clock (24 hours) is indexed as running but
    long past due, as if the worker had been stopped for a week."""
    cases = Case.objects.bulk_create(
        Case(
            organization=org,
            reference=f"ASK-2026-{n:06d}",
            charter=org.charter,
            case_type="complaint",
            channel="letter",
            language="pl",
            received_at=RECEIVED,
        )
        for n in range(first, first + count)
    )
    Event.objects.bulk_create(
        Event(organization=org, case=case, kind="received", at=RECEIVED) for case in cases
    )
    Clock.objects.bulk_create(
        Clock(
            organization=org,
            case=case,
            commitment="complaint-receipt",
            state="running",
            due_at=RECEIVED + timedelta(hours=24),
            warn_at=RECEIVED + timedelta(hours=19),
            reason="",
        )
        for case in cases
    )


def queries_of_a_sweep(limit: int = 500) -> int:
    with CaptureQueriesContext(connection) as captured:
        result = sweep(NOW, limit=limit)
    assert result.clocks
    return len(captured)


def test_a_sweep_takes_the_same_queries_for_ten_clocks_as_for_eighty(ask4) -> None:
    # (past 80 or so, SQLite's limit on query parameters splits the outbox insert)
    due_receipts(ask4, 10)
    few = queries_of_a_sweep()
    due_receipts(ask4, 80, first=11)
    assert queries_of_a_sweep() == few


def test_a_backlog_bigger_than_a_sweep_is_handled_over_several_each_clock_once(ask4) -> None:
    due_receipts(ask4, 250)
    results = [sweep(NOW, limit=100) for _ in range(4)]
    # each clock is due for its warning and for its breach: claimed for both, checked once
    assert [r.clocks for r in results] == [100, 100, 50, 0]
    assert sum(r.breaches for r in results) == 250  # A8 has no on_breach: notify assignee
    assert sum(r.warnings for r in results) == 0  # already breached when looked at again
    keys = OutboxMessage.objects.filter(key__startswith="breach:").values_list("key", flat=True)
    assert len(keys) == len(set(keys)) == 250
    assert not Clock.objects.filter(state="running").exists()
    assert not Clock.objects.filter(warned_at=None).exists()


def test_the_sweep_keeps_the_cases_next_due_time_as_a_full_refresh_would(leviatan) -> None:
    # an email without an address to acknowledge to: L5 (48 hours), L6 (2 working days)
    # and L4 (5 days) all run; L5 runs out first
    case = arrived(leviatan, "enquiry", "email", utc(2026, 11, 23, 9))
    running = dict(
        Clock.objects.filter(case=case, state="running").values_list("commitment", "due_at")
    )
    assert set(running) == {"email-acknowledged", "email-answered", "delay-explained"}
    assert running["email-acknowledged"] == min(running.values())
    now = running["email-acknowledged"] + timedelta(minutes=1)
    assert sweep(now).breaches == 1
    # the broken promise, unkept, still leads: the case stays on top of the queue
    case.refresh_from_db()
    assert case.next_due_at == running["email-acknowledged"]
    assert refresh_clocks(case, now) == []  # nothing the sweep left needs to move
    case.refresh_from_db()
    assert case.next_due_at == running["email-acknowledged"]
