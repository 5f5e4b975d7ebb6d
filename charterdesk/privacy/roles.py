"""Who may do what with personal data: supervisors and owners export, erase and hold;
anyone who works cases reports a breach and records that the regulator was notified."""

from __future__ import annotations

from django.contrib.auth.models import User

from charterdesk.cases.charters import NotAllowed
from charterdesk.cases.models import Membership

PRIVACY_ROLES = (Membership.Role.OWNER, Membership.Role.SUPERVISOR)


def require_privacy_role(actor: User | None, organization_id: int) -> None:
    """``actor=None`` is the desk itself (the worker's retention)."""
    if actor is None:
        return
    allowed = Membership.objects.filter(
        organization_id=organization_id, user=actor, role__in=PRIVACY_ROLES
    ).exists()
    if not allowed:
        raise NotAllowed("only supervisors and owners handle personal data requests")
