"""Erasure: a contact's personal data removed, the statistics kept.

What goes: the contact's name, address and phone; each case's subject and the free text
of its charter fields; message bodies, raw mail, cleaned HTML and the names of senders;
attachments with their files; the free text in event data; mail payloads in the outbox;
bounce reports; tracking links. What stays: the cases (type, channel, language, status,
times), their events (kind, time, the data clocks and reports read) and clocks, so that
every figure in the reports is the same afterwards (docs/decisions/0010).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext

from charterdesk.cases.charters import parsed
from charterdesk.cases.models import (
    Attachment,
    AuditEntry,
    Case,
    Contact,
    Event,
    Message,
    OutboxMessage,
)
from charterdesk.channels.models import ChannelConversation
from charterdesk.intake.models import Bounce, MessageHtml, RejectedMail
from charterdesk.portal.models import CaseAccess
from charterdesk.privacy.holds import PrivacyError, holds_blocking
from charterdesk.privacy.models import ErasedCase, ErasureRecord
from charterdesk.privacy.roles import require_privacy_role

#: What erased text is replaced with (not blank: an event whose required data is blank
#: would no longer count, and its clocks would change).
ERASED = "[erased]"
#: Charter field kinds that hold free text about a person.
FREE_TEXT_KINDS = frozenset({"text", "long_text", "phone", "email", "person"})
#: Event data that clocks and reports read, or that names no customer: kept as it is.
KEPT_EVENT_DATA = frozenset(
    {"new_date", "by", "cause", "score", "answers", "owner", "articles", "review_on", "reference"}
)


def scrubbed(value: Any, key: str = "") -> Any:
    """Event data with every free text replaced, keeping what clocks and reports read."""
    if key in KEPT_EVENT_DATA:
        return value
    if isinstance(value, str):
        return ERASED if value.strip() else value
    if isinstance(value, list):
        return [scrubbed(item) for item in value]
    if isinstance(value, dict):
        return {k: scrubbed(v, k) for k, v in value.items()}
    return value  # numbers, booleans, None


def _field_kinds(case: Case) -> tuple[dict[str, str], set[str]]:
    """The case type's field kinds, and the fields a commitment's conditions compare."""
    charter = parsed(case.charter).charter
    spec = charter.case_types.get(case.case_type)
    kinds: dict[str, str] = {field.name: field.kind for field in spec.fields} if spec else {}
    compared = {name for c in charter.commitments for name in c.applies.fields}
    return kinds, compared


def erased_fields(case: Case) -> dict[str, Any]:
    """The case's fields without their free text; dates, booleans and anything a rule
    compares stay (the clocks depend on them)."""
    kinds, compared = _field_kinds(case)
    kept: dict[str, Any] = {}
    for name, value in case.fields.items():
        free = kinds.get(name, "text") in FREE_TEXT_KINDS
        if name in compared or not free or not isinstance(value, str) or not value:
            kept[name] = value
        else:
            kept[name] = ERASED
    return kept


def _erase_messages(case: Case, counts: Counter[str]) -> None:
    messages = Message.objects.filter(organization_id=case.organization_id, case=case)
    counts["raw_mail"] += messages.filter(raw__isnull=False).update(raw=None)
    counts["messages"] += messages.exclude(body="").update(body=ERASED)
    messages.filter(direction=Message.Direction.IN).update(author="")
    counts["html"] += MessageHtml.objects.filter(message__in=messages).delete()[0]
    for attachment in Attachment.objects.filter(message__in=messages):
        if attachment.file:
            attachment.file.delete(save=False)
        attachment.delete()
        counts["attachments"] += 1
    counts["bounces"] += Bounce.objects.filter(message__in=messages).update(
        raw=b"", recipient="", diagnostic=""
    )


def _erase_events(case: Case, counts: Counter[str]) -> None:
    for pk, data in Event.objects.filter(case=case).values_list("pk", "data"):
        clean = scrubbed(data)
        if clean != data:  # events are append-only; erasure is the one rewrite allowed
            Event.objects.filter(pk=pk).update(data=clean)
            counts["events"] += 1


def _erase_case(case: Case, record: ErasureRecord, now: datetime) -> Counter[str]:
    counts: Counter[str] = Counter()
    if ErasedCase.objects.filter(case=case).exists():
        return counts
    case.subject, case.fields = "", erased_fields(case)
    case.save(update_fields=["subject", "fields"])
    _erase_messages(case, counts)
    _erase_events(case, counts)
    sent = OutboxMessage.objects.filter(case=case).exclude(status=OutboxMessage.Status.PENDING)
    counts["outbox"] += sent.update(payload={"erased": True})
    counts["outbox"] += OutboxMessage.objects.filter(
        case=case, status=OutboxMessage.Status.PENDING
    ).update(
        payload={"erased": True},
        status=OutboxMessage.Status.FAILED,
        last_error="personal data erased before sending",
    )
    ChannelConversation.objects.filter(case=case).update(handle="")
    CaseAccess.objects.filter(case=case).update(revoked=True)
    ErasedCase.objects.create(
        organization_id=case.organization_id, case=case, record=record, at=now
    )
    counts["cases"] += 1
    return counts


def _erase_contact_details(contact: Contact, counts: Counter[str]) -> None:
    if contact.email:
        counts["rejected_mail"] += RejectedMail.objects.filter(
            organization_id=contact.organization_id, sender__iexact=contact.email
        ).delete()[0]
    if contact.name or contact.email or contact.phone:
        contact.name, contact.email, contact.phone = "", "", ""
        contact.save(update_fields=["name", "email", "phone"])
        counts["contacts"] += 1


def _record(
    organization_id: int,
    contact: Contact | None,
    trigger: str,
    reason: str,
    actor: User | None,
    now: datetime,
) -> ErasureRecord:
    return ErasureRecord.objects.create(
        organization_id=organization_id,
        contact=contact,
        trigger=trigger,
        reason=reason,
        actor=actor,
        at=now,
    )


def _finish(
    record: ErasureRecord, cases: list[Case], counts: Mapping[str, int], target: str
) -> ErasureRecord:
    record.cases = [case.reference for case in cases]
    record.counts = dict(sorted(counts.items()))
    record.save(update_fields=["cases", "counts"])
    AuditEntry.objects.create(
        organization_id=record.organization_id,
        actor=record.actor,
        action=f"privacy:erased_{record.trigger}",
        target=target,
        data={"record": record.pk, "cases": record.cases, "counts": record.counts},
        at=record.at,
    )
    return record


@transaction.atomic
def erase_contact(contact: Contact, *, reason: str, actor: User, now: datetime) -> ErasureRecord:
    """Erase everything personal of one contact, in every case of theirs; refused while a
    legal hold stands on the contact or on any of those cases."""
    require_privacy_role(actor, contact.organization_id)
    if not reason.strip():
        raise PrivacyError("missing-reason", "say why the data is erased (the request)")
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    cases = list(
        Case.objects.filter(organization_id=contact.organization_id, contact=contact)
        .select_related("charter")
        .order_by("received_at")
    )
    holds = holds_blocking(contact, [case.pk for case in cases])
    if holds:
        raise PrivacyError("held", _held_message(holds))
    record = _record(contact.organization_id, contact, "request", reason.strip(), actor, now)
    counts: Counter[str] = Counter()
    for case in cases:
        counts.update(_erase_case(case, record, now))
    _erase_contact_details(contact, counts)
    return _finish(record, cases, counts, f"contact:{contact.pk}")


def erase_case_by_retention(case: Case, now: datetime) -> ErasureRecord | None:
    """Retention's erasure of one closed case (in the caller's transaction); None if it
    was erased before. The contact's details go too once none of their cases is left
    unerased."""
    if ErasedCase.objects.filter(case=case).exists():
        return None
    record = _record(case.organization_id, case.contact, "retention", "retention", None, now)
    counts = _erase_case(case, record, now)
    contact = case.contact
    if contact is not None:
        left = (
            Case.objects.filter(contact=contact)
            .exclude(pk__in=ErasedCase.objects.filter(case__contact=contact).values("case_id"))
            .exists()
        )
        if not left:
            _erase_contact_details(contact, counts)
    return _finish(record, [case], counts, f"case:{case.reference}")


def _held_message(holds: list[Any]) -> str:
    where = ", ".join(
        gettext("case %(reference)s") % {"reference": hold.case.reference}
        if hold.case is not None
        else gettext("this contact")
        for hold in holds
    )
    first = holds[0]
    return gettext(
        "A legal hold stands on %(where)s (placed %(date)s: %(reason)s). "
        "Nothing was erased; release the hold first if the data may now go."
    ) % {"where": where, "date": f"{first.placed_at:%Y-%m-%d}", "reason": first.reason}
