"""What the desk keeps about abusive or threatening contact (A3, N7).

A :class:`ConductReport` is what a member of staff saw on a case. A :class:`Restriction`
is a supervisor's decision to restrict or end contact with a person: why, on which
channels, until it is reviewed. The cases themselves carry the consequence as events
(``contact_restricted`` ... ``contact_restored``), which pause every clock; see
docs/decisions/0009-conduct-restrictions.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from charterdesk.cases.models import Case, Contact, Organization


class ConductReport(models.Model):
    class Kind(models.TextChoices):
        ABUSIVE = "abusive"
        THREATENING = "threatening"
        OTHER = "other"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conduct_reports")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    what_happened = models.TextField()
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organization", "case", "at"])]


class Restriction(models.Model):
    """Contact with a person restricted on ``channels`` (all of them if
    ``ends_all_contact``) from ``decided_at`` until lifted; reviewed on ``review_on``."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(  # the case it was decided on; its customer was told there
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField()
    channels = models.JSONField(default=list)  # channel ids of the charter
    ends_all_contact = models.BooleanField(default=False)  # N7
    review_on = models.DateField()
    review_notified_on = models.DateField(null=True, blank=True)  # the review date announced
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_reason = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "lifted_at", "review_on"]),
            models.Index(
                fields=["review_on"],
                condition=models.Q(lifted_at__isnull=True),
                name="restriction_review_due",
            ),
        ]

    def covers(self, channel: str) -> bool:
        return self.ends_all_contact or channel in self.channels
