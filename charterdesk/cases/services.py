"""Every write to cases goes through here: one function per action, one transaction
each, clocks refreshed and side effects queued in that same transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Field
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from charterdesk.cases.charters import parsed
from charterdesk.cases.clock_index import Row, refresh_many, soonest_due
from charterdesk.cases.customer_mail import compose, tell_customer
from charterdesk.cases.models import (
    AuditEntry,
    Case,
    Contact,
    Event,
    Message,
    Organization,
    ReferenceCounter,
)
from charterdesk.conduct.arrival import acknowledgement_withheld, restrict_on_arrival
from charterdesk.core.events import BUILTIN_EVENTS
from charterdesk.core.events import Event as CoreEvent

#: How an event changes a case's status.
STATUS_AFTER = {
    "info_requested": Case.Status.AWAITING_CUSTOMER,
    "customer_replied": Case.Status.OPEN,
    "info_complete": Case.Status.OPEN,
    "resolved": Case.Status.RESOLVED,
    "resolved_at_first_contact": Case.Status.RESOLVED,
    "closed": Case.Status.CLOSED,
    "reopened": Case.Status.OPEN,
    "appealed": Case.Status.OPEN,
}


class CaseError(ValueError):
    """A request the charter does not allow; ``code`` is what code compares."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def next_reference(org: Organization, year: int) -> str:
    """``LEV-2026-000123``: numbers per organization and year, never reused."""
    return next_references(org, year, 1)[0]


def next_references(org: Organization, year: int, count: int) -> list[str]:
    """The next ``count`` references, in order, from one update of the counter (intake's
    batch path opens many cases at once)."""
    with connection.cursor() as cursor:  # one statement: count and read under the row lock
        cursor.execute(
            f"UPDATE {ReferenceCounter._meta.db_table} SET last = last + %s"
            " WHERE organization_id = %s AND year = %s RETURNING last",
            [count, org.pk, year],
        )
        row = cursor.fetchone()
    if row is None:
        ReferenceCounter.objects.get_or_create(organization=org, year=year)
        return next_references(org, year, count)
    last = int(row[0])
    return [f"{org.reference_prefix}-{year}-{n:06d}" for n in range(last - count + 1, last + 1)]


@transaction.atomic
def open_case(
    org: Organization,
    *,
    case_type: str,
    channel: str,
    received_at: datetime,
    now: datetime,
    subject: str = "",
    fields: Mapping[str, Any] | None = None,
    contact: Contact | None = None,
    language: str | None = None,
    actor: User | None = None,
    acknowledge_now: bool = True,
    tracking_url: str = "",
    first_message: Callable[[Case], object] | None = None,
) -> Case:
    """Open a case under the organization's charter in force; the clock starts at arrival
    (a letter entered later keeps the day it arrived). Where the channel acknowledges
    automatically and the customer has an address, the acknowledgement is queued too;
    intake passes ``acknowledge_now=False`` for mail that must not be answered
    (auto-replies, bounces). ``tracking_url``, the customer's portal link, is added to
    the acknowledgement. ``first_message(case)`` stores what the customer sent before
    the acknowledgement is written, so that it answers it (mail threading)."""
    if org.charter is None:
        raise CaseError("no-charter", f"{org.slug} has no approved charter")
    charter = parsed(org.charter).charter
    if case_type not in charter.case_types:
        raise CaseError("unknown-case-type", f"{org.slug} has no case type {case_type!r}")
    if channel not in charter.channels:
        raise CaseError("unknown-channel", f"{org.slug} has no channel {channel!r}")
    if not charter.channels[channel].accepts_case(case_type):
        raise CaseError(
            "channel-refuses", f"{charter.channels[channel].kind} does not accept {case_type} cases"
        )
    if received_at > now:
        raise CaseError("future", "a case cannot arrive in the future")
    case = Case.objects.create(
        organization=org,
        reference=next_reference(org, received_at.year),
        charter=org.charter,
        case_type=case_type,
        channel=channel,
        subject=subject[:300],
        fields=dict(fields or {}),
        language=language or charter.organization.languages[0],
        contact=contact,
        priority=charter.case_types[case_type].priority,
        received_at=received_at,
    )
    Event.objects.create(organization=org, case=case, kind="received", at=received_at, actor=actor)
    _audit(case, actor, "case_opened", {"channel": channel, "case_type": case_type}, now)
    if first_message is not None:
        first_message(case)
    restricted = restrict_on_arrival(case, now)  # A3, N7: kept, paused, not acknowledged
    acknowledging = (
        acknowledge_now
        and not restricted
        and charter.channels[channel].auto_acknowledge
        and contact is not None
        and bool(contact.email)
    )
    if acknowledging:  # recorded before the one evaluation of the new case's clocks
        Event.objects.create(organization=org, case=case, kind="acknowledged", at=now)
        _audit(case, None, "event:acknowledged", {}, now)
    clocks = _refresh(case, now)
    if acknowledging:
        _send_acknowledgement(
            case, now=now, actor=None, tracking_url=tracking_url, first_due=soonest_due(clocks)
        )
    return case


#: Where a service leaves, on the case it was given, the clocks its refresh evaluated.
_CLOCKS_LEFT = "_charterdesk_clocks_left"


def _refresh(case: Case, now: datetime) -> dict[str, Row]:
    """Bring the case's clocks up to date (``refresh_clocks``) and leave them on the
    instance for :func:`clocks_left`: the evaluated columns, by commitment."""
    clocks = refresh_many([case], now).clocks.get(case.pk, {})
    case.__dict__[_CLOCKS_LEFT] = (now, clocks)
    return clocks


def clocks_left(case: Case, now: datetime) -> Mapping[str, Row] | None:
    """The case's clocks as the last service given this very instance left them, if it
    acted at ``now`` (the evaluated columns of each Clock row, by commitment): a caller
    that acts and then looks at the clocks needs no query. None: read the Clock rows."""
    left: tuple[datetime, dict[str, Row]] | None = case.__dict__.get(_CLOCKS_LEFT)
    return left[1] if left is not None and left[0] == now else None


DEFAULT_ACKNOWLEDGEMENT = _(
    "We have received your message. Your reference is {reference}; we will reply by {due}."
)
TRACKING_LINE = _("Follow your case: {url}")


@transaction.atomic
def acknowledge(
    case: Case, *, now: datetime, actor: User | None = None, tracking_url: str = ""
) -> Message | None:
    """Confirm receipt to the customer with the charter's ``acknowledgement`` text, once,
    followed by the portal link ``tracking_url`` if there is one.
    ``actor=None`` is the desk doing it by itself (the mail says it is automatic).
    Without an address to write to there is no acknowledgement to send: None."""
    if case.contact is None or not case.contact.email:
        return None
    if Event.objects.filter(case=case, kind="acknowledged").exists():
        return None
    if acknowledgement_withheld(case):  # a restricted contact (A3, N7)
        return None
    record_event(case, "acknowledged", at=now, now=now, actor=actor)
    clocks = clocks_left(case, now)
    assert clocks is not None  # record_event has just refreshed them
    return _send_acknowledgement(
        case, now=now, actor=actor, tracking_url=tracking_url, first_due=soonest_due(clocks)
    )


def _send_acknowledgement(
    case: Case,
    *,
    now: datetime,
    actor: User | None,
    tracking_url: str,
    first_due: tuple[str, datetime] | None,
) -> Message:
    """The acknowledgement text, with the reply-by time of the clocks as they now stand
    (``first_due``: what :func:`soonest_due` says of the clocks just refreshed)."""
    if not tracking_url and settings.CHARTERDESK_TRACKING_LINKS:
        tracking_url = import_string(settings.CHARTERDESK_TRACKING_LINKS)(case, now)
    body, secret = acknowledgement_text(case, first_due, tracking_url)
    return tell_customer(case, body=body, now=now, automatic=actor is None, conceal=secret)


def acknowledgement_text(
    case: Case, first_due: tuple[str, datetime | None] | None, tracking_url: str
) -> tuple[str, str]:
    """The acknowledgement's text, and the tracking link's secret to conceal in the copy
    kept on the case. ``first_due`` is (commitment, due time) of the running clock due
    first, if any (intake's batch path has it from the clocks it has just evaluated)."""
    values: dict[str, object] = {"due": first_due[1] if first_due else _("as soon as we can")}
    if first_due is not None:
        commitment = parsed(case.charter).charter.commitment(first_due[0])
        values["processing_time"] = commitment.within if isinstance(commitment.within, str) else ""
    body = compose(case, "acknowledgement", DEFAULT_ACKNOWLEDGEMENT, values)
    if tracking_url:
        body += "\n\n" + compose(case, "tracking_link", TRACKING_LINE, {"url": tracking_url})
    secret = tracking_url.rstrip("/").rsplit("/", 1)[-1] if tracking_url else ""
    return body, secret


def record_event(
    case: Case,
    kind: str,
    *,
    at: datetime,
    now: datetime,
    data: Mapping[str, Any] | None = None,
    actor: User | None = None,
) -> Event:
    """Record something that happened to a case and bring its clocks up to date.

    What is refused is refused before anything is written; the writes are one
    transaction, or part of the caller's (no savepoint of their own: an action calling
    this has one already, and it is a statement less each way for every event)."""
    charter = parsed(case.charter).charter
    if kind not in BUILTIN_EVENTS and kind not in charter.events:
        raise CaseError("unknown-event", f"{kind!r} is not an event of this charter")
    data = dict(data or {})
    problems = CoreEvent(kind=kind, at=at, data=data).data_problems()
    if problems:
        code, message = problems[0]
        raise CaseError(code, message)
    if at > now:
        raise CaseError("future", "an event cannot be recorded in the future")
    with transaction.atomic(savepoint=False):
        event = Event.objects.create(
            organization_id=case.organization_id,
            case=case,
            kind=kind,
            at=at,
            data=_jsonable(data),
            actor=actor,
        )
        if kind in STATUS_AFTER and case.status != STATUS_AFTER[kind]:
            case.status = STATUS_AFTER[kind]
            case.save(update_fields=["status"])
        _audit(case, actor, f"event:{kind}", {"event": event.pk}, now)
        _refresh(case, now)
    return event


def _jsonable(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if hasattr(value, "isoformat") else value
        for key, value in data.items()
    }


#: The columns :func:`_audit` writes.
_AUDITED = ("organization", "actor", "action", "target", "data", "at")


def _audit(
    case: Case, actor: User | None, action: str, data: dict[str, Any], now: datetime
) -> None:
    """An audit entry for the case. Every event writes one: a plain INSERT, with each
    value prepared by its field as the ORM's save would (which costs several times as
    much; audit entries have no ``save()`` of their own and no signal receivers)."""
    sql, fields = _audit_insert(connection.vendor)
    target = f"case:{case.reference}"
    values = (case.organization_id, actor.pk if actor else None, action, target, data, now)
    pairs = zip(fields, values, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(sql, [field.get_db_prep_save(value, connection) for field, value in pairs])


@cache
def _audit_insert(vendor: str) -> tuple[str, tuple[Field[Any, Any], ...]]:
    """The INSERT of an audit entry (on the ``vendor``'s database), and the fields of
    its values, in order."""
    meta, quote = AuditEntry._meta, connection.ops.quote_name
    by_name = {field.name: field for field in meta.concrete_fields}
    fields = tuple(by_name[name] for name in _AUDITED)
    columns = ", ".join(quote(field.column) for field in fields)
    values = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values})", fields
