"""Words staff read for the codes the desk stores: event kinds, clock states, statuses.

Codes are what code compares; these are what people see, in their language.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from charterdesk.core.charter import Charter
from charterdesk.localized import translated

EVENT_LABELS: Mapping[str, Promise] = {
    "received": _("Received"),
    "acknowledged": _("Receipt confirmed"),
    "update_sent": _("Progress update sent"),
    "replied": _("Replied"),
    "answered_with_articles": _("Answered with support pages"),
    "formal_response_sent": _("Formal response sent"),
    "callback_made": _("Called back"),
    "appointment_started": _("Appointment started"),
    "registration_confirmed": _("Registration confirmed"),
    "certificates_dispatched": _("Certificates dispatched"),
    "delay_notice_sent": _("Delay notice sent"),
    "handed_off": _("Handed off"),
    "info_requested": _("Information requested"),
    "customer_replied": _("Customer replied"),
    "info_complete": _("Information complete"),
    "extension_granted": _("Extension granted"),
    "escalated": _("Escalated"),
    "resolved": _("Resolved"),
    "resolved_at_first_contact": _("Resolved at first contact"),
    "apology_made": _("Apology made"),
    "remedy_offered": _("Remedy offered"),
    "cause_classified": _("Cause classified"),
    "appealed": _("Appealed"),
    "reopened": _("Reopened"),
    "closed": _("Closed"),
    "contact_restricted": _("Contact restricted"),
    "contact_restored": _("Contact restored"),
    "survey_sent": _("Survey sent"),
    "rated": _("Rated"),
    "regulator_notified": _("Regulator notified"),
    "assigned": _("Assigned"),
    "noted": _("Note"),
}

#: Words for the keys of an event's data.
DATA_LABELS: Mapping[str, Promise] = {
    "reason": _("Reason"),
    "new_date": _("New date"),
    "owner": _("Owner"),
    "result": _("Result"),
    "steps": _("Steps taken"),
    "remedy": _("Remedy"),
    "cause": _("Cause"),
    "text": _("Text"),
    "question": _("Question"),
    "by": _("By"),
    "articles": _("Articles"),
    "score": _("Score"),
    "review_on": _("Review on"),
}

STATUS_LABELS: Mapping[str, Promise] = {
    "open": _("Open"),
    "awaiting_customer": _("Awaiting customer"),
    "resolved": _("Resolved"),
    "closed": _("Closed"),
}

ROLE_LABELS: Mapping[str, Promise] = {
    "owner": _("Owner"),
    "supervisor": _("Supervisor"),
    "agent": _("Agent"),
    "viewer": _("Viewer"),
}


def event_label(kind: str, charter: Charter | None, language: str) -> str:
    if kind in EVENT_LABELS:
        return str(EVENT_LABELS[kind])
    if charter is not None and kind in charter.events:
        return translated(charter.events[kind], language)
    return kind.replace("_", " ")


def case_type_label(code: str, charter: Charter | None, language: str) -> str:
    if charter is not None and code in charter.case_types:
        return translated(charter.case_types[code].title, language)
    return code


def channel_label(code: str, charter: Charter | None, language: str) -> str:
    channel = charter.channels.get(code) if charter is not None else None
    if channel is not None and channel.title:
        return translated(channel.title, language)
    return code.replace("_", " ").capitalize()


#: What staff are told when a service refuses an action, by the refusal's code; a code
#: not here shows the service's own words.
REFUSALS: Mapping[str, Promise] = {
    "bad-date": _("The new date must be today or later."),
    "not-a-colleague": _("That person does not work cases in this organization."),
    "missing-steps": _("This charter promises the customer every step taken: list them."),
    "future": _("That cannot be recorded in the future."),
}


def refusal(code: str, message: str) -> str:
    return str(REFUSALS[code]) if code in REFUSALS else message
