"""The mail server is down for 30 minutes: everything queued before and during the outage
is sent afterwards, each mail once, and the backoff is kept (issue 8, "Faults and load").

The worker's pass is ``send_due(now)``; here the clock is a parameter moved by hand
through the outage, one pass every 30 seconds of simulated time (the worker's default
interval is 5 s; a coarser step only means fewer passes that find nothing due). The
SMTP server is a real one on loopback, stopped (connections refused) and started again
on the same port. docs/reliability.md quotes the attempts counted here.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest

from charterdesk.cases import actions
from charterdesk.cases.models import OutboxMessage
from charterdesk.outbox.sending import send_due
from tests.helpers import utc

from .conftest import customer_case, no_jitter

pytestmark = pytest.mark.django_db
DOWN_AT = utc(2026, 11, 23, 9)
OUTAGE = timedelta(minutes=30)
STEP = timedelta(seconds=30)
CUSTOMERS = 12


def passes(start, end, jitter) -> Counter[str]:  # type: ignore[no-untyped-def]
    """Run the worker's send pass every STEP from ``start`` up to ``end``; the totals."""
    totals: Counter[str] = Counter()
    now = start
    while now < end:
        result = send_due(now, jitter=jitter)
        totals.update(sent=result.sent, retried=result.retried, failed=result.failed)
        now += STEP
    return totals


@pytest.mark.parametrize("seed", [None, 1, 2])
def test_after_a_30_minute_outage_every_mail_goes_out_once(ask4, sink, seed) -> None:
    jitter = no_jitter if seed is None else random.Random(seed).random
    cases = [customer_case(ask4, f"c{n}@customer.test", DOWN_AT) for n in range(CUSTOMERS)]
    sink.stop()  # down: every connection is refused
    during = passes(DOWN_AT, DOWN_AT + OUTAGE / 2, jitter)
    for case in cases[:3]:  # staff keep answering while the server is down
        midway = DOWN_AT + OUTAGE / 2
        actions.reply(case, body="We are on it.", now=midway, actor=None)
    during += passes(DOWN_AT + OUTAGE / 2, DOWN_AT + OUTAGE, jitter)
    assert during["sent"] == during["failed"] == 0
    rows = list(OutboxMessage.objects.filter(kind="mail").order_by("pk"))
    assert len(rows) == CUSTOMERS + 3
    # one row is tried per pass that finds the server down; the rest are given back untried
    attempts = sorted(row.attempts for row in rows)
    assert sum(attempts) == during["retried"]
    if seed is None:  # 1, 2, 4 and 8 minutes after attempts at 0, 1, 3 and 7: then at 15
        assert attempts == [0] * (len(rows) - 1) + [5]
    assert max(attempts) <= 5  # backoff kept: never more than 5 tries in 30 minutes
    assert all(row.status == "pending" for row in rows)

    sink.start()  # up again, on the same port
    after = passes(DOWN_AT + OUTAGE, DOWN_AT + OUTAGE + timedelta(hours=2), jitter)
    assert after["sent"] == len(rows)
    assert after["failed"] == 0
    delivered = sink.message_ids()
    assert len(delivered) == len(rows)
    assert set(delivered.values()) == {1}  # nothing twice
    for row in OutboxMessage.objects.filter(kind="mail"):
        assert row.status == "sent"
        assert row.payload["message_id"] in delivered
    # mail goes out at the first retry after the outage: 1+2+4+8+16 = 31 minutes of backoff
    # (each step up to a quarter longer with jitter, plus up to a pass's STEP of lateness)
    first_sent = min(row.sent_at or DOWN_AT for row in OutboxMessage.objects.filter(kind="mail"))
    assert first_sent <= DOWN_AT + timedelta(minutes=31 * 1.25) + 5 * STEP
    if seed is None:
        assert first_sent == DOWN_AT + timedelta(minutes=31)
