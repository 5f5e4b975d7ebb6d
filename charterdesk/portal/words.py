"""What the customer reads for the codes the desk stores, in plain words (E8).

Internal steps (notes, assignment, cause classification) are not here: the portal shows
only what is in :data:`STEP_WORDS` or the charter's own events.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STEP_WORDS: Mapping[str, Promise] = {
    "received": _("We received your case"),
    "acknowledged": _("We confirmed that we received it"),
    "update_sent": _("We sent you a progress update"),
    "replied": _("We replied to you"),
    "answered_with_articles": _("We sent you help pages that answer your question"),
    "formal_response_sent": _("We sent you our formal response"),
    "callback_made": _("We called you back"),
    "appointment_started": _("Your appointment started"),
    "registration_confirmed": _("We confirmed your registration"),
    "certificates_dispatched": _("We sent your certificates"),
    "delay_notice_sent": _("We told you why it takes longer, and by when it will be done"),
    "handed_off": _("Your case was passed to a colleague"),
    "info_requested": _("We asked you for more information"),
    "customer_replied": _("You wrote to us"),
    "info_complete": _("We have all the information we need"),
    "extension_granted": _("We extended the time to answer"),
    "escalated": _("Your case was passed to a senior colleague"),
    "resolved": _("We resolved your case"),
    "resolved_at_first_contact": _("We resolved your case when you first contacted us"),
    "apology_made": _("We apologised"),
    "remedy_offered": _("We offered to put things right"),
    "appealed": _("You asked us to review our decision"),
    "reopened": _("We reopened your case"),
    "closed": _("We closed your case"),
    "contact_restricted": _("We limited how we keep in contact"),
    "contact_restored": _("We restored normal contact"),
    "survey_sent": _("We asked for your opinion of our service"),
    "rated": _("You rated our service"),
}

#: Which of an event's data the customer sees, per kind, with its words.
DETAIL_WORDS: Mapping[str, Promise] = {
    "reason": _("Reason"),
    "new_date": _("New date"),
    "owner": _("Now with"),
    "question": _("Question"),
    "result": _("Result"),
    "steps": _("Steps taken"),
    "remedy": _("What we will do"),
    "review_on": _("Review on"),
    "score": _("Your score"),
}
SHOWN_DETAILS: Mapping[str, tuple[str, ...]] = {
    "delay_notice_sent": ("reason", "new_date"),
    "handed_off": ("owner", "new_date"),
    "info_requested": ("question",),
    "extension_granted": ("reason",),
    "resolved": ("result", "steps"),
    "resolved_at_first_contact": ("result", "steps"),
    "remedy_offered": ("remedy",),
    "appealed": ("reason",),
    "contact_restricted": ("review_on",),
    "rated": ("score",),
}

STATUS_WORDS: Mapping[str, Promise] = {
    "open": _("We are working on it"),
    "awaiting_customer": _("We are waiting for your answer"),
    "resolved": _("Resolved"),
    "closed": _("Closed"),
}

#: A promise's state as it stands now (a running clock past its due time is broken).
#: Clocks not started (``pending``: e.g. a delay notice's new date, before any notice) and
#: those that do not apply are not shown.
STATE_WORDS: Mapping[str, Promise] = {
    "running": _("In progress"),
    "paused": _("Paused while we wait for you"),
    "met": _("Kept"),
    "breached": _("Not kept"),
}
