"""Learning from complaints (L13, E10 "measure"): causes over time, the cases behind
each, and the changes decided in review."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, QuerySet

from charterdesk.cases.charters import NotAllowed
from charterdesk.cases.models import AuditEntry, Case, Membership, Organization
from charterdesk.cases.services import CaseError
from charterdesk.reports.figures import EVERYTHING, Slice, in_period
from charterdesk.reports.models import CauseRecord, ReviewDecision
from charterdesk.reports.periods import Period

MANAGERS = (Membership.Role.OWNER, Membership.Role.SUPERVISOR)


@dataclass(frozen=True, slots=True)
class CauseRow:
    cause: str
    counts: list[int]  # one per month of the trend
    total: int


@dataclass(frozen=True, slots=True)
class CauseTrend:
    months: list[date]
    rows: list[CauseRow]  # most frequent cause first

    @property
    def totals(self) -> list[int]:
        return [sum(row.counts[i] for row in self.rows) for i in range(len(self.months))]


def cause_trend(org: Organization, period: Period, where: Slice = EVERYTHING) -> CauseTrend:
    """Cases per cause and month of arrival over ``period`` (one query)."""
    rows = (
        CauseRecord.objects.filter(in_period(org, period, where))
        .values_list("cause", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    months = period.months()
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(months))
    for cause, month, n in rows:
        counts[cause][months.index(month)] += n
    ordered = sorted(counts.items(), key=lambda item: (-sum(item[1]), item[0].casefold()))
    return CauseTrend(months, [CauseRow(c, n, sum(n)) for c, n in ordered])


def cases_behind(
    org: Organization, cause: str, period: Period, where: Slice = EVERYTHING
) -> QuerySet[CauseRecord]:
    """The cases classified under ``cause`` that arrived in ``period``."""
    return CauseRecord.objects.filter(in_period(org, period, where), cause=cause).order_by(
        "-classified_at", "-pk"
    )


def known_causes(org: Organization) -> list[str]:
    """The organization's cause taxonomy so far: every cause it has used, A to Z."""
    causes = CauseRecord.objects.filter(organization=org).values_list("cause", flat=True)
    return sorted(set(causes), key=str.casefold)


def decisions(org: Organization, period: Period | None = None) -> QuerySet[ReviewDecision]:
    rows = ReviewDecision.objects.filter(organization=org)
    if period is not None:
        rows = rows.filter(decided_on__gte=period.first, decided_on__lt=period.end)
    return rows.select_related("recorded_by").order_by("-decided_on", "-pk")


@transaction.atomic
def record_decision(
    org: Organization,
    *,
    decided_on: date,
    text: str,
    causes: Sequence[str],
    references: Sequence[str],
    now: datetime,
    actor: User,
) -> ReviewDecision:
    """A supervisor or owner records a change decided in review, with the causes and the
    cases (by reference) that led to it."""
    if not Membership.objects.filter(organization=org, user=actor, role__in=MANAGERS).exists():
        raise NotAllowed("only a supervisor or an owner records review decisions")
    text = text.strip()
    if not text:
        raise CaseError("missing-data", "the decision is required")
    if decided_on > now.astimezone(ZoneInfo(org.timezone)).date():
        raise CaseError("future", "a decision cannot be dated in the future")
    wanted = list(dict.fromkeys(ref.strip().upper() for ref in references if ref.strip()))
    found = set(
        Case.objects.filter(organization=org, reference__in=wanted).values_list(
            "reference", flat=True
        )
    )
    unknown = [ref for ref in wanted if ref not in found]
    if unknown:
        raise CaseError("unknown-case", f"no such case: {', '.join(unknown)}")
    decision = ReviewDecision.objects.create(
        organization=org,
        decided_on=decided_on,
        text=text,
        causes=list(dict.fromkeys(" ".join(c.split()) for c in causes if c.strip())),
        cases=wanted,
        recorded_by=actor,
        recorded_at=now,
    )
    AuditEntry.objects.create(
        organization=org,
        actor=actor,
        action="review_decision_recorded",
        target=f"review:{decision.pk}",
        data={"causes": decision.causes, "cases": decision.cases},
        at=now,
    )
    return decision
