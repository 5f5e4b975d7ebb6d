"""Legal holds: while one stands on a contact or a case, neither an erasure request nor
retention touches that data. Placing and releasing are audited; a hold is released,
never deleted."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet

from charterdesk.cases.models import AuditEntry, Case, Contact
from charterdesk.privacy.models import LegalHold
from charterdesk.privacy.roles import require_privacy_role


class PrivacyError(ValueError):
    """A request refused; ``code`` is what code compares, the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def active_holds(organization_id: int) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(organization_id=organization_id, released_at__isnull=True)


def holds_blocking(contact: Contact | None, case_ids: Iterable[int]) -> list[LegalHold]:
    """The standing holds on the contact or on any of these cases."""
    ids = list(case_ids)
    on = Q(case_id__in=ids) if ids else Q(pk__in=[])
    if contact is not None:
        on |= Q(contact_id=contact.pk)
    org = contact.organization_id if contact is not None else None
    holds = LegalHold.objects.filter(on, released_at__isnull=True)
    if org is not None:
        holds = holds.filter(organization_id=org)
    return list(holds.select_related("case", "contact").order_by("placed_at"))


def held_case_ids(organization_id: int) -> set[int]:
    """Every case of the organization under a standing hold, its own or its contact's."""
    holds = active_holds(organization_id)
    direct = set(holds.filter(case__isnull=False).values_list("case_id", flat=True))
    contacts = holds.filter(contact__isnull=False).values_list("contact_id", flat=True)
    through = set(
        Case.objects.filter(organization_id=organization_id, contact_id__in=contacts).values_list(
            "pk", flat=True
        )
    )
    return direct | through


def _audit(organization_id: int, actor: User, action: str, hold: LegalHold, now: datetime) -> None:
    target = f"case:{hold.case.reference}" if hold.case else f"contact:{hold.contact_id}"
    AuditEntry.objects.create(
        organization_id=organization_id,
        actor=actor,
        action=action,
        target=target,
        data={"hold": hold.pk, "reason": hold.release_reason or hold.reason},
        at=now,
    )


@transaction.atomic
def place_hold(
    *,
    contact: Contact | None = None,
    case: Case | None = None,
    reason: str,
    actor: User,
    now: datetime,
) -> LegalHold:
    """Hold a contact's data (all their cases) or one case's."""
    if (contact is None) == (case is None):
        raise PrivacyError("hold-target", "hold either a contact or a case")
    organization_id = contact.organization_id if contact is not None else case.organization_id  # type: ignore[union-attr]
    require_privacy_role(actor, organization_id)
    if not reason.strip():
        raise PrivacyError("missing-reason", "say why the data must be kept")
    hold = LegalHold.objects.create(
        organization_id=organization_id,
        contact=contact,
        case=case,
        reason=reason.strip(),
        placed_by=actor,
        placed_at=now,
    )
    _audit(organization_id, actor, "privacy:hold_placed", hold, now)
    return hold


@transaction.atomic
def release_hold(hold: LegalHold, *, reason: str, actor: User, now: datetime) -> LegalHold:
    require_privacy_role(actor, hold.organization_id)
    if hold.released_at is not None:
        raise PrivacyError("already-released", "this hold was already released")
    if not reason.strip():
        raise PrivacyError("missing-reason", "say why the hold is no longer needed")
    hold.released_at, hold.released_by, hold.release_reason = now, actor, reason.strip()
    hold.save(update_fields=["released_at", "released_by", "release_reason"])
    _audit(hold.organization_id, actor, "privacy:hold_released", hold, now)
    return hold
