"""A rolled-back transaction sends nothing: a service that raises after queuing mail leaves
nothing in the outbox, nothing in the task queue and nothing at the SMTP server (issue 8).

The test commits for real (``transaction=True``), so ``on_commit`` hooks run as they do
in production; the same steps without the error do send, so the test can tell.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from charterdesk.cases import actions
from charterdesk.cases.models import Case, Message, OutboxMessage
from charterdesk.outbox.sending import send_due
from charterdesk.outbox.task_queue import run_ready_tasks
from tests.helpers import utc

from .conftest import customer_case

AT = utc(2026, 11, 23, 9)


class Boom(RuntimeError):
    pass


def open_and_reply(org, email: str, fail: bool) -> None:  # type: ignore[no-untyped-def]
    """As a request does (ATOMIC_REQUESTS-like): open a case, reply, then maybe fail."""
    with transaction.atomic():
        case = customer_case(org, email, AT)
        actions.reply(case, body="Thank you, we are on it.", now=AT, actor=None)
        if fail:
            raise Boom("the request broke after queuing two mails")


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_service_leaves_nothing_to_send(ask4, sink, settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with pytest.raises(Boom):
        open_and_reply(ask4, "lost@customer.test", fail=True)
    assert not Case.objects.exists()
    assert not Message.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not DBTaskResult.objects.exists()  # no send_outbox_now enqueued after a commit
    assert send_due(AT).sent == 0
    run_ready_tasks(10)
    assert sink.messages == []

    open_and_reply(ask4, "kept@customer.test", fail=False)  # the control: it does send
    assert DBTaskResult.objects.count() == 1  # one task for the transaction's two mails
    assert send_due(AT).sent == 2
    run_ready_tasks(10)
    assert sink.recipients() == ["kept@customer.test", "kept@customer.test"]
