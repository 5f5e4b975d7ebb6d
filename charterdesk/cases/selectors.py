"""Every read of cases goes through here, scoped to an organization the user belongs to.

Anything outside that scope is a 404, never a 403: another organization's objects do
not exist for this user.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404

from charterdesk.cases.models import Case, Clock, Membership, Organization


def organizations_of(user: User) -> QuerySet[Organization]:
    ids = Membership.objects.filter(user=user).values("organization_id")
    return Organization.objects.filter(pk__in=ids).order_by("name")


def membership(user: User, org_slug: str) -> Membership:
    found = (
        Membership.objects.select_related("organization")
        .filter(user=user, organization__slug=org_slug)
        .first()
    )
    if found is None:
        raise Http404("no such organization")
    return found


def cases_of(user: User, org_slug: str) -> QuerySet[Case]:
    org = membership(user, org_slug).organization
    return Case.objects.filter(organization=org)


def case_by_reference(user: User, org_slug: str, reference: str) -> Case:
    case = cases_of(user, org_slug).filter(reference=reference).first()
    if case is None:
        raise Http404("no such case")
    return case


def clocks_of(case: Case) -> QuerySet[Clock]:
    return Clock.objects.filter(organization_id=case.organization_id, case=case).order_by("due_at")
