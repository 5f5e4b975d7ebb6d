"""What the privacy pages read, always within one organization: another organization's
contact, case or hold is a 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from charterdesk.cases.models import Case, Contact, Organization
from charterdesk.privacy.models import CaseView, ErasedCase, ErasureRecord, LegalHold

#: How many view records a page shows (the newest).
SHOWN_VIEWS = 200


def contact_of(org: Organization, pk: int) -> Contact:
    contact = Contact.objects.filter(organization=org, pk=pk).first()
    if contact is None:
        raise Http404("no such contact")
    return contact


def case_of(org: Organization, reference: str) -> Case:
    case = (
        Case.objects.select_related("contact", "charter")
        .filter(organization=org, reference=reference)
        .first()
    )
    if case is None:
        raise Http404("no such case")
    return case


def hold_of(org: Organization, pk: int) -> LegalHold:
    hold = LegalHold.objects.filter(organization=org, pk=pk).select_related("case").first()
    if hold is None:
        raise Http404("no such hold")
    return hold


def find_contacts(org: Organization, query: str) -> QuerySet[Contact]:
    """Contacts by address, phone, name, or the reference of one of their cases."""
    query = query.strip()
    if not query:
        return Contact.objects.none()
    match = (
        Q(email__iexact=query)
        | Q(phone=query)
        | Q(name__icontains=query)
        | Q(cases__reference__iexact=query)
    )
    return Contact.objects.filter(match, organization=org).distinct().order_by("pk")[:50]


def cases_of(contact: Contact) -> list[Case]:
    return list(
        Case.objects.filter(organization_id=contact.organization_id, contact=contact).order_by(
            "received_at"
        )
    )


def standing_holds(org: Organization, **on: object) -> list[LegalHold]:
    return list(
        LegalHold.objects.filter(organization=org, released_at__isnull=True, **on)
        .select_related("case", "contact", "placed_by")
        .order_by("placed_at")
    )


def views_of(org: Organization, case_ids: list[int]) -> list[CaseView]:
    return list(
        CaseView.objects.filter(organization=org, case_id__in=case_ids)
        .select_related("user", "case")
        .order_by("-at", "-pk")[:SHOWN_VIEWS]
    )


def erasures_of(org: Organization, **on: object) -> list[ErasureRecord]:
    return list(
        ErasureRecord.objects.filter(organization=org, **on)
        .select_related("actor")
        .order_by("-at")[:50]
    )


def erased_case_ids(org: Organization, case_ids: list[int]) -> set[int]:
    return set(
        ErasedCase.objects.filter(organization=org, case_id__in=case_ids).values_list(
            "case_id", flat=True
        )
    )
