"""What privacy stores beside cases. Every row carries its organization (DESIGN.md
principle 5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from charterdesk.cases.models import Case, Contact, Organization


class LegalHold(models.Model):
    """Data that must not be erased, by request or by retention, while the hold stands:
    a contact's (every case of theirs) or one case's. Released, never deleted."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact__isnull=False, case__isnull=True)
                | models.Q(contact__isnull=True, case__isnull=False),
                name="hold_on_a_contact_or_a_case",
            )
        ]
        indexes = [models.Index(fields=["organization", "released_at"])]


class CaseView(models.Model):
    """A member of staff saw a case's personal data (its page, or an export)."""

    class Kind(models.TextChoices):
        PAGE = "page"
        EXPORT = "export"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PAGE)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organization", "case", "at"])]


class ErasureRecord(models.Model):
    """A contact's personal data erased, on request or by retention: what was done and
    why, without the data itself (the references of the cases stay, as statistics do)."""

    class Trigger(models.TextChoices):
        REQUEST = "request"
        RETENTION = "retention"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    cases = models.JSONField(default=list)  # references
    counts = models.JSONField(default=dict)  # what was erased, by kind
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organization", "at"])]


class ErasedCase(models.Model):
    """A case whose personal data is gone (its statistics stay): erasing it again, or
    retention coming back to it, does nothing."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(ErasureRecord, on_delete=models.CASCADE, related_name="erased")
    at = models.DateTimeField()


class RetentionRun(models.Model):
    """One run of retention over every organization (the worker runs it at most every
    ``CHARTERDESK_RETENTION_SECONDS``); each organization's counts are also audited."""

    at = models.DateTimeField(db_index=True)
    counts = models.JSONField(default=dict)
