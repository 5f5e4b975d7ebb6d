"""Background jobs on Django's task API (the django-tasks backport).

A mail row is sent as soon as the transaction that queued it commits, so a reply goes out
without waiting for the worker's next pass; the worker's ``send_due`` stays the safety net
for whatever this misses (a failed send, a process that died, a rolled-back enqueue).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from charterdesk.cases.models import OutboxMessage
from charterdesk.outbox.sending import send_mail

logger = logging.getLogger(__name__)


@task()
def send_outbox_now(row_ids: list[int] | int) -> int:
    """Send the mail rows ``row_ids`` that are still due; how many went out."""
    ids = [row_ids] if isinstance(row_ids, int) else list(row_ids)
    return send_mail(timezone.now(), limit=len(ids), only=ids).sent


class _Soon:
    """The mail rows one transaction queues, enqueued as one task when it commits (a task
    per row cost intake a seventh of its time, and the sender a connection per mail)."""

    def __init__(self, hooks: list[Any]) -> None:
        self.ids: list[int] = []
        self.hooks = hooks  # the connection's on_commit list it was added to
        self.done = False

    def waiting(self, hooks: list[Any]) -> bool:
        """Whether it is still to run when the transaction commits. A commit, a rollback
        or a savepoint's rollback gives the connection a new list (the rollback of a
        savepoint it was added in takes it away): then a new one is needed."""
        return not self.done and hooks is self.hooks

    def enqueue(self) -> None:
        self.done = True
        _enqueue(self.ids)


def send_soon(
    sender: type[OutboxMessage], instance: OutboxMessage, created: bool, **_: Any
) -> None:
    """``post_save`` of an outbox row: a new mail is enqueued once its transaction commits
    (never if it rolls back), together with the others that transaction queued."""
    if created and instance.kind == "mail" and instance.status == OutboxMessage.Status.PENDING:
        connection = transaction.get_connection()
        soon: _Soon | None = getattr(connection, "charterdesk_send_soon", None)
        if soon is not None and soon.waiting(connection.run_on_commit):
            soon.ids.append(instance.pk)
            return
        soon = connection.charterdesk_send_soon = _Soon(connection.run_on_commit)
        soon.ids.append(instance.pk)  # first: outside a transaction, it runs at once
        transaction.on_commit(soon.enqueue, robust=True)


def _enqueue(row_ids: list[int]) -> None:
    result = send_outbox_now.enqueue(row_ids)
    if result.status == TaskResultStatus.FAILED:  # the immediate backend ran it, and it broke
        logger.error(
            "outbox %s: sending at once failed (the worker will retry): %s",
            ", ".join(map(str, row_ids)),
            result.errors[-1].traceback if result.errors else "",
        )
