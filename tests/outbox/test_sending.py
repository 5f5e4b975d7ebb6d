"""Mail from the outbox reaches a real SMTP server once, with its headers; temporary
failures are retried after a backoff, permanent ones fail at once (no test sleeps: the
time is a parameter and moves forward by hand)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction

from charterdesk.cases import actions
from charterdesk.cases.models import Case, Contact, Message, Organization, OutboxMessage
from charterdesk.cases.services import open_case
from charterdesk.outbox.retries import retry_delay
from charterdesk.outbox.sending import LEASE, _claim, send_due
from tests.helpers import utc

from .conftest import no_jitter

pytestmark = pytest.mark.django_db
ARRIVED = utc(2026, 11, 23, 9)


def customer_case(org: Organization, email: str = "anna@customer.test") -> Case:
    """A complaint from a customer with an address: its acknowledgement is queued."""
    contact = Contact.objects.create(organization=org, name="Anna", email=email, language="pl")
    return open_case(
        org,
        case_type="complaint",
        channel="web_form",
        received_at=ARRIVED,
        now=ARRIVED,
        subject="Router <broken>",
        contact=contact,
    )


def mail_rows() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind="mail").order_by("pk"))


def test_a_queued_mail_is_delivered_once_with_its_message_id_and_headers(ask4, sink) -> None:
    case = customer_case(ask4)
    (row,) = mail_rows()
    result = send_due(ARRIVED, jitter=no_jitter)
    assert (result.sent, result.retried, result.failed) == (1, 0, 0)
    (mail,) = sink.messages
    assert mail["Message-ID"] == row.payload["message_id"]
    assert mail["Auto-Submitted"] == "auto-replied"  # the automatic acknowledgement
    assert mail["To"] == "anna@customer.test"
    assert "support@ask4.com" in mail["From"]  # replies come back to the desk
    assert mail["Subject"] == f"[{case.reference}] Router <broken>"
    assert mail["Content-Language"] == "pl"
    assert case.reference in mail.get_body(("plain",)).get_content()
    row.refresh_from_db()
    assert (row.status, row.sent_at, row.attempts) == ("sent", ARRIVED, 1)
    # the second pass finds nothing to send
    assert send_due(ARRIVED + timedelta(hours=1)).sent == 0
    assert len(sink.messages) == 1


def test_a_reply_threads_under_the_customers_mail_and_has_an_escaped_html_part(ask4, sink) -> None:
    case = customer_case(ask4)
    later = ARRIVED + timedelta(hours=1)
    actions.receive_customer_reply(
        case, body="Still broken", at=later, now=later, message_id="<c1@customer.test>"
    )
    reply = actions.reply(case, body='Price < 5 & "soon"\n\nThanks', now=later, actor=None)
    send_due(later, jitter=no_jitter)
    ack, answer = sink.messages
    assert answer["In-Reply-To"] == "<c1@customer.test>"
    assert answer["References"].split() == [ack["Message-ID"], "<c1@customer.test>"]
    assert "Auto-Submitted" not in answer
    html = answer.get_body(("html",)).get_content()
    assert "<p>Price &lt; 5 &amp; &quot;soon&quot;</p>" in html
    reply.refresh_from_db()
    assert reply.message_id == answer["Message-ID"]


def test_a_mail_queued_in_a_rolled_back_transaction_is_never_sent(
    ask4, sink, django_capture_on_commit_callbacks
) -> None:
    def queue_then_fail() -> None:
        with transaction.atomic():
            customer_case(ask4)
            raise RuntimeError("the request failed after queuing the mail")

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        queue_then_fail()
    assert callbacks == []  # nothing was enqueued for after the commit
    assert mail_rows() == []
    assert send_due(ARRIVED).sent == 0
    assert sink.messages == []


def test_a_4xx_refusal_is_retried_after_the_backoff_then_delivered_once(ask4, sink) -> None:
    customer_case(ask4)
    sink.refuse_with = "451 4.3.2 try again later"
    result = send_due(ARRIVED, jitter=no_jitter)
    assert (result.sent, result.retried, result.failed) == (0, 1, 0)
    (row,) = mail_rows()
    assert row.status == "pending"
    assert row.attempts == 1
    assert row.next_attempt_at == ARRIVED + timedelta(minutes=1)
    assert "451" in row.last_error
    sink.refuse_with = None
    assert send_due(ARRIVED + timedelta(seconds=59)).sent == 0  # not yet due again
    assert send_due(ARRIVED + timedelta(minutes=1)).sent == 1
    assert len(sink.messages) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, "")


def test_while_the_server_is_down_mail_waits_then_goes_out(ask4, sink, staff) -> None:
    first = customer_case(ask4)
    customer_case(ask4, email="bob@customer.test")
    sink.stop()
    result = send_due(ARRIVED, jitter=no_jitter)
    assert (result.sent, result.retried, result.failed) == (0, 1, 0)
    tried, untried = mail_rows()
    assert (tried.attempts, untried.attempts) == (1, 0)  # the second was never tried
    assert tried.next_attempt_at == untried.next_attempt_at == ARRIVED + timedelta(minutes=1)
    assert tried.case_id == first.pk
    assert "Connection" in tried.last_error
    sink.start()
    assert send_due(ARRIVED + timedelta(minutes=1)).sent == 2
    assert sorted(m["To"] for m in sink.messages) == ["anna@customer.test", "bob@customer.test"]


def test_a_5xx_refusal_of_every_recipient_fails_at_once(ask4, sink) -> None:
    customer_case(ask4)
    sink.refuse_with = "550 5.1.1 no such mailbox"
    result = send_due(ARRIVED, jitter=no_jitter)
    assert (result.sent, result.retried, result.failed) == (0, 0, 1)
    (row,) = mail_rows()
    assert row.status == "failed"
    assert "550" in row.last_error
    sink.refuse_with = None
    assert send_due(ARRIVED + timedelta(days=1)).sent == 0
    assert sink.messages == []


def test_after_the_last_attempt_a_row_is_failed_with_its_error(ask4, sink, settings) -> None:
    settings.CHARTERDESK_OUTBOX_MAX_ATTEMPTS = 2
    customer_case(ask4)
    sink.refuse_with = "421 4.7.0 too busy"
    assert send_due(ARRIVED, jitter=no_jitter).retried == 1
    assert send_due(ARRIVED + timedelta(minutes=1), jitter=no_jitter).failed == 1
    (row,) = mail_rows()
    assert (row.status, row.attempts) == ("failed", 2)
    assert row.last_error.startswith("gave up after 2 attempts")
    assert "421" in row.last_error


def test_a_sender_that_died_mid_send_is_replaced_when_its_lease_runs_out(ask4, sink) -> None:
    customer_case(ask4)
    (claimed,) = _claim(ARRIVED, 10, None)  # claimed, then the process died
    assert claimed.attempts == 1
    assert send_due(ARRIVED + LEASE - timedelta(seconds=1)).sent == 0  # still leased
    assert send_due(ARRIVED + LEASE).sent == 1
    (row,) = mail_rows()
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(sink.messages) == 1


def test_a_mail_without_recipient_fails_without_trying(ask4, sink) -> None:
    case = customer_case(ask4)
    OutboxMessage.objects.filter(case=case).update(payload={"to": [], "subject": "x"})
    assert send_due(ARRIVED).failed == 1
    assert sink.messages == []


def test_messages_keep_the_message_id_they_were_sent_with(ask4, sink) -> None:
    case = customer_case(ask4)
    (row,) = mail_rows()
    Message.objects.filter(case=case).update(message_id="")
    send_due(ARRIVED)
    assert Message.objects.get(case=case).message_id == row.payload["message_id"]


@pytest.mark.parametrize(
    ("attempt", "minutes"), [(1, 1), (2, 2), (3, 4), (4, 8), (6, 32), (7, 60), (12, 60)]
)
def test_backoff_doubles_from_a_minute_up_to_an_hour(attempt: int, minutes: int) -> None:
    assert retry_delay(attempt, no_jitter) == timedelta(minutes=minutes)
    assert retry_delay(attempt, lambda: 0.999) < timedelta(minutes=minutes) * 1.25
