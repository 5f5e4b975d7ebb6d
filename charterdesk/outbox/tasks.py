"""Background jobs on Django's task API (the django-tasks backport).

A mail row is sent as soon as the transaction that queued it commits, so a reply goes out
without waiting for the worker's next pass; the worker's ``send_due`` stays the safety net
for whatever this misses (a failed send, a process that died, a rolled-back enqueue).
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from charterdesk.cases.models import OutboxMessage
from charterdesk.outbox.sending import send_mail

logger = logging.getLogger(__name__)


@task()
def send_outbox_now(row_id: int) -> int:
    """Send the mail row ``row_id`` if it is still due; 1 if it went out."""
    return send_mail(timezone.now(), limit=1, only=row_id).sent


def send_soon(
    sender: type[OutboxMessage], instance: OutboxMessage, created: bool, **_: Any
) -> None:
    """``post_save`` of an outbox row: a new mail is enqueued once its transaction commits
    (never if it rolls back)."""
    if created and instance.kind == "mail" and instance.status == OutboxMessage.Status.PENDING:
        transaction.on_commit(partial(_enqueue, instance.pk), robust=True)


def _enqueue(row_id: int) -> None:
    result = send_outbox_now.enqueue(row_id)
    if result.status == TaskResultStatus.FAILED:  # the immediate backend ran it, and it broke
        logger.error(
            "outbox %s: sending at once failed (the worker will retry): %s",
            row_id,
            result.errors[-1].traceback if result.errors else "",
        )
