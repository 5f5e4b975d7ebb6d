"""Contacts staff enter by hand: a phone call, a voicemail, a letter or in-store form, a
visit. The clock starts when the contact arrived, not when it is typed in (a letter
read on Monday that came on Friday is Friday's). One transaction each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from charterdesk.cases import actions
from charterdesk.cases.charters import NotAllowed, parsed
from charterdesk.cases.models import Case, Membership, Message, Organization
from charterdesk.cases.services import CaseError, open_case, record_event
from charterdesk.channels.contacts import contact_for
from charterdesk.channels.rules import STAFF_KINDS, redirect_for
from charterdesk.core.charter import Charter
from charterdesk.localized import django_language

RECORDING_LINE = _("Recording: {url}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """What staff know of a contact. ``received_at`` is when it arrived: the call, the
    voicemail left, the letter or form received, the visit."""

    channel: str
    case_type: str
    received_at: datetime
    language: str
    name: str = ""
    email: str = ""
    phone: str = ""
    subject: str = ""
    text: str = ""  # what the customer said or wrote, as staff took it down
    fields: Mapping[str, Any] = field(default_factory=dict)  # the case type's own fields
    recording_url: str = ""
    answer: str = ""  # the answer given there and then
    resolved_at_first_contact: bool = False


def may_log(actor: User, org: Organization) -> bool:
    """Anyone who works cases logs contacts; a viewer does not."""
    return Membership.objects.filter(
        organization=org, user=actor, role__in=actions.WORKING_ROLES
    ).exists()


def _charter(org: Organization) -> Charter:
    if org.charter is None:
        raise CaseError("no-charter", f"{org.slug} has no approved charter")
    return parsed(org.charter).charter


@transaction.atomic
def log_contact(org: Organization, entry: Entry, *, now: datetime, actor: User) -> Case:
    """Open the case on the channel it came by, with what the customer said as its first
    message; resolved at once if staff answered there and then (E3)."""
    if not may_log(actor, org):
        raise NotAllowed("viewers cannot log contacts")
    charter = _charter(org)
    if entry.channel not in charter.channels or charter.channels[entry.channel].kind not in (
        STAFF_KINDS
    ):
        raise CaseError("not-a-staff-channel", f"{entry.channel!r} is not entered by staff")
    if entry.resolved_at_first_contact and not entry.answer.strip():
        raise CaseError("missing-answer", gettext("Say what the customer was told."))
    contact = contact_for(
        org, name=entry.name, email=entry.email, phone=entry.phone, language=entry.language
    )
    case = open_case(
        org,
        case_type=entry.case_type,
        channel=entry.channel,
        received_at=entry.received_at,
        now=now,
        subject=entry.subject.strip(),
        fields=entry.fields,
        contact=contact,
        language=entry.language,
        actor=actor,
    )
    body = _first_message(entry)
    if body:
        Message.objects.create(
            organization_id=org.pk,
            case=case,
            direction=Message.Direction.IN,
            channel=entry.channel,
            author=contact.name if contact else "",
            body=body,
            at=entry.received_at,
        )
    if entry.resolved_at_first_contact:
        actions.resolve(
            case, result=entry.answer, steps=[], now=now, actor=actor, first_contact=True
        )
    return case


def _first_message(entry: Entry) -> str:
    parts = [entry.text.strip()]
    if entry.recording_url.strip():
        with translation.override(django_language(entry.language)):
            parts.append(str(RECORDING_LINE).format(url=entry.recording_url.strip()))
    return "\n\n".join(part for part in parts if part)


@transaction.atomic
def log_and_redirect(
    org: Organization, entry: Entry, *, now: datetime, actor: User
) -> tuple[Case, Message]:
    """A7: the channel does not take this case type. Log the contact as the type it does
    take and send the customer the charter's text with the way to the right channel
    (ASK4: a phone complaint becomes an enquiry, and the caller gets the form link)."""
    charter = _charter(org)
    if entry.channel not in charter.channels:
        raise CaseError("unknown-channel", f"{org.slug} has no channel {entry.channel!r}")
    redirect = redirect_for(org, charter, entry.channel, entry.case_type, entry.language)
    if redirect is None:
        raise CaseError("no-redirect", "this channel takes the case type, or names no other")
    logged = replace(
        entry, case_type=redirect.accepted_type, fields={}, resolved_at_first_contact=False
    )
    case = log_contact(org, logged, now=now, actor=actor)
    message = actions.reply(case, body=redirect.text, now=now, actor=actor)
    return case, message


@transaction.atomic
def record_callback(case: Case, *, notes: str, now: datetime, actor: User | None) -> None:
    """The customer was called back (a voicemail or a missed call returned: L2, T15, N2)."""
    if actor is not None and actions.role_of(actor, case) not in actions.WORKING_ROLES:
        raise NotAllowed("viewers cannot act on cases")
    data = {"text": notes.strip()} if notes.strip() else {}
    record_event(case, "callback_made", at=now, now=now, data=data, actor=actor)
