"""One outbox mail row as one email, and what an SMTP error means for it.

The row's payload carries everything the mail says (see ``OutboxMessage``); this module
only turns it into Django's ``EmailMultiAlternatives``. The Message-ID is the payload's,
or one derived from the row's key, so a mail sent twice after a crash is the same mail
to the receiver (docs/decisions/0005-outbox-at-least-once.md).
"""

from __future__ import annotations

import enum
import hashlib
import smtplib
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.html import escape, linebreaks

from charterdesk.cases.charters import parsed
from charterdesk.cases.models import OutboxMessage
from charterdesk.localized import translated


class BadPayload(ValueError):
    """A row that can never be sent as it stands (no recipient, no subject...)."""


class Outcome(enum.Enum):
    #: The server refused this mail for good: trying again cannot help.
    REFUSED = "refused"
    #: This mail could not be sent now (4xx, a timeout): try it again later.
    TRY_LATER = "try_later"
    #: The server cannot be reached or talked to: no mail will go now, try all later.
    SERVER_DOWN = "server_down"


def domain_of(address: str) -> str:
    _, bare = parseaddr(address)
    return bare.rsplit("@", 1)[1] if "@" in bare else "charterdesk.invalid"


def stable_message_id(key: str, domain: str) -> str:
    """The same row always gets the same Message-ID, whoever sends it and how often."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<outbox.{digest}@{domain}>"


def sender_for(row: OutboxMessage) -> str:
    """A customer's mail comes from the organization's own address (replies come back to
    its desk); staff mail (``"audience": "staff"``) and the rest from DEFAULT_FROM_EMAIL."""
    case = row.case
    if case is not None and row.payload.get("audience") != "staff":
        charter = parsed(case.charter).charter
        addresses = [
            channel.address
            for channel in charter.channels.values()
            if channel.kind == "email" and channel.address
        ] + [
            point.address
            for point in charter.organization.contact_points
            if point.channel == "email"
        ]
        for address in addresses:
            if "@" in address:
                name = translated(charter.organization.name, case.language)
                return formataddr((name, address))
    return str(settings.DEFAULT_FROM_EMAIL)


def build_email(row: OutboxMessage, sender: str) -> EmailMultiAlternatives:
    """The mail a ``kind="mail"`` row stands for; ``BadPayload`` if it cannot be one."""
    payload: dict[str, Any] = row.payload
    to = [address for address in payload.get("to") or [] if address]
    if not to or not isinstance(payload.get("subject"), str):
        raise BadPayload("a mail needs a recipient and a subject")
    subject = " ".join(payload["subject"].split())  # no line breaks in a header
    body = str(payload.get("body", ""))
    headers = {
        "Message-ID": payload.get("message_id") or stable_message_id(row.key, domain_of(sender))
    }
    if payload.get("in_reply_to"):
        headers["In-Reply-To"] = payload["in_reply_to"]
    if payload.get("references"):
        headers["References"] = " ".join(payload["references"])
    if payload.get("automatic"):
        headers["Auto-Submitted"] = "auto-replied"
    elif payload.get("auto_submitted"):
        headers["Auto-Submitted"] = str(payload["auto_submitted"])
    language = str(payload.get("language") or "")
    if language:
        headers["Content-Language"] = language
    email = EmailMultiAlternatives(subject, body, sender, to, headers=headers)
    html = f'<!DOCTYPE html><html lang="{escape(language)}"><body>{linebreaks(body, True)}'
    email.attach_alternative(html + "</body></html>", "text/html")
    return email


_SERVER_PROBLEMS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPNotSupportedError,
)


def outcome_of(error: Exception) -> Outcome:
    """What an exception from sending means: refused for good, this one later, or all later."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return (
            Outcome.REFUSED if codes and all(code >= 500 for code in codes) else Outcome.TRY_LATER
        )
    if isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500:
        return Outcome.REFUSED  # the message itself was rejected (554: content, size...)
    if isinstance(error, _SERVER_PROBLEMS):
        return Outcome.SERVER_DOWN
    if isinstance(error, smtplib.SMTPException):
        return Outcome.TRY_LATER  # 4xx and the rest: this mail, later
    if isinstance(error, OSError):
        return Outcome.SERVER_DOWN  # refused connection, timeout, unknown host
    return Outcome.TRY_LATER


def describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {reply.decode(errors='replace')}"
            for address, (code, reply) in error.recipients.items()
        )
    return f"{type(error).__name__}: {error}"[:2000]
