"""A clock given a new due time or a new cycle is watched again: the worker's stamps were
for the old one, so it is warned before the new due time and acted on if it passes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from charterdesk.cases.models import Clock, OutboxMessage
from charterdesk.cases.sweep import sweep
from tests.helpers import utc

from .conftest import arrived, happened

pytestmark = pytest.mark.django_db


def actions_on(clock: Clock, kind: str) -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(key__startswith=f"{kind}:{clock.pk}:").values_list(
            "key", flat=True
        )
    )


def test_T18_each_cycle_of_keeping_informed_is_escalated_when_missed(lt_pro) -> None:
    case = arrived(lt_pro, "complaint", "web_form", utc(2026, 2, 2, 7))
    happened(case, "acknowledged", utc(2026, 2, 2, 8))  # cycle 1: due Mon 16 Feb 16:00 UTC
    informed = Clock.objects.get(case=case, commitment="complaint-kept-informed")
    assert (informed.cycle, informed.due_at) == (1, utc(2026, 2, 16, 16))
    sweep(utc(2026, 2, 17, 9))  # missed: acted on
    assert len(actions_on(informed, "breach")) == 1
    happened(case, "update_sent", utc(2026, 2, 18, 9))  # late; cycle 2 begins
    informed.refresh_from_db()
    assert (informed.state, informed.cycle, informed.missed_cycles) == ("running", 2, 1)
    assert (informed.warned_at, informed.breach_handled_at) == (None, None)
    assert informed.due_at is not None
    if informed.warn_at is not None:
        assert sweep(informed.warn_at + timedelta(minutes=1)).warnings >= 1
        assert len(actions_on(informed, "warn")) >= 1
    sweep(informed.due_at + timedelta(hours=1))  # cycle 2 missed too: acted on again
    assert len(actions_on(informed, "breach")) == 2
    sweep(informed.due_at + timedelta(hours=2))
    assert len(actions_on(informed, "breach")) == 2  # once per cycle


def test_L4_a_second_new_date_is_watched_like_the_first(leviatan) -> None:
    case = arrived(leviatan, "enquiry", "letter", utc(2026, 11, 23, 9))
    happened(case, "delay_notice_sent", utc(2026, 11, 26, 9), reason="late", new_date="2026-12-04")
    kept = Clock.objects.get(case=case, commitment="new-date-kept")
    first_due = kept.due_at
    assert first_due is not None
    sweep(first_due + timedelta(hours=1))  # the date given passed: acted on
    assert len(actions_on(kept, "breach")) == 1
    happened(case, "delay_notice_sent", utc(2026, 12, 7, 9), reason="later", new_date="2026-12-18")
    kept.refresh_from_db()
    assert kept.state == "running"
    assert kept.due_at is not None
    assert kept.due_at > first_due
    assert kept.breach_handled_at is None  # its stamp was for the first date
    sweep(kept.due_at + timedelta(hours=1))  # the second date passed too: acted on again
    assert len(actions_on(kept, "breach")) == 2
