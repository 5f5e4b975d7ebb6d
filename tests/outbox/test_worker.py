"""The worker command's loop, and the background task that sends a mail right after the
transaction that queued it commits."""

from __future__ import annotations

import signal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from charterdesk.cases.management.commands import run_worker
from charterdesk.cases.models import Contact, Event, OutboxMessage
from charterdesk.cases.services import open_case, record_event
from charterdesk.outbox.retries import SendResult
from tests.helpers import utc

pytestmark = pytest.mark.django_db


def test_one_pass_sweeps_covers_and_sends_and_says_what_it_did(
    ask4, sink, capsys, monkeypatch
) -> None:
    arrived = utc(2026, 11, 23, 9)
    contact = Contact.objects.create(organization=ask4, email="ola@customer.test")
    case = open_case(
        ask4,
        case_type="complaint",
        channel="web_form",
        received_at=arrived,
        now=arrived,
        contact=contact,
    )
    for kind, at in (
        ("acknowledged", utc(2026, 11, 23, 10)),
        ("update_sent", utc(2026, 11, 24, 10)),
    ):
        record_event(case, kind, at=at, now=at)
    # the pass reads the time once, at its start: A10 was due at 17:30 on 3 December
    monkeypatch.setattr(run_worker, "timezone", SimpleNamespace(now=lambda: utc(2026, 12, 4, 9)))
    call_command("run_worker", "--once")
    line = capsys.readouterr().out.strip()
    assert line.startswith(
        "2026-12-04 09:00:00Z 0 warnings, 2 breach actions, 0 covered, 0 surveys;"
    )
    # the acknowledgement and the two breach actions (nobody on the staff has an address)
    assert "outbox 3 sent, 0 retried, 0 failed" in line
    assert [mail["To"] for mail in sink.messages] == ["ola@customer.test"]
    assert Event.objects.filter(case=case, kind="escalated").count() == 1


def test_sigterm_lets_the_pass_finish_then_stops(db, monkeypatch, capsys) -> None:
    passes = []

    def send_due_then_terminated(now: Any, limit: int) -> SendResult:
        passes.append(now)
        signal.raise_signal(signal.SIGTERM)  # as `kill` would, in the middle of a pass
        return SendResult()

    monkeypatch.setattr(run_worker, "send_due", send_due_then_terminated)
    before = signal.getsignal(signal.SIGTERM)
    call_command("run_worker", "--interval", "3600")  # returns without waiting the hour
    assert len(passes) == 1
    out = capsys.readouterr().out
    assert out.rstrip().endswith("worker stopped")
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_mail_is_sent_as_soon_as_its_transaction_commits(
    ask4, sink, django_capture_on_commit_callbacks, settings
) -> None:
    # the task itself, run where it is enqueued (the database backend's queue is below)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    now = timezone.now()
    contact = Contact.objects.create(organization=ask4, email="ola@customer.test")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case = open_case(
            ask4,
            case_type="complaint",
            channel="web_form",
            received_at=now,
            now=now,
            contact=contact,
        )
    assert len(callbacks) == 1  # send_outbox_now, enqueued after the commit
    (row,) = OutboxMessage.objects.filter(case=case, kind="mail")
    assert row.status == "sent"
    assert [mail["To"] for mail in sink.messages] == ["ola@customer.test"]


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_queued_tasks_from_the_database(sink) -> None:
    from django_tasks_db.models import DBTaskResult

    from charterdesk.outbox.task_queue import run_ready_tasks
    from tests.seeds import install

    ask4 = install("ask4")
    now = timezone.now()
    contact = Contact.objects.create(organization=ask4, email="ola@customer.test")
    case = open_case(
        ask4, case_type="complaint", channel="web_form", received_at=now, now=now, contact=contact
    )
    assert DBTaskResult.objects.count() == 1  # the send, waiting for the worker
    (row,) = OutboxMessage.objects.filter(case=case, kind="mail")
    assert row.status == "pending"
    assert run_ready_tasks(10) == 1
    row.refresh_from_db()
    assert row.status == "sent"
    assert [mail["To"] for mail in sink.messages] == ["ola@customer.test"]


def test_the_mails_one_transaction_queues_go_in_one_task(
    ask4, sink, django_capture_on_commit_callbacks, settings
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    now = timezone.now()
    people = [
        Contact.objects.create(organization=ask4, email=f"client{n}@customer.test")
        for n in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for person in people[:2]:
            open_case(
                ask4, case_type="complaint", channel="web_form", received_at=now, now=now,
                contact=person,
            )  # fmt: skip
        try:
            with transaction.atomic():  # rolled back: its mail is neither queued nor sent
                open_case(
                    ask4, case_type="complaint", channel="web_form", received_at=now,
                    now=now, contact=people[2],
                )  # fmt: skip
                raise RuntimeError("changed my mind")
        except RuntimeError:
            pass
        open_case(
            ask4, case_type="complaint", channel="web_form", received_at=now, now=now,
            contact=people[0],
        )  # fmt: skip
    assert len(callbacks) == 2  # the one before the rolled-back savepoint, and one after it
    sent = OutboxMessage.objects.filter(kind="mail").values_list("status", flat=True)
    assert list(sent) == ["sent"] * 3
    assert sorted(mail["To"] for mail in sink.messages) == [
        "client0@customer.test",
        "client0@customer.test",
        "client1@customer.test",
    ]
