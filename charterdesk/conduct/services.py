"""Every write about conduct: one function per decision, one transaction each, each in
the audit log. Staff record what happened; a supervisor (or owner) restricts, lifts and
reviews; the worker announces reviews that are due. See
docs/decisions/0009-conduct-restrictions.md.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from charterdesk.cases.charters import NotAllowed, parsed
from charterdesk.cases.models import (
    AuditEntry,
    Case,
    Contact,
    Membership,
    Organization,
    OutboxMessage,
)
from charterdesk.cases.services import CaseError, record_event
from charterdesk.conduct.models import ConductReport, Restriction
from charterdesk.conduct.notice import tell_of_restriction
from charterdesk.conduct.review import local_date, review_date
from charterdesk.conduct.selectors import cases_of, is_restricted, restriction_of
from charterdesk.core.charter import Conduct
from charterdesk.localized import django_language

WORKING_ROLES = (Membership.Role.OWNER, Membership.Role.SUPERVISOR, Membership.Role.AGENT)
DECIDING_ROLES = (Membership.Role.OWNER, Membership.Role.SUPERVISOR)

REVIEW_MAIL = (
    _("Contact restriction due for review: %(who)s"),
    _(
        "The restriction of contact with %(who)s, decided on %(decided)s, is due for review "
        "on %(review_on)s.\n\nReason: %(reason)s\n\nReview it: %(link)s"
    ),
)


def _role(user: User | None, org_id: int) -> str | None:
    if user is None:
        return None
    found = Membership.objects.filter(organization_id=org_id, user=user).first()
    return found.role if found else None


def may_decide(user: User | None, org_id: int) -> bool:
    return _role(user, org_id) in DECIDING_ROLES


def _require_decider(user: User | None, org_id: int) -> None:
    if not may_decide(user, org_id):
        raise NotAllowed("only a supervisor or an owner decides on contact")


def policy(org: Organization) -> Conduct | None:
    """The conduct section of the charter in force."""
    return parsed(org.charter).charter.conduct if org.charter is not None else None


def default_review_on(org: Organization, now: datetime) -> date:
    conduct = policy(org)
    period = conduct.review_after if conduct is not None else "6 months"
    return review_date(local_date(now, org.timezone), period)


def _audit(
    org_id: int, actor: User | None, action: str, target: str, data: dict[str, Any], now: datetime
) -> None:
    AuditEntry.objects.create(
        organization_id=org_id, actor=actor, action=action, target=target, data=data, at=now
    )


@transaction.atomic
def record_conduct(
    case: Case, *, kind: str, what_happened: str, by: User, now: datetime
) -> ConductReport:
    """A member of staff (not a viewer) records abusive or threatening contact."""
    if _role(by, case.organization_id) not in WORKING_ROLES:
        raise NotAllowed("viewers cannot record conduct")
    if kind not in ConductReport.Kind.values:
        raise CaseError("unknown-kind", f"{kind!r} is not a kind of conduct")
    if not what_happened.strip():
        raise CaseError("missing-data", "say what happened")
    report = ConductReport.objects.create(
        organization_id=case.organization_id,
        case=case,
        contact=case.contact,
        kind=kind,
        what_happened=what_happened.strip(),
        reported_by=by,
        at=now,
    )
    data = {"report": report.pk, "kind": kind, "contact": case.contact_id}
    _audit(case.organization_id, by, "conduct_recorded", f"case:{case.reference}", data, now)
    return report


def _scope(org: Organization, conduct: Conduct, channels: list[str]) -> list[str]:
    assert org.charter is not None  # a conduct policy comes from a charter in force
    known = list(parsed(org.charter).charter.channels)
    if conduct.ends_all_contact:  # N7: every channel, whatever was asked
        return known
    unknown = sorted(set(channels) - set(known))
    if unknown:
        raise CaseError("unknown-channel", f"no channel {', '.join(unknown)} in the charter")
    if not channels:
        raise CaseError("no-channels", "choose the channels the restriction covers")
    return [channel for channel in known if channel in channels]


@transaction.atomic
def restrict_contact(
    case: Case,
    *,
    reason: str,
    channels: list[str],
    review_on: date,
    by: User,
    now: datetime,
) -> Restriction:
    """A supervisor restricts (or, where the charter says so, ends) contact with the
    case's customer: their cases on those channels pause, new ones will arrive paused
    and unacknowledged, and the customer is told how to appeal if the charter says so."""
    org = case.organization
    _require_decider(by, org.pk)
    conduct = policy(org)
    if conduct is None or not conduct.may_refuse:
        raise CaseError(
            "may-not-refuse",
            "this organization's charter does not allow refusing service or restricting "
            "contact (conduct: may_refuse is false or absent)",
        )
    if case.contact is None:
        raise CaseError("no-contact", "this case has no contact to restrict")
    if not reason.strip():
        raise CaseError("missing-reason", "give the reason for the decision")
    if review_on <= local_date(now, org.timezone):
        raise CaseError("review-not-after-today", "the review date must be after today")
    scope = _scope(org, conduct, channels)
    contact = Contact.objects.select_for_update().get(pk=case.contact.pk)  # one decision at once
    if restriction_of(contact, now) is not None:
        raise CaseError("already-restricted", "contact with this person is already restricted")
    restriction = Restriction.objects.create(
        organization=org,
        contact=contact,
        case=case,
        reason=reason.strip(),
        channels=scope,
        ends_all_contact=conduct.ends_all_contact,
        review_on=review_on,
        decided_by=by,
        decided_at=now,
    )
    _audit(org.pk, by, "contact_restricted", f"contact:{contact.pk}", _facts(restriction), now)
    data = {"reason": restriction.reason, "review_on": review_on, "restriction": restriction.pk}
    # closed cases too: a reply to one would start its clocks again (A3, N7)
    for other in cases_of(restriction).filter(channel__in=scope):
        if not is_restricted(other):
            record_event(other, "contact_restricted", at=now, now=now, data=data, actor=by)
    if conduct.appeal:
        tell_of_restriction(case, restriction, now)
    return restriction


def _facts(restriction: Restriction) -> dict[str, Any]:
    return {
        "restriction": restriction.pk,
        "case": restriction.case.reference if restriction.case else None,
        "reason": restriction.reason,
        "channels": restriction.channels,
        "ends_all_contact": restriction.ends_all_contact,
        "review_on": restriction.review_on.isoformat(),
    }


def _locked(restriction: Restriction) -> Restriction:
    locked = Restriction.objects.select_for_update().get(pk=restriction.pk)
    if locked.lifted_at is not None:
        raise CaseError("already-lifted", "this restriction has already been lifted")
    return locked


@transaction.atomic
def lift_restriction(
    restriction: Restriction, *, by: User, now: datetime, reason: str = ""
) -> Restriction:
    """Contact is restored: every case paused for it runs again from now."""
    _require_decider(by, restriction.organization_id)
    locked = _locked(restriction)
    locked.lifted_at, locked.lifted_by, locked.lift_reason = now, by, reason.strip()
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    target = f"contact:{locked.contact_id}"
    data = {"restriction": locked.pk, "reason": locked.lift_reason}
    _audit(locked.organization_id, by, "contact_restored", target, data, now)
    for case in cases_of(locked):
        if is_restricted(case):
            record_event(
                case, "contact_restored", at=now, now=now, data={"restriction": locked.pk}, actor=by
            )
    return locked


@transaction.atomic
def review_restriction(
    restriction: Restriction,
    *,
    keep: bool,
    by: User,
    now: datetime,
    note: str = "",
    next_review_on: date | None = None,
) -> Restriction:
    """A supervisor reviews a restriction: kept until a new review date, or lifted."""
    _require_decider(by, restriction.organization_id)
    locked = _locked(restriction)
    data: dict[str, Any] = {"restriction": locked.pk, "kept": keep, "note": note.strip()}
    target = f"contact:{locked.contact_id}"
    if not keep:
        _audit(locked.organization_id, by, "restriction_reviewed", target, data, now)
        return lift_restriction(locked, by=by, now=now, reason=note)
    today = local_date(now, Organization.objects.get(pk=locked.organization_id).timezone)
    if next_review_on is None or next_review_on <= today:
        raise CaseError("review-not-after-today", "the next review date must be after today")
    data |= {
        "review_on": locked.review_on.isoformat(),
        "next_review_on": next_review_on.isoformat(),
    }
    locked.review_on = next_review_on
    locked.save(update_fields=["review_on"])
    _audit(locked.organization_id, by, "restriction_reviewed", target, data, now)
    event = {"reason": locked.reason, "review_on": next_review_on, "restriction": locked.pk}
    for case in cases_of(locked):  # the review date the customer sees (portal) is the new one
        if is_restricted(case):
            record_event(case, "contact_restricted", at=now, now=now, data=event, actor=by)
    return locked


def review_due_restrictions(now: datetime, limit: int = 500) -> int:
    """The worker's step: the supervisors (else the owners) of each organization are
    mailed about each restriction whose review date has come, once per review date.
    Returns how many restrictions came up for review."""
    horizon = (now + timedelta(days=1)).date()  # no time zone is more than a day ahead
    with transaction.atomic():
        rows = (
            Restriction.objects.filter(lifted_at__isnull=True, review_on__lte=horizon)
            .filter(Q(review_notified_on__isnull=True) | Q(review_notified_on__lt=F("review_on")))
            .select_related("organization", "contact", "case")
            .order_by("review_on", "pk")
        )
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        due = [r for r in rows[:limit] if r.review_on <= local_date(now, r.organization.timezone)]
        for restriction in due:
            _announce_review(restriction, now)
        Restriction.objects.filter(pk__in=[r.pk for r in due]).update(
            review_notified_on=F("review_on")
        )
    return len(due)


def _announce_review(restriction: Restriction, now: datetime) -> None:
    org = restriction.organization
    staff = _deciders(org)
    key = f"conduct-review:{restriction.pk}:{restriction.review_on.isoformat()}"
    for user in staff:
        OutboxMessage.objects.get_or_create(
            key=f"{key}:to:{user.pk}",
            defaults={
                "organization": org,
                "case": restriction.case,
                "kind": "mail",
                "payload": _review_mail(restriction, user),
                "next_attempt_at": now,
            },
        )
    data = {"restriction": restriction.pk, "review_on": restriction.review_on.isoformat()}
    data["told"] = [user.pk for user in staff]
    _audit(org.pk, None, "restriction_review_due", f"contact:{restriction.contact_id}", data, now)


def _deciders(org: Organization) -> list[User]:
    for role in DECIDING_ROLES[::-1]:  # supervisors, else owners
        found = list(
            User.objects.filter(
                memberships__organization=org, memberships__role=role, is_active=True
            )
            .exclude(email="")
            .order_by("pk")
        )
        if found:
            return found
    return []


def _review_mail(restriction: Restriction, user: User) -> dict[str, Any]:
    org = restriction.organization
    language = org.languages[0] if org.languages else "en"
    site = str(settings.CHARTERDESK_SITE_URL).rstrip("/")
    contact = restriction.contact
    values = {
        "who": contact.name or contact.email or contact.phone or f"#{contact.pk}",
        "decided": local_date(restriction.decided_at, org.timezone).isoformat(),
        "review_on": restriction.review_on.isoformat(),
        "reason": restriction.reason,
        "link": f"{site}/desk/{org.slug}/conduct/",
    }
    subject, body = REVIEW_MAIL
    with translation.override(django_language(language)):
        return {
            "to": [user.email],
            "subject": str(subject) % values,
            "body": str(body) % values,
            "language": language,
            "case": restriction.case.reference if restriction.case else None,
            "audience": "staff",
            "auto_submitted": "auto-generated",
        }
