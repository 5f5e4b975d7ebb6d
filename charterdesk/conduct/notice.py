"""What the customer is told when contact is restricted: the charter's conduct text, the
decision, its review date and how to appeal, in the case's language, through the outbox.

A charter may word it itself with the texts ``contact_restricted`` (placeholders
``{reference}``, ``{conduct}``, ``{channels}``, ``{review_on}``) and
``contact_restricted_appeal``; otherwise the desk's own words are used, translated.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from charterdesk.cases.charters import parsed
from charterdesk.cases.customer_mail import compose, tell_customer
from charterdesk.cases.models import Case, Message
from charterdesk.conduct.models import Restriction
from charterdesk.console.labels import channel_label
from charterdesk.localized import django_language, translated

RESTRICTED = _(
    "{conduct}\n\nWe have decided to restrict contact with you by: {channels}. Until we "
    "review this decision on {review_on}, what you send us there will be kept, but not "
    "answered."
)
ENDED = _(
    "{conduct}\n\nWe have decided to end all contact with you. Until we review this "
    "decision on {review_on}, what you send us will be kept, but not answered."
)
APPEAL = _(
    "If you disagree with this decision, you can appeal against it: write to us, quoting "
    "your reference {reference}, and say why."
)


def notice_text(case: Case, restriction: Restriction) -> str:
    charter = parsed(case.charter).charter
    conduct = charter.conduct
    with translation.override(django_language(case.language)):
        channels = ", ".join(
            channel_label(channel, charter, case.language) for channel in restriction.channels
        )
    values = {
        "conduct": translated(conduct.text, case.language) if conduct else "",
        "channels": channels,
        "review_on": restriction.review_on,
    }
    default = ENDED if restriction.ends_all_contact else RESTRICTED
    body = compose(case, "contact_restricted", default, values).strip()
    return body + "\n\n" + compose(case, "contact_restricted_appeal", APPEAL, {})


def tell_of_restriction(case: Case, restriction: Restriction, now: datetime) -> Message:
    """Stored on the case and queued for the outbox if the customer has an address."""
    return tell_customer(case, body=notice_text(case, restriction), now=now)
