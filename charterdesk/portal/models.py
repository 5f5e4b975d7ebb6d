"""What the customer's side stores: the secret links to cases, and rate-limit counters.

A link's token is never stored, only its SHA-256 (``token_hash``); the customer has the
token in the mail and in the address bar, nobody else does.
"""

from __future__ import annotations

from django.db import models

from charterdesk.cases.models import Case, Organization


class CaseAccess(models.Model):
    """One secret link to one case (E9). Several may exist: the acknowledgement's, and
    each one sent again from ``/track/``."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)  # sha256 hex of the token
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)  # null: until revoked
    revoked = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["organization", "case"])]


class RateLimit(models.Model):
    """How many times ``key`` (a keyed hash of what is limited: an IP address, an email
    address) was counted in the window starting at ``window_start``. Shared by every web
    process through the database. Not per organization: an address is limited across
    all of them."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="one_count_per_window")
        ]
        indexes = [models.Index(fields=["window_start"])]
