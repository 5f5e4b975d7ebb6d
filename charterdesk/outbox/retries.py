"""When an outbox row is tried again, and when it is given up on."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from charterdesk.cases.models import OutboxMessage

logger = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)

#: A number in [0, 1) that spreads retries out (``random.random``; tests pin it).
Jitter = Callable[[], float]


@dataclass(frozen=True, slots=True)
class SendResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    def __add__(self, other: SendResult) -> SendResult:
        return SendResult(
            self.sent + other.sent, self.retried + other.retried, self.failed + other.failed
        )


def max_attempts() -> int:
    return int(settings.CHARTERDESK_OUTBOX_MAX_ATTEMPTS)


def retry_delay(attempt: int, jitter: Jitter = random.random) -> timedelta:
    """1 minute after the first failed attempt, then 2, 4, ... at most an hour; up to a
    quarter more at random, so rows that failed together do not all come back together."""
    wait: timedelta = min(FIRST_RETRY * 2 ** max(attempt - 1, 0), LONGEST_WAIT)
    return wait * (1 + jitter() / 4)


def record_retry(row: OutboxMessage, now: datetime, error: str, jitter: Jitter) -> SendResult:
    """Try the row again after its backoff, or, if that was its last attempt (``row.attempts``
    counts it), mark it failed."""
    if row.attempts >= max_attempts():
        record_failure(row, f"gave up after {row.attempts} attempts: {error}")
        return SendResult(failed=1)
    OutboxMessage.objects.filter(
        pk=row.pk, status=OutboxMessage.Status.PENDING, attempts=row.attempts
    ).update(next_attempt_at=now + retry_delay(row.attempts, jitter), last_error=error[:4000])
    return SendResult(retried=1)


def record_failure(row: OutboxMessage, error: str) -> None:
    """Failed for good, with the reason kept."""
    OutboxMessage.objects.filter(pk=row.pk, status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.FAILED, last_error=error[:4000]
    )
    logger.error("outbox %s (%s) failed: %s", row.pk, row.key, error)
