"""The supervisor's dashboard, read live from the Clock and Case indexes: what is at risk
now, what breached this week, each agent's open cases, and the oldest open cases.

A fixed number of queries whatever the size of the desk, each served by an index:
Clock (organization, state, due_at), Clock (state, warn_at), Case (organization,
status, next_due_at).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Min, QuerySet

from charterdesk.cases.models import Case, Clock, Membership, Organization
from charterdesk.core.clocks import ClockState

OPEN = (Case.Status.OPEN, Case.Status.AWAITING_CUSTOMER)
RUNNING, BREACHED = ClockState.RUNNING.value, ClockState.BREACHED.value
SHOWN = 20


@dataclass(frozen=True, slots=True)
class Listed:
    """The first rows of a list, and how many there are in all."""

    rows: list[Clock] | list[Case]
    total: int


@dataclass(frozen=True, slots=True)
class Workload:
    name: str
    user_id: int | None
    open_cases: int
    oldest: datetime | None


def week_start(now: datetime, zone: str) -> datetime:
    """Monday 00:00 of the local week ``now`` falls in."""
    local = now.astimezone(ZoneInfo(zone)).date()
    monday = local - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0), tzinfo=ZoneInfo(zone))


def _clocks(org: Organization) -> QuerySet[Clock]:
    return Clock.objects.filter(organization=org).select_related("case", "case__assignee")


def at_risk(org: Organization, now: datetime) -> Listed:
    """Running clocks past their warning time and not yet due, soonest due first."""
    rows = _clocks(org).filter(state=RUNNING, warn_at__lte=now, due_at__gt=now)
    return Listed(list(rows.order_by("due_at", "pk")[:SHOWN]), rows.count())


def breached_this_week(org: Organization, now: datetime) -> Listed:
    """Clocks that fell due this week (Monday, local time, until now) and were not met by
    then: still unmet, or met late. Latest first."""
    rows = _clocks(org).filter(
        state__in=(RUNNING, BREACHED), due_at__gte=week_start(now, org.timezone), due_at__lte=now
    )
    return Listed(list(rows.order_by("-due_at", "-pk")[:SHOWN]), rows.count())


def workload(org: Organization, members: list[Membership]) -> list[Workload]:
    """Open cases per assignee (unassigned included), busiest first."""
    counts = {
        row["assignee_id"]: row
        for row in Case.objects.filter(organization=org, status__in=OPEN)
        .values("assignee_id")
        .annotate(n=Count("pk"), oldest=Min("received_at"))
        .order_by()
    }
    names = {m.user_id: m.user.get_full_name() or m.user.get_username() for m in members}
    rows = [
        Workload(names.get(user_id, ""), user_id, row["n"], row["oldest"])
        for user_id, row in counts.items()
    ]
    for member in members:
        if member.user_id not in counts and member.role != Membership.Role.VIEWER:
            rows.append(Workload(names[member.user_id], member.user_id, 0, None))
    return sorted(rows, key=lambda w: (-w.open_cases, w.user_id is not None, w.name.casefold()))


def oldest_open(org: Organization) -> list[Case]:
    return list(
        Case.objects.filter(organization=org, status__in=OPEN)
        .select_related("assignee")
        .order_by("received_at", "pk")[:SHOWN]
    )


def members(org: Organization) -> list[Membership]:
    return list(
        Membership.objects.filter(organization=org)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
