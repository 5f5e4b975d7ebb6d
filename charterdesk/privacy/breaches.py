"""Personal-data breaches: a case type of each charter (``personal_data_breach``) whose
commitment gives 72 calendar hours from becoming aware of the breach to notifying the
regulator (event ``regulator_notified``; GDPR art. 33, 152-FZ art. 21). Staff report one
on the channel they learned of it by; the public web form never offers it."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext

from charterdesk.cases import actions
from charterdesk.cases.charters import NotAllowed, parsed
from charterdesk.cases.models import Case, Event, Organization
from charterdesk.cases.services import CaseError, record_event
from charterdesk.channels.entries import Entry, log_contact
from charterdesk.channels.rules import staff_channels
from charterdesk.core.charter import Charter

BREACH_TYPE = "personal_data_breach"


def breach_channels(charter: Charter) -> list[str]:
    """The staff channels a breach can be reported on (those that take the case type)."""
    if BREACH_TYPE not in charter.case_types:
        return []
    return [
        key for key in staff_channels(charter) if charter.channels[key].accepts_case(BREACH_TYPE)
    ]


@transaction.atomic
def report_breach(
    org: Organization,
    *,
    channel: str,
    became_aware_at: datetime,
    what_happened: str,
    data_concerned: str = "",
    people_affected: str = "",
    subject: str = "",
    actor: User,
    now: datetime,
) -> Case:
    """Open a breach case; its clock starts when the organization became aware of it."""
    if org.charter is None:
        raise CaseError("no-charter", f"{org.slug} has no approved charter")
    charter = parsed(org.charter).charter
    if channel not in breach_channels(charter):
        raise CaseError("channel-refuses", f"{channel!r} does not take personal-data breaches")
    fields = {
        key: value.strip()
        for key, value in {
            "what_happened": what_happened,
            "data_concerned": data_concerned,
            "people_affected": people_affected,
        }.items()
        if value.strip()
    }
    if "what_happened" not in fields:
        raise CaseError("missing-data", gettext("Say what happened."))
    entry = Entry(
        channel=channel,
        case_type=BREACH_TYPE,
        received_at=became_aware_at,
        language=charter.organization.languages[0],
        subject=subject.strip() or what_happened.strip().splitlines()[0][:120],
        fields=fields,
    )
    return log_contact(org, entry, now=now, actor=actor)


@transaction.atomic
def record_regulator_notified(
    case: Case, *, at: datetime, reference: str = "", actor: User, now: datetime
) -> Event:
    """The regulator was told of the breach at ``at`` (their reference, if they gave
    one); this meets the 72-hour clock."""
    if case.case_type != BREACH_TYPE:
        raise CaseError(
            "not-a-breach", gettext("Only a personal-data breach is notified to the regulator.")
        )
    if actions.role_of(actor, case) not in actions.WORKING_ROLES:
        raise NotAllowed("viewers cannot act on cases")
    if at < case.received_at:
        raise CaseError(
            "before-received",
            gettext("The regulator cannot have been told before we knew of the breach."),
        )
    data = {"reference": reference.strip()} if reference.strip() else {}
    return record_event(case, "regulator_notified", at=at, now=now, data=data, actor=actor)
