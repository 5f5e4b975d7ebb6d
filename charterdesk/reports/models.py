"""What reports read: small tables of counts, rebuilt from clocks and events.

Nothing here is ever edited by hand. :mod:`charterdesk.reports.rebuild` derives every
row from the Clock index (itself rebuilt from events) and from the cases' events, one
organization and one month of arrivals at a time, so a report of a million cases sums
thousands of rows instead of counting millions. Months are calendar months in the
organization's time zone, and a case belongs to the month it was received in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from charterdesk.cases.models import Case, Organization


class Outcome(models.TextChoices):
    """Where a commitment's clock stands, as reports count it."""

    MET = "met"  # met on time
    MET_LATE = "met_late"  # met, after its due time
    BREACHED = "breached"  # still unmet past its due time
    OPEN = "open"  # running before its due time, paused, or not started yet


class ComplianceCount(models.Model):
    """How many clocks of one commitment ended in one outcome, per month of arrival and
    per case type, channel, language and assignee."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month the cases arrived in
    commitment = models.CharField(max_length=64)
    case_type = models.CharField(max_length=64)
    channel = models.CharField(max_length=64)
    language = models.CharField(max_length=10)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["organization", "month"])]


class BreachRecord(models.Model):
    """One promise not kept on time: still unmet past its due time, or met late; with the
    reason the clock gives and the delay notices the customer was sent (L4, E7)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    reference = models.CharField(max_length=32)
    commitment = models.CharField(max_length=64)
    case_type = models.CharField(max_length=64)
    channel = models.CharField(max_length=64)
    language = models.CharField(max_length=10)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    met_at = models.DateTimeField(null=True, blank=True)  # None: still unmet
    reason = models.CharField(max_length=500)
    delay_notices = models.PositiveIntegerField(default=0)
    first_notice_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "month", "due_at"])]


class CauseRecord(models.Model):
    """A cause a case was classified under (L13, E10), one row per case and cause."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    reference = models.CharField(max_length=32)
    cause = models.CharField(max_length=200)
    case_type = models.CharField(max_length=64)
    channel = models.CharField(max_length=64)
    language = models.CharField(max_length=10)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    classified_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organization", "month", "cause"])]


class SurveyCount(models.Model):
    """Survey invitations and answers (A4, T23), per month of arrival and slice.

    ``measure`` is ``sent`` (invitations), ``rated`` (responses; ``score`` is the overall
    score) or ``answer`` (one question's answers; ``question`` is its id)."""

    class Measure(models.TextChoices):
        SENT = "sent"
        RATED = "rated"
        ANSWER = "answer"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    case_type = models.CharField(max_length=64)
    channel = models.CharField(max_length=64)
    language = models.CharField(max_length=10)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    measure = models.CharField(max_length=8, choices=Measure.choices)
    question = models.CharField(max_length=64, blank=True)
    score = models.PositiveSmallIntegerField(default=0)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["organization", "month"])]


class ReviewDecision(models.Model):
    """A change decided in a management review (E10 "measure", ISO 10002), with the
    causes and the cases that led to it. Written by people, so never rebuilt."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    decided_on = models.DateField()
    text = models.TextField()
    causes = models.JSONField(default=list)  # cause names
    cases = models.JSONField(default=list)  # case references
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organization", "decided_on"])]


class RefreshMark(models.Model):
    """How far a background job has read: the last event it has seen for good, and the
    ``now`` of its last pass. One row per job (``reports``, ``surveys``)."""

    name = models.CharField(max_length=32, unique=True)
    event_pk = models.BigIntegerField(default=0)
    checked_at = models.DateTimeField(null=True, blank=True)
    ran_at = models.DateTimeField(null=True, blank=True)
