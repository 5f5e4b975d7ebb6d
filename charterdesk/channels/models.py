"""What the telephony, chat and social webhooks store besides cases: which case each
outside conversation continues, and each delivery by its event id (so a second delivery
of the same event writes nothing)."""

from __future__ import annotations

from django.db import models

from charterdesk.cases.models import Case, Organization


class ChannelConversation(models.Model):
    """A conversation on a chat or social channel, by the provider's id, and the case
    its messages go to."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=64)  # the charter's channel id
    external_id = models.CharField(max_length=200)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    handle = models.CharField(max_length=200, blank=True)  # the customer's name there
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "channel", "external_id"], name="one_case_per_conversation"
            )
        ]


class ChannelEvent(models.Model):
    """One event a provider delivered, by its id: delivered again, it is answered with
    the same case and nothing is written."""

    class Kind(models.TextChoices):
        MESSAGE = "message"
        VOICEMAIL = "voicemail"
        CALL = "call"

    class Outcome(models.TextChoices):
        OPENED = "opened"
        CONTINUED = "continued"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=64)
    event_id = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "channel", "event_id"], name="one_delivery_per_event"
            )
        ]
