"""Retention from the charter (``retention:``), applied by the worker.

Raw mail older than ``raw_mail`` is dropped and its parsed text kept; cases resolved or
closed ``closed_cases`` ago (and not reopened since) are erased as an erasure
request would (statistics kept). Held data is skipped. Each run writes one audit record
per organization with its counts; a second run at the same ``now`` changes nothing.
Runs at most every ``CHARTERDESK_RETENTION_SECONDS`` (an hour by default).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q

from charterdesk.cases.charters import parsed
from charterdesk.cases.models import AuditEntry, Case, Message, Organization
from charterdesk.intake.models import Bounce, RejectedMail
from charterdesk.privacy.erasure import erase_case_by_retention
from charterdesk.privacy.holds import held_case_ids
from charterdesk.privacy.models import ErasedCase, RetentionRun
from charterdesk.privacy.periods import cutoff

#: Cases in these states are over; retention counts from the last time one was resolved
#: or closed (not from later events the desk records by itself, such as a survey sent).
FINISHED = (Case.Status.RESOLVED, Case.Status.CLOSED)
FINISHING = ("resolved", "resolved_at_first_contact", "closed")
#: Most cases erased per organization and run (a backlog is worked off over runs).
BATCH = 500


@dataclass
class Retained:
    raw_mail: int = 0
    rejected_mail: int = 0
    bounces: int = 0
    cases_erased: int = 0
    held: int = 0  # cases retention would have touched, kept for a hold
    kept: set[int] = field(default_factory=set, repr=False)  # their ids

    def as_dict(self) -> dict[str, int]:
        return {key: value for key, value in self.__dict__.items() if key != "kept"}


@dataclass
class RetentionResult:
    ran: bool
    by_organization: dict[str, Retained] = field(default_factory=dict)

    def total(self, name: str) -> int:
        return sum(getattr(counts, name) for counts in self.by_organization.values())


def _drop_raw_mail(org: Organization, before: datetime, held: set[int], counts: Retained) -> None:
    old = Message.objects.filter(organization=org, at__lt=before, raw__isnull=False)
    counts.kept.update(old.filter(case_id__in=held).values_list("case_id", flat=True))
    counts.raw_mail = old.exclude(case_id__in=held).update(raw=None)
    counts.rejected_mail = RejectedMail.objects.filter(organization=org, at__lt=before).delete()[0]
    counts.bounces = (
        Bounce.objects.filter(organization=org, at__lt=before)
        .exclude(message__case_id__in=held)
        .exclude(raw=b"")
        .update(raw=b"")
    )


def _erase_closed(
    org: Organization, before: datetime, held: set[int], now: datetime, counts: Retained
) -> None:
    due = (
        Case.objects.filter(organization=org, status__in=FINISHED)
        .exclude(pk__in=ErasedCase.objects.filter(organization=org).values("case_id"))
        .annotate(last=Max("events__at", filter=Q(events__kind__in=FINISHING)))
        .filter(last__lt=before)
        .select_related("charter", "contact")
        .order_by("pk")
    )
    for case in due[: BATCH + len(held)]:
        if case.pk in held:
            counts.kept.add(case.pk)
            continue
        if counts.cases_erased >= BATCH:
            break
        if erase_case_by_retention(case, now) is not None:
            counts.cases_erased += 1


@transaction.atomic
def _apply_to(org: Organization, now: datetime) -> Retained:
    assert org.charter is not None
    rules = parsed(org.charter).charter.retention
    held = held_case_ids(org.pk)
    counts = Retained()
    _drop_raw_mail(org, cutoff(now, rules.raw_mail), held, counts)
    _erase_closed(org, cutoff(now, rules.closed_cases), held, now, counts)
    counts.held = len(counts.kept)
    AuditEntry.objects.create(
        organization=org,
        actor=None,
        action="privacy:retention",
        target=f"organization:{org.slug}",
        data={
            "keep_raw_mail": rules.raw_mail,
            "keep_closed_cases": rules.closed_cases,
            **counts.as_dict(),
        },
        at=now,
    )
    return counts


def apply_retention(now: datetime, *, force: bool = False) -> RetentionResult:
    """Apply each organization's retention rules as of ``now``."""
    every = timedelta(seconds=getattr(settings, "CHARTERDESK_RETENTION_SECONDS", 3600))
    last = RetentionRun.objects.order_by("-at").values_list("at", flat=True).first()
    if not force and last is not None and last <= now < last + every:
        return RetentionResult(ran=False)
    result = RetentionResult(ran=True)
    for org in Organization.objects.filter(charter__isnull=False).select_related("charter"):
        result.by_organization[org.slug] = _apply_to(org, now)
    RetentionRun.objects.create(
        at=now, counts={slug: c.as_dict() for slug, c in result.by_organization.items()}
    )
    return result
