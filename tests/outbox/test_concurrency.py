"""Several workers on PostgreSQL share the outbox (SKIP LOCKED): each mail goes out once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from charterdesk.cases.models import OutboxMessage
from charterdesk.outbox.sending import send_due
from tests.helpers import utc

MAILS = 60
WORKERS = 4
NOW = utc(2026, 12, 1, 12)


@pytest.mark.django_db(transaction=True)
def test_four_workers_send_each_mail_exactly_once(ask4, sink) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("several workers share the outbox only on PostgreSQL (SKIP LOCKED)")
    OutboxMessage.objects.bulk_create(  # bulk: no signal, so no task sends them first
        OutboxMessage(
            organization=ask4,
            kind="mail",
            key=f"test:{n}",
            payload={"to": [f"c{n}@customer.test"], "subject": f"Mail {n}", "body": "Hello"},
            next_attempt_at=NOW,
        )
        for n in range(MAILS)
    )
    sent = [0] * WORKERS

    def work(worker: int) -> None:
        try:
            while result := send_due(NOW, limit=5).sent:
                sent[worker] += result
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(sent) == MAILS
    assert sorted(mail["To"] for mail in sink.messages) == sorted(
        f"c{n}@customer.test" for n in range(MAILS)
    )
    assert len({mail["Message-ID"] for mail in sink.messages}) == MAILS
    assert OutboxMessage.objects.filter(status="sent").count() == MAILS
