"""Webhook events into cases: a chat or social message opens a case for a new
conversation or continues the conversation's case; a voicemail or a call opens a case
whose clock starts when it was left or made. Each event is taken once, by its id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from charterdesk.cases import actions
from charterdesk.cases.charters import parsed
from charterdesk.cases.models import Case, Message, Organization
from charterdesk.cases.services import CaseError, acknowledge, open_case
from charterdesk.channels.contacts import contact_for
from charterdesk.channels.models import ChannelConversation, ChannelEvent
from charterdesk.channels.payloads import CallEvent, MessageEvent, Party, VoicemailEvent
from charterdesk.channels.rules import default_case_type, takes_event
from charterdesk.core.charter import Charter
from charterdesk.intake.language import guess_language
from charterdesk.localized import django_language

Payload = MessageEvent | VoicemailEvent | CallEvent

SUBJECTS = {
    "message": _("Message from {who}"),
    "voicemail": _("Voicemail from {who}"),
    "call": _("Call from {who}"),
    "missed": _("Missed call from {who}"),
}
RECORDING_LINE = _("Recording: {url}")
UNKNOWN_CALLER = _("an unknown caller")


@dataclass(frozen=True, slots=True)
class Received:
    case: Case
    outcome: str  # opened | continued | duplicate


def receive(org: Organization, channel: str, event: Payload, *, now: datetime) -> Received:
    """Take one event. A second delivery of the same id answers with the same case and
    writes nothing; two deliveries at once are settled by the database's unique keys
    (the loser's transaction is rolled back and it reads the winner's work)."""
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _receive(org, channel, event, now)
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def _receive(org: Organization, channel: str, event: Payload, now: datetime) -> Received:
    earlier = (
        ChannelEvent.objects.select_related("case")
        .filter(organization=org, channel=channel, event_id=event.id)
        .first()
    )
    if earlier is not None:
        return Received(earlier.case, "duplicate")
    assert org.charter is not None
    charter = parsed(org.charter).charter
    if not takes_event(charter, channel, event.type):
        raise CaseError("wrong-channel-kind", f"{channel} does not take {event.type} events")
    conversation = _conversation(org, channel, event)
    if conversation is not None and conversation.case.status != Case.Status.CLOSED:
        case = conversation.case
        _continue(case, event, now)
        outcome = ChannelEvent.Outcome.CONTINUED
    else:
        case = _open(org, charter, channel, event, now)
        outcome = ChannelEvent.Outcome.OPENED
        if conversation is not None:  # a closed case's conversation goes on in a new case
            conversation.case = case
            conversation.save(update_fields=["case"])
        elif event.conversation_id:  # two at once: the second insert fails, and retries
            ChannelConversation.objects.create(
                organization=org,
                channel=channel,
                external_id=event.conversation_id,
                case=case,
                handle=_party(event).handle,
                created_at=now,
            )
    ChannelEvent.objects.create(
        organization=org,
        channel=channel,
        event_id=event.id,
        kind=event.type,
        case=case,
        outcome=outcome,
        received_at=now,
    )
    return Received(case, str(outcome))


def _party(event: Payload) -> Party:
    return event.sender if isinstance(event, MessageEvent) else event.caller


def _arrived(event: Payload, now: datetime) -> datetime:
    """When it happened by the provider's clock, never later than the desk's."""
    if isinstance(event, MessageEvent):
        at = event.sent_at
    elif isinstance(event, VoicemailEvent):
        at = event.left_at
    else:
        at = event.started_at
    return min(at, now)


def _text(event: Payload, language: str) -> str:
    if isinstance(event, MessageEvent):
        return event.text
    if isinstance(event, CallEvent):
        return event.notes
    parts = [event.transcript.strip()]
    if event.recording_url:
        with translation.override(django_language(language)):
            parts.append(str(RECORDING_LINE).format(url=event.recording_url))
    return "\n\n".join(part for part in parts if part)


def _conversation(org: Organization, channel: str, event: Payload) -> ChannelConversation | None:
    if not event.conversation_id:
        return None
    # Locked: messages of one conversation are taken one after another.
    return (
        ChannelConversation.objects.select_related("case", "case__contact", "case__organization")
        .select_for_update(of=("self",))
        .filter(organization=org, channel=channel, external_id=event.conversation_id)
        .first()
    )


def _continue(case: Case, event: Payload, now: datetime) -> None:
    party = _party(event)
    body = _text(event, case.language) or str(_subject(event, case.language))
    actions.receive_customer_reply(
        case,
        body=body,
        at=_arrived(event, now),
        now=now,
        author=party.name or party.handle,
        message_id=f"{event.type}:{event.id}"[:998],
    )


def _language(charter: Charter, event: Payload) -> str:
    languages = list(charter.organization.languages)
    by_code = {code.lower(): code for code in languages}
    if event.language and event.language.lower() in by_code:
        return by_code[event.language.lower()]
    return guess_language(_text(event, languages[0]), languages) or languages[0]


def _case_type(charter: Charter, channel: str, event: Payload) -> str:
    if event.case_type is None:
        return default_case_type(charter, channel)
    if event.case_type not in charter.case_types:
        raise CaseError("unknown-case-type", f"there is no case type {event.case_type!r}")
    return event.case_type


def _subject(event: Payload, language: str) -> str:
    party = _party(event)
    key = "missed" if isinstance(event, CallEvent) and not event.answered else event.type
    with translation.override(django_language(language)):
        who = party.name or party.handle or party.phone or party.email or str(UNKNOWN_CALLER)
        return str(SUBJECTS[key]).format(who=who)


def _open(org: Organization, charter: Charter, channel: str, event: Payload, now: datetime) -> Case:
    party = _party(event)
    language = _language(charter, event)
    contact = contact_for(
        org,
        name=party.name or party.handle,
        email=party.email,
        phone=party.phone,
        language=language,
    )
    at = _arrived(event, now)
    case = open_case(
        org,
        case_type=_case_type(charter, channel, event),
        channel=channel,
        received_at=at,
        now=now,
        subject=_subject(event, language),
        contact=contact,
        language=language,
        acknowledge_now=False,  # below, once the customer's words are stored
    )
    body = _text(event, language)
    if body:
        Message.objects.create(
            organization_id=org.pk,
            case=case,
            direction=Message.Direction.IN,
            channel=channel,
            author=party.name or party.handle,
            body=body,
            message_id=f"{event.type}:{event.id}"[:998],
            at=at,
        )
    if charter.channels[channel].auto_acknowledge:
        acknowledge(case, now=now)
    return case
