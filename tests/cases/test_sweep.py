"""The worker's sweep: a warning and each breach action happen once, whoever sweeps."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from charterdesk.cases.models import Clock, OutboxMessage
from charterdesk.cases.sweep import sweep
from tests.helpers import utc

from .conftest import arrived, happened

pytestmark = pytest.mark.django_db


def test_A10_breach_escalates_once_and_warns_once_before(ask4) -> None:
    case = arrived(ask4, "complaint", "web_form", utc(2026, 11, 23, 9))
    happened(case, "acknowledged", utc(2026, 11, 23, 10))
    happened(case, "update_sent", utc(2026, 11, 24, 10))
    a10 = Clock.objects.get(case=case, commitment="complaint-formal-response")
    # day 0 Tue 24 Nov; 7th working day after is Thu 3 Dec (close 17:30 GMT); warned 2 before
    assert a10.due_at == utc(2026, 12, 3, 17, 30)
    assert a10.warn_at == utc(2026, 12, 1, 17, 30)
    assert sweep(utc(2026, 11, 30, 9)).warnings == 0  # nothing is due yet (A8 was met)
    assert sweep(utc(2026, 12, 2, 9)).warnings == 1
    assert sweep(utc(2026, 12, 2, 10)).warnings == 0  # never twice
    first = sweep(utc(2026, 12, 3, 17, 31))
    again = sweep(utc(2026, 12, 3, 18))
    assert (first.breaches, again.breaches) == (2, 0)  # escalate: supervisor, notify: owner
    actions = sorted(
        (o.payload["action"], o.payload["to"])
        for o in OutboxMessage.objects.all()
        if o.key.startswith("breach:")
    )
    assert actions == [("escalate", "supervisor"), ("notify", "owner")]


def test_a_clock_met_in_time_but_indexed_as_due_fires_nothing(ask4) -> None:
    case = arrived(ask4, "complaint", "web_form", utc(2026, 11, 23, 9))
    happened(case, "acknowledged", utc(2026, 11, 23, 10))
    # the index row says running past due (say the process died before refreshing it)
    Clock.objects.filter(case=case, commitment="complaint-receipt").update(
        state="running", due_at=utc(2026, 11, 24, 9)
    )
    assert sweep(utc(2026, 11, 25, 9)).breaches == 0
    assert Clock.objects.get(case=case, commitment="complaint-receipt").state == "met"


def test_run_worker_once(ask4, capsys) -> None:
    arrived(ask4, "complaint", "web_form", utc(2026, 11, 2, 9))
    call_command("run_worker", "--once")  # A8 (24 hours) is long past: it breached
    assert "breach actions" in capsys.readouterr().out
    assert OutboxMessage.objects.filter(key__startswith="breach:").count() == 1


def test_a_breach_already_met_late_is_marked_handled_without_an_action(ask4) -> None:
    case = arrived(ask4, "complaint", "web_form", utc(2026, 11, 23, 9))
    happened(case, "acknowledged", utc(2026, 11, 26, 10))  # A8 (24 hours) kept late
    a8 = Clock.objects.get(case=case, commitment="complaint-receipt")
    assert (a8.state, a8.met_at, a8.breach_handled_at) == ("breached", utc(2026, 11, 26, 10), None)
    swept = sweep(utc(2026, 11, 26, 11))
    a8.refresh_from_db()
    assert swept.settled == 1
    assert a8.breach_handled_at == utc(2026, 11, 26, 11)
    assert not OutboxMessage.objects.filter(key__startswith=f"breach:{a8.pk}:").exists()
    assert sweep(utc(2026, 11, 26, 12)).handled == 0  # never twice
