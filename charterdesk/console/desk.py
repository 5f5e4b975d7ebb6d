"""Who is at the desk: the user's membership of the organization in the URL.

An organization the user does not belong to does not exist for them (a 404), as in
:mod:`charterdesk.cases.selectors`. Two queries: the user's memberships, and the
charter in force.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest

from charterdesk.cases.charters import ParsedCharter, parsed
from charterdesk.cases.models import CharterVersion, Membership, Organization


@dataclass(frozen=True, slots=True)
class Desk:
    user: User
    membership: Membership
    memberships: list[Membership]  # every organization of the user, for the switcher
    charter: ParsedCharter | None  # the version in force; None before one is approved

    @property
    def organization(self) -> Organization:
        return self.membership.organization

    @property
    def can_act(self) -> bool:
        """Viewers read; every other role works cases."""
        return self.membership.role != Membership.Role.VIEWER


def memberships_of(user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name", "organization__slug")
    )


def desk_for(user: User, org_slug: str) -> Desk:
    memberships = memberships_of(user)
    current = next((m for m in memberships if m.organization.slug == org_slug), None)
    if current is None:
        raise Http404("no such organization")
    charter_id = current.organization.charter_id
    version = CharterVersion.objects.filter(pk=charter_id).first() if charter_id else None
    return Desk(
        user=user,
        membership=current,
        memberships=memberships,
        charter=parsed(version) if version else None,
    )


def request_user(request: HttpRequest) -> User:
    """The signed-in user (the views that call this require a login)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionError("a signed-in user is required")
    return user
