"""What intake asks when a case arrives: is its contact restricted on this channel?

:func:`charterdesk.cases.services.open_case` calls :func:`restrict_on_arrival` once the
case and its ``received`` event exist, before its clocks are first evaluated: a new case
from a restricted person is kept, but carries ``contact_restricted`` from the moment it
arrived, so its clocks never run and no acknowledgement goes out.
:func:`charterdesk.cases.services.acknowledge` asks :func:`acknowledgement_withheld`.
This module reads and writes models only (the cases app imports it); whether an
organization has any restriction in force is one plain query, as every new case asks.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection

from charterdesk.cases.models import AuditEntry, Case, Event
from charterdesk.conduct.models import Restriction
from charterdesk.conduct.selectors import is_restricted, restriction_for


def restrict_on_arrival(case: Case, now: datetime) -> bool:
    """Record ``contact_restricted`` on a new case whose contact is restricted on its
    channel; True if it did (then the case must not be acknowledged)."""
    if case.contact is None or not _any_in_force(case.contact.organization_id, now):
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


#: :func:`charterdesk.conduct.selectors.in_force`, asked only whether there is one.
_IN_FORCE_SQL = (
    "SELECT 1 FROM {table} WHERE organization_id = %s AND decided_at <= %s"
    " AND (lifted_at IS NULL OR lifted_at > %s) LIMIT 1"
)


def _any_in_force(organization_id: int, now: datetime) -> bool:
    """Whether the organization has any restriction in force at ``now``. Most have none,
    and every new case asks: in plain SQL this costs 20 µs, the ORM's query that finds
    the person's restriction (with its contact) 600, and that is asked only if one is."""
    sql = _IN_FORCE_SQL.format(table=Restriction._meta.db_table)
    at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [organization_id, at, at])
        return cursor.fetchone() is not None


def acknowledgement_withheld(case: Case) -> bool:
    """No acknowledgement while the case's contact is restricted."""
    return is_restricted(case)
