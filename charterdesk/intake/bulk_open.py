"""Opening many cases from mail at once: the rows :func:`opening.open_from_mail` writes for
each mail (contact, case, ``received`` and ``acknowledged`` events, audit entries, the
customer's message with its HTML and attachments, the clocks, the tracking link, our
acknowledgement and its outbox row), written with one insert per table for the batch.

Only for the plain mail :mod:`charterdesk.intake.batch` picked (a new case, nothing to
note on it): the clocks of each case are evaluated once, in Python, with the events it
opens with, and the acknowledgement is written from that evaluation. The rows are the
same as those mail received one by one would leave (``tests/intake/test_batch.py``
compares them); ``post_save`` is sent for each new row, as ``save()`` would, so the
outbox's "send as soon as committed" still sees every mail.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import make_msgid
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, models, router
from django.db.models.signals import post_save
from django.utils.module_loading import import_string

from charterdesk.cases.charters import parsed
from charterdesk.cases.clock_index import EVALUATED, evaluated, kept, next_due, soonest_due
from charterdesk.cases.customer_mail import mail_domain, mail_payload
from charterdesk.cases.models import (
    Attachment,
    AuditEntry,
    Case,
    Clock,
    Contact,
    Event,
    Message,
    OutboxMessage,
)
from charterdesk.cases.services import acknowledgement_text, next_references
from charterdesk.core.events import Event as CoreEvent
from charterdesk.intake.filetypes import Verdict
from charterdesk.intake.models import MessageHtml
from charterdesk.intake.outcome import Outcome
from charterdesk.intake.parsing import ParsedMail, Part
from charterdesk.intake.plain_rows import insert
from charterdesk.intake.routing import Route
from charterdesk.intake.storing import author_of

#: The tracking links of the portal; made here in bulk, any other is called per case.
PORTAL_LINKS = "charterdesk.portal.links.new_tracking_url"


@dataclass(slots=True)
class NewCase:
    """One mail that opens a case, with everything decided before anything is written."""

    raw: bytes
    mail: ParsedMail
    found: Route
    contact: Contact  # stored already, or made for this batch (saved first, once)
    language: str | None
    case_type: str
    received_at: datetime
    acknowledge: bool
    attachments: list[tuple[Part, Verdict]]


def open_many(items: Sequence[NewCase], now: datetime) -> list[Outcome]:
    """Write the cases of ``items`` (in the caller's transaction), in order."""
    if not items:
        return []
    created: list[models.Model] = []
    new_contacts = list({id(i.contact): i.contact for i in items if i.contact.pk is None}.values())
    created += insert(Contact, new_contacts)
    cases = _cases(items)
    plans = [_evaluate(case, item, now) for case, item in zip(cases, items, strict=True)]
    created += insert(Case, cases)

    events: list[Event] = []
    audit: list[AuditEntry] = []
    incoming: list[Message] = []
    clocks: list[tuple[Any, ...]] = []
    for case, item, rows in zip(cases, items, plans, strict=True):
        org = item.found.organization
        events.append(Event(organization=org, case=case, kind="received", at=case.received_at))
        opened = {"channel": case.channel, "case_type": case.case_type}
        audit.append(_audit(case, "case_opened", opened, now))
        if item.acknowledge:
            events.append(Event(organization=org, case=case, kind="acknowledged", at=now))
            audit.append(_audit(case, "event:acknowledged", {}, now))
        incoming.append(
            Message(
                organization_id=org.pk,
                case=case,
                direction=Message.Direction.IN,
                channel=case.channel,
                author=author_of(item.mail),
                body=item.mail.text,
                raw=item.raw,
                message_id=item.mail.message_id,
                at=case.received_at,
            )
        )
        clocks += [(org.pk, case.pk, c, *row) for c, row in rows.items() if kept(row)]
    created += insert(Event, events)
    created += insert(AuditEntry, audit)
    created += insert(Message, incoming)
    created += _parts(items, incoming)
    _insert_clocks(clocks)
    created += _acknowledgements(cases, items, plans, now)
    _saved(created)
    return [
        Outcome(
            "case",
            "opened",
            case.reference,
            f"opened {case.case_type} from {item.mail.sender or 'an unknown sender'}, "
            f"{len(item.attachments)} attachment(s)",
        )
        for case, item in zip(cases, items, strict=True)
    ]


def _cases(items: Sequence[NewCase]) -> list[Case]:
    """Unsaved cases, numbered in order from one counter update per (organization, year)."""
    wanted: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        wanted[item.found.organization.pk, item.received_at.year].append(index)
    references: dict[int, str] = {}
    for (_, year), indexes in wanted.items():
        org = items[indexes[0]].found.organization
        for index, reference in zip(indexes, next_references(org, year, len(indexes)), strict=True):
            references[index] = reference
    cases = []
    for index, item in enumerate(items):
        org = item.found.organization
        assert org.charter is not None  # routes come from charters in force
        charter = parsed(org.charter).charter
        cases.append(
            Case(
                organization=org,
                reference=references[index],
                charter=org.charter,
                case_type=item.case_type,
                channel=item.found.channel,
                subject=item.mail.subject[:300],
                fields={},
                language=item.language or charter.organization.languages[0],
                contact=item.contact,
                priority=charter.case_types[item.case_type].priority,
                received_at=item.received_at,
            )
        )
    return cases


def _evaluate(case: Case, item: NewCase, now: datetime) -> dict[str, Any]:
    """The case's clocks with the events it opens with (once), and its ``next_due_at``."""
    opening = [CoreEvent(kind="received", at=case.received_at, data={})]
    if item.acknowledge:
        opening.append(CoreEvent(kind="acknowledged", at=now, data={}))
    rows = evaluated(case, opening, now)
    case.next_due_at = next_due(rows.values())
    return rows


def _audit(case: Case, action: str, data: dict[str, Any], now: datetime) -> AuditEntry:
    return AuditEntry(
        organization_id=case.organization_id,
        actor=None,
        action=action,
        target=f"case:{case.reference}",
        data=data,
        at=now,
    )


def _parts(items: Sequence[NewCase], messages: Sequence[Message]) -> list[models.Model]:
    """The cleaned HTML and the attachments (each file written as its row is made, as
    ``storing.store_parts`` does)."""
    html: list[MessageHtml] = []
    files: list[Attachment] = []
    for item, message in zip(items, messages, strict=True):
        if item.mail.html:
            html.append(
                MessageHtml(
                    organization_id=message.organization_id, message=message, html=item.mail.html
                )
            )
        for part, verdict in item.attachments:
            attachment = Attachment(
                organization_id=message.organization_id,
                message=message,
                filename=part.filename or "attachment",
                content_type=verdict.content_type,
                size=len(part.data),
            )
            name = f"{uuid4().hex}{verdict.extension}"
            attachment.file.save(name, ContentFile(part.data), False)
            files.append(attachment)
    insert(Attachment, files)  # (as store_parts does: no post_save for these)
    return list(insert(MessageHtml, html))


def _acknowledgements(
    cases: Sequence[Case], items: Sequence[NewCase], plans: Sequence[dict[str, Any]], now: datetime
) -> list[models.Model]:
    """Our acknowledgement of each case that gets one, answering the customer's mail,
    with the reply-by time of the clocks just evaluated, and its outbox row."""
    acknowledged = [(c, i, p) for c, i, p in zip(cases, items, plans, strict=True) if i.acknowledge]
    if not acknowledged:
        return []
    links, created = _tracking_links([case for case, _, _ in acknowledged], now)
    messages: list[Message] = []
    bodies: list[str] = []
    for (case, _, rows), link in zip(acknowledged, links, strict=True):
        body, secret = acknowledgement_text(case, soonest_due(rows), link)
        bodies.append(body)
        messages.append(
            Message(
                organization_id=case.organization_id,
                case=case,
                direction=Message.Direction.OUT,
                channel=case.channel,
                author="",
                body=body.replace(secret, "…") if secret else body,
                message_id=make_msgid(domain=mail_domain(case)),
                at=now,
            )
        )
    created += insert(Message, messages)
    outbox = [
        OutboxMessage(
            organization_id=case.organization_id,
            case=case,
            kind="mail",
            key=f"mail:{message.pk}",
            payload={
                **mail_payload(
                    case,
                    message,
                    item.contact.email,
                    True,
                    [(Message.Direction.IN, item.mail.message_id)],
                ),
                "body": body,
            },
            next_attempt_at=now,
        )
        for (case, item, _), message, body in zip(acknowledged, messages, bodies, strict=True)
    ]
    return [*created, *insert(OutboxMessage, outbox)]


def _tracking_links(cases: Sequence[Case], now: datetime) -> tuple[list[str], list[models.Model]]:
    """Each case's new tracking link (settings.CHARTERDESK_TRACKING_LINKS), and the rows
    that store them when they are the portal's, made in one insert."""
    setting = settings.CHARTERDESK_TRACKING_LINKS
    if not setting:
        return [""] * len(cases), []
    if setting != PORTAL_LINKS:
        make = import_string(setting)
        return [make(case, now) for case in cases], []
    from charterdesk.portal.links import new_token, token_hash, tracking_url
    from charterdesk.portal.models import CaseAccess

    tokens = [new_token() for _ in cases]
    access = [
        CaseAccess(
            organization_id=case.organization_id,
            case=case,
            token_hash=token_hash(token),
            created_at=now,
        )
        for case, token in zip(cases, tokens, strict=True)
    ]
    created: list[models.Model] = list(insert(CaseAccess, access))
    return [tracking_url(token) for token in tokens], created


def _insert_clocks(rows: Sequence[tuple[Any, ...]]) -> None:
    """The new clock rows (organization, case, commitment, then the EVALUATED columns), in
    one ``executemany``: at a dozen commitments a case they are most of the rows, and model
    instances cost more than the insert (as in ``clock_index``; ``bulk_create`` there
    sends no ``post_save`` either)."""
    if not rows:
        return
    ops = connection.ops
    names = ("organization_id", "case_id", "commitment", *EVALUATED)
    times = [i for i, name in enumerate(names) if name.endswith("_at")]
    adapted = []
    for row in rows:
        values = list(row)
        for i in times:
            values[i] = ops.adapt_datetimefield_value(values[i])
        adapted.append(values)
    table = ops.quote_name(Clock._meta.db_table)
    columns = ", ".join(ops.quote_name(name) for name in names)
    marks = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", adapted)


def _saved(rows: Sequence[models.Model]) -> None:
    """``post_save`` for each new row, as ``Model.save()`` sends it."""
    for row in rows:
        model = type(row)
        post_save.send(
            sender=model,
            instance=row,
            created=True,
            update_fields=None,
            raw=False,
            using=router.db_for_write(model),
        )
