"""The sweep's notifications carried out: warn, notify, escalate, reassign, tell the customer.

A notification row is carried out in one transaction together with marking it sent: the
escalation event, the reassignment, the stored message and the mails it queues happen
together or not at all, so each happens exactly once, whichever worker gets there. Only
the mails it queues leave the database, later, by ``send_mail`` (at least once).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from charterdesk.cases import actions
from charterdesk.cases.charters import NotAllowed, parsed
from charterdesk.cases.customer_mail import compose, tell_customer
from charterdesk.cases.models import Case, OutboxMessage
from charterdesk.cases.services import CaseError
from charterdesk.localized import django_language, local_time, translated
from charterdesk.outbox.mail import describe
from charterdesk.outbox.retries import Jitter, SendResult, record_failure, record_retry

logger = logging.getLogger(__name__)

ROLES = ("assignee", "agent", "supervisor", "owner")

#: (subject, body) of the mail staff get, per action.
STAFF_MAIL = {
    "warn": (
        _("[%(reference)s] Due soon: %(commitment)s, by %(due)s"),
        _("Case %(reference)s must meet “%(commitment)s” by %(due)s.\n\nOpen the case: %(link)s"),
    ),
    "notify": (
        _("[%(reference)s] Missed: %(commitment)s, due %(due)s"),
        _(
            "Case %(reference)s did not meet “%(commitment)s”, due %(due)s.\n\n"
            "Open the case: %(link)s"
        ),
    ),
    "escalate": (
        _("[%(reference)s] Escalated to you: %(commitment)s, due %(due)s"),
        _(
            "Case %(reference)s is escalated to you: “%(commitment)s” was not met by %(due)s."
            "\n\nOpen the case: %(link)s"
        ),
    ),
    "reassign": (
        _("[%(reference)s] Now yours: %(commitment)s, due %(due)s"),
        _(
            "Case %(reference)s is passed to you: “%(commitment)s” was not met by %(due)s."
            "\n\nOpen the case: %(link)s"
        ),
    ),
    "appealed": (
        _("[%(reference)s] Appealed by the customer"),
        _(
            "The customer appealed the decision on case %(reference)s, which is open again "
            "for review.\n\nOpen the case: %(link)s"
        ),
    ),
}
NO_DUE_TIME = _("no set time")


class BadNotification(ValueError):
    """A notification that can never be carried out as it stands."""


def carry_out_notifications(now: datetime, limit: int, jitter: Jitter) -> SendResult:
    """Carry out up to ``limit`` due notifications, one transaction each."""
    result = SendResult()
    for _turn in range(limit):
        row: OutboxMessage | None = None
        try:
            with transaction.atomic():
                row = _next_due(now)
                if row is None:
                    break
                _carry_out(row, now)
                OutboxMessage.objects.filter(pk=row.pk).update(
                    status=OutboxMessage.Status.SENT, sent_at=now, attempts=F("attempts") + 1
                )
            result += SendResult(sent=1)
        except (BadNotification, CaseError, NotAllowed) as error:
            if row is None:
                raise
            record_failure(row, describe(error))
            result += SendResult(failed=1)
        except Exception as error:
            if row is None:
                raise
            logger.exception("notification %s (%s)", row.pk, row.key)
            OutboxMessage.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
            row.attempts += 1
            result += record_retry(row, now, describe(error), jitter)
    return result


def _next_due(now: datetime) -> OutboxMessage | None:
    due = OutboxMessage.objects.filter(
        kind="notification", status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "pk")
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True)
    return due.first()


def _carry_out(row: OutboxMessage, now: datetime) -> None:
    case, payload = row.case, row.payload
    if case is None:
        raise BadNotification("a notification names no case")
    action, to = payload.get("action"), str(payload.get("to", ""))
    commitment = str(payload.get("commitment", ""))
    try:
        due = datetime.fromisoformat(payload["due_at"]) if payload.get("due_at") else None
    except (TypeError, ValueError):
        raise BadNotification(f"{payload['due_at']!r} is not a time") from None
    if action == "notify_customer":
        _tell_customer(case, to, due, now)
        return
    if action == "appealed":  # A11: whoever has the case, and the supervisors who review it
        staff = list(
            {
                user.pk: user for user in [*_staff(case, "assignee"), *_staff(case, "supervisor")]
            }.values()
        )
        for user in staff:
            _queue_staff_mail(row, case, user, _staff_text(case, action, commitment, due), now)
        return
    if action not in STAFF_MAIL or (action != "reassign" and to not in ROLES):
        raise BadNotification(f"cannot {action} {to!r}")
    if action == "escalate":
        actions.escalate(case, to_role=to, now=now, commitment=commitment)
    if action == "reassign":
        stand_in = actions.reassign_to_cover(case, now=now, commitment=commitment)
        staff = [stand_in] if stand_in is not None and stand_in.email else []
    else:
        staff = _staff(case, "assignee" if action == "warn" else to)
    if not staff:
        row.last_error = "nobody to tell: no member of staff with an address"
        row.save(update_fields=["last_error"])
    for user in staff:
        _queue_staff_mail(row, case, user, _staff_text(case, action, commitment, due), now)


def _staff(case: Case, role: str) -> list[User]:
    """The members of staff to tell; the assignee, or the supervisors if nobody (with an
    address) is assigned. Staff without an address are skipped."""
    if role == "assignee":
        if case.assignee is not None and case.assignee.is_active and case.assignee.email:
            return [case.assignee]
        role = "supervisor"
    members = User.objects.filter(
        memberships__organization_id=case.organization_id,
        memberships__role=role,
        is_active=True,
    ).exclude(email="")
    return list(members.order_by("pk"))


def _staff_text(
    case: Case, action: str, commitment_id: str, due: datetime | None
) -> tuple[str, str, str]:
    """(language, subject, body) in the organization's first language."""
    charter = parsed(case.charter).charter
    language = charter.organization.languages[0]
    try:
        title = translated(charter.commitment(commitment_id).title, language)
    except KeyError:
        title = commitment_id
    site = str(settings.CHARTERDESK_SITE_URL).rstrip("/")
    values = {
        "reference": case.reference,
        "commitment": title,
        "due": local_time(due, case.organization.timezone, language) if due else NO_DUE_TIME,
        "link": f"{site}/desk/{case.organization.slug}/cases/{case.reference}/",
    }
    subject, body = STAFF_MAIL[action]
    with translation.override(django_language(language)):
        return language, str(subject) % values, str(body) % values


def _queue_staff_mail(
    row: OutboxMessage, case: Case, user: User, text: tuple[str, str, str], now: datetime
) -> None:
    language, subject, body = text
    payload: dict[str, Any] = {
        "to": [user.email],
        "subject": subject,
        "body": body,
        "language": language,
        "case": case.reference,
        "audience": "staff",  # from the desk, not from the organization's address
        "auto_submitted": "auto-generated",
    }
    OutboxMessage.objects.get_or_create(
        key=f"{row.key}:to:{user.pk}",
        defaults={
            "organization_id": case.organization_id,
            "case": case,
            "kind": "mail",
            "payload": payload,
            "next_attempt_at": now,
        },
    )


def _tell_customer(case: Case, text_key: str, due: datetime | None, now: datetime) -> None:
    """The charter's text ``text_key`` in the case's language, stored on the case as an
    outgoing message and mailed if the customer has an address."""
    if text_key not in parsed(case.charter).charter.texts:
        raise BadNotification(f"the charter has no text {text_key!r}")
    body = compose(case, text_key, "", {"due": due} if due else {})
    tell_customer(case, body=body, now=now)
