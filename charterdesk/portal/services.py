"""What customers do, one function each, one transaction each (the desk's services do
the rest: :func:`charterdesk.cases.services.open_case`, :mod:`charterdesk.cases.actions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import make_msgid
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from charterdesk.cases import actions
from charterdesk.cases.charters import parsed
from charterdesk.cases.customer_mail import mail_domain
from charterdesk.cases.models import (
    AuditEntry,
    Case,
    Contact,
    Event,
    Message,
    Organization,
    OutboxMessage,
)
from charterdesk.cases.services import CaseError, open_case, record_event
from charterdesk.localized import django_language
from charterdesk.portal import links
from charterdesk.portal.uploads import store_files
from charterdesk.reports.surveys import after_kinds, record_rating

RESOLUTIONS = ("resolved", "resolved_at_first_contact")


@dataclass(frozen=True, slots=True)
class Submitted:
    case: Case
    token: str

    @property
    def tracking_url(self) -> str:
        return links.tracking_url(self.token)


@dataclass(frozen=True, slots=True)
class Submission:
    """What a web form carries, already validated."""

    case_type: str
    language: str
    name: str
    email: str
    phone: str
    subject: str
    message: str
    fields: dict[str, Any]
    files: Sequence[UploadedFile] = ()


def web_form_channel(org: Organization) -> str | None:
    """The id of the charter's web form channel, if it has one."""
    assert org.charter is not None
    channels = parsed(org.charter).charter.channels
    return next((key for key, channel in channels.items() if channel.kind == "web_form"), None)


def form_case_types(org: Organization) -> list[str]:
    """The case types the organization's web form accepts, in the charter's order."""
    if org.charter is None:
        return []
    channel = web_form_channel(org)
    if channel is None:
        return []
    charter = parsed(org.charter).charter
    accepts = charter.channels[channel].accepts_case
    return [key for key, spec in charter.case_types.items() if accepts(key) and not spec.internal]


@sensitive_variables("token")
@transaction.atomic
def submit(org: Organization, form: Submission, *, now: datetime) -> Submitted:
    """A case from the web form: the contact (found by address), the case on the web form
    channel with the acknowledgement and its tracking link, the message and its files."""
    channel = web_form_channel(org)
    if channel is None or form.case_type not in form_case_types(org):
        raise CaseError("channel-refuses", f"the web form does not take {form.case_type} cases")
    contact = _contact(org, form)
    token = links.new_token()
    case = open_case(
        org,
        case_type=form.case_type,
        channel=channel,
        received_at=now,
        now=now,
        subject=form.subject or _first_words(form.message),
        fields=form.fields,
        contact=contact,
        language=form.language,
        tracking_url=links.tracking_url(token),
    )
    message = Message.objects.create(
        organization_id=org.pk,
        case=case,
        direction=Message.Direction.IN,
        channel=channel,
        author=contact.name,
        body=form.message,
        at=now,
    )
    store_files(message, form.files)
    links.grant(case, token, now)
    _hide_token_in_stored_messages(case, token)
    return Submitted(case, token)


def _contact(org: Organization, form: Submission) -> Contact:
    email = form.email.strip()
    contact = Contact.objects.filter(organization=org, email__iexact=email).order_by("pk").first()
    if contact is None:
        return Contact.objects.create(
            organization=org, name=form.name, email=email, phone=form.phone, language=form.language
        )
    changed = [
        name
        for name, value in (("name", form.name), ("phone", form.phone))
        if value and not getattr(contact, name)
    ]
    for name in changed:
        setattr(contact, name, getattr(form, name))
    if changed:
        contact.save(update_fields=changed)
    return contact


def _first_words(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


@sensitive_variables("token")
def _hide_token_in_stored_messages(case: Case, token: str) -> None:
    """The acknowledgement's copy on the case keeps the link without its token: staff
    read it, the outbox row alone carries the whole link to the customer."""
    for message in Message.objects.filter(case=case, body__contains=token):
        message.body = message.body.replace(token, "…")
        message.save(update_fields=["body"])


@transaction.atomic
def reply(
    case: Case,
    *,
    body: str,
    now: datetime,
    complete: bool = False,
    files: Sequence[UploadedFile] = (),
) -> Message:
    """The customer writes on the case; ``complete`` answers an information request in
    full, which starts the clocks that wait for everything to be gathered (T18)."""
    if case.status == Case.Status.CLOSED:
        raise CaseError("closed", "this case is closed")
    awaited = case.status == Case.Status.AWAITING_CUSTOMER
    message = actions.receive_customer_reply(
        case, body=body.strip(), at=now, now=now, author=_customer(case)
    )
    store_files(message, files)
    if complete and awaited:
        actions.mark_information_complete(case, now=now, actor=None)
    return message


EVIDENCE_NOTE = _("Evidence added: %(files)s")


@transaction.atomic
def add_evidence(case: Case, *, files: Sequence[UploadedFile], note: str, now: datetime) -> Message:
    """Files the customer adds to the case, with what they show."""
    if not files:
        raise CaseError("missing-data", "evidence needs at least one file")
    if case.status == Case.Status.CLOSED:
        raise CaseError("closed", "this case is closed")
    with translation.override(django_language(case.language)):
        names = ", ".join(file.name or "" for file in files)
        body = note.strip() or str(EVIDENCE_NOTE % {"files": names})
    message = actions.receive_customer_reply(
        case, body=body, at=now, now=now, author=_customer(case)
    )
    store_files(message, files)
    return message


def _customer(case: Case) -> str:
    return case.contact.name if case.contact else ""


def may_appeal(case: Case) -> bool:
    """A11: the charter's appeal is open to this case type, and there is a decision to
    appeal: resolved, and not appealed since."""
    appeal = parsed(case.charter).charter.appeal
    if appeal is None or case.case_type not in appeal.case_types:
        return False
    if case.status not in (Case.Status.RESOLVED, Case.Status.CLOSED):
        return False
    last = (
        Event.objects.filter(case=case, kind__in=(*RESOLUTIONS, "appealed"))
        .order_by("-at", "-pk")
        .values_list("kind", flat=True)
        .first()
    )
    return last in RESOLUTIONS


@transaction.atomic
def appeal(case: Case, *, reason: str, now: datetime) -> Event:
    """A11: the customer asks for the decision to be reviewed; the case opens again."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not may_appeal(locked):
        raise CaseError("no-appeal", "this decision cannot be appealed here")
    reason = reason.strip()
    if not reason:
        raise CaseError("missing-data", "an appeal needs a reason")
    event = record_event(case, "appealed", at=now, now=now, data={"reason": reason})
    OutboxMessage.objects.create(  # staff are told by the worker (outbox/notifications.py)
        organization_id=case.organization_id,
        case=case,
        kind="notification",
        key=f"appealed:{event.pk}",
        payload={"action": "appealed", "case": case.reference},
        next_attempt_at=now,
    )
    case.refresh_from_db(fields=["status"])
    return event


def may_rate(case: Case) -> bool:
    """A4, T23: after the resolution the survey follows, once per case."""
    survey = parsed(case.charter).charter.survey
    if survey is None:
        return False
    events = Event.objects.filter(case=case)
    return (
        events.filter(kind__in=after_kinds(survey)).exists()
        and not events.filter(kind="rated").exists()
    )


def rate(case: Case, *, answers: dict[str, int], now: datetime) -> Event:
    """The survey's answers; the first question (the charter's overall one) is the score."""
    survey = parsed(case.charter).charter.survey
    if survey is None:
        raise CaseError("no-survey", "this organization's charter has no survey")
    score = answers.get(survey.questions[0].id, 0)
    return record_rating(case, score=score, answers=answers, now=now)


LINK_SUBJECT = _("Your link to follow case %(reference)s")
LINK_BODY = _(
    "You asked for the link to follow your case %(reference)s again. Here it is:\n\n%(url)s\n\n"
    "If you did not ask for it, you can ignore this message."
)


@sensitive_variables("token")
@transaction.atomic
def send_link_again(reference: str, email: str, *, now: datetime) -> bool:
    """Mail a new tracking link to the case's contact, if ``reference`` is a case whose
    contact has this address. The caller answers the same whatever this returns."""
    case = (
        Case.objects.select_related("organization", "charter", "contact")
        .filter(reference=reference.strip().upper(), contact__email__iexact=email.strip())
        .first()
    )
    if case is None or case.contact is None:
        return False
    token = links.new_token()
    access = links.grant(case, token, now)
    values = {"reference": case.reference, "url": links.tracking_url(token)}
    with translation.override(django_language(case.language)):
        subject, body = str(LINK_SUBJECT % values), str(LINK_BODY % values)
    OutboxMessage.objects.create(
        organization_id=case.organization_id,
        case=case,
        kind="mail",
        key=f"portal-link:{access.pk}",
        payload={
            "to": [case.contact.email],
            "subject": f"[{case.reference}] {subject}",
            "body": body,
            "language": case.language,
            "message_id": make_msgid(domain=mail_domain(case)),
            "in_reply_to": None,
            "references": [],
            "case": case.reference,
            "automatic": True,
        },
        next_attempt_at=now,
    )
    AuditEntry.objects.create(
        organization_id=case.organization_id,
        action="portal_link_sent",
        target=f"case:{case.reference}",
        data={"access": access.pk},
        at=now,
    )
    return True


def case_for_survey(org: Organization, reference: str, email: str) -> Case | None:
    """The survey page's case: the reference within the organization, and the address
    the customer gave (the invitation carries no secret)."""
    return (
        Case.objects.select_related("organization", "charter", "contact")
        .filter(organization=org, reference=reference, contact__email__iexact=email.strip())
        .first()
    )
