"""The sweep's notifications carried out: each warning and breach action happens once,
and the staff or customer it concerns gets a mail on a real SMTP server."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User

from charterdesk.cases import actions
from charterdesk.cases.models import Case, Contact, Event, Message, Organization, OutboxMessage
from charterdesk.cases.services import open_case, record_event
from charterdesk.cases.sweep import sweep
from charterdesk.outbox.sending import send_due
from tests.helpers import utc

from .conftest import no_jitter

pytestmark = pytest.mark.django_db

ARRIVED = utc(2026, 11, 23, 9)
WARN = utc(2026, 12, 2, 9)  # A10 warns at 17:30 on 1 Dec (2 working days before due)
BREACH = utc(2026, 12, 3, 17, 31)  # A10 is due at 17:30 on Thu 3 Dec


def complaint_with_update(org: Organization, contact: Contact | None = None) -> Case:
    """An ASK4 complaint whose first update was sent: A10 (formal response within 7
    working days) runs, with ``on_breach: [escalate: supervisor, notify: owner]``."""
    case = open_case(
        org,
        case_type="complaint",
        channel="web_form",
        received_at=ARRIVED,
        now=ARRIVED,
        contact=contact,
    )
    for kind, at in (
        ("acknowledged", utc(2026, 11, 23, 10)),
        ("update_sent", utc(2026, 11, 24, 10)),
    ):
        record_event(case, kind, at=at, now=at)
    return case


def notification(case: Case, key: str, **payload: str) -> OutboxMessage:
    return OutboxMessage.objects.create(
        organization=case.organization,
        case=case,
        kind="notification",
        key=key,
        payload={
            "case": case.reference,
            "commitment": "complaint-formal-response",
            "due_at": "2026-12-03T17:30:00+00:00",
            **payload,
        },
        next_attempt_at=BREACH,
    )


def test_a_warning_reaches_the_assignee_once(ask4, sink, staff) -> None:
    agent = staff(ask4, "agent")
    staff(ask4, "supervisor")
    case = complaint_with_update(ask4)
    actions.assign(case, to=agent, now=utc(2026, 11, 24, 11), actor=None)
    assert sweep(WARN).warnings == 1
    assert send_due(WARN, jitter=no_jitter).sent == 2  # the notification, then its mail
    (mail,) = sink.messages
    assert mail["To"] == agent.email
    assert case.reference in mail["Subject"]
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["From"] == "Charterdesk <desk@charterdesk.test>"  # not the customers' address
    assert mail["Message-ID"].endswith("@charterdesk.test>")
    text = mail.get_body(("plain",)).get_content()
    assert "17:30" in text  # the due time in the organization's zone (London, GMT)
    assert f"https://desk.example/desk/ask4/cases/{case.reference}/" in text
    sweep(WARN)
    assert send_due(WARN).sent == 0
    assert len(sink.messages) == 1


def test_a_warning_with_nobody_assigned_goes_to_the_supervisors(ask4, sink, staff) -> None:
    staff(ask4, "agent")
    supervisors = {staff(ask4, "supervisor", name=f"sup{n}").email for n in (1, 2)}
    quiet = staff(ask4, "supervisor", name="no-address")
    User.objects.filter(pk=quiet.pk).update(email="")
    complaint_with_update(ask4)
    sweep(WARN)
    send_due(WARN)
    assert {mail["To"] for mail in sink.messages} == supervisors


def test_a_breach_escalates_once_and_tells_the_supervisor_and_the_owner(ask4, sink, staff) -> None:
    supervisor, owner = staff(ask4, "supervisor"), staff(ask4, "owner")
    staff(ask4, "agent")
    case = complaint_with_update(ask4)
    assert sweep(BREACH).breaches == 2  # escalate: supervisor; notify: owner
    send_due(BREACH, jitter=no_jitter)
    (escalated,) = Event.objects.filter(case=case, kind="escalated")
    assert escalated.data == {"to": "supervisor", "commitment": "complaint-formal-response"}
    assert sorted(mail["To"] for mail in sink.messages) == sorted([supervisor.email, owner.email])
    sweep(BREACH)
    assert send_due(BREACH).sent == 0
    assert Event.objects.filter(case=case, kind="escalated").count() == 1
    assert len(sink.messages) == 2


def test_notify_customer_sends_the_charter_text_in_the_case_language(ask4, sink) -> None:
    contact = Contact.objects.create(organization=ask4, email="ola@customer.test")
    case = complaint_with_update(ask4, contact)
    Case.objects.filter(pk=case.pk).update(language="en")
    case.refresh_from_db()
    notification(case, "breach:x:1:0", action="notify_customer", to="acknowledgement")
    send_due(BREACH, jitter=no_jitter)
    notice = sink.messages[-1]
    assert notice["To"] == "ola@customer.test"
    body = notice.get_body(("plain",)).get_content()
    assert body.startswith(f"We confirm receipt of your case {case.reference}.")
    assert Message.objects.filter(case=case, body=body.strip(), direction="out").exists()


def test_reassign_hands_the_case_to_a_supervisor_and_tells_them(ask4, sink, staff) -> None:
    agent, supervisor = staff(ask4, "agent"), staff(ask4, "supervisor")
    case = complaint_with_update(ask4)
    actions.assign(case, to=agent, now=utc(2026, 11, 24, 11), actor=None)
    notification(case, "breach:y:1:0", action="reassign", to="cover")
    send_due(BREACH, jitter=no_jitter)
    case.refresh_from_db()
    assert case.assignee == supervisor
    (mail,) = sink.messages
    assert mail["To"] == supervisor.email


def test_a_notification_that_cannot_be_carried_out_fails_at_once(ask4, sink) -> None:
    case = complaint_with_update(ask4)
    row = notification(case, "breach:z:1:0", action="notify_customer", to="no_such_text")
    assert send_due(BREACH).failed == 1
    row.refresh_from_db()
    assert row.status == "failed"
    assert "no_such_text" in row.last_error


def test_a_notification_that_breaks_is_retried_and_leaves_nothing_half_done(
    ask4, sink, staff, monkeypatch
) -> None:
    staff(ask4, "supervisor")
    case = complaint_with_update(ask4)
    row = notification(case, "breach:w:1:0", action="escalate", to="supervisor")
    escalate = actions.escalate

    def escalate_then_break(case: Case, **kwargs: Any) -> None:
        escalate(case, **kwargs)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(actions, "escalate", escalate_then_break)
    assert send_due(BREACH, jitter=no_jitter).retried == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.next_attempt_at == BREACH + timedelta(minutes=1)
    assert not Event.objects.filter(case=case, kind="escalated").exists()  # rolled back
    monkeypatch.undo()
    send_due(BREACH + timedelta(minutes=1), jitter=no_jitter)
    assert Event.objects.filter(case=case, kind="escalated").count() == 1
    assert len(sink.messages) == 1
