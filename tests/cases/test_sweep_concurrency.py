"""Four workers on PostgreSQL sweep 10,000 breached clocks: each action happens once."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from charterdesk.cases.models import Case, Clock, Event, OutboxMessage
from charterdesk.cases.sweep import sweep
from tests.helpers import utc

CLOCKS = 10_000
WORKERS = 4
NOW = utc(2026, 12, 1, 12)


@pytest.mark.django_db(transaction=True)
def test_four_workers_fire_each_breach_action_exactly_once(ask4) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("several workers share a sweep only on PostgreSQL (SKIP LOCKED)")
    received = utc(2026, 11, 23, 9)
    cases = Case.objects.bulk_create(
        Case(
            organization=ask4,
            reference=f"ASK-2026-{n:06d}",
            charter=ask4.charter,
            case_type="complaint",
            channel="web_form",
            language="pl",
            received_at=received,
        )
        for n in range(1, CLOCKS + 1)
    )
    Event.objects.bulk_create(
        Event(organization=ask4, case=case, kind="received", at=received) for case in cases
    )
    # A8 (24 hours, no on_breach actions: one "notify assignee") is breached on every case
    Clock.objects.bulk_create(
        Clock(
            organization=ask4,
            case=case,
            commitment="complaint-receipt",
            state="running",
            due_at=utc(2026, 11, 24, 9),
            reason="",
        )
        for case in cases
    )
    performed: Counter[int] = Counter()

    def work(worker: int) -> None:
        try:
            while (result := sweep(NOW, limit=200)).breaches or result.warnings:
                performed[worker] += result.breaches
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(performed.values()) == CLOCKS  # no action counted by two workers
    assert len([n for n in performed.values() if n]) > 1  # the work was shared
    keys = OutboxMessage.objects.filter(key__startswith="breach:").values_list("key", flat=True)
    assert len(set(keys)) == CLOCKS
    assert not Clock.objects.filter(
        commitment="complaint-receipt", breach_handled_at__isnull=True
    ).exists()
