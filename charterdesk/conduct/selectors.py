"""Reading restrictions and conduct reports, always within one organization.

A person is restricted, not a database row: a restriction decided on one Contact also
covers the organization's other Contact rows with the same address or phone number
(intake, the web form and the channels may each have created one).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import connection
from django.db.models import F, Q, QuerySet

from charterdesk.cases.models import Case, Contact, Event, Organization
from charterdesk.conduct.models import ConductReport, Restriction

#: The events that open and close a restricted stretch on a case.
RESTRICTION_EVENTS = ("contact_restricted", "contact_restored")


def same_person(contact: Contact, prefix: str = "") -> Q:
    """Rows whose contact (``prefix`` leads to it, e.g. ``"contact__"``) is this person."""
    found = Q(**{f"{prefix}pk" if prefix else "pk": contact.pk})
    if contact.email:
        found |= Q(**{f"{prefix}email__iexact": contact.email})
    if contact.phone:
        found |= Q(**{f"{prefix}phone": contact.phone})
    return found


def in_force(org_id: int, now: datetime) -> QuerySet[Restriction]:
    return Restriction.objects.filter(organization_id=org_id, decided_at__lte=now).filter(
        Q(lifted_at__isnull=True) | Q(lifted_at__gt=now)
    )


#: :func:`in_force`, asked only whether there is one.
_ANY_IN_FORCE_SQL = (
    "SELECT 1 FROM {table} WHERE organization_id = %s AND decided_at <= %s"
    " AND (lifted_at IS NULL OR lifted_at > %s) LIMIT 1"
)


def any_in_force(org_id: int, now: datetime) -> bool:
    """Whether the organization has any restriction in force at ``now``. Most have none,
    and every new case and every batch of mail asks: in plain SQL this costs 20 µs, the
    ORM's query that finds the person's restriction (with its contact) 600, and that is
    asked only if there is one (docs/decisions/0013-plain-sql-on-hot-paths.md)."""
    sql = _ANY_IN_FORCE_SQL.format(table=Restriction._meta.db_table)
    at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [org_id, at, at])
        return cursor.fetchone() is not None


def restriction_of(contact: Contact, now: datetime) -> Restriction | None:
    """The restriction in force for this person at ``now``, on any channel.

    Every new case asks this, and restrictions in force are few: they are read whole and
    matched here, which costs a case far less than a join on the contact's address."""
    restrictions = in_force(contact.organization_id, now).select_related("contact")
    for restriction in restrictions.order_by("-decided_at", "-pk"):
        if _same(restriction.contact, contact):
            return restriction
    return None


def _same(one: Contact, other: Contact) -> bool:
    """:func:`same_person` for two rows in hand."""
    return (
        one.pk == other.pk
        or bool(one.email and other.email and one.email.lower() == other.email.lower())
        or bool(one.phone and other.phone and one.phone == other.phone)
    )


def restriction_for(contact: Contact | None, channel: str, now: datetime) -> Restriction | None:
    """The restriction in force at ``now`` that covers this person on ``channel``."""
    if contact is None:
        return None
    found = restriction_of(contact, now)
    return found if found is not None and found.covers(channel) else None


def is_restricted(case: Case) -> bool:
    """Whether the case's clocks are paused for a restricted contact just now: its last
    ``contact_restricted`` was not followed by ``contact_restored``."""
    last = (
        Event.objects.filter(case=case, kind__in=RESTRICTION_EVENTS)
        .order_by("-at", "-pk")
        .values_list("kind", flat=True)
        .first()
    )
    return last == "contact_restricted"


def cases_of(restriction: Restriction) -> QuerySet[Case]:
    """The person's cases in this organization, on any channel."""
    return Case.objects.filter(organization_id=restriction.organization_id).filter(
        same_person(restriction.contact, "contact__")
    )


def reports_on(case: Case) -> list[ConductReport]:
    return list(
        ConductReport.objects.filter(organization_id=case.organization_id, case=case)
        .select_related("reported_by")
        .order_by("at", "pk")
    )


def restrictions_of(org: Organization) -> list[Restriction]:
    """Every restriction of the organization, those in force first, the next review first."""
    return list(
        Restriction.objects.filter(organization=org)
        .select_related("contact", "case", "decided_by", "lifted_by")
        .order_by(F("lifted_at").desc(nulls_first=True), "review_on", "-decided_at", "pk")
    )


def due_for_review(org: Organization, today: date) -> list[Restriction]:
    """Restrictions in force whose review date has come (``today``, the local date)."""
    return list(
        Restriction.objects.filter(organization=org, lifted_at__isnull=True, review_on__lte=today)
        .select_related("contact", "case")
        .order_by("review_on", "pk")
    )


def restriction_by_pk(org: Organization, pk: int) -> Restriction | None:
    return (
        Restriction.objects.filter(organization=org, pk=pk)
        .select_related("contact", "case")
        .first()
    )


def restricted_addresses(org_id: int, addresses: Iterable[str], now: datetime) -> set[str]:
    """Those of ``addresses`` that belong to a person with a restriction in force at
    ``now``, on any channel: intake's batch path receives their mail one at a time, so
    that :func:`charterdesk.conduct.arrival.restrict_on_arrival` decides. One query."""
    if not any_in_force(org_id, now):
        return set()
    people = {
        email.lower()
        for email in in_force(org_id, now).values_list("contact__email", flat=True)
        if email
    }
    return {address for address in addresses if address.lower() in people}
