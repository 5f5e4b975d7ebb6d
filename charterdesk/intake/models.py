"""What intake stores beside cases: mail it refused, bounces of our mail, and the cleaned
HTML of mail that had some. Every row carries its organization (DESIGN.md principle 5);
a rejection has none only when no organization receives at its address."""

from __future__ import annotations

from django.db import models

from charterdesk.cases.models import Message, Organization


class RejectedMail(models.Model):
    """A mail that became neither a case nor a message, and why: nothing is dropped in
    silence. The raw mail is kept (the first 64 KB of one that was too large)."""

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(max_length=40)  # unknown-recipient, auto-reply, too-large...
    detail = models.TextField(blank=True)
    sender = models.CharField(max_length=320, blank=True)
    recipients = models.JSONField(default=list)
    subject = models.CharField(max_length=300, blank=True)
    message_id = models.CharField(max_length=998, blank=True)
    source = models.CharField(max_length=20, blank=True)  # imap, lmtp, webhook
    raw = models.BinaryField()
    size = models.PositiveBigIntegerField()  # of the whole mail, even when raw is cut
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["organization", "message_id"]),
            models.Index(fields=["organization", "at"]),
        ]


class Bounce(models.Model):
    """A delivery status notification (RFC 3464) about one of our outgoing messages."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="bounces")
    action = models.CharField(max_length=20, blank=True)  # failed, delayed...
    status = models.CharField(max_length=16, blank=True)  # e.g. 5.1.1
    diagnostic = models.TextField(blank=True)
    recipient = models.CharField(max_length=320, blank=True)
    report_id = models.CharField(max_length=998)  # the bounce's own Message-ID
    source = models.CharField(max_length=20, blank=True)
    raw = models.BinaryField()
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organization", "report_id"])]


class MessageHtml(models.Model):
    """The HTML of an incoming message, cleaned for display (``Message.body`` is its text)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="html")
    html = models.TextField()
