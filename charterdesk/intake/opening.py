"""A mail that continues no case opens one, acknowledged unless the sender is capped."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from charterdesk.cases.actions import add_note
from charterdesk.cases.charters import parsed
from charterdesk.cases.models import Case, Contact, Event, Organization
from charterdesk.cases.services import open_case
from charterdesk.core.charter import Charter
from charterdesk.intake.arrival import arrival
from charterdesk.intake.language import guess_language
from charterdesk.intake.outcome import Outcome
from charterdesk.intake.parsing import ParsedMail
from charterdesk.intake.quoted import split_quoted
from charterdesk.intake.routing import Route
from charterdesk.intake.storing import store_incoming, store_parts

#: At most this many automatic acknowledgements to one sender in :data:`CAP_WINDOW`.
ACKNOWLEDGEMENTS_CAP = 3
CAP_WINDOW = timedelta(hours=24)


def case_type_for(charter: Charter, channel_id: str) -> str:
    """``enquiry`` if the channel takes enquiries, else the first type it takes (A7)."""
    channel = charter.channels[channel_id]
    accepted = [name for name in charter.case_types if channel.accepts_case(name)]
    if "enquiry" in accepted:
        return "enquiry"
    return channel.accepts[0] if channel.accepts else accepted[0]


def open_from_mail(found: Route, mail: ParsedMail, raw: bytes, now: datetime) -> Outcome:
    org = found.organization
    assert org.charter is not None  # routes come from charters in force
    charter = parsed(org.charter).charter
    new_text, _quoted = split_quoted(mail.text)
    language = guess_language(f"{mail.subject}\n{new_text}", charter.organization.languages)
    contact = _contact(org, mail, language or "")
    stored: list[int] = []

    def store_first_message(case: Case) -> None:
        message = store_incoming(case, mail, raw, case.received_at)
        stored.append(store_parts(case, message, mail, now))

    automatic = charter.channels[found.channel].auto_acknowledge and contact is not None
    capped = automatic and contact is not None and _acknowledged_lately(org, contact, now)
    case = open_case(
        org,
        case_type=case_type_for(charter, found.channel),
        channel=found.channel,
        received_at=arrival((mail.received, mail.date), now, None),
        now=now,
        subject=mail.subject,
        contact=contact,
        language=language,
        acknowledge_now=not capped,  # and it answers the customer's message, stored first
        first_message=store_first_message,
    )
    if capped and contact is not None:
        text = _(
            "No automatic acknowledgement sent: %(sender)s already had %(count)d in the "
            "last 24 hours."
        ) % {"sender": contact.email, "count": ACKNOWLEDGEMENTS_CAP}
        add_note(case, text=text, now=now, actor=None)
    detail = f"opened {case.case_type} from {mail.sender or 'an unknown sender'}"
    return Outcome("case", "opened", case.reference, f"{detail}, {sum(stored)} attachment(s)")


def _contact(org: Organization, mail: ParsedMail, language: str) -> Contact | None:
    if not mail.sender:
        return None
    email = mail.sender[:254]
    found = Contact.objects.filter(organization=org, email=email).order_by("pk").first()
    if found is not None:
        return found
    return Contact.objects.create(
        organization=org, email=email, name=mail.sender_name[:200], language=language
    )


def _acknowledged_lately(org: Organization, contact: Contact, now: datetime) -> bool:
    """Whether this sender already had :data:`ACKNOWLEDGEMENTS_CAP` automatic
    acknowledgements in the last day (a loop with a machine, or a flood)."""
    recent = Event.objects.filter(
        organization_id=org.pk,
        kind="acknowledged",
        actor__isnull=True,
        case__contact__email=contact.email,
        at__gt=now - CAP_WINDOW,
    ).count()
    return recent >= ACKNOWLEDGEMENTS_CAP
