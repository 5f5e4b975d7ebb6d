"""Secret tracking links (E9) and the public form's address.

A token is ``secrets.token_urlsafe(32)``: 256 random bits, 43 characters. Only its
SHA-256 is stored, so the database alone opens no case. A wrong, expired, revoked or
mismatched link finds nothing, and every one of those looks the same to the caller.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.views.decorators.debug import sensitive_variables

from charterdesk.cases.models import Case, Organization
from charterdesk.portal.models import CaseAccess

TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_token() -> str:
    return secrets.token_urlsafe(32)


@sensitive_variables("token")
def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


@sensitive_variables("token")
def grant(case: Case, token: str, now: datetime) -> CaseAccess:
    """Store a link to ``case`` for ``token`` (which the caller sends to the customer)."""
    return CaseAccess.objects.create(
        organization_id=case.organization_id,
        case=case,
        token_hash=token_hash(token),
        created_at=now,
    )


@sensitive_variables("token")
def case_for(token: str, now: datetime) -> Case | None:
    """The case a link opens, or None for any link that opens nothing."""
    if not TOKEN_SHAPE.match(token):
        return None
    access = (
        CaseAccess.objects.select_related(
            "case", "case__organization", "case__charter", "case__contact"
        )
        .filter(token_hash=token_hash(token), revoked=False)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if access is None or access.case.organization_id != access.organization_id:
        return None
    return access.case


def revoke_all(case: Case) -> int:
    """Every link to the case stops working (the customer asks, or the case is erased)."""
    return CaseAccess.objects.filter(
        organization_id=case.organization_id, case=case, revoked=False
    ).update(revoked=True)


def absolute(path: str) -> str:
    return str(settings.CHARTERDESK_SITE_URL).rstrip("/") + path


@sensitive_variables("token")
def tracking_url(token: str) -> str:
    return absolute(reverse("portal:track", kwargs={"token": token}))


def new_tracking_url(case: Case, now: datetime) -> str:
    """A new tracking link for ``case``: what every acknowledgement carries, whatever
    the channel (settings.CHARTERDESK_TRACKING_LINKS names this function)."""
    token = new_token()
    grant(case, token, now)
    return tracking_url(token)


def form_url(org: Organization, case_type: str | None = None) -> str:
    """The public web form for a case type (or the list of them): what staff send a caller
    whose complaint the charter takes only in writing (A7)."""
    if case_type is None:
        return absolute(reverse("portal:contact", kwargs={"org_slug": org.slug}))
    return absolute(
        reverse("portal:contact-form", kwargs={"org_slug": org.slug, "case_type": case_type})
    )
