"""What the desk stores. Every row carries its organization (DESIGN.md principle 5).

Events are the truth; Clock rows are an index (due_at, warn_at) that
:func:`charterdesk.cases.clock_index.refresh_clocks` can always rebuild from events.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Organization(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64)
    languages = models.JSONField(default=list)
    reference_prefix = models.CharField(max_length=6, unique=True)
    charter = models.ForeignKey(
        "CharterVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the version in force

    def __str__(self) -> str:
        return self.name


class CharterVersion(models.Model):
    """One approved (or proposed) text of an organization's charter (N10)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed"
        APPROVED = "approved"
        RETIRED = "retired"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    source = models.TextField()  # the YAML, exactly as written
    source_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="one_number_per_org")
        ]


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner"
        SUPERVISOR = "supervisor"
        AGENT = "agent"
        VIEWER = "viewer"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="one_role_per_org")
        ]


class Contact(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=10, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "email"])]


class ReferenceCounter(models.Model):
    """The last case number given out per organization and year."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="one_counter_per_year")
        ]


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open"
        AWAITING_CUSTOMER = "awaiting_customer"
        RESOLVED = "resolved"
        CLOSED = "closed"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    reference = models.CharField(max_length=32)  # e.g. LEV-2026-000123
    charter = models.ForeignKey(CharterVersion, on_delete=models.PROTECT, related_name="+")
    case_type = models.CharField(max_length=64)
    channel = models.CharField(max_length=64)
    language = models.CharField(max_length=10)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    priority = models.IntegerField(default=0)
    subject = models.CharField(max_length=300, blank=True)
    fields = models.JSONField(default=dict)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField()
    next_due_at = models.DateTimeField(null=True, blank=True)  # earliest running clock
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "reference"], name="unique_reference")
        ]
        indexes = [
            models.Index(fields=["organization", "status", "next_due_at"]),
            models.Index(fields=["organization", "assignee", "next_due_at"]),
            # the queue's order: priority first (E5), then what breaches first
            models.Index(
                fields=["organization", "status", "-priority", "next_due_at"],
                name="case_queue_order",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class Message(models.Model):
    class Direction(models.TextChoices):
        IN = "in"
        OUT = "out"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    channel = models.CharField(max_length=64)
    author = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    raw = models.BinaryField(null=True, blank=True)  # the message as received, kept whole
    message_id = models.CharField(max_length=998, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organization", "message_id"])]


class Attachment(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")  # a generated name, never the sender's
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()


class Event(models.Model):
    """Append-only: something that happened to a case. Clocks are derived from these."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=64)
    at = models.DateTimeField()
    data = models.JSONField(default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["case", "at"])]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("events are append-only: record a new event instead")
        super().save(*args, **kwargs)


class Clock(models.Model):
    """Index row: one commitment on one case, as last evaluated."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    commitment = models.CharField(max_length=64)
    state = models.CharField(max_length=16)
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    met_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500)
    cycle = models.PositiveIntegerField(default=1)
    missed_cycles = models.PositiveIntegerField(default=0)
    warned_at = models.DateTimeField(null=True, blank=True)  # when the worker warned
    breach_handled_at = models.DateTimeField(null=True, blank=True)  # when it acted

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "commitment"], name="one_clock_per_commitment")
        ]
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["state", "warn_at"]),
            models.Index(fields=["organization", "state", "due_at"]),
            # What the worker's sweep claims, and nothing it has handled: a claim stays a
            # few index entries however many clocks breached in the past.
            models.Index(
                fields=["state", "warn_at"],
                condition=models.Q(state="running", warned_at__isnull=True),
                name="clock_warn_due",
            ),
            models.Index(
                fields=["state", "due_at"],
                condition=models.Q(state="running", breach_handled_at__isnull=True),
                name="clock_running_due",
            ),
            models.Index(
                fields=["state", "due_at"],
                condition=models.Q(state="breached", breach_handled_at__isnull=True),
                name="clock_breached_open",
            ),
        ]


class OutboxMessage(models.Model):
    """A side effect to carry out (mail, notification), written in the same transaction
    as the change that caused it and sent by the worker (DESIGN.md principle 4)."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        FAILED = "failed"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="outbox"
    )
    kind = models.CharField(max_length=32)  # mail | notification
    key = models.CharField(max_length=200, unique=True)  # idempotency: one row per effect
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]


class Absence(models.Model):
    """A member of staff away from ``starts`` to ``ends`` (local dates, inclusive); work
    due meanwhile goes to ``cover``, or to a supervisor if none is named (T14)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences"
    )
    starts = models.DateField()
    ends = models.DateField()
    cover = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "ends"])]


class AuditEntry(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    target = models.CharField(max_length=100)  # e.g. "case:LEV-2026-000123"
    data = models.JSONField(default=dict)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organization", "at"])]
