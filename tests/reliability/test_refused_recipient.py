"""One recipient is refused with a 5xx: that mail fails at once with the server's answer,
staff see it on the case, and everyone else's mail is sent (issue 8, "Faults and load").

Every outbox mail row has one recipient (the customer's acknowledgement and replies, or
one member of staff per notification), so "one recipient refused" is one row refused.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from charterdesk.cases.models import Event, OutboxMessage
from charterdesk.outbox.sending import send_due
from tests.helpers import utc

from .conftest import customer_case, no_jitter

pytestmark = pytest.mark.django_db
AT = utc(2026, 11, 23, 9)
REFUSAL = "550 5.1.1 <gone@customer.test>: mailbox unavailable"


def test_a_refused_recipient_is_marked_on_its_case_and_the_rest_are_sent(ask4, sink) -> None:
    cases = {
        email: customer_case(ask4, email, AT)
        for email in ("ann@customer.test", "gone@customer.test", "cy@customer.test")
    }
    sink.refuse["gone@customer.test"] = REFUSAL
    result = send_due(AT, jitter=no_jitter)
    assert (result.sent, result.retried, result.failed) == (2, 0, 1)
    assert sink.recipients() == ["ann@customer.test", "cy@customer.test"]
    assert set(sink.message_ids().values()) == {1}

    refused = OutboxMessage.objects.get(case=cases["gone@customer.test"], kind="mail")
    assert refused.status == "failed"
    assert refused.attempts == 1
    assert "550 5.1.1" in refused.last_error
    assert "mailbox unavailable" in refused.last_error
    (note,) = Event.objects.filter(case=cases["gone@customer.test"], kind="noted")
    assert "gone@customer.test" in note.data["text"]
    assert "550 5.1.1" in note.data["text"]
    for email in ("ann@customer.test", "cy@customer.test"):  # nothing noted on the others
        assert not Event.objects.filter(case=cases[email], kind="noted").exists()

    # a refusal is final: later passes neither retry it nor note it again
    sink.refuse.clear()
    assert send_due(AT + timedelta(days=1)).sent == 0
    assert len(sink.messages) == 2
    assert Event.objects.filter(case=cases["gone@customer.test"], kind="noted").count() == 1


def test_a_4xx_for_one_recipient_is_retried_and_marks_nothing(ask4, sink) -> None:
    case = customer_case(ask4, "busy@customer.test", AT)
    customer_case(ask4, "ok@customer.test", AT)
    sink.refuse["busy@customer.test"] = "452 4.2.2 mailbox full"
    result = send_due(AT, jitter=no_jitter)
    assert (result.sent, result.retried, result.failed) == (1, 1, 0)
    assert not Event.objects.filter(case=case, kind="noted").exists()
    sink.refuse.clear()
    assert send_due(AT + timedelta(minutes=1), jitter=no_jitter).sent == 1
    assert sink.recipients() == ["busy@customer.test", "ok@customer.test"]
