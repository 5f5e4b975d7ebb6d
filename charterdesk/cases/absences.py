"""Cover when the person responsible is away (T14): absences are recorded, and work that
falls due during one goes to the cover, or to a supervisor, before it breaches."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction

from charterdesk.cases.charters import NotAllowed
from charterdesk.cases.models import Absence, AuditEntry, Case, Membership, Organization
from charterdesk.cases.services import CaseError, record_event

WORKING_ROLES = (Membership.Role.OWNER, Membership.Role.SUPERVISOR, Membership.Role.AGENT)
MANAGERS = (Membership.Role.OWNER, Membership.Role.SUPERVISOR)
OPEN = (Case.Status.OPEN, Case.Status.AWAITING_CUSTOMER)
#: Work is handed over this long before an absence begins, so nothing falls due unseen.
LOOK_AHEAD = timedelta(days=1)


def _role(org_id: int, user: User) -> str | None:
    found = Membership.objects.filter(organization_id=org_id, user=user).first()
    return found.role if found else None


@transaction.atomic
def record_absence(
    org: Organization,
    *,
    user: User,
    starts: date,
    ends: date,
    cover: User | None,
    now: datetime,
    actor: User | None,
) -> Absence:
    """Anyone records their own absence; a supervisor or owner records anyone's."""
    if actor is not None and actor != user and _role(org.pk, actor) not in MANAGERS:
        raise NotAllowed("only a supervisor records someone else's absence")
    if _role(org.pk, user) not in WORKING_ROLES:
        raise CaseError("not-a-colleague", f"{user.username} does not work cases here")
    if ends < starts:
        raise CaseError("bad-date", "an absence ends on or after the day it starts")
    if cover is not None and (cover == user or _role(org.pk, cover) not in WORKING_ROLES):
        raise CaseError("bad-cover", "the cover must be another colleague who works cases")
    absence = Absence.objects.create(
        organization=org, user=user, starts=starts, ends=ends, cover=cover
    )
    AuditEntry.objects.create(
        organization=org,
        actor=actor,
        action="absence_recorded",
        target=f"user:{user.username}",
        data={"starts": starts.isoformat(), "ends": ends.isoformat(), "cover": cover and cover.pk},
        at=now,
    )
    return absence


def _stand_in(org_id: int, away: User | None, cover: User | None, on: date) -> User | None:
    """The named cover if not away too, else a supervisor or owner who is not away."""
    managers = (
        Membership.objects.select_related("user")
        .filter(organization_id=org_id, role__in=MANAGERS)
        .order_by("role", "pk")
    )
    candidates = [cover] if cover else []
    candidates += [m.user for m in managers if away is None or m.user_id != away.pk]
    away_ids = set(
        Absence.objects.filter(organization_id=org_id, starts__lte=on, ends__gte=on).values_list(
            "user_id", flat=True
        )
    )
    return next((user for user in candidates if user.pk not in away_ids), None)


def _hand_over(case: Case, to: User, now: datetime, why: str) -> None:
    away = case.assignee
    case.assignee = to
    case.save(update_fields=["assignee"])
    data = {"owner": to.get_full_name() or to.username, "owner_id": to.pk, "reason": why}
    if away is not None:
        data["from"] = away.username
    record_event(case, "assigned", at=now, now=now, data=data)


def cover_absences(now: datetime) -> int:
    """Reassign open work that falls due while its assignee is away (or about to be).

    Returns how many cases moved. Work nobody can take is left where it is and flagged
    in the audit log, once per case and absence."""
    moved = 0
    absences = Absence.objects.select_related("organization", "user", "cover").filter(
        ends__gte=(now - timedelta(days=1)).date(), starts__lte=(now + LOOK_AHEAD).date()
    )
    for absence in absences:
        zone = ZoneInfo(absence.organization.timezone)
        today = now.astimezone(zone).date()
        if absence.ends < today or absence.starts > (now + LOOK_AHEAD).astimezone(zone).date():
            continue
        until = datetime.combine(absence.ends + timedelta(days=1), time(), tzinfo=zone)
        due = Case.objects.filter(
            organization_id=absence.organization_id,
            assignee=absence.user,
            status__in=OPEN,
            next_due_at__lt=until,
        )
        for case in due:
            moved += _cover_one(case, absence, today, now)
    return moved


@transaction.atomic
def _cover_one(case: Case, absence: Absence, today: date, now: datetime) -> int:
    stand_in = _stand_in(absence.organization_id, absence.user, absence.cover, today)
    if stand_in is None:
        AuditEntry.objects.get_or_create(
            organization_id=case.organization_id,
            action="absence_uncovered",
            target=f"case:{case.reference}",
            data={"absence": absence.pk},
            defaults={"at": now},
        )
        return 0
    _hand_over(case, stand_in, now, "absence")
    return 1


@transaction.atomic
def reassign_to_cover(case: Case, *, now: datetime, commitment: str) -> User | None:
    """A breach action (``on_breach: [{reassign: cover}]``): hand the case to whoever
    covers its assignee today, else to a supervisor."""
    today = now.astimezone(ZoneInfo(case.organization.timezone)).date()
    absence = (
        Absence.objects.filter(
            organization_id=case.organization_id,
            user_id=case.assignee_id,
            starts__lte=today,
            ends__gte=today,
        ).first()
        if case.assignee_id
        else None
    )
    away = case.assignee
    stand_in = _stand_in(case.organization_id, away, absence.cover if absence else None, today)
    if stand_in is None or stand_in == away:
        return None
    _hand_over(case, stand_in, now, f"breach:{commitment}")
    return stand_in
