"""Sending what the outbox holds: claim, send outside any transaction, record.

At least once (docs/decisions/0005-outbox-at-least-once.md): a row is claimed in one short
transaction (``attempts + 1`` and a lease: ``next_attempt_at = now + LEASE``), sent with
no transaction open, and its outcome recorded in another. A worker that dies mid-send
leaves the row to be claimed again when the lease runs out; the Message-ID stays the same,
so a receiver can drop the rare duplicate. A row marked sent is never claimed again.
Rows are claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several
workers share them; on SQLite the IMMEDIATE transaction lets one writer in at a time.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Collection
from datetime import datetime, timedelta

from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from charterdesk.cases.actions import add_note
from charterdesk.cases.models import Message, OutboxMessage
from charterdesk.outbox.mail import (
    BadPayload,
    Outcome,
    build_email,
    describe,
    outcome_of,
    sender_for,
)
from charterdesk.outbox.notifications import carry_out_notifications
from charterdesk.outbox.retries import (
    Jitter,
    SendResult,
    max_attempts,
    record_failure,
    record_retry,
    retry_delay,
)

logger = logging.getLogger(__name__)

#: A claimed row is left alone this long; past it, the sender is taken to have died.
LEASE = timedelta(minutes=15)


def send_due(now: datetime, limit: int = 100, *, jitter: Jitter = random.random) -> SendResult:
    """Carry out up to ``limit`` due notifications, then send up to ``limit`` due mails
    (those the notifications queued included)."""
    done = carry_out_notifications(now, limit, jitter)
    return done + send_mail(now, limit, jitter=jitter)


def send_mail(
    now: datetime,
    limit: int = 100,
    *,
    jitter: Jitter = random.random,
    only: Collection[int] | None = None,
) -> SendResult:
    """Send due ``kind="mail"`` rows (or only those of these keys) through Django's mail
    API."""
    batch = _claim(now, limit, only)
    result = SendResult()
    mailer = get_connection()
    try:
        for index, row in enumerate(batch):
            try:
                email = build_email(row, sender_for(row))
            except BadPayload as error:
                record_failure(row, str(error))
                result += SendResult(failed=1)
                continue
            try:
                mailer.open()
                mailer.send_messages([email])
            except Exception as error:
                outcome = outcome_of(error)
                logger.warning("outbox %s (%s): %s", row.pk, outcome.value, describe(error))
                if outcome is Outcome.REFUSED:
                    _record_refused(row, describe(error), now)
                    result += SendResult(failed=1)
                    continue
                result += record_retry(row, now, describe(error), jitter)
                if outcome is Outcome.SERVER_DOWN:  # the rest would fail the same way
                    _release(batch[index + 1 :], now + retry_delay(row.attempts, jitter))
                    break
            else:
                result += SendResult(sent=_record_sent(row, now, email))
    finally:
        _close(mailer)
    return result


def _claim(now: datetime, limit: int, only: Collection[int] | None) -> list[OutboxMessage]:
    """Lock the due mail rows, count an attempt and take a lease on each, and return them
    (with their cases) in the order they fell due."""
    with transaction.atomic():
        due = OutboxMessage.objects.filter(
            kind="mail", status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now
        ).order_by("next_attempt_at", "pk")
        if only is not None:
            due = due.filter(pk__in=list(only))
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        rows = list(due[:limit])
        ids = []
        for row in rows:
            if row.attempts < max_attempts():
                ids.append(row.pk)
            else:  # its last attempt never reported back (the sender died): give up
                last = row.last_error or "none"
                record_failure(row, f"no outcome after {row.attempts} attempts; last error: {last}")
        OutboxMessage.objects.filter(pk__in=ids).update(
            attempts=F("attempts") + 1, next_attempt_at=now + LEASE
        )
        claimed = OutboxMessage.objects.select_related("case__charter").in_bulk(ids)
    return [claimed[pk] for pk in ids]


def _record_sent(row: OutboxMessage, now: datetime, email: EmailMultiAlternatives) -> int:
    """Mark the row sent, and its stored message with the Message-ID it went with, in
    one short transaction right after the send. (Two plain statements: compiling the
    ORM's two updates was more than half of sending a mail to a local server.)"""
    ops = connection.ops
    outbox, messages = (ops.quote_name(m._meta.db_table) for m in (OutboxMessage, Message))
    pending, sent = OutboxMessage.Status.PENDING.value, OutboxMessage.Status.SENT.value
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {outbox} SET status = %s, sent_at = %s, last_error = '' "
            "WHERE id = %s AND status = %s",
            [sent, ops.adapt_datetimefield_value(now), row.pk, pending],
        )
        done: int = cursor.rowcount
        message = row.payload.get("message")
        if isinstance(message, int):  # the stored outgoing message: its Message-ID as sent
            cursor.execute(
                f"UPDATE {messages} SET message_id = %s WHERE id = %s AND organization_id = %s",
                [email.extra_headers["Message-ID"], message, row.organization_id],
            )
    return done


def _record_refused(row: OutboxMessage, error: str, now: datetime) -> None:
    """Refused for good (a 5xx for the recipient or the message): the row fails with the
    server's answer, and a note on its case tells staff the mail never reached its
    recipient (as a bounce does, ``intake/bounces.py``), so they can reach them otherwise."""
    with transaction.atomic():
        record_failure(row, error)
        if row.case is None:
            return
        to = ", ".join(str(address) for address in row.payload.get("to") or [])
        text = _("The mail to %(to)s was refused: %(error)s") % {"to": to, "error": error}
        try:
            with transaction.atomic():
                add_note(row.case, text=text[:2000], now=now, actor=None)
        except Exception:  # the row stays failed with its error; the note is a courtesy
            logger.exception("outbox %s: noting the refusal on its case", row.pk)


def _release(rows: list[OutboxMessage], until: datetime) -> None:
    """Give back rows claimed but never tried: no attempt spent, back when the server is."""
    OutboxMessage.objects.filter(
        pk__in=[row.pk for row in rows], status=OutboxMessage.Status.PENDING
    ).update(attempts=F("attempts") - 1, next_attempt_at=until)


def _close(mailer: BaseEmailBackend) -> None:
    try:
        mailer.close()
    except Exception as error:  # a broken connection: nothing left to tidy up
        logger.info("closing the mail connection: %s", describe(error))
