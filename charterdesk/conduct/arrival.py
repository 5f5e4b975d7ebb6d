"""What intake asks when a case arrives: is its contact restricted on this channel?

:func:`charterdesk.cases.services.open_case` calls :func:`restrict_on_arrival` once the
case and its ``received`` event exist, before its clocks are first evaluated: a new case
from a restricted person is kept, but carries ``contact_restricted`` from the moment it
arrived, so its clocks never run and no acknowledgement goes out.
:func:`charterdesk.cases.services.acknowledge` asks :func:`acknowledgement_withheld`.
This module reads and writes models only (the cases app imports it).
"""

from __future__ import annotations

from datetime import datetime

from charterdesk.cases.models import AuditEntry, Case, Event
from charterdesk.conduct.selectors import any_in_force, is_restricted, restriction_for


def restrict_on_arrival(case: Case, now: datetime) -> bool:
    """Record ``contact_restricted`` on a new case whose contact is restricted on its
    channel; True if it did (then the case must not be acknowledged)."""
    if case.contact is None or not any_in_force(case.contact.organization_id, now):
        return False
    restriction = restriction_for(case.contact, case.channel, now)
    if restriction is None:
        return False
    event = Event.objects.create(
        organization_id=case.organization_id,
        case=case,
        kind="contact_restricted",
        at=case.received_at,
        data={
            "reason": restriction.reason,
            "review_on": restriction.review_on.isoformat(),
            "restriction": restriction.pk,
        },
    )
    AuditEntry.objects.create(
        organization_id=case.organization_id,
        actor=None,
        action="event:contact_restricted",
        target=f"case:{case.reference}",
        data={"event": event.pk, "restriction": restriction.pk, "on_arrival": True},
        at=now,
    )
    return True


def acknowledgement_withheld(case: Case) -> bool:
    """No acknowledgement while the case's contact is restricted."""
    return is_restricted(case)
