"""Delivery status notifications (RFC 3464 bounces), read. Pure (no Django); never raises.

A bounce is a ``multipart/report; report-type=delivery-status``, or mail from the null
sender (or the mailer daemon) carrying a ``message/delivery-status`` part. What it
answers is the Message-ID in the returned headers (``text/rfc822-headers`` or the
returned ``message/rfc822``), else its own In-Reply-To and References.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from email.parser import HeaderParser
from email.policy import default as default_policy

from charterdesk.intake.charsets import decode_text, payload_of
from charterdesk.intake.headers import envelope_sender, message_ids, raw_value, raw_values

_FIELD = re.compile(r"^([A-Za-z-]+):[ \t]*(.*(?:\r?\n[ \t].*)*)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    action: str  # failed, delayed, delivered, relayed, expanded
    status: str  # e.g. 5.1.1
    diagnostic: str
    recipient: str
    original_ids: tuple[str, ...]  # the returned mail's Message-ID first

    @property
    def permanent(self) -> bool:
        return self.status.startswith("5") or self.action == "failed"


def delivery_report(message: Message, sender: str) -> DeliveryReport | None:
    """The report this mail is, or None if it is not a bounce."""
    null_sender = envelope_sender(message) == "" or sender.startswith("mailer-daemon@")
    if not null_sender and "report" not in raw_value(message, "Content-Type").lower():
        return None  # most mail: decided from the raw headers, nothing parsed
    try:
        status_part = _part(message, "message/delivery-status")
        is_report = (
            message.get_content_type() == "multipart/report"
            and str(message.get_param("report-type", "")).lower() == "delivery-status"
        )
        if not is_report and not (null_sender and status_part is not None):
            return None
        fields = _status_fields(status_part) if status_part is not None else {}
        return DeliveryReport(
            action=fields.get("action", "").lower(),
            status=_status_code(fields.get("status", "")),
            diagnostic=" ".join(fields.get("diagnostic-code", "").split())[:2000],
            recipient=_address(fields.get("final-recipient") or fields.get("original-recipient")),
            original_ids=tuple(_returned_ids(message)),
        )
    except Exception:  # a report too broken to read is treated as plain mail
        return None


def _part(message: Message, content_type: str) -> Message | None:
    for part in message.walk():
        if part.get_content_type() == content_type:
            return part
    return None


def _status_fields(part: Message) -> dict[str, str]:
    """Per-message then per-recipient fields, the first recipient's winning."""
    payload = payload_of(part)
    text = ""
    if isinstance(payload, list):
        text = "\n\n".join(
            "\n".join(f"{name}: {value}" for name, value in block.raw_items())
            for block in payload
            if isinstance(block, Message)
        )
    else:
        data = part.get_payload(decode=True)
        text = decode_text(data, "utf-8") if isinstance(data, bytes) else str(payload)
    fields: dict[str, str] = {}
    for block in reversed(re.split(r"\n\s*\n", text.replace("\r\n", "\n"))):
        for name, value in _FIELD.findall(block):
            fields[name.lower()] = " ".join(value.split())
    return fields


def _status_code(value: str) -> str:
    found = re.search(r"[245]\.\d{1,3}\.\d{1,3}", value)
    return found.group(0) if found else value[:16]


def _address(value: str | None) -> str:
    if not value:
        return ""
    return value.split(";", 1)[-1].strip().strip("<>").lower()[:254]


def _returned_ids(message: Message) -> list[str]:
    ids: list[str] = []
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "text/rfc822-headers":
            data = part.get_payload(decode=True)
            text = decode_text(data, None) if isinstance(data, bytes) else str(payload_of(part))
            returned = HeaderParser(policy=default_policy).parsestr(text)
            ids += message_ids(raw_value(returned, "Message-ID"))
        elif content_type == "message/rfc822":
            inner = payload_of(part)
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                ids += message_ids(raw_value(inner[0], "Message-ID"))
    ids += message_ids(raw_value(message, "In-Reply-To"))
    for value in raw_values(message, "References"):
        ids += list(reversed(message_ids(value)))
    return list(dict.fromkeys(ids))
